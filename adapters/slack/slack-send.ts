import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { text } from 'node:stream/consumers';
import { ErrorCode } from '@slack/web-api';
import { toChatError } from './slack-errors.js';

/** The two calls a fan-out makes thousands of times. */
export type SendMethod = 'chat.postMessage' | 'chat.update';

/** What Slack answers them with (only what the adapter reads). */
export interface SendResult {
  ok: true;
  channel?: string | undefined;
  ts?: string | undefined;
}

/** Posts or updates one message; failures are ChatError, classified as every other Slack call's. */
export type SlackSend = (method: SendMethod, body: Record<string, unknown>) => Promise<SendResult>;

export interface SlackSendOptions {
  token: string;
  /** Base URL of the Web API (tests, egress proxies); default Slack's. */
  apiUrl?: string | undefined;
  /** Per-request timeout; default 10 s. */
  timeoutMs?: number;
  /** Sockets kept open to Slack; default 64 (the workers' concurrency, with room). */
  maxSockets?: number;
}

/**
 * chat.postMessage and chat.update as one JSON POST each on kept-alive sockets. Why not through @slack/web-api as
 * every other call: measured on a 2,000-channel fan-out, the client's path (axios, a redacted debug copy of every
 * request built even at info level, web streams) was a third of the bot's CPU, about twice a plain http.request's
 * cost per call. What the client did for us is kept: no retry here (the workflow retries, and a hidden retry after a
 * lost response would post a copy the workflow never learns of), 429 rejected at once with its Retry-After, and
 * every failure shaped as the client shapes it, so toChatError classifies it the same way.
 */
export function createSlackSend(opts: SlackSendOptions): SlackSend {
  const base = new URL(opts.apiUrl ?? 'https://slack.com/api/');
  if (!base.pathname.endsWith('/')) base.pathname += '/';
  const secure = base.protocol === 'https:';
  const agent = new (secure ? HttpsAgent : HttpAgent)({ keepAlive: true, maxSockets: opts.maxSockets ?? 64 });
  const send = secure ? httpsRequest : httpRequest;
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const authorization = `Bearer ${opts.token}`;

  return (method, body) =>
    new Promise<SendResult>((resolve, reject) => {
      const payload = Buffer.from(JSON.stringify(body), 'utf8');
      const req = send(
        new URL(method, base),
        {
          method: 'POST',
          agent,
          headers: { 'content-type': 'application/json; charset=utf-8', 'content-length': payload.length, authorization },
          signal: AbortSignal.timeout(timeoutMs),
        },
        (res) => {
          text(res).then(
            (answered) => {
              try {
                resolve(answer(res, answered));
              } catch (err) {
                reject(err);
              }
            },
            (err: unknown) => reject(toChatError({ code: ErrorCode.RequestError, original: err })),
          );
        },
      );
      // A timeout (AbortSignal's TimeoutError) or a socket lost: classified as the client's RequestError.
      req.on('error', (err) => reject(toChatError({ code: ErrorCode.RequestError, original: err })));
      req.end(payload);
    });
}

/** Slack's answer, or the ChatError it means. */
function answer(res: IncomingMessage, raw: string): SendResult {
  const status = res.statusCode ?? 0;
  if (status === 429) {
    const seconds = Number(res.headers['retry-after']);
    throw toChatError({ code: ErrorCode.RateLimitedError, retryAfter: Number.isFinite(seconds) ? seconds : undefined });
  }
  if (status !== 200) throw toChatError({ code: ErrorCode.HTTPError, statusCode: status });
  let data: { ok?: unknown; error?: unknown; channel?: unknown; ts?: unknown; response_metadata?: unknown };
  try {
    data = JSON.parse(raw) as typeof data;
  } catch (err) {
    // A 200 whose body is not Slack's JSON (a proxy's page): the call may have gone through.
    throw toChatError({ code: ErrorCode.RequestError, original: err });
  }
  if (data.ok !== true) throw toChatError({ code: ErrorCode.PlatformError, data });
  return { ok: true, channel: typeof data.channel === 'string' ? data.channel : undefined, ts: typeof data.ts === 'string' ? data.ts : undefined };
}
