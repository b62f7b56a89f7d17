import type { BlockAction, ButtonAction, StaticSelectAction } from '@slack/bolt';
import type { Actor, MessageRef } from '../../src/domain/platform.js';
import type { Logger } from '../../src/log.js';
import { both, stacked } from '../../src/i18n/text.js';
import { errorView } from '../../src/view/error-view.js';
import { escapeMrkdwn } from './mrkdwn.js';

/**
 * What the person who pressed or typed sees when something goes wrong (see errorView), as mrkdwn:
 * escaped, because names and ids in it came from people.
 */
export function messageForError(err: unknown, log: Logger, context: Record<string, unknown>): string {
  const view = errorView(err, log, context);
  const lines = [stacked(view.message), ...(view.code === 'ADVISORY.INVALID' ? (view.fields ?? []).map((f) => `• ${both(f.message)}`) : [])];
  return escapeMrkdwn(lines.join('\n'));
}

/** Where a button was pressed and by whom, as the core wants it; null when Slack sent no message. */
export function pressOf(body: BlockAction<ButtonAction> | BlockAction<StaticSelectAction>): { actor: Actor; message: MessageRef } | null {
  const channelId = body.channel?.id ?? body.container.channel_id;
  const messageTs = body.message?.ts ?? body.container.message_ts;
  if (!channelId || !messageTs) return null;
  return {
    actor: { platform: 'slack', userId: body.user.id, name: body.user.name ?? body.user.username },
    message: { platform: 'slack', channelId, messageId: messageTs },
  };
}
