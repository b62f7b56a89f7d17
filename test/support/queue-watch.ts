/**
 * Looks at a harness's BullMQ queues from the outside (its own Redis connection, the harness's
 * prefix), so a test can wait until the bot has nothing left to do before asserting that something
 * did NOT happen: "no second post", "no update" are only meaningful once every job has run.
 */
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';

export const QUEUE_NAMES = ['deliver', 'refresh', 'notify', 'escalate'] as const;
export type WatchedQueue = (typeof QUEUE_NAMES)[number];

/** Every state a job can be in before it has finished (completed or failed for good). */
const UNFINISHED = ['waiting', 'active', 'delayed', 'prioritized', 'waiting-children'] as const;

export interface QueueWatch {
  queue(name: WatchedQueue): Queue;
  /** Jobs not finished yet, by queue. */
  unfinished(names?: readonly WatchedQueue[]): Promise<Record<string, number>>;
  /**
   * Resolves once the named queues (default: deliver, refresh, notify) hold no unfinished job on two
   * looks in a row; rejects after timeoutMs with what was still there. The escalation queue is left
   * out by default: a ladder's delayed steps keep it busy for the ladder's whole length.
   */
  waitIdle(options?: { queues?: readonly WatchedQueue[]; timeoutMs?: number; description?: string }): Promise<void>;
  close(): Promise<void>;
}

export function watchQueues(redisUrl: string, prefix: string): QueueWatch {
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const queues = new Map<WatchedQueue, Queue>(QUEUE_NAMES.map((n) => [n, new Queue(n, { connection, prefix })]));
  const queue = (name: WatchedQueue): Queue => queues.get(name) as Queue;

  const unfinished = async (names: readonly WatchedQueue[] = QUEUE_NAMES): Promise<Record<string, number>> => {
    const out: Record<string, number> = {};
    for (const name of names) {
      const counts = await queue(name).getJobCounts(...UNFINISHED);
      out[name] = Object.values(counts).reduce((a, b) => a + b, 0);
    }
    return out;
  };

  return {
    queue,
    unfinished,
    async waitIdle(options = {}) {
      const names = options.queues ?? ['deliver', 'refresh', 'notify'];
      const deadline = Date.now() + (options.timeoutMs ?? 15_000);
      let quietLooks = 0;
      let last: Record<string, number> = {};
      for (;;) {
        last = await unfinished(names);
        quietLooks = Object.values(last).every((n) => n === 0) ? quietLooks + 1 : 0;
        if (quietLooks >= 2) return;
        if (Date.now() > deadline) {
          throw new Error(`queues not idle in time${options.description ? ` (${options.description})` : ''}: ${JSON.stringify(last)}`);
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async close() {
      await Promise.all([...queues.values()].map((q) => q.close()));
      connection.disconnect();
    },
  };
}
