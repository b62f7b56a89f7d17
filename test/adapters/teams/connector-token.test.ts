/**
 * The token every proactive post carries comes from botbuilder's own credentials, made as its connector factory makes
 * them for a proactive turn: the app's login authority, the Bot Connector's scope. A stand-in credentials factory
 * records what it is asked.
 */
import { describe, expect, it } from 'vitest';
import { connectorToken, teamsCredentialCheck, type BotAdapter, type TeamsApp } from '../../../adapters/teams/teams-app.js';

function appWith(make: () => Promise<unknown>) {
  const created: unknown[][] = [];
  const teams = {
    appId: 'app-1',
    adapter: {
      credentialsFactory: {
        createCredentials: async (...args: unknown[]) => {
          created.push(args);
          return make();
        },
      },
    } as unknown as BotAdapter,
  } satisfies TeamsApp;
  return { teams, created };
}

/** Credentials that hand out numbered tokens and say whether each was forced. */
function credentials() {
  const asked: (boolean | undefined)[] = [];
  return { asked, value: { getToken: async (force?: boolean) => (asked.push(force), `t${asked.length}`) } };
}

describe('the Bot Connector token', () => {
  it('none when running unauthenticated', () => {
    const teams = { appId: '', adapter: {} as BotAdapter };
    expect(connectorToken(teams, { appType: 'MultiTenant' })).toBeUndefined();
    expect(teamsCredentialCheck(teams, { appType: 'MultiTenant' })).toBeUndefined();
  });

  it("a single-tenant app logs in at its tenant, for the Bot Connector's scope; credentials made once, the cached token asked each time", async () => {
    const c = credentials();
    const { teams, created } = appWith(async () => c.value);
    const token = connectorToken(teams, { appType: 'SingleTenant', tenantId: 'tenant-9' })!;
    expect([await token(), await token()]).toEqual(['t1', 't2']);
    expect(created).toEqual([['app-1', 'https://api.botframework.com', 'https://login.microsoftonline.com/tenant-9', true]]);
    expect(c.asked).toEqual([false, false]);
  });

  it('a multi-tenant app logs in at botframework.com; the readiness check forces a fresh token', async () => {
    const c = credentials();
    const { teams, created } = appWith(async () => c.value);
    await teamsCredentialCheck(teams, { appType: 'MultiTenant', tenantId: 'tenant-9' })!();
    expect(created).toEqual([['app-1', 'https://api.botframework.com', 'https://login.microsoftonline.com/botframework.com', true]]);
    expect(c.asked).toEqual([true]);
  });

  it('credentials that could not be made are made again on the next post', async () => {
    const c = credentials();
    let fail = true;
    const { teams, created } = appWith(async () => {
      if (fail) throw new Error('Entra ID unreachable');
      return c.value;
    });
    const token = connectorToken(teams, { appType: 'MultiTenant' })!;
    await expect(token()).rejects.toThrow('Entra ID unreachable');
    fail = false;
    expect(await token()).toBe('t1');
    expect(created).toHaveLength(2);
  });

  it('refuses credentials that give no token, and an empty token', async () => {
    await expect(connectorToken(appWith(async () => ({})).teams, { appType: 'MultiTenant' })!()).rejects.toThrow(/cannot give a Bot Connector token/);
    const empty = appWith(async () => ({ getToken: async () => '' })).teams;
    await expect(connectorToken(empty, { appType: 'MultiTenant' })!()).rejects.toThrow(/no token/);
    await expect(teamsCredentialCheck(empty, { appType: 'MultiTenant' })!()).rejects.toThrow(/no token/);
  });
});
