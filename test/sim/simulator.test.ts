/**
 * The capacity simulator end to end (issue 13): the bot as startBot composes it, on the real Redis, with the emulated
 * platform and a scaled clock, driven by the simulated people. A small sector at a fast scale: 60 members, 2 and 4
 * phone staff, twice with the same seed.
 */
import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../sim/args.js';
import { deterministicPart, type RunFigures } from '../../sim/figures.js';
import { simulate, type Simulation } from '../../sim/simulate.js';

const ARGS = ['--members', '60', '--silent', '20%', '--phone-staff', '2,4', '--answer-rate', '70%', '--call-minutes', '3', '--policy', 'level4', '--scale', '600', '--seed', 'test-sim-1'];

const byStaff = (sim: Simulation, n: number) => sim.runs.find((r) => r.staff === n) as RunFigures;

describe('npm run simulate', () => {
  let first: Simulation;
  let second: Simulation;

  it('runs the real workflows for 2 and 4 phone staff: every member confirmed, the bot’s record agreeing with the people’s', async () => {
    first = await simulate(parseArgs(ARGS));
    expect(first.runs.map((r) => r.staff)).toEqual([2, 4]);
    for (const r of first.runs) {
      expect(r.problems).toEqual([]);
      expect(r.bot.errors).toBe(0);
      // 12 silent members, only the phone reaches them; with three rounds of calls at 70 % everyone is reached here.
      expect(r.members).toBe(60);
      expect(r.confirmed).toBe(60);
      expect(r.minutesTo.p100).not.toBeNull();
      expect(r.stages.phone).toBeGreaterThanOrEqual(12);
      expect(r.phone.tasks).toBe(r.stages.phone + r.stages.buttonAfterDeadline);
      // The bot recorded what the people did: every acknowledgement, each by the way it came, and every call it
      // could record (an outcome after the member pressed during the call is refused).
      expect(r.bot.acknowledged).toBe(r.confirmed);
      expect(r.bot.byPhone).toBe(r.stages.phone);
      expect(r.bot.byButton).toBe(r.confirmed - r.stages.phone);
      expect(r.bot.callsRecorded).toBeLessThanOrEqual(r.phone.calls);
      expect(r.bot.closed).toBe(true);
      // The reach report the secretariat would get says the same.
      expect(r.bot.reach?.rates['byPhone']?.count).toBe(r.stages.phone);
      expect(r.bot.reach?.rates['acknowledged']?.count).toBe(60);
      // The peak of open tasks is the members not confirmed at the phone step, and the board counted as many.
      expect(r.phone.peakOpen).toBe(r.phone.tasks);
      expect(r.phone.peakAtMinutes).toBe(15);
      expect(r.bot.boardPeakOpen).toBe(r.phone.tasks);
    }
  }, 120_000);

  it('gives the same figures twice with the same seed', async () => {
    second = await simulate(parseArgs(ARGS));
    expect(second.runs.map(deterministicPart)).toEqual(first.runs.map(deterministicPart));
  }, 120_000);

  it('never finishes later with more phone staff', () => {
    for (const sim of [first, second]) {
      const two = byStaff(sim, 2);
      const four = byStaff(sim, 4);
      expect(four.minutesTo.p95 as number).toBeLessThanOrEqual(two.minutesTo.p95 as number);
      expect(four.minutesTo.p100 as number).toBeLessThanOrEqual(two.minutesTo.p100 as number);
      expect(four.phone.lastCallEndedMinutes as number).toBeLessThanOrEqual(two.phone.lastCallEndedMinutes as number);
      // And the phones made a difference: the last member was reached sooner.
      expect(four.minutesTo.p100 as number).toBeLessThan(two.minutesTo.p100 as number);
    }
  });
});
