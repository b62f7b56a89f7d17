/** Each run measures the bot, then the baseline right after it, so each ratio compares like with like in time. */
import type { Who } from '../measure.js';

export async function runPairs<R>(runs: number, label: string, one: (who: Who) => Promise<R>): Promise<{ bot: R[]; baseline: R[] }> {
  const out: { bot: R[]; baseline: R[] } = { bot: [], baseline: [] };
  for (let i = 0; i < runs; i++) {
    for (const who of ['bot', 'baseline'] as const) {
      const started = Date.now();
      out[who].push(await one(who));
      process.stderr.write(`  ${label}: run ${i + 1}/${runs} ${who} done in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    }
  }
  return out;
}
