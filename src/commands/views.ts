import { tlpAllowsChannelPost } from '../domain/classification.js';
import { BotError } from '../errors.js';
import { advisoryView } from '../view/build.js';
import type { AdvisoryView, PhoneTaskView } from '../view/views.js';
import type { CoreDeps } from './deps.js';
import { renderPhoneTask } from './escalate.js';

/** The advisory as its delivery's message should show it now (a platform that answers a press with the new card). */
export async function deliveryView(deps: CoreDeps, deliveryId: string): Promise<AdvisoryView> {
  const delivery = await deps.store.getDelivery(deliveryId);
  if (!delivery) throw new BotError('DELIVERY.NOT_FOUND', 'delivery not found', { deliveryId });
  const advisory = await deps.store.getAdvisory(delivery.advisoryId);
  if (!advisory) throw new BotError('ADVISORY.NOT_FOUND', 'advisory of delivery not found', { deliveryId });
  const acks = await deps.store.listAcknowledgements(delivery.id);
  const name = deps.directory.organisation(delivery.memberId)?.name ?? { ja: delivery.memberId, en: delivery.memberId };
  return advisoryView(advisory, delivery, name, acks, tlpAllowsChannelPost(advisory.tlp) ? 'channel' : 'direct');
}

/** The phone task as its message should show it now. */
export async function phoneTaskViewOf(deps: CoreDeps, taskId: string): Promise<PhoneTaskView> {
  const task = await deps.store.getPhoneTask(taskId);
  if (!task) throw new BotError('PHONE.NOT_FOUND', 'phone task not found', { taskId });
  const advisory = await deps.store.getAdvisory(task.advisoryId);
  if (!advisory) throw new BotError('ADVISORY.NOT_FOUND', 'advisory of phone task not found', { taskId });
  const message = await renderPhoneTask(deps, advisory, task);
  if (message.kind !== 'phone_task') throw new Error('renderPhoneTask returned another kind');
  return message.view;
}
