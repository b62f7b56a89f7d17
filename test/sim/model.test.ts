/** The simulator's draws, options and figures, without the bot. */
import { describe, expect, it } from 'vitest';
import { parseArgs, share } from '../../sim/args.js';
import { timeToShare } from '../../sim/figures.js';
import { Heap } from '../../sim/heap.js';
import { DEFAULT_PARAMS, planPopulation } from '../../sim/model.js';
import { cyrb53, stream } from '../../sim/random.js';
import { sectorDirectory } from '../../sim/sector.js';
import { DirectoryFile } from '../../src/directory/schema.js';

describe('seeded draws', () => {
  it('repeat with the same seed and name, and differ with another', () => {
    const a = stream('s', 'member 1');
    const b = stream('s', 'member 1');
    const draws = Array.from({ length: 5 }, () => a.uniform());
    expect(Array.from({ length: 5 }, () => b.uniform())).toEqual(draws);
    expect(stream('s', 'member 2').uniform()).not.toBe(draws[0]);
    expect(stream('t', 'member 1').uniform()).not.toBe(draws[0]);
    expect(cyrb53('abc')).toBe(cyrb53('abc'));
  });

  it('have the shapes the docs say: uniform in [0, 1), lognormal around its median', () => {
    const s = stream('shape', 'x');
    const u = Array.from({ length: 20_000 }, () => s.uniform());
    expect(Math.min(...u)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...u)).toBeLessThan(1);
    expect(u.reduce((a, b) => a + b, 0) / u.length).toBeCloseTo(0.5, 1);
    const l = Array.from({ length: 20_000 }, () => s.lognormal(5, 1)).sort((a, b) => a - b);
    expect(l[10_000] as number).toBeGreaterThan(4.7);
    expect(l[10_000] as number).toBeLessThan(5.3);
    expect(stream('shape', 'y').lognormal(3, 0)).toBe(3);
  });
});

describe('the population', () => {
  const params = { ...DEFAULT_PARAMS, members: 200, silent: 0.2 };

  it('has exactly round(members × silent) silent members, who never press', () => {
    const plan = planPopulation(params);
    const silent = plan.filter((m) => m.silent);
    expect(silent).toHaveLength(40);
    for (const m of silent) expect(m.ownPressMinutes).toBe(Number.POSITIVE_INFINITY);
    for (const m of plan.filter((x) => !x.silent)) expect(Number.isFinite(m.ownPressMinutes)).toBe(true);
  });

  it('gives each member the same draws whatever else changes: the number of members, the rounds, the staff', () => {
    const small = planPopulation(params);
    const large = planPopulation({ ...params, members: 400, retryRounds: 4 });
    // A member's own draws are theirs: a larger sector does not move them (who is silent is chosen among all).
    expect(large[7]?.ownPressMinutes === small[7]?.ownPressMinutes || large[7]?.silent !== small[7]?.silent).toBe(true);
    expect(large[7]?.calls[0]).toEqual(small[7]?.calls[0]);
    expect(planPopulation(params)).toEqual(small);
  });

  it('draws a call per member, contact and round: answered at the answer rate, ringing out otherwise', () => {
    const plan = planPopulation({ ...params, members: 2000, answerRate: 0.7 });
    const first = plan.map((m) => m.calls[0]?.[0]);
    const answered = first.filter((c) => c?.outcome === 'reached').length / first.length;
    expect(answered).toBeGreaterThan(0.66);
    expect(answered).toBeLessThan(0.74);
    const wrong = planPopulation({ ...params, wrongNumberRate: 1 });
    expect(wrong.every((m) => m.calls.every((round) => round.every((c) => c.outcome === 'wrong_number')))).toBe(true);
  });
});

describe('the sector', () => {
  it('is a directory the bot accepts: members with a channel and contacts, the staff on call', () => {
    const parsed = DirectoryFile.safeParse(sectorDirectory(120, 3, 4));
    expect(parsed.success).toBe(true);
    expect(parsed.data?.organisations).toHaveLength(120);
    expect(parsed.data?.organisations[0]?.contacts).toHaveLength(3);
    expect(parsed.data?.oncall.users).toHaveLength(4);
  });
});

describe('options and figures', () => {
  it('reads shares as percent or fractions, and refuses what is not one', () => {
    expect(share('20%', '--silent')).toBe(0.2);
    expect(share('0.2', '--silent')).toBe(0.2);
    expect(share('20', '--silent')).toBe(0.2);
    expect(() => share('120%', '--silent')).toThrow(/share/);
    const a = parseArgs(['--members', '1800', '--silent', '20%', '--phone-staff', '8,2,4', '--answer-rate', '70%', '--call-minutes', '3', '--policy', 'level4'], {});
    expect(a.staff).toEqual([2, 4, 8]);
    expect(a.params).toMatchObject({ members: 1800, silent: 0.2, answerRate: 0.7, callMinutes: 3 });
    expect(a.policy).toBe('level4');
    expect(() => parseArgs(['--policy', 'level9'], {})).toThrow(/level4/);
    expect(() => parseArgs(['--members'], {})).toThrow(/needs a value/);
    expect(() => parseArgs(['--bogus', '1'], {})).toThrow(/unknown option/);
  });

  it('takes the time to a share as the time of the member who completes it; never when too few were confirmed', () => {
    const times = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20];
    expect(timeToShare(times, 20, 0.95)).toBe(19);
    expect(timeToShare(times, 20, 1)).toBe(20);
    expect(timeToShare(times.slice(0, 18), 20, 0.95)).toBeNull();
    expect(timeToShare([], 0, 1)).toBe(0);
  });

  it('orders events by time and then by the order given', () => {
    const h = new Heap<[number, number]>((a, b) => a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]));
    for (const e of [[3, 0], [1, 1], [2, 2], [1, 3], [0, 4]] as [number, number][]) h.push(e);
    const out: [number, number][] = [];
    for (let e = h.pop(); e; e = h.pop()) out.push(e);
    expect(out).toEqual([[0, 4], [1, 1], [1, 3], [2, 2], [3, 0]]);
  });
});
