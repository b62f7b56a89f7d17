/**
 * Coded errors. The code picks the message shown to the person at the edge (see i18n);
 * `detail` carries context for the log and must never hold secrets.
 */
export const ERROR_CODES = [
  'ADVISORY.NOT_FOUND',
  'ADVISORY.INVALID',
  'ADVISORY.CLOSED',
  /** Withdrawn: nothing more can be added to or changed in it. */
  'ADVISORY.WITHDRAWN',
  /** An export link not signed by this bot (altered, or from another installation). */
  'EXPORT.LINK_INVALID',
  /** An export link past its time: ask for a new one. */
  'EXPORT.LINK_EXPIRED',
  'AUTH.NOT_SECRETARIAT',
  'AUTH.NOT_ONCALL',
  'DELIVERY.NOT_FOUND',
  'DELIVERY.NOT_YOURS',
  /** The press asks to acknowledge a round that a later follow-up replaced: acknowledge that one. */
  'DELIVERY.ROUND_ENDED',
  'PHONE.NOT_FOUND',
  'PHONE.NOT_YOURS',
  'PHONE.CLAIMED_BY_OTHER',
  'PHONE.CLOSED',
  'PHONE.NOT_CLAIMED',
  /** A "reached" press names no contact of the member as the directory has them now (out of date, or not ours). */
  'PHONE.UNKNOWN_CONTACT',
  'DIRECTORY.INVALID',
  'DIRECTORY.UNKNOWN_TARGET',
  'CONFIG.INVALID',
  'CHAT.UNAVAILABLE',
  'STORE.CONFLICT',
  /** The job queue (Redis) cannot be reached now: what was stored stays owed, the reconciler queues it later. */
  'QUEUE.UNAVAILABLE',
  /** Another run holds this escalation step's lease: try again when it ends (detail.retryAfterMs). */
  'STEP.BUSY',
  /** An announced drill's window has not started: its copies and the secretariat's card wait (detail.retryAfterMs). */
  'DRILL.NOT_STARTED',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export class BotError extends Error {
  readonly code: ErrorCode;
  readonly detail: Record<string, unknown>;
  constructor(code: ErrorCode, message: string, detail: Record<string, unknown> = {}, options?: ErrorOptions) {
    super(`${code}: ${message}`, options);
    this.name = 'BotError';
    this.code = code;
    this.detail = detail;
  }
}

export function isBotError(err: unknown, code?: ErrorCode): err is BotError {
  return err instanceof BotError && (code === undefined || err.code === code);
}
