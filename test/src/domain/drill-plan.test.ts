import { describe, expect, it } from 'vitest';
import {
  DrillPlanInput,
  drillWaitMs,
  drillWindowProblems,
  isAnnounced,
  isInstant,
  markDrillNoticed,
  owesDrillNotice,
  planFor,
  tokyoInstant,
  tokyoParts,
} from '../../../src/domain/drill-plan.js';
import { newDelivery } from '../../../src/domain/delivery.js';
import { AdvisoryInput } from '../../../src/domain/advisory.js';

const NOW = new Date('2026-03-01T00:00:00.000Z');
const H = 3600_000;
const iso = (ms: number) => new Date(NOW.getTime() + ms).toISOString();

const issues = (plan: unknown) =>
  DrillPlanInput.safeParse(plan).error?.issues.map((i) => [i.path.join('.'), (i as { params?: { drill?: string } }).params?.drill]) ?? [];
/** The issues whole, as zod reports them: the form reads the path and params.drill; the code and message are zod's own. */
const fullIssues = (plan: unknown) => DrillPlanInput.safeParse(plan).error?.issues ?? [];
const custom = (field: 'from' | 'to', message: string, drill: string) => ({ code: 'custom', path: [field], message, params: { drill } });

describe('the drill plan as the form submits it', () => {
  it('is unannounced unless asked, and needs no window then', () => {
    expect(DrillPlanInput.parse({})).toEqual({ announce: false });
    expect(issues({ announce: false, from: 'nonsense' })).toEqual([]);
  });

  it('when announcing, reports every problem of the window at once, on its start or its end', () => {
    expect(issues({ announce: true })).toEqual([
      ['from', 'required'],
      ['to', 'required'],
    ]);
    expect(issues({ announce: true, from: '  ', to: '2026-03-01 10:00' })).toEqual([
      ['from', 'required'],
      ['to', 'invalid'],
    ]);
    // A time without its zone would be read in the server's zone: refused.
    expect(issues({ announce: true, from: '2026-03-02T10:00', to: '2026-03-02T12:00:00+09:00' })).toEqual([['from', 'invalid']]);
    expect(issues({ announce: true, from: iso(2 * H), to: iso(H) })).toEqual([['to', 'order']]);
    expect(issues({ announce: true, from: iso(H), to: iso(H) })).toEqual([['to', 'order']]);
    expect(issues({ announce: true, from: iso(H), to: iso(H + 14 * 24 * H) })).toEqual([]);
    expect(issues({ announce: true, from: iso(H), to: iso(H + 14 * 24 * H + 60_000) })).toEqual([['to', 'tooLong']]);
  });

  it('files each problem as a custom issue with its message and rule, as the form reads it', () => {
    expect(fullIssues({ announce: true })).toEqual([custom('from', 'required', 'required'), custom('to', 'required', 'required')]);
    expect(fullIssues({ announce: true, from: 'soon', to: 'later' })).toEqual([custom('from', 'not a time', 'invalid'), custom('to', 'not a time', 'invalid')]);
    expect(fullIssues({ announce: true, from: iso(2 * H), to: iso(H) })).toEqual([custom('to', 'the window must end after it starts', 'order')]);
    expect(fullIssues({ announce: true, from: iso(H), to: iso(H + 15 * 24 * H) })).toEqual([custom('to', 'the window is too long', 'tooLong')]);
  });

  it('reads a start and an end with spaces around them as the times they are, and blanks as missing', () => {
    const padded = DrillPlanInput.parse({ announce: true, from: `  ${iso(H)} `, to: ` ${iso(2 * H)}\n` });
    expect(padded).toEqual({ announce: true, from: iso(H), to: iso(2 * H) });
    // The plan is the one the form was checked for: announced, sent at the window's start (not at once, unannounced).
    expect(planFor(true, padded, NOW)).toEqual({ plan: { announced: { at: NOW.toISOString(), window: { from: iso(H), to: iso(2 * H) } } }, sendAt: new Date(iso(H)) });
    expect(drillWindowProblems(DrillPlanInput.parse({ announce: true, from: ` ${iso(-2 * H)} `, to: ` ${iso(-H)} ` }), NOW)).toEqual([{ field: 'to', problem: 'ended' }]);
    expect(issues({ announce: true, from: iso(H), to: ' \t ' })).toEqual([['to', 'required']]);
  });

  it('reports a window problem together with the form’s other problems', () => {
    const bad = AdvisoryInput.safeParse({ title: '', body: 'b', source: 'nisc', tlp: 'TLP:GREEN', severity: 'level2', category: 'notice', drill: true, drillPlan: { announce: true, from: iso(2 * H), to: iso(H) }, targets: { allMembers: true } });
    expect(bad.error?.issues.map((i) => i.path.join('.'))).toEqual(['title', 'drillPlan.to']);
  });

  it('knows what needs the clock: a window already over, a start too far ahead', () => {
    expect(drillWindowProblems({ announce: true, from: iso(-2 * H), to: iso(-H) }, NOW)).toEqual([{ field: 'to', problem: 'ended' }]);
    expect(drillWindowProblems({ announce: true, from: iso(91 * 24 * H), to: iso(91 * 24 * H + H) }, NOW)).toEqual([{ field: 'from', problem: 'tooFarAhead' }]);
    expect(drillWindowProblems({ announce: true, from: iso(90 * 24 * H), to: iso(90 * 24 * H + H) }, NOW)).toEqual([]);
    // Started already but not over: fine (the drill goes out at once).
    expect(drillWindowProblems({ announce: true, from: iso(-H), to: iso(H) }, NOW)).toEqual([]);
    // A window ending this very moment is over: a drill sent now would land after it.
    expect(drillWindowProblems({ announce: true, from: iso(-H), to: iso(0) }, NOW)).toEqual([{ field: 'to', problem: 'ended' }]);
    expect(drillWindowProblems({ announce: true, from: iso(-H), to: iso(1) }, NOW)).toEqual([]);
    expect(drillWindowProblems({ announce: false, from: iso(-2 * H), to: iso(-H) }, NOW)).toEqual([]);
    expect(drillWindowProblems(undefined, NOW)).toEqual([]);
  });
});

describe('the plan a drill is recorded with', () => {
  it('records unannounced and sends now, or announced (when, which window, in UTC) and sends at the window’s start', () => {
    expect(planFor(false, { announce: true, from: iso(H), to: iso(2 * H) }, NOW)).toBeNull();
    expect(planFor(true, undefined, NOW)).toEqual({ plan: { unannounced: true }, sendAt: NOW });
    expect(planFor(true, { announce: false }, NOW)).toEqual({ plan: { unannounced: true }, sendAt: NOW });
    const announced = planFor(true, { announce: true, from: '2026-03-02T10:00:00+09:00', to: '2026-03-02T12:00:00+09:00' }, NOW);
    expect(announced).toEqual({
      plan: { announced: { at: NOW.toISOString(), window: { from: '2026-03-02T01:00:00.000Z', to: '2026-03-02T03:00:00.000Z' } } },
      sendAt: new Date('2026-03-02T01:00:00.000Z'),
    });
    expect(isAnnounced(announced!.plan)).toBe(true);
    expect(isAnnounced({ unannounced: true })).toBe(false);
    expect(isAnnounced(undefined)).toBe(false);
    // A window that has started: sent now, the window kept as members were told it.
    expect(planFor(true, { announce: true, from: iso(-H), to: iso(H) }, NOW)?.sendAt).toEqual(NOW);
  });

  it('says how long an announced drill still waits; nothing else waits', () => {
    const plan = { announced: { at: NOW.toISOString(), window: { from: iso(H), to: iso(2 * H) } } };
    expect(drillWaitMs({ drill: true, drillPlan: plan, issuedAt: iso(H) }, NOW)).toBe(H);
    expect(drillWaitMs({ drill: true, drillPlan: plan, issuedAt: iso(H) }, new Date(NOW.getTime() + H))).toBe(0);
    expect(drillWaitMs({ drill: true, drillPlan: { unannounced: true }, issuedAt: iso(H) }, NOW)).toBe(0);
    expect(drillWaitMs({ drill: false, issuedAt: iso(H) }, NOW)).toBe(0);
  });

  it('owes the announcement once per queued delivery of an announced drill, and records it once', () => {
    const plan = { announced: { at: NOW.toISOString(), window: { from: iso(H), to: iso(2 * H) } } };
    const d = newDelivery('DRL-2026-0001', 'jma', { platform: 'slack', workspaceId: 'T1', channelId: 'C1', sharedOutside: false }, NOW);
    expect(owesDrillNotice({ drill: true, drillPlan: plan }, d)).toBe(true);
    expect(owesDrillNotice({ drill: true, drillPlan: { unannounced: true } }, d)).toBe(false);
    expect(owesDrillNotice({ drill: false }, d)).toBe(false);
    // A copy already out (acknowledged, failed, cancelled) is past the announcement: it is owed only while the copy waits.
    for (const state of ['posted', 'acknowledged', 'failed', 'cancelled'] as const) expect(owesDrillNotice({ drill: true, drillPlan: plan }, { ...d, state }), state).toBe(false);
    const record = { at: NOW.toISOString(), messages: [{ platform: 'slack' as const, channelId: 'C1', messageId: 'm1' }] };
    const t = markDrillNoticed(d, record, NOW);
    expect(t.changed && t.next).toMatchObject({ drillNotice: record, version: 1 });
    expect(t.changed && 'refused' in t.next.drillNotice!).toBe(false);
    const again = markDrillNoticed(t.changed ? t.next : d, { ...record, messages: [] }, NOW);
    expect(again).toMatchObject({ changed: false, reason: 'already' });
    expect(owesDrillNotice({ drill: true, drillPlan: plan }, t.changed ? t.next : d)).toBe(false);
    expect(markDrillNoticed({ ...d, state: 'posted' }, record, NOW)).toMatchObject({ changed: false, reason: 'not-allowed' });
  });

  it('records a refusal with its reason, and no reason key at all when none was given', () => {
    const d = newDelivery('DRL-2026-0001', 'jma', { platform: 'slack', workspaceId: 'T1', channelId: 'C1', sharedOutside: false }, NOW);
    const refused = markDrillNoticed(d, { at: NOW.toISOString(), messages: [], refused: 'channel_gone' }, NOW);
    expect(refused.changed && refused.next.drillNotice).toEqual({ at: NOW.toISOString(), messages: [], refused: 'channel_gone' });
    // An explicit undefined would be stored as null by some stores: the key goes.
    // Frozen: the caller's record is not touched (deleting its key would throw here).
    const given = Object.freeze({ at: NOW.toISOString(), messages: [], refused: undefined });
    const t = markDrillNoticed(d, given, NOW);
    expect(t.changed && t.next.drillNotice).toStrictEqual({ at: NOW.toISOString(), messages: [] });
    expect('refused' in given).toBe(true);
  });
});

describe('Japan time on the forms', () => {
  it('reads a date and a time in Japan as an instant, and refuses what is not one', () => {
    expect(tokyoInstant('2026-03-02', '10:00')).toBe('2026-03-02T01:00:00.000Z');
    expect(tokyoInstant('2026-03-02', '00:30')).toBe('2026-03-01T15:30:00.000Z');
    expect(tokyoInstant(' 2026-03-02 ', '10:00:00')).toBe('2026-03-02T01:00:00.000Z');
    expect(tokyoInstant('2026-03-02', ' 10:00 ')).toBe('2026-03-02T01:00:00.000Z');
    expect(tokyoInstant('2026-02-28', '23:59:59')).toBe('2026-02-28T14:59:59.000Z');
    // Only hh:mm or hh:mm:ss (a fraction parses, but is not what the form's time is); 24:00 is the next day, not this one.
    for (const [d, t] of [['2026-02-30', '10:00'], ['2026-03-02', '25:00'], ['2026-03-02', '24:00'], ['2026-03-02', '10:00:00.500'], ['2026/03/02', '10:00'], ['', '10:00'], ['2026-03-02', ''], [undefined, undefined]] as const) {
      expect(tokyoInstant(d, t), `${d} ${t}`).toBeNull();
    }
    expect(tokyoParts('2026-03-01T15:30:00.000Z')).toEqual({ date: '2026-03-02', time: '00:30' });
    expect(isInstant('2026-03-02T10:00:00+09:00')).toBe(true);
    expect(isInstant('2026-03-02T10:00:00.000Z')).toBe(true);
    expect(isInstant('2026-03-02T10:00+09:00')).toBe(true);
    expect(isInstant('2026-03-02T10:00:00')).toBe(false);
    expect(isInstant(42)).toBe(false);
    // Not a string, though it reads as one when turned into text.
    expect(isInstant(['2026-03-02T10:00:00Z'])).toBe(false);
    // The plain four-digit year only: Date.parse takes a signed six-digit one (year −2026 here), the form never sends it.
    expect(isInstant('-002026-03-02T10:00:00Z')).toBe(false);
    expect(isInstant('+002026-03-02T10:00:00Z')).toBe(false);
  });
});
