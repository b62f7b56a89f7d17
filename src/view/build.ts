import type { Advisory } from '../domain/advisory.js';
import { tlpAllowsChannelPost, tlpForbidsSharedChannel } from '../domain/classification.js';
import { isWithdrawn, revisionOf, roundOf } from '../domain/advisory-lifecycle.js';
import type { Acknowledgement } from '../domain/audit.js';
import type { AckMark, Delivery, DeliveryState } from '../domain/delivery.js';
import type { Actor } from '../domain/platform.js';
import type { LocalisedName } from '../directory/schema.js';
import type { AdvisoryView, StatusRow, StatusView } from './views.js';
import { triedCount, type PhoneTask } from '../domain/phone-task.js';

function phoneTaskSummary(t: PhoneTask | undefined, contacts: number): StatusRow['phoneTask'] {
  if (!t) return undefined;
  return {
    state: t.state,
    claimedBy: t.claimedBy ? displayName(t.claimedBy) : undefined,
    contactIndex: t.contactIndex,
    contacts,
    tried: triedCount(t, contacts),
    overdue: t.overdueSince !== undefined,
    exhausted: t.exhausted,
  };
}

export function displayName(actor: Actor): string {
  return actor.name ?? actor.userId;
}

export function advisoryView(
  advisory: Advisory,
  delivery: Delivery,
  memberName: LocalisedName,
  acks: Acknowledgement[],
): AdvisoryView {
  // The copy itself asks for round 1: a later round is acknowledged on its follow-up, in the thread.
  const first = ackOfRound(delivery, 1);
  const firstKey = first ? `${first.actor.platform}/${first.actor.userId}` : undefined;
  const later = roundOf(advisory);
  return {
    advisoryId: advisory.id,
    deliveryId: delivery.id,
    title: advisory.title,
    body: advisory.body,
    tlp: advisory.tlp,
    severity: advisory.severity,
    category: advisory.category,
    source: advisory.source,
    drill: advisory.drill,
    issuedAt: advisory.issuedAt,
    ackDeadline: advisory.ackDeadline,
    memberName,
    // TLP:RED goes by direct message to named people: the message says not to forward it.
    audience: (inChannel(delivery) ?? tlpAllowsChannelPost(advisory.tlp)) ? 'channel' : 'direct',
    acknowledged: first ? { by: displayName(first.actor), at: first.at, via: first.via } : undefined,
    alsoSeenBy: acks
      .filter((a) => (a.round ?? 1) === 1 && `${a.actor.platform}/${a.actor.userId}` !== firstKey)
      .map((a) => ({ by: displayName(a.actor), at: a.at })),
    revision: revisionOf(advisory),
    corrections: (advisory.corrections ?? []).map((c) => ({ revision: c.revision, at: c.at, note: c.note })).reverse(),
    withdrawn: isWithdrawn(advisory) && advisory.closure ? { at: advisory.closure.at, reason: advisory.closure.reason ?? '' } : undefined,
    removed: copyAllowed(advisory, delivery) ? undefined : { tlp: advisory.tlp },
    laterRound: later.followup === undefined ? undefined : { round: later.n, followup: later.followup },
  };
}

/** How the member acknowledged round `round`: the delivery's own mark in its round, else the earlier round's record. */
export function ackOfRound(delivery: Pick<Delivery, 'round' | 'acknowledged' | 'earlierRounds'>, round: number): AckMark | undefined {
  if ((delivery.round ?? 1) === round) return delivery.acknowledged;
  return delivery.earlierRounds?.find((r) => r.round === round)?.acknowledged;
}

/** Whether the delivery's copy went into its channel (true) or by direct message (false); unknown before it is posted. */
function inChannel(delivery: Delivery): boolean | undefined {
  const first = delivery.messages[0];
  return first === undefined ? undefined : first.channelId === delivery.channel.channelId;
}

/**
 * A copy posted under a looser TLP that a correction made stricter: a channel copy once the TLP is
 * RED, a copy in a channel shared outside once it is AMBER+STRICT or RED. Such copies show only
 * that they were removed.
 */
export function copyAllowed(advisory: Pick<Advisory, 'tlp'>, delivery: Delivery): boolean {
  if (inChannel(delivery) !== true) return true;
  if (!tlpAllowsChannelPost(advisory.tlp)) return false;
  return !(tlpForbidsSharedChannel(advisory.tlp) && delivery.channel.sharedOutside);
}

/** Unacknowledged first (failed, then not yet acknowledged, then queued), so the secretariat sees who to chase. */
const JAPANESE = new Intl.Collator('ja');

export const STATUS_ORDER: Record<DeliveryState, number> = { failed: 0, posted: 1, queued: 2, acknowledged: 3, cancelled: 4 };

export function statusView(
  advisory: Advisory,
  deliveries: Delivery[],
  nameOf: (memberId: string) => LocalisedName,
  phoneTasks: PhoneTask[] = [],
  contactsOf: (memberId: string) => number = () => 0,
  readingOf: (memberId: string) => string = (memberId) => memberId,
): StatusView {
  const taskOf = new Map(phoneTasks.map((t) => [t.deliveryId, t]));
  const counts = { total: deliveries.length, queued: 0, posted: 0, acknowledged: 0, failed: 0, cancelled: 0 };
  const rows: StatusRow[] = deliveries.map((d) => {
    counts[d.state] += 1;
    return {
      memberId: d.memberId,
      memberName: nameOf(d.memberId),
      deliveryId: d.id,
      platform: d.channel.platform,
      state: d.state,
      acknowledgedBy: d.acknowledged ? displayName(d.acknowledged.actor) : undefined,
      acknowledgedAt: d.acknowledged?.at,
      via: d.acknowledged?.via,
      reachedContact: d.acknowledged?.contact,
      failure: d.failure?.code,
      ladder: d.state === 'acknowledged' ? undefined : d.ladder,
      phoneTask: phoneTaskSummary(taskOf.get(d.id), contactsOf(d.memberId)),
    };
  });
  // Who to chase first; within a state, Japanese name order (by the reading where the directory has one).
  const reading = new Map(rows.map((r) => [r.memberId, readingOf(r.memberId)]));
  rows.sort(
    (a, b) =>
      STATUS_ORDER[a.state] - STATUS_ORDER[b.state] ||
      JAPANESE.compare(reading.get(a.memberId) ?? a.memberId, reading.get(b.memberId) ?? b.memberId) ||
      a.deliveryId.localeCompare(b.deliveryId),
  );
  const round = roundOf(advisory);
  return {
    advisoryId: advisory.id,
    title: advisory.title,
    tlp: advisory.tlp,
    severity: advisory.severity,
    drill: advisory.drill,
    issuedAt: advisory.issuedAt,
    ackDeadline: round.deadline,
    round: round.followup === undefined ? undefined : { n: round.n, followup: round.followup, since: round.since },
    counts,
    rows,
  };
}
