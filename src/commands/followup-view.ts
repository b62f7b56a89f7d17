import type { Advisory, FollowUp } from '../domain/advisory.js';
import type { Delivery } from '../domain/delivery.js';
import { ackOfRound, displayName } from '../view/build.js';
import type { FollowUpAckView, FollowUpView } from '../view/views.js';

/**
 * A follow-up as it should read in a delivery's thread now. One that asks for acknowledgement shows
 * its button until this member's round is acknowledged (who and when instead) or a later round
 * replaced it (ended).
 */
export function followUpView(advisory: Advisory, delivery: Delivery, f: FollowUp, audience: 'channel' | 'direct'): FollowUpView {
  return {
    advisoryId: advisory.id,
    deliveryId: delivery.id,
    title: advisory.title,
    tlp: advisory.tlp,
    drill: advisory.drill,
    n: f.n,
    at: f.at,
    body: f.body,
    audience,
    ack: f.ack ? ackView(advisory, delivery, f.ack) : undefined,
  };
}

function ackView(advisory: Advisory, delivery: Delivery, ack: NonNullable<FollowUp['ack']>): FollowUpAckView {
  const mark = ackOfRound(delivery, ack.round);
  const acknowledged = mark ? { by: displayName(mark.actor), at: mark.at, via: mark.via } : undefined;
  const replaced = (advisory.round ?? 1) > ack.round || (delivery.round ?? 1) > ack.round;
  return { round: ack.round, deadline: ack.deadline, acknowledged, ended: !acknowledged && replaced ? true : undefined };
}

/** The follow-up that opened the delivery's current round, if it is a later one. */
export function roundFollowUp(advisory: Advisory, round: number): FollowUp | undefined {
  return round > 1 ? advisory.followups?.find((f) => f.ack?.round === round) : undefined;
}
