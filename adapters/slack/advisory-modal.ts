import type { InputBlock, KnownBlock, ModalView, PlainTextElement, PlainTextOption } from '@slack/types';
import type { LocalisedName } from '../../src/directory/schema.js';
import { CATEGORIES, SEVERITIES, SOURCES, TLP_LEVELS, type Severity } from '../../src/domain/classification.js';
import { TITLE_MAX, type AdvisoryInput, type ValidAdvisoryInput } from '../../src/domain/advisory.js';
import { validateAdvisoryForm, type AdvisoryField, type FieldError } from '../../src/view/advisory-form-errors.js';
import { CT } from '../../src/i18n/chat-text.js';
import { durationText, noEscalateOption, severityDefaultText } from '../../src/i18n/form-text.js';
import { PREVIEW_TEXT } from '../../src/i18n/preview-text.js';
import { both, CATEGORY_TEXT, SEVERITY_TEXT, SOURCE_TEXT, T, TLP_TEXT, type Bilingual } from '../../src/i18n/text.js';
import { truncatePlain } from './mrkdwn.js';
import { DT } from '../../src/i18n/drill-text.js';
import { isInstant } from '../../src/domain/drill-plan.js';
import { ST } from './slack-text.js';

export const ADVISORY_MODAL_CALLBACK = 'advisory_form';

/** Block ids: the keys of view.state.values, and where response_action "errors" puts each message. */
export const BLOCK = {
  title: 'title',
  body: 'body',
  tlp: 'tlp',
  severity: 'severity',
  category: 'category',
  source: 'source',
  targets: 'targets',
  groups: 'target_groups',
  organisations: 'target_organisations',
  ackDeadline: 'ack_deadline',
  drill: 'drill',
  /** The drill form only (a form that opens as a drill): announce now with a window, or not. */
  drillAnnounce: 'drill_announce',
  drillFrom: 'drill_from',
  drillTo: 'drill_to',
  escalate: 'escalate',
} as const;

/** Action ids inside those blocks. The two target selects double as the options-endpoint action ids. */
export const ACTION = {
  title: 'title_input',
  body: 'body_input',
  tlp: 'tlp_select',
  severity: 'severity_select',
  category: 'category_select',
  source: 'source_select',
  targets: 'targets_checkboxes',
  groups: 'target_groups_select',
  organisations: 'target_organisations_select',
  ackDeadline: 'ack_deadline_select',
  drill: 'drill_checkbox',
  drillAnnounce: 'drill_announce_radio',
  drillFrom: 'drill_from_picker',
  drillTo: 'drill_to_picker',
  escalate: 'no_escalate_checkbox',
} as const;

/** Checkbox values. */
export const TARGET_ALL_MEMBERS = 'all_members';
export const TARGET_OBSERVERS = 'observers';
export const DRILL_VALUE = 'drill';
/** The drill form's announcement choice. */
export const DRILL_UNANNOUNCED = 'unannounced';
export const DRILL_ANNOUNCE = 'announce';
/** Ticked: AdvisoryInput.escalate = false. */
export const NO_ESCALATE_VALUE = 'no_escalate';
export const DEADLINE_DEFAULT = 'default';
export const DEADLINE_CHOICES_MINUTES = [15, 30, 60, 120, 240, 480, 1440, 4320] as const;

/** Slack's limits: options in a static select, option text, option description, input max_length. */
const OPTIONS_MAX = 100;
const OPTION_TEXT_MAX = 75;
/**
 * Slack's plain_text_input holds at most 3,000 characters, well under BODY_MAX (12,000). The core keeps the
 * larger limit for other entry points (Teams, the local workspace, an API); through Slack a body can never
 * exceed 3,000, and the hint tells the secretariat so before they paste something longer.
 */
const SLACK_INPUT_MAX = 3000;

export interface ModalOptions {
  groups: { id: string; name: LocalisedName }[];
  organisations: { id: string; name: LocalisedName; kind: 'member' | 'observer' }[];
  /** Each severity's default acknowledgement deadline in seconds, shown next to the severity choices. */
  defaultDeadlineSeconds: Record<Severity, number>;
  /** Severities whose escalation may be turned off; empty: the form has no such checkbox. */
  escalationOptional: readonly Severity[];
}

function plain(text: string, max = OPTION_TEXT_MAX): PlainTextElement {
  return { type: 'plain_text', text: truncatePlain(text, max), emoji: true };
}

function option(value: string, text: string, description?: string): PlainTextOption {
  return description === undefined
    ? { text: plain(text), value }
    : { text: plain(text), value, description: plain(description) };
}

function label(t: Bilingual): PlainTextElement {
  return plain(both(t), 2000);
}

function orgOption(o: { id: string; name: LocalisedName; kind?: 'member' | 'observer' }): PlainTextOption {
  const kind = o.kind === 'observer' ? ` (${both(CT.observers)})` : '';
  return option(o.id, `${both(o.name)}${kind}`, o.id);
}

const normalise = (s: string): string => s.normalize('NFKC').toLowerCase();

/**
 * Options for the organisation picker's external-select endpoint (used when the directory has more than
 * 100 organisations, which a static select cannot hold). Matches the id and both names, NFKC-normalised so
 * full-width and half-width input find the same organisation; names that start with the query come first,
 * because people type the beginning of 「横浜市」, not the middle.
 */
export function targetOptions(
  query: string,
  orgs: { id: string; name: LocalisedName; kind?: 'member' | 'observer' }[],
): PlainTextOption[] {
  const q = normalise(query.trim());
  const starts: typeof orgs = [];
  const contains: typeof orgs = [];
  for (const o of orgs) {
    const keys = [o.id, o.name.ja, o.name.en].map(normalise);
    if (q === '' || keys.some((k) => k.startsWith(q))) starts.push(o);
    else if (keys.some((k) => k.includes(q))) contains.push(o);
    if (starts.length >= OPTIONS_MAX) break;
  }
  return [...starts, ...contains].slice(0, OPTIONS_MAX).map(orgOption);
}

function input(blockId: string, t: Bilingual, element: InputBlock['element'], extra: Partial<InputBlock> = {}): InputBlock {
  return { type: 'input', block_id: blockId, label: label(t), element, ...extra };
}

function targetPicker(
  blockId: string,
  actionId: string,
  t: Bilingual,
  items: { id: string; name: LocalisedName; kind?: 'member' | 'observer' }[],
  picked: readonly string[] = [],
): InputBlock {
  const placeholder = plain(both(CT.organisationsSearch), 150);
  const chosen = new Set(picked);
  // What was picked before (the form shown again after the preview), as the same option objects Slack offers.
  const initial = items.filter((o) => chosen.has(o.id)).map(orgOption);
  const initialOptions = initial.length > 0 ? { initial_options: initial } : {};
  if (items.length > OPTIONS_MAX) {
    return input(
      blockId,
      t,
      // A Japanese place name can be two characters (港区), so Slack must ask from the first character.
      { type: 'multi_external_select', action_id: actionId, min_query_length: 1, placeholder, ...initialOptions },
      { optional: true },
    );
  }
  return input(
    blockId,
    t,
    { type: 'multi_static_select', action_id: actionId, options: items.map(orgOption), placeholder, ...initialOptions },
    { optional: true },
  );
}

/** The form, empty or filled in with what the secretariat entered before (Back from the preview). */
export function buildAdvisoryModal(options: ModalOptions, entered?: AdvisoryInput): ModalView {
  return {
    type: 'modal',
    callback_id: ADVISORY_MODAL_CALLBACK,
    // A drill says so from the top (`/advisory drill`, or Back with 訓練 ticked).
    title: plain(both(entered?.drill === true ? DT.formTitle : ST.modalTitle), 24),
    // The form's submit shows the preview; only the preview sends (preview-blocks.ts).
    submit: plain(both(PREVIEW_TEXT.review), 24),
    close: plain(both(ST.modalClose), 24),
    blocks: formBlocks(options, entered),
  };
}

/** The form's input blocks, with `entered` as their initial values: the form, and the part of the preview that carries it. */
export function formBlocks(options: ModalOptions, entered?: AdvisoryInput): KnownBlock[] {
  const tlpOptions = TLP_LEVELS.map((l) => option(l, l, both(TLP_TEXT[l])));
  const severityOptions = SEVERITIES.map((s) =>
    option(s, both(SEVERITY_TEXT[s]), both(severityDefaultText(options.defaultDeadlineSeconds[s]))),
  );
  const categoryOptions = CATEGORIES.map((c) => option(c, both(CATEGORY_TEXT[c])));
  const sourceOptions = SOURCES.map((s) => option(s, both(SOURCE_TEXT[s])));
  const deadlineOptions = [
    option(DEADLINE_DEFAULT, both(CT.severityDefault)),
    ...DEADLINE_CHOICES_MINUTES.map((m) => option(String(m), both(durationText(m)))),
  ];
  const targetChoices = [option(TARGET_ALL_MEMBERS, both(CT.allMembers)), option(TARGET_OBSERVERS, both(CT.observers))];
  const drillOption = option(DRILL_VALUE, both(CT.drillOption));
  const noEscalate = option(NO_ESCALATE_VALUE, both(noEscalateOption(options.escalationOptional)));
  const choose = plain(both(CT.choose), 150);

  const e = entered;
  const text = (v: string | undefined) => (v ? { initial_value: v } : {});
  const one = (choices: PlainTextOption[], value: string | undefined) => {
    const found = choices.find((c) => c.value === value);
    return found ? { initial_option: found } : {};
  };
  const some = (found: PlainTextOption[]) => (found.length > 0 ? { initial_options: found } : {});
  const deadline = e?.ackDeadlineMinutes === undefined ? DEADLINE_DEFAULT : String(e.ackDeadlineMinutes);

  const blocks: KnownBlock[] = [
    input(BLOCK.title, CT.title, { type: 'plain_text_input', action_id: ACTION.title, max_length: TITLE_MAX, ...text(e?.title) }),
    input(
      BLOCK.body,
      CT.body,
      { type: 'plain_text_input', action_id: ACTION.body, multiline: true, max_length: SLACK_INPUT_MAX, ...text(e?.body) },
      { hint: plain(both(ST.bodyHint), 2000) },
    ),
    input(BLOCK.tlp, CT.tlp, { type: 'static_select', action_id: ACTION.tlp, options: tlpOptions, ...one(tlpOptions, e ? e.tlp : 'TLP:AMBER') }),
    input(BLOCK.severity, T.severity, {
      type: 'static_select',
      action_id: ACTION.severity,
      options: severityOptions,
      ...one(severityOptions, e ? e.severity : 'level2'),
    }),
    input(BLOCK.category, T.category, { type: 'static_select', action_id: ACTION.category, placeholder: choose, options: categoryOptions, ...one(categoryOptions, e?.category) }),
    input(BLOCK.source, T.source, { type: 'static_select', action_id: ACTION.source, placeholder: choose, options: sourceOptions, ...one(sourceOptions, e?.source) }),
    // Each target input is optional on its own; "at least one of them" is checked on submit and reported here.
    input(
      BLOCK.targets,
      CT.targets,
      {
        type: 'checkboxes',
        action_id: ACTION.targets,
        options: targetChoices,
        ...some(targetChoices.filter((c) => (c.value === TARGET_ALL_MEMBERS ? e?.targets?.allMembers : e?.targets?.observers) === true)),
      },
      { optional: true, hint: plain(both(CT.targetsHint), 2000) },
    ),
  ];
  if (options.groups.length > 0) blocks.push(targetPicker(BLOCK.groups, ACTION.groups, CT.groups, options.groups, e?.targets?.groups));
  if (options.organisations.length > 0) {
    blocks.push(targetPicker(BLOCK.organisations, ACTION.organisations, CT.organisations, options.organisations, e?.targets?.members));
  }
  blocks.push(
    input(BLOCK.ackDeadline, T.ackDeadline, {
      type: 'static_select',
      action_id: ACTION.ackDeadline,
      options: deadlineOptions,
      ...one(deadlineOptions, deadlineOptions.some((o) => o.value === deadline) ? deadline : DEADLINE_DEFAULT),
    }),
    input(
      BLOCK.drill,
      CT.drill,
      { type: 'checkboxes', action_id: ACTION.drill, options: [drillOption], ...some(e?.drill === true ? [drillOption] : []) },
      { optional: true },
    ),
  );
  // A form opened as a drill (`/advisory drill`, or Back with 訓練 ticked) offers its announcement: now, with a window
  // (Slack's date-and-time pickers show the reader's own zone; the instant is what counts), or not at all.
  if (e?.drill === true) blocks.push(...drillPlanBlocks(e));
  if (options.escalationOptional.length > 0) {
    blocks.push(
      input(
        BLOCK.escalate,
        CT.escalation,
        { type: 'checkboxes', action_id: ACTION.escalate, options: [noEscalate], ...some(e?.escalate === false ? [noEscalate] : []) },
        { optional: true, hint: plain(both(CT.escalationHint), 2000) },
      ),
    );
  }
  return blocks;
}

/** The drill's announcement: the choice, then the window's start and end. */
function drillPlanBlocks(e: AdvisoryInput): KnownBlock[] {
  const choices = [option(DRILL_UNANNOUNCED, both(DT.unannounced)), option(DRILL_ANNOUNCE, both(DT.announce))];
  const chosen = choices.find((c) => c.value === (e.drillPlan?.announce === true ? DRILL_ANNOUNCE : DRILL_UNANNOUNCED));
  const picker = (action: string, iso: string | undefined) => {
    const seconds = iso !== undefined && isInstant(iso) ? Math.floor(Date.parse(iso) / 1000) : undefined;
    return { type: 'datetimepicker' as const, action_id: action, ...(seconds !== undefined ? { initial_date_time: seconds } : {}) };
  };
  return [
    input(
      BLOCK.drillAnnounce,
      DT.plan,
      { type: 'radio_buttons', action_id: ACTION.drillAnnounce, options: choices, ...(chosen ? { initial_option: chosen } : {}) },
      { hint: plain(both(DT.planHint), 2000) },
    ),
    // Optional to Slack: required only when announcing, which the core checks and reports on the block.
    input(BLOCK.drillFrom, DT.windowFrom, picker(ACTION.drillFrom, e.drillPlan?.from), { optional: true }),
    input(BLOCK.drillTo, DT.windowTo, picker(ACTION.drillTo, e.drillPlan?.to), { optional: true }),
  ];
}

// ---------------------------------------------------------------------------------------------------------------

/** The part of Bolt's ViewStateValue this parser reads; Bolt's `view.state.values` is assignable to it. */
export interface SubmittedValue {
  type?: string;
  value?: string | null;
  selected_option?: { value: string } | null;
  selected_options?: { value: string }[] | null;
  /** A datetimepicker's choice: seconds since the epoch. */
  selected_date_time?: number | null;
}
export type SubmittedValues = Record<string, Record<string, SubmittedValue> | undefined>;

export type SubmissionResult =
  | { ok: true; input: ValidAdvisoryInput }
  | { ok: false; errors: Record<string, string> };

/** Which block shows the error of each form field. */
const BLOCK_OF: Record<AdvisoryField, string> = {
  title: BLOCK.title,
  body: BLOCK.body,
  tlp: BLOCK.tlp,
  severity: BLOCK.severity,
  category: BLOCK.category,
  source: BLOCK.source,
  targets: BLOCK.targets,
  groups: BLOCK.groups,
  members: BLOCK.organisations,
  ackDeadlineMinutes: BLOCK.ackDeadline,
  drill: BLOCK.drill,
  drillAnnounce: BLOCK.drillAnnounce,
  drillFrom: BLOCK.drillFrom,
  drillTo: BLOCK.drillTo,
  escalate: BLOCK.escalate,
};

/** What the form holds, as an AdvisoryInput candidate (not yet validated): for validating, and for showing it again. */
export function readSubmission(values: SubmittedValues): AdvisoryInput {
  const read = (block: string, action: string): SubmittedValue | undefined => values[block]?.[action];
  const text = (block: string, action: string): string => read(block, action)?.value ?? '';
  const selected = (block: string, action: string): string | undefined => read(block, action)?.selected_option?.value;
  const many = (block: string, action: string): string[] =>
    (read(block, action)?.selected_options ?? []).map((o) => o.value);

  const targetFlags = many(BLOCK.targets, ACTION.targets);
  const deadline = selected(BLOCK.ackDeadline, ACTION.ackDeadline);
  const instant = (block: string, action: string): string | undefined => {
    const seconds = read(block, action)?.selected_date_time;
    return typeof seconds === 'number' && Number.isFinite(seconds) ? new Date(seconds * 1000).toISOString() : undefined;
  };
  // The drill form's announcement, when the form has it (a plain form's drill is unannounced).
  const plan = values[BLOCK.drillAnnounce]
    ? {
        drillPlan: {
          announce: selected(BLOCK.drillAnnounce, ACTION.drillAnnounce) === DRILL_ANNOUNCE,
          from: instant(BLOCK.drillFrom, ACTION.drillFrom),
          to: instant(BLOCK.drillTo, ACTION.drillTo),
        },
      }
    : {};

  return {
    title: text(BLOCK.title, ACTION.title),
    body: text(BLOCK.body, ACTION.body),
    // Missing selections are passed through as undefined so the schema reports them like any other issue.
    tlp: selected(BLOCK.tlp, ACTION.tlp) as AdvisoryInput['tlp'],
    severity: selected(BLOCK.severity, ACTION.severity) as AdvisoryInput['severity'],
    category: selected(BLOCK.category, ACTION.category) as AdvisoryInput['category'],
    source: selected(BLOCK.source, ACTION.source) as AdvisoryInput['source'],
    drill: many(BLOCK.drill, ACTION.drill).includes(DRILL_VALUE),
    ...plan,
    targets: {
      allMembers: targetFlags.includes(TARGET_ALL_MEMBERS),
      observers: targetFlags.includes(TARGET_OBSERVERS),
      groups: many(BLOCK.groups, ACTION.groups),
      members: many(BLOCK.organisations, ACTION.organisations),
    },
    ackDeadlineMinutes: deadline === undefined || deadline === DEADLINE_DEFAULT ? undefined : Number(deadline),
    // No block at all (no severity may skip escalation) reads as "escalate", the default.
    escalate: !many(BLOCK.escalate, ACTION.escalate).includes(NO_ESCALATE_VALUE),
  };
}

export function parseAdvisorySubmission(values: SubmittedValues): SubmissionResult {
  const result = validateAdvisoryForm(readSubmission(values));
  return result.ok ? result : { ok: false, errors: blockErrors(result.errors) };
}

/** Field problems (the form's own, or the core's) as response_action "errors" wants them: one message per block. */
export function blockErrors(fields: readonly FieldError[]): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const e of fields) {
    // Slack shows one message per block; the first issue of a field is the one to fix first.
    errors[BLOCK_OF[e.field]] ??= both(e.message);
  }
  return errors;
}
