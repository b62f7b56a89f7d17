import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Clock } from '../src/clock.js';
import { stepKey, type StepKind } from '../src/domain/escalation.js';
import type { JobScheduler } from '../src/ports/jobs.js';
import { QUEUE, RETRYING, assertJobId, jobId, type EscalateJob, type NotifyJob } from './queues.js';

/** The core's JobScheduler on BullMQ queues. */
export class BullmqJobs implements JobScheduler {
  readonly deliverQueue: Queue;
  readonly refreshQueue: Queue;
  readonly notifyQueue: Queue;
  readonly escalateQueue: Queue;

  /** `clock` turns the core's absolute step times into BullMQ's delays. */
  constructor(connection: Redis, prefix: string, private readonly clock: Clock) {
    const opts = { connection, prefix, defaultJobOptions: RETRYING };
    this.deliverQueue = new Queue(QUEUE.deliver, opts);
    this.refreshQueue = new Queue(QUEUE.refresh, opts);
    this.notifyQueue = new Queue(QUEUE.notify, opts);
    this.escalateQueue = new Queue(QUEUE.escalate, opts);
  }

  async deliver(deliveryIds: string[]): Promise<void> {
    // addBulk keeps one round trip per batch; 1,800 members is one call, not 1,800.
    const CHUNK = 500;
    for (let i = 0; i < deliveryIds.length; i += CHUNK) {
      await this.deliverQueue.addBulk(
        deliveryIds.slice(i, i + CHUNK).map((id) => ({
          name: 'deliver',
          data: { deliveryId: id },
          opts: { jobId: assertJobId(jobId.deliver(id)) },
        })),
      );
    }
  }

  async refreshMessages(deliveryId: string, revision: number): Promise<void> {
    await this.refreshQueue.add('refresh', { deliveryId }, { jobId: assertJobId(jobId.refresh(deliveryId, revision)) });
  }

  async alertDeliveryFailed(deliveryId: string): Promise<void> {
    const data: NotifyJob = { kind: 'delivery_failed', deliveryId };
    await this.notifyQueue.add('notify', data, { jobId: assertJobId(jobId.alertFailed(deliveryId)) });
  }

  async announceIssued(advisoryId: string): Promise<void> {
    const data: NotifyJob = { kind: 'advisory_issued', advisoryId };
    await this.notifyQueue.add('notify', data, { jobId: assertJobId(jobId.announce(advisoryId)) });
  }

  async scheduleEscalation(step: { deliveryId: string; token: string; kind: StepKind; index: number; at: Date; now?: boolean }): Promise<void> {
    const data: EscalateJob = { deliveryId: step.deliveryId, token: step.token, kind: step.kind, index: step.index };
    const delay = Math.max(0, step.at.getTime() - this.clock.now().getTime());
    await this.escalateQueue.add(step.kind, data, {
      jobId: assertJobId(jobId.escalate(step.deliveryId, step.token, stepKey(step), step.now)),
      delay,
    });
  }

  async dropEscalation(deliveryId: string, token: string, steps: { kind: StepKind; index: number }[]): Promise<void> {
    for (const step of steps) {
      for (const now of [false, true]) {
        const job = await this.escalateQueue.getJob(jobId.escalate(deliveryId, token, stepKey(step), now));
        // Only waiting or delayed jobs go; one running now sees the stale token and does nothing.
        if (job && ((await job.isDelayed()) || (await job.isWaiting()))) await job.remove();
      }
    }
  }

  async refreshPhoneTask(taskId: string, revision: number): Promise<void> {
    await this.refreshQueue.add('phone', { taskId }, { jobId: assertJobId(jobId.refreshPhone(taskId, revision)) });
  }

  async close(): Promise<void> {
    await Promise.all([this.deliverQueue.close(), this.refreshQueue.close(), this.notifyQueue.close(), this.escalateQueue.close()]);
  }
}
