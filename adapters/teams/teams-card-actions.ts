import type { Core } from '../../src/core.js';
import type { Logger } from '../../src/log.js';
import type { BotApp } from './bot-app.js';
import { advisoryCard } from './advisory-card.js';
import { ADVISORY_ACK_VERB } from './card-elements.js';
import type { MessageRef } from '../../src/domain/platform.js';
import { phoneTaskCard } from './phone-task-card.js';
import { BOARD_CLAIM_VERB, phoneBoardCard } from './phone-board-card.js';
import { actorOf, pressedMessage } from './teams-edge.js';
import { teamsErrorText } from './teams-reply.js';
import { ackNotice, PHONE_ACTIONS, phoneActionOfButton, phoneButtonId, readBoardClaimValue } from '../../src/view/buttons.js';
import { BT } from '../../src/i18n/board-text.js';
import { ERROR_TEXT } from '../../src/i18n/text.js';

export const ACK_VERB = ADVISORY_ACK_VERB;

/** The pressed message is one of the advisory's own copies of the delivery (not a follow-up in its thread). */
export function isCopy(copies: readonly MessageRef[], pressed: MessageRef): boolean {
  return copies.some((m) => m.platform === pressed.platform && m.channelId === pressed.channelId && m.messageId === pressed.messageId);
}

/**
 * Action.Execute buttons: 受領確認 (on the advisory, and on a follow-up that asks for it), the phone task's, and the
 * phone-task board's claim.
 * The answer to the invoke is the card as it should look now, so the person who pressed sees it at once; the refresh job updates it for everyone else. The delivery or
 * task is found from the conversation and message the press came from, never from the card's data.
 */
export function registerTeamsCardActions(app: BotApp, core: Core, log: Logger): void {
  app.adaptiveCards.actionExecute<{ deliveryId?: string }>(ACK_VERB, async (context, _state, data) => {
    const actor = actorOf(context);
    const message = pressedMessage(context);
    try {
      if (!message) throw new Error('Action.Execute without replyToId');
      const result = await core.acknowledgeFromMessage({ actor, message, claimedDeliveryId: data.deliveryId });
      // The answer replaces the card pressed. A follow-up's card is not the advisory's (and the core gives no view
      // of it): the presser is told in words, and the refresh job redraws the follow-up for everyone.
      if (!isCopy(result.delivery.messages, message)) {
        const notice = ackNotice(result);
        return `${notice.ja}\n\n${notice.en}`;
      }
      return advisoryCard(await core.deliveryView(result.delivery.id));
    } catch (err) {
      return teamsErrorText(err, log, { verb: ACK_VERB, user: actor.userId, message });
    }
  });

  // A "reached" choice carries the contact it names in `choice`; the core checks it against the directory.
  app.adaptiveCards.actionExecute<{ taskId?: string; choice?: string }>(PHONE_ACTIONS.map(phoneButtonId), async (context, _state, data) => {
    const actor = actorOf(context);
    const message = pressedMessage(context);
    const verb = String((context.activity.value as { action?: { verb?: string } } | undefined)?.action?.verb ?? '');
    try {
      const action = phoneActionOfButton(verb);
      if (!message || !action) throw new Error(`phone action without message or with unknown verb ${verb}`);
      const choice = typeof data.choice === 'string' ? data.choice : undefined;
      const result = await core.phoneTaskAction({ actor, message, claimedTaskId: data.taskId, action, choice });
      return phoneTaskCard(await core.phoneTaskView(result.task.id));
    } catch (err) {
      return teamsErrorText(err, log, { verb, user: actor.userId, message });
    }
  });

  // The board's claim: the task chosen in its Input.ChoiceSet (merged into the data as `taskId`). The core checks that
  // the task is on the board page pressed; the claimer's copy with the outcome buttons is posted to them by the
  // refresh that follows. The presser gets the page as it reads now, their claim on it.
  app.adaptiveCards.actionExecute<{ taskId?: unknown }>(BOARD_CLAIM_VERB, async (context, _state, data) => {
    const actor = actorOf(context);
    const message = pressedMessage(context);
    try {
      if (!message) throw new Error('Action.Execute without replyToId');
      const chosen = data.taskId;
      if (chosen === undefined || chosen === '') {
        // Nothing chosen (a client that skipped the input's isRequired): say what to do.
        log.info({ verb: BOARD_CLAIM_VERB, user: actor.userId, message }, 'board claim without a task chosen');
        return `${BT.claimPlaceholder.ja}\n\n${BT.claimPlaceholder.en}`;
      }
      const taskId = readBoardClaimValue(chosen);
      if (taskId === undefined) {
        log.info({ verb: BOARD_CLAIM_VERB, user: actor.userId, message }, 'board claim with a malformed task id refused');
        const notFound = ERROR_TEXT['PHONE.NOT_FOUND'];
        return `${notFound.ja}\n\n${notFound.en}`;
      }
      const result = await core.claimFromBoard({ actor, message, taskId });
      return phoneBoardCard(await core.phoneBoardPage(result.task.advisoryId, result.page));
    } catch (err) {
      return teamsErrorText(err, log, { verb: BOARD_CLAIM_VERB, user: actor.userId, message });
    }
  });
}
