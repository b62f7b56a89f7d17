/**
 * The scaled clock (src/clock.ts) and the job scheduler's delays on it: a ladder step due a clock minute ahead
 * at 60× waits one real second in BullMQ; the system clock's delays are unchanged.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock, realMsUntil, ScaledClock, systemClock } from '../../src/clock.js';
import { createLogger } from '../../src/log.js';
import type { Work } from '../../src/ports/jobs.js';
import { BullmqJobs } from '../../workflows/bullmq-jobs.js';
import { deleteSimKeys } from '../../sim/redis-keys.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('ScaledClock', () => {
  it('runs rate times faster than the real time source, from its start', () => {
    let real = 1_000;
    const clock = new ScaledClock({ start: '2026-12-01T00:00:00.000Z', rate: 60, realNow: () => real });
    expect(clock.now().toISOString()).toBe('2026-12-01T00:00:00.000Z');
    real += 1_000;
    expect(clock.now().toISOString()).toBe('2026-12-01T00:01:00.000Z');
    // A minute ahead on the clock is a real second away; a minute behind, a real second ago.
    expect(clock.realMsUntil(new Date('2026-12-01T00:02:00.000Z'))).toBe(1_000);
    expect(realMsUntil(clock, new Date('2026-12-01T00:00:00.000Z'))).toBe(-1_000);
    expect(clock.fromRealMs(30_000)).toBe(1_800_000);
    expect(clock.toRealMs(60_000)).toBe(1_000);
  });

  it('refuses a rate that is not above 0, and a start that is not a time', () => {
    expect(() => new ScaledClock({ start: '2026-12-01T00:00:00Z', rate: 0 })).toThrow(RangeError);
    expect(() => new ScaledClock({ start: '2026-12-01T00:00:00Z', rate: Number.POSITIVE_INFINITY })).toThrow(RangeError);
    expect(() => new ScaledClock({ start: 'soon', rate: 60 })).toThrow(RangeError);
  });

  it('leaves the other clocks at real speed: the wait is the difference of the times', () => {
    const manual = new ManualClock('2026-12-01T00:00:00.000Z');
    expect(realMsUntil(manual, new Date('2026-12-01T00:01:00.000Z'))).toBe(60_000);
    const wait = realMsUntil(systemClock, new Date(Date.now() + 5_000));
    expect(wait).toBeGreaterThan(4_900);
    expect(wait).toBeLessThanOrEqual(5_000);
  });
});

describe('BullmqJobs on a scaled clock', () => {
  const prefixes: string[] = [];
  const connections: Redis[] = [];
  afterEach(async () => {
    for (const r of connections.splice(0)) r.disconnect();
    for (const p of prefixes.splice(0)) await deleteSimKeys(REDIS_URL, p);
  });

  async function delayOf(clock: ScaledClock | typeof systemClock, dueInClockMs: number): Promise<number> {
    const prefix = `sim-t-${randomUUID().slice(0, 8)}`;
    prefixes.push(prefix);
    const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
    connections.push(redis);
    const jobs = new BullmqJobs(redis, prefix, clock, createLogger('silent'));
    const at = new Date(clock.now().getTime() + dueInClockMs);
    const work: Work = { kind: 'step', deliveryId: 'D1', token: 'ktok', step: 'phone', index: 0, at };
    await jobs.ensure([work]);
    const job = await jobs.queues.escalate.getJob('esc.D1.ktok.phone');
    await jobs.close();
    return job?.delay ?? Number.NaN;
  }

  it('waits the real time until the clock reads the step’s time: a clock minute at 60× is a real second', async () => {
    const delay = await delayOf(new ScaledClock({ start: new Date(), rate: 60 }), 60_000);
    expect(delay).toBeGreaterThan(900);
    expect(delay).toBeLessThanOrEqual(1_000);
  });

  it('keeps the system clock’s delays as they were: a minute is a minute', async () => {
    const delay = await delayOf(systemClock, 60_000);
    expect(delay).toBeGreaterThan(59_000);
    expect(delay).toBeLessThanOrEqual(60_000);
  });
});
