import type { BlockAction, ButtonAction } from '@slack/bolt';
import type { PhoneAction } from '../../src/commands/phone-task.js';
import type { Core } from '../../src/core.js';
import type { Actor } from '../../src/domain/platform.js';
import { isBotError } from '../../src/errors.js';
import { ERROR_TEXT, stacked } from '../../src/i18n/text.js';
import type { Logger } from '../../src/log.js';
import { escapeMrkdwn } from './mrkdwn.js';
import {
  PHONE_CLAIM_ACTION_ID,
  PHONE_NO_ANSWER_ACTION_ID,
  PHONE_REACHED_ACTION_ID,
  PHONE_RELEASE_ACTION_ID,
  PHONE_WRONG_NUMBER_ACTION_ID,
} from './slack-blocks.js';
import type { BoltApp } from './slack-app.js';
import { messageForError } from './slack-edge.js';

/**
 * The phone task's buttons. The task message is updated by a refresh job; the person who pressed
 * hears only when something stopped them (someone else is calling, the task is closed).
 */
const ACTIONS: [PhoneAction, string][] = [
  ['claim', PHONE_CLAIM_ACTION_ID],
  ['release', PHONE_RELEASE_ACTION_ID],
  ['reached', PHONE_REACHED_ACTION_ID],
  ['no_answer', PHONE_NO_ANSWER_ACTION_ID],
  ['wrong_number', PHONE_WRONG_NUMBER_ACTION_ID],
];

export function registerPhoneActions(app: BoltApp, core: Core, log: Logger): void {
  for (const [action, actionId] of ACTIONS) {
    app.action<BlockAction<ButtonAction>>(actionId, async ({ ack, body, action: button, respond }) => {
      await ack();
      const channelId = body.channel?.id ?? body.container.channel_id;
      const messageTs = body.message?.ts ?? body.container.message_ts;
      const context = { action: actionId, user: body.user.id, channel: channelId, ts: messageTs };
      if (!channelId || !messageTs) {
        log.warn(context, 'phone button press without channel or message');
        return;
      }
      const actor: Actor = { platform: 'slack', userId: body.user.id, name: body.user.name ?? body.user.username };
      try {
        await core.phoneTaskAction({ actor, message: { platform: 'slack', channelId, messageId: messageTs }, claimedTaskId: button.value, action });
      } catch (err) {
        let text = messageForError(err, log, context);
        if (isBotError(err, 'PHONE.CLAIMED_BY_OTHER') && typeof err.detail['claimedBy'] === 'string') {
          text = `${stacked(ERROR_TEXT['PHONE.CLAIMED_BY_OTHER'])}\n📞 ${escapeMrkdwn(err.detail['claimedBy'])}`;
        }
        await respond({ response_type: 'ephemeral', replace_original: false, text });
      }
    });
  }
}
