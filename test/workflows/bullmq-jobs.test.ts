/**
 * The queue side of "the store is the truth": BullmqJobs.ensure on a real Redis. BullMQ silently
 * ignores an add whose id exists, so ensure must look first and decide: leave, bring forward, queue
 * again, report a give-up, or replace a job whose id carries different work.
 */
import { randomUUID } from 'node:crypto';
import { Queue, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/clock.js';
import { isBotError } from '../../src/errors.js';
import { createLogger } from '../../src/log.js';
import type { Work } from '../../src/ports/jobs.js';
import { BullmqJobs } from '../../workflows/bullmq-jobs.js';
import { jobSpec, QUEUE, workOf } from '../../workflows/queues.js';
import { connectRedis, producerOptions, RedisHealth } from '../../workflows/redis-health.js';
import { REDIS_URL } from '../support/bot-harness.js';
import { eventually } from '../support/eventually.js';
import { startTestRedis } from '../support/redis-server.js';

const log = createLogger('silent');
const deliver = (deliveryId: string, scope = 'uS1'): Work => ({ kind: 'deliver', scope, deliveryId });
const refresh = (deliveryId: string, revision: number, scope = 'uS1'): Work => ({ kind: 'refresh', scope, deliveryId, revision });
const step = (deliveryId: string, at: Date): Work => ({ kind: 'step', deliveryId, token: 'ktok', step: 'phone', index: 0, at });

describe('job ids and work', () => {
  it('puts the advisory scope (or the ladder token) in every id, and reads the work back from the job', () => {
    const at = new Date('2026-12-01T00:00:00Z');
    const all: Work[] = [
      deliver('ADV-2026-0001.jma.slack-C1'),
      { kind: 'failure-alert', scope: 'uS1', deliveryId: 'ADV-2026-0001.jma.slack-C1' },
      { kind: 'announce', scope: 'uS1', advisoryId: 'ADV-2026-0001' },
      refresh('ADV-2026-0001.jma.slack-C1', 2),
      { kind: 'refresh-phone', scope: 'uS1', taskId: 'ADV-2026-0001.jma.slack-C1.phone', revision: 3 },
      { kind: 'status-card', scope: 'uS1', advisoryId: 'ADV-2026-0001', at },
      { kind: 'closing', scope: 'uS1', advisoryId: 'ADV-2026-0001', closing: 1 },
      { kind: 'closing', scope: 'uS1', advisoryId: 'ADV-2026-0001', closing: 2 },
      { kind: 'archive', scope: 'uS1', advisoryId: 'ADV-2026-0001', attempt: 0, closing: 2 },
    ];
    for (const w of all) {
      const spec = jobSpec(w);
      expect(spec.id).toContain('.uS1.');
      expect(jobSpec({ ...w, scope: 'uS2' } as Work).id).not.toBe(spec.id);
      expect(workOf(spec.queue, spec.data)).toEqual(w);
    }
    // The status card's interval is in its id and it runs at the interval's end; the next interval is a new job.
    const card = jobSpec({ kind: 'status-card', scope: 'uS1', advisoryId: 'ADV-2026-0001', at });
    expect(card).toMatchObject({ queue: QUEUE.refresh, id: `status-card.uS1.ADV-2026-0001.t${at.getTime()}`, at });
    expect(jobSpec({ kind: 'status-card', scope: 'uS1', advisoryId: 'ADV-2026-0001', at: new Date(at.getTime() + 5_000) }).id).not.toBe(card.id);
    // A first closing keeps the ids it always had; a later one (reopened by a follow-up) has its own.
    expect(jobSpec({ kind: 'closing', scope: 'uS1', advisoryId: 'A', closing: 1 }).id).toBe('closing.uS1.A');
    expect(jobSpec({ kind: 'closing', scope: 'uS1', advisoryId: 'A', closing: 2 }).id).toBe('closing.uS1.A.c2');
    expect(jobSpec({ kind: 'archive', scope: 'uS1', advisoryId: 'A', attempt: 1, closing: 1 }).id).toBe('archive.uS1.A.a1');
    expect(jobSpec({ kind: 'archive', scope: 'uS1', advisoryId: 'A', attempt: 1, closing: 3 }).id).toBe('archive.uS1.A.c3.a1');
    // Jobs queued before advisories could reopen read back as the first closing.
    expect(workOf(QUEUE.notify, { kind: 'advisory_closed', scope: 'uS1', advisoryId: 'A' })).toEqual({ kind: 'closing', scope: 'uS1', advisoryId: 'A', closing: 1 });
    const s = jobSpec(step('D1', at));
    expect(s).toMatchObject({ queue: QUEUE.escalate, id: 'esc.D1.ktok.phone', at });
    expect(workOf(s.queue, s.data)).toMatchObject({ kind: 'step', deliveryId: 'D1', token: 'ktok', step: 'phone', index: 0 });
    expect(workOf(QUEUE.deliver, { deliveryId: 'x' })).toBeNull();
    expect(workOf('elsewhere', { scope: 'u', deliveryId: 'x' })).toBeNull();
  });
});

describe('BullmqJobs.ensure on a real Redis', () => {
  let redis: Redis;
  let jobs: BullmqJobs;
  let prefix: string;
  const errors: unknown[] = [];
  const spyLog = createLogger('silent');
  spyLog.error = ((obj: unknown) => {
    errors.push(obj);
  }) as typeof spyLog.error;

  beforeEach(async () => {
    prefix = `t-${randomUUID().slice(0, 8)}`;
    redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
    jobs = new BullmqJobs(redis, prefix, systemClock, spyLog, undefined, { attempts: 1, backoffMs: 10 });
    errors.length = 0;
  });
  afterEach(async () => {
    await jobs.close();
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  /** Run one queue's jobs through `process` until none is left waiting. */
  async function work(queue: string, process: (job: Job) => Promise<unknown>): Promise<void> {
    const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    const worker = new Worker(queue, process, { connection, prefix, drainDelay: 1 });
    const q = new Queue(queue, { connection: redis, prefix });
    try {
      await eventually(async () => {
        const c = await q.getJobCounts('waiting', 'active', 'prioritized', 'completed', 'failed');
        return (c['waiting'] ?? 0) + (c['active'] ?? 0) + (c['prioritized'] ?? 0) === 0 && (c['completed'] ?? 0) + (c['failed'] ?? 0) > 0;
      });
    } finally {
      await worker.close(true);
      await q.close();
      connection.disconnect();
    }
  }

  it('queues what is missing once, however often it is asked', async () => {
    expect(await jobs.ensure([deliver('D1'), deliver('D2')])).toMatchObject({ queued: 2, pending: 0, restarted: 0, gaveUp: [] });
    expect(await jobs.ensure([deliver('D1'), deliver('D2'), deliver('D3')])).toMatchObject({ queued: 1, pending: 2 });
    expect(await jobs.queues.deliver.getWaitingCount()).toBe(3);
  });

  it('queues owed work again when its job finished without it; leaves a finished refresh alone', async () => {
    await jobs.ensure([deliver('D1'), refresh('D1', 1)]);
    await work(QUEUE.deliver, async () => 'done');
    await work(QUEUE.refresh, async () => 'done');
    expect(await jobs.ensure([deliver('D1'), refresh('D1', 1)])).toMatchObject({ queued: 0, restarted: 1, pending: 1 });
    expect(await jobs.queues.deliver.getWaitingCount()).toBe(1);
    expect(await jobs.queues.refresh.getWaitingCount()).toBe(0);
  });

  it('reports a job that used up its attempts as given up, with its reason, and does not queue it again', async () => {
    await jobs.ensure([deliver('D9')]);
    await work(QUEUE.deliver, async () => {
      throw new Error('slack kept failing');
    });
    const report = await jobs.ensure([deliver('D9')]);
    expect(report).toMatchObject({ queued: 0, restarted: 0, pending: 0 });
    expect(report.gaveUp).toEqual([{ work: deliver('D9'), reason: 'slack kept failing' }]);
    expect(await jobs.queues.deliver.getWaitingCount()).toBe(0);
  });

  it('replaces a waiting job whose id carries other work, and says so at error level', async () => {
    const spec = jobSpec(deliver('D5'));
    await jobs.queues.deliver.add('deliver', { scope: 'uOTHER', deliveryId: 'D5' }, { jobId: spec.id });
    expect(await jobs.ensure([deliver('D5')])).toMatchObject({ restarted: 1 });
    expect((await jobs.queues.deliver.getJob(spec.id))?.data).toEqual({ scope: 'uS1', deliveryId: 'D5' });
    expect(errors).toHaveLength(1);
  });

  it('brings a delayed step forward when it is owed sooner, and leaves it when it is owed later', async () => {
    const later = new Date(Date.now() + 3_600_000);
    await jobs.ensure([step('D7', later)]);
    const id = jobSpec(step('D7', later)).id;
    expect(await jobs.queues.escalate.getJobState(id)).toBe('delayed');
    await jobs.ensure([step('D7', new Date(Date.now() + 7_200_000))]);
    expect(await jobs.queues.escalate.getJobState(id)).toBe('delayed');
    expect(await jobs.ensure([step('D7', new Date())])).toMatchObject({ pending: 1, queued: 0 });
    await eventually(async () => (await jobs.queues.escalate.getJobState(id)) === 'waiting', { description: 'brought forward' });
  });

  it('drops a delayed step, and only that one', async () => {
    const at = new Date(Date.now() + 60_000);
    await jobs.ensure([step('D8', at), step('D9', at)]);
    await jobs.drop(step('D8', at));
    expect(await jobs.queues.escalate.getJob(jobSpec(step('D8', at)).id)).toBeUndefined();
    expect(await jobs.queues.escalate.getJob(jobSpec(step('D9', at)).id)).toBeDefined();
  });

  const card = (advisoryId: string, inMs: number): Work => ({ kind: 'status-card', scope: 'uS1', advisoryId, at: new Date(Date.now() + inMs) });

  it('does not look up again a status card due within 30 s that it has just seen waiting: one round trip per interval, not per delivery', async () => {
    const soon = card('ADV-2026-0011', 10_000);
    expect(await jobs.ensure([soon])).toMatchObject({ queued: 1 });
    const id = jobSpec(soon).id;
    // Removed behind its back: within the horizon, this process still counts it as waiting…
    await jobs.queues.refresh.remove(id);
    expect(await jobs.ensure([soon])).toMatchObject({ queued: 0, pending: 1 });
    expect(await jobs.queues.refresh.getJob(id)).toBeUndefined();
    // …but one due later than the horizon is looked up every time, and queued again.
    const later = card('ADV-2026-0012', 120_000);
    await jobs.ensure([later]);
    await jobs.queues.refresh.remove(jobSpec(later).id);
    expect(await jobs.ensure([later])).toMatchObject({ queued: 1 });
  });

  it('work the store owes is always looked up: a ladder step lost with Redis is queued again at once', async () => {
    const soon = step('D11', new Date(Date.now() + 10_000));
    await jobs.ensure([soon]);
    await jobs.queues.escalate.remove(jobSpec(soon).id);
    expect(await jobs.ensure([soon])).toMatchObject({ queued: 1 });
  });

  it('a card it has seen is looked up again once it is due, or after it was dropped', async () => {
    const due = card('ADV-2026-0013', 900);
    await jobs.ensure([due]);
    await jobs.queues.refresh.remove(jobSpec(due).id);
    // Due within a second (clock noise): never remembered.
    expect(await jobs.ensure([due])).toMatchObject({ queued: 1 });
    const d = card('ADV-2026-0014', 20_000);
    await jobs.ensure([d]);
    await jobs.drop(d);
    expect(await jobs.ensure([d])).toMatchObject({ queued: 1 });
  });

  it('adds fresh work without looking for a job of its id first', async () => {
    const at = new Date(Date.now() + 60_000);
    const lookups: string[] = [];
    const getJob = jobs.queues.escalate.getJob.bind(jobs.queues.escalate);
    jobs.queues.escalate.getJob = async (id: string) => {
      lookups.push(id);
      return getJob(id);
    };
    expect(await jobs.ensure([step('D15', at)], { fresh: true })).toEqual({ queued: 1, pending: 0, restarted: 0, gaveUp: [] });
    expect(lookups).toEqual([]);
    expect(await jobs.queues.escalate.getJobState(jobSpec(step('D15', at)).id)).toBe('delayed');
    // Asked for again without `fresh`: looked for, found, left alone.
    expect(await jobs.ensure([step('D15', at)])).toMatchObject({ queued: 0, pending: 1 });
    expect(lookups).toEqual([jobSpec(step('D15', at)).id]);
  });

  it('leaves a running job alone: it holds its lock, and finds the record owes it nothing', async () => {
    await jobs.ensure([deliver('D10')]);
    const id = jobSpec(deliver('D10')).id;
    const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const worker = new Worker(QUEUE.deliver, () => held, { connection, prefix, drainDelay: 1 });
    try {
      await eventually(async () => (await jobs.queues.deliver.getJobState(id)) === 'active', { description: 'the job running' });
      await jobs.drop(deliver('D10'));
      expect(await jobs.queues.deliver.getJobState(id)).toBe('active');
      release();
      await eventually(async () => (await jobs.queues.deliver.getJobState(id)) === 'completed', { description: 'the job finished' });
    } finally {
      release();
      await worker.close(true);
      connection.disconnect();
    }
  });
});

describe('BullmqJobs while Redis is away', () => {
  const own = startTestRedis();
  afterAll(async () => (await own).close());

  it('answers QUEUE.UNAVAILABLE instead of hanging, and works again when Redis is back', async () => {
    const server = await own;
    const health = new RedisHealth(log, 'test');
    const producer = await connectRedis(server.url, producerOptions(), health, log);
    const jobs = new BullmqJobs(producer, `t-${randomUUID().slice(0, 8)}`, systemClock, log, health);
    try {
      expect((await jobs.ensure([deliver('D1')])).queued).toBe(1);
      await server.stop();
      await eventually(async () => !health.up, { description: 'outage noticed' });
      const err = await jobs.ensure([deliver('D2')]).catch((e: unknown) => e);
      expect(isBotError(err, 'QUEUE.UNAVAILABLE')).toBe(true);
      const dropErr = await jobs.drop(deliver('D1')).catch((e: unknown) => e);
      expect(isBotError(dropErr, 'QUEUE.UNAVAILABLE')).toBe(true);
      await server.start();
      await eventually(async () => health.up, { description: 'recovery noticed' });
      expect((await jobs.ensure([deliver('D2')])).queued).toBe(1);
    } finally {
      await jobs.close().catch(() => undefined);
      producer.disconnect();
    }
  });
});
