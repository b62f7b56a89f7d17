import { describe, expect, it } from 'vitest';
import { ConfigError, listenHost, loadConfig, localWorkspaceMode, missingForSlack, slackConfigured, startupWarnings } from '../../src/config.js';

const SLACK = { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' };

describe('config', () => {
  it('applies defaults', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ PORT: 3000, REDIS_URL: 'redis://127.0.0.1:6379', DATA_DIR: 'data', QUEUE_PREFIX: 'ceptoar' });
    expect(c.HOST).toBeUndefined();
    expect(slackConfigured(c)).toBe(false);
    expect(missingForSlack(c)).toEqual(['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET (or SLACK_APP_TOKEN for Socket Mode)']);
  });

  it('reports every problem at once, by variable name', () => {
    let error: unknown;
    try {
      loadConfig({ SLACK_BOT_TOKEN: 'xoxp-user', PORT: 'eighty', REDIS_URL: 'localhost:6379', MONGODB_URI: 'http://x', QUEUE_PREFIX: 'a:b' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    // Each problem is its own line that starts with its variable (a name merely mentioned in another
    // variable's message, as SLACK_BOT_TOKEN is in SLACK_SIGNING_SECRET's, does not count).
    const named = (error as ConfigError).problems.map((p) => p.slice(0, p.indexOf(':')));
    expect(named.sort()).toEqual(['MONGODB_URI', 'PORT', 'QUEUE_PREFIX', 'REDIS_URL', 'SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET']);
    expect((error as ConfigError).problems).toContain('SLACK_BOT_TOKEN: must be a bot token (xoxb-…)');
  });

  it('the status card interval: 5 s by default, whole seconds from 1', () => {
    expect(loadConfig({}).STATUS_CARD_INTERVAL_SECONDS).toBe(5);
    expect(loadConfig({ STATUS_CARD_INTERVAL_SECONDS: '1' }).STATUS_CARD_INTERVAL_SECONDS).toBe(1);
    for (const bad of ['0', '1.5', 'soon']) {
      expect(() => loadConfig({ STATUS_CARD_INTERVAL_SECONDS: bad }), bad).toThrow(/STATUS_CARD_INTERVAL_SECONDS/);
    }
  });

  it('reads the drill template from the example by default, or from DRILL_TEMPLATE_FILE', () => {
    expect(loadConfig({}).DRILL_TEMPLATE_FILE).toBe('config/drill-template.example.yaml');
    expect(loadConfig({ DRILL_TEMPLATE_FILE: '  ' }).DRILL_TEMPLATE_FILE).toBe('config/drill-template.example.yaml');
    expect(loadConfig({ DRILL_TEMPLATE_FILE: ' /etc/ceptoar/drill.yaml ' }).DRILL_TEMPLATE_FILE).toBe('/etc/ceptoar/drill.yaml');
  });

  it('treats empty variables as unset (as .env files leave them)', () => {
    const c = loadConfig({ SLACK_BOT_TOKEN: '', MONGODB_URI: '  ', SLACK_API_URL: '', HOST: ' ' });
    expect(c.SLACK_BOT_TOKEN).toBeUndefined();
    expect(c.MONGODB_URI).toBeUndefined();
    expect(c.SLACK_API_URL).toBeUndefined();
    expect(c.HOST).toBeUndefined();
  });

  it('accepts a complete Slack configuration', () => {
    const c = loadConfig({ ...SLACK, SLACK_API_URL: 'http://127.0.0.1:9/api/' });
    expect(slackConfigured(c)).toBe(true);
    expect(c.SLACK_API_URL).toBe('http://127.0.0.1:9/api/');
    expect(missingForSlack(c)).toEqual([]);
  });

  it('listens on 127.0.0.1 only for the local workspace, on every interface for Slack and Teams, and where HOST says when set', () => {
    // Nothing configured: the local workspace, reachable from this machine only.
    const local = loadConfig({});
    expect(localWorkspaceMode(local)).toBe(true);
    expect(listenHost(local)).toBe('127.0.0.1');
    // Slack needs to reach /slack/events: every interface.
    const slack = loadConfig(SLACK);
    expect(localWorkspaceMode(slack)).toBe(false);
    expect(listenHost(slack)).toBe('0.0.0.0');
    // So does the Teams endpoint, /api/messages.
    const teams = loadConfig({ MICROSOFT_APP_ID: 'app', MICROSOFT_APP_PASSWORD: 'p', MICROSOFT_APP_TENANT_ID: 't' });
    expect(localWorkspaceMode(teams)).toBe(false);
    expect(listenHost(teams)).toBe('0.0.0.0');
    // LOCAL_WORKSPACE=on beside Slack still plays the workspace: loopback.
    expect(listenHost(loadConfig({ ...SLACK, LOCAL_WORKSPACE: 'on' }))).toBe('127.0.0.1');
    // An explicit HOST wins either way.
    expect(listenHost(loadConfig({ HOST: '0.0.0.0' }))).toBe('0.0.0.0');
    expect(listenHost(loadConfig({ ...SLACK, HOST: '127.0.0.1' }))).toBe('127.0.0.1');
  });
});

describe('startupWarnings: settings that do not do what they suggest, said at start-up', () => {
  const secret = 'e'.repeat(32);

  it('nothing to say when an export link secret is set and no proxy', () => {
    expect(startupWarnings(loadConfig({ EXPORT_LINK_SECRET: secret }))).toEqual([]);
  });

  it('export links without a secret work only on the process that made them', () => {
    expect(startupWarnings(loadConfig({}))).toEqual([expect.stringMatching(/^EXPORT_LINK_SECRET is not set/)]);
  });

  it('an egress proxy, upper or lower case, is said not to be used, without its address (it may carry a password)', () => {
    for (const name of ['HTTPS_PROXY', 'https_proxy']) {
      const said = startupWarnings(loadConfig({ EXPORT_LINK_SECRET: secret, [name]: 'http://user:pa55@proxy.example:8080' }));
      expect(said).toEqual([expect.stringMatching(/^HTTPS_PROXY is set, but the bot does not use an egress proxy/)]);
      expect(said.join()).not.toContain('pa55');
    }
  });
});
