import { AdvisoryInput, BODY_MAX, TITLE_MAX, type ValidAdvisoryInput } from '../../src/domain/advisory.js';
import { ESCALATION_OPTIONAL } from '../../src/domain/escalation.js';
import { escalateNotAllowed, FIELD_ERROR, FIELD_NOUN } from '../../src/i18n/form-text.js';
import { both, ERROR_TEXT, type Bilingual } from '../../src/i18n/text.js';
import {
  DEADLINE_DEFAULT,
  FORM_INPUT,
  readString,
  splitList,
  TARGET_ALL_MEMBERS,
  TARGET_OBSERVERS,
  type FormError,
  type FormInputId,
} from './advisory-form-card.js';

/** Reading the advisory dialog's submission (see advisory-form-card.ts for the form itself). */

export type FormResult = { ok: true; input: ValidAdvisoryInput } | { ok: false; errors: FormError[] };

/** Which input shows the error for a schema path, and which noun names it. */
const FIELD_INPUT: Record<string, { input: FormInputId; label: Bilingual }> = {
  title: { input: FORM_INPUT.title, label: FIELD_NOUN.title },
  body: { input: FORM_INPUT.body, label: FIELD_NOUN.body },
  tlp: { input: FORM_INPUT.tlp, label: FIELD_NOUN.tlp },
  severity: { input: FORM_INPUT.severity, label: FIELD_NOUN.severity },
  category: { input: FORM_INPUT.category, label: FIELD_NOUN.category },
  source: { input: FORM_INPUT.source, label: FIELD_NOUN.source },
  drill: { input: FORM_INPUT.drill, label: FIELD_NOUN.drill },
  ackDeadlineMinutes: { input: FORM_INPUT.ackDeadline, label: FIELD_NOUN.ackDeadline },
  escalate: { input: FORM_INPUT.noEscalate, label: FIELD_NOUN.escalate },
};

/**
 * The dialog's submitted data → a validated AdvisoryInput, or every problem at once (one message per field and
 * problem), each bilingual and filed under the input id that shows it. Mirrors the Slack modal's parser.
 */
export function parseAdvisoryForm(data: Record<string, unknown>): FormResult {
  const text = (id: FormInputId): string => readString(data, id) ?? '';
  const selected = (id: FormInputId): string | undefined => {
    const v = readString(data, id)?.trim();
    return v === undefined || v === '' ? undefined : v;
  };
  const toggled = (id: FormInputId): boolean => readString(data, id)?.trim().toLowerCase() === 'true';

  const flags = splitList(readString(data, FORM_INPUT.targets));
  const deadline = selected(FORM_INPUT.ackDeadline);
  const candidate: AdvisoryInput = {
    title: text(FORM_INPUT.title),
    body: text(FORM_INPUT.body),
    // Missing selections are passed through as undefined so the schema reports them like any other issue.
    tlp: selected(FORM_INPUT.tlp) as AdvisoryInput['tlp'],
    severity: selected(FORM_INPUT.severity) as AdvisoryInput['severity'],
    category: selected(FORM_INPUT.category) as AdvisoryInput['category'],
    source: selected(FORM_INPUT.source) as AdvisoryInput['source'],
    drill: toggled(FORM_INPUT.drill),
    targets: {
      allMembers: flags.includes(TARGET_ALL_MEMBERS),
      observers: flags.includes(TARGET_OBSERVERS),
      groups: splitList(readString(data, FORM_INPUT.groups)),
      members: splitList(readString(data, FORM_INPUT.organisations)),
    },
    ackDeadlineMinutes: deadline === undefined || deadline === DEADLINE_DEFAULT ? undefined : Number(deadline),
    // No toggle at all (no severity may skip escalation) reads as "escalate", the default.
    escalate: !toggled(FORM_INPUT.noEscalate),
  };

  const parsed = AdvisoryInput.safeParse(candidate);
  if (parsed.success) return { ok: true, input: parsed.data };

  const errors: FormError[] = [];
  const seen = new Set<string>();
  for (const issue of parsed.error.issues) {
    const [field, message] = placeIssue(issue, candidate);
    const error = { field, message: both(message) };
    const key = `${error.field}\u0000${error.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    errors.push(error);
  }
  return { ok: false, errors };
}

interface IssueLike {
  code: string;
  path: PropertyKey[];
  maximum?: unknown;
}

/** Zod does not echo the input in its issues, so "not chosen" vs "not valid" is told from what was read. */
function placeIssue(issue: IssueLike, candidate: AdvisoryInput): [FormInputId, Bilingual] {
  const [head, sub] = issue.path;
  if (head === 'targets') {
    // The "at least one target" refinement is filed under targets.members; the remedy is any target input.
    if (issue.code === 'custom') return [FORM_INPUT.targets, FIELD_ERROR.noTarget];
    if (sub === 'groups') return [FORM_INPUT.groups, FIELD_ERROR.invalid(FIELD_NOUN.groups)];
    if (sub === 'members') return [FORM_INPUT.organisations, FIELD_ERROR.invalid(FIELD_NOUN.organisations)];
    return [FORM_INPUT.targets, FIELD_ERROR.invalid(FIELD_NOUN.targets)];
  }
  if (head === 'escalate' && issue.code === 'custom') return [FORM_INPUT.noEscalate, escalateNotAllowed(ESCALATION_OPTIONAL)];
  const f = typeof head === 'string' ? FIELD_INPUT[head] : undefined;
  // An issue on a path the form has no input for goes on the first input, so the person at least sees it.
  if (f === undefined) return [FORM_INPUT.title, ERROR_TEXT['ADVISORY.INVALID']];
  const isText = head === 'title' || head === 'body';
  switch (issue.code) {
    case 'too_small':
      return [f.input, isText ? FIELD_ERROR.required(f.label) : FIELD_ERROR.invalid(f.label)];
    case 'too_big':
      return [
        f.input,
        isText ? FIELD_ERROR.tooLong(f.label, Number(issue.maximum ?? (head === 'body' ? BODY_MAX : TITLE_MAX))) : FIELD_ERROR.invalid(f.label),
      ];
    case 'invalid_value':
    case 'invalid_type':
      if (isText) return [f.input, FIELD_ERROR.required(f.label)];
      return [f.input, (candidate as Record<string, unknown>)[head as string] === undefined ? FIELD_ERROR.choose(f.label) : FIELD_ERROR.invalid(f.label)];
    default:
      return [f.input, FIELD_ERROR.invalid(f.label)];
  }
}
