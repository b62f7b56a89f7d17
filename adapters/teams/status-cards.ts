import { TLP_LEVELS } from '../../src/domain/classification.js';
import { CT, moreRows } from '../../src/i18n/chat-text.js';
import { contactText, oncallGroupText, openTasksText, OVERDUE_TEXT, phoneAckText, triedOfText } from '../../src/i18n/phone-text.js';
import { both, formatTokyo, SEVERITY_TEXT, stacked, STATE_TEXT, T, VIA_TEXT } from '../../src/i18n/text.js';
import type { OncallListView, OncallTaskView, StatusRow, StatusView } from '../../src/view/views.js';
import {
  card,
  CARD_MAX_CHARS,
  envelope,
  factSet,
  heading,
  jsonLength,
  name,
  small,
  taskState,
  textBlock,
  tlpLabel,
  type AdaptiveCard,
  type CardElement,
} from './card-elements.js';
import { RT } from '../../src/i18n/round-text.js';
import { escapeCardText, truncate } from './card-text.js';
import { TT } from './teams-text.js';
import { repliesText, THREAD_TEXT } from '../../src/i18n/thread-text.js';
import { STATE_MARK, TLP_SQUARE } from '../../src/view/marks.js';
// Rows arrive in this order from the core; the card keeps it even for rows built elsewhere.
import { STATUS_ORDER } from '../../src/view/build.js';
import { everyoneCommandText, linkValidText, moreExceptionsText, SV } from '../../src/i18n/status-view-text.js';
import type { ExportLink } from '../../src/view/export-view.js';

/** Status and on-call rows: enough to scan, then a "N more" line (the export has them all). */
export const ROWS_MAX = 100;
/** Rows per TextBlock: fewer elements, less JSON per row. */
const ROWS_PER_BLOCK = 10;
const STATUS_LINE_MAX = 400;


const e = escapeCardText;

/** Escaped lines packed ROWS_PER_BLOCK to a TextBlock. */
function rowBlocks(lines: string[]): CardElement[] {
  const blocks: CardElement[] = [];
  for (let i = 0; i < lines.length; i += ROWS_PER_BLOCK) {
    blocks.push(textBlock(lines.slice(i, i + ROWS_PER_BLOCK).join('\n\n'), { spacing: 'small' }));
  }
  return blocks;
}

/** As many rows as ROWS_MAX and `room` allow, then "N more" (which always fits: room is reserved for it). */
function fittedRows(lines: string[], room: number, total = lines.length): CardElement[] {
  // `total`: the rows there are in all (the core may have given one page of them).
  const more = (n: number): CardElement => small(`➕ ${e(stacked(moreRows(n + total - lines.length)))}`);
  if (lines.length === total && lines.length <= ROWS_MAX && jsonLength(rowBlocks(lines)) <= room) return rowBlocks(lines);
  const fits = (n: number): boolean => jsonLength([...rowBlocks(lines.slice(0, n)), more(lines.length - n)]) <= room;
  let lo = 0;
  let hi = Math.min(lines.length, ROWS_MAX);
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (fits(mid)) lo = mid;
    else hi = mid - 1;
  }
  return [...rowBlocks(lines.slice(0, lo)), more(lines.length - lo)];
}

// ---------------------------------------------------------------------------------------------------------------

/** Where an unacknowledged member is on the escalation ladder; raw (escape the result). */
function ladderText(row: StatusRow): string {
  const parts: string[] = [];
  const l = row.ladder;
  const t = row.phoneTask;
  if (l?.kind === 'reminder' && t === undefined) parts.push(`⏰ ${both(CT.reminderSent)} (${formatTokyo(l.at)})`);
  if (t !== undefined) {
    const state = taskState(t.state, t.claimedBy);
    const k = triedOfText(t.tried, t.contacts);
    const step = CT.phoneStep;
    const tried = t.exhausted ? CT.allTried : undefined;
    const overdue = t.overdue ? OVERDUE_TEXT : undefined;
    parts.push(
      `📞 ${step.ja}: ${state.ja}、${k.ja}${overdue ? `、${overdue.ja}` : ''}${tried ? `、⚠️ ${tried.ja}` : ''}` +
        ` / ${step.en}: ${state.en}, ${k.en}${overdue ? `, ⚠ ${overdue.en}` : ''}${tried ? `, ⚠️ ${tried.en}` : ''}`,
    );
  } else if (l !== undefined && (l.kind === 'phone' || l.kind === 'next-contact')) {
    parts.push(`📞 ${both(CT.phoneStep)}`);
  }
  if (l?.kind === 'alert') parts.push(`🚨 ${both(CT.secretariatAlerted)} (${formatTokyo(l.at)})`);
  return parts.join(' · ');
}

function statusLine(row: StatusRow): string {
  const parts = [both(STATE_TEXT[row.state])];
  if (row.via === 'phone' && row.reachedContact !== undefined) {
    // Who called and whom they reached: the record an auditor asks for.
    const when = row.acknowledgedAt !== undefined ? ` (${formatTokyo(row.acknowledgedAt)})` : '';
    parts.push(`📞 ${both(phoneAckText(row.acknowledgedBy ?? '?', contactText(row.reachedContact)))}${when}`);
  } else if (row.acknowledgedBy !== undefined || row.acknowledgedAt !== undefined) {
    const when = row.acknowledgedAt !== undefined ? formatTokyo(row.acknowledgedAt) : '';
    const via = row.via !== undefined ? `via ${both(VIA_TEXT[row.via])}` : '';
    const detail = [when, via].filter((s) => s !== '').join(', ');
    parts.push(`${row.acknowledgedBy ?? ''}${detail !== '' ? ` (${detail})` : ''}`.trim());
  }
  if (row.failure !== undefined) parts.push(row.failure);
  if (row.state !== 'acknowledged') {
    const ladder = ladderText(row);
    if (ladder !== '') parts.push(ladder);
  }
  // The member's own words come last, so a long reply is what gets cut.
  const replies = repliesLine(row);
  if (replies !== undefined) parts.push(replies);
  // A single absurdly long name must not make one row the size of a page.
  const member = e(truncate(name(row.memberName), 120));
  return `${STATE_MARK[row.state]} **${member}** — ${e(truncate(parts.join(' — '), STATUS_LINE_MAX))}`;
}

/** "💬 返信 2 件 / 2 replies: 佐藤 (…) “影響なしでした”"; raw (escape the result). */
function repliesLine(row: StatusRow): string | undefined {
  const r = row.replies;
  if (!r) return undefined;
  const count = `💬 ${both(repliesText(r.count, r.deleted))}`;
  const l = r.latest;
  if (!l) return count;
  return `${count}: ${l.by} (${formatTokyo(l.at)}${l.edited ? `, ${both(THREAD_TEXT.edited)}` : ''}) “${l.firstLine}”`;
}

/** The answer to `advisory status <id>`: counts, then members, unacknowledged first. */
export function statusCard(view: StatusView): AdaptiveCard {
  const c = view.counts;
  const body: CardElement[] = [
    ...envelope(view.tlp, view.drill),
    heading(e(`${view.advisoryId} ${view.title}`)),
    small(
      e(
        [
          both(SEVERITY_TEXT[view.severity]),
          `${both(CT.issued)}: ${formatTokyo(view.issuedAt)}`,
          `${both(T.ackDeadline)}: ${formatTokyo(view.ackDeadline)}`,
        ].join('  ·  '),
      ),
    ),
    // A follow-up asks for acknowledgement now: the counts, the rows and the deadline above are its round's.
    ...(view.round ? [textBlock(`📣 ${e(stacked(RT.round(view.round.n, view.round.followup, formatTokyo(view.round.since))))}`, { weight: 'bolder' })] : []),
    factSet([
      [CT.total, String(c.total)],
      [STATE_TEXT.acknowledged, String(c.acknowledged)],
      [STATE_TEXT.posted, String(c.posted)],
      [STATE_TEXT.queued, String(c.queued)],
      [STATE_TEXT.failed, String(c.failed)],
    ]),
  ];
  if (view.rows.length === 0) {
    body.push(textBlock(e(both(CT.noRows))));
    return card(body);
  }
  const rows = view.rows
    .map((row, i) => ({ row, i }))
    .sort((a, b) => STATUS_ORDER[a.row.state] - STATUS_ORDER[b.row.state] || a.i - b.i)
    .map(({ row }) => statusLine(row));
  // How to read a whole thread, when someone wrote in one.
  const first = view.rows.find((r) => r.replies !== undefined);
  if (first) body.push(small(e(`💬 ${both(THREAD_TEXT.readThread)}: advisory thread ${view.advisoryId} ${first.memberId}`)));
  const room = CARD_MAX_CHARS - jsonLength(card(body)) - 1;
  return card([...body, ...fittedRows(rows, room, view.page?.matching ?? rows.length)]);
}

/** The rows `advisory status` lists in a chat: the exceptions (failed, then silent), at most this many. */
export const EXCEPTIONS_MAX = 20;

const isException = (row: StatusRow): boolean => row.state === 'failed' || row.state === 'posted' || row.state === 'queued';

/** A markdown link whose label is escaped and whose URL cannot end the link early. */
const mdLink = (label: string, url: string): string => `[${e(label)}](${url.replace(/[()\s]/g, (ch) => encodeURIComponent(ch))})`;

/**
 * The answer to `advisory status <id>` at sector scale: the counts of everyone, then only the exceptions (failed and
 * silent first, as the core orders them), "ほか N名 / N more", and where everyone's rows are: the export link (CSV)
 * when the bot has a public URL, else the command.
 */
export function statusExceptionsCard(view: StatusView, full: { link?: ExportLink | undefined }): AdaptiveCard {
  const c = view.counts;
  const body = statusCard({ ...view, rows: [] }).body;
  // statusCard with no rows ends with "no deliveries": the exceptions replace it.
  body.pop();
  const rows = view.rows.filter(isException).slice(0, EXCEPTIONS_MAX);
  const exceptions = c.failed + c.posted + c.queued;
  // How to read a whole thread, when someone wrote in one (acknowledged or not).
  const replied = view.rows.find((r) => r.replies !== undefined);
  if (replied) body.push(small(e(`💬 ${both(THREAD_TEXT.readThread)}: advisory thread ${view.advisoryId} ${replied.memberId}`)));
  body.push(textBlock(`**${e(both(SV.exceptions))}**`));
  const tail: CardElement[] = [];
  const url = full.link?.url;
  if (url !== undefined && full.link) {
    tail.push(textBlock(`⬇️ ${mdLink(both(SV.everyone), url)}`), small(e(both(linkValidText(formatTokyo(full.link.expiresAt))))));
  } else {
    tail.push(small(e(both(everyoneCommandText(`advisory export ${view.advisoryId}`)))));
  }
  if (rows.length === 0) {
    body.push(textBlock(`✅ ${e(both(exceptions === 0 ? SV.noExceptions : CT.noRows))}`));
    return card([...body, ...tail]);
  }
  const lines = rows.map(statusLine);
  // The rows that fit the card's size; every exception not listed is counted in "more".
  const more = (n: number): CardElement => small(`➕ ${e(both(moreExceptionsText(n)))}`);
  const room = CARD_MAX_CHARS - jsonLength(card([...body, ...tail, more(exceptions)])) - 1;
  let shown = lines.length;
  while (shown > 0 && jsonLength(rowBlocks(lines.slice(0, shown))) > room) shown -= 1;
  const extra = exceptions - shown;
  return card([...body, ...rowBlocks(lines.slice(0, shown)), ...(extra > 0 ? [more(extra)] : []), ...tail]);
}

// ---------------------------------------------------------------------------------------------------------------

/** One task of the on-call list, under its advisory's heading; escaped. */
function oncallLine(t: OncallTaskView): string {
  const parts = [
    both(taskState(t.state, t.claimedBy)),
    both(triedOfText(t.tried, t.contacts)),
    ...(t.overdueSince !== undefined ? [`${both(OVERDUE_TEXT)} (${formatTokyo(t.overdueSince)})`] : []),
    ...(t.exhausted ? [`⚠️ ${both(CT.allTried)}`] : []),
    formatTokyo(t.dueAt),
  ];
  const member = e(truncate(name(t.memberName), 120));
  return `・ **${member}** — ${e(truncate(parts.join(' — '), STATUS_LINE_MAX))}`;
}

/**
 * The answer to `advisory oncall`: open phone tasks grouped by advisory in the view's order (the most severe advisory
 * first, then the one due first; within one, the task due first), under the most restrictive label among them.
 */
export function oncallListCard(view: OncallListView): AdaptiveCard {
  const total = view.tasks.length;
  if (total === 0) {
    return card([heading(e(`📞 ${both(CT.oncallTitle)}`)), textBlock(`✅ ${e(stacked(CT.oncallEmpty))}`)]);
  }
  const strictest = TLP_LEVELS[Math.min(...view.tasks.map((t) => TLP_LEVELS.indexOf(t.tlp)))] ?? 'TLP:RED';
  const head: CardElement[] = [
    tlpLabel(strictest, TT.tlpMostRestrictive),
    heading(e(`📞 ${both(CT.oncallTitle)} (${both(openTasksText(total))})`)),
  ];
  // Each advisory's heading, then its rows; a row budget shared by all groups, so the card stays within its size.
  const more = (n: number): CardElement => small(`➕ ${e(stacked(moreRows(n)))}`);
  const room = CARD_MAX_CHARS - jsonLength(card([...head, more(total)])) - 1;
  const body: CardElement[] = [];
  let shown = 0;
  for (const g of view.groups) {
    const text = oncallGroupText(g.advisoryId, g.title, g.tasks.length);
    const drill = g.drill ? ` ${e(T.drillTag.ja + T.drillTag.en)}` : '';
    const groupHead = textBlock(
      `${TLP_SQUARE[g.tlp]} **${e(g.tlp)}**${drill} · **${e(both(SEVERITY_TEXT[g.severity]))}**\n\n**${e(truncate(text.ja, STATUS_LINE_MAX))}**\n\n${e(truncate(text.en, STATUS_LINE_MAX))}`,
      { spacing: 'medium', separator: true },
    );
    const left = Math.min(ROWS_MAX - shown, g.tasks.length);
    if (left <= 0) break;
    const budget = room - jsonLength(body) - jsonLength([groupHead]);
    let n = 0;
    for (let k = left; k > 0; k--) {
      if (jsonLength(rowBlocks(g.tasks.slice(0, k).map(oncallLine))) <= budget) {
        n = k;
        break;
      }
    }
    if (n === 0) break;
    body.push(groupHead, ...rowBlocks(g.tasks.slice(0, n).map(oncallLine)));
    shown += n;
    if (n < g.tasks.length) break;
  }
  return card([...head, ...body, ...(shown < total ? [more(total - shown)] : [])]);
}
