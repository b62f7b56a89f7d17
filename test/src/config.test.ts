import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, missingForSlack, slackConfigured } from '../../src/config.js';

describe('config', () => {
  it('applies defaults', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ PORT: 3000, REDIS_URL: 'redis://127.0.0.1:6379', DATA_DIR: 'data', QUEUE_PREFIX: 'ceptoar' });
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
    const problems = (error as ConfigError).problems.join('\n');
    for (const name of ['SLACK_BOT_TOKEN', 'PORT', 'REDIS_URL', 'MONGODB_URI', 'QUEUE_PREFIX', 'SLACK_SIGNING_SECRET']) {
      expect(problems).toContain(name);
    }
  });

  it('treats empty variables as unset (as .env files leave them)', () => {
    const c = loadConfig({ SLACK_BOT_TOKEN: '', MONGODB_URI: '  ', SLACK_API_URL: '' });
    expect(c.SLACK_BOT_TOKEN).toBeUndefined();
    expect(c.MONGODB_URI).toBeUndefined();
  });

  it('accepts a complete Slack configuration', () => {
    const c = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', SLACK_API_URL: 'http://127.0.0.1:9/api/' });
    expect(slackConfigured(c)).toBe(true);
  });
});
