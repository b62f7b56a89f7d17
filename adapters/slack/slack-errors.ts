import { ErrorCode } from '@slack/web-api';
import { ChatError, type FailureReason } from '../../src/ports/chat.js';

/**
 * Platform error codes that no retry will fix (the channel, the token or the message itself is wrong),
 * with the core's reason for each. Retrying them only delays the secretariat's alert, so the delivery
 * fails at once.
 */
const PERMANENT_CODES: Readonly<Record<string, FailureReason>> = {
  channel_not_found: 'channel_gone',
  not_in_channel: 'not_in_channel',
  is_archived: 'archived',
  invalid_auth: 'auth',
  account_inactive: 'auth',
  token_revoked: 'auth',
  not_authed: 'auth',
  token_expired: 'auth',
  no_permission: 'forbidden',
  missing_scope: 'forbidden',
  restricted_action: 'forbidden',
  team_access_not_granted: 'forbidden',
  ekm_access_denied: 'forbidden',
  org_login_required: 'forbidden',
  access_denied: 'forbidden',
  not_allowed_token_type: 'forbidden',
  restricted_action_read_only_channel: 'forbidden',
  restricted_action_thread_only_channel: 'forbidden',
  restricted_action_non_threadable_channel: 'forbidden',
  user_not_found: 'recipient_unreachable',
  cannot_dm_bot: 'recipient_unreachable',
  user_disabled: 'recipient_unreachable',
  user_not_visible: 'recipient_unreachable',
  msg_too_long: 'too_large',
  metadata_too_large: 'too_large',
  too_many_attachments: 'too_large',
  invalid_blocks: 'invalid_message',
  no_text: 'invalid_message',
  invalid_arguments: 'invalid_message',
  invalid_arg_name: 'invalid_message',
  invalid_blocks_format: 'invalid_message',
  invalid_attachments: 'invalid_message',
  invalid_metadata_format: 'invalid_message',
  invalid_metadata_schema: 'invalid_message',
  method_deprecated: 'invalid_message',
  deprecated_endpoint: 'invalid_message',
  unknown_method: 'invalid_message',
  // files.getUploadURLExternal / files.completeUploadExternal (files.uploadV2): a picture the workspace will not take.
  invalid_channel: 'channel_gone',
  file_uploads_disabled: 'forbidden',
  file_uploads_except_images_disabled: 'forbidden',
  file_type_not_allowed: 'forbidden',
  posting_to_general_channel_denied: 'forbidden',
  storage_limit_reached: 'forbidden',
  file_upload_size_restricted: 'too_large',
  alt_txt_too_large: 'too_large',
  file_not_found: 'invalid_message',
  message_not_found: 'message_gone',
  cant_update_message: 'message_gone',
  edit_window_closed: 'message_gone',
};

function permanentReason(code: string): FailureReason | undefined {
  return Object.hasOwn(PERMANENT_CODES, code) ? PERMANENT_CODES[code] : undefined;
}

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

/**
 * ok:false codes after which Slack may still have done part of the call ("It's possible some aspect of the
 * operation succeeded before the error was raised", for fatal_error); every other ok:false answer did nothing.
 */
const MAYBE_DONE_CODES = new Set(['fatal_error', 'internal_error', 'request_timeout']);

/** Socket errors raised before the request could be sent: Slack never saw it. */
const NOT_CONNECTED_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH']);

function neverConnected(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e !== null && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const { code } = e as { code?: unknown };
    if (typeof code === 'string' && NOT_CONNECTED_CODES.has(code)) return true;
  }
  return false;
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
      const reason = permanentReason(code);
      if (reason) return new ChatError('permanent', code, { cause: err, reason });
      const retryAfterMs = secondsToMs(e.data?.response_metadata?.retryAfter);
      return new ChatError('transient', code, {
        ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
        cause: err,
        reason: code === 'request_timeout' ? 'timeout' : 'unavailable',
        maybeDone: MAYBE_DONE_CODES.has(code),
      });
    }
    case ErrorCode.HTTPError: {
      const status = typeof e.statusCode === 'number' ? e.statusCode : 0;
      const code = `http_${status}`;
      // 5xx and 408/425 are Slack or a proxy being unwell; any other status means the request itself is unacceptable.
      if (status === 408) return new ChatError('transient', code, { cause: err, reason: 'timeout' });
      // 425 Too Early is refused before anything is done; a 5xx may come from a proxy after Slack acted.
      if (status === 425) return new ChatError('transient', code, { cause: err, maybeDone: false });
      if (status >= 500 || status === 0) return new ChatError('transient', code, { cause: err });
      return new ChatError('permanent', code, { cause: err, reason: status === 401 ? 'auth' : status === 403 ? 'forbidden' : status === 413 ? 'too_large' : 'invalid_message' });
    }
    // filesUploadV2 refused its own arguments, or could not read the bytes: nothing reached Slack.
    case ErrorCode.FileUploadInvalidArgumentsError:
    case ErrorCode.FileUploadReadFileDataError:
      return new ChatError('permanent', String(e.code), { cause: err, reason: 'invalid_message', maybeDone: false });
    case ErrorCode.RequestError:
      return isTimeout(e.original ?? err)
        ? new ChatError('transient', 'request_timeout', { cause: err, reason: 'timeout' })
        : new ChatError('transient', 'request_error', { cause: err, maybeDone: !neverConnected(e.original ?? err) });
    default:
      break;
  }

  // With rejectRateLimitedCalls, a 429 whose Retry-After the client cannot parse arrives as a plain Error.
  if (typeof e.message === 'string' && /rate limit|retry header/i.test(e.message)) {
    return new ChatError('rate_limited', 'rate_limited', { cause: err });
  }
  if (isTimeout(err)) return new ChatError('transient', 'request_timeout', { cause: err, reason: 'timeout' });
  return new ChatError('transient', 'unexpected_error', { cause: err });
}
