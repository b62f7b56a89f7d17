/**
 * (2) The fan-out with the platforms' limits on (Slack ~1/s per channel with a burst of 3, a
 * workspace rate, conversations.history 50/min; Teams 7/s per conversation, a tenant rate) and 50 ms
 * latency: the time taken ÷ the time the limits allow, 429s, lost, duplicated, history searches.
 * The bot runs untuned (its own DELIVERY_RATE_PER_SECOND) unless --limits-rate says otherwise; the
 * baseline's limiter is the two platforms' rates together, i.e. a worker tuned to the limits (with --limits-rate,
 * that rate on each platform, as the bot's pace has it).
 */
import { Sector } from '../classify.js';
import { measure } from '../measure.js';
import { platformsOf, sectorMembers } from '../members.js';
import { metricRows } from '../report.js';
import type { Context } from './context.js';
import { fanoutRun } from './fanout-run.js';
import { runPairs } from './pairs.js';
import { BOT_DEFAULT_RATE } from '../under-test.js';

const LATENCY_MS = 50;

export async function limitsScenario(ctx: Context): Promise<void> {
  const { args } = ctx;
  const sector = { members: args.members, contacts: 1 };
  const members = new Sector(sectorMembers(sector));
  const slack = members.members.filter((m) => m.platform === 'slack').length;
  const teams = members.members.length - slack;
  // The platforms work in parallel: the slower of the two sets the pace the limits allow.
  const boundMs = Math.max(slack / args.slackRate, teams / args.teamsRate) * 1000;
  const botRate = args.limitsRate;
  const baseRate = args.limitsRate === undefined ? args.slackRate + args.teamsRate : args.limitsRate * platformsOf(members.members);
  const slowest = Math.min(botRate ?? BOT_DEFAULT_RATE, baseRate);
  const timeoutMs = 120_000 + (args.members / slowest) * 3000;
  const name = `limits ${args.members}, ${LATENCY_MS} ms, rate ${botRate ?? 'default'}`;
  const runs = await runPairs(args.runs, name, (who) =>
    measure(
      who,
      { sector, concurrency: args.concurrency, rate: botRate, baselineRate: baseRate },
      { latencyMs: LATENCY_MS, limits: { slackPerSecond: args.slackRate, teamsPerSecond: args.teamsRate } },
      (ut, p) => fanoutRun(ut, p, members, timeoutMs),
    ),
  );
  ctx.raw[name] = { boundMs, baselineRate: baseRate, ...runs };
  ctx.rows.push(
    ...metricRows(name, runs, [
      { label: 'time to the last channel', unit: 'ms', value: (r) => r.ms, compare: true },
      { label: `÷ the ${(boundMs / 1000).toFixed(0)} s the limits allow`, unit: '×', value: (r) => r.ms / boundMs, compare: true },
      { label: '429 answers', unit: '', value: (r) => r.throttled, compare: true },
      { label: 'conversations.history calls', unit: '', value: (r) => r.historyCalls, compare: true },
      { label: 'lost (never posted)', unit: '', value: (r) => r.lost, compare: true },
      { label: 'duplicated (posted twice)', unit: '', value: (r) => r.duplicated, compare: true },
      { label: 'peak RSS (VmHWM)', unit: 'MB', value: (r) => r.hwmMb, compare: true },
    ]),
  );
}
