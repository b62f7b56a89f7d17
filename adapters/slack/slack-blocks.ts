import type { ContextBlock, KnownBlock, MessageAttachment, SectionBlock } from '@slack/types';
import type { LocalisedName } from '../../src/directory/schema.js';
import { TLP_COLOUR, type Tlp } from '../../src/domain/classification.js';
import type { DeliveryState } from '../../src/domain/delivery.js';
import type { ErrorCode } from '../../src/errors.js';
import {
  both,
  CATEGORY_TEXT,
  ERROR_TEXT,
  formatTokyo,
  SEVERITY_TEXT,
  SOURCE_TEXT,
  stacked,
  STATE_TEXT,
  T,
  TLP_TEXT,
  VIA_TEXT,
  type Bilingual,
} from '../../src/i18n/text.js';
import type { AdvisoryView, NoticeView, StatusRow, StatusView } from '../../src/view/views.js';
import { escapeMrkdwn, SECTION_TEXT_MAX, splitForSections, truncateMrkdwn, truncatePlain } from './mrkdwn.js';
import { failureText, moreNames, moreRows, ST } from './slack-text.js';

export const ACK_ACTION_ID = 'advisory_ack';
export const ACK_BLOCK_ID = 'advisory_ack';
export const DELIVERY_EVENT_TYPE = 'ceptoar_delivery';

/** Slack's limits: blocks per message, header text, button text, a context element's text. */
export const MAX_BLOCKS = 50;
const HEADER_MAX = 150;
const BUTTON_MAX = 75;
const CONTEXT_TEXT_MAX = 2000;
const FIELD_TEXT_MAX = 2000;
/** Rows per status section: short enough to scan, long enough that 1,800 members need few blocks. */
const STATUS_ROWS_PER_SECTION = 10;
/** At most this many "also seen by" names; past that the message is noise and the status page has them all. */
const ALSO_SEEN_MAX = 20;

/** A square the colour of the label, so the label reads as TLP even where the attachment bar is not drawn. */
const TLP_SQUARE: Record<Tlp, string> = {
  'TLP:RED': '🟥',
  'TLP:AMBER+STRICT': '🟧',
  'TLP:AMBER': '🟧',
  'TLP:GREEN': '🟩',
  'TLP:CLEAR': '⬜',
};

const STATE_MARK: Record<DeliveryState, string> = {
  queued: '🕒',
  posted: '⏳',
  acknowledged: '✅',
  failed: '⚠️',
};

export interface AdvisoryMessage {
  text: string;
  blocks: KnownBlock[];
  attachments: MessageAttachment[];
  metadata: { event_type: typeof DELIVERY_EVENT_TYPE; event_payload: { delivery_id: string; advisory_id: string } };
}

export interface RenderedMessage {
  text: string;
  blocks: KnownBlock[];
}

// ---------------------------------------------------------------------------------------------------------------
// Small builders. Every user-typed string passes through escapeMrkdwn before it reaches a mrkdwn object;
// our own constants are escaped too, so "is this escaped?" never needs an answer.

const e = escapeMrkdwn;

function mrkdwnSection(text: string): SectionBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: truncateMrkdwn(text, SECTION_TEXT_MAX), verbatim: true } };
}

function context(text: string): ContextBlock {
  return { type: 'context', elements: [{ type: 'mrkdwn', text: truncateMrkdwn(text, CONTEXT_TEXT_MAX), verbatim: true }] };
}

function field(label: Bilingual, value: string): { type: 'mrkdwn'; text: string; verbatim: true } {
  return { type: 'mrkdwn', text: truncateMrkdwn(`*${e(both(label))}*\n${value}`, FIELD_TEXT_MAX), verbatim: true };
}

function header(text: string): KnownBlock {
  return { type: 'header', text: { type: 'plain_text', text: truncatePlain(text, HEADER_MAX), emoji: true } };
}

function name(n: LocalisedName): string {
  return e(both(n));
}

/** "🟧 *TLP:AMBER* — 限定公開 / Organisation and its clients, need to know" */
function tlpLine(tlp: Tlp): string {
  return `${TLP_SQUARE[tlp]} *${tlp}* — ${e(both(TLP_TEXT[tlp]))}`;
}

function drillBanner(): SectionBlock {
  return mrkdwnSection(`🚧 *${e(both(T.drillBanner))}* 🚧`);
}

/** Notification text: the label first, as in e-mail subjects, so a lock-screen preview already shows it. */
function fallback(tlp: Tlp, drill: boolean, rest: string): string {
  return `[${tlp}] ${drill ? `${T.drillTag.ja}${T.drillTag.en} ` : ''}${rest}`;
}

// ---------------------------------------------------------------------------------------------------------------

/**
 * The advisory as posted into a member's channel (or sent as a TLP:RED direct message).
 *
 * Layout: the top-level blocks hold only the classification envelope (TLP label, drill banner); everything
 * else sits in ONE attachment whose colour is the TLP colour, because the attachment bar is the only way
 * Slack lets a message carry a colour. The envelope stays outside the attachment because Slack may fold a
 * long attachment behind "Show more", and the label must be the first thing seen whatever is folded.
 * Keeping some top-level blocks also stops Slack from printing the notification `text` above the
 * attachment. Callers updating the message (chat.update) must send `attachments` again, or Slack keeps the
 * old ones.
 */
export function renderAdvisoryMessage(view: AdvisoryView): AdvisoryMessage {
  const text = fallback(view.tlp, view.drill, e(view.title));

  const envelope: KnownBlock[] = [context(tlpLine(view.tlp))];
  if (view.drill) envelope.push(drillBanner());

  const head: KnownBlock[] = [
    header(view.title),
    {
      type: 'section',
      fields: [
        field(T.severity, e(both(SEVERITY_TEXT[view.severity]))),
        field(T.category, e(both(CATEGORY_TEXT[view.category]))),
        field(T.source, e(both(SOURCE_TEXT[view.source]))),
        field(T.recipient, name(view.memberName)),
        field(T.ackDeadline, e(formatTokyo(view.ackDeadline))),
      ],
    },
  ];

  const tail: KnownBlock[] = [];
  if (view.audience === 'direct') tail.push(mrkdwnSection(`🔒 *${e(T.doNotForward.ja)}*\n*${e(T.doNotForward.en)}*`));
  if (view.acknowledged) {
    const a = view.acknowledged;
    tail.push(
      mrkdwnSection(
        `✅ *${e(both(T.acknowledgedBy))}*: ${e(a.by)} (${e(formatTokyo(a.at))}, via ${e(both(VIA_TEXT[a.via]))})`,
      ),
    );
    if (view.alsoSeenBy.length > 0) tail.push(context(alsoSeenLine(view.alsoSeenBy)));
  } else {
    tail.push(context(e(stacked(T.pleaseAck))));
    tail.push({
      type: 'actions',
      block_id: ACK_BLOCK_ID,
      elements: [
        {
          type: 'button',
          action_id: ACK_ACTION_ID,
          text: { type: 'plain_text', text: truncatePlain(both(T.ackButton), BUTTON_MAX), emoji: true },
          value: view.deliveryId,
          style: 'primary',
        },
      ],
    });
  }
  tail.push(
    context(
      `${e(view.advisoryId)} · ${e(both(ST.issued))}: ${e(formatTokyo(view.issuedAt))}`,
    ),
  );

  // The body gets whatever the fixed blocks leave; a body that still does not fit ends with a note rather
  // than failing the whole post (BODY_MAX escaped can outgrow 50 blocks only with pathological input).
  const room = MAX_BLOCKS - envelope.length - head.length - tail.length;
  let chunks = splitForSections(e(view.body));
  if (chunks.length > room) chunks = [...chunks.slice(0, room - 1), e(stacked(ST.bodyTruncated))];
  const body: KnownBlock[] = chunks.map(mrkdwnSection);

  return {
    text,
    blocks: envelope,
    attachments: [{ color: TLP_COLOUR[view.tlp], fallback: text, blocks: [...head, ...body, ...tail] }],
    metadata: {
      event_type: DELIVERY_EVENT_TYPE,
      event_payload: { delivery_id: view.deliveryId, advisory_id: view.advisoryId },
    },
  };
}

function alsoSeenLine(seen: AdvisoryView['alsoSeenBy']): string {
  const shown = seen.slice(0, ALSO_SEEN_MAX).map((s) => `${e(s.by)} (${e(formatTokyo(s.at))})`);
  if (seen.length > ALSO_SEEN_MAX) shown.push(e(both(moreNames(seen.length - ALSO_SEEN_MAX))));
  return `👀 *${e(both(T.alsoSeenBy))}*: ${shown.join(', ')}`;
}

// ---------------------------------------------------------------------------------------------------------------

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
        `${e(both(ST.issued))}: ${e(formatTokyo(view.issuedAt))}`,
        `${e(both(T.ackDeadline))}: ${e(formatTokyo(view.ackDeadline))}`,
      ].join('  ·  '),
    ),
    {
      type: 'section',
      fields: [
        field(ST.total, String(c.total)),
        field(STATE_TEXT.acknowledged, String(c.acknowledged)),
        field(STATE_TEXT.posted, String(c.posted)),
        field(STATE_TEXT.queued, String(c.queued)),
        field(STATE_TEXT.failed, String(c.failed)),
      ],
    },
    { type: 'divider' },
  ];

  if (view.rows.length === 0) {
    blocks.push(mrkdwnSection(e(both(ST.noRows))));
    return { text, blocks };
  }

  // One block is kept back for the "N more" line, so truncation never pushes the message past the limit.
  const sections = groupRows(view.rows.map(statusLine));
  const room = MAX_BLOCKS - blocks.length;
  if (sections.length <= room) {
    blocks.push(...sections.map((s) => mrkdwnSection(s.text)));
  } else {
    const kept = sections.slice(0, room - 1);
    const shown = kept.reduce((n, s) => n + s.rows, 0);
    blocks.push(...kept.map((s) => mrkdwnSection(s.text)));
    blocks.push(context(`➕ ${e(stacked(moreRows(view.rows.length - shown)))}`));
  }
  return { text, blocks };
}

function statusLine(row: StatusRow): string {
  const parts = [`${STATE_MARK[row.state]} *${name(row.memberName)}*`, e(both(STATE_TEXT[row.state]))];
  if (row.acknowledgedBy !== undefined || row.acknowledgedAt !== undefined) {
    const when = row.acknowledgedAt !== undefined ? e(formatTokyo(row.acknowledgedAt)) : '';
    const via = row.via !== undefined ? `via ${e(both(VIA_TEXT[row.via]))}` : '';
    const detail = [when, via].filter((s) => s !== '').join(', ');
    parts.push(`${e(row.acknowledgedBy ?? '')}${detail !== '' ? ` (${detail})` : ''}`.trim());
  }
  if (row.failure !== undefined) parts.push(e(row.failure));
  // A single absurdly long name must not make a line that cannot share a section with anything.
  return truncateMrkdwn(parts.join(' — '), 280);
}

/** Pack lines into sections of up to STATUS_ROWS_PER_SECTION lines and SECTION_TEXT_MAX characters. */
function groupRows(lines: string[]): { text: string; rows: number }[] {
  const sections: { text: string; rows: number }[] = [];
  let current: string[] = [];
  let length = 0;
  for (const line of lines) {
    if (current.length > 0 && (current.length >= STATUS_ROWS_PER_SECTION || length + 1 + line.length > SECTION_TEXT_MAX)) {
      sections.push({ text: current.join('\n'), rows: current.length });
      current = [];
      length = 0;
    }
    length += (current.length > 0 ? 1 : 0) + line.length;
    current.push(line);
  }
  if (current.length > 0) sections.push({ text: current.join('\n'), rows: current.length });
  return sections;
}

// ---------------------------------------------------------------------------------------------------------------

/** Messages for the secretariat channel. */
export function renderNotice(notice: NoticeView): RenderedMessage {
  const envelope: KnownBlock[] = [context(tlpLine(notice.tlp))];
  if (notice.drill) envelope.push(drillBanner());

  if (notice.kind === 'delivery_failed') {
    const known = failureText(notice.reason);
    const reason = known ? `\`${e(notice.reason)}\`\n${e(stacked(known))}` : `\`${e(notice.reason)}\`\n${e(stacked(ST.unknownFailure))}`;
    const text = fallback(
      notice.tlp,
      notice.drill,
      `⚠️ ${e(both(ST.deliveryFailed))}: ${e(notice.advisoryId)} ${e(notice.title)} → ${name(notice.memberName)} (${e(notice.reason)})`,
    );
    return {
      text,
      blocks: [
        ...envelope,
        mrkdwnSection(`⚠️ *${e(both(ST.deliveryFailed))}*`),
        {
          type: 'section',
          fields: [
            field(ST.advisoryId, e(notice.advisoryId)),
            field(ST.title, e(notice.title)),
            field(ST.member, name(notice.memberName)),
          ],
        },
        mrkdwnSection(`*${e(both(ST.reason))}*: ${reason}`),
      ],
    };
  }

  const text = fallback(
    notice.tlp,
    notice.drill,
    `✅ ${e(both(ST.advisoryIssued))}: ${e(notice.advisoryId)} ${e(notice.title)}`,
  );
  return {
    text,
    blocks: [
      ...envelope,
      mrkdwnSection(`✅ *${e(both(ST.advisoryIssued))}*`),
      {
        type: 'section',
        fields: [
          field(ST.advisoryId, e(notice.advisoryId)),
          field(ST.title, e(notice.title)),
          field(ST.deliveries, String(notice.deliveries)),
          field(T.ackDeadline, e(formatTokyo(notice.ackDeadline))),
          field(ST.issuedBy, e(notice.issuedBy)),
        ],
      },
    ],
  };
}

/** What the person who ran a command sees when it fails (ephemeral). */
export function renderError(code: ErrorCode): { text: string } {
  return { text: `⚠️ ${e(stacked(ERROR_TEXT[code]))}` };
}
