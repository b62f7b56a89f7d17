import { z } from 'zod';
import type { Delivery, DrillNoticeRecord, Transition } from './delivery.js';

/**
 * A drill's schedule (訓練の予告): the secretariat either tells the targeted members in advance that a drill will come
 * within a window — a notice in every targeted member's channel, "a drill will be sent between 10:00 and 12:00" — and
 * the drill then goes out at the window's start, or runs it unannounced (抜き打ち), sent at once. The record keeps
 * which, so the reach report can say how the figures were obtained: members who knew a drill was coming answer
 * faster than members who did not.
 */

/** The window the announcement names (ISO instants). The drill goes out at `from`; `to` closes the window. */
export interface DrillWindow {
  from: string;
  to: string;
}

/** As recorded on the drill's advisory record (Advisory.drillPlan). Absent on real advisories and older drills. */
export type DrillPlan =
  /** `at`: when the announcement was made (the drill was issued); `window`: what members were told. */
  | { announced: { at: string; window: DrillWindow } }
  | { unannounced: true };

/** The longest window an announcement may name: a drill "some time in the next month" tells members little. */
export const DRILL_WINDOW_MAX_DAYS = 14;
/** How far ahead a drill may be announced. */
export const DRILL_ANNOUNCE_AHEAD_MAX_DAYS = 90;
/** The announcement notice's own label: it carries nothing of the drill's content, only that one is coming. */
export const DRILL_NOTICE_TLP = 'TLP:GREEN' as const;

const DAY_MS = 24 * 3600 * 1000;

/** An instant with its zone (Z or ±hh:mm): a time without one would be read in whatever zone the server runs in. */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

export function isInstant(v: unknown): v is string {
  return typeof v === 'string' && INSTANT.test(v) && Number.isFinite(Date.parse(v));
}

/**
 * What the drill form submits: announce now with a window, or not (the default: unannounced). Only a drill has a
 * plan; a real advisory's plan, if a form sent one, is ignored. Window problems are reported on `from` and `to`.
 */
export const DrillPlanInput = z
  .object({
    announce: z.boolean().default(false),
    // Trimmed here, not only for the checks: a padded time that passed them must also be the time planFor reads.
    from: z.string().trim().optional(),
    to: z.string().trim().optional(),
  })
  .superRefine((p, ctx) => {
    if (!p.announce) return;
    const from = p.from === '' ? undefined : p.from;
    const to = p.to === '' ? undefined : p.to;
    if (from === undefined) ctx.addIssue({ code: 'custom', path: ['from'], message: 'required', params: { drill: 'required' } });
    else if (!isInstant(from)) ctx.addIssue({ code: 'custom', path: ['from'], message: 'not a time', params: { drill: 'invalid' } });
    if (to === undefined) ctx.addIssue({ code: 'custom', path: ['to'], message: 'required', params: { drill: 'required' } });
    else if (!isInstant(to)) ctx.addIssue({ code: 'custom', path: ['to'], message: 'not a time', params: { drill: 'invalid' } });
    if (!isInstant(from) || !isInstant(to)) return;
    const length = Date.parse(to) - Date.parse(from);
    if (length <= 0) ctx.addIssue({ code: 'custom', path: ['to'], message: 'the window must end after it starts', params: { drill: 'order' } });
    else if (length > DRILL_WINDOW_MAX_DAYS * DAY_MS) ctx.addIssue({ code: 'custom', path: ['to'], message: 'the window is too long', params: { drill: 'tooLong' } });
  });
export type DrillPlanInput = z.input<typeof DrillPlanInput>;
export type ValidDrillPlanInput = z.output<typeof DrillPlanInput>;

/** Why a plan's window cannot be used now (the form's rules that need the clock): on `from` or `to`. */
export type DrillWindowProblem = { field: 'from' | 'to'; problem: 'ended' | 'tooFarAhead' };

export function drillWindowProblems(plan: ValidDrillPlanInput | undefined, now: Date): DrillWindowProblem[] {
  if (!plan?.announce || !isInstant(plan.from) || !isInstant(plan.to)) return [];
  const problems: DrillWindowProblem[] = [];
  if (Date.parse(plan.from) - now.getTime() > DRILL_ANNOUNCE_AHEAD_MAX_DAYS * DAY_MS) problems.push({ field: 'from', problem: 'tooFarAhead' });
  if (Date.parse(plan.to) <= now.getTime()) problems.push({ field: 'to', problem: 'ended' });
  return problems;
}

/**
 * The plan a drill is recorded with, and when it goes out: at once when unannounced, or at the window's start when
 * announced (at once if the start has passed). Null for a real advisory. Times are normalised to ISO (UTC).
 */
export function planFor(drill: boolean, plan: ValidDrillPlanInput | undefined, now: Date): { plan: DrillPlan; sendAt: Date } | null {
  if (!drill) return null;
  if (!plan?.announce || !isInstant(plan.from) || !isInstant(plan.to)) return { plan: { unannounced: true }, sendAt: now };
  const window = { from: new Date(plan.from).toISOString(), to: new Date(plan.to).toISOString() };
  const start = new Date(window.from);
  return { plan: { announced: { at: now.toISOString(), window } }, sendAt: start > now ? start : now };
}

export function isAnnounced(plan: DrillPlan | undefined): plan is { announced: { at: string; window: DrillWindow } } {
  return plan !== undefined && 'announced' in plan;
}

/**
 * How long, in ms, until an announced drill's copies may go out (0: they may now). The drill is issued — numbered,
 * stored, its deliveries owed — when the secretariat sends the form; its `issuedAt` is when it goes out, so its
 * deadline and ladder count from there, as for any advisory.
 */
export function drillWaitMs(advisory: { drill: boolean; drillPlan?: DrillPlan | undefined; issuedAt: string }, now: Date): number {
  if (!advisory.drill || !isAnnounced(advisory.drillPlan)) return 0;
  return Math.max(0, Date.parse(advisory.issuedAt) - now.getTime());
}

/**
 * The announcement to one member, as its delivery records it: posted (the messages), or refused by the platform
 * for good (the reason; the drill's own copy will then fail the same way and the secretariat hears of it then).
 */
/** The announcement on a delivery's record: kept in delivery.ts (the record's file), named here too. */
export type { DrillNoticeRecord } from './delivery.js';

/** Whether this delivery still owes its member the announcement: an announced drill's copy not yet out. */
export function owesDrillNotice(advisory: { drill: boolean; drillPlan?: DrillPlan | undefined }, delivery: Pick<Delivery, 'state' | 'drillNotice'>): boolean {
  return advisory.drill && isAnnounced(advisory.drillPlan) && delivery.state === 'queued' && delivery.drillNotice === undefined;
}

/** Record the announcement on the delivery (once: a second record changes nothing). */
export function markDrillNoticed(d: Delivery, record: DrillNoticeRecord, now: Date): Transition {
  if (d.drillNotice !== undefined) return { changed: false, reason: 'already', current: d };
  if (d.state !== 'queued') return { changed: false, reason: 'not-allowed', current: d };
  // An explicit undefined would be stored as null by some stores: the key goes (from a copy: the caller's record stays as it is).
  const { refused, ...notice } = record;
  const next: Delivery = { ...d, drillNotice: refused === undefined ? notice : { ...notice, refused }, version: d.version + 1, updatedAt: now.toISOString() };
  return { changed: true, next };
}

/** Japan's wall-clock date and time ("2026-03-10", "10:00") as an ISO instant; null when either is not one. */
export function tokyoInstant(date: string | undefined, time: string | undefined): string | null {
  const d = date?.trim() ?? '';
  const t = time?.trim() ?? '';
  if (!/^\d{4}-\d{2}-\d{2}$/.test(d) || !/^\d{2}:\d{2}(:\d{2})?$/.test(t)) return null;
  const ms = Date.parse(`${d}T${t.length === 5 ? `${t}:00` : t}+09:00`);
  if (!Number.isFinite(ms)) return null;
  const iso = new Date(ms).toISOString();
  // Date.parse rolls 2026-02-30 over to March: refuse what is not a real date rather than move it.
  const back = new Date(ms + 9 * 3600 * 1000).toISOString();
  return back.slice(0, 10) === d && back.slice(11, 16) === t.slice(0, 5) ? iso : null;
}

/** An instant as Japan's date and time, for a form's date and time inputs. */
export function tokyoParts(iso: string): { date: string; time: string } {
  const shifted = new Date(Date.parse(iso) + 9 * 3600 * 1000).toISOString();
  return { date: shifted.slice(0, 10), time: shifted.slice(11, 16) };
}
