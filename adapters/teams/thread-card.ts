import { both, formatTokyo, stacked } from '../../src/i18n/text.js';
import { earlierNotShownText, THREAD_TEXT } from '../../src/i18n/thread-text.js';
import type { ThreadMessageView, ThreadView } from '../../src/view/thread-view.js';
import { card, CARD_MAX_CHARS, envelope, heading, jsonLength, name, small, textBlock, type AdaptiveCard, type CardElement } from './card-elements.js';
import { escapeCardText, truncate } from './card-text.js';

const e = escapeCardText;
/** One message's text in the card: long ones are cut (the export has them whole). */
const MESSAGE_MAX = 2_000;
const EARLIER_MAX = 400;

/** The answer to `advisory thread …`: a member's thread, oldest first, the oldest left out when the card is full. */
export function threadCard(view: ThreadView): AdaptiveCard {
  const body: CardElement[] = [...envelope(view.tlp, view.drill), heading(e(`💬 ${name(view.memberName)}`)), small(e(`${view.advisoryId} ${view.title} · ${both(THREAD_TEXT.thread)}`))];
  if (view.messages.length === 0) return card([...body, textBlock(e(stacked(THREAD_TEXT.noReplies)))]);
  const blocks = view.messages.map(messageBlock);
  // Newest kept: drop from the oldest until the card fits (with room for the "earlier" line).
  let from = 0;
  const fits = (i: number) => jsonLength(card([...body, small('x'.repeat(200)), ...blocks.slice(i)])) <= CARD_MAX_CHARS;
  while (from < blocks.length - 1 && !fits(from)) from += 1;
  return card([...body, ...(from > 0 ? [small(e(both(earlierNotShownText(from))))] : []), ...blocks.slice(from)]);
}

function messageBlock(m: ThreadMessageView): CardElement {
  const marks = [
    ...(m.edited ? [`✏️ ${both(THREAD_TEXT.edited)} ${formatTokyo(m.edited.at)}`] : []),
    ...(m.deleted ? [`🗑️ ${both(THREAD_TEXT.deleted)} ${formatTokyo(m.deleted.at)}`] : []),
    ...(m.missedOriginal ? [`⚠️ ${both(THREAD_TEXT.missedOriginal)}`] : []),
  ];
  const items: CardElement[] = [
    small(`**${e(m.by)}** ${e(formatTokyo(m.at))}${marks.length > 0 ? ` · ${e(marks.join(' · '))}` : ''}`),
    ...(m.text === '' ? [] : [textBlock(e(truncate(m.text, MESSAGE_MAX)), { spacing: 'small' })]),
    ...(m.edited?.earlier ?? [])
      .filter((x) => x.text !== '')
      .map((x) => small(`_${e(both(THREAD_TEXT.before))} (${e(formatTokyo(x.at))})_: ${e(truncate(x.text, EARLIER_MAX))}`)),
  ];
  return { type: 'Container', separator: true, items };
}
