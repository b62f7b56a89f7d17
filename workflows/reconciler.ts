import type { Core } from '../src/core.js';
import { isBotError } from '../src/errors.js';
import type { Logger } from '../src/log.js';
import type { RedisHealth } from './redis-health.js';

export interface Reconciler {
  /** Reconcile now (or right after the run in progress). */
  run(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Drives the core's reconcile(): at start-up, every `everyMs` (±10 %, so several processes spread
 * out), and at once when Redis comes back after an outage. A timer in each process rather than a
 * BullMQ job scheduler: a scheduler lives in Redis, and a Redis that lost its data would have lost
 * the very thing that is meant to repair it. Reconciling twice is harmless, so processes need no lock.
 */
export function startReconciler(core: Core, health: RedisHealth, everyMs: number, log: Logger): Reconciler {
  let running: Promise<void> | undefined;
  let again = false;
  let closed = false;
  let timer: NodeJS.Timeout | undefined;

  const once = async () => {
    try {
      await core.reconcile();
    } catch (err) {
      // Redis went away mid-run: the 'recovered' event brings us back.
      if (isBotError(err, 'QUEUE.UNAVAILABLE')) log.debug({ err: err.message }, 'reconciliation stopped: queue unavailable');
      else log.error({ err }, 'reconciliation failed; trying again at the next interval');
    }
  };

  const run = (): Promise<void> => {
    if (closed) return Promise.resolve();
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        if (health.up) await once();
      } while (again && !closed);
    })().finally(() => {
      running = undefined;
    });
    return running;
  };

  const schedule = () => {
    if (closed) return;
    const jitter = everyMs * 0.1 * (Math.random() * 2 - 1);
    timer = setTimeout(() => {
      void run().finally(schedule);
    }, everyMs + jitter);
  };
  schedule();
  const onRecovered = () => void run();
  health.on('recovered', onRecovered);

  return {
    run,
    async close() {
      closed = true;
      clearTimeout(timer);
      health.off('recovered', onRecovered);
      await running;
    },
  };
}
