import { BotError, type ErrorCode } from '../errors.js';

const MAX_TRIES = 8;

type Change<T> = { changed: true; next: T } | { changed: false; current: T };

/**
 * Read, apply a pure transition, compare-and-set; on a lost race read again and re-decide.
 * Two workers or two presses can race; the store's version check makes exactly one win.
 */
export async function compareAndSet<T, C extends Change<T>>(
  what: { read: () => Promise<T | null>; save: (next: T) => Promise<boolean>; notFound: ErrorCode; id: string },
  decide: (current: T) => C,
): Promise<C> {
  for (let i = 0; i < MAX_TRIES; i++) {
    const current = await what.read();
    if (!current) throw new BotError(what.notFound, 'not found', { id: what.id });
    const t = decide(current);
    if (!t.changed) return t;
    if (await what.save(t.next)) return t;
  }
  throw new BotError('STORE.CONFLICT', 'kept changing under us', { id: what.id });
}
