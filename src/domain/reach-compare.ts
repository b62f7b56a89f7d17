import { RATE_KEYS, type ReachRate, type ReachRateKey, type ReachReport } from './reach.js';
import { difference } from './reach-stats.js';

/**
 * Two reach reports side by side — "this drill against the last" —: each rate of both and how many percentage
 * points this one is above (+) or below (−) the other, and the median and 90th percentile times with their
 * difference in seconds (negative: faster this time).
 */

export interface ReachSide {
  advisoryId: string;
  drill: boolean;
  issuedAt: string;
  targeted: number;
}

export interface ReachRateLine {
  key: ReachRateKey;
  current: ReachRate;
  previous: ReachRate;
  /** current − previous, in percentage points. */
  points: number;
}

export interface ReachTimeLine {
  key: 'medianSeconds' | 'p90Seconds';
  current: number | null;
  previous: number | null;
  /** current − previous, in seconds; null when either has nobody acknowledged. */
  seconds: number | null;
}

export interface ReachComparison {
  current: ReachSide;
  previous: ReachSide;
  rates: ReachRateLine[];
  times: ReachTimeLine[];
}

const side = (r: ReachReport): ReachSide => ({ advisoryId: r.advisoryId, drill: r.drill, issuedAt: r.issuedAt, targeted: r.targeted });

export function compareReach(current: ReachReport, previous: ReachReport): ReachComparison {
  return {
    current: side(current),
    previous: side(previous),
    rates: RATE_KEYS.map((key) => ({
      key,
      current: current.rates[key],
      previous: previous.rates[key],
      points: difference(current.rates[key].percent, previous.rates[key].percent)!,
    })),
    times: (['medianSeconds', 'p90Seconds'] as const).map((key) => ({
      key,
      current: current.times[key],
      previous: previous.times[key],
      seconds: difference(current.times[key], previous.times[key]),
    })),
  };
}
