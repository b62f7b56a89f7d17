/**
 * (4) Every member's ladder due in the same second, step after step: with a short level3 policy and
 * two contacts a member gets a reminder at +15 s, a phone task at +25 s, the next contact (the task
 * marked overdue) at +35 s and the secretariat's alert at +45 s after issue, nobody acknowledging.
 * Measured: lateness of each platform call (when the fake received it − when the step was due), per
 * step kind, and that each step ran exactly once per member (the store's record) and posted once
 * (the platform). The bot's alert is one grouped message per wave, posted by the first member's step
 * and edited for the rest at most once per status interval: its calls are few, and late by design.
 * The bot's phone tasks are rows of the phone-task board in the on-call channel: a member's phone step
 * is "posted" when its row is first claimable on a board page, its next contact when the row first shows
 * overdue (pages of 40 rows into one Slack channel at about one message a second: 2,000 silent members
 * are 50 pages). The baseline posts one message per member and step, as the bot did before the board.
 */
import type { EscalationPolicy, StepKind } from '../../src/domain/escalation.js';
import { Sector, stepCall } from '../classify.js';
import { measure } from '../measure.js';
import { ONCALL_CHANNEL, sectorMembers } from '../members.js';
import { BoardWatch } from '../board-watch.js';
import { until, type Platforms } from '../platforms.js';
import { metricRows, type MetricDef } from '../report.js';
import { distribution, type Distribution } from '../stats.js';
import { REDIS_URL, type UnderTest } from '../under-test.js';
import type { Context } from './context.js';
import { fanoutRun, FanoutTally } from './fanout-run.js';
import { runPairs } from './pairs.js';
import { cpuTimeline, type CpuTimeline } from '../proc-stats.js';
import { redisCpuTimeline } from '../redis-stats.js';

export const SHORT_LADDER: EscalationPolicy = { enabled: true, deadline: 25, reminderBefore: 10, nextContactEvery: 10, alertAfter: 20 };
const KINDS: readonly StepKind[] = ['reminder', 'phone', 'next-contact', 'alert'];
const WAIT_AFTER_LAST_DUE_MS = 180_000;

export interface StepFigures {
  lateness: Distribution;
  /** Members whose step the store does not record as done, or records more than once. */
  missing: number;
  twice: number;
  /** Members with no post for this step on the platform, or more than one (not for a grouped alert). */
  notPosted: number;
  postedTwice: number;
}

export type LadderResult = Record<StepKind, StepFigures> & {
  fanoutLost: number;
  /** When each step's run began (the store's record) − when it was due; the bot only. */
  started?: Record<StepKind, Distribution>;
  /**
   * The process's CPU from when the first step was due until the queues are idle after the last, ÷ (members × step
   * kinds): what a ladder's step costs, all kinds together (the bot's board pages and grouped alerts included, as the
   * baseline's one post a member and step). Less noisy than the lateness, which it mostly decides: the steps due at
   * one instant run at what the CPU allows.
   */
  cpuMsPerStep: number;
  /**
   * The same, kind by kind: the CPU from when the kind was due until the next kind was due (the last: until idle),
   * ÷ members. Each window is 10 s; work that spills past it (the board's pages at Slack's pace) counts in the next,
   * and so does the process's idle CPU over the window (a few ms a second: noticeable at 200 members, not at 2,000).
   */
  cpuMsPerStepOf: Record<StepKind, number>;
  /**
   * Redis's CPU over the same windows ÷ members: every BullMQ script (the delayed job's promotion, its run, the next
   * step's add) and the pace's run on Redis's one thread, so steps due at one instant can wait on Redis as well as on
   * the bot's loop.
   */
  redisCpuMsPerStep: number;
  redisCpuMsPerStepOf: Record<StepKind, number>;
};

export async function ladderRun(ut: UnderTest, platforms: Platforms, sector: Sector): Promise<LadderResult> {
  const late: Record<StepKind, number[]> = { reminder: [], phone: [], 'next-contact': [], alert: [] };
  const posts: Record<StepKind, Map<string, number>> = { reminder: new Map(), phone: new Map(), 'next-contact': new Map(), alert: new Map() };
  let due: Partial<Record<StepKind, number>> = {};
  const seen: { kind: StepKind; member: string | undefined; at: number }[] = [];
  const board = new BoardWatch(ONCALL_CHANNEL);
  const tally = new FanoutTally(sector, platforms, (s) => {
    const c = stepCall(sector, s);
    if (c) seen.push({ ...c, at: s.at });
    board.see(s);
  });
  const cpu = cpuTimeline(ut.pids);
  const redisCpu = redisCpuTimeline(REDIS_URL);
  let cpuEnd = Number.NaN;
  let redisEnd = Number.NaN;
  let fanoutLost = Number.NaN;
  try {
    fanoutLost = (await fanoutRun(ut, platforms, sector, 120_000 + sector.members.length * 20, tally)).lost;
    due = await ut.ladderDue();
    const lastDue = Math.max(...Object.values(due));
    // The ladders end with the alert: then nothing is left in any queue, delayed steps included. A step not done
    // three minutes after the last one was due counts as not done (the JSON has the counts apart).
    await until(async () => {
      tally.poll();
      return Date.now() > lastDue + 2_000 && (await ut.idle(true));
    }, lastDue - Date.now() + WAIT_AFTER_LAST_DUE_MS, 250);
  } finally {
    cpuEnd = await cpu.stop();
    redisEnd = await redisCpu.stop();
  }
  // Each kind's window: from its due time to the next kind's (the last: until idle), ÷ members.
  const perKind = (line: CpuTimeline, end: number) => {
    const from = (kind: StepKind | undefined) => (kind === undefined ? end : line.at(due[kind] ?? Number.NaN));
    return {
      all: (end - from('reminder')) / (sector.members.length * KINDS.length),
      of: Object.fromEntries(KINDS.map((kind, i) => [kind, (from(KINDS[i + 1]) - from(kind)) / sector.members.length])) as Record<StepKind, number>,
    };
  };
  const bot = perKind(cpu, cpuEnd);
  const redis = perKind(redisCpu, redisEnd);
  tally.poll();
  for (const [member, at] of board.firstListed) seen.push({ kind: 'phone', member, at });
  for (const [member, at] of board.firstOverdue) seen.push({ kind: 'next-contact', member, at });
  for (const c of seen) {
    late[c.kind].push(c.at - (due[c.kind] ?? Number.NaN));
    if (c.member !== undefined) posts[c.kind].set(c.member, (posts[c.kind].get(c.member) ?? 0) + 1);
  }
  const done = await ut.stepsDone();
  const startedAt = await ut.stepsStartedAt?.();
  const started = startedAt && (Object.fromEntries(KINDS.map((k) => [k, distribution(startedAt[k].map((at) => at - (due[k] ?? Number.NaN)))])) as Record<StepKind, Distribution>);
  const ids = sector.members.map((m) => m.id);
  const figures = (kind: StepKind): StepFigures => {
    const grouped = kind === 'alert' && posts.alert.size === 0;
    return {
      lateness: distribution(late[kind]),
      missing: ids.filter((id) => !done[kind].has(id)).length,
      twice: ids.filter((id) => (done[kind].get(id) ?? 0) > 1).length,
      notPosted: grouped ? Number.NaN : ids.filter((id) => !posts[kind].has(id)).length,
      postedTwice: grouped ? Number.NaN : ids.filter((id) => (posts[kind].get(id) ?? 0) > 1).length,
    };
  };
  return { reminder: figures('reminder'), phone: figures('phone'), 'next-contact': figures('next-contact'), alert: figures('alert'), fanoutLost, cpuMsPerStep: bot.all, cpuMsPerStepOf: bot.of, redisCpuMsPerStep: redis.all, redisCpuMsPerStepOf: redis.of, ...(started ? { started } : {}) };
}

export async function laddersScenario(ctx: Context): Promise<void> {
  const sector = { members: ctx.args.members, contacts: 2 };
  const members = new Sector(sectorMembers(sector));
  const name = `ladders ${ctx.args.members}`;
  const runs = await runPairs(ctx.args.runs, name, (who) =>
    measure(who, { sector, concurrency: ctx.args.concurrency, rate: ctx.args.rate, ladder: SHORT_LADDER }, { latencyMs: 0 }, (ut, p) => ladderRun(ut, p, members)),
  );
  ctx.raw[name] = runs;
  const defs: MetricDef<LadderResult & { hwmMb: number }>[] = [];
  for (const kind of KINDS) {
    defs.push(
      // The bot's own part: the step's run began (its audit record), before any platform call or board page.
      { label: `${kind} run began p50 (store)`, unit: 'ms', value: (r) => r.started?.[kind].p50 ?? Number.NaN, compare: false },
      { label: `${kind} run began p99 (store)`, unit: 'ms', value: (r) => r.started?.[kind].p99 ?? Number.NaN, compare: false },
      { label: `${kind} lateness p50`, unit: 'ms', value: (r) => r[kind].lateness.p50, compare: true },
      { label: `${kind} lateness p99`, unit: 'ms', value: (r) => r[kind].lateness.p99, compare: true },
      { label: `${kind} lateness max`, unit: 'ms', value: (r) => r[kind].lateness.max, compare: true },
      { label: `${kind}: platform calls`, unit: '', value: (r) => r[kind].lateness.n, compare: true },
      // Missing and twice apart are in the JSON; the table says whether anything is off at all.
      { label: `${kind}: members not exactly once in the store (3 min after the last due)`, unit: '', value: (r) => r[kind].missing + r[kind].twice, compare: true },
      { label: `${kind}: members without exactly one post`, unit: '', value: (r) => r[kind].notPosted + r[kind].postedTwice, compare: true },
      { label: `${kind}: CPU per member (due to the next kind's due)`, unit: 'ms', value: (r) => r.cpuMsPerStepOf[kind], compare: true },
      { label: `${kind}: Redis CPU per member (the same window)`, unit: 'ms', value: (r) => r.redisCpuMsPerStepOf[kind], compare: true },
    );
  }
  defs.push({ label: 'CPU per member and step (first due to queues idle)', unit: 'ms', value: (r) => r.cpuMsPerStep, compare: true });
  defs.push({ label: 'Redis CPU per member and step (the same window)', unit: 'ms', value: (r) => r.redisCpuMsPerStep, compare: true });
  defs.push({ label: 'peak RSS (VmHWM)', unit: 'MB', value: (r) => r.hwmMb, compare: true });
  ctx.rows.push(...metricRows(name, runs, defs));
}
