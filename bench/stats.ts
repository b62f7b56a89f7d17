/** Summaries of what was measured: percentiles within a run, median [min–max] across runs. */

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  // Nearest rank: p99 of 2,000 samples is the 1,980th, a value that was really measured.
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] as number;
}

export interface Distribution {
  p50: number;
  p99: number;
  max: number;
  n: number;
}

export function distribution(values: readonly number[]): Distribution {
  return { p50: percentile(values, 50), p99: percentile(values, 99), max: values.length === 0 ? Number.NaN : Math.max(...values), n: values.length };
}

export interface Spread {
  median: number;
  min: number;
  max: number;
}

export function spread(values: readonly number[]): Spread {
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.length === 0) return { median: Number.NaN, min: Number.NaN, max: Number.NaN };
  const sorted = [...finite].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  return { median, min: sorted[0] as number, max: sorted[sorted.length - 1] as number };
}

/** One figure of a row: each run's value, kept in the JSON, and their spread. */
export interface Figure extends Spread {
  unit: string;
  runs: number[];
}

export function figure(runs: readonly number[], unit: string): Figure {
  return { ...spread(runs), unit, runs: [...runs] };
}
