import { AdvisoryInput, BODY_MAX, TITLE_MAX, type ValidAdvisoryInput } from '../domain/advisory.js';
import { ESCALATION_OPTIONAL } from '../domain/escalation.js';
import { escalateNotAllowed, FIELD_ERROR, FIELD_NOUN } from '../i18n/form-text.js';
import { ERROR_TEXT, type Bilingual } from '../i18n/text.js';
import { DT } from '../i18n/drill-text.js';
import { DRILL_ANNOUNCE_AHEAD_MAX_DAYS, DRILL_WINDOW_MAX_DAYS, type DrillWindowProblem } from '../domain/drill-plan.js';

/**
 * The advisory form's fields, as every platform's form has them (Slack modal, Teams dialog, local
 * page); each adapter maps a field to its own block or input id.
 */
export type AdvisoryField =
  | 'title'
  | 'body'
  | 'tlp'
  | 'severity'
  | 'category'
  | 'source'
  | 'targets'
  | 'groups'
  | 'members'
  | 'ackDeadlineMinutes'
  | 'drill'
  /** The drill form's schedule: announce now with a window, or not; and the window's start and end. */
  | 'drillAnnounce'
  | 'drillFrom'
  | 'drillTo'
  | 'escalate';

export interface FieldError {
  field: AdvisoryField;
  message: Bilingual;
}

export type AdvisoryValidation = { ok: true; input: ValidAdvisoryInput } | { ok: false; errors: FieldError[] };

const NOUN: Partial<Record<AdvisoryField, Bilingual>> = {
  title: FIELD_NOUN.title,
  body: FIELD_NOUN.body,
  tlp: FIELD_NOUN.tlp,
  severity: FIELD_NOUN.severity,
  category: FIELD_NOUN.category,
  source: FIELD_NOUN.source,
  drill: FIELD_NOUN.drill,
  ackDeadlineMinutes: FIELD_NOUN.ackDeadline,
  escalate: FIELD_NOUN.escalate,
};

interface IssueLike {
  code: string;
  path: PropertyKey[];
  maximum?: unknown;
  /** The value the check saw (zod's reportInput): for a text, after trimming and folding. */
  input?: unknown;
  /** A custom issue's own detail (the drill plan's: which rule). */
  params?: Record<string, unknown> | undefined;
}

/** How many characters a too-long text had, as the schema counted them; undefined when the issue does not carry it. */
export function enteredLength(issue: { input?: unknown }): number | undefined {
  return typeof issue.input === 'string' ? issue.input.length : undefined;
}

/** Validate what a form submitted; on failure, one bilingual message per field problem, in schema order, without repeats. */
export function validateAdvisoryForm(candidate: unknown): AdvisoryValidation {
  // reportInput: a too-long text is refused with how long it was.
  const parsed = AdvisoryInput.safeParse(candidate, { reportInput: true });
  if (parsed.success) return { ok: true, input: parsed.data };
  return { ok: false, errors: fieldErrors(parsed.error.issues, candidate) };
}

export function fieldErrors(issues: readonly IssueLike[], candidate: unknown): FieldError[] {
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  for (const issue of issues) {
    const e = placeIssue(issue, candidate);
    const key = `${e.field}\u0000${e.message.ja}`;
    if (seen.has(key)) continue;
    seen.add(key);
    errors.push(e);
  }
  return errors;
}

/** Zod does not echo the input in its issues, so "not chosen" vs "not valid" is told from what was submitted. */
function placeIssue(issue: IssueLike, candidate: unknown): FieldError {
  const [head, sub] = issue.path;
  if (head === 'targets') {
    // The "at least one target" refinement is filed under targets.members, but the remedy is any target input.
    if (issue.code === 'custom') return { field: 'targets', message: FIELD_ERROR.noTarget };
    if (sub === 'groups') return { field: 'groups', message: FIELD_ERROR.invalid(FIELD_NOUN.groups) };
    if (sub === 'members') return { field: 'members', message: FIELD_ERROR.invalid(FIELD_NOUN.organisations) };
    return { field: 'targets', message: FIELD_ERROR.invalid(FIELD_NOUN.targets) };
  }
  if (head === 'drillPlan') return drillPlanIssue(sub, issue);
  // The "only level 1 and 0 may skip escalation" refinement: say which levels.
  if (head === 'escalate' && issue.code === 'custom') return { field: 'escalate', message: escalateNotAllowed(ESCALATION_OPTIONAL) };
  const field = typeof head === 'string' && head in NOUN ? (head as AdvisoryField) : undefined;
  // An issue on a path no form has an input for goes on the first input, so the person at least sees it.
  if (field === undefined) return { field: 'title', message: ERROR_TEXT['ADVISORY.INVALID'] };
  const noun = NOUN[field] as Bilingual;
  const isText = field === 'title' || field === 'body';
  switch (issue.code) {
    case 'too_small':
      return { field, message: isText ? FIELD_ERROR.required(noun) : FIELD_ERROR.invalid(noun) };
    case 'too_big':
      return {
        field,
        message: isText ? FIELD_ERROR.tooLong(noun, Number(issue.maximum ?? (field === 'body' ? BODY_MAX : TITLE_MAX)), enteredLength(issue)) : FIELD_ERROR.invalid(noun),
      };
    case 'invalid_value':
    case 'invalid_type': {
      if (isText) return { field, message: FIELD_ERROR.required(noun) };
      const given = candidate !== null && typeof candidate === 'object' ? (candidate as Record<string, unknown>)[field] : undefined;
      return { field, message: given === undefined ? FIELD_ERROR.choose(noun) : FIELD_ERROR.invalid(noun) };
    }
    default:
      return { field, message: FIELD_ERROR.invalid(noun) };
  }
}

/** The drill plan's issues (drill-plan.ts DrillPlanInput): on the window's start or end, or on the choice itself. */
function drillPlanIssue(sub: PropertyKey | undefined, issue: IssueLike): FieldError {
  const rule = issue.params?.['drill'];
  if (sub === 'from') return { field: 'drillFrom', message: rule === 'required' ? DT.fromRequired : DT.notATime };
  if (sub === 'to') {
    const message = rule === 'required' ? DT.toRequired : rule === 'order' ? DT.order : rule === 'tooLong' ? DT.tooLong(DRILL_WINDOW_MAX_DAYS) : DT.notATime;
    return { field: 'drillTo', message };
  }
  return { field: 'drillAnnounce', message: FIELD_ERROR.invalid(DT.planNoun) };
}

/** The window's problems that need the clock (drill-plan.ts drillWindowProblems), as the form shows them. */
export function drillWindowFieldErrors(problems: readonly DrillWindowProblem[]): FieldError[] {
  return problems.map((p) =>
    p.problem === 'ended' ? { field: 'drillTo', message: DT.ended } : { field: 'drillFrom', message: DT.tooFarAhead(DRILL_ANNOUNCE_AHEAD_MAX_DAYS) },
  );
}
