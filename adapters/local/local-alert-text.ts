/**
 * The words of a grouped alert (src/i18n/alert-text.ts) as the local page receives them: templates with
 * placeholders in braces, which public/js/render-alert-digest.js fills in (its tpl), so the page says what Slack
 * and Teams say and keeps no copy of its own. Counts are formatted by the functions themselves, so each is called
 * with a marker number whose formatted form is then replaced by the placeholder.
 */
import { AD } from '../../src/i18n/alert-text.js';
import { formatCount, type Bilingual } from '../../src/i18n/text.js';
import { STATE_MARK } from '../../src/view/marks.js';

const MARK_A = 987_654_331;
const MARK_B = 987_654_332;

function placeholders(t: Bilingual, marks: Record<string, number>): Bilingual {
  let { ja, en } = t;
  for (const [name, k] of Object.entries(marks)) {
    ja = ja.replaceAll(formatCount(k), `{${name}}`);
    en = en.replaceAll(formatCount(k), `{${name}}`);
  }
  return { ja, en };
}

/** Sent in GET /local/api/i18n as ALERT_TEXT. `…One`: for exactly one member (English says "member"). */
export const ALERT_TEXT = {
  escalationHeading: placeholders(AD.escalationHeading(MARK_A, MARK_B), { total: MARK_A, wave: MARK_B }),
  escalationHeadingOne: placeholders(AD.escalationHeading(1, MARK_B), { wave: MARK_B }),
  failedHeading: placeholders(AD.failedHeading(MARK_A), { total: MARK_A }),
  failedHeadingOne: AD.failedHeading(1),
  resolvedOf: placeholders(AD.resolvedOf(MARK_A, MARK_B), { resolved: MARK_A, total: MARK_B }),
  resolvedByButton: AD.resolvedBy('{by}', '{at}', 'button'),
  resolvedByPhone: AD.resolvedBy('{by}', '{at}', 'phone'),
  more: placeholders(AD.more(MARK_A), { n: MARK_A }),
  asOf: AD.asOf('{at}'),
} satisfies Record<string, Bilingual>;

/** The mark in front of a member's line, per delivery state (✅ once resolved). */
export const ALERT_MARKS = STATE_MARK;
