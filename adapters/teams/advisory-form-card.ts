import { randomUUID } from 'node:crypto';
import type { TargetOptions } from '../../src/view/views.js';
import type { LocalisedName } from '../../src/directory/schema.js';
import { BODY_MAX, type AdvisoryInput } from '../../src/domain/advisory.js';
import { isInstant, tokyoParts } from '../../src/domain/drill-plan.js';
import { DT } from '../../src/i18n/drill-text.js';
import { CATEGORIES, SEVERITIES, SOURCES, TLP_LEVELS } from '../../src/domain/classification.js';
import { CT } from '../../src/i18n/chat-text.js';
import { durationText, FIELD_ERROR, FIELD_NOUN, noEscalateOption, severityDefaultText } from '../../src/i18n/form-text.js';
import { PREVIEW_TEXT } from '../../src/i18n/preview-text.js';
import { both, CATEGORY_TEXT, SEVERITY_TEXT, SOURCE_TEXT, T, TLP_TEXT, type Bilingual } from '../../src/i18n/text.js';
import { card, small, textBlock, type AdaptiveCard, type CardElement } from './card-elements.js';
import { escapeCardText } from './card-text.js';
import { TT } from './teams-text.js';

/**
 * The advisory form, a card in the conversation (not a dialog: the Teams Agents Playground has none): the
 * card, the same card again with errors or with what was entered (Back from the preview), and the typeahead
 * results of its target pickers. Its Action.Execute answers with the preview (preview-card.ts); its submission
 * is read by advisory-form-parse.ts.
 */

/** Action.Execute verb of the form's submit: it shows the preview, it does not send. */
export const ADVISORY_PREVIEW_VERB = 'advisory_preview';

const e = escapeCardText;

/** Input ids: the keys of the data Teams submits, and the `field` of every form error. */
export const FORM_INPUT = {
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
  /** The drill form only (a form whose drill toggle is on): announce now with a window, or not; Japan's date and time. */
  drillAnnounce: 'drill_announce',
  drillFromDate: 'drill_from_date',
  drillFromTime: 'drill_from_time',
  drillToDate: 'drill_to_date',
  drillToTime: 'drill_to_time',
  noEscalate: 'no_escalate',
} as const;
export type FormInputId = (typeof FORM_INPUT)[keyof typeof FORM_INPUT];

/** Values of the targets multi-select. */
export const TARGET_ALL_MEMBERS = 'all_members';
export const TARGET_OBSERVERS = 'observers';
export const DEADLINE_DEFAULT = 'default';
/** The drill form's announcement choice. */
export const DRILL_UNANNOUNCED = 'unannounced';
export const DRILL_ANNOUNCE = 'announce';
export const DEADLINE_CHOICES_MINUTES = [15, 30, 60, 120, 240, 480, 1440, 4320] as const;

/**
 * Pickers with more entries than this use Teams' dynamic typeahead (Data.Query) instead of listing every
 * choice in the card: 1,800 municipalities would make a card of over 100 KB. The bot answers the
 * `application/search` invoke for these datasets with targetSearchChoices.
 */
export const STATIC_CHOICES_MAX = 200;
export const TARGET_DATASET = { groups: 'ceptoar.groups', organisations: 'ceptoar.organisations' } as const;
/** Teams shows at most 15 typeahead results. */
const SEARCH_RESULTS_MAX = 15;

export interface FormError {
  field: string;
  message: string;
}

type Choice = { title: string; value: string };
type TargetItem = { id: string; name: LocalisedName; kind?: 'member' | 'observer' };

function targetChoice(o: TargetItem): Choice {
  const kind = o.kind === 'observer' ? ` (${both(CT.observers)})` : '';
  return { title: `${both(o.name)}${kind} · ${o.id}`, value: o.id };
}

const normalise = (s: string): string => s.normalize('NFKC').toLowerCase();

/**
 * Typeahead results for a target picker: id and both names, NFKC-normalised (full- and half-width input find
 * the same entry); names that start with the query first, because people type the beginning of 「横浜市」.
 * Wrap as { type: 'application/vnd.microsoft.search.searchResponse', value: { results } }.
 */
export function targetSearchChoices(query: string, items: TargetItem[], max: number = SEARCH_RESULTS_MAX): Choice[] {
  const q = normalise(query.trim());
  const starts: TargetItem[] = [];
  const contains: TargetItem[] = [];
  for (const o of items) {
    const keys = [o.id, o.name.ja, o.name.en].map(normalise);
    if (q === '' || keys.some((k) => k.startsWith(q))) starts.push(o);
    else if (keys.some((k) => k.includes(q))) contains.push(o);
    if (starts.length >= max) break;
  }
  return [...starts, ...contains].slice(0, max).map(targetChoice);
}

/** What the form shows in each input: the submitted data when it comes back with errors. */
type FormValues = Partial<Record<FormInputId, string>>;

function hint(t: Bilingual): CardElement {
  return small(e(both(t)));
}

function targetPicker(id: FormInputId, label: Bilingual, items: TargetItem[], dataset: string, selected: string | undefined): CardElement {
  const picked = new Set(splitList(selected));
  const dynamic = items.length > STATIC_CHOICES_MAX;
  // A dynamic picker still lists what was already picked, so a returned form shows their names.
  const choices = (dynamic ? items.filter((o) => picked.has(o.id)) : items).map(targetChoice);
  return {
    type: 'Input.ChoiceSet',
    id,
    label: both(label),
    isMultiSelect: true,
    style: 'filtered',
    placeholder: both(CT.organisationsSearch),
    choices,
    ...(dynamic ? { 'choices.data': { type: 'Data.Query', dataset } } : {}),
    ...(picked.size > 0 ? { value: [...picked].join(',') } : {}),
  };
}

function buildForm(options: TargetOptions, values: FormValues, errors: FormError[], formKey: string): AdaptiveCard {
  const body: CardElement[] = [];
  const errorsOf = (id: FormInputId): CardElement[] =>
    errors.filter((x) => x.field === id).map((x) => textBlock(`⚠️ ${e(x.message)}`, { size: 'small', color: 'attention', spacing: 'none' }));
  const add = (id: FormInputId, element: CardElement, ...after: CardElement[]): void => {
    body.push(element, ...after, ...errorsOf(id));
  };

  if (errors.length > 0) {
    body.push({
      type: 'Container',
      style: 'attention',
      items: [
        textBlock(`⚠️ ${e(both(TT.formErrors))}`, { weight: 'bolder' }),
        ...errors.map((x) => textBlock(`• ${e(x.message)}`, { spacing: 'small' })),
      ],
    });
  }
  const drill = values[FORM_INPUT.drill] === 'true';
  body.push(textBlock(e(both(drill ? DT.formIntro : PREVIEW_TEXT.formIntro)), { size: 'small', isSubtle: true }));

  const choose = both(CT.choose);
  const value = (id: FormInputId, fallbackValue?: string): Record<string, string> => {
    const v = values[id] ?? fallbackValue;
    return v === undefined || v === '' ? {} : { value: v };
  };

  add(FORM_INPUT.title, {
    type: 'Input.Text',
    id: FORM_INPUT.title,
    label: both(CT.title),
    isRequired: true,
    errorMessage: both(FIELD_ERROR.required(FIELD_NOUN.title)),
    // No maxLength on title or body: Teams clients cut a longer paste without a word. The core refuses it
    // with the count instead ("本文は12,000文字以内です（20,000文字入力されています）").
    ...value(FORM_INPUT.title),
  });
  add(
    FORM_INPUT.body,
    {
      type: 'Input.Text',
      id: FORM_INPUT.body,
      label: both(CT.body),
      isMultiline: true,
      isRequired: true,
      errorMessage: both(FIELD_ERROR.required(FIELD_NOUN.body)),
      ...value(FORM_INPUT.body),
    },
    hint(TT.bodyHint),
  );
  add(FORM_INPUT.tlp, {
    type: 'Input.ChoiceSet',
    id: FORM_INPUT.tlp,
    label: both(CT.tlp),
    style: 'compact',
    isRequired: true,
    errorMessage: both(FIELD_ERROR.choose(FIELD_NOUN.tlp)),
    choices: TLP_LEVELS.map((l) => ({ title: `${l} — ${both(TLP_TEXT[l])}`, value: l })),
    ...value(FORM_INPUT.tlp, 'TLP:AMBER'),
  });
  add(FORM_INPUT.severity, {
    type: 'Input.ChoiceSet',
    id: FORM_INPUT.severity,
    label: both(T.severity),
    style: 'compact',
    isRequired: true,
    errorMessage: both(FIELD_ERROR.choose(FIELD_NOUN.severity)),
    choices: SEVERITIES.map((s) => ({
      title: `${both(SEVERITY_TEXT[s])} (${both(severityDefaultText(options.defaultDeadlineSeconds[s]))})`,
      value: s,
    })),
    ...value(FORM_INPUT.severity, 'level2'),
  });
  add(FORM_INPUT.category, {
    type: 'Input.ChoiceSet',
    id: FORM_INPUT.category,
    label: both(T.category),
    style: 'compact',
    placeholder: choose,
    isRequired: true,
    errorMessage: both(FIELD_ERROR.choose(FIELD_NOUN.category)),
    choices: CATEGORIES.map((c) => ({ title: both(CATEGORY_TEXT[c]), value: c })),
    ...value(FORM_INPUT.category),
  });
  add(FORM_INPUT.source, {
    type: 'Input.ChoiceSet',
    id: FORM_INPUT.source,
    label: both(T.source),
    style: 'compact',
    placeholder: choose,
    isRequired: true,
    errorMessage: both(FIELD_ERROR.choose(FIELD_NOUN.source)),
    choices: SOURCES.map((s) => ({ title: both(SOURCE_TEXT[s]), value: s })),
    ...value(FORM_INPUT.source),
  });
  // Each target input is optional on its own; "at least one of them" is checked on submit and reported here.
  add(
    FORM_INPUT.targets,
    {
      type: 'Input.ChoiceSet',
      id: FORM_INPUT.targets,
      label: both(CT.targets),
      style: 'expanded',
      isMultiSelect: true,
      choices: [
        { title: both(CT.allMembers), value: TARGET_ALL_MEMBERS },
        { title: both(CT.observers), value: TARGET_OBSERVERS },
      ],
      ...value(FORM_INPUT.targets),
    },
    hint(CT.targetsHint),
  );
  if (options.groups.length > 0) {
    add(FORM_INPUT.groups, targetPicker(FORM_INPUT.groups, CT.groups, options.groups, TARGET_DATASET.groups, values[FORM_INPUT.groups]));
  }
  if (options.organisations.length > 0) {
    add(
      FORM_INPUT.organisations,
      targetPicker(FORM_INPUT.organisations, CT.organisations, options.organisations, TARGET_DATASET.organisations, values[FORM_INPUT.organisations]),
    );
  }
  add(FORM_INPUT.ackDeadline, {
    type: 'Input.ChoiceSet',
    id: FORM_INPUT.ackDeadline,
    label: both(T.ackDeadline),
    style: 'compact',
    choices: [
      { title: both(CT.severityDefault), value: DEADLINE_DEFAULT },
      ...DEADLINE_CHOICES_MINUTES.map((m) => ({ title: both(durationText(m)), value: String(m) })),
    ],
    ...value(FORM_INPUT.ackDeadline, DEADLINE_DEFAULT),
  });
  add(FORM_INPUT.drill, {
    type: 'Input.Toggle',
    id: FORM_INPUT.drill,
    label: both(CT.drill),
    title: both(CT.drillOption),
    valueOn: 'true',
    valueOff: 'false',
    value: values[FORM_INPUT.drill] === 'true' ? 'true' : 'false',
  });
  // A form opened as a drill (`advisory drill`, or Back with the drill on) offers its announcement: now, with a window
  // in Japan time, or not at all.
  if (drill) {
    add(
      FORM_INPUT.drillAnnounce,
      {
        type: 'Input.ChoiceSet',
        id: FORM_INPUT.drillAnnounce,
        label: both(DT.plan),
        style: 'expanded',
        choices: [
          { title: both(DT.unannounced), value: DRILL_UNANNOUNCED },
          { title: both(DT.announce), value: DRILL_ANNOUNCE },
        ],
        ...value(FORM_INPUT.drillAnnounce, DRILL_UNANNOUNCED),
      },
      hint(DT.planHint),
    );
    const when = (label: Bilingual, date: FormInputId, time: FormInputId): CardElement => ({
      type: 'ColumnSet',
      columns: [
        { type: 'Column', width: 'stretch', items: [{ type: 'Input.Date', id: date, label: `${both(label)} — ${both(DT.windowDate)}`, ...value(date) }] },
        { type: 'Column', width: 'stretch', items: [{ type: 'Input.Time', id: time, label: both(DT.windowTime), ...value(time) }] },
      ],
    });
    add(FORM_INPUT.drillFromDate, when(DT.windowFrom, FORM_INPUT.drillFromDate, FORM_INPUT.drillFromTime));
    add(FORM_INPUT.drillToDate, when(DT.windowTo, FORM_INPUT.drillToDate, FORM_INPUT.drillToTime));
  }
  if (options.escalationOptional.length > 0) {
    add(
      FORM_INPUT.noEscalate,
      {
        type: 'Input.Toggle',
        id: FORM_INPUT.noEscalate,
        label: both(CT.escalation),
        title: both(noEscalateOption(options.escalationOptional)),
        valueOn: 'true',
        valueOff: 'false',
        value: values[FORM_INPUT.noEscalate] === 'true' ? 'true' : 'false',
      },
      hint(CT.escalationHint),
    );
  }
  // An error whose field has no input in this form (e.g. a picker the directory no longer offers) still shows
  // at the top; nothing is lost.
  // The form key rides along through the preview to Send: one form card issues at most one advisory.
  return card(body, [{ type: 'Action.Execute', title: both(PREVIEW_TEXT.review), verb: ADVISORY_PREVIEW_VERB, data: { formKey }, style: 'positive' }]);
}

/** The advisory form: title, body, classification, targets, deadline, drill, and (where allowed) no escalation. */
export function advisoryFormCard(options: TargetOptions, formKey: string = randomUUID()): AdaptiveCard {
  return buildForm(options, {}, [], formKey);
}

/** `advisory drill`: the form filled in from the drill template (its entries as the core made them). */
export function drillFormCard(options: TargetOptions, entries: AdvisoryInput, formKey: string = randomUUID()): AdaptiveCard {
  return buildForm(options, inputValues(entries), [], formKey);
}

/** An AdvisoryInput as the form's inputs hold it (the reverse of advisory-form-parse.ts). */
export function inputValues(input: AdvisoryInput): Record<string, string> {
  const v: Record<string, string> = {
    [FORM_INPUT.title]: input.title,
    [FORM_INPUT.body]: input.body,
    [FORM_INPUT.tlp]: input.tlp,
    [FORM_INPUT.severity]: input.severity,
    [FORM_INPUT.category]: input.category,
    [FORM_INPUT.source]: input.source,
    [FORM_INPUT.targets]: [...(input.targets.allMembers ? [TARGET_ALL_MEMBERS] : []), ...(input.targets.observers ? [TARGET_OBSERVERS] : [])].join(','),
    [FORM_INPUT.groups]: (input.targets.groups ?? []).join(','),
    [FORM_INPUT.organisations]: (input.targets.members ?? []).join(','),
    [FORM_INPUT.ackDeadline]: input.ackDeadlineMinutes === undefined ? DEADLINE_DEFAULT : String(input.ackDeadlineMinutes),
    [FORM_INPUT.drill]: input.drill === true ? 'true' : 'false',
    [FORM_INPUT.noEscalate]: input.escalate === false ? 'true' : 'false',
  };
  const plan = input.drillPlan;
  if (plan) {
    v[FORM_INPUT.drillAnnounce] = plan.announce === true ? DRILL_ANNOUNCE : DRILL_UNANNOUNCED;
    if (plan.from !== undefined && isInstant(plan.from)) {
      const p = tokyoParts(plan.from);
      v[FORM_INPUT.drillFromDate] = p.date;
      v[FORM_INPUT.drillFromTime] = p.time;
    }
    if (plan.to !== undefined && isInstant(plan.to)) {
      const p = tokyoParts(plan.to);
      v[FORM_INPUT.drillToDate] = p.date;
      v[FORM_INPUT.drillToTime] = p.time;
    }
  }
  return v;
}

/**
 * The form again with what was typed filled in: with every error listed at the top (and under its input), or
 * with none (Back from the preview).
 */
export function formErrorCard(options: TargetOptions, errors: FormError[], previous: Record<string, unknown>, formKey: string = randomUUID()): AdaptiveCard {
  return buildForm(options, formValues(previous), errors, formKey);
}

/** The form's inputs from what Teams submitted (or the preview carried): strings only, bounded. */
export function formValues(submitted: Record<string, unknown>): Record<string, string> {
  const values: Record<string, string> = {};
  for (const id of Object.values(FORM_INPUT)) {
    const v = readString(submitted, id);
    // Bounded so a hostile submission cannot make the answer arbitrarily large.
    if (v !== undefined) values[id] = v.slice(0, 2 * BODY_MAX);
  }
  return values;
}

// ---------------------------------------------------------------------------------------------------------------
// Reading what the dialog submits (also used by advisory-form-parse.ts).

export function readString(data: Record<string, unknown>, key: string): string | undefined {
  if (!Object.hasOwn(data, key)) return undefined;
  const v = data[key];
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

/** Teams sends a multi-select's values as one comma-separated string. */
export function splitList(v: string | undefined): string[] {
  return [...new Set((v ?? '').split(',').map((s) => s.trim()).filter((s) => s !== ''))];
}
