import type { AdvisoryInput, ValidAdvisoryInput } from '../../src/domain/advisory.js';
import { both } from '../../src/i18n/text.js';
import { tokyoInstant } from '../../src/domain/drill-plan.js';
import { validateAdvisoryForm, type AdvisoryField, type FieldError } from '../../src/view/advisory-form-errors.js';
import {
  DEADLINE_DEFAULT,
  DRILL_ANNOUNCE,
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

/** Which input shows the error of each form field. */
const INPUT_OF: Record<AdvisoryField, FormInputId> = {
  title: FORM_INPUT.title,
  body: FORM_INPUT.body,
  tlp: FORM_INPUT.tlp,
  severity: FORM_INPUT.severity,
  category: FORM_INPUT.category,
  source: FORM_INPUT.source,
  targets: FORM_INPUT.targets,
  groups: FORM_INPUT.groups,
  members: FORM_INPUT.organisations,
  ackDeadlineMinutes: FORM_INPUT.ackDeadline,
  drill: FORM_INPUT.drill,
  drillAnnounce: FORM_INPUT.drillAnnounce,
  drillFrom: FORM_INPUT.drillFromDate,
  drillTo: FORM_INPUT.drillToDate,
  escalate: FORM_INPUT.noEscalate,
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
  // Japan's date and time as an instant; what is not one goes through as typed, so the schema says "not a time".
  const instant = (date: FormInputId, time: FormInputId): string | undefined => {
    const d = selected(date);
    const t = selected(time);
    if (d === undefined && t === undefined) return undefined;
    return tokyoInstant(d, t) ?? `${d ?? ''} ${t ?? ''}`.trim();
  };
  // The drill form's announcement, when the form has it (a plain form's drill is unannounced).
  const plan =
    readString(data, FORM_INPUT.drillAnnounce) !== undefined
      ? {
          drillPlan: {
            announce: selected(FORM_INPUT.drillAnnounce) === DRILL_ANNOUNCE,
            from: instant(FORM_INPUT.drillFromDate, FORM_INPUT.drillFromTime),
            to: instant(FORM_INPUT.drillToDate, FORM_INPUT.drillToTime),
          },
        }
      : {};
  const candidate: AdvisoryInput = {
    title: text(FORM_INPUT.title),
    body: text(FORM_INPUT.body),
    // Missing selections are passed through as undefined so the schema reports them like any other issue.
    tlp: selected(FORM_INPUT.tlp) as AdvisoryInput['tlp'],
    severity: selected(FORM_INPUT.severity) as AdvisoryInput['severity'],
    category: selected(FORM_INPUT.category) as AdvisoryInput['category'],
    source: selected(FORM_INPUT.source) as AdvisoryInput['source'],
    drill: toggled(FORM_INPUT.drill),
    ...plan,
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

  const result = validateAdvisoryForm(candidate);
  if (result.ok) return result;
  return { ok: false, errors: formErrorsOf(result.errors) };
}

/** Field problems (the form's own, or the core's: a drill window that has ended) as the form card shows them. */
export function formErrorsOf(fields: readonly FieldError[]): FormError[] {
  return fields.map((e) => ({ field: INPUT_OF[e.field], message: both(e.message) }));
}
