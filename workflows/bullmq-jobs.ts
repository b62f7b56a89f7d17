import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { JobScheduler } from '../src/ports/jobs.js';
import { QUEUE, RETRYING, assertJobId, jobId, type NotifyJob } from './queues.js';

/** The core's JobScheduler on BullMQ queues. */
export class BullmqJobs implements JobScheduler {
  readonly deliverQueue: Queue;
  readonly refreshQueue: Queue;
  readonly notifyQueue: Queue;

  constructor(connection: Redis, prefix: string) {
    const opts = { connection, prefix, defaultJobOptions: RETRYING };
    this.deliverQueue = new Queue(QUEUE.deliver, opts);
    this.refreshQueue = new Queue(QUEUE.refresh, opts);
    this.notifyQueue = new Queue(QUEUE.notify, opts);
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

  async close(): Promise<void> {
    await Promise.all([this.deliverQueue.close(), this.refreshQueue.close(), this.notifyQueue.close()]);
  }
}
