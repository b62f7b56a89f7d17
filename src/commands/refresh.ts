import type { Advisory } from '../domain/advisory.js';
import { messageKeyOf, withMessages, type PhoneTask } from '../domain/phone-task.js';
import type { Actor } from '../domain/platform.js';
import { ChatError, type OutboundView, type PostTarget } from '../ports/chat.js';
import { LOOKBACK_MS } from './ladder.js';
import { boardMessageOn, handOffKey } from './phone-board.js';
import { postOnceLedgered } from './post-once.js';
import { transitionPhoneTask } from './phone-task-cas.js';
import type { CoreDeps } from './deps.js';
import { renderPhoneTask } from './escalate.js';
import { loadDelivery, loadPhoneTask } from './load.js';
import { viewOfDelivery } from './views.js';
import { updateReminders } from './reminder-update.js';
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
  await updateReminders(deps, chat, advisory, delivery, reminders);
  // A follow-up asking for acknowledgement says who acknowledged it, in place of its button.
  const followUps = await renderRoundFollowUps(deps, chat, advisory, delivery, delivery.round ?? 1);
  return delivery.messages.length + reminders.length + followUps;
}

/**
 * Re-render a phone task's messages from the stored state, and hand a claimed task to the person who claimed it: its
 * details and outcome buttons in their direct conversation with the bot (under the board, where the platform cannot
 * open one). Returns how many messages were edited or posted.
 */
export async function refreshPhoneTaskMessages(deps: CoreDeps, taskId: string): Promise<number> {
  const { task, advisory } = await loadPhoneTask(deps, taskId);
  const message = await renderPhoneTask(deps, advisory, task);
  let updated = 0;
  for (const [i, ref] of task.messages.entries()) {
    const chat = deps.chats[ref.platform];
    if (!chat) continue;
    // Each message keeps the key it was posted under (the task, a later round's post, a claimer's copy).
    await chat.update(ref, message, messageKeyOf(task, i));
    updated += 1;
  }
  if (task.state === 'claimed' && task.claimedBy) updated += await handOff(deps, advisory, task, task.claimedBy, message);
  return updated;
}

/** Post the task to its claimer, once per claimer and round (found again by key after an unknown outcome). */
async function handOff(deps: CoreDeps, advisory: Advisory, task: PhoneTask, claimer: Actor, message: OutboundView): Promise<number> {
  const key = handOffKey(task, claimer.userId);
  if (task.messageKeys?.includes(key)) return 0;
  const chat = deps.chats[claimer.platform];
  if (!chat) {
    deps.log.warn({ taskId: task.id, platform: claimer.platform }, 'a phone task was claimed from a platform this process does not serve; its copy is not posted');
    return 0;
  }
  const workspaceId = deps.directory.oncallChannels().find((c) => c.platform === claimer.platform)?.workspace ?? '';
  let target: PostTarget;
  try {
    target = await chat.openDirectConversation(workspaceId, claimer.userId);
  } catch (err) {
    const board = boardMessageOn(advisory, claimer.platform);
    if (!(err instanceof ChatError) || err.kind !== 'permanent' || !board) throw err;
    // The bot cannot write to them directly (Teams: the app not installed for them): a reply under the board.
    deps.log.info({ taskId: task.id, reason: err.reason }, 'no direct conversation with the claimer; their copy goes under the board');
    target = { workspaceId, channelId: board.channelId, threadOf: board };
  }
  const since = new Date(new Date(task.updatedAt).getTime() - LOOKBACK_MS);
  const { ref } = await postOnceLedgered(deps, chat, target, message, key, since);
  await transitionPhoneTask(deps.store, task.id, (current) => {
    if (current.messageKeys?.includes(key)) return { changed: false, reason: 'already', current };
    const keys = [...current.messages.map((_, i) => messageKeyOf(current, i)), key];
    return withMessages(current, [...current.messages, ref], deps.clock.now(), keys);
  });
  return 1;
}
