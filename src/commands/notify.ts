import { markFailureAlerted } from '../domain/delivery.js';
import { BotError } from '../errors.js';
import type { PostTarget } from '../ports/chat.js';
import type { NoticeView } from '../view/views.js';
import type { CoreDeps } from './deps.js';
import { transitionDelivery } from './delivery-cas.js';
import { loadDelivery } from './load.js';
import { postOnce } from './post-once.js';
import { enqueue } from './enqueue.js';
import { statusCardNotice, statusCardWork } from './status-card.js';
import type { MessageRef } from '../domain/platform.js';

/**
 * Post a notice into every secretariat channel on a platform this process can reach. The key makes
 * a retried job find its earlier post instead of alerting twice. Returns how many channels have it.
 */
export async function toSecretariat(deps: CoreDeps, notice: NoticeView, key: string, since: Date): Promise<number> {
  return (await postToSecretariat(deps, notice, key, since)).length;
}

/** As toSecretariat, returning where the notice is (a notice updated later, as the live status card, needs it). */
export async function postToSecretariat(deps: CoreDeps, notice: NoticeView, key: string, since: Date): Promise<MessageRef[]> {
  const posted: MessageRef[] = [];
  for (const channel of deps.directory.secretariatChannels()) {
    const chat = deps.chats[channel.platform];
    if (!chat) {
      deps.log.warn({ platform: channel.platform }, 'secretariat channel on a platform that is not configured');
      continue;
    }
    const target: PostTarget = { workspaceId: channel.workspace, channelId: channel.id };
    // A notice job may be a retry whose first post got through: look where the platform can.
    const result = await postOnce(deps, chat, target, { kind: 'notice', view: notice }, key, { retrying: 'unknown', since });
    posted.push(result.ref);
  }
  return posted;
}

/** Tell the secretariat a delivery failed; the record notes it was told, so it is told once. */
export async function alertDeliveryFailed(deps: CoreDeps, deliveryId: string): Promise<number> {
  const { delivery, advisory } = await loadDelivery(deps, deliveryId);
  if (delivery.state !== 'failed' || delivery.failure?.alerted) return 0;
  const posted = await toSecretariat(deps, {
    kind: 'delivery_failed',
    advisoryId: advisory.id,
    title: advisory.title,
    tlp: advisory.tlp,
    drill: advisory.drill,
    memberName: deps.directory.memberName(delivery.memberId),
    reason: delivery.failure?.code ?? 'unknown',
    detail: delivery.failure?.detail,
  }, `${delivery.id}.failed`, new Date(delivery.failure?.at ?? delivery.updatedAt));
  if (posted === 0) {
    deps.log.error({ advisoryId: advisory.id, memberId: delivery.memberId, code: delivery.failure?.code }, 'delivery failure could not be told to the secretariat: no secretariat channel on a configured platform');
  }
  await transitionDelivery(deps.store, delivery.id, (d) => markFailureAlerted(d, posted > 0, deps.clock.now()));
  return posted;
}

export async function announceIssued(deps: CoreDeps, advisoryId: string): Promise<number> {
  const advisory = await deps.store.getAdvisory(advisoryId);
  if (!advisory) throw new BotError('ADVISORY.NOT_FOUND', 'advisory not found', { advisoryId });
  if (advisory.announced) return 0;
  // The notice is the advisory's live status card from the start: it is updated in place as members answer.
  const notice = await statusCardNotice(deps, advisory);
  const posted = await postToSecretariat(deps, notice, `${advisory.id}.issued`, new Date(advisory.issuedAt));
  await deps.store.markAnnounced(advisory.id, deps.clock.now().toISOString(), posted.length > 0, posted);
  // Deliveries may have moved on while the card was posted: the next interval shows where they are.
  if (posted.length > 0) await enqueue(deps, [statusCardWork(deps, advisory)]);
  return posted.length;
}
