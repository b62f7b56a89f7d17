import { closeAdvisoryBySystem } from './lifecycle.js';
import { randomUUID } from 'node:crypto';
import { markAcknowledged, type AckMark, type AckOutcome, type AckVia, type Delivery } from '../domain/delivery.js';
import type { ReachedContact } from '../domain/phone-task.js';
import { actorKey, sameMessageRef, type Actor, type MessageRef } from '../domain/platform.js';
import { BotError } from '../errors.js';
import type { CoreDeps } from './deps.js';
import { transitionDelivery } from './delivery-cas.js';
import { transitionPhoneTask } from './phone-task-cas.js';
import { closeAcknowledged, phoneTaskIdFor } from '../domain/phone-task.js';
import { advisoryScope, type Advisory } from '../domain/advisory.js';
import { dropQuietly, enqueue } from './enqueue.js';
import { stepWork } from './ladder.js';
import { loadDelivery } from './load.js';
import { touchStatusCard } from './status-card.js';
import { touchPhoneTask } from './phone-board.js';
import { touchAlertWaves } from './alert-digest.js';

export interface AckResult {
  outcome: AckOutcome;
  delivery: Delivery;
  first: AckMark;
  /**
   * The messages' update is queued. False while the queue is unreachable: the acknowledgement is
   * stored all the same, and the adapter shows it itself where the platform lets it.
   */
  refreshQueued: boolean;
}

/**
 * A button press on a posted advisory. The delivery is found from where the press happened
 * (platform, channel, message) — never from the button's value, which a crafted request controls.
 */
export async function acknowledgeFromMessage(
  deps: CoreDeps,
  req: { actor: Actor; message: MessageRef; claimedDeliveryId?: string | undefined },
): Promise<AckResult> {
  // The advisory's own copy, or a follow-up asking for acknowledgement in its thread.
  const delivery = (await deps.store.findDeliveryByMessage(req.message)) ?? (await deps.store.findDeliveryByFollowUpOrReminder(req.message));
  if (!delivery) {
    throw new BotError('DELIVERY.NOT_FOUND', 'no delivery for this message', { message: req.message });
  }
  if (req.claimedDeliveryId !== undefined && req.claimedDeliveryId !== delivery.id) {
    await deps.store.appendAudit({
      id: `ack-refused.${randomUUID()}`,
      at: deps.clock.now().toISOString(),
      actor: req.actor,
      action: 'delivery.ack_refused',
      advisoryId: delivery.advisoryId,
      deliveryId: delivery.id,
      detail: { claimedDeliveryId: req.claimedDeliveryId, message: req.message },
    });
    deps.log.warn({ actor: req.actor, claimed: req.claimedDeliveryId, actual: delivery.id }, 'acknowledgement refused: button does not match message');
    throw new BotError('DELIVERY.NOT_YOURS', 'button value does not match the delivery of this message', {
      claimed: req.claimedDeliveryId,
      actual: delivery.id,
    });
  }
  return acknowledgeDelivery(deps, { deliveryId: delivery.id, actor: req.actor, via: 'button', round: await roundAskedBy(deps, delivery, req.message) });
}


/**
 * The acknowledgement round a pressed message asks for: the copy itself round 1, a follow-up its own
 * round; a reminder (or a follow-up asking nothing) the delivery's current round.
 */
async function roundAskedBy(deps: CoreDeps, delivery: Delivery, message: MessageRef): Promise<number> {
  if (delivery.messages.some((m) => sameMessageRef(m, message))) return 1;
  const posted = (delivery.followups ?? []).find((f) => f.messages.some((m) => sameMessageRef(m, message)));
  const followUp = posted ? (await deps.store.getAdvisory(delivery.advisoryId))?.followups?.find((f) => f.n === posted.n) : undefined;
  return followUp?.ack?.round ?? delivery.round ?? 1;
}

/**
 * Record an acknowledgement: first one wins, later people are kept as "also seen by". Idempotent per person. Via
 * phone, `actor` is the on-call person and `contact` the member's contact they reached.
 */
export async function acknowledgeDelivery(
  deps: CoreDeps,
  req: { deliveryId: string; actor: Actor; via: AckVia; contact?: ReachedContact | undefined; round?: number | undefined },
): Promise<AckResult> {
  const { delivery: current, advisory } = await loadDelivery(deps, req.deliveryId);
  // A press names the round its message asked for; the phone acknowledges the round the member is in.
  const round = req.round ?? current.round ?? 1;
  if (round !== (current.round ?? 1)) throw roundEnded(current, round);
  const at = deps.clock.now().toISOString();
  const contact = req.via === 'phone' && req.contact !== undefined ? { contact: req.contact } : {};
  const inRound = round > 1 ? { round } : {};
  const added = await deps.store.addAcknowledgement({
    deliveryId: current.id,
    advisoryId: current.advisoryId,
    memberId: current.memberId,
    actor: req.actor,
    at,
    via: req.via,
    ...contact,
    ...inRound,
  });
  const mark: AckMark = { actor: req.actor, at, via: req.via, ...contact };
  // The record as the winning transition saw it: its pending step is the job to tidy away.
  let before: Delivery = current;
  const t = await transitionDelivery(
    deps.store,
    current.id,
    (d) => {
      before = d;
      // A follow-up began a new round since the read: this press was for the one it replaced.
      if ((d.round ?? 1) !== round) throw roundEnded(d, round);
      return markAcknowledged(d, mark, new Date(at));
    },
    {
      from: current,
      // Recorded with the change, in one commit where the store can.
      audit: (next) => ({
        id: `${next.id}.acknowledged${round > 1 ? `.r${round}` : ''}`,
        at,
        actor: req.actor,
        action: 'delivery.acknowledged',
        advisoryId: next.advisoryId,
        deliveryId: next.id,
        detail: { via: req.via, ...contact, ...inRound },
      }),
    },
  );
  const delivery = t.changed ? t.next : t.current;
  const first = delivery.acknowledged ?? mark;

  let outcome: AckResult['outcome'] = 'repeat';
  if (t.changed) {
    outcome = 'acknowledged';
  } else if (added) {
    outcome = 'seen';
    await deps.store.appendAudit({
      id: `${delivery.id}.seen.${actorKey(req.actor)}${round > 1 ? `.r${round}` : ''}`,
      at,
      actor: req.actor,
      action: 'delivery.seen',
      advisoryId: delivery.advisoryId,
      deliveryId: delivery.id,
      detail: { via: req.via, ...contact, ...inRound },
    });
  }
  const scope = advisoryScope(advisory);
  let refreshQueued = true;
  if (outcome !== 'repeat') {
    const revision = (await deps.store.listAcknowledgements(delivery.id)).length;
    // The revision counts the row this run has just added, so no job has had this id (a second press counted the
    // same is the same refresh, which reads the store when it runs): added without looking first, a round trip less.
    refreshQueued = await enqueue(deps, [{ kind: 'refresh', scope, deliveryId: delivery.id, revision }], { fresh: true });
  }
  if (t.changed) await stopEscalation(deps, advisory, before, delivery);
  if (t.changed) await touchStatusCard(deps, advisory);
  // A member listed in a grouped alert is shown resolved there.
  if (t.changed) await touchAlertWaves(deps, advisory, delivery);
  // The last member to acknowledge closes the advisory (the reconciler catches a close this misses).
  // A member still in an earlier round (the follow-up not yet in their thread) counts as not acknowledged.
  if (t.changed && advisory.state === 'open' && !(await deps.store.anyUnacknowledged(advisory.id, advisory.round ?? 1))) {
    await closeAdvisoryBySystem(deps, advisory.id, 'all_acknowledged');
  }
  return { outcome, delivery, first, refreshQueued };
}

function roundEnded(d: Delivery, asked: number): BotError {
  return new BotError('DELIVERY.ROUND_ENDED', 'the press acknowledges a round a later follow-up replaced', { deliveryId: d.id, asked, current: d.round ?? 1 });
}

/**
 * The rotated token already makes every pending step stale and the record owes no more steps;
 * this only tidies up: the phone staff see the task closed (nobody needs to call), and the
 * pending step's job is dropped.
 */
async function stopEscalation(deps: CoreDeps, advisory: Advisory, before: Delivery, after: Delivery): Promise<void> {
  const task = await deps.store.getPhoneTask(phoneTaskIdFor(after.id));
  if (task) {
    const t = await transitionPhoneTask(deps.store, task.id, (current) => closeAcknowledged(current, deps.clock.now()));
    if (t.changed) await touchPhoneTask(deps, advisory, t.next);
  }
  if (before.nextStep) await dropQuietly(deps, stepWork(before, before.nextStep));
}
