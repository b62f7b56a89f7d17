/**
 * (6) The on-call desk at sector scale (issue 14): a sector of --board-members (1,800), 20% silent, under the
 * platforms' limits, with the on-call channel on Slack (about 1 message a second per channel, a burst of 3, the
 * workspace rate) or on Teams (7 a second per conversation, the tenant rate). After the fan-out 80% acknowledge
 * (signed presses over 10 s); the silent 20% reach the phone step in the same second. Measured: for each silent
 * member, when its task was first claimable on the phone-task board − when its phone step was due, and when it first
 * showed overdue − when the next-contact step was due; members never on the board or listed twice; 429s per 100
 * calls over the whole run (every call to either platform); advisories lost or duplicated. The bot only: the bare
 * baseline has no board (the goal is absolute: on the board within 60 s of the due time, no 429 storm).
 */
import type { EscalationPolicy } from '../../src/domain/escalation.js';
import { pressTarget, Sector, type PressTarget } from '../classify.js';
import { BoardWatch } from '../board-watch.js';
import { measure } from '../measure.js';
import { sectorMembers, type SectorShape } from '../members.js';
import { until, type Platforms } from '../platforms.js';
import { metricRows } from '../report.js';
import { distribution, type Distribution } from '../stats.js';
import type { UnderTest } from '../under-test.js';
import type { Context } from './context.js';
import { fanoutRun, FanoutTally } from './fanout-run.js';
import { sendPresses } from './presses.js';
import { LARGE_ONCALL } from '../../test/support/large-directory.js';

/** One member in five is silent, spread over both platforms. */
export const SILENT_EVERY = 5;
const PRESS_WINDOW_MS = 10_000;

/**
 * A ladder whose phone step comes after the fan-out and the presses are done at the limits (else acknowledging
 * members would reach it too): 30 s plus one per 30 members (1,800: the reminder at +45 s, the phone at +90 s).
 */
export function boardLadder(members: number): EscalationPolicy {
  const deadline = 30 + Math.ceil(members / 30);
  return { enabled: true, deadline, reminderBefore: Math.floor(deadline / 2), nextContactEvery: 30, alertAfter: 60 };
}

export interface BoardResult {
  silent: number;
  /** On the board (claimable) − phone step due, per silent member. */
  listed: Distribution;
  /** Shown overdue − next-contact step due, per silent member. */
  overdue: Distribution;
  neverListed: number;
  listedTwice: number;
  /** Members on the board who did acknowledge (their phone step must not have run). */
  listedButAcknowledged: number;
  calls: number;
  throttled: number;
  boardCalls: number;
  boardThrottled: number;
  fanoutLost: number;
  fanoutDuplicated: number;
  pressesFailed: number;
}

export async function boardRun(ut: UnderTest, platforms: Platforms, sector: Sector, oncall: 'slack' | 'teams', waitAfterMs = 60_000): Promise<BoardResult> {
  const targets: PressTarget[] = [];
  const watch = new BoardWatch(LARGE_ONCALL[oncall].id);
  let calls = 0;
  let throttled = 0;
  const tally = new FanoutTally(sector, platforms, (s) => {
    calls++;
    if (s.status === 429) throttled++;
    const t = pressTarget(sector, s);
    if (t) targets.push(t);
    watch.see(s);
  });
  const fan = await fanoutRun(ut, platforms, sector, 120_000 + sector.members.length * 40, tally);
  const silent = new Set(sector.members.filter((_, i) => i % SILENT_EVERY === 0).map((m) => m.id));
  const pressed = await sendPresses(ut, platforms, targets.filter((t) => !silent.has(t.member.id)), PRESS_WINDOW_MS);
  const due = await ut.ladderDue();
  const phoneDue = due.phone ?? Number.NaN;
  const overdueDue = due['next-contact'] ?? Number.NaN;
  const all = (m: Map<string, number>) => [...silent].every((id) => m.has(id));
  await until(() => {
    tally.poll();
    return all(watch.firstListed) && all(watch.firstOverdue);
  }, overdueDue + waitAfterMs - Date.now(), 250);
  // Edits still on their way land before the queues are idle (the later ladder steps stay delayed).
  await until(async () => ut.idle(), 30_000, 200);
  tally.poll();
  const lateness = (m: Map<string, number>, from: number) => [...silent].filter((id) => m.has(id)).map((id) => (m.get(id) as number) - from);
  const now = watch.listedNow();
  return {
    silent: silent.size,
    listed: distribution(lateness(watch.firstListed, phoneDue)),
    overdue: distribution(lateness(watch.firstOverdue, overdueDue)),
    neverListed: [...silent].filter((id) => !watch.firstListed.has(id)).length,
    listedTwice: now.twice,
    listedButAcknowledged: [...watch.firstListed.keys()].filter((id) => !silent.has(id)).length,
    calls,
    throttled,
    boardCalls: watch.calls,
    boardThrottled: watch.throttled,
    fanoutLost: fan.lost,
    fanoutDuplicated: fan.duplicated,
    pressesFailed: pressed.failed,
  };
}

export async function boardScenario(ctx: Context): Promise<void> {
  for (const oncall of ['slack', 'teams'] as const) {
    const sector: SectorShape = { members: ctx.args.boardMembers, contacts: 2, oncall };
    const members = new Sector(sectorMembers(sector));
    const name = `board ${ctx.args.boardMembers}, 20% silent, on-call on ${oncall}, limits on`;
    const limits = { latencyMs: 50, limits: { slackPerSecond: ctx.args.slackRate, teamsPerSecond: ctx.args.teamsRate } };
    const bot: (BoardResult & { hwmMb: number })[] = [];
    for (let i = 0; i < ctx.args.runs; i++) {
      const started = Date.now();
      bot.push(await measure('bot', { sector, concurrency: ctx.args.concurrency, rate: undefined, ladder: boardLadder(sector.members) }, limits, (ut, p) => boardRun(ut, p, members, oncall)));
      process.stderr.write(`  ${name}: run ${i + 1}/${ctx.args.runs} done in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    }
    const runs = { bot, baseline: [] };
    ctx.raw[name] = runs;
    ctx.rows.push(
      ...metricRows(name, runs, [
        { label: 'on the board after the phone step was due, p50', unit: 'ms', value: (r) => r.listed.p50 },
        { label: 'on the board after the phone step was due, p99', unit: 'ms', value: (r) => r.listed.p99 },
        { label: 'on the board after the phone step was due, max', unit: 'ms', value: (r) => r.listed.max },
        { label: 'shown overdue after the next contact was due, p99', unit: 'ms', value: (r) => r.overdue.p99 },
        { label: 'shown overdue after the next contact was due, max', unit: 'ms', value: (r) => r.overdue.max },
        { label: 'silent members never on the board', unit: '', value: (r) => r.neverListed },
        { label: 'tasks listed on two pages at once', unit: '', value: (r) => r.listedTwice },
        { label: 'acknowledging members on the board', unit: '', value: (r) => r.listedButAcknowledged },
        { label: '429s per 100 calls (whole run)', unit: '', value: (r) => (r.throttled / r.calls) * 100 },
        { label: 'calls to the platforms (whole run)', unit: '', value: (r) => r.calls },
        { label: 'board posts and edits', unit: '', value: (r) => r.boardCalls },
        { label: 'advisories lost / duplicated', unit: '', value: (r) => r.fanoutLost + r.fanoutDuplicated },
        { label: 'peak RSS (VmHWM)', unit: 'MB', value: (r) => r.hwmMb },
      ]),
    );
  }
}
