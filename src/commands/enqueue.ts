import { isBotError } from '../errors.js';
import type { Work } from '../ports/jobs.js';
import type { CoreDeps } from './deps.js';

/**
 * Hand work to the queue as a hint. The store already says the work is owed, so a queue that
 * cannot be reached loses nothing: the reconciler queues it when Redis is back. Returns whether
 * the work is queued now, so the person at the edge can be told plainly when it is not.
 *
 * Work whose job gave up is left to the reconciler and the workers' give-up handling (this is the
 * hot path; deciding what follows a give-up belongs in one place, commands/give-up.ts).
 */
export async function enqueue(deps: Pick<CoreDeps, 'jobs' | 'log'>, work: Work[], options?: { fresh?: boolean }): Promise<boolean> {
  if (work.length === 0) return true;
  try {
    const report = await deps.jobs.ensure(work, options);
    for (const g of report.gaveUp) {
      deps.log.warn({ work: g.work, reason: g.reason }, 'work asked for again after its job gave up; the reconciler settles it');
    }
    return true;
  } catch (err) {
    // The outage itself is logged once by the Redis monitor; this is one of many consequences.
    if (isBotError(err, 'QUEUE.UNAVAILABLE')) {
      deps.log.debug({ kinds: [...new Set(work.map((w) => w.kind))], count: work.length }, 'queue unavailable; work stays owed in the store');
      return false;
    }
    throw err;
  }
}

/** Clean-up only (the store decides what runs): a failure to drop a job is never the caller's problem. */
export async function dropQuietly(deps: Pick<CoreDeps, 'jobs' | 'log'>, work: Work): Promise<void> {
  try {
    await deps.jobs.drop(work);
  } catch (err) {
    deps.log.debug({ work, err: err instanceof Error ? err.message : String(err) }, 'could not drop a stale job; it will find nothing to do');
  }
}
