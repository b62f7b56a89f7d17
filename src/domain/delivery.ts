import { randomUUID } from 'node:crypto';
import type { StepKind } from './escalation.js';
import { sameMessageRef, type Actor, type MessageRef, type Platform } from './platform.js';
import type { ReachedContact } from './phone-task.js';

/** cancelled: the advisory was withdrawn before this copy went out; it never will. */
export type DeliveryState = 'queued' | 'posted' | 'acknowledged' | 'failed' | 'cancelled';

/** A member's channel as the directory names it. */
export interface ChannelAddress {
  platform: Platform;
  /** Slack team id / Teams tenant id. */
  workspaceId: string;
  channelId: string;
  /** The directory says the channel is shared beyond the member's organisation. */
  sharedOutside: boolean;
}

export type AckVia = 'button' | 'phone';

/** What one press did: 'acknowledged' (first), 'seen' (someone was first; this person is added), 'repeat' (nothing new). */
export type AckOutcome = 'acknowledged' | 'seen' | 'repeat';

export interface AckMark {
  actor: Actor;
  at: string;
  via: AckVia;
  /** Via phone: the member's contact the on-call person (`actor`) reached. Absent on older records. */
  contact?: ReachedContact | undefined;
}

export interface DeliveryFailure {
  /** Platform error code or our own reason, e.g. channel_not_found, TLP_SHARED_CHANNEL, RETRIES_EXHAUSTED. */
  code: string;
  at: string;
  /** What the platform last said, when the code alone does not (RETRIES_EXHAUSTED: the last error). */
  detail?: string | undefined;
  /** The secretariat was told (ok), or every attempt to tell it failed and an operator was told through the log. */
  alerted?: { at: string; ok: boolean } | undefined;
}

/** A ladder step owed to a member and when it is due. */
export interface NextStep {
  kind: StepKind;
  index: number;
  /** When the step is due (ISO); a step whose time has passed runs at once. */
  at: string;
}

/** One advisory × one member channel. */
/** An announced drill's announcement to this member, ahead of the drill (drill-plan.ts): when, where, or why not. */
export interface DrillNoticeRecord {
  at: string;
  messages: MessageRef[];
  refused?: string | undefined;
}

export interface Delivery {
  id: string;
  advisoryId: string;
  memberId: string;
  channel: ChannelAddress;
  state: DeliveryState;
  /** Optimistic-concurrency counter; the store only writes a transition made from the version it read. */
  version: number;
  /** Times a post was attempted. */
  postAttempts: number;
  /**
   * Whether an attempt at posting may have reached the platform without our knowing (it is in flight, or failed in
   * a way that does not prove nothing was posted): the next attempt looks for that post before posting. Absent on
   * records from before it was kept: any earlier attempt then counts as uncertain.
   */
  postUncertain?: boolean | undefined;
  /** The posted messages: one in a channel, or one direct message per contact for TLP:RED. */
  messages: MessageRef[];
  failure?: DeliveryFailure | undefined;
  acknowledged?: AckMark | undefined;
  /**
   * The escalation ladder's token. Every scheduled step carries the token it was scheduled with;
   * acknowledgement rotates it, so a step that fires afterwards sees a stale token and does nothing.
   */
  escalationToken: string;
  /** The last ladder step that ran (or gave up), for the status view. */
  ladder?: { kind: StepKind; index: number; at: string; gaveUp?: boolean | undefined } | undefined;
  /**
   * The ladder step this member is owed next, under the current token. The store is the truth: the
   * reconciler schedules exactly this step, and a step job that is not this step does nothing.
   * Absent before the post, once acknowledged, and when the ladder has nothing left.
   */
  nextStep?: NextStep | undefined;
  /** The advisory's syncRev its copies show (absent: 0, as issued); behind the advisory means a sync is owed. */
  syncedRev?: number | undefined;
  /** Follow-ups posted in this delivery's thread, by number, with where each went. */
  followups?: { n: number; messages: MessageRef[] }[] | undefined;
  /** Reminders posted to this member, so an acknowledgement can update them too. */
  reminders?: MessageRef[] | undefined;
  /**
   * The acknowledgement round `state`, `acknowledged` and the ladder are about (absent: 1). A follow-up
   * asking for acknowledgement moves the delivery to its round once it is in the member's thread.
   */
  round?: number | undefined;
  /** The alert waves (alert-wave.ts) this member is listed in, by kind. */
  alertWaves?: { escalation?: number | undefined; failed?: number | undefined } | undefined;
  /** How each earlier round ended for this member, oldest first. */
  earlierRounds?: { round: number; state: DeliveryState; acknowledged?: AckMark | undefined }[] | undefined;
  /** An announced drill: the announcement posted to this member ahead of the drill (drill-plan.ts). */
  drillNotice?: DrillNoticeRecord | undefined;
  createdAt: string;
  updatedAt: string;
}

/** Deterministic: the same advisory, member and channel always give the same id (no ':' — it becomes a job id). */
export function deliveryIdFor(advisoryId: string, memberId: string, channel: Pick<ChannelAddress, 'platform' | 'channelId'>): string {
  const safeChannel = channel.channelId.replace(/[^A-Za-z0-9_-]/g, '_');
  return `${advisoryId}.${memberId}.${channel.platform}-${safeChannel}`;
}

export function newDelivery(advisoryId: string, memberId: string, channel: ChannelAddress, now: Date): Delivery {
  const at = now.toISOString();
  return {
    id: deliveryIdFor(advisoryId, memberId, channel),
    advisoryId,
    memberId,
    channel,
    state: 'queued',
    version: 0,
    postAttempts: 0,
    messages: [],
    escalationToken: newEscalationToken(),
    createdAt: at,
    updatedAt: at,
  };
}

/** Short and free of ':' because it becomes part of BullMQ job ids. */
export function newEscalationToken(): string {
  return `k${randomUUID().replace(/-/g, '').slice(0, 12)}`;
}

export type Transition =
  | { changed: true; next: Delivery }
  | { changed: false; reason: 'already' | 'not-allowed'; current: Delivery };

function changed(d: Delivery, patch: Partial<Delivery>, now: Date): Transition {
  const next: Delivery = { ...d, ...patch, version: d.version + 1, updatedAt: now.toISOString() };
  // A cleared field is absent, as it is after a trip through any store (JSON has no undefined).
  for (const key of Object.keys(next) as (keyof Delivery)[]) if (next[key] === undefined) delete next[key];
  return { changed: true, next };
}

/** Count an attempt before calling the platform, so a retry knows a post may already exist. */
export function beginPostAttempt(d: Delivery, now: Date): Transition {
  if (d.state !== 'queued') return { changed: false, reason: 'already', current: d };
  return changed(d, { postAttempts: d.postAttempts + 1, postUncertain: true }, now);
}

/** Whether the next post attempt must first look for an earlier attempt's post. */
export function postMayExist(d: Delivery): boolean {
  return d.postUncertain ?? d.postAttempts > 0;
}

/**
 * The attempt failed in a way that proves nothing was posted (a 429, a connection never made, or a search that had
 * just found nothing): the next attempt posts at once instead of searching the channel's history first.
 */
export function settlePostAttempt(d: Delivery, now: Date): Transition {
  if (d.state !== 'queued' || d.postUncertain === false) return { changed: false, reason: 'already', current: d };
  return changed(d, { postUncertain: false }, now);
}

/** Posted: the ladder's first step (if the policy has one) is now owed. */
export function markPosted(d: Delivery, messages: MessageRef[], now: Date, first: NextStep | undefined): Transition {
  if (d.state === 'posted' || d.state === 'acknowledged') return { changed: false, reason: 'already', current: d };
  if (d.state === 'failed') return { changed: false, reason: 'not-allowed', current: d };
  return changed(d, { state: 'posted', messages, nextStep: first }, now);
}

/** Failed for good: the secretariat is owed an alert, and the member the phone step (`phone`, due at once). */
export function markFailed(d: Delivery, failure: { code: string; detail?: string | undefined }, now: Date, phone: NextStep | undefined): Transition {
  if (d.state === 'failed') return { changed: false, reason: 'already', current: d };
  if (d.state !== 'queued') return { changed: false, reason: 'not-allowed', current: d };
  const record: DeliveryFailure = { code: failure.code, at: now.toISOString(), ...(failure.detail === undefined ? {} : { detail: failure.detail }) };
  return changed(d, { state: 'failed', failure: record, nextStep: phone }, now);
}

/** The secretariat heard of the failure (or could not be told: `ok` false, logged for the operators). */
export function markFailureAlerted(d: Delivery, ok: boolean, now: Date): Transition {
  if (d.state !== 'failed' || !d.failure) return { changed: false, reason: 'not-allowed', current: d };
  if (d.failure.alerted) return { changed: false, reason: 'already', current: d };
  return changed(d, { failure: { ...d.failure, alerted: { at: now.toISOString(), ok } } }, now);
}

/**
 * The first acknowledgement wins. A failed delivery can still be acknowledged (by phone, later):
 * the member knowing is what counts.
 */
export function markAcknowledged(d: Delivery, mark: AckMark, now: Date): Transition {
  if (d.state === 'acknowledged') return { changed: false, reason: 'already', current: d };
  // Acknowledgement is the single cancel point of the ladder: the rotated token makes every pending
  // step stale, and nothing more is owed.
  return changed(d, { state: 'acknowledged', acknowledged: mark, escalationToken: newEscalationToken(), nextStep: undefined }, now);
}

const sameStep = (a: { kind: StepKind; index: number } | undefined, b: { kind: StepKind; index: number }) =>
  a !== undefined && a.kind === b.kind && a.index === b.index;

/** The step a job asks to run is the one this member is owed now, under the token it was scheduled with. */
export function isOwedStep(d: Delivery, token: string, step: { kind: StepKind; index: number }): boolean {
  return d.state !== 'acknowledged' && d.escalationToken === token && sameStep(d.nextStep, step);
}

/**
 * The owed step ran (or gave up after every attempt): note it and owe the next one. Only while the
 * step is still the owed one under its token, so a late or repeated run changes nothing.
 */
export function markLadderStep(
  d: Delivery,
  token: string,
  step: { kind: StepKind; index: number },
  next: NextStep | undefined,
  now: Date,
  gaveUp = false,
): Transition {
  if (!isOwedStep(d, token, step)) {
    const already = d.escalationToken === token && sameStep(d.ladder, step);
    return { changed: false, reason: already ? 'already' : 'not-allowed', current: d };
  }
  const ladder = { kind: step.kind, index: step.index, at: now.toISOString(), ...(gaveUp ? { gaveUp: true } : {}) };
  return changed(d, { ladder, nextStep: next }, now);
}

/** Every contact was tried: the secretariat's alert is owed now rather than at the ladder's time. */
export function bringAlertForward(d: Delivery, token: string, now: Date): Transition {
  if (d.state === 'acknowledged' || d.escalationToken !== token || d.nextStep === undefined) {
    return { changed: false, reason: 'not-allowed', current: d };
  }
  if (d.nextStep.kind === 'alert' && new Date(d.nextStep.at).getTime() <= now.getTime()) return { changed: false, reason: 'already', current: d };
  return changed(d, { nextStep: { kind: 'alert', index: 0, at: now.toISOString() } }, now);
}

/**
 * A record written before the store kept `nextStep` (or repaired by the reconciler): set the owed
 * step as the ladder computes it. Never on an acknowledged delivery.
 */
export function setNextStep(d: Delivery, next: NextStep | undefined, now: Date): Transition {
  if (d.state === 'acknowledged') return { changed: false, reason: 'not-allowed', current: d };
  const same = next === undefined ? d.nextStep === undefined : sameStep(d.nextStep, next) && d.nextStep?.at === next.at;
  if (same) return { changed: false, reason: 'already', current: d };
  return changed(d, { nextStep: next }, now);
}

/**
 * The advisory closed or was withdrawn: no more ladder steps for this member. The rotated token makes
 * any pending step job stale. A copy not yet posted of a withdrawn advisory is cancelled.
 */
export function endLadder(d: Delivery, withdrawn: boolean, now: Date): Transition {
  if (withdrawn && d.state === 'queued') return changed(d, { state: 'cancelled', nextStep: undefined, escalationToken: newEscalationToken() }, now);
  if (d.nextStep === undefined) return { changed: false, reason: 'already', current: d };
  return changed(d, { nextStep: undefined, escalationToken: newEscalationToken() }, now);
}

/** A follow-up was posted in this delivery's thread (messages may be empty: nowhere to post it). */
export function markFollowUpPosted(d: Delivery, n: number, messages: MessageRef[], now: Date): Transition {
  if ((d.followups ?? []).some((f) => f.n === n)) return { changed: false, reason: 'already', current: d };
  return changed(d, { followups: [...(d.followups ?? []), { n, messages }] }, now);
}

/** Reminders went out: remember where, so the acknowledgement updates them too. */
export function markRemindersPosted(d: Delivery, refs: readonly MessageRef[], now: Date): Transition {
  const fresh = unkeptReminders(d, refs);
  if (fresh.length === 0) return { changed: false, reason: 'already', current: d };
  return changed(d, { reminders: [...(d.reminders ?? []), ...fresh] }, now);
}

/**
 * The owed step ran: the reminders it posted are kept and the ladder moves on, in one change (one write where a
 * reminder step took two). The reminders are kept even when the ladder can no longer move (acknowledged meanwhile):
 * the record lists every reminder that went out, and a refresh of the messages updates what it lists.
 */
export function markStepRan(
  d: Delivery,
  token: string,
  step: { kind: StepKind; index: number },
  next: NextStep | undefined,
  reminders: readonly MessageRef[],
  now: Date,
  gaveUp = false,
): Transition {
  const fresh = unkeptReminders(d, reminders);
  const moved = markLadderStep(d, token, step, next, now, gaveUp);
  if (fresh.length === 0) return moved;
  // One change from the record as read (changed() sets the version from `d`, whatever the ladder's part did).
  return changed(d, { ...(moved.changed ? moved.next : d), reminders: [...(d.reminders ?? []), ...fresh] }, now);
}

/** The refs not kept yet, each once. */
function unkeptReminders(d: Delivery, refs: readonly MessageRef[]): MessageRef[] {
  return refs.filter((ref, i) => !(d.reminders ?? []).some((r) => sameMessageRef(r, ref)) && refs.findIndex((r) => sameMessageRef(r, ref)) === i);
}

/**
 * A follow-up asking for acknowledgement reached this member: round `round` begins. Acknowledged or
 * not, the member is asked again; the earlier round's outcome is kept, the rotated token makes every
 * step of the earlier ladder stale, and `first` is the new ladder's first step. A copy never posted
 * (failed) stays failed: the phone is still the way to reach that member.
 */
export function beginRound(d: Delivery, round: number, first: NextStep | undefined, now: Date): Transition {
  if ((d.round ?? 1) >= round) return { changed: false, reason: 'already', current: d };
  if (d.state === 'queued' || d.state === 'cancelled') return { changed: false, reason: 'not-allowed', current: d };
  const earlier = { round: d.round ?? 1, state: d.state, ...(d.acknowledged ? { acknowledged: d.acknowledged } : {}) };
  const state: DeliveryState = d.messages.length > 0 ? 'posted' : 'failed';
  return changed(
    d,
    {
      round,
      earlierRounds: [...(d.earlierRounds ?? []), earlier],
      state,
      acknowledged: undefined,
      escalationToken: newEscalationToken(),
      ladder: undefined,
      nextStep: first,
      // The new round's alerts are a new wave's.
      alertWaves: undefined,
    },
    now,
  );
}

/** The member is listed in wave `n` of `kind` (alert-wave.ts); a member stays in the first wave that listed them. */
export function markInWave(d: Delivery, kind: 'escalation' | 'failed', n: number, now: Date): Transition {
  if (d.alertWaves?.[kind] !== undefined) return { changed: false, reason: 'already', current: d };
  return changed(d, { alertWaves: { ...(d.alertWaves ?? {}), [kind]: n } }, now);
}

/** Its copies show the advisory as of `rev`. */
export function markSyncedTo(d: Delivery, rev: number, now: Date): Transition {
  if ((d.syncedRev ?? 0) >= rev) return { changed: false, reason: 'already', current: d };
  return changed(d, { syncedRev: rev }, now);
}

export function isOpen(d: Delivery): boolean {
  return d.state === 'queued' || d.state === 'posted';
}

/**
 * The bot still owes this member something: the post, a ladder step, or telling the secretariat
 * of a failure. Stores index this, so the reconciler reads only deliveries with work left.
 */
export function owesWork(d: Delivery): boolean {
  if (d.state === 'queued') return true;
  if (d.state === 'acknowledged') return false;
  if (d.nextStep !== undefined) return true;
  return d.state === 'failed' && d.failure?.alerted === undefined;
}

/** No change but a new version: lets the store re-index a record an older release wrote. */
export function reindex(d: Delivery, now: Date): Transition {
  return changed(d, {}, now);
}
