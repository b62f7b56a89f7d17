import type { Actor, MessageRef } from './platform.js';

/**
 * A task for the on-call phone staff: call this member's contacts about this advisory.
 * One per delivery; the ladder's next-contact steps and the staff's outcomes move it along.
 */
export type PhoneTaskState = 'open' | 'claimed' | 'done' | 'cancelled';
export type CallOutcome = 'no_answer' | 'wrong_number';
/** What on-call staff can do to a task (one button each). */
export type PhoneAction = 'claim' | 'release' | 'reached' | CallOutcome;

export interface CallAttempt {
  contactIndex: number;
  outcome: CallOutcome;
  by: Actor;
  at: string;
}

export interface PhoneTask {
  /** `<deliveryId>.phone`: one per delivery, so a repeated phone step finds the same task. */
  id: string;
  deliveryId: string;
  advisoryId: string;
  memberId: string;
  state: PhoneTaskState;
  /** The contact (0-based, in directory order) to call now. */
  contactIndex: number;
  /** True once every contact has been tried without reaching anyone. */
  exhausted: boolean;
  claimedBy?: Actor | undefined;
  attempts: CallAttempt[];
  /** Who reached the member (→ acknowledged via phone), or why it was closed. */
  resolution?: { kind: 'reached' | 'acknowledged_elsewhere'; by?: Actor | undefined; at: string } | undefined;
  /** The task's message(s) in the on-call channel(s). */
  messages: MessageRef[];
  version: number;
  createdAt: string;
  updatedAt: string;
}

export function phoneTaskIdFor(deliveryId: string): string {
  return `${deliveryId}.phone`;
}

export function newPhoneTask(d: { id: string; advisoryId: string; memberId: string }, now: Date): PhoneTask {
  const at = now.toISOString();
  return {
    id: phoneTaskIdFor(d.id),
    deliveryId: d.id,
    advisoryId: d.advisoryId,
    memberId: d.memberId,
    state: 'open',
    contactIndex: 0,
    exhausted: false,
    attempts: [],
    messages: [],
    version: 0,
    createdAt: at,
    updatedAt: at,
  };
}

export type TaskTransition =
  | { changed: true; next: PhoneTask }
  | { changed: false; reason: 'already' | 'closed' | 'claimed-by-other' | 'not-claimed' | 'busy'; current: PhoneTask };

function changed(t: PhoneTask, patch: Partial<PhoneTask>, now: Date): TaskTransition {
  return { changed: true, next: { ...t, ...patch, version: t.version + 1, updatedAt: now.toISOString() } };
}

const sameActor = (a: Actor | undefined, b: Actor) => a !== undefined && a.platform === b.platform && a.userId === b.userId;
const isClosed = (t: PhoneTask) => t.state === 'done' || t.state === 'cancelled';

/** Claiming tells the others "I am calling": a second person cannot claim. */
export function claim(t: PhoneTask, by: Actor, now: Date): TaskTransition {
  if (isClosed(t)) return { changed: false, reason: 'closed', current: t };
  if (t.state === 'claimed') {
    return sameActor(t.claimedBy, by) ? { changed: false, reason: 'already', current: t } : { changed: false, reason: 'claimed-by-other', current: t };
  }
  return changed(t, { state: 'claimed', claimedBy: by }, now);
}

export function release(t: PhoneTask, by: Actor, now: Date): TaskTransition {
  if (isClosed(t)) return { changed: false, reason: 'closed', current: t };
  if (t.state !== 'claimed') return { changed: false, reason: 'not-claimed', current: t };
  if (!sameActor(t.claimedBy, by)) return { changed: false, reason: 'claimed-by-other', current: t };
  return changed(t, { state: 'open', claimedBy: undefined }, now);
}

/** Someone else holding the task blocks an outcome; an open task is claimed by whoever records one. */
function mayAct(t: PhoneTask, by: Actor): TaskTransition | null {
  if (isClosed(t)) return { changed: false, reason: 'closed', current: t };
  if (t.state === 'claimed' && !sameActor(t.claimedBy, by)) return { changed: false, reason: 'claimed-by-other', current: t };
  return null;
}

export function recordReached(t: PhoneTask, by: Actor, now: Date): TaskTransition {
  const refused = mayAct(t, by);
  if (refused) return refused;
  return changed(t, { state: 'done', claimedBy: by, resolution: { kind: 'reached', by, at: now.toISOString() } }, now);
}

/** No answer or a wrong number: note it and move to the next contact; after the last, the task is exhausted. */
export function recordFailedCall(t: PhoneTask, outcome: CallOutcome, by: Actor, contacts: number, now: Date): TaskTransition {
  const refused = mayAct(t, by);
  if (refused) return refused;
  const attempts = [...t.attempts, { contactIndex: t.contactIndex, outcome, by, at: now.toISOString() }];
  const last = t.contactIndex >= contacts - 1;
  return changed(
    t,
    { attempts, contactIndex: last ? t.contactIndex : t.contactIndex + 1, exhausted: last, state: 'claimed', claimedBy: by },
    now,
  );
}

/** The ladder moves an unclaimed task on to a contact; a person working the task decides for themselves. */
export function advanceContact(t: PhoneTask, index: number, now: Date): TaskTransition {
  if (isClosed(t)) return { changed: false, reason: 'closed', current: t };
  if (t.state === 'claimed') return { changed: false, reason: 'busy', current: t };
  if (t.contactIndex >= index) return { changed: false, reason: 'already', current: t };
  return changed(t, { contactIndex: index }, now);
}

/** The member acknowledged by button meanwhile: nobody needs to call any more. */
export function closeAcknowledged(t: PhoneTask, now: Date): TaskTransition {
  if (isClosed(t)) return { changed: false, reason: 'closed', current: t };
  return changed(t, { state: 'cancelled', resolution: { kind: 'acknowledged_elsewhere', at: now.toISOString() } }, now);
}

export function withMessages(t: PhoneTask, messages: MessageRef[], now: Date): TaskTransition {
  return changed(t, { messages }, now);
}

export function isOpenTask(t: PhoneTask): boolean {
  return t.state === 'open' || t.state === 'claimed';
}
