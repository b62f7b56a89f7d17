/** What every scenario gets: the options, and where its rows and raw runs go. */
import type { BenchArgs } from '../args.js';
import type { Row } from '../report.js';

export interface Context {
  args: BenchArgs;
  rows: Row[];
  /** Every run's full result, by scenario and variant, for the JSON. */
  raw: Record<string, unknown>;
}
