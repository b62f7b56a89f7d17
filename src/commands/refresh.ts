import { BotError } from '../errors.js';
import { deliveryView } from './views.js';
import type { CoreDeps } from './deps.js';
import { renderPhoneTask } from './escalate.js';

/** Re-render every message of a delivery from the stored state (after an acknowledgement). */
export async function refreshDeliveryMessages(deps: CoreDeps, deliveryId: string): Promise<number> {
  const delivery = await deps.store.getDelivery(deliveryId);
  if (!delivery) throw new BotError('DELIVERY.NOT_FOUND', 'delivery not found', { deliveryId });
  const advisory = await deps.store.getAdvisory(delivery.advisoryId);
  if (!advisory) throw new BotError('ADVISORY.NOT_FOUND', 'advisory of delivery not found', { deliveryId });
  const chat = deps.chats[delivery.channel.platform];
  if (!chat || delivery.messages.length === 0) return 0;
  const view = await deliveryView(deps, delivery.id);
  for (const ref of delivery.messages) await chat.update(ref, { kind: 'advisory', view }, delivery.id);
  return delivery.messages.length;
}

/** Re-render a phone task's messages in the on-call channel(s) from the stored state. */
export async function refreshPhoneTaskMessages(deps: CoreDeps, taskId: string): Promise<number> {
  const task = await deps.store.getPhoneTask(taskId);
  if (!task) throw new BotError('PHONE.NOT_FOUND', 'phone task not found', { taskId });
  const advisory = await deps.store.getAdvisory(task.advisoryId);
  if (!advisory) throw new BotError('ADVISORY.NOT_FOUND', 'advisory of phone task not found', { taskId });
  const message = await renderPhoneTask(deps, advisory, task);
  let updated = 0;
  for (const ref of task.messages) {
    const chat = deps.chats[ref.platform];
    if (!chat) continue;
    await chat.update(ref, message, task.id);
    updated += 1;
  }
  return updated;
}
