import { messageKeyOf } from '../domain/phone-task.js';
import type { CoreDeps } from './deps.js';
import { renderPhoneTask } from './escalate.js';
import { loadDelivery, loadPhoneTask } from './load.js';
import { viewOfDelivery } from './views.js';
import { reminderView } from './reminder-view.js';
import { renderRoundFollowUps } from './round.js';

/** Re-render every message of a delivery from the stored state (after an acknowledgement). */
export async function refreshDeliveryMessages(deps: CoreDeps, deliveryId: string): Promise<number> {
  const { delivery, advisory } = await loadDelivery(deps, deliveryId);
  const chat = deps.chats[delivery.channel.platform];
  if (!chat || delivery.messages.length === 0) return 0;
  const view = await viewOfDelivery(deps, delivery, advisory);
  for (const ref of delivery.messages) await chat.update(ref, { kind: 'advisory', view }, delivery.id);
  // Reminders posted before the acknowledgement now say it was acknowledged (their key is not needed to update them).
  const reminders = delivery.reminders ?? [];
  if (reminders.length > 0) {
    const reminder = reminderView(deps, advisory, delivery);
    for (const ref of reminders) await chat.update(ref, { kind: 'reminder', view: reminder }, `${delivery.id}.reminder.${ref.channelId}`);
  }
  // A follow-up asking for acknowledgement says who acknowledged it, in place of its button.
  const followUps = await renderRoundFollowUps(deps, chat, advisory, delivery, delivery.round ?? 1);
  return delivery.messages.length + reminders.length + followUps;
}

/** Re-render a phone task's messages in the on-call channel(s) from the stored state. */
export async function refreshPhoneTaskMessages(deps: CoreDeps, taskId: string): Promise<number> {
  const { task, advisory } = await loadPhoneTask(deps, taskId);
  const message = await renderPhoneTask(deps, advisory, task);
  let updated = 0;
  for (const [i, ref] of task.messages.entries()) {
    const chat = deps.chats[ref.platform];
    if (!chat) continue;
    // Each message keeps the key it was posted under (the task, a later round's post, a raise).
    await chat.update(ref, message, messageKeyOf(task, i));
    updated += 1;
  }
  return updated;
}
