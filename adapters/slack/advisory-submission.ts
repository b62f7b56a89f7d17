import type { Core } from '../../src/core.js';
import type { Actor } from '../../src/domain/platform.js';
import type { Logger } from '../../src/log.js';
import { ADVISORY_MODAL_CALLBACK, parseAdvisorySubmission } from './advisory-modal.js';
import type { BoltApp } from './bolt-app.js';
import { messageForError } from './slack-edge.js';
import { CT, issuedPendingText } from '../../src/i18n/chat-text.js';
import { stacked } from '../../src/i18n/text.js';
import { isBotError } from '../../src/errors.js';
import { escapeMrkdwn } from './mrkdwn.js';

/**
 * The form's submission: field errors go back into the modal; a valid advisory closes it and is
 * issued after Slack has its answer. The view id is the idempotency key: a re-sent submission
 * issues nothing new.
 */
export function registerAdvisorySubmission(app: BoltApp, core: Core, log: Logger): void {
  app.view(ADVISORY_MODAL_CALLBACK, async ({ ack, body, view, client }) => {
    const parsed = parseAdvisorySubmission(view.state.values);
    if (!parsed.ok) {
      await ack({ response_action: 'errors', errors: parsed.errors });
      return;
    }
    await ack();
    const actor: Actor = { platform: 'slack', userId: body.user.id, name: body.user.name };
    try {
      const result = await core.issueAdvisory({ actor, requestKey: `slack-view.${view.id}`, input: parsed.input });
      // Normally the secretariat channel's notice says it went out; with the queue down it cannot yet, so say it here.
      if (!result.queued) await client.chat.postMessage({ channel: body.user.id, text: escapeMrkdwn(stacked(issuedPendingText(result.advisory.id))) });
    } catch (err) {
      // The modal is closed by now: tell the person in a direct message from the bot.
      const text = messageForError(err, log, { view: ADVISORY_MODAL_CALLBACK, user: body.user.id });
      const notIssued = isBotError(err, 'ADVISORY.INVALID') ? '' : `${escapeMrkdwn(stacked(CT.notIssued))}\n`;
      await client.chat.postMessage({ channel: body.user.id, text: `${notIssued}${text}` });
    }
  });
}
