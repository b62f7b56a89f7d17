import { AD } from '../i18n/alert-text.js';
import { CT } from '../i18n/chat-text.js';
import { failureText } from '../i18n/failure-text.js';
import { both, formatTokyo, STATE_TEXT, type Bilingual } from '../i18n/text.js';
import { STATE_MARK } from './marks.js';
import type { AlertDigestView, AlertMemberView } from './views.js';

/**
 * A grouped alert's lines, worded once for Slack and Teams (the local page composes the same words from the
 * templates the server sends it: adapters/local/local-alert-text.ts). Everything is raw: each platform escapes
 * every part as it lays it out. Times come from the view, never from the reader's clock.
 */
export interface AlertRowLine {
  /** ✅ resolved; otherwise the delivery state's mark (⏳ silent, ⚠️ failed). */
  mark: string;
  /** "名前 / Name". */
  name: string;
  resolved: boolean;
  /** Why the copy could not be delivered (the core's code; explained once in `reasons`). Unresolved failed only. */
  code?: string | undefined;
  /** What the platform said, beside the code (raw). */
  detail?: string | undefined;
  /** The rest of the line, in order: state or who resolved it, calls made, who is calling. */
  parts: Bilingual[];
  /** Contacts whose number was wrong (shown under CT.wrongNumbers). */
  wrongNumbers: string[];
}

export interface AlertDigestLines {
  heading: Bilingual;
  /** "解決 2/15 / resolved 2 of 15". */
  resolved: Bilingual;
  rows: AlertRowLine[];
  /** Only when members are left out. */
  more?: Bilingual | undefined;
  /** Each failure reason of a listed member once, in the order first listed, with its explanation. */
  reasons: { code: string; text: Bilingual }[];
  /** Some listed member has a wrong number: the directory needs fixing. */
  fixDirectory: boolean;
  asOf: Bilingual;
  /** For notifications: heading, advisory, progress (raw, one line). */
  summary: string;
}

const labelled = (label: Bilingual, value: string): Bilingual => ({ ja: `${label.ja}: ${value}`, en: `${label.en}: ${value}` });

export function alertHeading(view: Pick<AlertDigestView, 'alert' | 'total' | 'wave'>): Bilingual {
  return view.alert === 'escalation' ? AD.escalationHeading(view.total, view.wave) : AD.failedHeading(view.total);
}

export function alertRowLine(alert: AlertDigestView['alert'], m: AlertMemberView): AlertRowLine {
  const name = both(m.memberName);
  if (m.resolved) {
    return {
      mark: '✅',
      name,
      resolved: true,
      parts: [AD.resolvedBy(m.resolved.by, formatTokyo(m.resolved.at), m.resolved.via)],
      wrongNumbers: m.wrongNumbers,
    };
  }
  const failed = alert === 'failed' || m.state === 'failed';
  const parts: Bilingual[] = [];
  if (!failed || m.reason === undefined) parts.push(STATE_TEXT[m.state]);
  // The phone side: always for a silent member (the ladder ran), for a failed one only once someone is on it.
  if (!failed || m.attempts > 0 || m.claimedBy !== undefined) {
    parts.push(labelled(CT.attempts, String(m.attempts)));
    parts.push(m.claimedBy !== undefined ? labelled(CT.heldBy, m.claimedBy) : { ja: `${CT.heldBy.ja}: ${CT.nobody.ja}`, en: `${CT.heldBy.en}: ${CT.nobody.en}` });
  }
  return {
    mark: STATE_MARK[m.state],
    name,
    resolved: false,
    code: failed ? m.reason : undefined,
    detail: failed && m.reason !== undefined ? m.detail : undefined,
    parts,
    wrongNumbers: m.wrongNumbers,
  };
}

export function alertDigestLines(view: AlertDigestView): AlertDigestLines {
  const heading = alertHeading(view);
  const resolved = AD.resolvedOf(view.resolved, view.total);
  const rows = view.members.map((m) => alertRowLine(view.alert, m));
  const reasons: { code: string; text: Bilingual }[] = [];
  for (const r of rows) {
    if (r.code === undefined || reasons.some((x) => x.code === r.code)) continue;
    reasons.push({ code: r.code, text: failureText(r.code) ?? CT.unknownFailure });
  }
  return {
    heading,
    resolved,
    rows,
    more: view.more > 0 ? AD.more(view.more) : undefined,
    reasons,
    fixDirectory: rows.some((r) => r.wrongNumbers.length > 0),
    asOf: AD.asOf(formatTokyo(view.asOf)),
    summary: `${both(heading)}: ${view.advisoryId} ${view.title} (${both(resolved)})`,
  };
}
