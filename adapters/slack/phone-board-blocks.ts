import type { ActionsBlock, KnownBlock, PlainTextOption } from '@slack/types';
import { both, stacked, T } from '../../src/i18n/text.js';
import { BT } from '../../src/i18n/board-text.js';
import { BOARD_CLAIM_ACTION } from '../../src/view/buttons.js';
import { phoneBoardLines, type BoardRowLine } from '../../src/view/phone-board-lines.js';
import type { PhoneBoardView } from '../../src/view/views.js';
import { BUTTON_MAX, context, drillBanner, fallback, groupRows, MAX_BLOCKS, mrkdwnSection, tlpLine, type RenderedMessage } from './block-elements.js';
import { escapeMrkdwn, truncatePlain } from './mrkdwn.js';

const e = escapeMrkdwn;

/** The claim select on a board page: its action is BOARD_CLAIM_ACTION, each option's value a task id. */
export const BOARD_CLAIM_BLOCK_ID = 'phone_board';
/** Slack: at most 100 options in a static select (a page has 40 rows), each value at most 150 characters. */
const OPTIONS_MAX = 100;
const VALUE_MAX = 150;

/** One task: "⚪ *名前 / Name* — 架電 0/3 件 / tried 0 of 3 · 15:04 から / due 15:04". Escaped; an ended one struck through. */
export function boardRowText(r: BoardRowLine): string {
  const name = r.ended ? `~${e(r.name)}~` : `*${e(r.name)}*`;
  return `${r.mark} ${name} — ${r.parts.map((p) => e(both(p))).join(' · ')}`;
}

/**
 * A page of the phone-task board in the on-call channel, edited in place as tasks change: the envelope, the heading
 * with the page (and, on page 1, the whole board's counts), one line per task in sections of a few lines, and a
 * select of the page's open tasks to claim one (the task then comes to the claimer directly).
 */
export function renderPhoneBoard(view: PhoneBoardView): RenderedMessage {
  const l = phoneBoardLines(view);
  const drill = view.drill ? { ja: e(T.drillTag.ja), en: `${e(T.drillTag.en)} ` } : { ja: '', en: '' };
  const head: KnownBlock[] = [context(tlpLine(view.tlp))];
  if (view.drill) head.push(drillBanner());
  head.push(
    mrkdwnSection(`*${drill.ja}${e(l.heading.ja)}* ${e(l.page.ja)}\n*${drill.en}${e(l.heading.en)}* — ${e(l.page.en)}`),
    context(`${e(l.advisory)} · ${e(view.title)}`),
  );
  if (l.counts) head.push(mrkdwnSection(`📊 ${e(stacked(l.counts))}`));

  const tail: KnownBlock[] = [];
  const claim = claimSelect(l.claimable);
  if (claim) tail.push(claim);
  tail.push(context(`${e(both(l.note))} · 🕒 ${e(both(l.asOf))}`));

  // 40 rows in sections of a few lines each stay well inside 50 blocks; the cap is a guard, not a page size.
  const sections = groupRows(l.rows.map(boardRowText)).slice(0, MAX_BLOCKS - head.length - tail.length);
  return { text: fallback(view.tlp, view.drill, e(l.summary)), blocks: [...head, ...sections.map((s) => mrkdwnSection(s.text)), ...tail] };
}

function claimSelect(rows: BoardRowLine[]): ActionsBlock | undefined {
  if (rows.length === 0) return undefined;
  // Task ids are an advisory, a member and a channel id: well inside Slack's limit. One that is not would make Slack
  // refuse the whole page; it is left out of the select (still listed on the page).
  const fits = rows.filter((r) => r.taskId.length <= VALUE_MAX);
  if (fits.length === 0) return undefined;
  const options: PlainTextOption[] = fits.slice(0, OPTIONS_MAX).map((r) => ({
    text: { type: 'plain_text', text: truncatePlain(`${r.mark} ${r.name}`, BUTTON_MAX), emoji: true },
    value: r.taskId,
  }));
  return {
    type: 'actions',
    block_id: BOARD_CLAIM_BLOCK_ID,
    elements: [
      {
        type: 'static_select',
        action_id: BOARD_CLAIM_ACTION,
        placeholder: { type: 'plain_text', text: truncatePlain(both(BT.claimPlaceholder), BUTTON_MAX), emoji: true },
        options,
      },
    ],
  };
}
