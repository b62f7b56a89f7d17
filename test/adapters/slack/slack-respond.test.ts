/**
 * The acknowledge button's answers through the response URL on the kept-alive path: what Bolt's respond() does
 * (one JSON POST, a non-2xx answer an error), with every failure a coded CHAT.UNAVAILABLE that says Slack's status
 * when one came, and never the URL itself (it lets whoever holds it post in the channel for half an hour).
 */
import { createServer, type IncomingMessage, type RequestListener } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import { text } from 'node:stream/consumers';
import { afterEach, describe, expect, it } from 'vitest';
import { createSlackRespond } from '../../../adapters/slack/slack-respond.js';
import { BotError } from '../../../src/errors.js';
import { startFakeSlack, type FakeSlack } from '../../support/fake-slack.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

/** A server on loopback answering as `answer` says: for answers the fake Slack never gives. */
async function answering(answer: RequestListener): Promise<string> {
  const server = createServer(answer);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const { port } = server.address() as { port: number };
  return `http://127.0.0.1:${port}/actions/T0JMA/1234/secret-part`;
}

const failure = (p: Promise<unknown>) => p.then(() => expect.unreachable('it should fail'), (e: unknown) => e);

describe('an answer to a response URL', () => {
  let fake: FakeSlack;

  it('goes as one JSON POST, the message as given, to the URL the press came with', async () => {
    fake = await startFakeSlack();
    closers.push(() => fake.close());
    const respond = createSlackRespond();
    await respond(fake.responseUrl('presser'), { response_type: 'ephemeral', replace_original: false, text: '受領しました / Acknowledged' });
    await respond(fake.responseUrl('presser'), { replace_original: true, text: '置き換え / Replaced', blocks: [{ type: 'divider' }] });
    expect(fake.responses('presser')).toEqual([
      { response_type: 'ephemeral', replace_original: false, text: '受領しました / Acknowledged' },
      { replace_original: true, text: '置き換え / Replaced', blocks: [{ type: 'divider' }] },
    ]);
    expect(fake.callsTo('response_url:presser').map((c) => c.contentType)).toEqual([
      expect.stringMatching(/^application\/json/),
      expect.stringMatching(/^application\/json/),
    ]);
  });

  it('takes any 2xx as done, whatever Slack\'s body says', async () => {
    const seen: { method?: string; path?: string; body: string }[] = [];
    const record = async (req: IncomingMessage) => seen.push({ method: req.method, path: req.url, body: await text(req) });
    const url204 = await answering((req, res) => void record(req).then(() => res.writeHead(204).end()));
    const url299 = await answering((req, res) => void record(req).then(() => res.writeHead(299).end('whatever')));
    const respond = createSlackRespond();
    await respond(url204, { text: 'a' });
    await respond(url299, { text: 'b' });
    expect(seen).toEqual([
      { method: 'POST', path: '/actions/T0JMA/1234/secret-part', body: '{"text":"a"}' },
      { method: 'POST', path: '/actions/T0JMA/1234/secret-part', body: '{"text":"b"}' },
    ]);
  });

  it.each([
    [404, 'expired_url'],
    [300, 'elsewhere'],
    [500, 'oops'],
  ])('a %i is CHAT.UNAVAILABLE with the status and the start of what Slack said, never the URL', async (status, said) => {
    const url = await answering((_req, res) => res.writeHead(status).end(said));
    const err = await failure(createSlackRespond()(url, { text: 'x' }));
    expect(err).toBeInstanceOf(BotError);
    expect(err).toMatchObject({ code: 'CHAT.UNAVAILABLE', detail: { via: 'response_url', status } });
    expect((err as Error).message).toContain(`${status}: ${said}`);
    expect((err as Error).message).not.toContain('secret-part');
    expect(JSON.stringify((err as BotError).detail)).not.toContain('secret-part');
  });

  it('a long refusal is cut to its first 200 characters in the message', async () => {
    const url = await answering((_req, res) => res.writeHead(404).end(`${'e'.repeat(200)}TAIL`));
    const err = (await failure(createSlackRespond()(url, { text: 'x' }))) as Error;
    expect(err.message).toContain('e'.repeat(200));
    expect(err.message).not.toContain('TAIL');
  });

  it('no answer (refused connection, or none within the timeout) is CHAT.UNAVAILABLE without a status, the cause kept', async () => {
    const tcp = createTcpServer();
    await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', resolve));
    const { port } = tcp.address() as { port: number };
    await new Promise<void>((resolve) => tcp.close(() => resolve()));
    const refused = (await failure(createSlackRespond()(`http://127.0.0.1:${port}/r`, { text: 'x' }))) as BotError;
    expect(refused).toMatchObject({ code: 'CHAT.UNAVAILABLE', detail: { via: 'response_url' } });
    expect(refused.message).toContain('the response_url did not answer');
    expect(refused.detail).not.toHaveProperty('status');
    expect((refused.cause as { code?: string }).code).toBe('ECONNREFUSED');

    const silent = await answering(() => undefined);
    const timedOut = (await failure(createSlackRespond({ timeoutMs: 50 })(silent, { text: 'x' }))) as BotError;
    expect(timedOut).toMatchObject({ code: 'CHAT.UNAVAILABLE', detail: { via: 'response_url' } });
    expect(timedOut.detail).not.toHaveProperty('status');
    expect((timedOut.cause as Error).name).toBe('AbortError');
  });

  it('follows nothing but http(s): a URL of another scheme, or none, is refused before any request', async () => {
    let requests = 0;
    const url = await answering((_req, res) => {
      requests++;
      res.end();
    });
    for (const [bad, why] of [
      [url.replace('http:', 'ftp:'), 'the response_url is not http(s): ftp:'],
      [url.replace('http:', 'ws:'), 'the response_url is not http(s): ws:'],
      ['not a url', 'the response_url is not a URL'],
      ['', 'the response_url is not a URL'],
    ] as const) {
      const err = (await failure(createSlackRespond()(bad, { text: 'x' }))) as BotError;
      expect(err).toMatchObject({ code: 'CHAT.UNAVAILABLE', detail: { via: 'response_url' } });
      expect(err.message).toContain(why);
      expect(err.detail).not.toHaveProperty('status');
    }
    expect(requests).toBe(0);
  });

  it('an https URL is followed (here to a server that speaks plain http, so no answer comes)', async () => {
    const url = await answering((_req, res) => res.end());
    const err = (await failure(createSlackRespond({ timeoutMs: 2_000 })(url.replace('http:', 'https:'), { text: 'x' }))) as BotError;
    expect(err.code).toBe('CHAT.UNAVAILABLE');
    expect(err.message).toContain('the response_url did not answer');
  });
});
