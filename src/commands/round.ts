import type { Advisory } from '../domain/advisory.js';
import { isWithdrawn } from '../domain/advisory-lifecycle.js';
import { tlpAllowsChannelPost } from '../domain/classification.js';
import { beginRound, type Delivery } from '../domain/delivery.js';
import type { ChatPort } from '../ports/chat.js';
import type { CoreDeps } from './deps.js';
import { transitionDelivery } from './delivery-cas.js';
import { dropQuietly, enqueue } from './enqueue.js';
import { followUpView, roundFollowUp } from './followup-view.js';
import { firstStep, owedWork, stepWork } from './ladder.js';
import { touchStatusCard } from './status-card.js';

/** The delivery's copies can carry a follow-up in their thread (posted, and allowed by the TLP as it is now). */
export function threadable(advisory: Pick<Advisory, 'tlp'>, delivery: Delivery): boolean {
  if (delivery.messages.length === 0) return false;
  const channelCopy = delivery.messages[0]?.channelId === delivery.channel.channelId;
  return !channelCopy || tlpAllowsChannelPost(advisory.tlp);
}

/**
 * Move the delivery to the advisory's acknowledgement round once the member has its follow-up (or
 * has no copy that could carry it: then the phone is the way, at once). The earlier round's ladder
 * stops and the new one starts from the follow-up; the earlier round's follow-up, if any, no longer
 * offers its button. Safe to repeat: a delivery already in the round is left as it is.
 */
export async function enterRound(deps: CoreDeps, advisory: Advisory, delivery: Delivery): Promise<Delivery> {
  const round = advisory.round ?? 1;
  if (advisory.state !== 'open' || isWithdrawn(advisory) || (delivery.round ?? 1) >= round) return delivery;
  const f = roundFollowUp(advisory, round);
  if (!f) return delivery;
  const hasIt = (delivery.followups ?? []).some((p) => p.n === f.n);
  if (!hasIt && threadable(advisory, delivery)) return delivery;

  const now = deps.clock.now();
  const first = firstStep(deps, advisory, { memberId: delivery.memberId, round }, delivery.messages.length > 0 ? 'posted' : 'failed', now);
  let before: Delivery = delivery;
  const t = await transitionDelivery(deps.store, delivery.id, (d) => {
    before = d;
    return beginRound(d, round, first, now);
  });
  if (!t.changed) return t.current;
  await deps.store.appendAudit({
    id: `${delivery.id}.round.${round}`,
    at: now.toISOString(),
    action: 'delivery.round_started',
    advisoryId: advisory.id,
    deliveryId: delivery.id,
    detail: { round, followup: f.n, previous: { round: before.round ?? 1, state: before.state }, nextStep: first?.kind },
  });
  if (before.nextStep) await dropQuietly(deps, stepWork(before, before.nextStep));
  await enqueue(deps, owedWork(advisory, t.next).filter((w) => w.kind === 'step'));
  await touchStatusCard(deps, advisory);
  const chat = deps.chats[delivery.channel.platform];
  if (chat && (before.round ?? 1) > 1) await renderRoundFollowUps(deps, chat, advisory, t.next, (before.round ?? 1));
  return t.next;
}

/**
 * Re-render the follow-ups of the delivery that ask for acknowledgement (only round `round`'s, when
 * given) from the stored state: acknowledged, still asked, or replaced by a later round.
 */
export async function renderRoundFollowUps(deps: CoreDeps, chat: ChatPort, advisory: Advisory, delivery: Delivery, round?: number): Promise<number> {
  let updated = 0;
  for (const posted of delivery.followups ?? []) {
    const f = advisory.followups?.find((x) => x.n === posted.n);
    if (!f?.ack || (round !== undefined && f.ack.round !== round)) continue;
    for (const ref of posted.messages) {
      const audience = ref.channelId === delivery.channel.channelId ? 'channel' : 'direct';
      await chat.update(ref, { kind: 'followup', view: followUpView(advisory, delivery, f, audience) }, `${delivery.id}.followup.${f.n}.${ref.channelId}`);
      updated += 1;
    }
  }
  return updated;
}
