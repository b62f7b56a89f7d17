import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { isCopy } from '../../../adapters/slack/ack-action.js';
import { ACK_ACTION_ID } from '../../../adapters/slack/advisory-blocks.js';
import { slackPlatform } from '../../../adapters/slack/slack-platform.js';
import type { Core } from '../../../src/core.js';
import { BotError } from '../../../src/errors.js';
import { ERROR_TEXT } from '../../../src/i18n/text.js';
import { createLogger, type Logger } from '../../../src/log.js';
import { eventually } from '../../support/eventually.js';
import { jsonLog } from '../../support/json-log.js';
import { startFakeSlack, type FakeSlack } from '../../support/fake-slack.js';
import { SlackSender } from '../../support/slack-requests.js';
import { anAdvisoryView } from '../../support/view-fixtures.js';

const SECRET = 'ack-action-test-signing-secret';

const copy = { platform: 'slack' as const, channelId: 'C0JMA00001', messageId: '1764640000.000100' };

describe('isCopy: only a press on the advisory\'s own copy is redrawn as the advisory while the queue is down', () => {
  it('is the copy pressed', () => {
    expect(isCopy([copy], { ...copy })).toBe(true);
  });

  it('a follow-up in its thread (another ts), the same ts in another channel, or another platform is not', () => {
    expect(isCopy([copy], { ...copy, messageId: '1764640100.000200' })).toBe(false);
    expect(isCopy([copy], { ...copy, channelId: 'C0JDA00001' })).toBe(false);
    expect(isCopy([copy], { ...copy, platform: 'teams' })).toBe(false);
    expect(isCopy([], copy)).toBe(false);
  });
});

/**
 * The whole Slack platform as main builds it, with a core that only acknowledges: a signed press is answered through
 * its response URL on the kept-alive path (slack-respond.ts: JSON with its charset; Bolt's respond() sends plain
 * application/json).
 */
describe('the acknowledge button answers the presser through the response URL', () => {
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });

  /** What the stub core was asked, press by press. */
  const asked: unknown[] = [];

  /** `answerAt`: a response URL of the test's own instead of the fake's (then nothing is waited for). */
  async function pressed(
    refreshQueued: boolean | Error,
    answerAt?: { url: string; log: Logger },
  ): Promise<{ fake: FakeSlack; name: string }> {
    const fake = await startFakeSlack();
    closers.push(() => fake.close());
    const log = answerAt?.log ?? createLogger('silent');
    const platform = slackPlatform({ botToken: 'xoxb-test-token', signingSecret: SECRET, apiUrl: fake.url, log });
    const http = express();
    const result = { outcome: 'acknowledged', first: { actor: { platform: 'slack', userId: 'U0JMA00001' }, at: '2026-12-01T00:00:00.000Z', via: 'button' }, refreshQueued, delivery: { id: 'd1', messages: [copy] } };
    const core = {
      acknowledgeFromMessage: async (req: unknown) => {
        asked.push(req);
        if (refreshQueued instanceof Error) throw refreshQueued;
        return result;
      },
      deliveryView: async () => anAdvisoryView(),
    } as unknown as Core;
    platform.mount(http, core);
    await platform.start();
    closers.push(() => platform.stop());
    const server = http.listen(0, '127.0.0.1');
    await once(server, 'listening');
    closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const { port } = server.address() as AddressInfo;
    const name = `press-${String(refreshQueued)}`;
    const res = await new SlackSender(`http://127.0.0.1:${port}/slack/events`, SECRET).buttonPress({
      userId: 'U0JMA00001',
      channelId: copy.channelId,
      messageTs: copy.messageId,
      actionId: ACK_ACTION_ID,
      value: 'd1',
      responseUrl: answerAt?.url ?? fake.responseUrl(name),
    });
    expect(res.status).toBe(200);
    if (answerAt) return { fake, name };
    await fake.waitFor(() => fake.responses(name).some((r) => (r as { response_type?: string }).response_type === 'ephemeral'), { description: 'the ephemeral' });
    return { fake, name };
  }

  it('on the kept-alive path: the thanks, ephemeral, the message left as it is', async () => {
    const { fake, name } = await pressed(true);
    expect(fake.responses(name)).toEqual([{ response_type: 'ephemeral', replace_original: false, text: expect.stringContaining('受領') }]);
    expect(fake.callsTo(`response_url:${name}`).map((c) => c.contentType)).toEqual(['application/json; charset=utf-8']);
    // The core is told who pressed where; the button's value is only a claim it checks.
    expect(asked.at(-1)).toEqual({
      actor: { platform: 'slack', userId: 'U0JMA00001', name: 'U0JMA00001' },
      message: { platform: 'slack', channelId: copy.channelId, messageId: copy.messageId },
      claimedDeliveryId: 'd1',
    });
  });

  it('a refusal is said to the presser alone, in both languages, on the kept-alive path', async () => {
    const { fake, name } = await pressed(new BotError('DELIVERY.NOT_YOURS', 'button value does not match'));
    const [said] = fake.responses(name) as { response_type?: string; replace_original?: boolean; text?: string }[];
    expect(fake.responses(name)).toHaveLength(1);
    expect(said).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(said?.text).toContain(ERROR_TEXT['DELIVERY.NOT_YOURS'].ja);
    expect(said?.text).toContain(ERROR_TEXT['DELIVERY.NOT_YOURS'].en);
    expect(fake.callsTo(`response_url:${name}`).map((c) => c.contentType)).toEqual(['application/json; charset=utf-8']);
  });

  it('while the queue is down, the copy is replaced first, then the thanks, both on the kept-alive path', async () => {
    const { fake, name } = await pressed(false);
    const [replaced, thanks] = fake.responses(name) as { replace_original?: boolean; response_type?: string; blocks?: unknown[] }[];
    expect(replaced).toMatchObject({ replace_original: true, blocks: expect.any(Array) });
    expect(thanks).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(fake.callsTo(`response_url:${name}`).map((c) => c.contentType)).toEqual(['application/json; charset=utf-8', 'application/json; charset=utf-8']);
  });

  /** A response URL that answers each POST with the next status given, and the bot's log lines at info and above. */
  async function failingAnswers(statuses: number[]) {
    const posts: { replace_original?: boolean; response_type?: string }[] = [];
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        posts.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as (typeof posts)[number]);
        res.writeHead(statuses.shift() ?? 200, { 'content-type': 'text/plain' }).end('expired_url');
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const { log, lines } = jsonLog<{ level: number; msg: string; code?: string; answer?: string; err?: { code?: string; detail?: unknown } }>('info');
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/actions/T0/B0/secret`;
    return { posts, lines, url, log };
  }

  it('an answer Slack refuses is logged as a warning once, is not taken for a refusal of the press, and the thanks still goes', async () => {
    const answers = failingAnswers([500, 200]);
    const { posts, lines, url, log } = await answers;
    await pressed(false, { url, log });
    await eventually(async () => posts.length === 2 && lines.some((l) => l.level === 40), { description: 'both answers tried, one warned' });
    // The copy's redraw failed; the thanks after it is still sent, and nothing more (no error message to the presser).
    expect(posts.map((p) => (p.replace_original ? 'replaced' : p.response_type))).toEqual(['replaced', 'ephemeral']);
    const warned = lines.filter((l) => l.level >= 40);
    expect(warned).toHaveLength(1);
    expect(warned[0]).toMatchObject({ level: 40, msg: 'answer to the presser did not reach Slack', answer: 'replaced copy', err: { code: 'CHAT.UNAVAILABLE' } });
    // The response URL lets its holder post into the channel: it is never logged.
    expect(JSON.stringify(lines)).not.toContain('/actions/T0/B0/secret');
    expect(lines.some((l) => l.msg === 'request refused')).toBe(false);
  });

  it('a failed thanks is only logged: the press is not answered again with an error', async () => {
    const { posts, lines, url, log } = await failingAnswers([404]);
    await pressed(true, { url, log });
    await eventually(async () => lines.some((l) => l.level === 40), { description: 'the failed thanks warned' });
    expect(posts).toEqual([expect.objectContaining({ response_type: 'ephemeral', text: expect.stringContaining('受領') })]);
    expect(lines.filter((l) => l.level >= 40)).toEqual([expect.objectContaining({ level: 40, answer: 'ephemeral' })]);
  });
});

