import type { Actor } from './platform.js';
import type { Advisory, AdvisoryContent, ClosureCause, Closure, Correction, FollowUp } from './advisory.js';
import type { EscalationPolicy } from './escalation.js';

/**
 * An advisory's life after issue: pure transitions on the stored record (see AdvisoryLifecycle in
 * advisory.ts); the commands write them with compare-and-set on `version`.
 */

export type AdvisoryTransition =
  | { changed: true; next: Advisory }
  | { changed: false; reason: 'already' | 'not-allowed'; current: Advisory };

function changed(a: Advisory, patch: Partial<Advisory>): AdvisoryTransition {
  const next: Advisory = { ...a, ...patch, version: (a.version ?? 0) + 1 };
  for (const key of Object.keys(next) as (keyof Advisory)[]) if (next[key] === undefined) delete next[key];
  return { changed: true, next };
}

/** A change every member must see: in the thread (a follow-up), or on the copy itself (`copy`). */
function bumped(a: Advisory, copy = false): Pick<Advisory, 'syncRev' | 'syncing' | 'copyRev'> {
  const syncRev = (a.syncRev ?? 0) + 1;
  return { syncRev, syncing: true, copyRev: copy ? syncRev : a.copyRev };
}

export const isWithdrawn = (a: Pick<Advisory, 'closure'>): boolean => a.closure?.cause === 'withdrawn';

/** The revision members see: 1 as issued, +1 per correction. */
export const revisionOf = (a: Pick<Advisory, 'corrections'>): number => 1 + (a.corrections?.length ?? 0);

export const contentOf = (a: AdvisoryContent): AdvisoryContent => ({
  title: a.title,
  body: a.body,
  tlp: a.tlp,
  severity: a.severity,
  category: a.category,
});

/**
 * Correct the text or classification. Allowed while open and after closing (a closed advisory's
 * copies are still in the members' channels), never after withdrawal. Nothing changed → not-allowed.
 */
export function correct(a: Advisory, content: AdvisoryContent, note: string, by: Actor, now: Date): AdvisoryTransition {
  if (isWithdrawn(a)) return { changed: false, reason: 'not-allowed', current: a };
  const before = contentOf(a);
  const after = contentOf(content);
  if (JSON.stringify(before) === JSON.stringify(after)) return { changed: false, reason: 'not-allowed', current: a };
  const correction: Correction = { revision: revisionOf(a) + 1, at: now.toISOString(), by, note, previous: before };
  return changed(a, { ...after, corrections: [...(a.corrections ?? []), correction], ...bumped(a, true) });
}

/** The acknowledgement round members are asked for now: when it began and its deadline. */
export interface AckRound {
  /** 1 as issued; 2, 3, … per follow-up that asked for acknowledgement. */
  n: number;
  /** The follow-up that opened it (absent for round 1). */
  followup?: number | undefined;
  /** The ladder's times count from here: the issue, or the follow-up. */
  since: string;
  deadline: string;
}

export function roundOf(a: Pick<Advisory, 'round' | 'followups' | 'issuedAt' | 'ackDeadline'>, n = a.round ?? 1): AckRound {
  const f = n > 1 ? a.followups?.find((x) => x.ack?.round === n) : undefined;
  if (!f?.ack) return { n: 1, since: a.issuedAt, deadline: a.ackDeadline };
  return { n, followup: f.n, since: f.at, deadline: f.ack.deadline };
}

/**
 * New information for every member, posted in the thread of each delivery. Not after withdrawal.
 * With `ackDeadlineSeconds`, members are asked to acknowledge it: a new round begins, with its own
 * ladder from now. A closed advisory reopens for it (its closing is kept in `earlierClosures`, and
 * the next closing writes a new summary and transcript).
 */
export function addFollowUp(a: Advisory, body: string, by: Actor, now: Date, ackDeadlineSeconds?: number): AdvisoryTransition {
  if (isWithdrawn(a)) return { changed: false, reason: 'not-allowed', current: a };
  const followups = a.followups ?? [];
  const followUp: FollowUp = { n: followups.length + 1, at: now.toISOString(), by, body };
  if (ackDeadlineSeconds === undefined) return changed(a, { followups: [...followups, followUp], ...bumped(a) });
  const round = (a.round ?? 1) + 1;
  followUp.ack = { round, deadline: new Date(now.getTime() + ackDeadlineSeconds * 1000).toISOString() };
  const reopen: Partial<Advisory> =
    a.state === 'closed' && a.closure
      ? { state: 'open', closure: undefined, earlierClosures: [...(a.earlierClosures ?? []), a.closure], archived: undefined, archiveFailures: undefined }
      : {};
  return changed(a, { followups: [...followups, followUp], round, ...reopen, ...bumped(a, true) });
}

/**
 * Withdraw: every copy is replaced by the withdrawal notice and every ladder stops. An open or a
 * closed advisory can be withdrawn (the text was wrong either way); withdrawing twice changes nothing.
 */
export function withdraw(a: Advisory, reason: string, by: Actor, now: Date): AdvisoryTransition {
  if (isWithdrawn(a)) return { changed: false, reason: 'already', current: a };
  const closure: Closure = { cause: 'withdrawn', at: now.toISOString(), by, reason };
  return changed(a, { state: 'closed', closure, ...bumped(a, true) });
}

/** Close: remaining ladders stop and the secretariat gets the summary. Closing twice changes nothing. */
export function close(a: Advisory, cause: Exclude<ClosureCause, 'withdrawn'>, by: Actor | undefined, now: Date): AdvisoryTransition {
  if (a.state === 'closed') return { changed: false, reason: 'already', current: a };
  const closure: Closure = { cause, at: now.toISOString(), ...(by ? { by } : {}) };
  return changed(a, { state: 'closed', closure, ...bumped(a) });
}

/** The closing summary (or withdrawal notice) reached the secretariat, or could not (ok false). */
export function markClosureTold(a: Advisory, ok: boolean, now: Date): AdvisoryTransition {
  if (!a.closure) return { changed: false, reason: 'not-allowed', current: a };
  if (a.closure.told) return { changed: false, reason: 'already', current: a };
  return changed(a, { closure: { ...a.closure, told: { at: now.toISOString(), ok } } });
}

/** Every delivery shows `rev`: nothing more to sync (unless the advisory moved on meanwhile). */
export function markSynced(a: Advisory, rev: number): AdvisoryTransition {
  if (!a.syncing) return { changed: false, reason: 'already', current: a };
  if ((a.syncRev ?? 0) !== rev) return { changed: false, reason: 'not-allowed', current: a };
  return changed(a, { syncing: undefined });
}

/**
 * When an open advisory closes by itself: `after` past the acknowledgement deadline, but never
 * before its ladder has had time to end (the alert comes at most `alertAfter` past the deadline).
 */
export function closesAt(a: Pick<Advisory, 'ackDeadline' | 'escalation' | 'closesAt' | 'round' | 'followups' | 'issuedAt'>, afterDeadlineSeconds: number): Date {
  // A later round runs from its follow-up: a time fixed at issue would close it under the members' feet.
  if (a.closesAt && (a.round ?? 1) === 1) return new Date(a.closesAt);
  const seconds = Math.max(afterDeadlineSeconds, a.escalation.enabled ? a.escalation.alertAfter : 0);
  return new Date(new Date(roundOf(a).deadline).getTime() + seconds * 1000);
}

/**
 * The advisory still owes work the reconciler must see: copies to sync, the closing summary, or
 * (while open) closing itself when its time comes. Stores index this. (The "issued" notice has its
 * own index: listUnannouncedAdvisories.)
 */
export function advisoryOwesWork(a: Advisory): boolean {
  if (a.state === 'open' || a.syncing === true) return true;
  return (a.closure !== undefined && a.closure.told === undefined) || archiveDue(a);
}

/** Which closing this is: 1, then 2, 3 … each time a follow-up asking for acknowledgement reopened it. */
export const closingNumber = (a: Pick<Advisory, 'earlierClosures'>): number => 1 + (a.earlierClosures?.length ?? 0);

/** A later closing's posts and events are its own (the first keeps the keys it always had). */
export function closingKey(a: Pick<Advisory, 'earlierClosures'>): string {
  const n = closingNumber(a);
  return n > 1 ? `.c${n}` : '';
}

/** Ended, its copies settled and the secretariat told: its transcript is owed to the archive. */
export function archiveDue(a: Advisory): boolean {
  return a.state === 'closed' && a.closure?.told !== undefined && a.syncing !== true && a.archived === undefined;
}

export function markArchived(a: Advisory, auditSeq: number, now: Date): AdvisoryTransition {
  if (a.archived) return { changed: false, reason: 'already', current: a };
  return changed(a, { archived: { at: now.toISOString(), auditSeq } });
}

/** An archiving job gave up: count it, so the next try has a job of its own. */
export function markArchiveFailed(a: Advisory): AdvisoryTransition {
  if (a.archived) return { changed: false, reason: 'already', current: a };
  return changed(a, { archiveFailures: (a.archiveFailures ?? 0) + 1 });
}

/**
 * The policy of the delivery's round: as issued for round 1; a later round keeps the intervals and
 * takes its own deadline, counted from its follow-up (a reminder that would come before the
 * follow-up is dropped, as at issue).
 */
export function policyOfRound(advisory: Advisory, round: number): EscalationPolicy {
  if (round <= 1) return advisory.escalation;
  const r = roundOf(advisory, round);
  const deadline = Math.max(1, Math.round((new Date(r.deadline).getTime() - new Date(r.since).getTime()) / 1000));
  const base = advisory.escalation;
  return { ...base, deadline, reminderBefore: base.reminderBefore < deadline ? base.reminderBefore : 0 };
}
