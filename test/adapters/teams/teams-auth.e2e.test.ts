/**
 * /api/messages with credentials configured: a request without a valid Bot Framework token is refused
 * with 401 before any handler runs, said in one pino line (botbuilder's own handling printed a stack
 * trace per refused request on the console).
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { jsonLog } from '../../support/json-log.js';
import { startHarness, type Harness } from '../../support/bot-harness.js';

const { log, lines } = jsonLog<{ level: number; msg: string }>('info');

let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    log,
    env: {
      MICROSOFT_APP_ID: '00000000-1111-2222-3333-444444444444',
      MICROSOFT_APP_PASSWORD: 'secret',
      MICROSOFT_APP_TENANT_ID: '7c1f0c2e-0000-4000-8000-00000000c0de',
    },
  });
});
afterAll(async () => {
  await h?.close();
});

const post = (body: unknown, authorization?: string) =>
  fetch(`${h.bot.url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
    body: JSON.stringify(body),
  });
const ACTIVITY = { type: 'message', id: '1', text: 'advisory', channelId: 'msteams', serviceUrl: 'http://127.0.0.1:9/', from: { id: '29:x' }, conversation: { id: 'c' }, recipient: { id: '28:b' } };

describe('Teams endpoint authentication', () => {
  it('refuses a request without a token, or with a bad one, with 401 and one log line each, nothing on the console', async () => {
    const consoleError = vi.spyOn(console, 'error');
    try {
      const before = lines.length;
      expect((await post(ACTIVITY)).status).toBe(401);
      expect((await post(ACTIVITY, 'Bearer not-a-jwt')).status).toBe(401);
      const refused = lines.slice(before).filter((l) => l.msg === 'Teams request refused: not authenticated');
      expect(refused).toHaveLength(2);
      expect(refused.every((l) => l.level === 40)).toBe(true);
      expect(consoleError).not.toHaveBeenCalled();
    } finally {
      consoleError.mockRestore();
    }
  });

  it('refuses a body that is not an activity with 400', async () => {
    expect((await post({ text: 'no type' })).status).toBe(400);
    expect((await post([1, 2])).status).toBe(400);
  });
});
