import { AD } from '../../src/i18n/alert-text.js';
import { CT } from '../../src/i18n/chat-text.js';
import { both, stacked, T } from '../../src/i18n/text.js';
import { alertDigestLines, type AlertRowLine } from '../../src/view/alert-digest-lines.js';
import type { AlertDigestView } from '../../src/view/views.js';
import { card, CARD_MAX_CHARS, envelope, factSet, jsonLength, small, textBlock, type AdaptiveCard, type CardElement } from './card-elements.js';
import { escapeCardText } from './card-text.js';

const e = escapeCardText;

/** Member lines per TextBlock: few elements (a compact card), short enough to read. */
const ROWS_PER_BLOCK = 10;

/** One member: "⏳ **名前 / Name** — 未確認 / Not acknowledged · 電話の試行回数: 3 / Call attempts: 3 · …". Escaped. */
export function alertRowText(r: AlertRowLine): string {
  const code = r.code !== undefined ? [`${e(r.code)}${r.detail !== undefined ? ` (${e(r.detail)})` : ''}`] : [];
  const parts = [...code, ...r.parts.map((p) => e(both(p)))];
  if (r.wrongNumbers.length > 0) parts.push(`📵 ${e(both(CT.wrongNumbers))}: ${e(r.wrongNumbers.join(', '))}`);
  return `${r.mark} **${e(r.name)}** — ${parts.join(' · ')}`;
}

/** The notification text of a grouped alert (raw: the summary is plain text). */
export function alertDigestSummary(view: AlertDigestView): string {
  return alertDigestLines(view).summary;
}

/**
 * The grouped alert in the secretariat channel (one per advisory and wave, updated in place as members resolve):
 * the envelope, the heading, the advisory, how many are resolved, the listed members a few lines to a TextBlock,
 * how many are left out, each failure reason once, and when it was read. Kept under Teams' size limit: members
 * that would not fit are counted with those the core left out.
 */
export function alertDigestCard(view: AlertDigestView): AdaptiveCard {
  const l = alertDigestLines(view);
  const head: CardElement[] = [
    ...envelope(view.tlp, view.drill),
    // A drill says so in the heading too (the banner above may be scrolled away in a long list).
    textBlock(e(both(view.drill ? { ja: `${T.drillTag.ja}${l.heading.ja}`, en: `${T.drillTag.en} ${l.heading.en}` } : l.heading)), {
      weight: 'bolder',
      size: 'medium',
      color: 'attention',
    }),
    factSet([
      [CT.advisoryId, e(view.advisoryId)],
      [CT.title, e(view.title)],
    ]),
    textBlock(`📊 **${e(both(l.resolved))}**`),
  ];
  const tail: CardElement[] = [];
  if (l.reasons.length > 0) {
    tail.push(textBlock(`**${e(both(CT.reason))}**`, { spacing: 'medium' }));
    for (const r of l.reasons) tail.push(textBlock(`${e(r.code)}: ${e(stacked(r.text))}`, { spacing: 'small' }));
  }
  if (l.fixDirectory) tail.push(small(`📵 ${e(both(CT.fixDirectory))}`));
  tail.push(small(`🕒 ${e(both(l.asOf))}`));

  const rowTexts = l.rows.map(alertRowText);
  const build = (shown: number): AdaptiveCard => {
    const blocks: CardElement[] = [];
    for (let i = 0; i < shown; i += ROWS_PER_BLOCK) {
      blocks.push(textBlock(rowTexts.slice(i, Math.min(shown, i + ROWS_PER_BLOCK)).join('\n\n'), { spacing: i === 0 ? 'medium' : 'small' }));
    }
    const more = view.more + (rowTexts.length - shown);
    if (more > 0) blocks.push(small(`➕ ${e(both(AD.more(more)))}`));
    return card([...head, ...blocks, ...tail]);
  };
  let shown = rowTexts.length;
  let out = build(shown);
  while (shown > 0 && jsonLength(out) > CARD_MAX_CHARS) {
    shown -= 1;
    out = build(shown);
  }
  return out;
}
