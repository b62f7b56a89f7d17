import type { ContextBlock, KnownBlock, MessageAttachment, SectionBlock } from '@slack/types';
import type { LocalisedName } from '../../src/directory/schema.js';
import { TLP_COLOUR, type Tlp } from '../../src/domain/classification.js';
import type { DeliveryState } from '../../src/domain/delivery.js';
import type { PhoneTaskState } from '../../src/domain/phone-task.js';
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
import type { OutboundView } from '../../src/ports/chat.js';
import type {
  AdvisoryView,
  NoticeView,
  OncallListView,
  PhoneContactView,
  PhoneTaskView,
  ReminderView,
  StatusRow,
  StatusView,
} from '../../src/view/views.js';
import { escapeMrkdwn, SECTION_TEXT_MAX, splitForSections, truncateMrkdwn, truncatePlain } from './mrkdwn.js';
import {
  CALL_OUTCOME_TEXT,
  claimedByText,
  contactOfText,
  failureText,
  moreNames,
  moreRows,
  openTasksText,
  PHONE_STATE_TEXT,
  reachedText,
  redScript,
  reminderText,
  ST,
  standardScript,
} from './slack-text.js';

export const ACK_ACTION_ID = 'advisory_ack';
export const ACK_BLOCK_ID = 'advisory_ack';
/** Message metadata event type of everything the bot posts; its payload's `key` is what findPost matches. */
export const POST_EVENT_TYPE = 'ceptoar_post';

/** Phone task buttons; each button's value is the task id. */
export const PHONE_TASK_BLOCK_ID = 'phone_task';
export const PHONE_CLAIM_ACTION_ID = 'phone_claim';
export const PHONE_REACHED_ACTION_ID = 'phone_reached';
export const PHONE_NO_ANSWER_ACTION_ID = 'phone_no_answer';
export const PHONE_WRONG_NUMBER_ACTION_ID = 'phone_wrong_number';
export const PHONE_RELEASE_ACTION_ID = 'phone_release';
export const PHONE_ACTION_IDS = [
  PHONE_CLAIM_ACTION_ID,
  PHONE_REACHED_ACTION_ID,
  PHONE_NO_ANSWER_ACTION_ID,
  PHONE_WRONG_NUMBER_ACTION_ID,
  PHONE_RELEASE_ACTION_ID,
] as const;
export type PhoneActionId = (typeof PHONE_ACTION_IDS)[number];

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
/** One status line, ladder included. */
const STATUS_LINE_MAX = 400;
/** Contact lines per phone task: the directory lists a few; a runaway list must not push the buttons off. */
const PHONE_CONTACTS_MAX = 20;
/** One contact line (name, role, number, outcomes). */
const CONTACT_LINE_MAX = 500;
/** Excerpt in the call script: enough to say what it is about, one section at most. */
const EXCERPT_MAX = 1500;

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

export interface RenderedMessage {
  text: string;
  blocks: KnownBlock[];
}

/** A message with a TLP-coloured attachment (advisory, phone task). */
export interface AttachmentMessage extends RenderedMessage {
  attachments: MessageAttachment[];
}

/** What SlackChat posts: content only; SlackChat adds the metadata. */
export interface SlackMessage extends RenderedMessage {
  attachments?: MessageAttachment[] | undefined;
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

/** Both languages escaped, for composing one bilingual line from several parts. */
function eb(t: Bilingual): Bilingual {
  return { ja: e(t.ja), en: e(t.en) };
}

/** "未着手 / open", or "X が対応中（電話中） / claimed by X (calling now)"; escaped. */
function taskState(state: PhoneTaskState, claimedBy: string | undefined): Bilingual {
  return state === 'claimed' && claimedBy !== undefined ? claimedByText(e(claimedBy)) : eb(PHONE_STATE_TEXT[state]);
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
export function renderAdvisoryMessage(view: AdvisoryView): AttachmentMessage {
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
  if (row.state !== 'acknowledged') {
    const ladder = ladderText(row);
    if (ladder !== '') parts.push(ladder);
  }
  // A single absurdly long name must not make a line that cannot share a section with anything.
  return truncateMrkdwn(parts.join(' — '), STATUS_LINE_MAX);
}

/** Where an unacknowledged member is on the escalation ladder, e.g. "📞 電話連絡: 未着手, 連絡先 1/3 / phone task: open, contact 1 of 3". */
function ladderText(row: StatusRow): string {
  const parts: string[] = [];
  const l = row.ladder;
  const t = row.phoneTask;
  if (l?.kind === 'reminder' && t === undefined) parts.push(`⏰ ${e(both(ST.reminderSent))} (${e(formatTokyo(l.at))})`);
  if (t !== undefined) {
    const state = taskState(t.state, t.claimedBy);
    const k = eb(contactOfText(t.contactIndex + 1, t.contacts));
    const step = eb(ST.phoneStep);
    const tried = t.exhausted ? eb(ST.allTried) : undefined;
    parts.push(
      `📞 ${step.ja}: ${state.ja}、${k.ja}${tried ? `、⚠️ ${tried.ja}` : ''} / ${step.en}: ${state.en}, ${k.en}${tried ? `, ⚠️ ${tried.en}` : ''}`,
    );
  } else if (l !== undefined && (l.kind === 'phone' || l.kind === 'next-contact')) {
    parts.push(`📞 ${e(both(ST.phoneStep))}`);
  }
  if (l?.kind === 'alert') parts.push(`🚨 ${e(both(ST.secretariatAlerted))} (${e(formatTokyo(l.at))})`);
  return parts.join(' · ');
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

  if (notice.kind === 'escalation_alert') {
    const text = fallback(
      notice.tlp,
      notice.drill,
      `⚠️ ${e(both(ST.escalationAlert))}: ${e(notice.advisoryId)} ${e(notice.title)} → ${name(notice.memberName)}`,
    );
    const blocks: KnownBlock[] = [
      ...envelope,
      mrkdwnSection(`⚠️ *${e(both(ST.escalationAlert))}*`),
      {
        type: 'section',
        fields: [
          field(ST.member, name(notice.memberName)),
          field(ST.advisoryId, e(notice.advisoryId)),
          field(ST.title, e(notice.title)),
          field(ST.deliveryState, e(both(STATE_TEXT[notice.deliveryState]))),
          field(ST.attempts, String(notice.attempts)),
          field(ST.heldBy, notice.claimedBy !== undefined ? e(notice.claimedBy) : e(both(ST.nobody))),
        ],
      },
    ];
    if (notice.wrongNumbers.length > 0) {
      blocks.push(
        mrkdwnSection(
          `📵 *${e(both(ST.wrongNumbers))}*: ${notice.wrongNumbers.map(e).join(', ')}\n${e(stacked(ST.fixDirectory))}`,
        ),
      );
    }
    return { text, blocks };
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

// ---------------------------------------------------------------------------------------------------------------

/** Slack user ids as the directory holds them; anything else is not ours to turn into a mention. */
const SLACK_USER_ID = /^[UW][A-Z0-9]+$/;

/** A reminder in the member's channel (or TLP:RED direct message) before the deadline. */
export function renderReminder(view: ReminderView): RenderedMessage {
  const mentions = [...new Set(view.mention.filter((id) => SLACK_USER_ID.test(id)))].map((id) => `<@${id}>`);
  const heading = both(ST.reminderHeading);
  const text = fallback(
    view.tlp,
    view.drill,
    `⏰ ${e(heading)}: ${e(view.advisoryId)} ${e(view.title)}${mentions.length > 0 ? ` ${mentions.join(' ')}` : ''}`,
  );
  const envelope: KnownBlock[] = [context(tlpLine(view.tlp))];
  if (view.drill) envelope.push(drillBanner());
  const deadline = formatTokyo(view.ackDeadline);
  const body = [
    `⏰ *${e(heading)}*`,
    ...(mentions.length > 0 ? [mentions.join(' ')] : []),
    e(stacked(reminderText(view.advisoryId, view.title, deadline))),
    e(stacked(ST.reminderPressAbove)),
  ];
  return {
    text,
    blocks: [
      ...envelope,
      // The mentions must survive: the title is cut before they would be (a title is at most 150 characters anyway).
      mrkdwnSection(body.join('\n')),
      context(`${e(both(T.recipient))}: ${name(view.memberName)} · ${e(both(T.ackDeadline))}: ${e(deadline)}`),
    ],
  };
}

// ---------------------------------------------------------------------------------------------------------------

const E164 = /^\+[1-9]\d{6,14}$/;
const PHONE_DISPLAY = /^[0-9０-９+\-‐－() （）]{1,30}$/;

/** `<tel:+81355550101|03-5555-0101>`, but only for numbers that look like numbers: a `|` or `>` must not reach mrkdwn. */
function telLink(c: PhoneContactView): string {
  const display = PHONE_DISPLAY.test(c.phoneDisplay) ? c.phoneDisplay : c.phoneE164;
  if (E164.test(c.phoneE164) && PHONE_DISPLAY.test(display)) return `<tel:${c.phoneE164}|${display}>`;
  return `\`${e(c.phoneDisplay || c.phoneE164)}\``;
}

function contactLine(c: PhoneContactView, i: number): string {
  const marker = c.current ? '▶' : '・';
  const who = c.current ? `*${i + 1}. ${e(c.name)}*` : `${i + 1}. ${e(c.name)}`;
  const role = c.role !== undefined && c.role !== '' ? ` (${e(c.role)})` : '';
  const now = c.current ? ` ← ${e(both(ST.phoneCurrent))}` : '';
  const tried = c.tried.length > 0 ? ` — ${c.tried.map((o) => `❌ ${e(both(CALL_OUTCOME_TEXT[o]))}`).join(', ')}` : '';
  const line = `${marker} ${who}${role} ${telLink(c)}${now}${tried}`;
  // Cut the name and role rather than the link: a half link would show its raw syntax.
  if (line.length <= CONTACT_LINE_MAX) return line;
  return `${marker} ${truncateMrkdwn(`${i + 1}. ${e(c.name)}${role}`, 200)} ${telLink(c)}${now}${tried}`;
}

function phoneStateLine(view: PhoneTaskView): string {
  switch (view.state) {
    case 'open':
      return `🟡 *${e(both(PHONE_STATE_TEXT.open))}* — ${e(both(ST.phoneOpen))}`;
    case 'claimed':
      return `📞 *${both(taskState('claimed', view.claimedBy))}*`;
    case 'done': {
      const r = view.resolution;
      const who = r?.by !== undefined ? e(r.by) : view.claimedBy !== undefined ? e(view.claimedBy) : '?';
      const at = r !== undefined ? e(formatTokyo(r.at)) : '?';
      return `✅ ${stacked(reachedText(who, at))}`;
    }
    case 'cancelled': {
      const at = view.resolution !== undefined ? ` (${e(formatTokyo(view.resolution.at))})` : '';
      return `☑️ ${e(stacked(ST.phoneCancelled))}${at}`;
    }
  }
}

function phoneButton(actionId: PhoneActionId, label: Bilingual, taskId: string, style?: 'primary' | 'danger') {
  return {
    type: 'button' as const,
    action_id: actionId,
    text: { type: 'plain_text' as const, text: truncatePlain(both(label), BUTTON_MAX), emoji: true },
    value: taskId,
    ...(style === undefined ? {} : { style }),
  };
}

function phoneButtons(view: PhoneTaskView): KnownBlock | undefined {
  const id = view.taskId;
  if (view.state === 'open') {
    return {
      type: 'actions',
      block_id: PHONE_TASK_BLOCK_ID,
      elements: [
        phoneButton(PHONE_CLAIM_ACTION_ID, ST.phoneClaim, id, 'primary'),
        phoneButton(PHONE_REACHED_ACTION_ID, ST.phoneReached, id),
        phoneButton(PHONE_NO_ANSWER_ACTION_ID, ST.phoneNoAnswer, id),
        phoneButton(PHONE_WRONG_NUMBER_ACTION_ID, ST.phoneWrongNumber, id),
      ],
    };
  }
  if (view.state === 'claimed') {
    return {
      type: 'actions',
      block_id: PHONE_TASK_BLOCK_ID,
      elements: [
        phoneButton(PHONE_REACHED_ACTION_ID, ST.phoneReached, id, 'primary'),
        phoneButton(PHONE_NO_ANSWER_ACTION_ID, ST.phoneNoAnswer, id),
        phoneButton(PHONE_WRONG_NUMBER_ACTION_ID, ST.phoneWrongNumber, id),
        phoneButton(PHONE_RELEASE_ACTION_ID, ST.phoneRelease, id),
      ],
    };
  }
  return undefined;
}

/**
 * A phone task in the on-call channel, read at 3 a.m.: who to call, what to say, the numbers as tap-to-call
 * links, and the buttons to record what happened. Laid out like the advisory: the classification envelope and the
 * header at the top level, the rest in one attachment coloured by TLP. TLP:RED tasks carry the title and a
 * call-back request only, never body text, whatever the view holds.
 */
export function renderPhoneTask(view: PhoneTaskView): AttachmentMessage {
  const heading = `📞 ${both(ST.phoneTask)}: ${both(view.memberName)}`;
  const text = fallback(view.tlp, view.drill, `${e(heading)} — ${e(view.advisoryId)} ${e(view.title)}`);

  const top: KnownBlock[] = [context(tlpLine(view.tlp))];
  if (view.drill) top.push(drillBanner());
  top.push(header(heading), mrkdwnSection(phoneStateLine(view)));
  if (view.exhausted && (view.state === 'open' || view.state === 'claimed')) {
    top.push(mrkdwnSection(`⚠️ *${e(ST.phoneExhausted.ja)}*\n*${e(ST.phoneExhausted.en)}*`));
  }

  const inner: KnownBlock[] = [
    {
      type: 'section',
      fields: [
        field(ST.advisoryId, e(view.advisoryId)),
        field(ST.title, e(view.title)),
        field(T.severity, e(both(SEVERITY_TEXT[view.severity]))),
        field(T.ackDeadline, e(formatTokyo(view.ackDeadline))),
      ],
    },
  ];

  const secretariat = { ja: e(view.secretariatName.ja), en: e(view.secretariatName.en) };
  const title = { ja: e(view.title), en: e(view.title) };
  if (view.script === 'red') {
    inner.push(mrkdwnSection(`🗒️ *${e(both(ST.phoneScript))}*\n${stacked(redScript(secretariat, title))}`));
    inner.push(context(`🔒 ${e(stacked(ST.phoneRedNote))}`));
  } else {
    inner.push(mrkdwnSection(`🗒️ *${e(both(ST.phoneScript))}*\n${stacked(standardScript(secretariat, e(view.advisoryId), title))}`));
    if (view.excerpt !== undefined && view.excerpt.trim() !== '') {
      const excerpt = truncateMrkdwn(e(view.excerpt), EXCERPT_MAX);
      inner.push(mrkdwnSection(`*${e(both(ST.phoneExcerpt))}*\n${excerpt}`));
    }
  }

  inner.push(mrkdwnSection(`☎️ *${e(both(ST.phoneContacts))}*`));
  if (view.contacts.length === 0) {
    inner.push(mrkdwnSection(`⚠️ ${e(stacked(ST.phoneNoContacts))}`));
  } else {
    const shown = view.contacts.slice(0, PHONE_CONTACTS_MAX).map(contactLine);
    for (const s of groupRows(shown)) inner.push(mrkdwnSection(s.text));
    if (view.contacts.length > PHONE_CONTACTS_MAX) inner.push(context(e(both(moreNames(view.contacts.length - PHONE_CONTACTS_MAX)))));
  }

  const buttons = phoneButtons(view);
  if (buttons !== undefined) inner.push(buttons);
  inner.push(context(`${e(view.taskId)} · ${e(both(T.recipient))}: ${name(view.memberName)}`));

  return { text, blocks: top, attachments: [{ color: TLP_COLOUR[view.tlp], fallback: text, blocks: inner }] };
}

// ---------------------------------------------------------------------------------------------------------------

/** The ephemeral answer to the on-call list command: open phone tasks, oldest first. */
export function renderOncallList(view: OncallListView): RenderedMessage {
  const tasks = [...view.tasks].sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt));
  const title = `📞 ${both(ST.oncallTitle)} (${both(openTasksText(tasks.length))})`;
  if (tasks.length === 0) {
    return {
      text: e(both(ST.oncallEmpty)),
      blocks: [header(`📞 ${both(ST.oncallTitle)}`), mrkdwnSection(`✅ ${e(stacked(ST.oncallEmpty))}`)],
    };
  }
  const lines = tasks.map((t) => {
    const k = contactOfText(t.contactIndex + 1, t.contacts);
    const parts = [
      `${TLP_SQUARE[t.tlp]} *${t.tlp}*${t.drill ? ` ${e(T.drillTag.ja + T.drillTag.en)}` : ''} *${name(t.memberName)}*`,
      `${e(t.advisoryId)} ${e(t.title)}`,
      e(both(SEVERITY_TEXT[t.severity])),
      both(taskState(t.state, t.claimedBy)),
      e(both(k)),
      ...(t.exhausted ? [`⚠️ ${e(both(ST.allTried))}`] : []),
      e(formatTokyo(t.createdAt)),
    ];
    return truncateMrkdwn(parts.join(' — '), STATUS_LINE_MAX);
  });
  const blocks: KnownBlock[] = [header(title)];
  const sections = groupRows(lines);
  const room = MAX_BLOCKS - blocks.length;
  if (sections.length <= room) {
    blocks.push(...sections.map((s) => mrkdwnSection(s.text)));
  } else {
    const kept = sections.slice(0, room - 1);
    const shown = kept.reduce((n, s) => n + s.rows, 0);
    blocks.push(...kept.map((s) => mrkdwnSection(s.text)));
    blocks.push(context(`➕ ${e(stacked(moreRows(tasks.length - shown)))}`));
  }
  return { text: e(title), blocks };
}

// ---------------------------------------------------------------------------------------------------------------

/** Everything the chat port posts, by kind: the one render dependency of SlackChat. */
export function renderMessage(message: OutboundView): SlackMessage {
  switch (message.kind) {
    case 'advisory':
      return renderAdvisoryMessage(message.view);
    case 'notice':
      return renderNotice(message.view);
    case 'reminder':
      return renderReminder(message.view);
    case 'phone_task':
      return renderPhoneTask(message.view);
  }
}

/**
 * The message metadata of a post: the key findPost matches, the kind, and the ids that tell a person reading the
 * channel's metadata (or a migration) what the message is about.
 */
export function postMetadata(message: OutboundView, key: string): { event_type: typeof POST_EVENT_TYPE; event_payload: Record<string, string> } {
  const ids: Record<string, string> = {};
  switch (message.kind) {
    case 'advisory':
    case 'reminder':
      ids.advisory_id = message.view.advisoryId;
      ids.delivery_id = message.view.deliveryId;
      break;
    case 'phone_task':
      ids.advisory_id = message.view.advisoryId;
      ids.task_id = message.view.taskId;
      break;
    case 'notice':
      ids.advisory_id = message.view.advisoryId;
      ids.notice_kind = message.view.kind;
      break;
  }
  return { event_type: POST_EVENT_TYPE, event_payload: { ...ids, key, kind: message.kind } };
}
