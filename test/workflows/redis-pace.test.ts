/**
 * The shared pace on a real Redis, with an injected clock (the buckets' arithmetic is asserted, never a measured
 * time): smooth refill, each conversation's own limit, priorities when the budget is short, a 429 cutting the
 * workspace's rate once per overshoot and holding the conversation, the rate creeping back, searches apart, and
 * two processes drawing from the same buckets.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { PRIORITY, type PacedCall, type PlatformLimits } from '../../src/ports/pace.js';
import { RedisPace } from '../../workflows/redis-pace.js';
import { REDIS_URL } from '../support/bot-harness.js';

const redis = new Redis(REDIS_URL);
let prefix: string;
let now: number;
const pace = (rate = 50) => new RedisPace(redis, { prefix, ratePerSecond: rate, now: () => now });

const SLACK: PlatformLimits = { conversation: { perSecond: 1, burst: 3 }, search: { perSecond: 50 / 60, burst: 3 }, workspace: 'paced' };
const WORKSPACE_ONLY: PlatformLimits = { conversation: 'unlimited', search: 'unlimited', workspace: 'paced' };
const call = (over: Partial<PacedCall> = {}): PacedCall => ({ platform: 'slack', lane: 'send', conversation: 'C1', priority: PRIORITY.first, limits: WORKSPACE_ONLY, ...over });
const rateOf = async () => Number(await redis.hget(`${prefix}:pace:{slack}:ws`, 'rate'));

beforeEach(() => {
  prefix = `t-pace-${randomUUID().slice(0, 8)}`;
  now = Date.parse('2026-12-02T10:00:00Z');
});
afterAll(async () => {
  const keys = await redis.keys('t-pace-*');
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
});

describe('the workspace bucket', () => {
  it('lets a tenth of a second through at once, then one call per 1/rate: smooth, not a whole second at a time', async () => {
    const p = pace(50);
    const waits: number[] = [];
    for (let i = 0; i < 6; i++) waits.push(await p.take(call({ conversation: `C${i}` })));
    expect(waits).toEqual([0, 0, 0, 0, 0, 20]);
    now += 19;
    expect(await p.take(call())).toBe(1);
    now += 1;
    expect(await p.take(call())).toBe(0);
  });

  it('a burst of at least 3 at a low rate', async () => {
    const p = pace(10);
    expect([await p.take(call()), await p.take(call()), await p.take(call()), await p.take(call())]).toEqual([0, 0, 0, 100]);
  });

  it('is shared: two processes draw from the same bucket', async () => {
    const a = pace(50);
    const b = pace(50);
    for (let i = 0; i < 3; i++) expect(await a.take(call())).toBe(0);
    for (let i = 0; i < 2; i++) expect(await b.take(call())).toBe(0);
    expect(await a.take(call())).toBe(20);
    expect(await b.take(call())).toBe(20);
  });

  it('a waiting call is not counted', async () => {
    const p = pace(50);
    for (let i = 0; i < 5; i++) await p.take(call());
    for (let i = 0; i < 10; i++) expect(await p.take(call())).toBe(20);
    now += 20;
    expect(await p.take(call())).toBe(0);
  });
});

describe('priorities when the budget is short', () => {
  it('a status card needs more in the bucket than a first delivery: with 2 tokens left the delivery goes, the card waits', async () => {
    const p = pace(50);
    for (let i = 0; i < 3; i++) await p.take(call());
    // 2 tokens left: a first delivery needs 1, a step 1.5, a refresh 2, a status card 2.5 (each takes one).
    expect(await p.take(call({ priority: PRIORITY.status }))).toBe(10);
    expect(await p.take(call({ priority: PRIORITY.refresh }))).toBe(0);
    // 1 left.
    expect(await p.take(call({ priority: PRIORITY.step }))).toBe(10);
    expect(await p.take(call({ priority: PRIORITY.first }))).toBe(0);
    // None left: each waits for what it needs at 50/s.
    expect(await p.take(call({ priority: PRIORITY.step }))).toBe(30);
    expect(await p.take(call({ priority: PRIORITY.first }))).toBe(20);
  });

  it('when the bucket is full, every priority goes', async () => {
    const p = pace(50);
    expect(await p.take(call({ priority: PRIORITY.status }))).toBe(0);
  });
});

describe('each conversation', () => {
  it('keeps the platform limit there (Slack: burst 3, then one a second); another conversation goes on', async () => {
    const p = pace(1000);
    const c = (conversation: string) => call({ conversation, limits: SLACK });
    expect([await p.take(c('C1')), await p.take(c('C1')), await p.take(c('C1'))]).toEqual([0, 0, 0]);
    expect(await p.take(c('C1'))).toBe(1000);
    expect(await p.take(c('C2'))).toBe(0);
    now += 1000;
    expect(await p.take(c('C1'))).toBe(0);
  });

  it('a conversation waiting does not use the workspace budget', async () => {
    const p = pace(10);
    const c1 = call({ conversation: 'C1', limits: { ...SLACK, conversation: { perSecond: 1, burst: 1 } } });
    expect(await p.take(c1)).toBe(0);
    for (let i = 0; i < 5; i++) expect(await p.take(c1)).toBe(1000);
    // The workspace bucket gave one of its 3: two left for others.
    expect(await p.take(call({ conversation: 'C2' }))).toBe(0);
    expect(await p.take(call({ conversation: 'C3' }))).toBe(0);
    expect(await p.take(call({ conversation: 'C4' }))).toBe(100);
  });
});

describe('a 429', () => {
  it('cuts the workspace rate to 70 %, at most once per 300 ms (one overshoot brings several 429s), and empties the bucket', async () => {
    const p = pace(50);
    await p.take(call());
    await p.throttled(call(), 1000);
    expect(await rateOf()).toBe(35);
    // Emptied: the next call waits one token at the new rate.
    expect(await p.take(call())).toBe(29);
    now += 299;
    await p.throttled(call(), 1000);
    expect(await rateOf()).toBe(35);
    now += 1;
    await p.throttled(call(), 1000);
    expect(await rateOf()).toBeCloseTo(24.5, 6);
  });

  it('never below the least rate', async () => {
    const p = new RedisPace(redis, { prefix, ratePerSecond: 2, minRatePerSecond: 1, now: () => now });
    for (let i = 0; i < 5; i++) {
      await p.throttled(call(), 1000);
      now += 1000;
    }
    expect(await rateOf()).toBe(1);
  });

  it('holds that conversation for the Retry-After the platform gave', async () => {
    const p = pace(1000);
    const c = (conversation: string) => call({ conversation, limits: SLACK });
    expect(await p.take(c('C1'))).toBe(0);
    await p.throttled(c('C1'), 30_000);
    expect(await p.take(c('C1'))).toBe(30_000);
    now += 29_000;
    expect(await p.take(c('C1'))).toBe(1000);
    now += 1000;
    expect(await p.take(c('C1'))).toBe(0);
  });

  it('the rate creeps back: 2 % of the configured rate per second without a 429, never above it', async () => {
    const p = pace(50);
    await p.take(call());
    await p.throttled(call(), 1000);
    expect(await rateOf()).toBe(35);
    now += 10_000;
    await p.take(call());
    expect(await rateOf()).toBe(45);
    now += 60_000;
    await p.take(call());
    expect(await rateOf()).toBe(50);
  });
});

describe('searches for an earlier post', () => {
  it('have their own bucket at their own limit (Slack history: 50 a minute, burst 3), apart from posts', async () => {
    const p = pace(50);
    const search = call({ lane: 'search', conversation: undefined, priority: PRIORITY.step, limits: SLACK });
    expect([await p.take(search), await p.take(search), await p.take(search)]).toEqual([0, 0, 0]);
    expect(await p.take(search)).toBe(1200);
    expect(await p.take(call({ limits: SLACK }))).toBe(0);
    // A 429 on a search holds the searches, not the posts' rate.
    await p.throttled(search, 5000);
    expect(await p.take(search)).toBe(5000);
    expect(await redis.hget(`${prefix}:pace:{slack}:ws`, 'cutAt')).toBeNull();
  });
});

describe('nothing to pace', () => {
  it('answers 0 and keeps no bucket', async () => {
    const p = pace(1);
    const free: PlatformLimits = { conversation: 'unlimited', search: 'unlimited', workspace: 'unlimited' };
    for (let i = 0; i < 10; i++) expect(await p.take(call({ limits: free }))).toBe(0);
    expect(await redis.keys(`${prefix}:*`)).toEqual([]);
  });
});
