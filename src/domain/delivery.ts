import { randomUUID } from 'node:crypto';
import type { StepKind } from './escalation.js';
import type { Actor, MessageRef, Platform } from './platform.js';

export type DeliveryState = 'queued' | 'posted' | 'acknowledged' | 'failed';

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

export interface AckMark {
  actor: Actor;
  at: string;
  via: AckVia;
}

export interface DeliveryFailure {
  /** Platform error code or our own reason, e.g. channel_not_found, TLP_SHARED_CHANNEL. */
  code: string;
  at: string;
}

/** One advisory × one member channel. */
export interface Delivery {
  id: string;
  advisoryId: string;
  memberId: string;
  channel: ChannelAddress;
  state: DeliveryState;
  /** Optimistic-concurrency counter; the store only writes a transition made from the version it read. */
  version: number;
  /** Times a post was attempted; above zero, a retry must look for an earlier post before posting again. */
  postAttempts: number;
  /** The posted messages: one in a channel, or one direct message per contact for TLP:RED. */
  messages: MessageRef[];
  failure?: DeliveryFailure | undefined;
  acknowledged?: AckMark | undefined;
  /**
   * The escalation ladder's token. Every scheduled step carries the token it was scheduled with;
   * acknowledgement rotates it, so a step that fires afterwards sees a stale token and does nothing.
   */
  escalationToken: string;
  /** The last ladder step that ran, for the status view. */
  ladder?: { kind: StepKind; index: number; at: string } | undefined;
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
  return { changed: true, next: { ...d, ...patch, version: d.version + 1, updatedAt: now.toISOString() } };
}

/** Count an attempt before calling the platform, so a retry knows a post may already exist. */
export function beginPostAttempt(d: Delivery, now: Date): Transition {
  if (d.state !== 'queued') return { changed: false, reason: 'already', current: d };
  return changed(d, { postAttempts: d.postAttempts + 1 }, now);
}

export function markPosted(d: Delivery, messages: MessageRef[], now: Date): Transition {
  if (d.state === 'posted' || d.state === 'acknowledged') return { changed: false, reason: 'already', current: d };
  if (d.state === 'failed') return { changed: false, reason: 'not-allowed', current: d };
  return changed(d, { state: 'posted', messages }, now);
}

export function markFailed(d: Delivery, code: string, now: Date): Transition {
  if (d.state === 'failed') return { changed: false, reason: 'already', current: d };
  if (d.state !== 'queued') return { changed: false, reason: 'not-allowed', current: d };
  return changed(d, { state: 'failed', failure: { code, at: now.toISOString() } }, now);
}

/**
 * The first acknowledgement wins. A failed delivery can still be acknowledged (by phone, later):
 * the member knowing is what counts.
 */
export function markAcknowledged(d: Delivery, mark: AckMark, now: Date): Transition {
  if (d.state === 'acknowledged') return { changed: false, reason: 'already', current: d };
  // Acknowledgement is the single cancel point of the ladder: the rotated token makes every pending step stale.
  return changed(d, { state: 'acknowledged', acknowledged: mark, escalationToken: newEscalationToken() }, now);
}

/** Note the ladder step that just ran; only while the token it ran under is still current. */
export function markLadderStep(d: Delivery, token: string, step: { kind: StepKind; index: number }, now: Date): Transition {
  if (d.escalationToken !== token || d.state === 'acknowledged') return { changed: false, reason: 'not-allowed', current: d };
  if (d.ladder && d.ladder.kind === step.kind && d.ladder.index === step.index) return { changed: false, reason: 'already', current: d };
  return changed(d, { ladder: { kind: step.kind, index: step.index, at: now.toISOString() } }, now);
}

export function isOpen(d: Delivery): boolean {
  return d.state === 'queued' || d.state === 'posted';
}
