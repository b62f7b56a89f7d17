import { BotError, ERROR_CODES, type ErrorCode } from '../../errors.js';

/** A call from the bot's thread to the store's: `method` is one of STORE_THREAD_METHODS. */
export interface StoreCall {
  id: number;
  method: string;
  args: unknown[];
}

/** The store thread's answer to one call: its value, or the error it threw. */
export type StoreAnswer = { id: number; value: unknown } | { id: number; error: ThrownError };

/** What the store thread says once, first: the file is open and migrated, or why not. */
export type StoreThreadReady = { ready: true } | { ready: false; error: ThrownError };

/**
 * An error as it crosses the threads. Structured cloning keeps an Error's message but drops its own fields, and the
 * callers read them: BotError's code and detail (STORE.CONFLICT), SQLite's code (SQLITE_BUSY, SQLITE_FULL).
 */
export interface ThrownError {
  name: string;
  message: string;
  stack?: string | undefined;
  code?: unknown;
  detail?: Record<string, unknown> | undefined;
}

export function toThrown(err: unknown): ThrownError {
  if (err instanceof BotError) return { name: err.name, message: err.message, stack: err.stack, code: err.code, detail: err.detail };
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return { name: err.name, message: err.message, stack: err.stack, ...(code === undefined ? {} : { code }) };
  }
  return { name: 'Error', message: String(err) };
}

/** The error again, on the caller's side: a BotError is a BotError (isBotError), any other keeps its name and code. */
export function fromThrown(t: ThrownError): Error {
  if (t.name === 'BotError' && (ERROR_CODES as readonly unknown[]).includes(t.code)) {
    // BotError prefixes its message with the code: give it back the message it was built with.
    const prefix = `${String(t.code)}: `;
    const message = t.message.startsWith(prefix) ? t.message.slice(prefix.length) : t.message;
    const err = new BotError(t.code as ErrorCode, message, t.detail ?? {});
    if (t.stack) err.stack = t.stack;
    return err;
  }
  const err = new Error(t.message) as Error & { code?: unknown };
  err.name = t.name;
  if (t.stack) err.stack = t.stack;
  if (t.code !== undefined) err.code = t.code;
  return err;
}
