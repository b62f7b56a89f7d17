import { BotError, type ErrorCode } from '../errors.js';

const MAX_TRIES = 10;
/** First back-off ceiling; doubles on each lost race (5, 10, 20 … ms), with full jitter. */
const BACKOFF_BASE_MS = 5;

type Change<T> = { changed: true; next: T } | { changed: false; current: T };

export interface CasOptions<T = unknown> {
  /**
   * The record as the caller just read it: the first try decides from it instead of reading again (a delivery's job
   * read it a moment ago). Stale or not, the version check decides; a lost race reads afresh.
   */
  from?: T | undefined;
  /** Waits between lost races; injectable so unit tests need not sleep. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Read, apply a pure transition, compare-and-set; on a lost race wait a little and read again.
 * Two workers, two presses or two processes can race; the store's version check makes exactly one
 * win. The jittered back-off keeps a crowd of simultaneous writers (20 people pressing at once, on
 * several instances) from colliding again in lockstep: without it the loop can run out of tries
 * although every transition after the first is a no-op.
 */
export async function compareAndSet<T, C extends Change<T>>(
  what: { read: () => Promise<T | null>; save: (next: T) => Promise<boolean>; notFound: ErrorCode; id: string },
  decide: (current: T) => C,
  options: CasOptions<T> = {},
): Promise<C> {
  const sleep = options.sleep ?? realSleep;
  const random = options.random ?? Math.random;
  for (let i = 0; i < MAX_TRIES; i++) {
    if (i > 0) await sleep(Math.floor(random() * BACKOFF_BASE_MS * 2 ** (i - 1)));
    const current = i === 0 && options.from !== undefined ? options.from : await what.read();
    if (!current) throw new BotError(what.notFound, 'not found', { id: what.id });
    const t = decide(current);
    if (!t.changed) return t;
    if (await what.save(t.next)) return t;
  }
  throw new BotError('STORE.CONFLICT', 'kept changing under us', { id: what.id, tries: MAX_TRIES });
}
