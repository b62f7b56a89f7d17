import type { TurnContext } from 'botbuilder';
import type { Core } from '../../src/core.js';
import type { LifecycleFormView, LifecycleResult } from '../../src/view/lifecycle-view.js';
import { parseAdvisoryId } from '../../src/domain/advisory.js';
import { CATEGORIES, SEVERITIES, TLP_LEVELS } from '../../src/domain/classification.js';
import { FOLLOWUP_DEADLINE_MAX_MINUTES, type CorrectionInput, type FollowUpInput } from '../../src/domain/lifecycle-input.js';
import type { Actor } from '../../src/domain/platform.js';
import { isBotError } from '../../src/errors.js';
import { CT } from '../../src/i18n/chat-text.js';
import { LF } from '../../src/i18n/lifecycle-text.js';
import { both, CATEGORY_TEXT, SEVERITY_TEXT, stacked, T, TLP_TEXT, type Bilingual } from '../../src/i18n/text.js';
import type { Logger } from '../../src/log.js';
import { errorView } from '../../src/view/error-view.js';
import type { BotApp } from './bot-app.js';
import { card, small, textBlock, type AdaptiveCard, type CardElement } from './card-elements.js';
import { escapeCardText } from './card-text.js';
import { RT } from '../../src/i18n/round-text.js';
import { actorOf } from './teams-edge.js';
import { teamsErrorText } from './teams-reply.js';

/** The one Action.Execute verb of the lifecycle forms; the data says which form and which advisory. */
export const LIFECYCLE_VERB = 'advisory_lifecycle';
export const LIFECYCLE_SUBCOMMANDS = ['withdraw', 'correct', 'followup', 'close'] as const;
export type LifecycleKind = (typeof LIFECYCLE_SUBCOMMANDS)[number];

const e = escapeCardText;

const TITLE: Record<LifecycleKind, Bilingual> = { withdraw: LF.withdrawTitle, correct: LF.correctTitle, followup: LF.followUpTitle, close: LF.closeTitle };
const SUBMIT: Record<LifecycleKind, Bilingual> = { withdraw: LF.withdrawSubmit, correct: LF.correctSubmit, followup: LF.followUpSubmit, close: LF.closeSubmit };

/** No maxLength: Teams clients cut a longer paste without a word; the core refuses it with the count instead. */
function text(id: string, label: Bilingual, opts: { multiline?: boolean; value?: string; error?: Bilingual | undefined }): CardElement[] {
  const input: CardElement = { type: 'Input.Text', id, label: both(label), isMultiline: opts.multiline ?? false, ...(opts.value === undefined ? {} : { value: opts.value }) };
  return opts.error ? [input, textBlock(`⚠️ ${e(both(opts.error))}`, { color: 'attention', spacing: 'none' })] : [input];
}

function choice(id: string, label: Bilingual, values: readonly string[], title: (v: string) => string, value: string): CardElement {
  return { type: 'Input.ChoiceSet', id, label: both(label), style: 'compact', value, choices: values.map((v) => ({ title: title(v), value: v })) };
}

const under = (error: Bilingual | undefined): CardElement[] => (error ? [textBlock(`⚠️ ${e(both(error))}`, { color: 'attention', spacing: 'none' })] : []);

/** The follow-up's acknowledgement request: a toggle, and the deadline in minutes (empty: the advisory's own length). */
function ackInputs(errors: Record<string, Bilingual>, values: Record<string, string>): CardElement[] {
  const minutes = values['ackDeadlineMinutes'] !== undefined && values['ackDeadlineMinutes'].trim() !== '' ? Number(values['ackDeadlineMinutes']) : undefined;
  return [
    { type: 'Input.Toggle', id: 'acknowledge', title: both(RT.askAck), valueOn: 'true', valueOff: 'false', value: values['acknowledge'] === 'true' ? 'true' : 'false' },
    small(e(stacked(RT.askAckHint))),
    ...under(errors['acknowledge']),
    {
      type: 'Input.Number',
      id: 'ackDeadlineMinutes',
      label: both(RT.ackDeadlineMinutes),
      min: 1,
      max: FOLLOWUP_DEADLINE_MAX_MINUTES,
      ...(minutes === undefined || !Number.isFinite(minutes) ? {} : { value: minutes }),
    },
    small(e(stacked(RT.ackDeadlineHint))),
    ...under(errors['ackDeadlineMinutes']),
  ];
}

/** The form of one lifecycle command as a card in the conversation (no dialog: the Agents Playground has none). */
export function lifecycleFormCard(kind: LifecycleKind, form: LifecycleFormView, errors: Record<string, Bilingual> = {}, values: Record<string, string> = {}): AdaptiveCard {
  const body: CardElement[] = [textBlock(`**${e(both(TITLE[kind]))}**`, { size: 'medium' }), small(e(`${form.advisoryId} ${form.title}`))];
  switch (kind) {
    case 'withdraw':
      body.push(textBlock(e(stacked(LF.withdrawWarning)), { color: 'attention' }), ...text('reason', LF.reason, { multiline: true, value: values['reason'], error: errors['reason'] }));
      break;
    case 'close':
      body.push(textBlock(e(stacked(LF.closeWarning))));
      break;
    case 'followup':
      body.push(...text('body', LF.followUpBody, { multiline: true, value: values['body'], error: errors['body'] }), ...ackInputs(errors, values));
      break;
    case 'correct':
      body.push(
        textBlock(e(stacked(LF.correctHint))),
        ...text('title', CT.title, { value: values['title'] ?? form.title, error: errors['title'] }),
        ...text('body', CT.body, { multiline: true, value: values['body'] ?? form.body, error: errors['body'] }),
        choice('tlp', CT.tlp, TLP_LEVELS, (v) => `${v} ${both(TLP_TEXT[v as keyof typeof TLP_TEXT])}`, values['tlp'] ?? form.tlp),
        choice('severity', T.severity, SEVERITIES, (v) => both(SEVERITY_TEXT[v as keyof typeof SEVERITY_TEXT]), values['severity'] ?? form.severity),
        choice('category', T.category, CATEGORIES, (v) => both(CATEGORY_TEXT[v as keyof typeof CATEGORY_TEXT]), values['category'] ?? form.category),
        ...text('note', LF.note, { multiline: true, value: values['note'], error: errors['note'] }),
      );
      break;
  }
  return card(body, [{ type: 'Action.Execute', title: both(SUBMIT[kind]), verb: LIFECYCLE_VERB, data: { kind, advisoryId: form.advisoryId }, style: kind === 'withdraw' ? 'destructive' : 'positive' }]);
}

/** `advisory withdraw|correct|followup|close <id>`: the form card (secretariat only; the core checks). */
export async function lifecycleFormFor(core: Core, actor: Actor, kind: LifecycleKind, idText: string): Promise<AdaptiveCard> {
  const form = await core.lifecycleForm(actor, parseAdvisoryId(idText) ?? idText);
  return lifecycleFormCard(kind, form);
}

const DONE_KIND = { withdraw: 'withdrawn', correct: 'corrected', followup: 'followed_up', close: 'closed' } as const;

function resultCard(kind: LifecycleKind, advisoryId: string, result: LifecycleResult): AdaptiveCard {
  const said = result.changed ? LF.done(DONE_KIND[kind], advisoryId) : LF.unchanged(advisoryId);
  const body = [textBlock(`✅ ${e(stacked(said))}`, { color: 'good' })];
  if (!result.queued) body.push(textBlock(e(stacked(LF.queuedLater)), { color: 'warning' }));
  return card(body);
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** The card's fields as entered: the core corrects only what differs from the advisory as it is. */
function correctionOf(data: Record<string, unknown>): CorrectionInput {
  return {
    title: str(data['title']),
    body: str(data['body']),
    tlp: str(data['tlp']) as CorrectionInput['tlp'],
    severity: str(data['severity']) as CorrectionInput['severity'],
    category: str(data['category']) as CorrectionInput['category'],
    note: str(data['note']) ?? '',
  };
}

/**
 * The follow-up card's fields as entered: the toggle sends "true" or "false", the number its digits (or a number);
 * empty minutes are none. Whatever else comes is passed on for the core to refuse on the field.
 */
export function followUpOf(data: Record<string, unknown>): FollowUpInput {
  const raw = data['ackDeadlineMinutes'];
  const minutes = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : undefined;
  const ack = data['acknowledge'];
  return { body: str(data['body']) ?? '', acknowledge: ack === true || ack === 'true', ...(minutes === undefined ? {} : { ackDeadlineMinutes: minutes }) };
}

/**
 * The forms' button: runs the command and answers with the result in place of the form, or the form again
 * with each field's problem under it.
 */
export function registerLifecycleActions(app: BotApp, core: Core, log: Logger): void {
  app.adaptiveCards.actionExecute<Record<string, unknown>>(LIFECYCLE_VERB, async (context: TurnContext, _state, data): Promise<AdaptiveCard | string> => {
    const actor = actorOf(context);
    const kind = LIFECYCLE_SUBCOMMANDS.find((k) => k === data['kind']);
    const advisoryId = str(data['advisoryId']) ?? '';
    const ctx = { verb: LIFECYCLE_VERB, kind, advisoryId, user: actor.userId };
    if (!kind) return teamsErrorText(new Error('unknown lifecycle form'), log, ctx);
    try {
      let result: LifecycleResult;
      switch (kind) {
        case 'withdraw':
          result = await core.withdrawAdvisory({ actor, advisoryId, input: { reason: str(data['reason']) ?? '' } });
          break;
        case 'followup':
          result = await core.postFollowUp({ actor, advisoryId, input: followUpOf(data) });
          break;
        case 'close':
          result = await core.closeAdvisory({ actor, advisoryId });
          break;
        case 'correct':
          result = await core.correctAdvisory({ actor, advisoryId, input: correctionOf(data) });
          break;
      }
      return resultCard(kind, advisoryId, result);
    } catch (err) {
      if (isBotError(err, 'ADVISORY.INVALID')) {
        const view = errorView(err, log, ctx);
        const errors = Object.fromEntries((view.fields ?? []).map((f) => [f.field, f.message]));
        const values = Object.fromEntries(
          Object.entries(data).flatMap(([k, v]) => (typeof v === 'string' ? [[k, v]] : typeof v === 'number' || typeof v === 'boolean' ? [[k, String(v)]] : [])),
        ) as Record<string, string>;
        return lifecycleFormCard(kind, await core.lifecycleForm(actor, advisoryId), errors, values);
      }
      return teamsErrorText(err, log, ctx);
    }
  });
}
