/**
 * The arithmetic of the reach report, kept apart so that its rules are stated once: percentages to one decimal, and
 * quantiles interpolated as Excel's MEDIAN and PERCENTILE.INC do (Hyndman & Fan type 7), so the secretariat can check
 * a figure from the CSV's own column in a spreadsheet.
 */

/** `count` of `total` as a percentage to one decimal; 0 of nobody is 0. */
export function percentOf(count: number, total: number): number {
  if (total === 0) return 0;
  return Math.round((count * 1000) / total) / 10;
}

/** The p-quantile (0…1) of the values, linearly interpolated between the nearest ranks, to one decimal; null for none. */
export function quantile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const below = sorted[lo]!;
  const above = sorted[Math.min(lo + 1, sorted.length - 1)]!;
  // To one decimal: 3,990 s, not 3,989.9999999999995 (the interpolation's binary fractions).
  return Math.round((below + (h - lo) * (above - below)) * 10) / 10;
}

/** a − b rounded to one decimal (percentage points, seconds); null when either is missing. */
export function difference(a: number | null, b: number | null): number | null {
  if (a === null || b === null) return null;
  return Math.round((a - b) * 10) / 10;
}
