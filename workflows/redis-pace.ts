import type { Redis } from 'ioredis';
import type { Pace, PacedCall, Rate } from '../src/ports/pace.js';

/**
 * The shared pace as token buckets in Redis, one Lua script per call so every worker of every process draws from
 * the same buckets atomically. Why not BullMQ's limiter: it is per queue with fixed one-second windows (posts and
 * edits each got the whole rate, twice the intended pace, released at the start of each second), escalation and
 * notices had none, and its per-group limits are BullMQ Pro's. A bucket refills continuously, so the pace is
 * smooth; one bucket per platform covers every queue; one per conversation keeps the platform's own limit there.
 *
 * Buckets, each a hash with an expiry (nothing to clean up):
 * - the workspace's, per platform: its rate adapts. A 429 cuts it to 70 % (at most once per 300 ms, about the
 *   time calls already on their way take to come back: one overshoot brings several 429s), and it creeps back
 *   towards the configured rate by 2 % of it a second, so the pace finds the platform's real limit without
 *   DELIVERY_RATE_PER_SECOND tuned by hand (measured: 50/s configured against a 20/s limit, 8 429s in 120 posts);
 * - the conversation's: the platform's per-conversation limit; a 429 there holds that conversation for the
 *   Retry-After the platform gave;
 * - the searches', per platform: their own, lower limit.
 * Priority: a call of priority p needs 1 + p/2 tokens in the workspace bucket (but only takes one), so when the
 * budget is short, first deliveries and phone tasks go before edits and status cards.
 */
const TAKE = `
local now = tonumber(ARGV[1])
local need = tonumber(ARGV[2])
local wsMax = tonumber(ARGV[3])
local wsBurst = tonumber(ARGV[4])
local creep = tonumber(ARGV[5])
local cRate = tonumber(ARGV[6])
local cBurst = tonumber(ARGV[7])
local ttl = tonumber(ARGV[8])
local wait = 0
local wsTokens, wsRate, cTokens
if wsMax > 0 then
  local h = redis.call('HMGET', KEYS[1], 'tokens', 'ts', 'rate')
  local elapsed = math.max(0, now - (tonumber(h[2]) or now))
  wsRate = math.min(wsMax, (tonumber(h[3]) or wsMax) + wsMax * creep * elapsed / 1000)
  wsTokens = math.min(wsBurst, (tonumber(h[1]) or wsBurst) + wsRate * elapsed / 1000)
  -- (less a hair: float dust must not make an exact wait one ms longer)
  if wsTokens < need then wait = math.ceil((need - wsTokens) * 1000 / wsRate - 1e-6) end
end
if cRate > 0 then
  local h = redis.call('HMGET', KEYS[2], 'tokens', 'ts', 'until')
  local elapsed = math.max(0, now - (tonumber(h[2]) or now))
  cTokens = math.min(cBurst, (tonumber(h[1]) or cBurst) + cRate * elapsed / 1000)
  local holdUntil = tonumber(h[3]) or 0
  if holdUntil > now then wait = math.max(wait, holdUntil - now) end
  if cTokens < 1 then wait = math.max(wait, math.ceil((1 - cTokens) * 1000 / cRate - 1e-6)) end
end
if wait == 0 then
  if wsMax > 0 then wsTokens = wsTokens - 1 end
  if cRate > 0 then cTokens = cTokens - 1 end
end
if wsMax > 0 then
  redis.call('HSET', KEYS[1], 'tokens', tostring(wsTokens), 'ts', now, 'rate', tostring(wsRate))
  redis.call('PEXPIRE', KEYS[1], ttl)
end
if cRate > 0 then
  redis.call('HSET', KEYS[2], 'tokens', tostring(cTokens), 'ts', now)
  redis.call('PEXPIRE', KEYS[2], ttl)
end
return wait
`;

const THROTTLED = `
local now = tonumber(ARGV[1])
local wsMax = tonumber(ARGV[2])
local minRate = tonumber(ARGV[3])
local cut = tonumber(ARGV[4])
local retryAfter = tonumber(ARGV[5])
local cRate = tonumber(ARGV[6])
local ttl = tonumber(ARGV[7])
if wsMax > 0 then
  local h = redis.call('HMGET', KEYS[1], 'rate', 'cutAt')
  local cutAt = tonumber(h[2]) or 0
  if now - cutAt >= 300 then
    local rate = math.max(minRate, (tonumber(h[1]) or wsMax) * cut)
    redis.call('HSET', KEYS[1], 'rate', tostring(rate), 'cutAt', now, 'tokens', '0', 'ts', now)
    redis.call('PEXPIRE', KEYS[1], ttl)
  end
end
if cRate > 0 and retryAfter > 0 then
  redis.call('HSET', KEYS[2], 'until', now + retryAfter, 'tokens', '0', 'ts', now)
  redis.call('PEXPIRE', KEYS[2], ttl + retryAfter)
end
return 0
`;

export interface RedisPaceSettings {
  prefix: string;
  /** The workspace's pace, per platform, in calls per second: where it starts and the most it creeps back to. */
  ratePerSecond: number;
  /** The least a run of 429s cuts it to. */
  minRatePerSecond?: number;
  /** What a 429 leaves of the rate (0.7: 30 % less). */
  cut?: number;
  /** The share of ratePerSecond regained per second without a 429. */
  creep?: number;
  /** Real time, in ms; injected for tests. */
  now?: () => number;
}

/** How long an idle bucket is kept: past it, a full bucket at the configured rate is what a new one is anyway. */
const TTL_MS = 10 * 60_000;

interface PaceCommands {
  paceTake(keys0: string, keys1: string, ...args: (string | number)[]): Promise<number>;
  paceThrottled(keys0: string, keys1: string, ...args: (string | number)[]): Promise<number>;
}

export class RedisPace implements Pace {
  readonly #redis: Redis & PaceCommands;
  readonly #prefix: string;
  readonly #rate: number;
  readonly #burst: number;
  readonly #minRate: number;
  readonly #cut: number;
  readonly #creep: number;
  readonly #now: () => number;

  constructor(redis: Redis, settings: RedisPaceSettings) {
    redis.defineCommand('paceTake', { numberOfKeys: 2, lua: TAKE });
    redis.defineCommand('paceThrottled', { numberOfKeys: 2, lua: THROTTLED });
    this.#redis = redis as Redis & PaceCommands;
    this.#prefix = settings.prefix;
    this.#rate = settings.ratePerSecond;
    // A tenth of a second's worth: smooth, while a burst of 3 lets a low priority through when the budget is not short.
    this.#burst = Math.max(3, settings.ratePerSecond / 10);
    this.#minRate = settings.minRatePerSecond ?? 1;
    this.#cut = settings.cut ?? 0.7;
    this.#creep = settings.creep ?? 0.02;
    this.#now = settings.now ?? Date.now;
  }

  async take(call: PacedCall): Promise<number> {
    const { wsKey, cKey, wsMax, cRate } = this.#buckets(call);
    const need = Math.min(this.#burst, 1 + call.priority / 2);
    const wait = await this.#redis.paceTake(wsKey, cKey, this.#now(), need, wsMax, this.#burst, this.#creep, cRate?.perSecond ?? 0, cRate?.burst ?? 0, TTL_MS);
    return Number(wait);
  }

  async throttled(call: PacedCall, retryAfterMs: number | undefined): Promise<void> {
    const { wsKey, cKey, wsMax, cRate } = this.#buckets(call);
    await this.#redis.paceThrottled(wsKey, cKey, this.#now(), wsMax, this.#minRate, this.#cut, Math.max(0, retryAfterMs ?? 1_000), cRate?.perSecond ?? 0, TTL_MS);
  }

  /** The call's two buckets. The hash tag keeps both in one slot, as a script on Redis Cluster needs. */
  #buckets(call: PacedCall): { wsKey: string; cKey: string; wsMax: number; cRate: Rate | undefined } {
    const base = `${this.#prefix}:pace:{${call.platform}}`;
    if (call.lane === 'search') {
      return { wsKey: `${base}:ws`, cKey: `${base}:search`, wsMax: 0, cRate: call.limits.search === 'unlimited' ? undefined : call.limits.search };
    }
    const cRate = call.limits.conversation === 'unlimited' || call.conversation === undefined ? undefined : call.limits.conversation;
    return { wsKey: `${base}:ws`, cKey: `${base}:c:${call.conversation ?? ''}`, wsMax: call.limits.workspace === 'paced' ? this.#rate : 0, cRate };
  }
}
