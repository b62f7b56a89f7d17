import { ErrorCode } from '@slack/web-api';
import { ChatError } from '../../src/ports/chat.js';

/**
 * Platform error codes that no retry will fix: the channel, the token or the message itself is wrong.
 * Retrying them only delays the secretariat's alert, so the delivery fails at once.
 */
const PERMANENT_CODES = new Set([
  // The brief's list: the conversation or the bot's access to it is gone.
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'invalid_auth',
  'account_inactive',
  'token_revoked',
  'no_permission',
  'missing_scope',
  'restricted_action',
  'team_access_not_granted',
  'user_not_found',
  'cannot_dm_bot',
  'msg_too_long',
  'invalid_blocks',
  'no_text',
  // Same nature, as Slack also answers them for the methods this adapter calls.
  'not_authed',
  'token_expired',
  'ekm_access_denied',
  'org_login_required',
  'access_denied',
  'not_allowed_token_type',
  'restricted_action_read_only_channel',
  'restricted_action_thread_only_channel',
  'restricted_action_non_threadable_channel',
  'user_disabled',
  'user_not_visible',
  'invalid_arguments',
  'invalid_arg_name',
  'invalid_blocks_format',
  'invalid_attachments',
  'too_many_attachments',
  'invalid_metadata_format',
  'invalid_metadata_schema',
  'metadata_too_large',
  'message_not_found',
  'cant_update_message',
  'edit_window_closed',
  'method_deprecated',
  'deprecated_endpoint',
  'unknown_method',
]);

/*
 * Any other platform code (internal_error, fatal_error, service_unavailable, request_timeout, ratelimited, and codes
 * Slack adds later) is transient: the workflow retries it a bounded number of times. Failing a security advisory's
 * delivery on a code we do not recognise would be worse than a few wasted attempts.
 */

interface SlackLikeError {
  code?: unknown;
  retryAfter?: unknown;
  statusCode?: unknown;
  data?: { error?: unknown; response_metadata?: { retryAfter?: unknown } };
  original?: unknown;
  message?: unknown;
}

function secondsToMs(sec: unknown): number | undefined {
  return typeof sec === 'number' && Number.isFinite(sec) && sec >= 0 ? Math.round(sec * 1000) : undefined;
}

function isTimeout(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e !== null && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const { name, code } = e as { name?: unknown; code?: unknown };
    if (name === 'TimeoutError' || name === 'AbortError' || code === 'ETIMEDOUT' || code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
      return true;
    }
  }
  return false;
}

/**
 * Classifies a failure from @slack/web-api for the workflow: wait (rate_limited), retry (transient) or give up (permanent).
 *
 * Matched by the errors' `code` strings, not `instanceof`, so it still works if Bolt brings its own copy of the package.
 */
export function toChatError(err: unknown): ChatError {
  if (err instanceof ChatError) return err;
  if (err === null || typeof err !== 'object') return new ChatError('transient', 'unexpected_error', { cause: err });
  const e = err as SlackLikeError;

  switch (e.code) {
    case ErrorCode.RateLimitedError: {
      const retryAfterMs = secondsToMs(e.retryAfter);
      return new ChatError('rate_limited', 'rate_limited', { ...(retryAfterMs === undefined ? {} : { retryAfterMs }), cause: err });
    }
    case ErrorCode.PlatformError: {
      const code = typeof e.data?.error === 'string' && e.data.error !== '' ? e.data.error : 'platform_error';
      if (PERMANENT_CODES.has(code)) return new ChatError('permanent', code, { cause: err });
      const retryAfterMs = secondsToMs(e.data?.response_metadata?.retryAfter);
      return new ChatError('transient', code, { ...(retryAfterMs === undefined ? {} : { retryAfterMs }), cause: err });
    }
    case ErrorCode.HTTPError: {
      const status = typeof e.statusCode === 'number' ? e.statusCode : 0;
      const code = `http_${status}`;
      // 5xx and 408/425 are Slack or a proxy being unwell; any other status means the request itself is unacceptable.
      if (status >= 500 || status === 408 || status === 425 || status === 0) return new ChatError('transient', code, { cause: err });
      return new ChatError('permanent', code, { cause: err });
    }
    case ErrorCode.RequestError:
      return new ChatError('transient', isTimeout(e.original ?? err) ? 'request_timeout' : 'request_error', { cause: err });
    default:
      break;
  }

  // With rejectRateLimitedCalls, a 429 whose Retry-After the client cannot parse arrives as a plain Error.
  if (typeof e.message === 'string' && /rate limit|retry header/i.test(e.message)) {
    return new ChatError('rate_limited', 'rate_limited', { cause: err });
  }
  if (isTimeout(err)) return new ChatError('transient', 'request_timeout', { cause: err });
  return new ChatError('transient', 'unexpected_error', { cause: err });
}
