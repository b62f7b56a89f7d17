import type { MessageAttachment } from '@slack/types';
import type { OutboundView } from '../../src/ports/chat.js';
import { renderAdvisoryMessage } from './advisory-blocks.js';
import type { RenderedMessage } from './block-elements.js';
import { renderNotice } from './notice-blocks.js';
import { renderPhoneTask } from './phone-task-blocks.js';
import { renderPhoneBoard } from './phone-board-blocks.js';
import { renderReminder } from './reminder-blocks.js';
import { renderFollowUp } from './lifecycle-blocks.js';

/**
 * What SlackChat posts, by kind: each kind is rendered by its own file (advisory-blocks.ts,
 * notice-blocks.ts, reminder-blocks.ts, phone-task-blocks.ts), with the builders of block-elements.ts;
 * the ephemeral answers are in status-blocks.ts and notice-blocks.ts (renderError).
 */

/** Message metadata event type of everything the bot posts; its payload's `key` is what findPost matches. */
export const POST_EVENT_TYPE = 'ceptoar_post';

/** What SlackChat posts: content only; SlackChat adds the metadata. */
export interface SlackMessage extends RenderedMessage {
  attachments?: MessageAttachment[] | undefined;
}

/** Everything the chat port posts, by kind: the one render dependency of SlackChat. */
export function renderMessage(message: OutboundView): SlackMessage {
  switch (message.kind) {
    case 'advisory':
      return renderAdvisoryMessage(message.view);
    case 'notice':
      return renderNotice(message.view);
    case 'reminder':
      return renderReminder(message.view);
    case 'phone_task':
      return renderPhoneTask(message.view);
    case 'phone_board':
      return renderPhoneBoard(message.view);
    case 'followup':
      return renderFollowUp(message.view);
  }
}

/**
 * The message metadata of a post: the key findPost matches, the kind, and the ids that tell a person reading the
 * channel's metadata (or a migration) what the message is about.
 */
export function postMetadata(message: OutboundView, key: string): { event_type: typeof POST_EVENT_TYPE; event_payload: Record<string, string> } {
  const ids: Record<string, string> = {};
  switch (message.kind) {
    case 'advisory':
    case 'reminder':
    case 'followup':
      ids.advisory_id = message.view.advisoryId;
      ids.delivery_id = message.view.deliveryId;
      break;
    case 'phone_task':
      ids.advisory_id = message.view.advisoryId;
      ids.task_id = message.view.taskId;
      break;
    case 'phone_board':
      ids.advisory_id = message.view.advisoryId;
      ids.board_page = String(message.view.page);
      break;
    case 'notice':
      ids.advisory_id = message.view.advisoryId;
      ids.notice_kind = message.view.kind;
      break;
  }
  return { event_type: POST_EVENT_TYPE, event_payload: { ...ids, key, kind: message.kind } };
}
