import { randomUUID } from 'node:crypto';
import type { BlockAction, ButtonAction } from '@slack/bolt';
import type { Actor, MessageRef } from '../../src/domain/platform.js';
import { isBotError } from '../../src/errors.js';
import type { Logger } from '../../src/log.js';
import { both, ERROR_TEXT, stacked } from '../../src/i18n/text.js';
import type { FieldError } from '../../src/view/advisory-form-errors.js';

/**
 * What the person who pressed or typed sees when something goes wrong. Coded errors get their
 * own message; anything else gets a reference id that is also in the log, once, with context.
 */
export function messageForError(err: unknown, log: Logger, context: Record<string, unknown>): string {
  if (isBotError(err)) {
    log.info({ ...context, code: err.code, detail: err.detail }, 'request refused');
    const base = stacked(ERROR_TEXT[err.code]);
    const fields = err.detail['fields'];
    if (err.code === 'ADVISORY.INVALID' && Array.isArray(fields)) {
      return `${base}\n${(fields as FieldError[]).map((f) => `• ${both(f.message)}`).join('\n')}`;
    }
    if (err.code === 'DIRECTORY.UNKNOWN_TARGET') {
      const unknown = [...((err.detail['unknownGroups'] as string[]) ?? []), ...((err.detail['unknownMembers'] as string[]) ?? [])];
      return `${base}\n${unknown.join(', ')}`;
    }
    return base;
  }
  const ref = randomUUID().slice(0, 8);
  log.error({ ...context, err, ref }, 'request failed');
  return stacked({
    ja: `処理中にエラーが発生しました（参照番号 ${ref}）。事務局にお問い合わせください。`,
    en: `Something went wrong (reference ${ref}). Please contact the secretariat.`,
  });
}

/** Where a button was pressed and by whom, as the core wants it; null when Slack sent no message. */
export function pressOf(body: BlockAction<ButtonAction>): { actor: Actor; message: MessageRef } | null {
  const channelId = body.channel?.id ?? body.container.channel_id;
  const messageTs = body.message?.ts ?? body.container.message_ts;
  if (!channelId || !messageTs) return null;
  return {
    actor: { platform: 'slack', userId: body.user.id, name: body.user.name ?? body.user.username },
    message: { platform: 'slack', channelId, messageId: messageTs },
  };
}
