/**
 * (1) Fan-out to every member (half Slack, half Teams) with no platform limit, at each API latency:
 * the time until the last channel has the advisory. (5, growth) the same at other sector sizes, for
 * CPU per delivery and peak memory.
 */
import { Sector } from '../classify.js';
import { measure } from '../measure.js';
import { sectorMembers } from '../members.js';
import { metricRows, type MetricDef } from '../report.js';
import type { Context } from './context.js';
import { fanoutRun, type FanoutResult } from './fanout-run.js';
import { runPairs } from './pairs.js';

type Measured = FanoutResult & { hwmMb: number };

export const FANOUT_METRICS: readonly MetricDef<Measured>[] = [
  { label: 'time to the last channel', unit: 'ms', value: (r) => r.ms, compare: true },
  { label: 'posts a second', unit: '/s', value: (r) => r.postsPerSecond, compare: true },
  { label: 'lost (never posted)', unit: '', value: (r) => r.lost, compare: true },
  { label: 'duplicated (posted twice)', unit: '', value: (r) => r.duplicated, compare: true },
  { label: 'CPU per delivery', unit: 'ms', value: (r) => r.cpuMsPerDelivery, compare: true },
  { label: 'Redis CPU per delivery', unit: 'ms', value: (r) => r.redisCpuMsPerDelivery, compare: true },
  { label: 'CPU busy during the fan-out', unit: '%', value: (r) => r.cpuBusyPercent, compare: true },
  { label: 'peak RSS (VmHWM)', unit: 'MB', value: (r) => r.hwmMb, compare: true },
];

export async function fanoutAt(ctx: Context, members: number, latencyMs: number, label: string): Promise<{ bot: Measured[]; baseline: Measured[] }> {
  const sector = { members, contacts: 1 };
  const members_ = new Sector(sectorMembers(sector));
  // A generous bound: ten times what today's bot needs, so a regression shows as a figure, not a hang.
  const timeoutMs = 60_000 + members * (10 + latencyMs);
  return runPairs(ctx.args.runs, label, (who) =>
    measure(who, { sector, concurrency: ctx.args.concurrency, rate: ctx.args.rate }, { latencyMs }, (ut, p) => fanoutRun(ut, p, members_, timeoutMs)),
  );
}

export async function fanoutScenario(ctx: Context): Promise<void> {
  for (const latency of ctx.args.latencies) {
    const name = `fanout ${ctx.args.members}, ${latency} ms`;
    const runs = await fanoutAt(ctx, ctx.args.members, latency, name);
    ctx.raw[name] = runs;
    ctx.rows.push(...metricRows(name, runs, FANOUT_METRICS));
  }
}

export async function growthScenario(ctx: Context): Promise<void> {
  for (const members of ctx.args.growth) {
    const name = `growth ${members}`;
    const runs = await fanoutAt(ctx, members, 0, name);
    ctx.raw[name] = runs;
    ctx.rows.push(...metricRows(name, runs, FANOUT_METRICS.filter((m) => ['time to the last channel', 'CPU per delivery', 'CPU busy during the fan-out', 'peak RSS (VmHWM)', 'lost (never posted)', 'duplicated (posted twice)'].includes(m.label))));
  }
}
