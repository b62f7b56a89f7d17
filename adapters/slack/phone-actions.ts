import type { BlockAction, ButtonAction } from '@slack/bolt';
import type { Core } from '../../src/core.js';
import type { Logger } from '../../src/log.js';
import type { BoltApp } from './bolt-app.js';
import { messageForError, pressOf } from './slack-edge.js';
import { phoneActionOfButton, readPhoneButtonValue } from '../../src/view/buttons.js';
import { renderMessage } from './slack-blocks.js';

/**
 * Every phone task button: claim, release, no answer, wrong number, and the "reached" choices (`phone_reached.<n>`,
 * one per contact; plain `phone_reached` on messages drawn before the bot asked which contact answered, which the
 * core refuses and redraws).
 */
const PHONE_BUTTON = /^phone_(claim|release|no_answer|wrong_number|reached(\.\d{1,3})?)$/;

/**
 * The phone task's buttons. The task message is updated by a refresh job; the person who pressed
 * hears only when something stopped them (someone else is calling, the task is closed, the contact is unknown).
 */
export function registerPhoneActions(app: BoltApp, core: Core, log: Logger): void {
  app.action<BlockAction<ButtonAction>>({ type: 'block_actions', action_id: PHONE_BUTTON }, async ({ ack, body, action: button, respond }) => {
    await ack();
    const actionId = button.action_id;
    const press = pressOf(body);
    const context = { action: actionId, user: body.user.id, channel: press?.message.channelId, ts: press?.message.messageId };
    const action = phoneActionOfButton(actionId);
    if (!press || !action) {
      log.warn(context, 'phone button press without channel or message, or with an unknown action');
      return;
    }
    try {
      const { taskId, choice } = readPhoneButtonValue(button.value);
      const result = await core.phoneTaskAction({ ...press, claimedTaskId: taskId, action, choice });
      if (!result.refreshQueued) {
        // The queue is down: show the task's new state through the press's response URL instead.
        const view = await core.phoneTaskView(result.task.id);
        await respond({ replace_original: true, ...renderMessage({ kind: 'phone_task', view }) });
      }
    } catch (err) {
      await respond({ response_type: 'ephemeral', replace_original: false, text: messageForError(err, log, context) });
    }
  });
}
