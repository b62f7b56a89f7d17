import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Core } from '../src/core.js';
import type { Logger } from '../src/log.js';
import { runChatJob } from './chat-job.js';
import { QUEUE, type EscalateJob, type NotifyJob } from './queues.js';

export interface WorkerSettings {
  prefix: string;
  /** Posts per second across every worker process (BullMQ's limiter is global). */
  ratePerSecond: number;
  concurrency: number;
  lockDuration: number;
  stalledInterval: number;
}

export interface Workers {
  close(): Promise<void>;
}

/** Start the processors. `connection` must have maxRetriesPerRequest: null (BullMQ blocks on it). */
export function startWorkers(core: Core, connection: Redis, settings: WorkerSettings, log: Logger): Workers {
  const common = { connection, prefix: settings.prefix, lockDuration: settings.lockDuration, stalledInterval: settings.stalledInterval };

  const deliver = new Worker(
    QUEUE.deliver,
    async (job: Job<{ deliveryId: string }>, token?: string) =>
      runChatJob(job, token, async () => {
        const result = await core.deliver(job.data.deliveryId);
        if (result.outcome === 'failed') throw new UnrecoverableError(`delivery failed: ${result.code}`);
        return result;
      }),
    { ...common, concurrency: settings.concurrency, limiter: { max: settings.ratePerSecond, duration: 1_000 } },
  );

  const refresh = new Worker(
    QUEUE.refresh,
    async (job: Job<{ deliveryId: string } | { taskId: string }>, token?: string) =>
      runChatJob(job, token, () => ('taskId' in job.data ? core.refreshPhoneTask(job.data.taskId) : core.refreshMessages(job.data.deliveryId))),
    { ...common, concurrency: settings.concurrency, limiter: { max: settings.ratePerSecond, duration: 1_000 } },
  );

  const notify = new Worker(
    QUEUE.notify,
    async (job: Job<NotifyJob>, token?: string) =>
      runChatJob(job, token, () =>
        job.data.kind === 'delivery_failed' ? core.alertDeliveryFailed(job.data.deliveryId) : core.announceIssued(job.data.advisoryId),
      ),
    { ...common, concurrency: 2 },
  );

  const escalate = new Worker(
    QUEUE.escalate,
    async (job: Job<EscalateJob>, token?: string) => runChatJob(job, token, () => core.runEscalationStep(job.data)),
    { ...common, concurrency: settings.concurrency },
  );

  const workers = [deliver, refresh, notify, escalate];
  for (const w of workers) {
    w.on('failed', (job, err) => {
      // A DelayedError is a wait, not a failure; BullMQ does not emit 'failed' for it.
      log.warn({ queue: w.name, jobId: job?.id, attemptsMade: job?.attemptsMade, err: err.message }, 'job failed');
    });
    w.on('error', (err) => log.error({ queue: w.name, err }, 'worker error'));
  }
  return {
    async close() {
      await Promise.all(workers.map((w) => w.close()));
    },
  };
}
