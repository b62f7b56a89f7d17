/**
 * The shared words (src/i18n) as the local page receives them, so that it says what Slack and Teams say and keeps
 * no copy of its own. Tables go as they are. A text that src/i18n builds with a function goes as a template: the
 * function is called here with placeholders ("{who}"), and the page fills them in (public/js/i18n.js, fmt()).
 * Counts are formatted by the function itself, so a count is passed as a marker number and its formatted form
 * replaced by the placeholder. Texts that depend on the configuration (durations, levels) come with the form.
 */
import { LF } from '../../src/i18n/lifecycle-text.js';
import { DT } from '../../src/i18n/drill-text.js';
import { ALERT_MARKS, ALERT_TEXT } from './local-alert-text.js';
import { RT } from '../../src/i18n/round-text.js';
import { pageRangeText, progressText, STATUS_FILTER_TEXT, SV } from '../../src/i18n/status-view-text.js';
import type { TargetOptions } from '../../src/view/views.js';
import type { Severity } from '../../src/domain/classification.js';
import { CT, moreNames, reminderText, STEP_TEXT } from '../../src/i18n/chat-text.js';
import { FAILURE_TEXT } from '../../src/i18n/failure-text.js';
import { durationText, noEscalateOption, secondsText, severityDefaultText } from '../../src/i18n/form-text.js';
import { PLATFORM_TEXT, PREVIEW_TEXT } from '../../src/i18n/preview-text.js';
import { repliesText, THREAD_TEXT } from '../../src/i18n/thread-text.js';
import {
  CALL_NOW_TEXT,
  CALL_OUTCOME_TEXT,
  callableFromText,
  callsText,
  claimedByText,
  CONTACT_STATE_MARK,
  CONTACT_STATE_TEXT,
  contactText,
  NOT_CALLABLE_YET_TEXT,
  oncallGroupText,
  OVERDUE_TEXT,
  overdueText,
  openTasksText,
  phoneAckText,
  PHONE_STATE_TEXT,
  REACHED_CHOICE_TEXT,
  reachedChoiceLabel,
  reachedContactText,
  reachedText,
  redScript,
  standardScript,
  triedOfText,
} from '../../src/i18n/phone-text.js';
import {
  CATEGORY_TEXT,
  ERROR_TEXT,
  formatCount,
  SEVERITY_TEXT,
  SOURCE_TEXT,
  STATE_TEXT,
  T,
  TLP_TEXT,
  VIA_TEXT,
  type Bilingual,
} from '../../src/i18n/text.js';

/** Numbers no text contains by itself: each stands for one count placeholder until it is replaced. */
const MARK_K = 987_654_321;
const MARK_N = 987_654_322;
const MARK_T = 987_654_323;

/** The text with each marker count (as formatCount wrote it) turned into its placeholder. */
function countPlaceholders(t: Bilingual, marks: Record<string, number>): Bilingual {
  let { ja, en } = t;
  for (const [name, n] of Object.entries(marks)) {
    ja = ja.replaceAll(formatCount(n), `{${name}}`);
    en = en.replaceAll(formatCount(n), `{${name}}`);
  }
  return { ja, en };
}

/** A bilingual argument that is the same placeholder in both languages (the page fills in each language's value). */
const slot = (name: string): Bilingual => ({ ja: `{${name}}`, en: `{${name}}` });

/** A text that is the same in both languages (names and roles are not translated). */
const same = (text: string): Bilingual => ({ ja: text, en: text });

/** The templated texts, with placeholders in braces. */
export const TEMPLATE_TEXT = {
  claimedBy: claimedByText('{who}'),
  reached: reachedText('{who}', '{at}'),
  reachedContact: reachedContactText('{contact}', '{who}', '{at}'),
  /** A contact with a role, as records name them; without a role the contact is the name alone. */
  contactWithRole: same(contactText({ name: '{name}', role: '{role}' })),
  reachedChoose: REACHED_CHOICE_TEXT,
  reachedChoice: countPlaceholders(same(reachedChoiceLabel(MARK_K, { name: '{contact}' })), { k: MARK_K }),
  phoneAck: phoneAckText('{caller}', '{contact}'),
  /** "架電 {k}/{n} 件 / tried {k} of {n}": contacts someone has called. */
  triedOf: countPlaceholders(triedOfText(MARK_K, MARK_N), { k: MARK_K, n: MARK_N }),
  /** A contact callable later: {time} formatted by the page. */
  callableFrom: callableFromText('{time}'),
  /** Calls to one contact, when more than one (callsOne is never needed: one call says its state alone). */
  calls: countPlaceholders(callsText(MARK_N), { n: MARK_N }),
  /** The overdue banner of a phone task. */
  overdue: overdueText('{since}'),
  /** The on-call list's heading of one advisory: oncallGroupOne for exactly one task, oncallGroup otherwise. */
  oncallGroupOne: oncallGroupText('{advisoryId}', '{title}', 1),
  oncallGroup: countPlaceholders(oncallGroupText('{advisoryId}', '{title}', MARK_N), { n: MARK_N }),
  /** openTasksOne for exactly one task, openTasks otherwise. */
  openTasksOne: openTasksText(1),
  openTasks: countPlaceholders(openTasksText(MARK_N), { n: MARK_N }),
  moreNames: countPlaceholders(moreNames(MARK_N), { n: MARK_N }),
  reminder: reminderText('{advisoryId}', '{title}', '{deadline}'),
  standardScript: standardScript(slot('secretariat'), '{advisoryId}', slot('title')),
  redScript: redScript(slot('secretariat'), slot('title')),
  /** A member's replies in the status: repliesOne for exactly one, replies otherwise; {k} deleted. */
  repliesOne: repliesText(1),
  replies: countPlaceholders(repliesText(MARK_N), { n: MARK_N }),
  repliesOneDeleted: countPlaceholders(repliesText(1, MARK_K), { k: MARK_K }),
  repliesDeleted: countPlaceholders(repliesText(MARK_N, MARK_K), { n: MARK_N, k: MARK_K }),
  /** Acknowledgement rounds (round-text.ts): times come formatted, as the page formats them. */
  roundPleaseAckBy: RT.pleaseAckBy('{deadline}'),
  roundLaterRound: RT.laterRound('{followup}'),
  roundReminder: RT.reminderFollowUp('{followup}', '{deadline}'),
  roundReminderPress: RT.reminderPressFollowUp('{followup}'),
  roundPhone: RT.phoneRound('{n}', '{followup}'),
  round: RT.round('{n}', '{followup}', '{since}'),
  /** The status's page: "{from}–{to} / {total}件"; an advisory's progress in the list: "受領確認 {k}/{n}". */
  statusRange: countPlaceholders(pageRangeText(MARK_K, MARK_N, MARK_T), { from: MARK_K, to: MARK_N, total: MARK_T }),
  statusProgress: countPlaceholders(progressText(MARK_K, MARK_N), { k: MARK_K, n: MARK_N }),
} satisfies Record<string, Bilingual>;

/** GET /local/api/i18n: every shared table the page reads, and the templates. Data only. */
export const LOCAL_I18N = {
  TLP_TEXT,
  SEVERITY_TEXT,
  CATEGORY_TEXT,
  SOURCE_TEXT,
  STATE_TEXT,
  VIA_TEXT,
  T,
  ERROR_TEXT,
  CT,
  STEP_TEXT,
  PHONE_STATE_TEXT,
  CALL_OUTCOME_TEXT,
  /** Each contact of a phone task: its state's words and mark, the call-now mark, not callable yet, overdue. */
  CONTACT_STATE_TEXT,
  CONTACT_STATE_MARK,
  PHONE_WORDS: { callNow: CALL_NOW_TEXT, notCallableYet: NOT_CALLABLE_YET_TEXT, overdue: OVERDUE_TEXT },
  FAILURE_TEXT,
  TEMPLATE_TEXT,
  PREVIEW_TEXT,
  /** Members' replies: the status column and the thread under it. */
  THREAD_TEXT,
  /** The lifecycle forms' words (the answers come worded from the server). */
  LF: Object.fromEntries(Object.entries(LF).filter(([, v]) => typeof v !== 'function')) as Record<string, Bilingual>,
  /** Acknowledgement rounds: the follow-up form's fields and the ended round (the rest are templates). */
  ROUND_TEXT: { askAck: RT.askAck, askAckHint: RT.askAckHint, ackDeadlineMinutes: RT.ackDeadlineMinutes, ackDeadlineHint: RT.ackDeadlineHint, ackEnded: RT.ackEnded },
  /** Grouped alerts to the secretariat (local-alert-text.ts): templates, and the mark of each state. */
  ALERT_TEXT,
  ALERT_MARKS,
  /** The status at sector scale: the advisory list, filters and pages (status-view-text.ts; templates in TEMPLATE_TEXT). */
  STATUS_VIEW: SV,
  STATUS_FILTER_TEXT,
  PLATFORM_TEXT,
  /** The correction form's field names. */
  LIFECYCLE_FIELDS: { title: CT.title, body: CT.body, tlp: CT.tlp, severity: T.severity, category: T.category },
};

/** The deadlines the form offers besides the severity's default, as the Slack modal and the Teams dialog do. */
export const DEADLINE_CHOICES_MINUTES = [15, 30, 60, 120, 240, 480, 1440, 4320] as const;

/** GET /local/api/form: the core's options, and the words of src/i18n/form-text.ts that depend on them. */
export interface LocalFormOptions extends TargetOptions {
  text: {
    deadlineChoices: { minutes: number; text: Bilingual }[];
    /** Per severity: its default deadline ("24時間 / 24 hours"). */
    defaultDeadline: Partial<Record<Severity, Bilingual>>;
    /** Per severity: the note on its option ("既定の期限 24時間 / default deadline 24 hours"). */
    severityDefault: Partial<Record<Severity, Bilingual>>;
    /** The "do not escalate" checkbox, naming the levels that may skip escalation. */
    noEscalate: Bilingual;
    /** The drill template's button and the drill's announcement (src/i18n/drill-text.ts). */
    drill: LocalDrillFormText;
  };
}

export interface LocalDrillFormText {
  template: Bilingual;
  templateHint: Bilingual;
  formIntro: Bilingual;
  plan: Bilingual;
  unannounced: Bilingual;
  announce: Bilingual;
  planHint: Bilingual;
  windowFrom: Bilingual;
  windowTo: Bilingual;
}

export const DRILL_FORM_TEXT: LocalDrillFormText = {
  template: { ja: '訓練テンプレート', en: 'Drill template' },
  templateHint: { ja: '訓練テンプレートの内容でフォームを埋めます（入力中の内容は置き換わります）。', en: 'Fills the form from the drill template (what you entered is replaced).' },
  formIntro: DT.formIntro,
  plan: DT.plan,
  unannounced: DT.unannounced,
  announce: DT.announce,
  planHint: DT.planHint,
  windowFrom: DT.windowFrom,
  windowTo: DT.windowTo,
};

export function localFormOptions(options: TargetOptions): LocalFormOptions {
  const defaults = Object.entries(options.defaultDeadlineSeconds) as [Severity, number][];
  return {
    ...options,
    text: {
      deadlineChoices: DEADLINE_CHOICES_MINUTES.map((minutes) => ({ minutes, text: durationText(minutes) })),
      defaultDeadline: Object.fromEntries(defaults.map(([s, seconds]) => [s, secondsText(seconds)])),
      severityDefault: Object.fromEntries(defaults.map(([s, seconds]) => [s, severityDefaultText(seconds)])),
      noEscalate: noEscalateOption(options.escalationOptional),
      drill: DRILL_FORM_TEXT,
    },
  };
}
