import type { BlockAction, ButtonAction, StaticSelectAction } from '@slack/bolt';
import type { Core } from '../../src/core.js';
import type { Logger } from '../../src/log.js';
import type { BoltApp } from './bolt-app.js';
import { messageForError, pressOf } from './slack-edge.js';
import { BOARD_CLAIM_ACTION, phoneActionOfButton, readBoardClaimValue, readPhoneButtonValue } from '../../src/view/buttons.js';
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

  // A claim from the phone-task board: the page is redrawn by its refresh job, and the task comes to the claimer
  // directly; the person hears only when something stopped them (someone else claimed it first).
  app.action<BlockAction<StaticSelectAction>>({ type: 'block_actions', action_id: BOARD_CLAIM_ACTION }, async ({ ack, body, action: select, respond }) => {
    await ack();
    const press = pressOf(body);
    const taskId = readBoardClaimValue(select.selected_option?.value);
    const context = { action: BOARD_CLAIM_ACTION, user: body.user.id, channel: press?.message.channelId, ts: press?.message.messageId };
    if (!press || taskId === undefined) {
      log.warn(context, 'board claim without channel or message, or with no valid task chosen');
      return;
    }
    try {
      const result = await core.claimFromBoard({ ...press, taskId });
      // The queue is down: hand the task to the claimer from here (the board catches up when the queue is back).
      if (!result.refreshQueued) await core.refreshPhoneTask(result.task.id);
    } catch (err) {
      await respond({ response_type: 'ephemeral', replace_original: false, text: messageForError(err, log, { ...context, taskId }) });
    }
  });
}
