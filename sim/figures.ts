/**
 * A run's figures. The main ones are taken on the simulated people's timeline (sim/world.ts) and repeat exactly
 * with the same seed and parameters; the bot's own record of the same run is summarised beside them (its times carry
 * the bot's real-time lag, multiplied by the scale, and are rounded to the minute).
 */
import type { ReachReport } from '../src/domain/reach.js';
import type { RunOutcome } from './run.js';

const MINUTE = 60_000;

/** Minutes after issue, to 0.1. */
const minutes = (ms: number) => Math.round(ms / 6_000) / 10;

/** The time (after issue) by which `share` of `total` were confirmed, or null if they never were. */
export function timeToShare(sortedAtMs: readonly number[], total: number, share: number): number | null {
  const need = Math.ceil(total * share - 1e-9);
  if (need === 0) return 0;
  const at = sortedAtMs[need - 1];
  return at === undefined ? null : at;
}

function quantile(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i] as number;
}

export interface RunFigures {
  staff: number;
  members: number;
  /** Members confirmed (acknowledged by button, or reached by phone) and not. */
  confirmed: number;
  notConfirmed: number;
  /** Minutes after issue until that share of the members were confirmed; null: never in this run. */
  minutesTo: { p50: number | null; p90: number | null; p95: number | null; p100: number | null };
  stages: {
    /** Pressed before the reminder, before the deadline (the phone step), after it; reached by phone; never. */
    buttonBeforeReminder: number;
    buttonBeforeDeadline: number;
    buttonAfterDeadline: number;
    phone: number;
    never: number;
  };
  phone: {
    tasks: number;
    /** The most tasks open (not ended) at once, and when (minutes after issue). */
    peakOpen: number;
    peakAtMinutes: number | null;
    reached: number;
    /** The member pressed before anyone reached them. */
    acknowledgedMeanwhile: number;
    /** Every contact tried in every round without reaching anyone: the bot alerted the secretariat. */
    givenUp: number;
    /** Calls made; per person; the share of the time from the phone step to the last call's end each was on the phone. */
    calls: number;
    callsPerStaff: number[];
    utilisation: number[];
    /** Minutes after issue when the last call ended. */
    lastCallEndedMinutes: number | null;
  };
  /** Cumulative confirmed and open tasks at the end of each minute after issue, to the end of the run. */
  series: { minute: number; confirmed: number; byPhone: number; openTasks: number }[];
  /** The bot's own record of the run (its store), and how far it ran behind the people's timeline. */
  bot: {
    acknowledged: number;
    byButton: number;
    byPhone: number;
    /** Rounded to whole minutes: the bot's times carry its real-time lag × scale. */
    minutesTo: { p95: number | null; p100: number | null };
    /** Calls the bot recorded: attempts plus reaches (outcomes of calls the member had made moot are refused). */
    callsRecorded: number;
    /** Clock seconds from a person's planned action to the bot's record of the acknowledgement: median, 99th, max. */
    lagSeconds: { p50: number | null; p99: number | null; max: number | null };
    /** Clock seconds a phone person's actions ran behind plan (waiting for the bot): median, 99th, max. */
    phoneLagSeconds: { p50: number | null; p99: number | null; max: number | null };
    boardPeakOpen: number;
    closed: boolean;
    /** Lines logged at warn, besides the expected "phone task overdue" marks (counted apart), and at error. */
    warnings: number;
    errors: number;
    overdueMarks: number;
    /** What the bot logged at warn or above, by message. */
    logged: Record<string, number>;
    /** The bot's reach report of the run (rates and times as it reports them to the secretariat). */
    reach?: { rates: Record<string, { count: number; percent: number }>; stages: Record<string, number>; medianMinutes: number | null; p90Minutes: number | null } | undefined;
    /** Presses made again because the bot had not yet recorded the message (a press a moment after the post). */
    pressedAgain: number;
    platformCalls: Record<string, number>;
  };
  problems: string[];
  wallSeconds: number;
  /** The reach chart's SVG file, written beside the JSON (npm run simulate). */
  chart?: string | undefined;
}

/** The bot's warning when a next-contact step passes a task nobody has called: expected while the phones are busy. */
const OVERDUE = 'phone task overdue';

function reachSummary(r: ReachReport): NonNullable<RunFigures['bot']['reach']> {
  const rates: Record<string, { count: number; percent: number }> = {};
  for (const [key, rate] of Object.entries(r.rates)) rates[key] = { count: rate.count, percent: rate.percent };
  const m = (s: number | null) => (s === null ? null : Math.round(s / 6) / 10);
  return { rates, stages: { ...r.stages }, medianMinutes: m(r.times.medianSeconds), p90Minutes: m(r.times.p90Seconds) };
}

export function figuresOf(run: RunOutcome): RunFigures {
  const { world, bot, issuedAtMs, reminderAtMs, phoneAtMs } = run;
  const total = run.settings.params.members;
  const confirmations = [...world.confirmations.values()];
  const times = confirmations.map((c) => c.at - issuedAtMs).sort((a, b) => a - b);
  const at = (share: number) => {
    const t = timeToShare(times, total, share);
    return t === null ? null : minutes(t);
  };
  const reminder = reminderAtMs ?? Number.POSITIVE_INFINITY;
  const phoneAt = phoneAtMs ?? Number.POSITIVE_INFINITY;
  const stages = { buttonBeforeReminder: 0, buttonBeforeDeadline: 0, buttonAfterDeadline: 0, phone: 0, never: total - confirmations.length };
  for (const c of confirmations) {
    if (c.how === 'phone') stages.phone += 1;
    else if (c.at < reminder) stages.buttonBeforeReminder += 1;
    else if (c.at < phoneAt) stages.buttonBeforeDeadline += 1;
    else stages.buttonAfterDeadline += 1;
  }

  // Open tasks over time: +1 when a task opens, −1 when it ends.
  const tasks = [...world.tasks.values()];
  const steps: [number, number][] = [];
  for (const t of tasks) {
    steps.push([t.openedAt, +1]);
    if (t.ended) steps.push([t.ended.at, -1]);
  }
  steps.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let open = 0;
  let peakOpen = 0;
  let peakAt: number | null = null;
  for (const [when, d] of steps) {
    open += d;
    if (open > peakOpen) {
      peakOpen = open;
      peakAt = when;
    }
  }
  const callEnds = tasks.flatMap((t) => (t.ended && t.ended.how !== 'acknowledged' ? [t.ended.at] : []));
  const lastCallEnded = callEnds.length > 0 ? Math.max(...callEnds) : null;
  const phoneWindow = lastCallEnded !== null && phoneAtMs !== undefined ? lastCallEnded - phoneAtMs : 0;

  const endMinute = Math.ceil((world.stoppedAt - issuedAtMs) / MINUTE);
  const series: RunFigures['series'] = [];
  for (let minute = 0; minute <= endMinute; minute++) {
    const until = issuedAtMs + minute * MINUTE;
    series.push({
      minute,
      confirmed: confirmations.filter((c) => c.at <= until).length,
      byPhone: confirmations.filter((c) => c.how === 'phone' && c.at <= until).length,
      openTasks: tasks.filter((t) => t.openedAt <= until && !(t.ended && t.ended.at <= until)).length,
    });
  }

  // The bot's record.
  const overdueMarks = Object.entries(bot.log.byMessage).reduce((n, [msg, count]) => n + (msg.startsWith(OVERDUE) ? count : 0), 0);
  const issued = Date.parse(bot.issuedAt);
  const acked = bot.deliveries.filter((d) => d.acknowledged);
  const botTimes = acked.map((d) => Date.parse(d.acknowledged?.at as string) - issued).sort((a, b) => a - b);
  const botAt = (share: number) => {
    const t = timeToShare(botTimes, total, share);
    return t === null ? null : Math.round(t / MINUTE);
  };
  const memberIndex = (memberId: string) => Number(memberId.slice(2)) - 1;
  const lags: number[] = [];
  for (const d of acked) {
    const planned = world.confirmations.get(memberIndex(d.memberId));
    if (planned) lags.push((Date.parse(d.acknowledged?.at as string) - planned.at) / 1000);
  }
  lags.sort((a, b) => a - b);
  const phoneLags = [...world.lagMs].map((ms) => ms / 1000).sort((a, b) => a - b);
  const round1 = (v: number | null) => (v === null ? null : Math.round(v * 10) / 10);
  const lagOf = (sorted: number[]) => ({ p50: round1(quantile(sorted, 0.5)), p99: round1(quantile(sorted, 0.99)), max: round1(sorted.at(-1) ?? null) });

  return {
    staff: run.settings.staff,
    members: total,
    confirmed: confirmations.length,
    notConfirmed: total - confirmations.length,
    minutesTo: { p50: at(0.5), p90: at(0.9), p95: at(0.95), p100: at(1) },
    stages,
    phone: {
      tasks: tasks.length,
      peakOpen,
      peakAtMinutes: peakAt === null ? null : minutes(peakAt - issuedAtMs),
      reached: tasks.filter((t) => t.ended?.how === 'reached').length,
      acknowledgedMeanwhile: tasks.filter((t) => t.ended?.how === 'acknowledged').length,
      givenUp: tasks.filter((t) => t.ended?.how === 'given-up').length,
      calls: world.callsMade,
      callsPerStaff: world.staff.map((s) => s.calls),
      utilisation: world.staff.map((s) => (phoneWindow > 0 ? Math.round((s.busyMs / phoneWindow) * 100) / 100 : 0)),
      lastCallEndedMinutes: lastCallEnded === null ? null : minutes(lastCallEnded - issuedAtMs),
    },
    series,
    bot: {
      acknowledged: acked.length,
      byButton: acked.filter((d) => d.acknowledged?.via === 'button').length,
      byPhone: acked.filter((d) => d.acknowledged?.via === 'phone').length,
      minutesTo: { p95: botAt(0.95), p100: botAt(1) },
      callsRecorded: bot.tasks.reduce((n, t) => n + t.attempts.length + (t.resolution?.kind === 'reached' ? 1 : 0), 0),
      lagSeconds: lagOf(lags),
      phoneLagSeconds: lagOf(phoneLags),
      boardPeakOpen: world.boardPeakOpen,
      closed: bot.closed,
      warnings: bot.log.warn - overdueMarks,
      errors: bot.log.error,
      overdueMarks,
      logged: { ...bot.log.byMessage },
      ...(bot.reach ? { reach: reachSummary(bot.reach.report) } : {}),
      pressedAgain: world.pressedAgain,
      platformCalls: { ...bot.platformCalls },
    },
    problems: [...world.problems],
    wallSeconds: Math.round(run.wallSeconds * 10) / 10,
  };
}

/** The figures that must repeat exactly with the same seed and parameters (the test compares these). */
export function deterministicPart(f: RunFigures): unknown {
  return { staff: f.staff, members: f.members, confirmed: f.confirmed, minutesTo: f.minutesTo, stages: f.stages, phone: f.phone, series: f.series };
}
