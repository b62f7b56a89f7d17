/**
 * The bench, small (200 members, half on Teams, the platforms' limits on), as a test of correctness
 * only — never of time: the bot as its own process posts to every member exactly once, a few members'
 * presses are each recorded once and their messages updated, and the first ladder step runs exactly
 * once for every member who did not acknowledge and for nobody who did. The bare baseline's fan-out
 * runs too, so the bench's own machinery cannot rot unnoticed. The board scenario runs small too: the silent members'
 * tasks are each on the on-call channel's phone-task board exactly once, and nobody else's.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { runBotFrom } from '../../bench/bot-under-test.js';
import { pressTarget, Sector, stepCall, type PressTarget } from '../../bench/classify.js';
import { measure } from '../../bench/measure.js';
import { sectorMembers } from '../../bench/members.js';
import { until } from '../../bench/platforms.js';
import { fanoutRun, FanoutTally } from '../../bench/scenarios/fanout-run.js';
import { sendPresses } from '../../bench/scenarios/presses.js';
import { boardLadder, boardRun } from '../../bench/scenarios/board.js';

const MEMBERS = 200;
const PRESSES = 10;
const LIMITS = { latencyMs: 0, limits: { slackPerSecond: 50, teamsPerSecond: 50 } };
// Only the reminder falls inside the test: at +20 s, when every post is long done; the phone step is a minute away.
const REMINDER_ONLY = { enabled: true, deadline: 60, reminderBefore: 40, nextContactEvery: 60, alertAfter: 600 };

describe('the bench, small, with the platforms limits on', () => {
  afterEach(() => runBotFrom('src/main.ts', [], {}, 1));

  // Two processes: the bot scaled out on one store and one Redis (--processes), presses spread over both.
  it.each([1, 2])('the bot in %i process(es): nothing lost or duplicated, every press recorded once, one reminder for each silent member only', async (processes) => {
    runBotFrom('src/main.ts', [], {}, processes);
    const sector = { members: MEMBERS, contacts: 1 };
    const members = new Sector(sectorMembers(sector));
    const result = await measure('bot', { sector, concurrency: 20, rate: 50, ladder: REMINDER_ONLY }, LIMITS, async (ut, platforms) => {
      const targets: PressTarget[] = [];
      const reminders = new Map<string, number>();
      const tally = new FanoutTally(members, platforms, (s) => {
        const t = pressTarget(members, s);
        if (t) targets.push(t);
        const step = stepCall(members, s);
        if (step?.kind === 'reminder' && step.member) reminders.set(step.member, (reminders.get(step.member) ?? 0) + 1);
      });
      const fan = await fanoutRun(ut, platforms, members, 90_000, tally);
      const pressed = targets.slice(0, PRESSES);
      const presses = await sendPresses(ut, platforms, pressed, 1_000);
      await until(async () => (await ut.acknowledgements()).recorded >= PRESSES, 15_000);
      const due = (await ut.ladderDue()).reminder ?? Number.NaN;
      await until(() => {
        tally.poll();
        return reminders.size >= MEMBERS - PRESSES && Date.now() > due;
      }, due - Date.now() + 30_000);
      // Anything that would come twice has come once the queues are idle (the ladder's later steps stay delayed).
      await until(async () => ut.idle(), 20_000, 200);
      tally.poll();
      return { fan, presses, pressed: pressed.map((t) => t.member.id), acks: await ut.acknowledgements(), steps: await ut.stepsDone(), reminders, pids: ut.pids.length };
    });

    expect(result.pids).toBe(processes);
    expect(result.fan).toMatchObject({ lost: 0, duplicated: 0 });
    expect(result.presses.failures).toEqual({});
    expect(result.presses.failed).toBe(0);
    expect(result.acks).toEqual({ recorded: PRESSES, duplicates: 0 });
    const silent = members.members.map((m) => m.id).filter((id) => !result.pressed.includes(id));
    expect(silent.filter((id) => result.steps.reminder.get(id) !== 1), 'reminder run exactly once (store)').toEqual([]);
    expect(silent.filter((id) => result.reminders.get(id) !== 1), 'reminder posted exactly once').toEqual([]);
    expect(result.pressed.filter((id) => result.steps.reminder.has(id) || result.reminders.has(id)), 'no reminder after acknowledging').toEqual([]);
  }, 120_000);

  it('the bare baseline: nothing lost or duplicated', async () => {
    const sector = { members: MEMBERS, contacts: 1 };
    const members = new Sector(sectorMembers(sector));
    const fan = await measure('baseline', { sector, concurrency: 20, rate: 100 }, LIMITS, (ut, platforms) => fanoutRun(ut, platforms, members, 60_000));
    expect(fan).toMatchObject({ lost: 0, duplicated: 0 });
  }, 90_000);

  it('the phone-task board (on-call on Slack, 100 members, 20 silent): every silent member on it once, nobody else, no 429 storm', async () => {
    const sector = { members: 100, contacts: 2, oncall: 'slack' as const };
    const members = new Sector(sectorMembers(sector));
    const r = await measure('bot', { sector, concurrency: 20, rate: undefined, ladder: boardLadder(sector.members) }, LIMITS, (ut, platforms) => boardRun(ut, platforms, members, 'slack', 20_000));
    expect(r).toMatchObject({ silent: 20, neverListed: 0, listedTwice: 0, listedButAcknowledged: 0, fanoutLost: 0, fanoutDuplicated: 0, pressesFailed: 0 });
    // Every silent member's row came, and showed overdue once the next contact was due.
    expect(r.listed.n).toBe(20);
    expect(r.overdue.n).toBe(20);
    // The board is a page, posted once and edited: not a message per task.
    expect(r.boardCalls).toBeLessThan(20);
    expect(r.throttled).toBeLessThanOrEqual(Math.ceil(r.calls * 0.03));
  }, 180_000);
});
