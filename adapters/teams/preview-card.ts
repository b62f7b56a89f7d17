import { issuedPendingText } from '../../src/i18n/chat-text.js';
import { alreadySentText, moreProblemsText, PREVIEW_TEXT } from '../../src/i18n/preview-text.js';
import { both, stacked, type Bilingual } from '../../src/i18n/text.js';
import { previewLines, type PreviewView } from '../../src/view/preview-view.js';
import { advisoryCard } from './advisory-card.js';
import { card, heading, small, textBlock, type AdaptiveCard, type CardAction, type CardElement } from './card-elements.js';
import { escapeCardText } from './card-text.js';
import { issuedText } from './teams-text.js';

/**
 * The preview the advisory form card answers with (Action.Execute returns it in place of the form): what would
 * be sent — classification, recipients per platform, who would not get it and why, and the message as members
 * will see it — with Send and Back. Both buttons carry what was entered (a card keeps no state of its own):
 * Send with the digest of this preview, so what is sent is what was shown; Back to fill the form in again.
 */
export const ADVISORY_SEND_VERB = 'advisory_send';
export const ADVISORY_BACK_VERB = 'advisory_back';
/** Problems listed one by one; the rest are counted. */
const PROBLEMS_SHOWN = 20;

const e = escapeCardText;
const line = (t: Bilingual): string => e(both(t));

/** What Send and Back carry: the form's key and its entries as the form submitted them (strings by input id). */
export interface FormCarry {
  formKey: string;
  values: Record<string, string>;
}

export function previewCard(preview: PreviewView, carry: FormCarry, changed = false): AdaptiveCard {
  const l = previewLines(preview);
  const body: CardElement[] = [];
  if (changed) body.push({ type: 'Container', style: 'attention', items: [textBlock(`⚠️ ${e(stacked(PREVIEW_TEXT.changed))}`, { weight: 'bolder' })] });
  body.push(heading(line(l.heading)), small(e(stacked(l.intro))), {
    type: 'FactSet',
    facts: l.facts.map(([label, value]) => ({ title: line(label), value: line(value) })),
  });
  body.push(textBlock(`**${line(PREVIEW_TEXT.recipients)}**`, { spacing: 'medium' }), ...l.recipients.map((r) => textBlock(`• ${line(r)}`, { spacing: 'none' })));
  const problems =
    preview.problems.length === 0
      ? [textBlock(`✅ ${line(l.problems[0]!)}`, { spacing: 'none', color: 'good' })]
      : l.problems.slice(0, PROBLEMS_SHOWN).map((p) => textBlock(`⚠️ ${line(p)}`, { spacing: 'none', color: 'attention' }));
  if (l.problems.length > PROBLEMS_SHOWN) problems.push(textBlock(line(moreProblemsText(l.problems.length - PROBLEMS_SHOWN)), { spacing: 'none' }));
  body.push(textBlock(`**${line(PREVIEW_TEXT.problems)}**`, { spacing: 'medium' }), ...problems);
  // The card the members get, as the delivery renders it, without its acknowledge button.
  body.push(small(`👁 **${line(l.sample)}**`), { type: 'Container', style: 'emphasis', separator: true, items: advisoryCard(preview.message).body }, small(line(l.numberOnSend)));

  const actions: CardAction[] = [
    { type: 'Action.Execute', title: `📣 ${both(PREVIEW_TEXT.send)}`, verb: ADVISORY_SEND_VERB, data: { formKey: carry.formKey, digest: preview.digest, values: carry.values }, style: 'positive' },
    { type: 'Action.Execute', title: `↩ ${both(PREVIEW_TEXT.back)}`, verb: ADVISORY_BACK_VERB, data: { formKey: carry.formKey, values: carry.values } },
  ];
  return card(body, actions);
}

/** What replaces the preview once Send went through: the advisory's id, and whether delivery waits for the queue. */
export function sentCard(result: { advisoryId: string; deliveries: number; created: boolean; queued: boolean }): AdaptiveCard {
  const lines: CardElement[] = [heading(`✅ ${line(PREVIEW_TEXT.sent)}: ${e(result.advisoryId)}`)];
  if (!result.created) lines.push(textBlock(e(stacked(alreadySentText(result.advisoryId)))));
  else lines.push(textBlock(e(result.queued ? issuedText(result.advisoryId, result.deliveries) : stacked(issuedPendingText(result.advisoryId)))));
  return card(lines);
}

