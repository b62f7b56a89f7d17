import { BT } from '../i18n/board-text.js';
import { triedOfText } from '../i18n/phone-text.js';
import { both, formatTokyo, SEVERITY_TEXT, T, type Bilingual } from '../i18n/text.js';
import type { PhoneBoardRowView, PhoneBoardView } from './views.js';

/**
 * A board page's lines, worded once for every platform. Everything is raw: each platform escapes every part as it
 * lays it out. Times come from the view, never from the reader's clock.
 */
export interface BoardRowLine {
  taskId: string;
  /** ⚪ open, ⚠ overdue, 📞 claimed, ✅ reached, ☑️ acknowledged, ✖️ cancelled. */
  mark: string;
  /** "名前 / Name". */
  name: string;
  /** Open and nobody on it: it can be claimed. */
  claimable: boolean;
  /** Done or cancelled: shown quietly. */
  ended: boolean;
  /** The rest of the line, in order. */
  parts: Bilingual[];
}

export interface BoardLines {
  heading: Bilingual;
  /** "ADV-2026-0042 · 深刻度 / Severity: レベル4 危機 / Level 4 Critical". */
  advisory: string;
  page: Bilingual;
  counts?: Bilingual | undefined;
  rows: BoardRowLine[];
  /** The rows that can be claimed from this page, in board order. */
  claimable: BoardRowLine[];
  /** Under the rows: how to work the board, nothing left to claim, or the advisory ended. */
  note: Bilingual;
  asOf: Bilingual;
  /** For notifications: heading, advisory, page (raw, one line). */
  summary: string;
}

export function boardRowLine(r: PhoneBoardRowView): BoardRowLine {
  const name = both(r.memberName);
  const ended = r.state === 'done' || r.state === 'cancelled';
  const parts: Bilingual[] = [];
  if (r.round !== undefined) parts.push(BT.round(r.round));
  let mark: string;
  if (ended) {
    if (r.resolution?.kind === 'reached') {
      mark = '✅';
      parts.push(BT.reachedBy(r.resolution.by));
    } else if (r.resolution?.kind === 'acknowledged_elsewhere') {
      mark = '☑️';
      parts.push(BT.acknowledged);
    } else {
      mark = '✖️';
      parts.push(BT.cancelled);
    }
  } else {
    mark = r.claimedBy !== undefined ? '📞' : r.overdueSince !== undefined ? '⚠' : '⚪';
    if (r.claimedBy !== undefined) parts.push(BT.onIt(r.claimedBy));
    else if (r.overdueSince !== undefined) parts.push(BT.overdue);
    parts.push(triedOfText(r.tried, r.contacts));
    if (r.exhausted) parts.push(BT.exhausted);
    parts.push(BT.due(formatTokyo(r.dueAt)));
  }
  return { taskId: r.taskId, mark, name, claimable: r.state === 'open', ended, parts };
}

export function phoneBoardLines(view: PhoneBoardView): BoardLines {
  const rows = view.rows.map(boardRowLine);
  const claimable = view.closed ? [] : rows.filter((r) => r.claimable);
  const page = BT.page(view.page, view.page === 1 ? view.pages : undefined);
  const advisory = `${view.advisoryId} · ${both(T.severity)}: ${both(SEVERITY_TEXT[view.severity])}`;
  const note = view.closed ? BT.closed : claimable.length === 0 ? BT.nothingToClaim : BT.howTo;
  return {
    heading: BT.heading,
    advisory,
    page,
    counts: view.counts ? BT.counts(view.counts) : undefined,
    rows,
    claimable,
    note,
    asOf: BT.asOf(formatTokyo(view.asOf)),
    summary: `${both(BT.heading)} — ${view.advisoryId} ${view.title} (${both(page)})`,
  };
}
