import type { ViewResponseAction } from '@slack/bolt';
import type { Core } from '../../src/core.js';
import type { LifecycleResult } from '../../src/view/lifecycle-view.js';
import { parseAdvisoryId } from '../../src/domain/advisory.js';
import type { Actor } from '../../src/domain/platform.js';
import { LF } from '../../src/i18n/lifecycle-text.js';
import { stacked } from '../../src/i18n/text.js';
import type { Logger } from '../../src/log.js';
import { errorView } from '../../src/view/error-view.js';
import type { BoltApp } from './bolt-app.js';
import { buildLifecycleModal, LIFECYCLE_CALLBACK, lifecycleBlockErrors, readCorrection, readFollowUp, readReason, type LifecycleKind } from './lifecycle-modals.js';
import { escapeMrkdwn } from './mrkdwn.js';
import { messageForError } from './slack-edge.js';

export const LIFECYCLE_SUBCOMMANDS: Record<string, LifecycleKind> = {
  withdraw: 'withdraw',
  correct: 'correct',
  followup: 'followup',
  close: 'close',
};

/** `/advisory withdraw|correct|followup|close <id>`: the form for it (secretariat only; the core checks). */
export async function openLifecycleModal(
  core: Core,
  client: { views: { open(args: { trigger_id: string; view: ReturnType<typeof buildLifecycleModal> }): Promise<unknown> } },
  req: { actor: Actor; kind: LifecycleKind; idText: string | undefined; triggerId: string },
): Promise<void> {
  const advisoryId = req.idText ? parseAdvisoryId(req.idText) : null;
  // An id people cannot have meant is "not found": the same words whatever was typed.
  const form = await core.lifecycleForm(req.actor, advisoryId ?? req.idText ?? '');
  await client.views.open({ trigger_id: req.triggerId, view: buildLifecycleModal(req.kind, form) });
}

const DONE_KIND = { withdraw: 'withdrawn', correct: 'corrected', followup: 'followed_up', close: 'closed' } as const;

/**
 * The forms' submissions. The core's command is quick (one compare-and-set and a bounded enqueue); the work it
 * starts (editing 1,800 copies) runs in jobs. Field problems go back onto the form; anything else closes it
 * and the person hears it in a direct message from the bot, as with issuing.
 */
export function registerLifecycleSubmissions(app: BoltApp, core: Core, log: Logger): void {
  for (const kind of Object.keys(LIFECYCLE_CALLBACK) as LifecycleKind[]) {
    app.view(LIFECYCLE_CALLBACK[kind], async ({ ack, body, view, client }) => {
      const actor: Actor = { platform: 'slack', userId: body.user.id, name: body.user.name };
      const advisoryId = view.private_metadata;
      const context = { view: LIFECYCLE_CALLBACK[kind], user: body.user.id, advisoryId };
      const values = view.state.values as Parameters<typeof readReason>[0];
      let result: LifecycleResult;
      try {
        switch (kind) {
          case 'withdraw':
            result = await core.withdrawAdvisory({ actor, advisoryId, input: { reason: readReason(values) } });
            break;
          case 'followup':
            result = await core.postFollowUp({ actor, advisoryId, input: readFollowUp(values) });
            break;
          case 'close':
            result = await core.closeAdvisory({ actor, advisoryId });
            break;
          case 'correct':
            result = await core.correctAdvisory({ actor, advisoryId, input: readCorrection(values) });
            break;
        }
      } catch (err) {
        const view = errorView(err, log, context);
        if (view.fields && view.fields.length > 0) {
          await ack({ response_action: 'errors', errors: lifecycleBlockErrors(view.fields) } satisfies ViewResponseAction);
          return;
        }
        await ack();
        await client.chat.postMessage({ channel: body.user.id, text: messageForError(err, log, context) });
        return;
      }
      await ack();
      const said = result.changed ? LF.done(DONE_KIND[kind], advisoryId) : LF.unchanged(advisoryId);
      const later = result.queued ? '' : `\n${stacked(LF.queuedLater)}`;
      await client.chat.postMessage({ channel: body.user.id, text: escapeMrkdwn(`${stacked(said)}${later}`) });
    });
  }
}
