/** The secretariat check: a person is the secretariat by platform and user id, and every refusal is audited. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { requireSecretariat } from '../../../src/commands/authorise.js';
import { isBotError } from '../../../src/errors.js';
import { coreFixture, SECRETARIAT, type CoreFixture } from '../../support/core-fixture.js';
import { minutes, OUTSIDER } from './helpers.js';

let f: CoreFixture;
beforeEach(async () => {
  f = await coreFixture();
});
afterEach(async () => {
  await f.close();
});

describe('requireSecretariat', () => {
  it('lets a secretariat user through, whatever name the platform gives, and audits nothing', async () => {
    await requireSecretariat(f.deps, { platform: 'slack', userId: 'U0SEC00002' }, 'advisory.issue');
    await requireSecretariat(f.deps, { ...SECRETARIAT, name: 'someone else' }, 'advisory.issue');
    expect(f.audit).toEqual([]);
    expect(f.lines).toEqual([]);
  });

  it('refuses the same user id on another platform, and a display name that claims to be the secretariat', async () => {
    for (const actor of [{ ...SECRETARIAT, platform: 'local' as const }, { ...OUTSIDER, name: SECRETARIAT.name }]) {
      const err = await requireSecretariat(f.deps, actor, 'advisory.close').catch((e: unknown) => e);
      expect(isBotError(err, 'AUTH.NOT_SECRETARIAT')).toBe(true);
    }
    expect(f.audit.map((e) => e.actor?.platform)).toEqual(['local', 'slack']);
  });

  it('audits a refusal with the actor, the time and what was attempted, each with its own id, and logs it', async () => {
    f.clock.set(minutes(4));
    await requireSecretariat(f.deps, OUTSIDER, 'advisory.issue').catch(() => undefined);
    await requireSecretariat(f.deps, OUTSIDER, 'advisory.issue').catch(() => undefined);
    expect(f.audit).toHaveLength(2);
    expect(f.audit[0]).toEqual({ id: expect.stringMatching(/^refused\.[0-9a-f-]{36}$/), at: minutes(4), actor: OUTSIDER, action: 'advisory.refused', detail: { attempted: 'advisory.issue' } });
    expect(f.audit[0]?.id).not.toBe(f.audit[1]?.id);
    expect(f.lines).toEqual([{ level: 'warn', obj: { actor: OUTSIDER, attempted: 'advisory.issue' }, msg: 'refused: not secretariat' }, expect.anything()]);
  });
});
