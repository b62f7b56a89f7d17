/**
 * `npm run simulate -- --members 1800 --silent 20% --phone-staff 2,4,8 --answer-rate 70% --call-minutes 3 --policy level4`
 *
 * Capacity planning for the phones: runs the bot's real workflows (BullMQ on the real Redis, the embedded store, the
 * core's commands) against an emulated chat platform and simulated members and on-call staff, on a scaled clock,
 * once per number of phone staff, and prints how long it takes until 95 % and 100 % of the members are confirmed.
 * Writes the figures as JSON (and a chart per run beside it). See docs/SIMULATOR.md.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parseArgs } from './args.js';
import { formatSimulation } from './report.js';
import { simulate } from './simulate.js';

async function main(): Promise<void> {
  let args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(2);
  }
  const out = args.out ?? join('sim', 'results', `${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  await mkdir(dirname(out), { recursive: true });
  const progress = args.quiet ? undefined : (line: string) => process.stderr.write(`${line}\n`);
  progress?.(`simulating ${args.params.members} members with ${args.staff.join(', ')} phone staff at ${args.scale}× (Redis ${args.redisUrl.replace(/\/\/[^@]*@/, '//')})`);
  const base = out.replace(/\.json$/, '');
  const sim = await simulate(args, {
    progress,
    // Each run's reach chart (the bot's own, from its record), beside the JSON.
    onRun: async (run, figures) => {
      if (!run.bot.reach) return;
      figures.chart = `${base}.staff-${figures.staff}.svg`;
      await writeFile(figures.chart, run.bot.reach.svg);
    },
  });
  await writeFile(out, `${JSON.stringify(sim, null, 2)}\n`);
  const charts = sim.runs.flatMap((r) => (r.chart ? [r.chart] : []));
  process.stdout.write(`${formatSimulation(sim)}\n\nJSON: ${out}\n${charts.length > 0 ? `charts: ${charts.join(', ')}\n` : ''}`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`simulation failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
