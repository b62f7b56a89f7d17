import { DelayedError, UnrecoverableError, type Job } from 'bullmq';
import { ChatError } from '../src/ports/chat.js';
import { isBotError } from '../src/errors.js';

/**
 * Turn the core's failures into BullMQ's vocabulary:
 * - rate limited, a ladder step whose lease another run holds, or an announced drill whose window has
 *   not started: only this job waits (for the time the platform asked, until the lease ends, or until
 *   the window; moveToDelayed), the queue's other jobs go on; it does not count as an attempt;
 * - permanent chat errors and missing records: UnrecoverableError, no retry;
 * - anything else: thrown as is, retried with backoff.
 */
export async function runChatJob<T>(job: Job, token: string | undefined, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof ChatError && err.kind === 'rate_limited') {
      const waitMs = Math.max(1_000, err.retryAfterMs ?? 1_000);
      await job.moveToDelayed(Date.now() + waitMs, token);
      throw new DelayedError(`rate limited (${err.code}); waiting ${waitMs} ms`);
    }
    if (isBotError(err, 'DRILL.NOT_STARTED')) {
      // An announced drill waits for its window: only this job, and it does not count as an attempt.
      const retryAfter = Number(err.detail['retryAfterMs']);
      const waitMs = Number.isFinite(retryAfter) ? Math.max(250, retryAfter) : 1_000;
      await job.moveToDelayed(Date.now() + waitMs, token);
      throw new DelayedError(`drill window not started; waiting ${waitMs} ms`);
    }
    if (isBotError(err, 'STEP.BUSY')) {
      const retryAfter = Number(err.detail['retryAfterMs']);
      const waitMs = Number.isFinite(retryAfter) ? Math.max(250, retryAfter) : 1_000;
      await job.moveToDelayed(Date.now() + waitMs, token);
      throw new DelayedError(`step held by another run; waiting ${waitMs} ms`);
    }
    if (err instanceof ChatError && err.kind === 'permanent') {
      throw new UnrecoverableError(`permanent chat error: ${err.code}`);
    }
    if (isBotError(err, 'DELIVERY.NOT_FOUND') || isBotError(err, 'ADVISORY.NOT_FOUND') || isBotError(err, 'PHONE.NOT_FOUND')) {
      throw new UnrecoverableError(err.message);
    }
    throw err;
  }
}
