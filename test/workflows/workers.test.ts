/**
 * The worker pool's shape against a real Redis and real BullMQ workers: ladder steps run with their own
 * concurrency, deliveries with theirs. The core is a stand-in that holds every job until the test lets go, so
 * what the test counts is how many jobs each queue's worker runs at once.
 */
import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../src/core.js';
import { createLogger } from '../../src/log.js';
import { QUEUE } from '../../workflows/queues.js';
import { startWorkers, type Workers } from '../../workflows/workers.js';
import { eventually } from '../support/eventually.js';
import { deleteQueueKeys } from '../support/queue-keys.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `t-workers-${randomUUID().slice(0, 8)}`;

let redis: Redis;
let workers: Workers | undefined;
const queues: Queue[] = [];

/** A core whose deliveries and ladder steps wait until released, counting how many run at once. */
function holdingCore() {
  const running = { deliver: 0, escalate: 0 };
  const peak = { deliver: 0, escalate: 0 };
  const waiting: (() => void)[] = [];
  const hold = (kind: 'deliver' | 'escalate') => async () => {
    running[kind] += 1;
    peak[kind] = Math.max(peak[kind], running[kind]);
    await new Promise<void>((resolve) => waiting.push(resolve));
    running[kind] -= 1;
    return { outcome: 'already' };
  };
  const core = { deliver: hold('deliver'), runEscalationStep: hold('escalate') } as unknown as Core;
  return { core, running, peak, release: () => waiting.splice(0).forEach((go) => go()) };
}

async function addJobs(queue: string, count: number): Promise<void> {
  const q = new Queue(queue, { connection: redis, prefix });
  queues.push(q);
  await q.addBulk(Array.from({ length: count }, (_, i) => ({ name: 'job', data: { deliveryId: `d${i}` }, opts: { jobId: `job.${i}` } })));
}

beforeAll(() => {
  redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
});
afterEach(async () => {
  await workers?.close();
  workers = undefined;
  for (const q of queues.splice(0)) await q.close();
  await deleteQueueKeys(REDIS_URL, prefix);
});
afterAll(() => redis.disconnect());

const settings = { prefix, concurrency: 3, lockDuration: 30_000, stalledInterval: 30_000, shutdownGraceMs: 2_000 };

describe('workers', () => {
  it('runs ladder steps with their own concurrency, deliveries with theirs', async () => {
    const { core, running, peak, release } = holdingCore();
    workers = startWorkers(core, redis, { ...settings, escalationConcurrency: 7 }, createLogger('silent'));
    await addJobs(QUEUE.escalate, 12);
    await addJobs(QUEUE.deliver, 12);
    await eventually(async () => {
      expect(running).toEqual({ deliver: 3, escalate: 7 });
      return true;
    });
    release();
    // Released jobs make room for the rest, never more at once than each queue's own number.
    await eventually(async () => {
      release();
      expect(running).toEqual({ deliver: 0, escalate: 0 });
      return true;
    });
    expect(peak).toEqual({ deliver: 3, escalate: 7 });
  });

  it('runs ladder steps as deliveries run when no number of their own is given', async () => {
    const { core, running, release } = holdingCore();
    workers = startWorkers(core, redis, settings, createLogger('silent'));
    await addJobs(QUEUE.escalate, 6);
    await eventually(async () => {
      expect(running.escalate).toBe(3);
      return true;
    });
    release();
    await eventually(async () => {
      release();
      expect(running.escalate).toBe(0);
      return true;
    });
  });
});
