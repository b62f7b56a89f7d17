import type { KnownBlock, ModalView } from '@slack/types';
import type { AdvisoryInput } from '../../src/domain/advisory.js';
import { moreProblemsText, PREVIEW_TEXT } from '../../src/i18n/preview-text.js';
import { both, stacked, type Bilingual } from '../../src/i18n/text.js';
import { previewLines, type PreviewView } from '../../src/view/preview-view.js';
import { ACK_BLOCK_ID, renderAdvisoryMessage } from './advisory-blocks.js';
import { formBlocks, type ModalOptions } from './advisory-modal.js';
import { BUTTON_MAX, context, groupRows, mrkdwnSection } from './block-elements.js';
import { escapeMrkdwn, truncatePlain } from './mrkdwn.js';
import { ST } from './slack-text.js';

/**
 * The confirmation step of the advisory modal: the form's submit answers with this view (response_action
 * "update"), which shows what would be sent — the classification, the recipients per platform, who would not
 * get it and why, and the message as members will see it — above the form's own inputs, filled in.
 *
 * The inputs stay because they are the only place a Slack modal can carry what was entered: private_metadata
 * holds 3,000 characters, less than a full body with its title, and a pushed view is submitted without the
 * state of the view under it. So "送信 / Send" submits the entries themselves, validated again, and sends
 * only if they still give the preview's digest; "戻る / Back" shows the plain form with the same entries.
 */
export const ADVISORY_CONFIRM_CALLBACK = 'advisory_confirm';
export const PREVIEW_BACK_ACTION = 'advisory_preview_back';
const PREVIEW_BACK_BLOCK = 'advisory_preview_back';
/** Problems listed one by one; the rest are counted (a sector of 1,800 may have many without a channel). */
const PROBLEMS_SHOWN = 20;
/** A modal holds at most 100 blocks; the form needs at most 12, the preview's own lines about 10. */
const MESSAGE_BLOCKS_MAX = 60;

const e = escapeMrkdwn;
const line = (t: Bilingual): string => e(both(t));

/** What the confirm view keeps besides the entries: the digest of the preview the secretariat saw. */
export interface ConfirmMetadata {
  digest: string;
}

export function confirmMetadata(privateMetadata: string | undefined): ConfirmMetadata | null {
  try {
    const m = JSON.parse(privateMetadata ?? '') as unknown;
    const digest = m !== null && typeof m === 'object' ? (m as Record<string, unknown>)['digest'] : undefined;
    return typeof digest === 'string' ? { digest } : null;
  } catch {
    return null;
  }
}

/** The preview's own blocks: heading, Back, facts, recipients, problems, and the message as members will see it. */
export function previewBlocks(preview: PreviewView, changed = false): KnownBlock[] {
  const l = previewLines(preview);
  const blocks: KnownBlock[] = [];
  if (changed) blocks.push(mrkdwnSection(`⚠️ *${e(l.heading.ja)}*: ${line(PREVIEW_TEXT.changed)}`));
  blocks.push(
    { type: 'header', text: { type: 'plain_text', text: truncatePlain(both(l.heading), 150), emoji: true } },
    context(e(stacked(l.intro))),
    {
      type: 'actions',
      block_id: PREVIEW_BACK_BLOCK,
      elements: [{ type: 'button', action_id: PREVIEW_BACK_ACTION, text: { type: 'plain_text', text: truncatePlain(`↩ ${both(PREVIEW_TEXT.back)}`, BUTTON_MAX), emoji: true }, value: 'back' }],
    },
    { type: 'section', fields: l.facts.map(([label, value]) => ({ type: 'mrkdwn' as const, text: `*${line(label)}*\n${line(value)}`, verbatim: true })) },
    mrkdwnSection(`*${line(PREVIEW_TEXT.recipients)}*\n${l.recipients.map((r) => `• ${line(r)}`).join('\n')}`),
  );
  const problems = preview.problems.length === 0 ? [`✅ ${line(l.problems[0]!)}`] : l.problems.slice(0, PROBLEMS_SHOWN).map((p) => `⚠️ ${line(p)}`);
  if (l.problems.length > PROBLEMS_SHOWN) problems.push(e(both(moreProblemsText(l.problems.length - PROBLEMS_SHOWN))));
  groupRows(problems).forEach((g, i) => blocks.push(mrkdwnSection(i === 0 ? `*${line(PREVIEW_TEXT.problems)}*\n${g.text}` : g.text)));

  // The message exactly as the delivery posts it, the attachment's blocks inline (a modal has no colour bar),
  // without its acknowledge button: nothing in the preview can be pressed as if it had been sent.
  const message = renderAdvisoryMessage(preview.message);
  const messageBlocks = [...message.blocks, ...message.attachments.flatMap((a) => (a.blocks ?? []) as KnownBlock[])].filter((b) => b.block_id !== ACK_BLOCK_ID);
  blocks.push({ type: 'divider' }, context(`👁 *${line(l.sample)}*`), ...messageBlocks.slice(0, MESSAGE_BLOCKS_MAX), context(line(l.numberOnSend)), { type: 'divider' });
  return blocks;
}

/**
 * The confirmation view: the preview, then the form filled in with `entered` (edit there and Send shows the
 * preview again). Same view id as the form, so the idempotency key of the send is the form's.
 */
export function buildConfirmView(preview: PreviewView, options: ModalOptions, entered: AdvisoryInput, changed = false): ModalView {
  return {
    type: 'modal',
    callback_id: ADVISORY_CONFIRM_CALLBACK,
    private_metadata: JSON.stringify({ digest: preview.digest } satisfies ConfirmMetadata),
    title: { type: 'plain_text', text: truncatePlain(both(ST.modalTitle), 24), emoji: true },
    submit: { type: 'plain_text', text: truncatePlain(both(PREVIEW_TEXT.send), 24), emoji: true },
    close: { type: 'plain_text', text: truncatePlain(both(ST.modalClose), 24), emoji: true },
    blocks: [...previewBlocks(preview, changed), context(`✏️ *${line(PREVIEW_TEXT.entries)}*`), ...formBlocks(options, entered)],
  };
}

/** A short view for a refusal or failure, pushed over the form so closing it returns to what was entered. */
export function messageView(text: string): ModalView {
  return {
    type: 'modal',
    title: { type: 'plain_text', text: truncatePlain(both(ST.modalTitle), 24), emoji: true },
    close: { type: 'plain_text', text: truncatePlain(both(PREVIEW_TEXT.back), 24), emoji: true },
    blocks: [mrkdwnSection(text)],
  };
}
