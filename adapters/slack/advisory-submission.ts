import type { ViewResponseAction } from '@slack/bolt';
import type { Core } from '../../src/core.js';
import type { Actor } from '../../src/domain/platform.js';
import type { Logger } from '../../src/log.js';
import { ADVISORY_MODAL_CALLBACK, blockErrors, buildAdvisoryModal, parseAdvisorySubmission, readSubmission, type SubmittedValues } from './advisory-modal.js';
import type { BoltApp } from './bolt-app.js';
import { messageForError } from './slack-edge.js';
import { CT, issuedPendingText } from '../../src/i18n/chat-text.js';
import { stacked } from '../../src/i18n/text.js';
import { isBotError } from '../../src/errors.js';
import { isAnnounced } from '../../src/domain/drill-plan.js';
import { drillScheduledText } from '../../src/i18n/drill-text.js';
import { errorView } from '../../src/view/error-view.js';
import { escapeMrkdwn } from './mrkdwn.js';
import { ADVISORY_CONFIRM_CALLBACK, buildConfirmView, confirmMetadata, messageView, PREVIEW_BACK_ACTION } from './preview-blocks.js';

const slackActor = (user: { id: string; name?: string | undefined }): Actor => ({ platform: 'slack', userId: user.id, name: user.name });

/**
 * The form's two steps. Its submit answers with the preview (response_action "update": computed from the
 * directory alone, well inside Slack's 3 s); the preview's submit sends. Field errors go back onto the fields
 * at either step. The view id, the same through both steps, is the idempotency key: a re-sent submission
 * issues nothing new.
 */
export function registerAdvisorySubmission(app: BoltApp, core: Core, log: Logger): void {
  /** A core refusal as the modal shows it: field problems on their fields, anything else pushed over the form. */
  const refusal = (err: unknown, context: Record<string, unknown>): ViewResponseAction => {
    const view = errorView(err, log, context);
    if (view.fields && view.fields.length > 0) return { response_action: 'errors', errors: blockErrors(view.fields) };
    return { response_action: 'push', view: messageView(escapeMrkdwn(stacked(view.message))) };
  };

  /** The preview of what the entries would send, as the confirmation view. */
  const confirmation = async (actor: Actor, values: SubmittedValues, changed: boolean): Promise<ViewResponseAction> => {
    const parsed = parseAdvisorySubmission(values);
    if (!parsed.ok) return { response_action: 'errors', errors: parsed.errors };
    const preview = await core.previewAdvisory(actor, parsed.input);
    const options = await core.openAdvisoryForm(actor);
    return { response_action: 'update', view: buildConfirmView(preview, options, readSubmission(values), changed) };
  };

  app.view(ADVISORY_MODAL_CALLBACK, async ({ ack, body, view }) => {
    const actor = slackActor(body.user);
    try {
      await ack(await confirmation(actor, view.state.values, false));
    } catch (err) {
      await ack(refusal(err, { view: ADVISORY_MODAL_CALLBACK, user: body.user.id }));
    }
  });

  app.view(ADVISORY_CONFIRM_CALLBACK, async ({ ack, body, view, client }) => {
    const actor = slackActor(body.user);
    const context = { view: ADVISORY_CONFIRM_CALLBACK, user: body.user.id };
    const parsed = parseAdvisorySubmission(view.state.values);
    if (!parsed.ok) {
      await ack({ response_action: 'errors', errors: parsed.errors });
      return;
    }
    try {
      // Sent only if the entries, the directory and the policies still give what the secretariat saw;
      // otherwise they see the new preview (an edit in the entries, or a directory reloaded meanwhile).
      const preview = await core.previewAdvisory(actor, parsed.input);
      if (preview.digest !== confirmMetadata(view.private_metadata)?.digest) {
        await ack(await confirmation(actor, view.state.values, true));
        return;
      }
    } catch (err) {
      await ack(refusal(err, context));
      return;
    }
    await ack();
    try {
      const result = await core.issueAdvisory({ actor, requestKey: `slack-view.${view.id}`, input: parsed.input });
      // Normally the secretariat channel's notice says it went out; with the queue down it cannot yet, so say it here.
      if (!result.queued) await client.chat.postMessage({ channel: body.user.id, text: escapeMrkdwn(stacked(issuedPendingText(result.advisory.id))) });
      // An announced drill: the secretariat channel's card comes only when the drill goes out, so say now what was done.
      else if (result.created && isAnnounced(result.advisory.drillPlan)) {
        await client.chat.postMessage({ channel: body.user.id, text: escapeMrkdwn(stacked(drillScheduledText(result.advisory.id, result.advisory.issuedAt))) });
      }
    } catch (err) {
      // The modal is closed by now: tell the person in a direct message from the bot.
      const text = messageForError(err, log, context);
      const notIssued = isBotError(err, 'ADVISORY.INVALID') ? '' : `${escapeMrkdwn(stacked(CT.notIssued))}\n`;
      await client.chat.postMessage({ channel: body.user.id, text: `${notIssued}${text}` });
    }
  });

  // Back: the plain form again, with everything as it is in the confirmation view's entries.
  app.action(PREVIEW_BACK_ACTION, async ({ ack, body, client }) => {
    await ack();
    if (body.type !== 'block_actions' || !body.view) return;
    const actor = slackActor(body.user);
    try {
      const options = await core.openAdvisoryForm(actor);
      const entered = readSubmission(body.view.state.values as SubmittedValues);
      await client.views.update({ view_id: body.view.id, hash: body.view.hash, view: buildAdvisoryModal(options, entered) });
    } catch (err) {
      log.warn({ err, user: body.user.id }, 'could not return from the preview to the form');
    }
  });
}
