import { Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Core } from '../src/core.js';
import type { Logger } from '../src/log.js';
import { runChatJob } from './chat-job.js';
import { QUEUE, workOf, type DeliverJob, type EscalateJob, type NotifyJob, type RefreshJob } from './queues.js';
import type { RedisHealth } from './redis-health.js';

export interface WorkerSettings {
  prefix: string;
  concurrency: number;
  /** Ladder steps in parallel; default `concurrency`. */
  escalationConcurrency?: number;
  lockDuration: number;
  stalledInterval: number;
  /** How long close() lets running jobs finish before it stops waiting. */
  shutdownGraceMs: number;
}

export interface Workers {
  /** Stop taking jobs; let running ones finish within the grace period, then stop anyway. */
  close(): Promise<void>;
}

/**
 * The four processors and their event handlers. No queue has a limiter of its own: every call to a platform takes
 * its turn from the one shared pace (src/pace/paced-chat.ts, workflows/redis-pace.ts), whichever queue it runs in.
 */
function createWorkers(core: Core, connection: Redis, settings: WorkerSettings, log: Logger, health?: RedisHealth): Worker[] {
  const common = { connection, prefix: settings.prefix, lockDuration: settings.lockDuration, stalledInterval: settings.stalledInterval };

  const deliver = new Worker(
    QUEUE.deliver,
    async (job: Job<DeliverJob>, token?: string) => runChatJob(job, token, () => core.deliver(job.data.deliveryId)),
    { ...common, concurrency: settings.concurrency },
  );

  const refresh = new Worker(
    QUEUE.refresh,
    async (job: Job<RefreshJob>, token?: string) =>
      runChatJob<unknown>(job, token, () => {
        const data = job.data;
        if ('statusCard' in data) return core.refreshStatusCard(data.advisoryId);
        if ('digest' in data) return core.refreshAlertDigest(data.advisoryId, data.alert, data.wave);
        if ('board' in data) return core.refreshPhoneBoard(data.advisoryId);
        if ('taskId' in data) return core.refreshPhoneTask(data.taskId);
        if ('sync' in data) return core.syncDelivery(data.deliveryId);
        return core.refreshMessages(data.deliveryId);
      }),
    { ...common, concurrency: settings.concurrency },
  );

  const notify = new Worker(
    QUEUE.notify,
    async (job: Job<NotifyJob>, token?: string) =>
      runChatJob<unknown>(job, token, () => {
        const data = job.data;
        switch (data.kind) {
          case 'delivery_failed':
            return core.alertDeliveryFailed(data.deliveryId);
          case 'advisory_issued':
            return core.announceIssued(data.advisoryId);
          case 'advisory_closed':
            return core.tellClosing(data.advisoryId);
          case 'sync_advisory':
            return core.syncAdvisory(data.advisoryId);
          case 'archive':
            return core.archiveAdvisory(data.advisoryId);
        }
      }),
    { ...common, concurrency: 2 },
  );

  const escalate = new Worker(
    QUEUE.escalate,
    async (job: Job<EscalateJob>, token?: string) => runChatJob(job, token, () => core.runEscalationStep(job.data)),
    { ...common, concurrency: settings.escalationConcurrency ?? settings.concurrency },
  );

  const workers = [deliver, refresh, notify, escalate];
  for (const w of workers) {
    w.on('failed', (job, err) => {
      if (!job) return;
      const context = { queue: w.name, jobId: job.id, attemptsMade: job.attemptsMade, err: err.message };
      // finishedOn is set only when BullMQ gives the job up (no attempts left, or unrecoverable).
      if (job.finishedOn === undefined) {
        log.warn(context, 'job failed; it will be retried');
        return;
      }
      const work = workOf(w.name, job.data);
      if (!work) {
        log.error(context, 'a job of an unknown shape gave up');
        return;
      }
      log.warn(context, 'job gave up after its last attempt');
      core.giveUp(work, err.message).catch((giveUpErr: unknown) => {
        log.error({ ...context, giveUpErr }, 'could not settle a job that gave up; the reconciler will try again');
      });
    });
    w.on('error', (err) => (health ? health.noteError(err, `worker ${w.name}`) : log.error({ queue: w.name, err }, 'worker error')));
  }
  return workers;
}

/**
 * Start the processors. `connection` must have maxRetriesPerRequest: null (BullMQ blocks on it).
 * A job that fails for the last time is handed to the core's give-up path, so what it owed becomes
 * a failure the secretariat hears of; if that too fails, the reconciler finds the failed job later.
 *
 * When Redis comes back after an outage the workers are replaced by new ones. A worker's blocking
 * connection can stay wedged after a Redis restart (it reconnects, or seems to, but never fetches
 * again: BullMQ issues #4479, #4585) while jobs wait; seen here under load as a whole queue left
 * unworked. New workers get new blocking connections. The old ones are closed without waiting: a job
 * they were running is finished by them or, if they cannot, taken over once its lock expires (the
 * step ledger keeps a step from running twice).
 */
export function startWorkers(core: Core, connection: Redis, settings: WorkerSettings, log: Logger, health?: RedisHealth): Workers {
  let workers = createWorkers(core, connection, settings, log, health);
  let closing = false;
  const replace = () => {
    if (closing) return;
    const old = workers;
    workers = createWorkers(core, connection, settings, log, health);
    log.info({ workers: workers.length }, 'Redis is back: workers replaced with fresh connections');
    void Promise.all(old.map((w) => w.close(true))).catch((err: unknown) => log.debug({ err }, 'closing replaced workers'));
  };
  health?.on('recovered', replace);
  return {
    async close() {
      closing = true;
      health?.off('recovered', replace);
      let timer: NodeJS.Timeout | undefined;
      const graceful = Promise.all(workers.map((w) => w.close()));
      const late = new Promise<'late'>((resolve) => {
        timer = setTimeout(() => resolve('late'), settings.shutdownGraceMs);
      });
      const outcome = await Promise.race([graceful.then(() => 'done' as const), late]);
      clearTimeout(timer);
      if (outcome === 'late') {
        // The unfinished jobs stay in Redis and are taken over after their lock expires (and the
        // store's step ledger keeps any half-done step from happening twice). Forcing does not wait
        // for Redis either: with Redis down it may never answer.
        log.warn({ graceMs: settings.shutdownGraceMs }, 'jobs still running at shutdown (or Redis not answering); leaving them to be taken over');
        void Promise.all(workers.map((w) => w.close(true))).catch(() => undefined);
      }
    },
  };
}
