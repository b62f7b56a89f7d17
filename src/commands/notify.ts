import { markFailureAlerted } from '../domain/delivery.js';
import { BotError } from '../errors.js';
import type { CoreDeps } from './deps.js';
import { transitionDelivery } from './delivery-cas.js';
import { loadDelivery } from './load.js';
import { postToSecretariat } from './to-secretariat.js';
import { enqueue } from './enqueue.js';
import { statusCardNotice, statusCardWork } from './status-card.js';
import { alertInWave } from './alert-digest.js';
import { holdUntilDrillStarts } from './drill-notice.js';

/**
 * Tell the secretariat a delivery failed, in the advisory's grouped alert of failures (one message
 * per wave, alert-digest.ts); the record notes it was told, so it is told once.
 */
export async function alertDeliveryFailed(deps: CoreDeps, deliveryId: string): Promise<number> {
  const { delivery, advisory } = await loadDelivery(deps, deliveryId);
  if (delivery.state !== 'failed' || delivery.failure?.alerted) return 0;
  const { posted, delivery: listed } = await alertInWave(deps, advisory, delivery, 'failed');
  const reachable = deps.directory.secretariatChannels().some((c) => deps.chats[c.platform]);
  if (!reachable) {
    deps.log.error({ advisoryId: advisory.id, memberId: delivery.memberId, code: delivery.failure?.code }, 'delivery failure could not be told to the secretariat: no secretariat channel on a configured platform');
  }
  await transitionDelivery(deps.store, delivery.id, (d) => markFailureAlerted(d, reachable, deps.clock.now()), { from: listed });
  return posted.length;
}

export async function announceIssued(deps: CoreDeps, advisoryId: string): Promise<number> {
  const advisory = await deps.store.getAdvisory(advisoryId);
  if (!advisory) throw new BotError('ADVISORY.NOT_FOUND', 'advisory not found', { advisoryId });
  if (advisory.announced) return 0;
  // An announced drill's card waits for the drill's sending, as its copies do (drill-notice.ts).
  holdUntilDrillStarts(deps, advisory);
  // The notice is the advisory's live status card from the start: it is updated in place as members answer.
  const notice = await statusCardNotice(deps, advisory);
  const posted = await postToSecretariat(deps, notice, `${advisory.id}.issued`, new Date(advisory.issuedAt));
  await deps.store.markAnnounced(advisory.id, deps.clock.now().toISOString(), posted.length > 0, posted);
  // Deliveries may have moved on while the card was posted: the next interval shows where they are.
  if (posted.length > 0) await enqueue(deps, [statusCardWork(deps, advisory)]);
  return posted.length;
}
