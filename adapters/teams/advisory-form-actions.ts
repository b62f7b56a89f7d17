import type { TurnContext } from 'botbuilder';
import type { Core } from '../../src/core.js';
import type { Actor } from '../../src/domain/platform.js';
import type { Logger } from '../../src/log.js';
import { PREVIEW_TEXT } from '../../src/i18n/preview-text.js';
import { stacked } from '../../src/i18n/text.js';
import { ADVISORY_PREVIEW_VERB, formErrorCard, formValues } from './advisory-form-card.js';
import { formErrorsOf, parseAdvisoryForm } from './advisory-form-parse.js';
import { isAnnounced } from '../../src/domain/drill-plan.js';
import { drillScheduledText } from '../../src/i18n/drill-text.js';
import { isBotError } from '../../src/errors.js';
import type { FieldError } from '../../src/view/advisory-form-errors.js';
import { textBlock } from './card-elements.js';
import { escapeCardText } from './card-text.js';
import type { AdaptiveCard } from './card-elements.js';
import type { BotApp } from './bot-app.js';
import { ADVISORY_BACK_VERB, ADVISORY_SEND_VERB, previewCard, sentCard } from './preview-card.js';
import { actorOf } from './teams-edge.js';
import { teamsErrorText } from './teams-reply.js';

/** A form key as advisoryFormCard makes them (a UUID); anything else is not a form the bot sent. */
const FORM_KEY = /^[0-9a-f-]{36}$/;

interface FormData {
  formKey?: unknown;
  digest?: unknown;
  /** Send and Back carry the entries here; the form itself submits them at the top level. */
  values?: unknown;
  [input: string]: unknown;
}

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * The advisory form card's buttons, all Action.Execute (the answer replaces the card, no dialog):
 * Review (the form) answers with the preview, Back with the form filled in again, Send issues — only if the
 * entries still give the preview's digest, otherwise it answers with the new preview. Field problems come
 * back as the form with its errors. The form key is the idempotency key: one form card issues one advisory,
 * however often Send is pressed, by whoever.
 */
export function registerAdvisoryFormActions(app: BotApp, core: Core, log: Logger): void {
  /** The preview of these entries, or the form with its errors. */
  const review = async (actor: Actor, formKey: string, values: Record<string, string>, changed: boolean): Promise<AdaptiveCard> => {
    const parsed = parseAdvisoryForm(values);
    if (!parsed.ok) return formErrorCard(await core.openAdvisoryForm(actor), parsed.errors, values, formKey);
    try {
      return previewCard(await core.previewAdvisory(actor, parsed.input), { formKey, values }, changed);
    } catch (err) {
      // The core's own field problems (no channel for the targets, a drill window already over) go on the form.
      const fields = coreFieldErrors(err);
      if (fields) return formErrorCard(await core.openAdvisoryForm(actor), formErrorsOf(fields), values, formKey);
      throw err;
    }
  };

  /** Run one button: the form key checked, refusals as text (as every other Teams action answers them). */
  const handle =
    (verb: string, fn: (actor: Actor, formKey: string, values: Record<string, string>, data: FormData) => Promise<AdaptiveCard>) =>
    async (context: TurnContext, _state: unknown, data: FormData): Promise<AdaptiveCard | string> => {
      const actor = actorOf(context);
      try {
        const formKey = typeof data.formKey === 'string' && FORM_KEY.test(data.formKey) ? data.formKey : undefined;
        if (!formKey) return stacked(PREVIEW_TEXT.formStale);
        const values = formValues(verb === ADVISORY_PREVIEW_VERB ? data : isRecord(data.values) ? data.values : {});
        return await fn(actor, formKey, values, data);
      } catch (err) {
        return teamsErrorText(err, log, { verb, user: actor.userId });
      }
    };

  app.adaptiveCards.actionExecute<FormData>(
    ADVISORY_PREVIEW_VERB,
    handle(ADVISORY_PREVIEW_VERB, (actor, formKey, values) => review(actor, formKey, values, false)),
  );

  app.adaptiveCards.actionExecute<FormData>(
    ADVISORY_BACK_VERB,
    handle(ADVISORY_BACK_VERB, async (actor, formKey, values) => formErrorCard(await core.openAdvisoryForm(actor), [], values, formKey)),
  );

  app.adaptiveCards.actionExecute<FormData>(
    ADVISORY_SEND_VERB,
    handle(ADVISORY_SEND_VERB, async (actor, formKey, values, data) => {
      const parsed = parseAdvisoryForm(values);
      if (!parsed.ok) return formErrorCard(await core.openAdvisoryForm(actor), parsed.errors, values, formKey);
      // Sent only if the entries, the directory and the policies still give what the secretariat saw.
      const preview = await core.previewAdvisory(actor, parsed.input);
      if (preview.digest !== data.digest) return previewCard(preview, { formKey, values }, true);
      const result = await core.issueAdvisory({ actor, requestKey: `teams-form.${formKey}`, input: parsed.input });
      const sent = sentCard({ advisoryId: result.advisory.id, deliveries: result.deliveries.length, created: result.created, queued: result.queued });
      // An announced drill: members are told now, the drill (and the channel's status card) comes at the window's start.
      if (isAnnounced(result.advisory.drillPlan)) sent.body.push(textBlock(escapeCardText(stacked(drillScheduledText(result.advisory.id, result.advisory.issuedAt)))));
      return sent;
    }),
  );
}

/** The field problems a core refusal carries (ADVISORY.INVALID with detail.fields), if any. */
function coreFieldErrors(err: unknown): FieldError[] | undefined {
  if (!isBotError(err, 'ADVISORY.INVALID')) return undefined;
  const fields = err.detail['fields'];
  return Array.isArray(fields) && fields.length > 0 ? (fields as FieldError[]) : undefined;
}
