import type { InputBlock, KnownBlock, ModalView, PlainTextOption } from '@slack/types';
import type { LifecycleFormView } from '../../src/view/lifecycle-view.js';
import { CATEGORIES, SEVERITIES, TLP_LEVELS } from '../../src/domain/classification.js';
import { TITLE_MAX, BODY_MAX } from '../../src/domain/advisory.js';
import { FOLLOWUP_DEADLINE_MAX_MINUTES, NOTE_MAX, type CorrectionInput, type FollowUpInput } from '../../src/domain/lifecycle-input.js';
import { LF } from '../../src/i18n/lifecycle-text.js';
import { both, CATEGORY_TEXT, SEVERITY_TEXT, stacked, T, TLP_TEXT, type Bilingual } from '../../src/i18n/text.js';
import { CT } from '../../src/i18n/chat-text.js';
import { escapeMrkdwn, truncatePlain } from './mrkdwn.js';
import { RT } from '../../src/i18n/round-text.js';

/** One callback per lifecycle form; private_metadata carries the advisory id. */
export const LIFECYCLE_CALLBACK = {
  withdraw: 'advisory_withdraw',
  correct: 'advisory_correct',
  followup: 'advisory_followup',
  close: 'advisory_close',
} as const;
export type LifecycleKind = keyof typeof LIFECYCLE_CALLBACK;

export const LIFECYCLE_BLOCK = {
  reason: 'reason',
  note: 'note',
  body: 'body',
  title: 'title',
  tlp: 'tlp',
  severity: 'severity',
  category: 'category',
  acknowledge: 'acknowledge',
  ackDeadlineMinutes: 'ackDeadlineMinutes',
} as const;
const ACTION = 'value';
/** The value of the follow-up form's one checkbox ("ask members to acknowledge"). */
export const ACKNOWLEDGE_OPTION = 'acknowledge';

/** Slack's plain_text_input holds at most 3,000 characters. */
const SLACK_INPUT_MAX = 3000;

const plain = (t: Bilingual | string, max = 150) => ({ type: 'plain_text' as const, text: truncatePlain(typeof t === 'string' ? t : both(t), max), emoji: true });

function textInput(blockId: string, label: Bilingual, opts: { multiline?: boolean; max: number; initial?: string; optional?: boolean }): InputBlock {
  return {
    type: 'input',
    block_id: blockId,
    label: plain(label, 2000),
    optional: opts.optional ?? false,
    element: {
      type: 'plain_text_input',
      action_id: ACTION,
      multiline: opts.multiline ?? false,
      max_length: Math.min(opts.max, SLACK_INPUT_MAX),
      ...(opts.initial === undefined ? {} : { initial_value: opts.initial.slice(0, SLACK_INPUT_MAX) }),
    },
  };
}

function select(blockId: string, label: Bilingual, values: readonly string[], text: (v: string) => string, initial: string): InputBlock {
  const options: PlainTextOption[] = values.map((v) => ({ text: plain(text(v), 75), value: v }));
  return {
    type: 'input',
    block_id: blockId,
    label: plain(label, 2000),
    element: { type: 'static_select', action_id: ACTION, options, initial_option: options.find((o) => o.value === initial) },
  };
}

function modal(kind: LifecycleKind, title: Bilingual, submit: Bilingual, form: LifecycleFormView, blocks: KnownBlock[]): ModalView {
  return {
    type: 'modal',
    callback_id: LIFECYCLE_CALLBACK[kind],
    private_metadata: form.advisoryId,
    // Modal titles hold 24 characters: the Japanese title alone.
    title: plain(title.ja, 24),
    submit: plain(submit, 24),
    close: plain(LF.cancel, 24),
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `*${escapeMrkdwn(form.advisoryId)}* ${escapeMrkdwn(form.title)}` } }, ...blocks],
  };
}

/** The follow-up's acknowledgement request: a checkbox, and the deadline in minutes (empty: the advisory's own length). */
function ackInputs(): InputBlock[] {
  return [
    {
      type: 'input',
      block_id: LIFECYCLE_BLOCK.acknowledge,
      label: plain(RT.askAck, 2000),
      optional: true,
      hint: plain(RT.askAckHint, 2000),
      element: { type: 'checkboxes', action_id: ACTION, options: [{ text: plain(RT.askAck, 75), value: ACKNOWLEDGE_OPTION }] },
    },
    {
      type: 'input',
      block_id: LIFECYCLE_BLOCK.ackDeadlineMinutes,
      label: plain(RT.ackDeadlineMinutes, 2000),
      optional: true,
      hint: plain(RT.ackDeadlineHint, 2000),
      element: { type: 'number_input', action_id: ACTION, is_decimal_allowed: false, min_value: '1', max_value: String(FOLLOWUP_DEADLINE_MAX_MINUTES) },
    },
  ];
}

const context = (t: Bilingual): KnownBlock => ({ type: 'context', elements: [{ type: 'mrkdwn', text: escapeMrkdwn(stacked(t)) }] });

/** The form of one lifecycle command, for the advisory as it is now. */
export function buildLifecycleModal(kind: LifecycleKind, form: LifecycleFormView): ModalView {
  switch (kind) {
    case 'withdraw':
      return modal(kind, LF.withdrawTitle, LF.withdrawSubmit, form, [context(LF.withdrawWarning), textInput(LIFECYCLE_BLOCK.reason, LF.reason, { multiline: true, max: NOTE_MAX })]);
    case 'close':
      return modal(kind, LF.closeTitle, LF.closeSubmit, form, [context(LF.closeWarning)]);
    case 'followup':
      return modal(kind, LF.followUpTitle, LF.followUpSubmit, form, [textInput(LIFECYCLE_BLOCK.body, LF.followUpBody, { multiline: true, max: BODY_MAX }), ...ackInputs()]);
    case 'correct':
      return modal(kind, LF.correctTitle, LF.correctSubmit, form, [
        context(LF.correctHint),
        textInput(LIFECYCLE_BLOCK.title, CT.title, { max: TITLE_MAX, initial: form.title }),
        textInput(LIFECYCLE_BLOCK.body, CT.body, { multiline: true, max: BODY_MAX, initial: form.body }),
        select(LIFECYCLE_BLOCK.tlp, CT.tlp, TLP_LEVELS, (v) => `${v} ${both(TLP_TEXT[v as keyof typeof TLP_TEXT])}`, form.tlp),
        select(LIFECYCLE_BLOCK.severity, T.severity, SEVERITIES, (v) => both(SEVERITY_TEXT[v as keyof typeof SEVERITY_TEXT]), form.severity),
        select(LIFECYCLE_BLOCK.category, T.category, CATEGORIES, (v) => both(CATEGORY_TEXT[v as keyof typeof CATEGORY_TEXT]), form.category),
        textInput(LIFECYCLE_BLOCK.note, LF.note, { multiline: true, max: NOTE_MAX }),
      ]);
  }
}

type Values = Record<string, Record<string, { value?: string | null; selected_option?: { value: string } | null; selected_options?: { value: string }[] | null }>>;

const read = (values: Values, block: string): string | undefined => {
  const v = values[block]?.[ACTION];
  return v?.selected_option?.value ?? v?.value ?? undefined;
};

export function readReason(values: Values): string {
  return read(values, LIFECYCLE_BLOCK.reason) ?? '';
}

/**
 * The follow-up form as entered: the body, whether members are asked to acknowledge it, and the deadline in
 * minutes when one was typed (a number Slack let through that is not a whole one is passed on for the core to refuse).
 */
export function readFollowUp(values: Values): FollowUpInput {
  const acknowledge = (values[LIFECYCLE_BLOCK.acknowledge]?.[ACTION]?.selected_options ?? []).some((o) => o.value === ACKNOWLEDGE_OPTION);
  const minutes = read(values, LIFECYCLE_BLOCK.ackDeadlineMinutes)?.trim();
  return {
    body: read(values, LIFECYCLE_BLOCK.body) ?? '',
    acknowledge,
    ...(minutes === undefined || minutes === '' ? {} : { ackDeadlineMinutes: Number(minutes) }),
  };
}

/** The form's fields as entered: the core corrects only what differs from the advisory as it is. */
export function readCorrection(values: Values): CorrectionInput {
  return {
    title: read(values, LIFECYCLE_BLOCK.title),
    body: read(values, LIFECYCLE_BLOCK.body),
    tlp: read(values, LIFECYCLE_BLOCK.tlp) as CorrectionInput['tlp'],
    severity: read(values, LIFECYCLE_BLOCK.severity) as CorrectionInput['severity'],
    category: read(values, LIFECYCLE_BLOCK.category) as CorrectionInput['category'],
    note: read(values, LIFECYCLE_BLOCK.note) ?? '',
  };
}

/** The core's field errors on the form's blocks (response_action "errors"). */
export function lifecycleBlockErrors(fields: readonly { field: string; message: Bilingual }[]): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const f of fields) {
    const block = (LIFECYCLE_BLOCK as Record<string, string>)[f.field] ?? LIFECYCLE_BLOCK.note;
    errors[block] ??= both(f.message);
  }
  return errors;
}
