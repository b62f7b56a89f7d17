/**
 * The lean chat.postMessage / chat.update path against the fake Slack Web API: one JSON POST with the bot token,
 * the message as Slack stores it, and every failure shaped as @slack/web-api shapes it, so it is classified the
 * same way (429 with its Retry-After, ok:false codes, HTTP statuses, a lost response, a timeout, a refused
 * connection) — including whether Slack may have done it (maybeDone), which decides whether a retry searches.
 */
import { createServer as createHttpServer, type RequestListener } from 'node:http';
import { createServer } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSlackSend, type SlackSend } from '../../../adapters/slack/slack-send.js';
import { slackPlatform } from '../../../adapters/slack/slack-platform.js';
import { createLogger } from '../../../src/log.js';
import { anAdvisoryView } from '../../support/view-fixtures.js';
import type { ChatError } from '../../../src/ports/chat.js';
import { startFakeSlack, type FakeSlack } from '../../support/fake-slack.js';

let fake: FakeSlack;
let send: SlackSend;
beforeEach(async () => {
  fake = await startFakeSlack();
  send = createSlackSend({ token: 'xoxb-test-token', apiUrl: fake.url, timeoutMs: 1_000 });
});
afterEach(async () => {
  await fake.close();
});

const body = (text: string) => ({
  channel: 'C0JMA00001',
  text,
  blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `*${text}*` } }],
  metadata: { event_type: 'ceptoar_post', event_payload: { key: 'K1', kind: 'advisory' } },
  unfurl_links: false,
});
/** A server on loopback answering every request as `answer` says: for answers the fake Slack never gives. */
async function answering(answer: RequestListener): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createHttpServer(answer);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/api/`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const failure = (p: Promise<unknown>) => p.then(() => expect.unreachable('it should fail'), (e: unknown) => e as ChatError);

describe('a post and an update', () => {
  it('go as JSON with the bot token; the post answers the channel and ts, and the update edits that message', async () => {
    const posted = await send('chat.postMessage', body('警報 / Alert'));
    expect(posted).toEqual({ ok: true, channel: 'C0JMA00001', ts: expect.stringMatching(/^\d+\.\d{6}$/) });
    const [call] = fake.callsTo('chat.postMessage');
    expect(call?.token).toBe('xoxb-test-token');
    expect(call?.contentType).toMatch(/^application\/json/);
    expect(call?.params).toMatchObject({ unfurl_links: false, metadata: { event_payload: { key: 'K1' } } });
    expect(fake.messages('C0JMA00001')[0]).toMatchObject({ text: '警報 / Alert', blocks: body('警報 / Alert').blocks });

    await send('chat.update', { ...body('更新 / Updated'), ts: posted.ts });
    expect(fake.messages('C0JMA00001')).toHaveLength(1);
    expect(fake.messages('C0JMA00001')[0]?.text).toBe('更新 / Updated');
  });

  it('a base URL without its trailing slash still reaches /api/<method>', async () => {
    const bare = createSlackSend({ token: 'xoxb-test-token', apiUrl: fake.url.replace(/\/$/, '') });
    expect((await bare('chat.postMessage', body('x'))).ts).toBeDefined();
  });
});

describe('the Slack platform', () => {
  it('posts on the lean path (JSON), not through @slack/web-api (a form)', async () => {
    const { chat } = slackPlatform({ botToken: 'xoxb-test-token', apiUrl: fake.url, log: createLogger('silent') });
    await chat.post({ workspaceId: 'T0CEPTOAR0', channelId: 'C0JMA00001' }, { kind: 'advisory', view: anAdvisoryView() }, 'K2');
    expect(fake.callsTo('chat.postMessage').at(-1)?.contentType).toMatch(/^application\/json/);
  });
});

describe('failures, classified as every other Slack call', () => {
  it('a 429: rate_limited with its Retry-After, nothing done', async () => {
    fake.failNext('chat.postMessage', { status: 429, retryAfterSec: 7 });
    expect(await failure(send('chat.postMessage', body('x')))).toMatchObject({ kind: 'rate_limited', retryAfterMs: 7_000, maybeDone: false });
    expect(fake.messages('C0JMA00001')).toEqual([]);
  });

  it('ok:false: a refusal is permanent with its reason; fatal_error may have been done', async () => {
    fake.failNext('chat.postMessage', { error: 'channel_not_found' });
    expect(await failure(send('chat.postMessage', body('x')))).toMatchObject({ kind: 'permanent', code: 'channel_not_found', reason: 'channel_gone', maybeDone: false });
    fake.failNext('chat.postMessage', { error: 'fatal_error' });
    expect(await failure(send('chat.postMessage', body('x')))).toMatchObject({ kind: 'transient', code: 'fatal_error', maybeDone: true });
  });

  it('an HTTP 503 is transient and may have been done; a 400 is permanent', async () => {
    fake.failNext('chat.postMessage', { status: 503 });
    expect(await failure(send('chat.postMessage', body('x')))).toMatchObject({ kind: 'transient', code: 'http_503', maybeDone: true });
    fake.failNext('chat.update', { status: 400 });
    expect(await failure(send('chat.update', { ...body('x'), ts: '1.000001' }))).toMatchObject({ kind: 'permanent', code: 'http_400' });
  });

  it('a lost response (posted, then the socket closed): transient, may have been done — and it was', async () => {
    fake.failNext('chat.postMessage', { dropResponse: true });
    expect(await failure(send('chat.postMessage', body('x')))).toMatchObject({ kind: 'transient', code: 'request_error', maybeDone: true });
    expect(fake.messages('C0JMA00001')).toHaveLength(1);
  });

  it('no answer in time: a timeout, which may have been done', async () => {
    fake.failNext('chat.postMessage', { delayMs: 1_500 });
    expect(await failure(send('chat.postMessage', body('x')))).toMatchObject({ kind: 'transient', code: 'request_timeout', reason: 'timeout', maybeDone: true });
  });

  it('a 200 that is not Slack’s JSON (a proxy’s page): transient, and it may have gone through', async () => {
    const proxy = await answering((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html>gateway</html>'));
    try {
      const through = createSlackSend({ token: 't', apiUrl: proxy.url });
      expect(await failure(through('chat.postMessage', body('x')))).toMatchObject({ kind: 'transient', code: 'request_error', maybeDone: true });
    } finally {
      await proxy.close();
    }
  });

  it('ok:true with a channel or ts that is not a string: neither is taken', async () => {
    const odd = await answering((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true,"channel":5,"ts":1.5}'));
    try {
      expect(await createSlackSend({ token: 't', apiUrl: odd.url })('chat.postMessage', body('x'))).toEqual({ ok: true, channel: undefined, ts: undefined });
    } finally {
      await odd.close();
    }
  });

  it('a connection refused: nothing reached Slack', async () => {
    // A port that was free a moment ago and is closed now.
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const nowhere = createSlackSend({ token: 't', apiUrl: `http://127.0.0.1:${port}/api/` });
    expect(await failure(nowhere('chat.postMessage', body('x')))).toMatchObject({ kind: 'transient', code: 'request_error', maybeDone: false });
  });
});
