import { ChatError, type FailureReason } from '../../src/ports/chat.js';

/** Teams' own error codes with the core's reason; other statuses decide by themselves (reasonOfStatus). */
const TEAMS_REASONS: Readonly<Record<string, FailureReason>> = {
  ConversationNotFound: 'channel_gone',
  BotNotInConversationRoster: 'not_in_channel',
  BotDisabledByAdmin: 'forbidden',
  ConversationBlockedByUser: 'recipient_unreachable',
  MessageSizeTooBig: 'too_large',
  ActivityNotFoundInConversation: 'message_gone',
  BadArgument: 'invalid_message',
  BadSyntax: 'invalid_message',
  Unauthorized: 'auth',
  Forbidden: 'forbidden',
};

function reasonOf(code: string, status: number): FailureReason {
  if (Object.hasOwn(TEAMS_REASONS, code)) return TEAMS_REASONS[code] as FailureReason;
  if (status === 401) return 'auth';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'channel_gone';
  if (status === 413) return 'too_large';
  return 'invalid_message';
}

/*
 * What botbuilder 4.23's ConnectorClient throws (it runs on @azure/core-client):
 * - the connector answered non-2xx: a RestError with `statusCode`, `code` = the body's error.code when the body is
 *   Teams' `{ error: { code, message } }` (ConversationNotFound, BotNotInConversationRoster, …), `details` = the
 *   parsed body, and a non-enumerable `response` whose `headers.get('retry-after')` works;
 * - the request never got an answer: a RestError without statusCode whose `code` is the socket error
 *   (ECONNRESET for a dropped connection, ECONNREFUSED, ENOTFOUND, …) or REQUEST_SEND_ERROR;
 * - our per-request timeout fired: an AbortError.
 * Everything is matched by shape, not instanceof, so a second copy of @azure/core-rest-pipeline changes nothing.
 */

/** Socket-level failures: the request may or may not have reached Teams, so a retry is the only move. */
const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'ENETDOWN',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'REQUEST_SEND_ERROR',
  'UND_ERR_SOCKET',
  'ERR_STREAM_PREMATURE_CLOSE',
]);

/** Of those, the ones raised before the request could be sent: Teams never saw it. */
const NOT_CONNECTED_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH']);

const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'ESOCKETTIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

interface HeadersLike {
  get?: (name: string) => string | undefined | null;
  [name: string]: unknown;
}

interface ConnectorLikeError {
  name?: unknown;
  code?: unknown;
  statusCode?: unknown;
  message?: unknown;
  details?: unknown;
  response?: { status?: unknown; headers?: HeadersLike; parsedBody?: unknown; bodyAsText?: unknown };
  cause?: unknown;
}

function header(headers: HeadersLike | undefined, name: string): string | undefined {
  if (headers === undefined || headers === null || typeof headers !== 'object') return undefined;
  if (typeof headers.get === 'function') {
    const v = headers.get(name);
    return typeof v === 'string' ? v : undefined;
  }
  for (const [k, v] of Object.entries(headers)) {
    if (k.toLowerCase() === name && typeof v === 'string') return v;
  }
  return undefined;
}

/** Retry-After as seconds or an HTTP date; the Azure variants in milliseconds too. */
export function retryAfterMsFrom(headers: HeadersLike | undefined, now: number = Date.now()): number | undefined {
  for (const name of ['retry-after-ms', 'x-ms-retry-after-ms']) {
    const v = header(headers, name);
    const ms = v === undefined || v.trim() === '' ? Number.NaN : Number(v);
    if (Number.isFinite(ms) && ms >= 0) return Math.round(ms);
  }
  const v = header(headers, 'retry-after')?.trim();
  if (v === undefined || v === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const at = Date.parse(v);
  return Number.isFinite(at) ? Math.max(0, at - now) : undefined;
}

function errorCodeInBody(body: unknown): string | undefined {
  if (typeof body === 'string') {
    try {
      return errorCodeInBody(JSON.parse(body) as unknown);
    } catch {
      // A body that is not JSON (an HTML error page from a proxy) carries no service code: the status decides.
      return undefined;
    }
  }
  if (body === null || typeof body !== 'object') return undefined;
  const err = (body as { error?: unknown }).error;
  const code = err !== null && typeof err === 'object' ? (err as { code?: unknown }).code : undefined;
  return typeof code === 'string' && code !== '' ? code : undefined;
}

/** The Teams error code the connector gave (`{ error: { code } }`), wherever the client left it. */
function serviceCode(e: ConnectorLikeError): string | undefined {
  return (
    errorCodeInBody(e.details) ??
    errorCodeInBody(e.response?.parsedBody) ??
    errorCodeInBody(e.response?.bodyAsText) ??
    (typeof e.code === 'string' && e.code !== '' && !NETWORK_CODES.has(e.code) && !TIMEOUT_CODES.has(e.code) ? e.code : undefined)
  );
}

function statusOf(e: ConnectorLikeError): number | undefined {
  if (typeof e.statusCode === 'number' && e.statusCode > 0) return e.statusCode;
  if (typeof e.response?.status === 'number' && e.response.status > 0) return e.response.status;
  return undefined;
}

/** The socket error or timeout somewhere in the cause chain, if that is what this is. */
function networkFailure(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e !== null && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const { name, code, message } = e as ConnectorLikeError;
    if (name === 'AbortError' || name === 'TimeoutError' || (typeof code === 'string' && TIMEOUT_CODES.has(code))) return 'request_timeout';
    if (typeof code === 'string' && NETWORK_CODES.has(code)) return code;
    if (typeof message === 'string' && /socket hang up|network socket disconnected/i.test(message)) return 'ECONNRESET';
  }
  return undefined;
}

/**
 * Classifies a failure of a Bot Framework Connector call for the workflow: wait (rate_limited), retry (transient) or
 * give up (permanent).
 *
 * - 429 with Retry-After: rate_limited, waiting what Teams asked. 429 without it: transient, so the job's exponential
 *   backoff with jitter spaces the retries instead of all throttled jobs coming back at once.
 * - 408, 412 (a concurrent update), 425, 5xx, socket errors and timeouts: transient.
 * - any other 4xx (400 BadArgument, 401, 403 BotNotInConversationRoster / BotDisabledByAdmin /
 *   ConversationBlockedByUser, 404 ConversationNotFound, 413 MessageSizeTooBig, …): permanent; no retry makes the bot a
 *   member again or the card valid, and retrying only delays the secretariat's alert.
 * The code is Teams' own error.code when the body carries one, else http_<status>.
 */
export function toChatError(err: unknown): ChatError {
  if (err instanceof ChatError) return err;
  if (err === null || typeof err !== 'object') return new ChatError('transient', 'unexpected_error', { cause: err });
  const e = err as ConnectorLikeError;
  const status = statusOf(e);

  if (status !== undefined) {
    const code = serviceCode(e) ?? `http_${status}`;
    if (status === 429) {
      const retryAfterMs = retryAfterMsFrom(e.response?.headers);
      return retryAfterMs === undefined
        ? new ChatError('transient', code, { cause: err, reason: 'rate_limited', maybeDone: false })
        : new ChatError('rate_limited', code, { retryAfterMs, cause: err });
    }
    if (status >= 500 || status === 408 || status === 412 || status === 425) {
      // A 503 may say when to come back; honour it as a hint for the retry.
      const retryAfterMs = retryAfterMsFrom(e.response?.headers);
      return new ChatError('transient', code, {
        ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
        cause: err,
        reason: status === 408 ? 'timeout' : 'unavailable',
        // 412 (a concurrent update) and 425 are refused before anything is done; a 5xx or 408 may come after Teams acted.
        maybeDone: status !== 412 && status !== 425,
      });
    }
    if (status >= 400) return new ChatError('permanent', code, { cause: err, reason: reasonOf(code, status) });
    // A 2xx/3xx that still threw: the body could not be read. The action may have happened.
    return new ChatError('transient', 'invalid_response', { cause: err });
  }

  const network = networkFailure(err);
  if (network !== undefined) {
    return new ChatError('transient', network, { cause: err, reason: network === 'request_timeout' ? 'timeout' : 'unavailable', maybeDone: !NOT_CONNECTED_CODES.has(network) });
  }
  if (e.code === 'PARSE_ERROR') return new ChatError('transient', 'invalid_response', { cause: err });
  return new ChatError('transient', 'unexpected_error', { cause: err });
}
