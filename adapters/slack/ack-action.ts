import type { BlockAction, ButtonAction, RespondArguments } from '@slack/bolt';
import type { Core } from '../../src/core.js';
import type { MessageRef } from '../../src/domain/platform.js';
import { stacked } from '../../src/i18n/text.js';
import type { Logger } from '../../src/log.js';
import { escapeMrkdwn } from './mrkdwn.js';
import type { BoltApp } from './bolt-app.js';
import { messageForError, pressOf } from './slack-edge.js';
import { ACK_ACTION_ID } from './advisory-blocks.js';
import { ackNotice } from '../../src/view/buttons.js';
import { renderMessage } from './slack-blocks.js';
import type { SlackRespond } from './slack-respond.js';

/** The pressed message is one of the advisory's own copies of the delivery (not a follow-up in its thread). */
export function isCopy(copies: readonly MessageRef[], pressed: MessageRef): boolean {
  return copies.some((m) => m.platform === pressed.platform && m.channelId === pressed.channelId && m.messageId === pressed.messageId);
}

/**
 * The 受領確認 button, under the advisory and under a follow-up that asks for acknowledgement. Slack has verified the request; the delivery is looked up from the channel
 * and message the press came from. The message itself is updated by a refresh job (or, while the
 * queue is down, replaced here through the press's response URL).
 *
 * The presser is answered through the response URL on the kept-alive path (`lean`), not Bolt's `respond()` (fetch):
 * this is the one button a whole sector presses within seconds (slack-respond.ts).
 */
export function registerAckAction(app: BoltApp, core: Core, log: Logger, lean: SlackRespond): void {
  app.action<BlockAction<ButtonAction>>(ACK_ACTION_ID, async ({ ack, body, action }) => {
    await ack();
    const respond = (message: RespondArguments) => lean(body.response_url, message);
    const press = pressOf(body);
    const context = { action: ACK_ACTION_ID, user: body.user.id, channel: press?.message.channelId, ts: press?.message.messageId };
    if (!press) {
      log.warn(context, 'button press without channel or message');
      return;
    }
    // What the presser is told, worked out first: a failure to say it is not a refusal of the press.
    const answers: RespondArguments[] = [];
    try {
      const result = await core.acknowledgeFromMessage({
        ...press,
        claimedDeliveryId: action.value,
      });
      if (!result.refreshQueued && isCopy(result.delivery.messages, press.message)) {
        // The queue is down, so no refresh job will update the message: show the acknowledgement here. Only on
        // the advisory's own copy: a follow-up's press would be replaced by the advisory (the core gives no view
        // of a follow-up); it is brought up to date when the queue is back.
        const view = await core.deliveryView(result.delivery.id);
        answers.push({ replace_original: true, ...renderMessage({ kind: 'advisory', view }) });
      }
      answers.push({ response_type: 'ephemeral', replace_original: false, text: escapeMrkdwn(stacked(ackNotice(result))) });
    } catch (err) {
      answers.push({ response_type: 'ephemeral', replace_original: false, text: messageForError(err, log, context) });
    }
    for (const answer of answers) {
      try {
        await respond(answer);
      } catch (err) {
        // Whatever the press did is done (or refused) and stays so; only this answer is lost. The next one is still
        // tried: a redrawn copy that failed must not also cost the presser the thanks.
        log.warn({ ...context, err, answer: answer.replace_original ? 'replaced copy' : 'ephemeral' }, 'answer to the presser did not reach Slack');
      }
    }
  });
}
