import type { Advisory } from '../domain/advisory.js';
import type { Delivery } from '../domain/delivery.js';
import type { MessageRef } from '../domain/platform.js';
import type { ChatPort } from '../ports/chat.js';
import type { CoreDeps } from './deps.js';
import { reminderView } from './reminder-view.js';

/**
 * Re-render reminders from the record as it is now: once the member acknowledged, they say so and stop asking.
 * Returns how many were edited. Their key is not needed to edit them; it names the reminder in the platform's logs.
 */
export async function updateReminders(deps: Pick<CoreDeps, 'directory'>, chat: ChatPort, advisory: Advisory, delivery: Delivery, refs: readonly MessageRef[]): Promise<number> {
  if (refs.length === 0) return 0;
  const view = reminderView(deps, advisory, delivery);
  for (const ref of refs) await chat.update(ref, { kind: 'reminder', view }, `${delivery.id}.reminder.${ref.channelId}`);
  return refs.length;
}
