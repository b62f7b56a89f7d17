import { ErrorCode } from '@slack/web-api';
import { headerValue, keepAliveJson, type JsonAnswer } from '../../src/lib/keep-alive-json.js';
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
}

/**
 * chat.postMessage and chat.update as one JSON POST each on kept-alive sockets (keep-alive-json.ts). Why not through
 * @slack/web-api as every other call: measured on a 2,000-channel fan-out, the client's path (axios, a redacted debug
 * copy of every request built even at info level, web streams) was a third of the bot's CPU, about twice a plain
 * http.request's cost per call. What the client did for us is kept: no retry here (the workflow retries, and a hidden
 * retry after a lost response would post a copy the workflow never learns of), 429 rejected at once with its
 * Retry-After, and every failure shaped as the client shapes it, so toChatError classifies it the same way.
 */
export function createSlackSend(opts: SlackSendOptions): SlackSend {
  const base = new URL(opts.apiUrl ?? 'https://slack.com/api/');
  if (!base.pathname.endsWith('/')) base.pathname += '/';
  const request = keepAliveJson({ timeoutMs: opts.timeoutMs ?? 10_000 });
  const authorization = `Bearer ${opts.token}`;
  return async (method, body) => {
    let answered: JsonAnswer;
    try {
      answered = await request('POST', new URL(method, base), body, { authorization });
    } catch (err) {
      // A timeout (AbortSignal's TimeoutError), a socket lost, an answer cut off: classified as the client's RequestError.
      throw toChatError({ code: ErrorCode.RequestError, original: err });
    }
    return answer(answered);
  };
}

/** Slack's answer, or the ChatError it means. */
function answer({ statusCode: status, headers, body: raw }: JsonAnswer): SendResult {
  if (status === 429) {
    const seconds = Number(headerValue(headers, 'retry-after'));
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
