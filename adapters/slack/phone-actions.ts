import type { BlockAction, ButtonAction } from '@slack/bolt';
import type { PhoneAction } from '../../src/commands/phone-task.js';
import type { Core } from '../../src/core.js';
import type { Logger } from '../../src/log.js';
import {
  PHONE_CLAIM_ACTION_ID,
  PHONE_NO_ANSWER_ACTION_ID,
  PHONE_REACHED_ACTION_ID,
  PHONE_RELEASE_ACTION_ID,
  PHONE_WRONG_NUMBER_ACTION_ID,
} from './phone-task-blocks.js';
import type { BoltApp } from './slack-app.js';
import { messageForError, pressOf } from './slack-edge.js';

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
      const press = pressOf(body);
      const context = { action: actionId, user: body.user.id, channel: press?.message.channelId, ts: press?.message.messageId };
      if (!press) {
        log.warn(context, 'button press without channel or message');
        return;
      }
      try {
        await core.phoneTaskAction({ ...press, claimedTaskId: button.value, action });
      } catch (err) {
        await respond({ response_type: 'ephemeral', replace_original: false, text: messageForError(err, log, context) });
      }
    });
  }
}
