import type { KnownBlock } from '@slack/types';
import { both, formatTokyo, stacked } from '../../src/i18n/text.js';
import { earlierNotShownText, THREAD_TEXT } from '../../src/i18n/thread-text.js';
import type { ThreadMessageView, ThreadView } from '../../src/view/thread-view.js';
import type { StatusRow } from '../../src/view/views.js';
import { context, fallback, header, MAX_BLOCKS, mrkdwnSection, name, tlpLine, type RenderedMessage } from './block-elements.js';
import { escapeMrkdwn, SECTION_TEXT_MAX, truncateMrkdwn, truncatePlain } from './mrkdwn.js';

/** The status message's menu that opens one member's thread (its value: the delivery id). */
export const THREAD_ACTION_ID = 'advisory_thread';
/** Slack's limit for a static select. */
const OPTIONS_MAX = 100;
const OPTION_TEXT_MAX = 75;
/** Room for what an earlier text said, under the message. */
const EARLIER_MAX = 600;

const e = escapeMrkdwn;

/** The menu under the status: one option per member who wrote in their thread, most replies first. */
export function threadMenu(rows: readonly StatusRow[]): KnownBlock | undefined {
  const withReplies = rows.filter((r) => r.replies !== undefined && r.replies.count + r.replies.deleted > 0);
  if (withReplies.length === 0) return undefined;
  const options = withReplies
    .map((r) => ({ r, n: (r.replies?.count ?? 0) + (r.replies?.deleted ?? 0) }))
    .sort((a, b) => b.n - a.n || a.r.memberId.localeCompare(b.r.memberId))
    .slice(0, OPTIONS_MAX)
    .map(({ r, n }) => ({
      text: { type: 'plain_text' as const, text: truncatePlain(`${r.memberName.ja} (${n})`, OPTION_TEXT_MAX), emoji: false },
      value: r.deliveryId,
    }));
  return {
    type: 'actions',
    block_id: 'advisory_thread',
    elements: [{ type: 'static_select', action_id: THREAD_ACTION_ID, placeholder: { type: 'plain_text', text: `💬 ${both(THREAD_TEXT.readThread)}` }, options }],
  };
}

/** One member's thread, newest last; the oldest are left out when they do not fit in one message. */
export function renderThread(view: ThreadView): RenderedMessage {
  const title = `💬 ${name(view.memberName)} — ${view.advisoryId} ${view.title}`;
  const text = fallback(view.tlp, view.drill, e(title));
  const top: KnownBlock[] = [header(truncatePlain(title, 150)), context([tlpLine(view.tlp), e(both(THREAD_TEXT.thread))].join('  ·  '))];
  if (view.messages.length === 0) return { text, blocks: [...top, mrkdwnSection(e(stacked(THREAD_TEXT.noReplies)))] };
  const room = MAX_BLOCKS - top.length - 1;
  const shown = view.messages.slice(-room);
  const left = view.messages.length - shown.length;
  return {
    text,
    blocks: [...top, ...(left > 0 ? [context(e(both(earlierNotShownText(left))))] : []), ...shown.map(messageBlock)],
  };
}

function messageBlock(m: ThreadMessageView): KnownBlock {
  const marks = [
    ...(m.edited ? [`✏️ ${e(both(THREAD_TEXT.edited))} ${e(formatTokyo(m.edited.at))}`] : []),
    ...(m.deleted ? [`🗑️ ${e(both(THREAD_TEXT.deleted))} ${e(formatTokyo(m.deleted.at))}`] : []),
    ...(m.missedOriginal ? [`⚠️ ${e(both(THREAD_TEXT.missedOriginal))}`] : []),
  ];
  const head = `*${e(m.by)}*  ${e(formatTokyo(m.at))}${marks.length > 0 ? `  ·  ${marks.join('  ·  ')}` : ''}`;
  const earlier = (m.edited?.earlier ?? [])
    .filter((x) => x.text !== '')
    .map((x) => `_${e(both(THREAD_TEXT.before))} (${e(formatTokyo(x.at))})_: ${e(truncatePlain(x.text, EARLIER_MAX))}`);
  const budget = SECTION_TEXT_MAX - head.length - earlier.join('\n').length - 8;
  const body = quote(e(truncatePlain(m.text, Math.max(budget, 200))));
  const full = [head, body, ...earlier].filter((s) => s !== '').join('\n');
  return mrkdwnSection(truncateMrkdwn(full, SECTION_TEXT_MAX));
}

/** Every line of the member's text as a quote, so it reads as theirs and not the bot's. */
function quote(text: string): string {
  return text === '' ? '' : text.split('\n').map((l) => `>${l}`).join('\n');
}
