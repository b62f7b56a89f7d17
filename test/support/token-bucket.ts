/**
 * Token buckets for the fakes' optional platform limits (Slack's "about one message per second per
 * channel, with short bursts", Teams' "7 messages per second per conversation", a workspace- or
 * tenant-wide rate). A bucket holds up to `burst` tokens and gains `perSecond` of them a second; a
 * request that finds less than one token is refused with how long until one is there, which the
 * fake sends as Retry-After. A refused request takes no token, as on the platforms.
 */

export interface Rate {
  /** Tokens added per second (may be fractional: 50 a minute is 50 / 60). */
  perSecond: number;
  /** The most tokens the bucket holds: how many requests may come at once after a quiet spell. */
  burst: number;
}

export class TokenBucket {
  #tokens: number;
  #at: number;

  constructor(
    private readonly rate: Rate,
    private readonly now: () => number = Date.now,
  ) {
    if (!(rate.perSecond > 0) || !(rate.burst >= 1)) throw new Error(`a token bucket needs perSecond > 0 and burst >= 1, got ${JSON.stringify(rate)}`);
    this.#tokens = rate.burst;
    this.#at = now();
  }

  /** Milliseconds until a token is there (0: there is one now); takes nothing. */
  waitMs(): number {
    this.#refill();
    return this.#tokens >= 1 ? 0 : Math.ceil(((1 - this.#tokens) / this.rate.perSecond) * 1000);
  }

  take(): void {
    this.#refill();
    this.#tokens -= 1;
  }

  #refill(): void {
    const t = this.now();
    this.#tokens = Math.min(this.rate.burst, this.#tokens + ((t - this.#at) / 1000) * this.rate.perSecond);
    this.#at = t;
  }
}

/** One bucket per key (a channel, a conversation), made on first use. */
export class KeyedBuckets {
  readonly #buckets = new Map<string, TokenBucket>();

  constructor(
    private readonly rate: Rate,
    private readonly now: () => number = Date.now,
  ) {}

  get(key: string): TokenBucket {
    let b = this.#buckets.get(key);
    if (b === undefined) {
      b = new TokenBucket(this.rate, this.now);
      this.#buckets.set(key, b);
    }
    return b;
  }
}

/**
 * A request passes only when every bucket it counts against has a token; then it takes one from
 * each. Otherwise the answer is the longest wait, in whole seconds (Retry-After has no fractions),
 * at least 1.
 */
export function admit(buckets: readonly TokenBucket[]): { ok: true } | { ok: false; retryAfterSec: number } {
  const wait = Math.max(0, ...buckets.map((b) => b.waitMs()));
  if (wait > 0) return { ok: false, retryAfterSec: Math.max(1, Math.ceil(wait / 1000)) };
  for (const b of buckets) b.take();
  return { ok: true };
}
