import { BotError } from '../errors.js';
import type { PostTarget } from '../ports/chat.js';
import type { NoticeView } from '../view/views.js';
import { displayName } from '../view/build.js';
import type { CoreDeps } from './deps.js';
import { loadDelivery } from './load.js';

/**
 * Post a notice into every secretariat channel on a platform this process can reach. The key makes
 * a retried job find its earlier post instead of alerting twice.
 */
async function toSecretariat(deps: CoreDeps, notice: NoticeView, key: string, since: Date): Promise<number> {
  let posted = 0;
  for (const channel of deps.directory.secretariatChannels()) {
    const chat = deps.chats[channel.platform];
    if (!chat) {
      deps.log.warn({ platform: channel.platform }, 'secretariat channel on a platform that is not configured');
      continue;
    }
    const target: PostTarget = { workspaceId: channel.workspace, channelId: channel.id };
    const earlier = await chat.findPost(target, key, since);
    if (!earlier) await chat.post(target, { kind: 'notice', view: notice }, key);
    posted += 1;
  }
  return posted;
}

export async function alertDeliveryFailed(deps: CoreDeps, deliveryId: string): Promise<number> {
  const { delivery, advisory } = await loadDelivery(deps, deliveryId);
  if (delivery.state !== 'failed') return 0;
  return toSecretariat(deps, {
    kind: 'delivery_failed',
    advisoryId: advisory.id,
    title: advisory.title,
    tlp: advisory.tlp,
    drill: advisory.drill,
    memberName: deps.directory.memberName(delivery.memberId),
    reason: delivery.failure?.code ?? 'unknown',
  }, `${delivery.id}.failed`, new Date(delivery.updatedAt));
}

export async function announceIssued(deps: CoreDeps, advisoryId: string): Promise<number> {
  const advisory = await deps.store.getAdvisory(advisoryId);
  if (!advisory) throw new BotError('ADVISORY.NOT_FOUND', 'advisory not found', { advisoryId });
  const deliveries = await deps.store.listDeliveries(advisoryId);
  return toSecretariat(deps, {
    kind: 'advisory_issued',
    advisoryId: advisory.id,
    title: advisory.title,
    tlp: advisory.tlp,
    drill: advisory.drill,
    deliveries: deliveries.length,
    ackDeadline: advisory.ackDeadline,
    issuedBy: displayName(advisory.issuedBy),
  }, `${advisory.id}.issued`, new Date(advisory.issuedAt));
}
