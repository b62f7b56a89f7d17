import { CT, moreNames } from '../../src/i18n/chat-text.js';
import { both, CATEGORY_TEXT, formatTokyo, SEVERITY_TEXT, SOURCE_TEXT, stacked, T, VIA_TEXT } from '../../src/i18n/text.js';
import type { AdvisoryView } from '../../src/view/views.js';
import {
  ADVISORY_ACK_VERB,
  card,
  CARD_MAX_CHARS,
  envelope,
  execute,
  factSet,
  heading,
  jsonLength,
  name,
  small,
  textBlock,
  type AdaptiveCard,
  type CardAction,
  type CardElement,
} from './card-elements.js';
import { escapeCardText, truncate } from './card-text.js';
import { correctionBlocks, replacedCopyCard } from './lifecycle-cards.js';
import { RT } from '../../src/i18n/round-text.js';

/** Action.Execute verb of the acknowledge button; the data carries the delivery id (the handler checks it against the message). */
export { ADVISORY_ACK_VERB } from './card-elements.js';
const ALSO_SEEN_MAX = 20;

const e = escapeCardText;

/**
 * The body as TextBlocks within `room` UTF-16 units of JSON: all of it when it fits, otherwise the longest
 * beginning that fits and a note saying it was cut.
 */
function fittedBody(raw: string, room: number): CardElement[] {
  const full = textBlock(e(raw));
  if (jsonLength(full) + 1 <= room) return [full];
  const note = small(e(stacked(CT.bodyTruncated)));
  const avail = room - jsonLength(note) - 2;
  const fits = (n: number): boolean => jsonLength(textBlock(e(truncate(raw, n)))) <= avail;
  let lo = 0;
  let hi = raw.length - 1;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (fits(mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo > 1 ? [textBlock(e(truncate(raw, lo))), note] : [note];
}

/**
 * The advisory in a member's channel (or a TLP:RED direct message): label, drill banner, title, facts, body,
 * then the acknowledge button, or who acknowledged once someone has.
 */
export function advisoryCard(view: AdvisoryView): AdaptiveCard {
  const replaced = replacedCopyCard(view);
  if (replaced) return replaced;
  const top = envelope(view.tlp, view.drill);
  const head: CardElement[] = [
    heading(e(view.title)),
    factSet([
      [T.severity, e(both(SEVERITY_TEXT[view.severity]))],
      [T.category, e(both(CATEGORY_TEXT[view.category]))],
      [T.source, e(both(SOURCE_TEXT[view.source]))],
      [T.recipient, e(name(view.memberName))],
      [T.ackDeadline, e(formatTokyo(view.ackDeadline))],
    ]),
    ...correctionBlocks(view),
  ];

  const tail: CardElement[] = [];
  if (view.audience === 'direct') {
    tail.push({
      type: 'Container',
      style: 'attention',
      items: [textBlock(`🔒 ${e(T.doNotForward.ja)}`, { weight: 'bolder' }), textBlock(e(T.doNotForward.en), { weight: 'bolder', spacing: 'none' })],
    });
  }
  let actions: CardAction[] | undefined;
  if (view.acknowledged) {
    const a = view.acknowledged;
    tail.push(
      textBlock(`✅ **${e(both(T.acknowledgedBy))}**: ${e(`${a.by} (${formatTokyo(a.at)}, via ${both(VIA_TEXT[a.via])})`)}`, {
        color: 'good',
      }),
    );
    if (view.alsoSeenBy.length > 0) {
      const shown = view.alsoSeenBy.slice(0, ALSO_SEEN_MAX).map((s) => `${s.by} (${formatTokyo(s.at)})`);
      if (view.alsoSeenBy.length > ALSO_SEEN_MAX) shown.push(both(moreNames(view.alsoSeenBy.length - ALSO_SEEN_MAX)));
      tail.push(small(`👀 **${e(both(T.alsoSeenBy))}**: ${e(shown.join(', '))}`));
    }
  }
  if (view.laterRound) {
    // A follow-up asks for acknowledgement now: its button is in the thread, none here (acknowledged or not,
    // what is shown above is the first round's).
    // A TLP:RED copy is in a 1:1 chat, which has no threads: the follow-up came as a later message.
    const pointer = view.audience === 'direct' ? RT.laterRoundBelow(view.laterRound.followup) : RT.laterRound(view.laterRound.followup);
    tail.push(textBlock(`👉 ${e(stacked(pointer))}`, { weight: 'bolder', color: 'accent' }));
  } else if (!view.acknowledged) {
    tail.push(small(e(stacked(T.pleaseAck))));
    actions = [execute(T.ackButton, ADVISORY_ACK_VERB, { deliveryId: view.deliveryId }, 'positive')];
  }
  tail.push(small(e(`${view.advisoryId} · ${both(CT.issued)}: ${formatTokyo(view.issuedAt)}`)));

  const room = CARD_MAX_CHARS - jsonLength(card([...top, ...head, ...tail], actions));
  return card([...top, ...head, ...fittedBody(view.body, room), ...tail], actions);
}
