import type { ClosureCause } from './advisory.js';
import type { AuditEvent } from './audit.js';
import type { Category, Severity, Tlp } from './classification.js';
import type { AckMark, Delivery } from './delivery.js';
import { ladder, type EscalationPolicy } from './escalation.js';
import type { PhoneTask, ReachedContact } from './phone-task.js';
import { percentOf, quantile } from './reach-stats.js';
import type { Transcript } from './transcript.js';

/**
 * The reach report (疎通確認率) of one advisory, drill or real: for each targeted member, how long it took them to
 * acknowledge, how (button, phone, never) and which rung of the escalation ladder had reached them by then; the
 * rates per stage over the targeted members, the median and 90th percentile time to acknowledgement, and the
 * cumulative share acknowledged over time with the ladder's times, for the chart. Built from the transcript alone
 * (archived, or made from the live records by the export path), so an archived and an open advisory read alike.
 *
 * What it measures is the advisory as issued: acknowledgement round 1. A follow-up that asked members to
 * acknowledge again starts a round of its own, which this report does not mix in.
 */

export type ReachHow = 'button' | 'phone' | 'never';

/**
 * Which rung had reached the member when they acknowledged: none yet (before the reminder), the reminder, the phone
 * step (a phone task was open, and they pressed the button themselves), or the phone itself (on-call staff reached
 * one of their contacts). Never: not acknowledged at all.
 */
export type ReachStage = 'before-reminder' | 'after-reminder' | 'after-phone-step' | 'by-phone' | 'never';
export const REACH_STAGES: readonly ReachStage[] = ['before-reminder', 'after-reminder', 'after-phone-step', 'by-phone', 'never'];

/** The ladder's steps the chart marks (next-contact steps belong to the phone step). */
export type LadderMarkKind = 'reminder' | 'phone' | 'alert';
export const LADDER_MARKS: readonly LadderMarkKind[] = ['reminder', 'phone', 'alert'];

export interface ReachFailure {
  /** Delivery.failure.code: the platform's error or our own reason (TLP_SHARED_CHANNEL, RETRIES_EXHAUSTED, …). */
  code: string;
  detail?: string | undefined;
  at: string;
}

export interface ReachMember {
  memberId: string;
  name: { ja: string; en: string };
  how: ReachHow;
  stage: ReachStage;
  acknowledgedAt?: string | undefined;
  /** Seconds from issue to the acknowledgement. */
  seconds?: number | undefined;
  /** By phone: the member's contact who answered, as the directory named them then. */
  contact?: ReachedContact | undefined;
  /** When each ladder step reached this member (ISO; the earliest over their channels). */
  steps: Partial<Record<LadderMarkKind, string>>;
  /** Copies that could not be delivered, and why. */
  failures: ReachFailure[];
}

export interface ReachRate {
  count: number;
  /** Of the targeted members, rounded to one decimal. */
  percent: number;
}

/**
 * The rates over the targeted members. beforeReminder ⊂ beforeDeadline; afterPhoneStep counts everyone acknowledged
 * once the phone step had reached them (by phone or by their own press); byPhone is its part reached by phone.
 */
export interface ReachRates {
  beforeReminder: ReachRate;
  beforeDeadline: ReachRate;
  afterPhoneStep: ReachRate;
  byPhone: ReachRate;
  acknowledged: ReachRate;
  never: ReachRate;
  /** Members with at least one copy that could not be delivered. */
  failed: ReachRate;
}
export type ReachRateKey = keyof ReachRates;
export const RATE_KEYS: readonly ReachRateKey[] = ['beforeReminder', 'beforeDeadline', 'afterPhoneStep', 'byPhone', 'acknowledged', 'never', 'failed'];

export interface ReachTimes {
  /** How many the times are over: the acknowledged members. */
  acknowledged: number;
  /** Seconds from issue; null when nobody acknowledged. Interpolated as Excel's MEDIAN and PERCENTILE.INC are. */
  medianSeconds: number | null;
  p90Seconds: number | null;
}

export interface ReachLadderMark {
  kind: LadderMarkKind;
  /** Seconds after issue where the chart marks the step. */
  seconds: number;
  /** policy: the advisory's ladder (escalation.ts ladder()); record: when the step first ran, from the audit. */
  source: 'policy' | 'record';
  /** When the step first ran for any member (ISO); absent when it never ran. */
  firstRanAt?: string | undefined;
  /** How many members it reached. */
  reached: number;
}

/** The cumulative share acknowledged: one point at issue, one per acknowledgement, one at the end of the measure. */
export interface ReachPoint {
  seconds: number;
  acknowledged: number;
  /** acknowledged ÷ targeted, 0…1. */
  share: number;
}

export interface ReachReport {
  advisoryId: string;
  drill: boolean;
  tlp: Tlp;
  severity: Severity;
  category: Category;
  issuedAt: string;
  ackDeadline: string;
  closed?: { at: string; cause: ClosureCause } | undefined;
  /** When the report was made (for an open advisory, the figures as of then). */
  asOf: string;
  /** Where the measure ends, in seconds after issue: the closure, or asOf while open. */
  endSeconds: number;
  targeted: number;
  rates: ReachRates;
  stages: Record<ReachStage, number>;
  times: ReachTimes;
  ladder: ReachLadderMark[];
  series: ReachPoint[];
  /** In member id order. */
  members: ReachMember[];
}

export interface ReachOptions {
  asOf: Date;
  /** The advisory's ladder as issued (Advisory.escalation): the chart marks its times. Without it, the audit's. */
  policy?: EscalationPolicy | undefined;
  /** The fewest phone contacts of any targeted member: the earliest the ladder's alert can come. Default 1. */
  contacts?: number | undefined;
}

const STEP_ACTIONS: Record<string, LadderMarkKind> = { 'escalation.reminder': 'reminder', 'escalation.phone': 'phone', 'escalation.alert': 'alert' };

const ms = (iso: string): number => Date.parse(iso);

/** The acknowledgement of round 1: the delivery's own while in round 1, else the one its earlier rounds kept. */
function firstRoundAck(d: Delivery): AckMark | undefined {
  if ((d.round ?? 1) === 1) return d.acknowledged;
  return d.earlierRounds?.find((r) => r.round === 1)?.acknowledged;
}

/**
 * When each step of round 1's ladder reached the delivery: its escalation events that ran (a reminder with nothing
 * to point at is 'skipped', one an acknowledgement overtook 'stale'), before any later round started.
 */
function stepsOf(mine: AuditEvent[]): Partial<Record<LadderMarkKind, string>> {
  const round2 = mine.find((e) => e.action === 'delivery.round_started')?.at;
  const steps: Partial<Record<LadderMarkKind, string>> = {};
  for (const e of mine) {
    const kind = STEP_ACTIONS[e.action];
    if (kind === undefined || (round2 !== undefined && ms(e.at) >= ms(round2))) continue;
    if (e.detail['outcome'] !== undefined && e.detail['outcome'] !== 'ran') continue;
    const seen = steps[kind];
    if (seen === undefined || ms(e.at) < ms(seen)) steps[kind] = e.at;
  }
  return steps;
}

function earliest(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return ms(b) < ms(a) ? b : a;
}

function stageOf(ack: AckMark | undefined, steps: Partial<Record<LadderMarkKind, string>>): ReachStage {
  if (!ack) return 'never';
  if (ack.via === 'phone') return 'by-phone';
  const reachedBy = (kind: LadderMarkKind) => steps[kind] !== undefined && ms(steps[kind]) <= ms(ack.at);
  if (reachedBy('phone')) return 'after-phone-step';
  if (reachedBy('reminder')) return 'after-reminder';
  return 'before-reminder';
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

/** The transcript's records by delivery, read once: at sector scale every member would otherwise scan them all. */
interface ByDelivery {
  events: Map<string, AuditEvent[]>;
  tasks: Map<string, PhoneTask>;
}

function indexOf(t: Transcript): ByDelivery {
  const events = groupBy(t.audit.events.filter((e) => e.deliveryId !== undefined), (e) => e.deliveryId!);
  return { events, tasks: new Map(t.phoneTasks.map((p) => [p.deliveryId, p])) };
}

/** One member's line: their first acknowledgement of round 1 over all their channels, and the ladder that reached them. */
function memberOf(t: Transcript, index: ByDelivery, memberId: string, deliveries: Delivery[]): ReachMember {
  const issued = ms(t.issuedAt);
  let ack: AckMark | undefined;
  let steps: Partial<Record<LadderMarkKind, string>> = {};
  const failures: ReachFailure[] = [];
  for (const d of deliveries) {
    const a = firstRoundAck(d);
    if (a && (!ack || ms(a.at) < ms(ack.at))) ack = a;
    const own = stepsOf(index.events.get(d.id) ?? []);
    steps = Object.fromEntries(LADDER_MARKS.map((k) => [k, earliest(steps[k], own[k])]).filter(([, v]) => v !== undefined));
    if (d.failure) failures.push({ code: d.failure.code, at: d.failure.at, ...(d.failure.detail === undefined ? {} : { detail: d.failure.detail }) });
  }
  const contact = ack?.via === 'phone' ? (ack.contact ?? reachedContactOf(index, deliveries)) : undefined;
  return {
    memberId,
    name: t.memberNames[memberId] ?? { ja: memberId, en: memberId },
    how: ack ? ack.via : 'never',
    stage: stageOf(ack, steps),
    ...(ack ? { acknowledgedAt: ack.at, seconds: (ms(ack.at) - issued) / 1000 } : {}),
    ...(contact ? { contact } : {}),
    steps,
    failures,
  };
}

/** Older acknowledgements by phone do not name the contact; the phone task's resolution may (round 1 only). */
function reachedContactOf(index: ByDelivery, deliveries: Delivery[]): ReachedContact | undefined {
  for (const d of deliveries) {
    const task = index.tasks.get(d.id);
    if (!task) continue;
    const resolution = (task.round ?? 1) === 1 ? task.resolution : task.earlierRounds?.find((r) => r.round === 1)?.resolution;
    if (resolution?.kind === 'reached' && resolution.contact) return resolution.contact;
  }
  return undefined;
}

function ladderMarks(t: Transcript, members: ReachMember[], options: ReachOptions): ReachLadderMark[] {
  const issued = ms(t.issuedAt);
  const firstRan = (kind: LadderMarkKind) => members.reduce<string | undefined>((first, m) => earliest(first, m.steps[kind]), undefined);
  const reached = (kind: LadderMarkKind) => members.filter((m) => m.steps[kind] !== undefined).length;
  const marks: ReachLadderMark[] = [];
  const planned = options.policy ? ladder(options.policy, Math.max(0, options.contacts ?? 1)) : undefined;
  for (const kind of LADDER_MARKS) {
    const ran = firstRan(kind);
    const step = planned?.find((s) => s.kind === kind);
    const base = { kind, ...(ran === undefined ? {} : { firstRanAt: ran }), reached: reached(kind) };
    if (step) marks.push({ ...base, seconds: step.at, source: 'policy' });
    else if (!planned && ran !== undefined) marks.push({ ...base, seconds: (ms(ran) - issued) / 1000, source: 'record' });
  }
  return marks;
}

function seriesOf(members: ReachMember[], targeted: number, endSeconds: number): ReachPoint[] {
  // Only acknowledged members make a point after the first: never a share of nobody.
  const share = (k: number) => k / targeted;
  const times = members.flatMap((m) => (m.seconds === undefined ? [] : [m.seconds])).sort((a, b) => a - b);
  const points: ReachPoint[] = [{ seconds: 0, acknowledged: 0, share: 0 }];
  times.forEach((seconds, i) => points.push({ seconds, acknowledged: i + 1, share: share(i + 1) }));
  const last = points.at(-1)!;
  if (endSeconds > last.seconds) points.push({ seconds: endSeconds, acknowledged: last.acknowledged, share: last.share });
  return points;
}

export function reachReport(t: Transcript, options: ReachOptions): ReachReport {
  const byMember = groupBy(t.deliveries, (d) => d.memberId);
  const index = indexOf(t);
  const members = [...byMember.keys()].sort().map((id) => memberOf(t, index, id, byMember.get(id)!));
  const targeted = members.length;
  const rate = (pick: (m: ReachMember) => boolean): ReachRate => {
    const count = members.filter(pick).length;
    return { count, percent: percentOf(count, targeted) };
  };
  const deadline = ms(t.ackDeadline);
  const rates: ReachRates = {
    beforeReminder: rate((m) => m.stage === 'before-reminder'),
    beforeDeadline: rate((m) => m.acknowledgedAt !== undefined && ms(m.acknowledgedAt) <= deadline),
    afterPhoneStep: rate((m) => m.stage === 'after-phone-step' || m.stage === 'by-phone'),
    byPhone: rate((m) => m.stage === 'by-phone'),
    acknowledged: rate((m) => m.how !== 'never'),
    never: rate((m) => m.how === 'never'),
    failed: rate((m) => m.failures.length > 0),
  };
  const stages = Object.fromEntries(REACH_STAGES.map((s) => [s, members.filter((m) => m.stage === s).length])) as Record<ReachStage, number>;
  const seconds = members.flatMap((m) => (m.seconds === undefined ? [] : [m.seconds]));
  const issued = ms(t.issuedAt);
  const end = t.closure ? ms(t.closure.at) : options.asOf.getTime();
  const endSeconds = Math.max(0, (end - issued) / 1000);
  return {
    advisoryId: t.advisoryId,
    drill: t.drill,
    tlp: t.tlp,
    severity: t.severity,
    category: t.category,
    issuedAt: t.issuedAt,
    ackDeadline: t.ackDeadline,
    ...(t.closure ? { closed: { at: t.closure.at, cause: t.closure.cause } } : {}),
    asOf: options.asOf.toISOString(),
    endSeconds,
    targeted,
    rates,
    stages,
    times: { acknowledged: seconds.length, medianSeconds: quantile(seconds, 0.5), p90Seconds: quantile(seconds, 0.9) },
    ladder: ladderMarks(t, members, options),
    series: seriesOf(members, targeted, endSeconds),
    members,
  };
}
