import type { BlockAction, ButtonAction } from '@slack/bolt';
import type { Core } from '../../src/core.js';
import type { Logger } from '../../src/log.js';
import type { BoltApp } from './bolt-app.js';
import { messageForError, pressOf } from './slack-edge.js';
import { PHONE_ACTIONS, phoneButtonId } from '../../src/view/buttons.js';
import { renderMessage } from './slack-blocks.js';

/**
 * The phone task's buttons. The task message is updated by a refresh job; the person who pressed
 * hears only when something stopped them (someone else is calling, the task is closed).
 */

export function registerPhoneActions(app: BoltApp, core: Core, log: Logger): void {
  for (const action of PHONE_ACTIONS) {
    const actionId = phoneButtonId(action);
    app.action<BlockAction<ButtonAction>>(actionId, async ({ ack, body, action: button, respond }) => {
      await ack();
      const press = pressOf(body);
      const context = { action: actionId, user: body.user.id, channel: press?.message.channelId, ts: press?.message.messageId };
      if (!press) {
        log.warn(context, 'button press without channel or message');
        return;
      }
      try {
        const result = await core.phoneTaskAction({ ...press, claimedTaskId: button.value, action });
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
}
