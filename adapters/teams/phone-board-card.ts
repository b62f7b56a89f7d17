import { BT } from '../../src/i18n/board-text.js';
import { moreNames } from '../../src/i18n/chat-text.js';
import { both, stacked, T, type Bilingual } from '../../src/i18n/text.js';
import { BOARD_CLAIM_ACTION } from '../../src/view/buttons.js';
import { phoneBoardLines, type BoardRowLine } from '../../src/view/phone-board-lines.js';
import type { PhoneBoardView } from '../../src/view/views.js';
import { card, CARD_MAX_CHARS, envelope, execute, fallback, jsonLength, small, textBlock, type AdaptiveCard, type CardElement } from './card-elements.js';
import { escapeCardText, truncate } from './card-text.js';

const e = escapeCardText;

/** Action.Execute verb of the board's claim button; the chosen task id arrives in the data as BOARD_CLAIM_INPUT. */
export const BOARD_CLAIM_VERB = BOARD_CLAIM_ACTION;
/** The id of the board's Input.ChoiceSet: Teams merges its value into the Action.Execute data under this key. */
export const BOARD_CLAIM_INPUT = 'taskId';

/** Task lines per TextBlock: few elements (a compact card), short enough to read. */
const ROWS_PER_BLOCK = 10;
/** A choice's title: a member's name, not a paragraph (plain text, so no escapes count against it). */
const CHOICE_TITLE_MAX = 80;
/**
 * How long a member's name (on a row and in a choice) and each other part of a row (which may carry a caller's name)
 * may be, tried in turn until the page fits Teams' size limit: real names fit the first; only pathological directory
 * entries or display names are cut further.
 */
interface Cut {
  name: number;
  part: number;
}
const CUTS: Cut[] = [
  { name: 120, part: 300 },
  { name: 60, part: 160 },
  { name: 30, part: 100 },
  { name: 12, part: 60 },
];

/**
 * One task: "⚪ **名前 / Name** — 架電 0/3 件 / tried 0 of 3 · 15:04 から / due 15:04". Escaped (cut before escaping, so
 * no escape is split). An ended task's name is not bold (Adaptive Cards have no strike-through); its block is subtle.
 */
export function boardRowText(r: BoardRowLine, cut: Cut = CUTS[0]!): string {
  const name = e(truncate(r.name, cut.name));
  return `${r.mark} ${r.ended ? name : `**${name}**`} — ${r.parts.map((p) => e(truncate(both(p), cut.part))).join(' · ')}`;
}

/** The notification text of a board page, label first (raw: summaries are plain text). */
export function phoneBoardSummary(view: PhoneBoardView): string {
  return fallback(view.tlp, view.drill, phoneBoardLines(view).summary);
}

/** The rows in TextBlocks of at most ROWS_PER_BLOCK lines, a new block where rows turn from working to ended. */
function rowBlocks(rows: BoardRowLine[], cut: Cut): CardElement[] {
  const blocks: CardElement[] = [];
  let run: BoardRowLine[] = [];
  const flush = () => {
    if (run.length === 0) return;
    const ended = run[0]!.ended;
    blocks.push(textBlock(run.map((r) => boardRowText(r, cut)).join('\n\n'), { spacing: blocks.length === 0 ? 'medium' : 'small', ...(ended ? { isSubtle: true } : {}) }));
    run = [];
  };
  for (const r of rows) {
    if (run.length >= ROWS_PER_BLOCK || (run.length > 0 && run[0]!.ended !== r.ended)) flush();
    run.push(r);
  }
  flush();
  return blocks;
}

/**
 * The claim control: a compact choice of the page's open tasks (the task id as the value, the member's name as the
 * title) and the button that claims the chosen one. Teams merges the choice into the button's data as `taskId`.
 */
function claimControl(rows: BoardRowLine[], nameMax: number): CardElement[] {
  if (rows.length === 0) return [];
  return [
    {
      type: 'Input.ChoiceSet',
      id: BOARD_CLAIM_INPUT,
      style: 'compact',
      // Plain text (not Markdown): never escaped.
      placeholder: both(BT.claimPlaceholder),
      isRequired: true,
      errorMessage: both(BT.claimPlaceholder),
      spacing: 'medium',
      choices: rows.map((r) => ({ title: truncate(`${r.mark} ${truncate(r.name, nameMax)}`, CHOICE_TITLE_MAX), value: r.taskId })),
    },
    { type: 'ActionSet', spacing: 'small', actions: [execute(BT.claim, BOARD_CLAIM_VERB, {}, 'positive')] },
  ];
}

/** "【訓練】📞 電話連絡ボード ページ 1/2" (an ideographic space between) over "[DRILL] Phone-task board — page 1 of 2". Raw. */
function headingText(view: PhoneBoardView, heading: Bilingual, page: Bilingual): Bilingual {
  return {
    ja: `${view.drill ? T.drillTag.ja : ''}${heading.ja}\u3000${page.ja}`,
    en: `${view.drill ? `${T.drillTag.en} ` : ''}${heading.en} — ${page.en}`,
  };
}

/**
 * A page of the advisory's phone-task board in the on-call channel (one message per page, updated in place as tasks
 * change): the envelope, the heading with the page (a drill says so there too), the advisory, on page 1 the whole
 * board's counts, one line per task ten to a TextBlock, the claim control (none when nothing is left to claim or the
 * advisory has ended), the note and when it was read. Kept under Teams' size limit: long names are cut shorter until
 * the page fits, every task still listed and claimable; only if it still does not are the last rows (and their
 * choices) left out, and counted.
 */
export function phoneBoardCard(view: PhoneBoardView): AdaptiveCard {
  const l = phoneBoardLines(view);
  const head: CardElement[] = [
    ...envelope(view.tlp, view.drill),
    textBlock(e(stacked(headingText(view, l.heading, l.page))), { weight: 'bolder', size: 'medium' }),
    textBlock(`**${e(view.title)}**`, { spacing: 'small' }),
    small(e(l.advisory)),
  ];
  if (l.counts) head.push(textBlock(`📊 ${e(stacked(l.counts))}`, { spacing: 'small' }));
  const note = view.closed ? textBlock(`🏁 ${e(stacked(l.note))}`, { weight: 'bolder', color: 'good' }) : small(e(both(l.note)));
  const tail: CardElement[] = [note, small(`🕒 ${e(both(l.asOf))}`)];

  const build = (cut: Cut, shown: number): AdaptiveCard => {
    const rows = l.rows.slice(0, shown);
    const claimable = new Set(l.claimable.map((r) => r.taskId));
    const more = l.rows.length - shown;
    const body = [
      ...head,
      ...rowBlocks(rows, cut),
      ...(more > 0 ? [small(`➕ ${e(both(moreNames(more)))}`)] : []),
      ...claimControl(rows.filter((r) => claimable.has(r.taskId)), cut.name),
      ...tail,
    ];
    return card(body);
  };
  for (const cut of CUTS) {
    const out = build(cut, l.rows.length);
    if (jsonLength(out) <= CARD_MAX_CHARS) return out;
  }
  const shortest = CUTS[CUTS.length - 1]!;
  let shown = l.rows.length;
  let out = build(shortest, shown);
  while (shown > 0 && jsonLength(out) > CARD_MAX_CHARS) {
    shown -= 1;
    out = build(shortest, shown);
  }
  return out;
}
