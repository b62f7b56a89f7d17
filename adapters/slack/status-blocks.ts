import type { KnownBlock } from '@slack/types';
import { CT, moreRows } from '../../src/i18n/chat-text.js';
import { contactText, oncallGroupText, openTasksText, OVERDUE_TEXT, phoneAckText, triedOfText } from '../../src/i18n/phone-text.js';
import { both, formatTokyo, SEVERITY_TEXT, stacked, STATE_TEXT, T, VIA_TEXT } from '../../src/i18n/text.js';
import type { OncallListView, OncallTaskView, StatusRow, StatusView } from '../../src/view/views.js';
import {
  boldStacked,
  context,
  eb,
  fallback,
  field,
  groupRows,
  header,
  MAX_BLOCKS,
  mrkdwnSection,
  name,
  taskState,
  tlpLine,
  type RenderedMessage,
} from './block-elements.js';
import { RT } from '../../src/i18n/round-text.js';
import { escapeMrkdwn, truncateMrkdwn } from './mrkdwn.js';
import { repliesText, THREAD_TEXT } from '../../src/i18n/thread-text.js';
import { threadMenu } from './thread-blocks.js';
import { STATE_MARK, TLP_SQUARE } from '../../src/view/marks.js';
import { everyoneCommandText, linkValidText, moreExceptionsText, SV } from '../../src/i18n/status-view-text.js';
import type { ExportLink } from '../../src/view/export-view.js';

/** One status line, ladder included. */
const STATUS_LINE_MAX = 400;

const e = escapeMrkdwn;

/** The ephemeral status answer to `/advisory status <id>`. */
export function renderStatus(view: StatusView): RenderedMessage {
  const c = view.counts;
  const text = fallback(
    view.tlp,
    view.drill,
    `${e(view.advisoryId)} ${e(view.title)} — ${e(both(STATE_TEXT.acknowledged))} ${c.acknowledged}/${c.total}`,
  );

  const blocks: KnownBlock[] = [
    header(`${view.advisoryId} ${view.title}`),
    context(
      [
        tlpLine(view.tlp),
        e(both(SEVERITY_TEXT[view.severity])),
        ...(view.drill ? [e(T.drillTag.ja + T.drillTag.en)] : []),
        `${e(both(CT.issued))}: ${e(formatTokyo(view.issuedAt))}`,
        `${e(both(T.ackDeadline))}: ${e(formatTokyo(view.ackDeadline))}`,
      ].join('  ·  '),
    ),
    // A follow-up asks for acknowledgement now: the counts, the rows and the deadline above are its round's.
    ...(view.round ? [mrkdwnSection(`📣 ${boldStacked(RT.round(view.round.n, view.round.followup, formatTokyo(view.round.since)))}`)] : []),
    {
      type: 'section',
      fields: [
        field(CT.total, String(c.total)),
        field(STATE_TEXT.acknowledged, String(c.acknowledged)),
        field(STATE_TEXT.posted, String(c.posted)),
        field(STATE_TEXT.queued, String(c.queued)),
        field(STATE_TEXT.failed, String(c.failed)),
      ],
    },
    { type: 'divider' },
  ];

  if (view.rows.length === 0) {
    blocks.push(mrkdwnSection(e(both(CT.noRows))));
    return { text, blocks };
  }

  // One block is kept back for the "N more" line, so truncation never pushes the message past the limit,
  // and one for the menu that opens a member's thread.
  const menu = threadMenu(view.rows);
  const sections = groupRows(view.rows.map(statusLine));
  const room = MAX_BLOCKS - blocks.length - (menu ? 1 : 0);
  // The core gives one page of the rows: the rest of them count as "more" too.
  const total = view.page?.matching ?? view.rows.length;
  if (sections.length <= room && total === view.rows.length) {
    blocks.push(...sections.map((s) => mrkdwnSection(s.text)));
  } else {
    const kept = sections.length <= room - 1 ? sections : sections.slice(0, room - 1);
    const shown = kept.reduce((n, s) => n + s.rows, 0);
    blocks.push(...kept.map((s) => mrkdwnSection(s.text)));
    blocks.push(context(`➕ ${e(stacked(moreRows(total - shown)))}`));
  }
  if (menu) blocks.push(menu);
  return { text, blocks };
}

/** The rows `/advisory status` lists in a chat: the exceptions (failed, then silent), at most this many. */
export const EXCEPTIONS_MAX = 20;
/** The action id of the link button to everyone's rows (a URL button: Slack opens it and tells the app). */
export const EVERYONE_CSV_ACTION = 'status_everyone_csv';

/** Failed, not acknowledged, not yet posted: who the secretariat still has to chase. */
const isException = (row: StatusRow): boolean => row.state === 'failed' || row.state === 'posted' || row.state === 'queued';

/**
 * The ephemeral answer to `/advisory status <id>` at sector scale: the counts of everyone, then only the exceptions
 * (failed and silent first, as the core orders them; at most the page it was asked for), "ほか N名 / N more", and
 * where everyone's rows are: a button to the export link (CSV) when the bot has a public URL, else the command.
 */
export function renderStatusExceptions(view: StatusView, full: { link?: ExportLink | undefined }): RenderedMessage {
  const c = view.counts;
  const { text, blocks } = renderStatus({ ...view, rows: [] });
  // renderStatus with no rows ends with "no deliveries": the exceptions replace it.
  blocks.pop();
  const rows = view.rows.filter(isException).slice(0, EXCEPTIONS_MAX);
  const exceptions = c.failed + c.posted + c.queued;
  blocks.push(mrkdwnSection(`*${e(both(SV.exceptions))}*`));
  // Whoever wrote in a thread can be read from here, acknowledged or not (the page the core gave).
  const menu = threadMenu(view.rows);
  if (rows.length === 0) {
    blocks.push(mrkdwnSection(`✅ ${e(both(exceptions === 0 ? SV.noExceptions : CT.noRows))}`));
    if (menu) blocks.push(menu);
  } else {
    // Room for "more", the link and the menu, whatever the rows' lengths.
    const room = MAX_BLOCKS - blocks.length - 4;
    const sections = groupRows(rows.map(statusLine)).slice(0, room);
    blocks.push(...sections.map((s) => mrkdwnSection(s.text)));
    const shown = sections.reduce((n, s) => n + s.rows, 0);
    if (exceptions > shown) blocks.push(context(`➕ ${e(both(moreExceptionsText(exceptions - shown)))}`));
    if (menu) blocks.push(menu);
  }
  const url = full.link?.url;
  if (url !== undefined) {
    blocks.push({
      type: 'actions',
      elements: [{ type: 'button', action_id: EVERYONE_CSV_ACTION, text: { type: 'plain_text', text: both(SV.everyone), emoji: true }, url }],
    });
    if (full.link) blocks.push(context(e(both(linkValidText(formatTokyo(full.link.expiresAt))))));
  } else {
    blocks.push(context(e(both(everyoneCommandText(`/advisory export ${view.advisoryId}`)))));
  }
  return { text, blocks };
}

function statusLine(row: StatusRow): string {
  const parts = [`${STATE_MARK[row.state]} *${name(row.memberName)}*`, e(both(STATE_TEXT[row.state]))];
  if (row.via === 'phone' && row.reachedContact !== undefined) {
    // Who called and whom they reached: the record an auditor asks for.
    const when = row.acknowledgedAt !== undefined ? ` (${e(formatTokyo(row.acknowledgedAt))})` : '';
    parts.push(`📞 ${e(both(phoneAckText(row.acknowledgedBy ?? '?', contactText(row.reachedContact))))}${when}`);
  } else if (row.acknowledgedBy !== undefined || row.acknowledgedAt !== undefined) {
    const when = row.acknowledgedAt !== undefined ? e(formatTokyo(row.acknowledgedAt)) : '';
    const via = row.via !== undefined ? `via ${e(both(VIA_TEXT[row.via]))}` : '';
    const detail = [when, via].filter((s) => s !== '').join(', ');
    parts.push(`${e(row.acknowledgedBy ?? '')}${detail !== '' ? ` (${detail})` : ''}`.trim());
  }
  if (row.failure !== undefined) parts.push(e(row.failure));
  if (row.state !== 'acknowledged') {
    const ladder = ladderText(row);
    if (ladder !== '') parts.push(ladder);
  }
  const replies = repliesLine(row);
  // A single absurdly long name must not make a line that cannot share a section with anything; the
  // member's own words come last, so a long reply is what gets cut.
  return truncateMrkdwn([...parts, ...(replies ? [replies] : [])].join(' — '), STATUS_LINE_MAX);
}

/** "💬 返信 2 件 / 2 replies: 佐藤 (12/1 09:05 JST) “影響なしでした”" */
function repliesLine(row: StatusRow): string | undefined {
  const r = row.replies;
  if (!r) return undefined;
  const count = `💬 ${e(both(repliesText(r.count, r.deleted)))}`;
  const l = r.latest;
  if (!l) return count;
  return `${count}: ${e(l.by)} (${e(formatTokyo(l.at))}${l.edited ? `, ${e(both(THREAD_TEXT.edited))}` : ''}) “${e(l.firstLine)}”`;
}

/** Where an unacknowledged member is on the escalation ladder, e.g. "📞 電話連絡: 未着手、架電 0/3 件 / phone task: open, tried 0 of 3". */
function ladderText(row: StatusRow): string {
  const parts: string[] = [];
  const l = row.ladder;
  const t = row.phoneTask;
  if (l?.kind === 'reminder' && t === undefined) parts.push(`⏰ ${e(both(CT.reminderSent))} (${e(formatTokyo(l.at))})`);
  if (t !== undefined) {
    const state = taskState(t.state, t.claimedBy);
    const k = eb(triedOfText(t.tried, t.contacts));
    const step = eb(CT.phoneStep);
    const tried = t.exhausted ? eb(CT.allTried) : undefined;
    const overdue = t.overdue ? eb(OVERDUE_TEXT) : undefined;
    parts.push(
      `📞 ${step.ja}: ${state.ja}、${k.ja}${overdue ? `、*${overdue.ja}*` : ''}${tried ? `、⚠️ ${tried.ja}` : ''}` +
        ` / ${step.en}: ${state.en}, ${k.en}${overdue ? `, *⚠ ${overdue.en}*` : ''}${tried ? `, ⚠️ ${tried.en}` : ''}`,
    );
  } else if (l !== undefined && (l.kind === 'phone' || l.kind === 'next-contact')) {
    parts.push(`📞 ${e(both(CT.phoneStep))}`);
  }
  if (l?.kind === 'alert') parts.push(`🚨 ${e(both(CT.secretariatAlerted))} (${e(formatTokyo(l.at))})`);
  return parts.join(' · ');
}

// ---------------------------------------------------------------------------------------------------------------

/** One task of the on-call list, under its advisory's heading. */
function oncallLine(t: OncallTaskView): string {
  const parts = [
    `・ *${name(t.memberName)}*`,
    both(taskState(t.state, t.claimedBy)),
    e(both(triedOfText(t.tried, t.contacts))),
    ...(t.overdueSince !== undefined ? [`*${e(both(OVERDUE_TEXT))}* (${e(formatTokyo(t.overdueSince))})`] : []),
    ...(t.exhausted ? [`⚠️ ${e(both(CT.allTried))}`] : []),
    e(formatTokyo(t.dueAt)),
  ];
  return truncateMrkdwn(parts.join(' — '), STATUS_LINE_MAX);
}

/**
 * The ephemeral answer to the on-call list command: open phone tasks grouped by advisory, in the view's order (the
 * most severe advisory first, then the one due first; within one, the task due first).
 */
export function renderOncallList(view: OncallListView): RenderedMessage {
  const total = view.tasks.length;
  const title = `📞 ${both(CT.oncallTitle)} (${both(openTasksText(total))})`;
  if (total === 0) {
    return {
      text: e(both(CT.oncallEmpty)),
      blocks: [header(`📞 ${both(CT.oncallTitle)}`), mrkdwnSection(`✅ ${e(stacked(CT.oncallEmpty))}`)],
    };
  }
  const blocks: KnownBlock[] = [header(title)];
  // One block is kept back for the "N more" line.
  let shown = 0;
  outer: for (const g of view.groups) {
    const heading = oncallGroupText(g.advisoryId, g.title, g.tasks.length);
    const drill = g.drill ? ` ${e(T.drillTag.ja + T.drillTag.en)}` : '';
    const head = truncateMrkdwn(`${TLP_SQUARE[g.tlp]} *${g.tlp}*${drill} · *${e(both(SEVERITY_TEXT[g.severity]))}*\n*${e(heading.ja)}*\n${e(heading.en)}`, STATUS_LINE_MAX);
    const sections = groupRows(g.tasks.map(oncallLine));
    // A heading with no task under it says nothing: keep room for it and at least its first rows.
    if (blocks.length + 2 > MAX_BLOCKS - 1) break;
    blocks.push(mrkdwnSection(head));
    for (const s of sections) {
      if (blocks.length >= MAX_BLOCKS - 1) break outer;
      blocks.push(mrkdwnSection(s.text));
      shown += s.rows;
    }
  }
  if (shown < total) blocks.push(context(`➕ ${e(stacked(moreRows(total - shown)))}`));
  return { text: e(title), blocks };
}
