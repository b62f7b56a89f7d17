import type { KnownBlock } from '@slack/types';
import { AD } from '../../src/i18n/alert-text.js';
import { CT } from '../../src/i18n/chat-text.js';
import { both, stacked, T } from '../../src/i18n/text.js';
import { alertDigestLines, type AlertRowLine } from '../../src/view/alert-digest-lines.js';
import type { AlertDigestView } from '../../src/view/views.js';
import { context, drillBanner, fallback, field, groupRows, MAX_BLOCKS, mrkdwnSection, tlpLine, type RenderedMessage } from './block-elements.js';
import { escapeMrkdwn } from './mrkdwn.js';

const e = escapeMrkdwn;

/** One member: "⏳ *名前 / Name* — 未確認 / Not acknowledged · 電話の試行回数: 3 / Call attempts: 3 · …". Escaped. */
export function alertRowText(r: AlertRowLine): string {
  const code = r.code !== undefined ? [`\`${e(r.code)}\`${r.detail !== undefined ? ` (${e(r.detail)})` : ''}`] : [];
  const parts = [...code, ...r.parts.map((p) => e(both(p)))];
  if (r.wrongNumbers.length > 0) parts.push(`📵 ${e(both(CT.wrongNumbers))}: ${r.wrongNumbers.map(e).join(', ')}`);
  return `${r.mark} *${e(r.name)}* — ${parts.join(' · ')}`;
}

/**
 * The grouped alert in the secretariat channel (one per advisory and wave, edited in place as members resolve):
 * the envelope, the heading, the advisory, how many are resolved, one line per listed member in sections of a few
 * lines (Slack: at most 50 blocks, 3,000 characters a section), how many are left out, each failure reason once,
 * and when it was read.
 */
export function renderAlertDigest(view: AlertDigestView): RenderedMessage {
  const l = alertDigestLines(view);
  const drill = view.drill ? { ja: e(T.drillTag.ja), en: `${e(T.drillTag.en)} ` } : { ja: '', en: '' };
  const head: KnownBlock[] = [context(tlpLine(view.tlp))];
  if (view.drill) head.push(drillBanner());
  head.push(
    // A drill says so in the heading too (the banner above may be scrolled away in a long list).
    mrkdwnSection(`*${drill.ja}${e(l.heading.ja)}*\n*${drill.en}${e(l.heading.en)}*`),
    { type: 'section', fields: [field(CT.advisoryId, e(view.advisoryId)), field(CT.title, e(view.title))] },
    mrkdwnSection(`📊 *${e(both(l.resolved))}*`),
  );

  const tail: KnownBlock[] = [];
  if (l.reasons.length > 0) {
    const lines = l.reasons.map((r) => `\`${e(r.code)}\`: ${e(stacked(r.text))}`);
    tail.push(...groupRows([`*${e(both(CT.reason))}*`, ...lines]).map((s) => mrkdwnSection(s.text)));
  }
  if (l.fixDirectory) tail.push(context(`📵 ${e(stacked(CT.fixDirectory))}`));
  tail.push(context(`🕒 ${e(both(l.asOf))}`));

  // The member lines fill what the heading and the tail leave, with one block kept for "and N more".
  const sections = groupRows(l.rows.map(alertRowText));
  const room = MAX_BLOCKS - head.length - tail.length - 1;
  const kept = sections.slice(0, Math.max(0, room));
  const shown = kept.reduce((k, s) => k + s.rows, 0);
  const more = view.more + (l.rows.length - shown);
  const body: KnownBlock[] = kept.map((s) => mrkdwnSection(s.text));
  if (more > 0) body.push(context(`➕ ${e(both(AD.more(more)))}`));

  return { text: fallback(view.tlp, view.drill, e(l.summary)), blocks: [...head, ...body, ...tail] };
}
