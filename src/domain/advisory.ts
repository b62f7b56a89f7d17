import type { BoardPage } from './phone-board.js';
import type { AlertWave } from './alert-wave.js';
import { createHash, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { Category, Severity, Source, Tlp } from './classification.js';
import type { Actor, MessageRef } from './platform.js';
import { ESCALATION_OPTIONAL, type EscalationPolicies, type EscalationPolicy } from './escalation.js';
import { multiLineText, oneLineText } from './text-input.js';
import { DrillPlanInput, type DrillPlan } from './drill-plan.js';

/** Who an advisory goes to. Members of the union of everything named. */
export const Targets = z
  .object({
    /** Every organisation of kind "member". */
    allMembers: z.boolean().default(false),
    /** Also every organisation of kind "observer". */
    observers: z.boolean().default(false),
    groups: z.array(z.string().min(1)).default([]),
    members: z.array(z.string().min(1)).default([]),
  })
  .refine((t) => t.allMembers || t.observers || t.groups.length > 0 || t.members.length > 0, {
    message: 'at least one target is required',
    path: ['members'],
  });
export type Targets = z.infer<typeof Targets>;

export const TITLE_MAX = 150;
export const BODY_MAX = 12_000;
/** A deadline further out than this is almost certainly a typo. */
export const DEADLINE_MAX_MINUTES = 14 * 24 * 60;

/**
 * What the secretariat submits; validated before anything is stored. The title is one line (line
 * breaks fold to a space); a title or body with nothing visible in it is refused as empty.
 */
export const AdvisoryInput = z.object({
  title: oneLineText(TITLE_MAX),
  body: multiLineText(BODY_MAX),
  source: Source,
  tlp: Tlp,
  severity: Severity,
  category: Category,
  drill: z.boolean().default(false),
  /** A drill's schedule: announce it now with a window, or not (drill-plan.ts). Ignored unless `drill`. */
  drillPlan: DrillPlanInput.optional(),
  targets: Targets,
  /** Minutes from issue until acknowledgement is due; absent means the severity default. */
  ackDeadlineMinutes: z.number().int().min(1).max(DEADLINE_MAX_MINUTES).optional(),
  /** Climb the escalation ladder for members who stay silent; only information-level items may turn it off. */
  escalate: z.boolean().default(true),
}).refine((a) => a.escalate || ESCALATION_OPTIONAL.includes(a.severity), {
  message: 'escalation can be turned off only for level 1 and level 0 advisories',
  path: ['escalate'],
});
export type AdvisoryInput = z.input<typeof AdvisoryInput>;
export type ValidAdvisoryInput = z.output<typeof AdvisoryInput>;

export type AdvisoryState = 'open' | 'closed';

/** The part of an advisory a correction may change. */
export interface AdvisoryContent {
  title: string;
  body: string;
  tlp: Tlp;
  severity: Severity;
  category: Category;
}

export interface Correction {
  /** 2 for the first correction: the text as issued is revision 1. */
  revision: number;
  at: string;
  by: Actor;
  /** What changed, in the secretariat's words; shown on every copy. */
  note: string;
  /** The content before this correction: the record keeps every earlier text. */
  previous: AdvisoryContent;
}

export interface FollowUp {
  /** 1, 2, … in order of posting. */
  n: number;
  at: string;
  by: Actor;
  body: string;
  /**
   * "Acknowledge the follow-up": it opens acknowledgement round `round` (2, 3, …) whose ladder runs
   * from this follow-up, with its own deadline. Absent: information only, nothing to acknowledge.
   */
  ack?: { round: number; deadline: string } | undefined;
}

export type ClosureCause = 'all_acknowledged' | 'command' | 'expired' | 'withdrawn';

export interface Closure {
  cause: ClosureCause;
  at: string;
  /** Absent when the bot closed it (everyone acknowledged, or it expired). */
  by?: Actor | undefined;
  /** Withdrawal: why, as the secretariat said it; shown on every copy. */
  reason?: string | undefined;
  /** The secretariat had the closing summary (ok), or every attempt failed and the log said so. */
  told?: { at: string; ok: boolean } | undefined;
}

/**
 * An advisory's life after issue: follow-ups, corrections, withdrawal, closing (transitions in
 * advisory-lifecycle.ts).
 *
 * What every member's copy must show is one number, `syncRev`: each change members must see bumps
 * it, and each delivery records the `syncRev` its messages show (`Delivery.syncedRev`). A delivery
 * behind the advisory is owed a sync (edit the copy, post the follow-up in its thread, stop its
 * ladder); the store lists advisories with `syncing` set, so the reconciler can always rebuild that
 * work from the record alone.
 *
 * All optional: records issued before them have none.
 */
export interface AdvisoryLifecycle {
  /** Compare-and-set counter for the advisory record (absent: 0). */
  version?: number | undefined;
  /** What every member's copy must show (absent: 0, the copy as issued). */
  syncRev?: number | undefined;
  /** The syncRev of the last change to the copy itself (a correction, the withdrawal); follow-ups go in the thread. */
  copyRev?: number | undefined;
  /** Some delivery may still show an earlier syncRev: the reconciler queues the advisory's sync. */
  syncing?: boolean | undefined;
  corrections?: Correction[] | undefined;
  followups?: FollowUp[] | undefined;
  closure?: Closure | undefined;
  /** When the bot closes it by itself if it is still open (ISO). Absent on older records: see closesAt(). */
  closesAt?: string | undefined;
  /** Its transcript is in the archive, as of the audit chain's link `auditSeq`. */
  archived?: { at: string; auditSeq: number } | undefined;
  /** Archiving jobs that gave up: each one's job id differs, so the next reconciler pass tries again. */
  archiveFailures?: number | undefined;
  /** The acknowledgement round members are asked for now (absent: 1, the advisory as issued). */
  round?: number | undefined;
  /** Closings before a follow-up asking for acknowledgement reopened the advisory, oldest first. */
  earlierClosures?: Closure[] | undefined;
  /** The grouped alerts to the secretariat, one message per wave (alert-wave.ts). */
  alertWaves?: AlertWave[] | undefined;
  /** The phone-task board's pages in the on-call channels (phone-board.ts). */
  phoneBoard?: BoardPage[] | undefined;
}

export interface Advisory extends AdvisoryLifecycle {
  /** People-readable, e.g. ADV-2026-0042, or DRL-2026-0003 for a drill (see the id grammar below). */
  id: string;
  /**
   * Random, made once at issue: unique even across stores. Queue job ids carry it, so a wiped or
   * restored store that hands out ADV-2026-0042 again never meets the earlier advisory's jobs.
   * Absent on advisories stored before it existed (see advisoryScope).
   */
  uid?: string | undefined;
  /** Idempotency key of the request that issued it (e.g. the Slack view id). */
  requestKey: string;
  title: string;
  body: string;
  source: Source;
  tlp: Tlp;
  severity: Severity;
  category: Category;
  drill: boolean;
  /** A drill's schedule: announced in advance (when, and the window members were told) or not. Absent on real advisories. */
  drillPlan?: DrillPlan | undefined;
  targets: Targets;
  /** When it went out: an announced drill goes out at its window's start, so this may be later than the request. */
  issuedAt: string;
  issuedBy: Actor;
  ackDeadline: string;
  /** The ladder as it was when issued: later changes to the defaults never touch running ladders. */
  escalation: EscalationPolicy;
  state: AdvisoryState;
  /** The secretariat had the "issued" notice (ok), or every attempt failed and the operators were told. */
  announced?: { at: string; ok: boolean; messages?: MessageRef[] | undefined } | undefined;
}

export function newAdvisoryUid(): string {
  return `u${randomUUID().replace(/-/g, '').slice(0, 16)}`;
}

/**
 * What makes this advisory's queue work unique beyond its readable id. Older records have no uid:
 * their request key and issue time identify them as well (a request key is a platform's own id).
 */
export function advisoryScope(a: Pick<Advisory, 'uid' | 'requestKey' | 'issuedAt'>): string {
  if (a.uid) return a.uid;
  return `h${createHash('sha256').update(`${a.requestKey}\n${a.issuedAt}`).digest('hex').slice(0, 16)}`;
}

/**
 * The id grammar, in one place: `<series>-<year>-<number>`. Real advisories are numbered ADV-2026-0042, drills
 * DRL-2026-0003, each series with its own counter per year (Japan's year at issue), so a drill never takes a number
 * from the real series and "ADV-2026-0042" always means the 42nd real advisory of 2026. The number has at least four
 * digits (more past 9,999).
 */
export const ADVISORY_SERIES = ['ADV', 'DRL'] as const;
export type AdvisorySeries = (typeof ADVISORY_SERIES)[number];

/** Finds an id inside text (a notice, a log line): no anchors, no flags; build a RegExp from it. */
export const ADVISORY_ID_SOURCE = `(?:${ADVISORY_SERIES.join('|')})-\\d{4}-\\d{4,}`;
const ID_PATTERN = new RegExp(`^(${ADVISORY_SERIES.join('|')})-(\\d{4})-(\\d{4,})$`);
/** What people type: either series in any case, the number with or without its leading zeros. */
const TYPED_PATTERN = new RegExp(`^(${ADVISORY_SERIES.join('|')})-(\\d{4})-(\\d{1,})$`, 'i');

/** The series an advisory is numbered in: drills apart from real advisories. */
export function seriesFor(drill: boolean): AdvisorySeries {
  return drill ? 'DRL' : 'ADV';
}

export function formatAdvisoryId(year: number, n: number, series: AdvisorySeries = 'ADV'): string {
  return `${series}-${year}-${String(n).padStart(4, '0')}`;
}

/** Accepts what people type: "adv-2026-42", "ADV-2026-0042", "drl-2026-3". */
export function parseAdvisoryId(text: string): string | null {
  const m = TYPED_PATTERN.exec(text.trim());
  if (!m) return null;
  const n = Number(m[3]);
  if (!Number.isSafeInteger(n)) return null;
  return formatAdvisoryId(Number(m[2]), n, m[1]!.toUpperCase() as AdvisorySeries);
}

/** A canonical id of either series (as formatAdvisoryId writes it). */
export function isAdvisoryId(text: string): boolean {
  return ID_PATTERN.test(text);
}

/** The parts of a canonical id; null for anything else. */
export function advisoryIdParts(id: string): { series: AdvisorySeries; year: number; n: number } | null {
  const m = ID_PATTERN.exec(id);
  return m ? { series: m[1] as AdvisorySeries, year: Number(m[2]), n: Number(m[3]) } : null;
}

/** The id numbers a drill (DRL-…). */
export function isDrillId(id: string): boolean {
  return advisoryIdParts(id)?.series === 'DRL';
}

/** Stands for the number an advisory gets when it is sent (the store hands it out; a preview takes none). */
export function previewAdvisoryId(year: number | string, series: AdvisorySeries): string {
  return `${series}-${year}-????`;
}

/** The policy this advisory runs under: the severity's default, with the form's overrides. */
export function policyFor(input: Pick<ValidAdvisoryInput, 'severity' | 'ackDeadlineMinutes' | 'escalate'>, policies: EscalationPolicies): EscalationPolicy {
  const base = policies[input.severity];
  const deadline = input.ackDeadlineMinutes !== undefined ? input.ackDeadlineMinutes * 60 : base.deadline;
  return {
    ...base,
    deadline,
    // A shorter deadline than the reminder lead leaves no room for it: drop the reminder, keep the phone step.
    reminderBefore: base.reminderBefore < deadline ? base.reminderBefore : 0,
    enabled: base.enabled && input.escalate,
  };
}
