import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { text } from 'node:stream/consumers';

/** An answer read whole: its status, headers and body as text. What it means is the caller's to say. */
export interface JsonAnswer {
  statusCode: number;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface KeepAliveJsonOptions {
  /** Per request, from the moment it is made to the end of its answer's body. */
  timeoutMs: number;
  /** Sockets kept open per host; default 64 (the workers' concurrency, with room). */
  maxSockets?: number;
  /**
   * How long a socket may sit unused before it is closed; default 5,000 ms (Node's own global agent's). Without it an
   * idle socket is kept for ever, and a load balancer that silently dropped the connection (Azure's after 4 min, AWS's
   * after 60–350 s) is found out only by the next call: a post that hangs to its timeout, its outcome unknown, or an
   * ECONNRESET. A server's shorter `Keep-Alive: timeout=` is honoured (Node closes a second before it).
   */
  idleSocketMs?: number;
}

/** Sends one JSON body and reads the whole answer; rejects only when no whole answer came (see keepAliveJson). */
export type JsonRequest = (method: 'POST' | 'PUT', url: URL, body: unknown, headers?: Record<string, string>) => Promise<JsonAnswer>;

/**
 * The lean call path both platforms' hot calls take (Slack's chat.postMessage / chat.update, the Bot Connector's
 * sendToConversation / updateActivity): one JSON request on sockets kept open, http or https by the URL. Measured on a
 * 2,000-member fan-out, the platforms' own clients cost several times this per call (slack-send.ts, connector-send.ts).
 *
 * One attempt, never a retry: the workflow retries, and a hidden retry after a lost answer would post a copy nobody
 * learns of. Every status is answered, 4xx and 5xx included: the caller classifies it. It rejects with the socket's own
 * error when no whole answer came — the request failed, timed out (an AbortError whose cause is the TimeoutError), or
 * the answer broke off mid-body — so the caller can tell "may have been done" from an answer.
 */
export function keepAliveJson(opts: KeepAliveJsonOptions): JsonRequest {
  const maxSockets = opts.maxSockets ?? 64;
  // `timeout` is the idle time of a socket in the agent's free list (it is destroyed then); on a socket in use it only
  // emits 'timeout', which nobody listens to: a call's own limit is timeoutMs, below.
  const agentOptions = { keepAlive: true, maxSockets, timeout: opts.idleSocketMs ?? 5_000 };
  const agents = { http: new HttpAgent(agentOptions), https: new HttpsAgent(agentOptions) };
  return (method, url, body, headers = {}) =>
    new Promise<JsonAnswer>((resolve, reject) => {
      const secure = url.protocol === 'https:';
      const payload = Buffer.from(JSON.stringify(body), 'utf8');
      const req = (secure ? httpsRequest : httpRequest)(
        url,
        {
          method,
          agent: secure ? agents.https : agents.http,
          headers: { ...headers, 'content-type': 'application/json; charset=utf-8', 'content-length': payload.length },
          signal: AbortSignal.timeout(opts.timeoutMs),
        },
        (res) => {
          text(res).then((answered) => resolve({ statusCode: res.statusCode ?? 0, headers: res.headers, body: answered }), reject);
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
}

/** A header's first value (Node gives a list for some). */
export function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}
