/**
 * The lean JSON call path both platforms' hot calls take, against a server on loopback: the body as JSON with its
 * headers, every status answered (the caller classifies it), sockets kept open between calls, and a rejection with
 * the socket's own error whenever no whole answer came (refused, timed out, cut off mid-body).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { text } from 'node:stream/consumers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { headerValue, keepAliveJson } from '../../../src/lib/keep-alive-json.js';

interface Seen {
  method: string | undefined;
  url: string | undefined;
  headers: IncomingMessage['headers'];
  body: string;
}

let server: Server;
let base: URL;
let seen: Seen[];
let connections: number;
let answer: (req: IncomingMessage, res: ServerResponse) => void;
const sockets = new Set<Socket>();

beforeEach(async () => {
  seen = [];
  connections = 0;
  answer = (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"id":"1"}');
  server = createServer((req, res) => {
    void text(req).then((body) => {
      seen.push({ method: req.method, url: req.url, headers: req.headers, body });
      answer(req, res);
    });
  });
  server.on('connection', (socket: Socket) => {
    connections += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`);
});
afterEach(async () => {
  for (const s of sockets) s.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const failure = (p: Promise<unknown>) => p.then(() => expect.unreachable('it should fail'), (e: unknown) => e as NodeJS.ErrnoException);

describe('a call', () => {
  it('sends the body as JSON with its length and the given headers, by the given method, and answers the whole answer', async () => {
    const request = keepAliveJson({ timeoutMs: 2_000 });
    const answered = await request('PUT', new URL('v3/conversations/a%3Ab/activities/1', base), { text: '警報 / Alert' }, { authorization: 'Bearer t' });
    expect(answered).toEqual({ statusCode: 200, headers: expect.objectContaining({ 'content-type': 'application/json' }), body: '{"id":"1"}' });
    const [call] = seen;
    expect(call?.method).toBe('PUT');
    expect(call?.url).toBe('/api/v3/conversations/a%3Ab/activities/1');
    expect(call?.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(call?.headers['authorization']).toBe('Bearer t');
    // Bytes, not characters: the Japanese takes three each.
    expect(call?.headers['content-length']).toBe(String(Buffer.byteLength(call?.body ?? '', 'utf8')));
    expect(JSON.parse(call?.body ?? '')).toEqual({ text: '警報 / Alert' });
  });

  it('a caller cannot replace the content type or length', async () => {
    const request = keepAliveJson({ timeoutMs: 2_000 });
    await request('POST', base, { a: 1 }, { 'content-type': 'text/plain', 'content-length': '1' });
    expect(seen[0]?.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(seen[0]?.body).toBe('{"a":1}');
  });

  it('answers a 429 or a 500 with its status, headers and body: what it means is the caller’s to say', async () => {
    const request = keepAliveJson({ timeoutMs: 2_000 });
    answer = (_req, res) => res.writeHead(429, { 'retry-after': '7' }).end('slow down');
    expect(await request('POST', base, {})).toMatchObject({ statusCode: 429, body: 'slow down', headers: { 'retry-after': '7' } });
    answer = (_req, res) => res.writeHead(500).end();
    expect(await request('POST', base, {})).toMatchObject({ statusCode: 500, body: '' });
  });

  it('keeps its socket open: calls one after another go over one connection', async () => {
    const request = keepAliveJson({ timeoutMs: 2_000 });
    for (let i = 0; i < 3; i++) await request('POST', base, { i });
    expect(seen).toHaveLength(3);
    expect(connections).toBe(1);
  });

  it('closes a socket left unused past idleSocketMs, and the next call opens a new one', async () => {
    // The server would keep it for a minute: only the client's own idle limit can close it.
    server.keepAliveTimeout = 60_000;
    const request = keepAliveJson({ timeoutMs: 2_000, idleSocketMs: 100 });
    await request('POST', new URL('chat.postMessage', base), {});
    const [socket] = [...sockets];
    await new Promise((resolve) => socket?.once('close', resolve));
    expect(sockets.size).toBe(0);
    expect((await request('POST', new URL('chat.postMessage', base), {})).statusCode).toBe(200);
    expect(connections).toBe(2);
  });

  it('by default a socket unused for 5 s is closed (Node\'s own global agent\'s idle time)', async () => {
    server.keepAliveTimeout = 60_000;
    const request = keepAliveJson({ timeoutMs: 2_000 });
    await request('POST', new URL('chat.postMessage', base), {});
    const [socket] = [...sockets];
    await new Promise((resolve) => socket?.once('close', resolve));
    expect(sockets.size).toBe(0);
  }, 15_000);

  it('a call whose answer takes longer than idleSocketMs is not cut off by it', async () => {
    answer = (_req, res) => setTimeout(() => res.writeHead(200).end('{"ok":true}'), 300);
    const request = keepAliveJson({ timeoutMs: 2_000, idleSocketMs: 50 });
    expect(await request('POST', new URL('chat.update', base), {})).toMatchObject({ statusCode: 200, body: '{"ok":true}' });
  });

  it('opens at most maxSockets connections to a host, however many calls are in flight', async () => {
    const request = keepAliveJson({ timeoutMs: 2_000, maxSockets: 2 });
    await Promise.all(Array.from({ length: 6 }, (_, i) => request('POST', base, { i })));
    expect(seen).toHaveLength(6);
    expect(connections).toBe(2);
  });
});

describe('no whole answer', () => {
  it('a refused connection rejects with its code', async () => {
    const request = keepAliveJson({ timeoutMs: 2_000 });
    // Port 1 on loopback: nothing listens there.
    expect((await failure(request('POST', new URL('http://127.0.0.1:1/api/'), {}))).code).toBe('ECONNREFUSED');
  });

  it('an https URL goes over TLS (refused there too), never as plain http', async () => {
    const request = keepAliveJson({ timeoutMs: 2_000 });
    // Plain http would not even try: Node refuses an https: URL with ERR_INVALID_PROTOCOL.
    expect((await failure(request('POST', new URL('https://127.0.0.1:1/api/'), {}))).code).toBe('ECONNREFUSED');
  });

  it('an answer that never comes rejects at the timeout, as an abort whose cause is the TimeoutError', async () => {
    const request = keepAliveJson({ timeoutMs: 150 });
    answer = () => undefined;
    const err = await failure(request('POST', base, {}));
    expect(err.name).toBe('AbortError');
    expect((err.cause as Error | undefined)?.name).toBe('TimeoutError');
    expect(seen).toHaveLength(1);
  });

  it('an answer cut off mid-body rejects, never resolves with half a body', async () => {
    const request = keepAliveJson({ timeoutMs: 2_000 });
    answer = (_req, res) => {
      res.writeHead(200, { 'content-length': '100' });
      res.write('{"id":');
      setTimeout(() => res.socket?.destroy(), 20);
    };
    const err = await failure(request('POST', base, {}));
    expect(err.code).toBe('ECONNRESET');
  });
});

describe('headerValue', () => {
  it('gives a header by any case, and the first of a list', () => {
    expect(headerValue({ 'retry-after': '3' }, 'Retry-After')).toBe('3');
    expect(headerValue({ 'set-cookie': ['a=1', 'b=2'] }, 'set-cookie')).toBe('a=1');
    expect(headerValue({}, 'retry-after')).toBeUndefined();
  });
});
