import type { Advisory } from '../domain/advisory.js';
import type { Delivery } from '../domain/delivery.js';
import type { PhoneTask } from '../domain/phone-task.js';
import { BotError } from '../errors.js';
import type { CoreDeps } from './deps.js';

/** A delivery with its advisory; a missing one is a coded error (the workflow gives up on it). */
export async function loadDelivery(deps: CoreDeps, deliveryId: string): Promise<{ delivery: Delivery; advisory: Advisory }> {
  const delivery = await deps.store.getDelivery(deliveryId);
  if (!delivery) throw new BotError('DELIVERY.NOT_FOUND', 'delivery not found', { deliveryId });
  const advisory = await deps.store.getAdvisory(delivery.advisoryId);
  if (!advisory) throw new BotError('ADVISORY.NOT_FOUND', 'advisory of delivery not found', { deliveryId });
  return { delivery, advisory };
}

export async function loadPhoneTask(deps: CoreDeps, taskId: string): Promise<{ task: PhoneTask; advisory: Advisory }> {
  const task = await deps.store.getPhoneTask(taskId);
  if (!task) throw new BotError('PHONE.NOT_FOUND', 'phone task not found', { taskId });
  const advisory = await deps.store.getAdvisory(task.advisoryId);
  if (!advisory) throw new BotError('ADVISORY.NOT_FOUND', 'advisory of phone task not found', { taskId });
  return { task, advisory };
}
