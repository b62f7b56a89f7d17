import type { Actor, MessageRef } from './platform.js';

/**
 * A task for the on-call phone staff: call this member's contacts about this advisory.
 * One per delivery; the ladder's next-contact steps and the staff's outcomes move it along.
 */
export type PhoneTaskState = 'open' | 'claimed' | 'done' | 'cancelled';
export type CallOutcome = 'no_answer' | 'wrong_number';
/** How a task ended: reached by phone, acknowledged by the member meanwhile, or its advisory closed or was withdrawn. */
export type PhoneResolution = 'reached' | 'acknowledged_elsewhere' | 'advisory_closed' | 'advisory_withdrawn';
/** What on-call staff can do to a task (one button each). */
export type PhoneAction = 'claim' | 'release' | 'reached' | CallOutcome;

export interface CallAttempt {
  contactIndex: number;
  outcome: CallOutcome;
  by: Actor;
  at: string;
}

/**
 * The member's contact who answered the phone, as the directory named them at that moment (the directory can change
 * later; the record must still say whom the caller spoke to).
 */
export interface ReachedContact {
  /** 0-based, in the directory's call order at that moment. */
  index: number;
  name: string;
  role?: string | undefined;
}

/** What a directory contact is to the phone rules: someone with a name, maybe a role, and a number. */
export interface CallableContact {
  name: string;
  role?: string | undefined;
  phone: string;
}

export interface PhoneTask {
  /** `<deliveryId>.phone`: one per delivery, so a repeated phone step finds the same task. */
  id: string;
  deliveryId: string;
  advisoryId: string;
  memberId: string;
  state: PhoneTaskState;
  /**
   * The last contact (0-based, in directory order) the ladder or earlier calls have made callable:
   * contacts 0…contactIndex may be called, the first of them nobody has tried first (see callNow).
   */
  contactIndex: number;
  /**
   * The ladder's next-contact time came while nobody had called (ISO, the first time): the task was
   * raised again in the on-call channel. Cleared once someone claims it or records a call.
   */
  overdueSince?: string | undefined;
  /** True once every contact has been tried without reaching anyone. */
  exhausted: boolean;
  claimedBy?: Actor | undefined;
  attempts: CallAttempt[];
  /**
   * Who reached the member (→ acknowledged via phone) and which of the member's contacts answered, or why it
   * was closed. `contact` is absent on records written before the bot asked which contact answered.
   */
  resolution?: { kind: PhoneResolution; by?: Actor | undefined; at: string; contact?: ReachedContact | undefined } | undefined;
  /** The task's message(s) in the on-call channel(s). */
  messages: MessageRef[];
  /** The key each message was posted under, in the same order (absent on older records: the task id). */
  messageKeys?: string[] | undefined;
  /** The delivery's acknowledgement round the calls are about (absent: 1); see renewForRound. */
  round?: number | undefined;
  /** How the task went in earlier rounds, oldest first (the calls made, and how each round ended). */
  earlierRounds?: { round: number; state: PhoneTaskState; attempts: CallAttempt[]; resolution?: PhoneTask['resolution'] }[] | undefined;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export function phoneTaskIdFor(deliveryId: string): string {
  return `${deliveryId}.phone`;
}

export function newPhoneTask(d: { id: string; advisoryId: string; memberId: string; round?: number | undefined }, now: Date): PhoneTask {
  const at = now.toISOString();
  return {
    ...((d.round ?? 1) > 1 ? { round: d.round } : {}),
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

/** Why a "reached" choice names nobody: none sent (a message from before the choice), not ours, gone, or since changed. */
export type ContactChoiceProblem = 'missing' | 'malformed' | 'out-of-range' | 'changed';

export type TaskTransition =
  | { changed: true; next: PhoneTask }
  | { changed: false; reason: 'already' | 'closed' | 'claimed-by-other' | 'not-claimed' | 'busy'; current: PhoneTask }
  | { changed: false; reason: 'bad-contact'; problem: ContactChoiceProblem; current: PhoneTask };

function changed(t: PhoneTask, patch: Partial<PhoneTask>, now: Date): TaskTransition {
  const next: PhoneTask = { ...t, ...patch, version: t.version + 1, updatedAt: now.toISOString() };
  // A cleared field is absent, as it is after a trip through any store (JSON has no undefined).
  for (const key of Object.keys(next) as (keyof PhoneTask)[]) if (next[key] === undefined) delete next[key];
  return { changed: true, next };
}

const sameActor = (a: Actor | undefined, b: Actor) => a !== undefined && a.platform === b.platform && a.userId === b.userId;
const isClosed = (t: PhoneTask) => t.state === 'done' || t.state === 'cancelled';

/** Claiming tells the others "I am calling": a second person cannot claim. */
export function claim(t: PhoneTask, by: Actor, now: Date): TaskTransition {
  if (isClosed(t)) return { changed: false, reason: 'closed', current: t };
  if (t.state === 'claimed') {
    return sameActor(t.claimedBy, by) ? { changed: false, reason: 'already', current: t } : { changed: false, reason: 'claimed-by-other', current: t };
  }
  return changed(t, { state: 'claimed', claimedBy: by, overdueSince: undefined }, now);
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

export function recordReached(t: PhoneTask, by: Actor, now: Date, contact?: ReachedContact): TaskTransition {
  const refused = mayAct(t, by);
  if (refused) return refused;
  const resolution = { kind: 'reached' as const, by, at: now.toISOString(), ...(contact === undefined ? {} : { contact }) };
  return changed(t, { state: 'done', claimedBy: by, resolution }, now);
}

/**
 * A short fingerprint of a contact as the directory says it now. A "reached" choice carries the fingerprint of the
 * contact its button was drawn for, so a press on a message drawn before the directory changed cannot record someone
 * else under the same index. Not a secret: anyone who may press the button may name any contact of the member.
 */
export function contactKey(c: CallableContact): string {
  // FNV-1a (32 bits) over the fields that say who the person is.
  let h = 0x811c9dc5;
  for (const ch of `${c.name}\u0000${c.role ?? ''}\u0000${c.phone}`) {
    h ^= ch.codePointAt(0)!;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(36);
}

/** The token a "reached" button sends back for the contact at `index`: `<index>:<key>`. */
export function contactChoice(index: number, c: CallableContact): string {
  return `${index}:${contactKey(c)}`;
}

const CHOICE = /^(0|[1-9]\d{0,2}):([0-9a-z]{1,7})$/;

/** The contact a choice names, checked against the directory's contacts now. */
export function readContactChoice(
  choice: string | undefined,
  contacts: readonly CallableContact[],
): { ok: true; contact: ReachedContact } | { ok: false; problem: ContactChoiceProblem } {
  if (choice === undefined || choice === '') return { ok: false, problem: 'missing' };
  const m = CHOICE.exec(choice);
  if (!m) return { ok: false, problem: 'malformed' };
  const index = Number(m[1]);
  const c = contacts[index];
  if (c === undefined) return { ok: false, problem: 'out-of-range' };
  if (contactKey(c) !== m[2]) return { ok: false, problem: 'changed' };
  return { ok: true, contact: { index, name: c.name, ...(c.role === undefined ? {} : { role: c.role }) } };
}

/**
 * "Reached", with the contact who answered chosen on the message. The task's own rules come first (a closed task
 * or someone else's claim is refused as such, whatever the choice says); then the choice must name a contact of the
 * member as the directory has them now.
 */
export function recordReachedChoice(
  t: PhoneTask,
  by: Actor,
  choice: string | undefined,
  contacts: readonly CallableContact[],
  now: Date,
): TaskTransition {
  const refused = mayAct(t, by);
  if (refused) return refused;
  const read = readContactChoice(choice, contacts);
  if (!read.ok) return { changed: false, reason: 'bad-contact', problem: read.problem, current: t };
  return recordReached(t, by, now, read.contact);
}

/** Where a call to one contact stands: nobody tried yet, tried without reaching them, or reached. */
export type ContactCallState = 'not_tried' | CallOutcome | 'reached';

const tried = (t: Pick<PhoneTask, 'attempts'>, i: number) => t.attempts.some((a) => a.contactIndex === i);

/** Each contact's state: reached (the resolution names them), else the outcome of the last call to them, else not tried. */
export function contactStates(t: Pick<PhoneTask, 'attempts' | 'resolution'>, contacts: number): ContactCallState[] {
  return Array.from({ length: contacts }, (_, i) => {
    if (t.resolution?.kind === 'reached' && t.resolution.contact?.index === i) return 'reached';
    const last = t.attempts.filter((a) => a.contactIndex === i).at(-1);
    return last ? last.outcome : 'not_tried';
  });
}

/** How many contacts someone has called (reached or not): "tried 1 of 3". */
export function triedCount(t: Pick<PhoneTask, 'attempts' | 'resolution'>, contacts: number): number {
  return contactStates(t, contacts).filter((s) => s !== 'not_tried').length;
}

/**
 * The contact to call now: the first callable one nobody has tried. An earlier contact the ladder
 * passed by while nobody called stays first: passing time is not a call. Undefined when every
 * callable contact has been tried (or the task has ended).
 */
export function callNow(t: PhoneTask): number | undefined {
  if (isClosed(t)) return undefined;
  for (let i = 0; i <= t.contactIndex; i++) if (!tried(t, i)) return i;
  return undefined;
}

/**
 * No answer or a wrong number, for the contact being called now: note it. When no callable contact
 * is left untried, the next contact becomes callable; after the last, the task is exhausted.
 */
export function recordFailedCall(t: PhoneTask, outcome: CallOutcome, by: Actor, contacts: number, now: Date): TaskTransition {
  const refused = mayAct(t, by);
  if (refused) return refused;
  const index = callNow(t) ?? t.contactIndex;
  const attempts = [...t.attempts, { contactIndex: index, outcome, by, at: now.toISOString() }];
  const after = { ...t, attempts };
  const left = callNow(after) !== undefined;
  const last = t.contactIndex >= contacts - 1;
  const contactIndex = left || last ? t.contactIndex : t.contactIndex + 1;
  return changed(t, { attempts, contactIndex, exhausted: !left && last, state: 'claimed', claimedBy: by, overdueSince: undefined }, now);
}

/**
 * The ladder's next-contact time: contacts up to `index` become callable. An unclaimed task nobody
 * has called is overdue (raised again in the on-call channel); earlier contacts stay "not tried" and
 * first in line. A person working the task decides for themselves (busy).
 */
export function advanceContact(t: PhoneTask, index: number, now: Date): TaskTransition {
  if (isClosed(t)) return { changed: false, reason: 'closed', current: t };
  if (t.state === 'claimed') return { changed: false, reason: 'busy', current: t };
  if (t.contactIndex >= index) return { changed: false, reason: 'already', current: t };
  const untried = callNow(t) !== undefined;
  return changed(t, { contactIndex: index, overdueSince: untried ? (t.overdueSince ?? now.toISOString()) : t.overdueSince }, now);
}

/** The member acknowledged by button meanwhile: nobody needs to call any more. */
export function closeAcknowledged(t: PhoneTask, now: Date): TaskTransition {
  if (isClosed(t)) return { changed: false, reason: 'closed', current: t };
  return changed(t, { state: 'cancelled', resolution: { kind: 'acknowledged_elsewhere', at: now.toISOString() } }, now);
}

/**
 * The member's delivery is in a later acknowledgement round and its phone step came: the same task
 * (one per delivery) serves it. Still being worked, it carries on, now about the follow-up too. Ended,
 * it opens again from the first contact, with no message yet (a new one is posted); the earlier
 * round's calls and outcome are kept.
 */
export function renewForRound(t: PhoneTask, round: number, now: Date): TaskTransition {
  if ((t.round ?? 1) >= round) return { changed: false, reason: 'already', current: t };
  if (!isClosed(t)) return changed(t, { round }, now);
  const { resolution, claimedBy: _claimedBy, ...rest } = t;
  const earlier = { round: t.round ?? 1, state: t.state, attempts: t.attempts, ...(resolution ? { resolution } : {}) };
  const next: PhoneTask = {
    ...rest,
    round,
    earlierRounds: [...(t.earlierRounds ?? []), earlier],
    state: 'open',
    contactIndex: 0,
    exhausted: false,
    attempts: [],
    messages: [],
    messageKeys: undefined,
    version: t.version + 1,
    updatedAt: now.toISOString(),
  };
  return { changed: true, next };
}

/**
 * Where the task's messages are, and the key each was posted under (`keys[i]` for `messages[i]`):
 * an update must keep each message findable by its own key (the first post, a later round's, a raise).
 */
export function withMessages(t: PhoneTask, messages: MessageRef[], now: Date, keys?: string[]): TaskTransition {
  return changed(t, { messages, messageKeys: keys }, now);
}

/** The key message `i` of the task was posted under (records from before keys were kept: the task id). */
export function messageKeyOf(t: Pick<PhoneTask, 'id' | 'messageKeys'>, i: number): string {
  return t.messageKeys?.[i] ?? t.id;
}

export function isOpenTask(t: PhoneTask): boolean {
  return t.state === 'open' || t.state === 'claimed';
}
