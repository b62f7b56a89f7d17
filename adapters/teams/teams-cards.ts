import type { TargetOptions } from '../../src/commands/status.js';
import type { LocalisedName } from '../../src/directory/schema.js';
import { AdvisoryInput, BODY_MAX, TITLE_MAX, type ValidAdvisoryInput } from '../../src/domain/advisory.js';
import { CATEGORIES, SEVERITIES, SOURCES, TLP_LEVELS, type Tlp } from '../../src/domain/classification.js';
import type { DeliveryState } from '../../src/domain/delivery.js';
import { ESCALATION_OPTIONAL } from '../../src/domain/escalation.js';
import type { PhoneTaskState } from '../../src/domain/phone-task.js';
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
import { escapeCardText, summaryText, truncate } from './card-text.js';
import {
  CALL_OUTCOME_TEXT,
  claimedByText,
  contactOfText,
  durationText,
  escalateNotAllowed,
  FIELD_ERROR,
  FIELD_NOUN,
  moreNames,
  moreRows,
  noEscalateOption,
  openTasksText,
  PHONE_STATE_TEXT,
  reachedText,
  redScript,
  reminderText,
  severityDefaultText,
  ST,
  standardScript,
  teamsFailureText,
  TT,
} from './teams-text.js';

/**
 * Adaptive Cards (1.5) for Teams: the same content as the Slack messages (adapters/slack/slack-blocks.ts),
 * built as plain objects. Every user-typed string reaches a TextBlock or Fact only through escapeCardText;
 * our own constants are escaped too, so "is this escaped?" never needs an answer. Plain-text properties
 * (action titles, input labels, choice titles, input values) are not Markdown and are never escaped.
 *
 * No card carries a `refresh` action. Universal Actions' refresh would have every viewer's client call the
 * bot each time the card is shown (thousands of member channels) to learn what the bot already pushes: after
 * every acknowledgement or phone outcome the core updates the posted message for everyone (ChatPort.update),
 * and the Action.Execute answer gives the presser the new card at once. Nothing is user-specific, so a
 * per-viewer refresh would add load and a second code path without showing anything new.
 */

// ---------------------------------------------------------------------------------------------------------------
// Types: as much as the builders need. A card is a type alias (not an interface) so that it is assignable to
// teams-ai's `AdaptiveCard` (an index-signature type).

export type CardElement = { type: string; [key: string]: unknown };
export type CardAction = { type: 'Action.Execute' | 'Action.Submit'; title: string; [key: string]: unknown };
export type MentionEntity = { type: 'mention'; text: string; mentioned: { id: string; name: string } };
export type AdaptiveCard = {
  $schema: string;
  type: 'AdaptiveCard';
  version: '1.5';
  body: CardElement[];
  actions?: CardAction[];
  msteams: { width: 'Full'; entities?: MentionEntity[] };
};
export interface TeamsMessage {
  /**
   * Short plain-text summary for notifications, label first: "[TLP:AMBER] …" (see summaryText: no escapes to
   * show, yet inert as Markdown). For the activity's `summary`; as its `text` Teams would repeat it above the card.
   */
  text: string;
  card: AdaptiveCard;
  /**
   * Activity-level entities. Always absent: a reminder's mentions live in card.msteams.entities, where Teams
   * reads Adaptive Card mentions. Putting them on the activity as well, with no `<at>` text in the activity,
   * makes the Bot Connector refuse the message ("Invalid mention entity").
   */
  entities?: MentionEntity[];
}

export const CARD_SCHEMA = 'http://adaptivecards.io/schemas/adaptive-card.json';

/** Action.Execute verbs; the data carries the delivery or task id (the handler checks it against the message). */
export const ADVISORY_ACK_VERB = 'advisory_ack';
export const PHONE_VERB = {
  claim: 'phone_claim',
  reached: 'phone_reached',
  noAnswer: 'phone_no_answer',
  wrongNumber: 'phone_wrong_number',
  release: 'phone_release',
} as const;
export type PhoneVerb = (typeof PHONE_VERB)[keyof typeof PHONE_VERB];
/** Action.Submit verb of the advisory dialog. */
export const ADVISORY_ISSUE_VERB = 'advisory_issue';

/**
 * Teams refuses bot messages over its size limit (413 MessageSizeTooBig; documented as 40 KB of UTF-16 for
 * the whole activity in older docs, 100 KB now). Cards are kept under this many UTF-16 units of JSON, which
 * leaves room for the activity around them even under the old limit. A 12,000-character Japanese body fits;
 * only pathological input (long runs of escaped punctuation) is cut, with a note.
 */
export const CARD_MAX_CHARS = 18_000;
/** Status and on-call rows: enough to scan, then a "N more" line (the export has them all). */
export const ROWS_MAX = 100;
/** Rows per TextBlock: fewer elements, less JSON per row. */
const ROWS_PER_BLOCK = 10;
const ALSO_SEEN_MAX = 20;
const PHONE_CONTACTS_MAX = 20;
const CONTACT_WHO_MAX = 200;
const EXCERPT_MAX = 1500;
const STATUS_LINE_MAX = 400;

const TLP_STYLE: Record<Tlp, 'attention' | 'warning' | 'good' | 'default'> = {
  'TLP:RED': 'attention',
  'TLP:AMBER+STRICT': 'warning',
  'TLP:AMBER': 'warning',
  'TLP:GREEN': 'good',
  'TLP:CLEAR': 'default',
};

/** As on Slack: the label reads as TLP even where the container style is faint (dark theme, mobile). */
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

/** Unacknowledged first, as the core orders them; kept here too so the card never hides who to chase. */
const STATUS_ORDER: Record<DeliveryState, number> = { failed: 0, posted: 1, queued: 2, acknowledged: 3 };

// ---------------------------------------------------------------------------------------------------------------
// Small builders.

const e = escapeCardText;
const jsonLength = (value: unknown): number => JSON.stringify(value).length;

function card(body: CardElement[], actions?: CardAction[], entities?: MentionEntity[]): AdaptiveCard {
  return {
    $schema: CARD_SCHEMA,
    type: 'AdaptiveCard',
    version: '1.5',
    body,
    ...(actions !== undefined && actions.length > 0 ? { actions } : {}),
    msteams: { width: 'Full', ...(entities !== undefined && entities.length > 0 ? { entities } : {}) },
  };
}

/** A TextBlock; `text` must already be escaped (or be our own markup around escaped parts). */
function textBlock(text: string, extra: Record<string, unknown> = {}): CardElement {
  return { type: 'TextBlock', text, wrap: true, ...extra };
}

function small(text: string): CardElement {
  return textBlock(text, { size: 'small', isSubtle: true, spacing: 'small' });
}

function heading(text: string): CardElement {
  return textBlock(text, { size: 'large', weight: 'bolder' });
}

function factSet(facts: [Bilingual, string][]): CardElement {
  return { type: 'FactSet', facts: facts.map(([label, value]) => ({ title: e(both(label)), value })) };
}

function execute(title: Bilingual, verb: string, data: Record<string, string>, style?: 'positive' | 'destructive'): CardAction {
  return { type: 'Action.Execute', title: both(title), verb, data, ...(style === undefined ? {} : { style }) };
}

/** The classification label: first in every card. Teams has no free colours, so the container style carries it. */
export function tlpLabel(tlp: Tlp, note?: Bilingual): CardElement {
  const items: CardElement[] = [
    textBlock(`${TLP_SQUARE[tlp]} **${e(tlp)}** — ${e(both(TLP_TEXT[tlp]))}`, { color: TLP_STYLE[tlp] }),
  ];
  if (note !== undefined) items.push(small(e(both(note))));
  return { type: 'Container', style: TLP_STYLE[tlp], items };
}

function drillBanner(): CardElement {
  return { type: 'Container', style: 'warning', items: [textBlock(`🚧 ${e(both(T.drillBanner))} 🚧`, { weight: 'bolder' })] };
}

function envelope(tlp: Tlp, drill: boolean): CardElement[] {
  return drill ? [tlpLabel(tlp), drillBanner()] : [tlpLabel(tlp)];
}

/** Notification summary: the label first, as in e-mail subjects; `rest` is raw. */
function fallback(tlp: Tlp, drill: boolean, rest: string): string {
  return summaryText(`[${tlp}] ${drill ? `${T.drillTag.ja}${T.drillTag.en} ` : ''}${rest}`);
}

function name(n: LocalisedName): string {
  return both(n);
}

/**
 * The body as TextBlocks within `room` UTF-16 units of JSON: all of it when it fits, otherwise the longest
 * beginning that fits and a note saying it was cut.
 */
function fittedBody(raw: string, room: number): CardElement[] {
  const full = textBlock(e(raw));
  if (jsonLength(full) + 1 <= room) return [full];
  const note = small(e(stacked(ST.bodyTruncated)));
  const avail = room - jsonLength(note) - 2;
  const fits = (n: number): boolean => jsonLength(textBlock(e(truncate(raw, n)))) <= avail;
  let lo = 0;
  let hi = raw.length - 1;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (fits(mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo > 1 ? [textBlock(e(truncate(raw, lo))), note] : [note];
}

/** Escaped lines packed ROWS_PER_BLOCK to a TextBlock. */
function rowBlocks(lines: string[]): CardElement[] {
  const blocks: CardElement[] = [];
  for (let i = 0; i < lines.length; i += ROWS_PER_BLOCK) {
    blocks.push(textBlock(lines.slice(i, i + ROWS_PER_BLOCK).join('\n\n'), { spacing: 'small' }));
  }
  return blocks;
}

/** As many rows as ROWS_MAX and `room` allow, then "N more" (which always fits: room is reserved for it). */
function fittedRows(lines: string[], room: number): CardElement[] {
  const more = (n: number): CardElement => small(`➕ ${e(stacked(moreRows(n)))}`);
  if (lines.length <= ROWS_MAX && jsonLength(rowBlocks(lines)) <= room) return rowBlocks(lines);
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

/** "未着手 / open", or "X が対応中（電話中） / claimed by X (calling now)"; raw (escape the result). */
function taskState(state: PhoneTaskState, claimedBy: string | undefined): Bilingual {
  return state === 'claimed' && claimedBy !== undefined ? claimedByText(claimedBy) : PHONE_STATE_TEXT[state];
}

// ---------------------------------------------------------------------------------------------------------------

/**
 * The advisory in a member's channel (or a TLP:RED direct message): label, drill banner, title, facts, body,
 * then the acknowledge button, or who acknowledged once someone has.
 */
export function advisoryCard(view: AdvisoryView): AdaptiveCard {
  const top = envelope(view.tlp, view.drill);
  const head: CardElement[] = [
    heading(e(view.title)),
    factSet([
      [T.severity, e(both(SEVERITY_TEXT[view.severity]))],
      [T.category, e(both(CATEGORY_TEXT[view.category]))],
      [T.source, e(both(SOURCE_TEXT[view.source]))],
      [T.recipient, e(name(view.memberName))],
      [T.ackDeadline, e(formatTokyo(view.ackDeadline))],
    ]),
  ];

  const tail: CardElement[] = [];
  if (view.audience === 'direct') {
    tail.push({
      type: 'Container',
      style: 'attention',
      items: [textBlock(`🔒 ${e(T.doNotForward.ja)}`, { weight: 'bolder' }), textBlock(e(T.doNotForward.en), { weight: 'bolder', spacing: 'none' })],
    });
  }
  let actions: CardAction[] | undefined;
  if (view.acknowledged) {
    const a = view.acknowledged;
    tail.push(
      textBlock(`✅ **${e(both(T.acknowledgedBy))}**: ${e(`${a.by} (${formatTokyo(a.at)}, via ${both(VIA_TEXT[a.via])})`)}`, {
        color: 'good',
      }),
    );
    if (view.alsoSeenBy.length > 0) {
      const shown = view.alsoSeenBy.slice(0, ALSO_SEEN_MAX).map((s) => `${s.by} (${formatTokyo(s.at)})`);
      if (view.alsoSeenBy.length > ALSO_SEEN_MAX) shown.push(both(moreNames(view.alsoSeenBy.length - ALSO_SEEN_MAX)));
      tail.push(small(`👀 **${e(both(T.alsoSeenBy))}**: ${e(shown.join(', '))}`));
    }
  } else {
    tail.push(small(e(stacked(T.pleaseAck))));
    actions = [execute(T.ackButton, ADVISORY_ACK_VERB, { deliveryId: view.deliveryId }, 'positive')];
  }
  tail.push(small(e(`${view.advisoryId} · ${both(ST.issued)}: ${formatTokyo(view.issuedAt)}`)));

  const room = CARD_MAX_CHARS - jsonLength(card([...top, ...head, ...tail], actions));
  return card([...top, ...head, ...fittedBody(view.body, room), ...tail], actions);
}

// ---------------------------------------------------------------------------------------------------------------

/** Teams user ids (29:…), Entra ID object ids (8:orgid:… or a bare GUID): ids from the directory, never user text. */
const TEAMS_MENTION_ID = /^(?:29:|8:orgid:)?[0-9A-Za-z_:.-]+$/;
const MENTION_ID_MAX = 256;
const MENTION_NAME_MAX = 64;

/** Letters, digits, spaces and a few joiners only: the text sits inside `<at>…</at>` and must match the entity. */
function mentionName(raw: string | undefined): string {
  if (raw === undefined) return '';
  const clean = raw
    .replace(/[^\p{L}\p{M}\p{N} .'-]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return [...clean].slice(0, MENTION_NAME_MAX).join('').trim();
}

/**
 * A reminder in the member's channel, mentioning the member's contacts. Each valid id becomes `<at>name</at>`
 * in the card and a mention entity in card.msteams.entities (the id shows where no name is known). The
 * returned `entities` are the same objects, for callers that want them; the card needs nothing else.
 */
export function reminderCard(
  view: ReminderView,
  nameOf: (id: string) => string | undefined = () => undefined,
): { card: AdaptiveCard; entities: MentionEntity[] } {
  const entities: MentionEntity[] = [];
  const texts = new Set<string>();
  for (const id of new Set(view.mention)) {
    if (id.length > MENTION_ID_MAX || !TEAMS_MENTION_ID.test(id)) continue;
    let label = mentionName(nameOf(id));
    // Two contacts with the same name would give two identical <at> texts Teams could not tell apart.
    if (label === '' || texts.has(label)) label = id;
    texts.add(label);
    entities.push({ type: 'mention', text: `<at>${label}</at>`, mentioned: { id, name: label } });
  }

  const deadline = formatTokyo(view.ackDeadline);
  const body: CardElement[] = [...envelope(view.tlp, view.drill), textBlock(`⏰ ${e(both(ST.reminderHeading))}`, { weight: 'bolder', size: 'medium' })];
  // Our own markup, from validated ids and cleaned names only.
  if (entities.length > 0) body.push(textBlock(entities.map((m) => m.text).join(' ')));
  body.push(
    textBlock(e(stacked(reminderText(view.advisoryId, view.title, deadline)))),
    textBlock(e(stacked(ST.reminderPressAbove))),
    small(e(`${both(T.recipient)}: ${name(view.memberName)} · ${both(T.ackDeadline)}: ${deadline}`)),
  );
  return { card: card(body, undefined, entities), entities };
}

// ---------------------------------------------------------------------------------------------------------------

const E164 = /^\+[1-9]\d{6,14}$/;
const PHONE_DISPLAY = /^[0-9０-９+\-‐－() （）]{1,30}$/;

/**
 * `[03-5555-0101](tel:+81355550101)`, only from a valid E.164 number and a display made of digits and
 * separators (no "]" or ")" can close the link early); anything else is shown as escaped text, no link.
 */
function telLink(c: PhoneContactView): string {
  const display = PHONE_DISPLAY.test(c.phoneDisplay) ? c.phoneDisplay : c.phoneE164;
  if (E164.test(c.phoneE164) && PHONE_DISPLAY.test(display)) return `[${display}](tel:${c.phoneE164})`;
  return e(c.phoneDisplay || c.phoneE164);
}

function contactBlock(c: PhoneContactView, i: number): CardElement {
  const who = e(truncate(`${i + 1}. ${c.name}`, CONTACT_WHO_MAX));
  const role = c.role !== undefined && c.role !== '' ? ` ${e(truncate(`(${c.role})`, CONTACT_WHO_MAX))}` : '';
  const now = c.current ? ` ← ${e(both(ST.phoneCurrent))}` : '';
  const tried = c.tried.length > 0 ? ` — ${e(c.tried.map((o) => `❌ ${both(CALL_OUTCOME_TEXT[o])}`).join(', '))}` : '';
  const line = `${c.current ? '▶' : '・'} ${c.current ? `**${who}**` : who}${role} ${telLink(c)}${now}${tried}`;
  return textBlock(line, { spacing: 'small', ...(c.current ? { color: 'accent' } : {}) });
}

function phoneStateBlock(view: PhoneTaskView): CardElement {
  switch (view.state) {
    case 'open':
      return textBlock(`🟡 **${e(both(PHONE_STATE_TEXT.open))}** — ${e(both(ST.phoneOpen))}`);
    case 'claimed':
      return textBlock(`📞 ${e(both(taskState('claimed', view.claimedBy)))}`, { weight: 'bolder', color: 'accent' });
    case 'done': {
      const r = view.resolution;
      const who = r?.by ?? view.claimedBy ?? '?';
      const at = r !== undefined ? formatTokyo(r.at) : '?';
      return textBlock(`✅ ${e(stacked(reachedText(who, at)))}`, { color: 'good' });
    }
    case 'cancelled': {
      const at = view.resolution !== undefined ? ` (${formatTokyo(view.resolution.at)})` : '';
      return textBlock(`☑️ ${e(`${stacked(ST.phoneCancelled)}${at}`)}`);
    }
  }
}

/** The same buttons as on Slack, per state; none once the task is done or cancelled. */
function phoneActions(view: PhoneTaskView): CardAction[] | undefined {
  const data = { taskId: view.taskId };
  if (view.state === 'open') {
    return [
      execute(ST.phoneClaim, PHONE_VERB.claim, data, 'positive'),
      execute(ST.phoneReached, PHONE_VERB.reached, data),
      execute(ST.phoneNoAnswer, PHONE_VERB.noAnswer, data),
      execute(ST.phoneWrongNumber, PHONE_VERB.wrongNumber, data),
    ];
  }
  if (view.state === 'claimed') {
    return [
      execute(ST.phoneReached, PHONE_VERB.reached, data, 'positive'),
      execute(ST.phoneNoAnswer, PHONE_VERB.noAnswer, data),
      execute(ST.phoneWrongNumber, PHONE_VERB.wrongNumber, data),
      execute(ST.phoneRelease, PHONE_VERB.release, data),
    ];
  }
  return undefined;
}

/**
 * A phone task in the on-call channel: who to call, what to say, tap-to-call numbers, and the buttons to
 * record what happened. A TLP:RED task carries the title and a call-back request only, never body text,
 * whatever the view holds.
 */
export function phoneTaskCard(view: PhoneTaskView): AdaptiveCard {
  const body: CardElement[] = [
    ...envelope(view.tlp, view.drill),
    heading(e(`📞 ${both(ST.phoneTask)}: ${name(view.memberName)}`)),
    phoneStateBlock(view),
  ];
  if (view.exhausted && (view.state === 'open' || view.state === 'claimed')) {
    body.push({
      type: 'Container',
      style: 'attention',
      items: [textBlock(`⚠️ ${e(ST.phoneExhausted.ja)}`, { weight: 'bolder' }), textBlock(e(ST.phoneExhausted.en), { weight: 'bolder', spacing: 'none' })],
    });
  }
  body.push(
    factSet([
      [ST.advisoryId, e(view.advisoryId)],
      [ST.title, e(view.title)],
      [T.severity, e(both(SEVERITY_TEXT[view.severity]))],
      [T.ackDeadline, e(formatTokyo(view.ackDeadline))],
    ]),
    textBlock(`🗒️ **${e(both(ST.phoneScript))}**`),
  );

  const title = { ja: view.title, en: view.title };
  if (view.script === 'red' || view.tlp === 'TLP:RED') {
    body.push(textBlock(e(stacked(redScript(view.secretariatName, title)))), small(`🔒 ${e(stacked(ST.phoneRedNote))}`));
  } else {
    body.push(textBlock(e(stacked(standardScript(view.secretariatName, view.advisoryId, title)))));
    if (view.excerpt !== undefined && view.excerpt.trim() !== '') {
      body.push(textBlock(`**${e(both(ST.phoneExcerpt))}**`), textBlock(e(truncate(view.excerpt, EXCERPT_MAX)), { spacing: 'small' }));
    }
  }

  body.push(textBlock(`☎️ **${e(both(ST.phoneContacts))}**`));
  if (view.contacts.length === 0) {
    body.push(textBlock(`⚠️ ${e(stacked(ST.phoneNoContacts))}`, { color: 'attention' }));
  } else {
    body.push(...view.contacts.slice(0, PHONE_CONTACTS_MAX).map(contactBlock));
    if (view.contacts.length > PHONE_CONTACTS_MAX) body.push(small(e(both(moreNames(view.contacts.length - PHONE_CONTACTS_MAX)))));
  }
  body.push(small(e(`${view.taskId} · ${both(T.recipient)}: ${name(view.memberName)}`)));
  return card(body, phoneActions(view));
}

// ---------------------------------------------------------------------------------------------------------------

/** Messages for the secretariat channel. */
export function noticeCard(notice: NoticeView): AdaptiveCard {
  const body = envelope(notice.tlp, notice.drill);

  if (notice.kind === 'delivery_failed') {
    const known = teamsFailureText(notice.reason);
    body.push(
      textBlock(`⚠️ ${e(both(ST.deliveryFailed))}`, { weight: 'bolder', size: 'medium', color: 'attention' }),
      factSet([
        [ST.advisoryId, e(notice.advisoryId)],
        [ST.title, e(notice.title)],
        [ST.member, e(name(notice.memberName))],
        [ST.reason, e(notice.reason)],
      ]),
      textBlock(e(stacked(known ?? ST.unknownFailure))),
    );
    return card(body);
  }

  if (notice.kind === 'escalation_alert') {
    body.push(
      textBlock(`⚠️ ${e(both(ST.escalationAlert))}`, { weight: 'bolder', size: 'medium', color: 'attention' }),
      factSet([
        [ST.member, e(name(notice.memberName))],
        [ST.advisoryId, e(notice.advisoryId)],
        [ST.title, e(notice.title)],
        [ST.deliveryState, e(both(STATE_TEXT[notice.deliveryState]))],
        [ST.attempts, String(notice.attempts)],
        [ST.heldBy, e(notice.claimedBy ?? both(ST.nobody))],
      ]),
    );
    if (notice.wrongNumbers.length > 0) {
      body.push(
        textBlock(`📵 **${e(both(ST.wrongNumbers))}**: ${e(notice.wrongNumbers.join(', '))}`),
        textBlock(e(stacked(ST.fixDirectory)), { spacing: 'small' }),
      );
    }
    return card(body);
  }

  body.push(
    textBlock(`✅ ${e(both(ST.advisoryIssued))}`, { weight: 'bolder', size: 'medium', color: 'good' }),
    factSet([
      [ST.advisoryId, e(notice.advisoryId)],
      [ST.title, e(notice.title)],
      [ST.deliveries, String(notice.deliveries)],
      [T.ackDeadline, e(formatTokyo(notice.ackDeadline))],
      [ST.issuedBy, e(notice.issuedBy)],
    ]),
  );
  return card(body);
}

// ---------------------------------------------------------------------------------------------------------------

/** Where an unacknowledged member is on the escalation ladder; raw (escape the result). */
function ladderText(row: StatusRow): string {
  const parts: string[] = [];
  const l = row.ladder;
  const t = row.phoneTask;
  if (l?.kind === 'reminder' && t === undefined) parts.push(`⏰ ${both(ST.reminderSent)} (${formatTokyo(l.at)})`);
  if (t !== undefined) {
    const state = taskState(t.state, t.claimedBy);
    const k = contactOfText(t.contactIndex + 1, t.contacts);
    const step = ST.phoneStep;
    const tried = t.exhausted ? ST.allTried : undefined;
    parts.push(
      `📞 ${step.ja}: ${state.ja}、${k.ja}${tried ? `、⚠️ ${tried.ja}` : ''} / ${step.en}: ${state.en}, ${k.en}${tried ? `, ⚠️ ${tried.en}` : ''}`,
    );
  } else if (l !== undefined && (l.kind === 'phone' || l.kind === 'next-contact')) {
    parts.push(`📞 ${both(ST.phoneStep)}`);
  }
  if (l?.kind === 'alert') parts.push(`🚨 ${both(ST.secretariatAlerted)} (${formatTokyo(l.at)})`);
  return parts.join(' · ');
}

function statusLine(row: StatusRow): string {
  const parts = [both(STATE_TEXT[row.state])];
  if (row.acknowledgedBy !== undefined || row.acknowledgedAt !== undefined) {
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
  // A single absurdly long name must not make one row the size of a page.
  const member = e(truncate(name(row.memberName), 120));
  return `${STATE_MARK[row.state]} **${member}** — ${e(truncate(parts.join(' — '), STATUS_LINE_MAX))}`;
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
          `${both(ST.issued)}: ${formatTokyo(view.issuedAt)}`,
          `${both(T.ackDeadline)}: ${formatTokyo(view.ackDeadline)}`,
        ].join('  ·  '),
      ),
    ),
    factSet([
      [ST.total, String(c.total)],
      [STATE_TEXT.acknowledged, String(c.acknowledged)],
      [STATE_TEXT.posted, String(c.posted)],
      [STATE_TEXT.queued, String(c.queued)],
      [STATE_TEXT.failed, String(c.failed)],
    ]),
  ];
  if (view.rows.length === 0) {
    body.push(textBlock(e(both(ST.noRows))));
    return card(body);
  }
  const rows = view.rows
    .map((row, i) => ({ row, i }))
    .sort((a, b) => STATUS_ORDER[a.row.state] - STATUS_ORDER[b.row.state] || a.i - b.i)
    .map(({ row }) => statusLine(row));
  const room = CARD_MAX_CHARS - jsonLength(card(body)) - 1;
  return card([...body, ...fittedRows(rows, room)]);
}

// ---------------------------------------------------------------------------------------------------------------

/** The answer to `advisory oncall`: open phone tasks, oldest first, under the most restrictive label among them. */
export function oncallListCard(view: OncallListView): AdaptiveCard {
  const tasks = [...view.tasks].sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt));
  if (tasks.length === 0) {
    return card([heading(e(`📞 ${both(ST.oncallTitle)}`)), textBlock(`✅ ${e(stacked(ST.oncallEmpty))}`)]);
  }
  const strictest = TLP_LEVELS[Math.min(...tasks.map((t) => TLP_LEVELS.indexOf(t.tlp)))] ?? 'TLP:RED';
  const body: CardElement[] = [
    tlpLabel(strictest, TT.tlpMostRestrictive),
    heading(e(`📞 ${both(ST.oncallTitle)} (${both(openTasksText(tasks.length))})`)),
  ];
  const lines = tasks.map((t) => {
    const parts = [
      `${t.advisoryId} ${t.title}`,
      both(SEVERITY_TEXT[t.severity]),
      both(taskState(t.state, t.claimedBy)),
      both(contactOfText(t.contactIndex + 1, t.contacts)),
      ...(t.exhausted ? [`⚠️ ${both(ST.allTried)}`] : []),
      formatTokyo(t.createdAt),
    ];
    const drill = t.drill ? ` ${e(T.drillTag.ja + T.drillTag.en)}` : '';
    const member = e(truncate(name(t.memberName), 120));
    return `${TLP_SQUARE[t.tlp]} **${e(t.tlp)}**${drill} **${member}** — ${e(truncate(parts.join(' — '), STATUS_LINE_MAX))}`;
  });
  const room = CARD_MAX_CHARS - jsonLength(card(body)) - 1;
  return card([...body, ...fittedRows(lines, room)]);
}

// ---------------------------------------------------------------------------------------------------------------

/** Everything the chat port posts, by kind: the one render dependency of the Teams chat port (TeamsRender). */
export function renderTeamsMessage(message: OutboundView): TeamsMessage {
  switch (message.kind) {
    case 'advisory': {
      const v = message.view;
      return { text: fallback(v.tlp, v.drill, v.title), card: advisoryCard(v) };
    }
    case 'reminder': {
      const v = message.view;
      const text = fallback(v.tlp, v.drill, `⏰ ${both(ST.reminderHeading)}: ${v.advisoryId} ${v.title}`);
      return { text, card: reminderCard(v).card };
    }
    case 'phone_task': {
      const v = message.view;
      const text = fallback(v.tlp, v.drill, `📞 ${both(ST.phoneTask)}: ${name(v.memberName)} — ${v.advisoryId} ${v.title}`);
      return { text, card: phoneTaskCard(v) };
    }
    case 'notice': {
      const n = message.view;
      const what =
        n.kind === 'delivery_failed'
          ? `⚠️ ${both(ST.deliveryFailed)}: ${n.advisoryId} ${n.title} → ${name(n.memberName)} (${n.reason})`
          : n.kind === 'escalation_alert'
            ? `⚠️ ${both(ST.escalationAlert)}: ${n.advisoryId} ${n.title} → ${name(n.memberName)}`
            : `✅ ${both(ST.advisoryIssued)}: ${n.advisoryId} ${n.title}`;
      return { text: fallback(n.tlp, n.drill, what), card: noticeCard(n) };
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The advisory form (a Teams dialog).

/** Input ids: the keys of the data Teams submits, and the `field` of every form error. */
export const FORM_INPUT = {
  title: 'title',
  body: 'body',
  tlp: 'tlp',
  severity: 'severity',
  category: 'category',
  source: 'source',
  targets: 'targets',
  groups: 'target_groups',
  organisations: 'target_organisations',
  ackDeadline: 'ack_deadline',
  drill: 'drill',
  noEscalate: 'no_escalate',
} as const;
export type FormInputId = (typeof FORM_INPUT)[keyof typeof FORM_INPUT];

/** Values of the targets multi-select. */
export const TARGET_ALL_MEMBERS = 'all_members';
export const TARGET_OBSERVERS = 'observers';
export const DEADLINE_DEFAULT = 'default';
export const DEADLINE_CHOICES_MINUTES = [15, 30, 60, 120, 240, 480, 1440, 4320] as const;

/**
 * Pickers with more entries than this use Teams' dynamic typeahead (Data.Query) instead of listing every
 * choice in the card: 1,800 municipalities would make a card of over 100 KB. The bot answers the
 * `application/search` invoke for these datasets with targetSearchChoices.
 */
export const STATIC_CHOICES_MAX = 200;
export const TARGET_DATASET = { groups: 'ceptoar.groups', organisations: 'ceptoar.organisations' } as const;
/** Teams shows at most 15 typeahead results. */
const SEARCH_RESULTS_MAX = 15;

export interface FormError {
  field: string;
  message: string;
}

type Choice = { title: string; value: string };
type TargetItem = { id: string; name: LocalisedName; kind?: 'member' | 'observer' };

function targetChoice(o: TargetItem): Choice {
  const kind = o.kind === 'observer' ? ` (${both(ST.observers)})` : '';
  return { title: `${both(o.name)}${kind} · ${o.id}`, value: o.id };
}

const normalise = (s: string): string => s.normalize('NFKC').toLowerCase();

/**
 * Typeahead results for a target picker: id and both names, NFKC-normalised (full- and half-width input find
 * the same entry); names that start with the query first, because people type the beginning of 「横浜市」.
 * Wrap as { type: 'application/vnd.microsoft.search.searchResponse', value: { results } }.
 */
export function targetSearchChoices(query: string, items: TargetItem[], max: number = SEARCH_RESULTS_MAX): Choice[] {
  const q = normalise(query.trim());
  const starts: TargetItem[] = [];
  const contains: TargetItem[] = [];
  for (const o of items) {
    const keys = [o.id, o.name.ja, o.name.en].map(normalise);
    if (q === '' || keys.some((k) => k.startsWith(q))) starts.push(o);
    else if (keys.some((k) => k.includes(q))) contains.push(o);
    if (starts.length >= max) break;
  }
  return [...starts, ...contains].slice(0, max).map(targetChoice);
}

/** What the form shows in each input: the submitted data when it comes back with errors. */
type FormValues = Partial<Record<FormInputId, string>>;

function hint(t: Bilingual): CardElement {
  return small(e(both(t)));
}

function targetPicker(id: FormInputId, label: Bilingual, items: TargetItem[], dataset: string, selected: string | undefined): CardElement {
  const picked = new Set(splitList(selected));
  const dynamic = items.length > STATIC_CHOICES_MAX;
  // A dynamic picker still lists what was already picked, so a returned form shows their names.
  const choices = (dynamic ? items.filter((o) => picked.has(o.id)) : items).map(targetChoice);
  return {
    type: 'Input.ChoiceSet',
    id,
    label: both(label),
    isMultiSelect: true,
    style: 'filtered',
    placeholder: both(ST.organisationsSearch),
    choices,
    ...(dynamic ? { 'choices.data': { type: 'Data.Query', dataset } } : {}),
    ...(picked.size > 0 ? { value: [...picked].join(',') } : {}),
  };
}

function buildForm(options: TargetOptions, values: FormValues, errors: FormError[]): AdaptiveCard {
  const body: CardElement[] = [];
  const errorsOf = (id: FormInputId): CardElement[] =>
    errors.filter((x) => x.field === id).map((x) => textBlock(`⚠️ ${e(x.message)}`, { size: 'small', color: 'attention', spacing: 'none' }));
  const add = (id: FormInputId, element: CardElement, ...after: CardElement[]): void => {
    body.push(element, ...after, ...errorsOf(id));
  };

  if (errors.length > 0) {
    body.push({
      type: 'Container',
      style: 'attention',
      items: [
        textBlock(`⚠️ ${e(both(TT.formErrors))}`, { weight: 'bolder' }),
        ...errors.map((x) => textBlock(`• ${e(x.message)}`, { spacing: 'small' })),
      ],
    });
  }

  const choose = both(ST.choose);
  const value = (id: FormInputId, fallbackValue?: string): Record<string, string> => {
    const v = values[id] ?? fallbackValue;
    return v === undefined || v === '' ? {} : { value: v };
  };

  add(FORM_INPUT.title, {
    type: 'Input.Text',
    id: FORM_INPUT.title,
    label: both(ST.title),
    isRequired: true,
    errorMessage: both(FIELD_ERROR.required(FIELD_NOUN.title)),
    maxLength: TITLE_MAX,
    ...value(FORM_INPUT.title),
  });
  add(
    FORM_INPUT.body,
    {
      type: 'Input.Text',
      id: FORM_INPUT.body,
      label: both(ST.body),
      isMultiline: true,
      isRequired: true,
      errorMessage: both(FIELD_ERROR.required(FIELD_NOUN.body)),
      maxLength: BODY_MAX,
      ...value(FORM_INPUT.body),
    },
    hint(TT.bodyHint),
  );
  add(FORM_INPUT.tlp, {
    type: 'Input.ChoiceSet',
    id: FORM_INPUT.tlp,
    label: both(ST.tlp),
    style: 'compact',
    isRequired: true,
    errorMessage: both(FIELD_ERROR.choose(FIELD_NOUN.tlp)),
    choices: TLP_LEVELS.map((l) => ({ title: `${l} — ${both(TLP_TEXT[l])}`, value: l })),
    ...value(FORM_INPUT.tlp, 'TLP:AMBER'),
  });
  add(FORM_INPUT.severity, {
    type: 'Input.ChoiceSet',
    id: FORM_INPUT.severity,
    label: both(T.severity),
    style: 'compact',
    isRequired: true,
    errorMessage: both(FIELD_ERROR.choose(FIELD_NOUN.severity)),
    choices: SEVERITIES.map((s) => ({
      title: `${both(SEVERITY_TEXT[s])} (${both(severityDefaultText(options.defaultDeadlineMinutes[s]))})`,
      value: s,
    })),
    ...value(FORM_INPUT.severity, 'level2'),
  });
  add(FORM_INPUT.category, {
    type: 'Input.ChoiceSet',
    id: FORM_INPUT.category,
    label: both(T.category),
    style: 'compact',
    placeholder: choose,
    isRequired: true,
    errorMessage: both(FIELD_ERROR.choose(FIELD_NOUN.category)),
    choices: CATEGORIES.map((c) => ({ title: both(CATEGORY_TEXT[c]), value: c })),
    ...value(FORM_INPUT.category),
  });
  add(FORM_INPUT.source, {
    type: 'Input.ChoiceSet',
    id: FORM_INPUT.source,
    label: both(T.source),
    style: 'compact',
    placeholder: choose,
    isRequired: true,
    errorMessage: both(FIELD_ERROR.choose(FIELD_NOUN.source)),
    choices: SOURCES.map((s) => ({ title: both(SOURCE_TEXT[s]), value: s })),
    ...value(FORM_INPUT.source),
  });
  // Each target input is optional on its own; "at least one of them" is checked on submit and reported here.
  add(
    FORM_INPUT.targets,
    {
      type: 'Input.ChoiceSet',
      id: FORM_INPUT.targets,
      label: both(ST.targets),
      style: 'expanded',
      isMultiSelect: true,
      choices: [
        { title: both(ST.allMembers), value: TARGET_ALL_MEMBERS },
        { title: both(ST.observers), value: TARGET_OBSERVERS },
      ],
      ...value(FORM_INPUT.targets),
    },
    hint(ST.targetsHint),
  );
  if (options.groups.length > 0) {
    add(FORM_INPUT.groups, targetPicker(FORM_INPUT.groups, ST.groups, options.groups, TARGET_DATASET.groups, values[FORM_INPUT.groups]));
  }
  if (options.organisations.length > 0) {
    add(
      FORM_INPUT.organisations,
      targetPicker(FORM_INPUT.organisations, ST.organisations, options.organisations, TARGET_DATASET.organisations, values[FORM_INPUT.organisations]),
    );
  }
  add(FORM_INPUT.ackDeadline, {
    type: 'Input.ChoiceSet',
    id: FORM_INPUT.ackDeadline,
    label: both(T.ackDeadline),
    style: 'compact',
    choices: [
      { title: both(ST.severityDefault), value: DEADLINE_DEFAULT },
      ...DEADLINE_CHOICES_MINUTES.map((m) => ({ title: both(durationText(m)), value: String(m) })),
    ],
    ...value(FORM_INPUT.ackDeadline, DEADLINE_DEFAULT),
  });
  add(FORM_INPUT.drill, {
    type: 'Input.Toggle',
    id: FORM_INPUT.drill,
    label: both(ST.drill),
    title: both(ST.drillOption),
    valueOn: 'true',
    valueOff: 'false',
    value: values[FORM_INPUT.drill] === 'true' ? 'true' : 'false',
  });
  if (options.escalationOptional.length > 0) {
    add(
      FORM_INPUT.noEscalate,
      {
        type: 'Input.Toggle',
        id: FORM_INPUT.noEscalate,
        label: both(ST.escalation),
        title: both(noEscalateOption(options.escalationOptional)),
        valueOn: 'true',
        valueOff: 'false',
        value: values[FORM_INPUT.noEscalate] === 'true' ? 'true' : 'false',
      },
      hint(ST.escalationHint),
    );
  }
  // An error whose field has no input in this form (e.g. a picker the directory no longer offers) still shows
  // at the top; nothing is lost.
  return card(body, [{ type: 'Action.Submit', title: both(ST.modalSubmit), data: { verb: ADVISORY_ISSUE_VERB } }]);
}

/** The advisory dialog: title, body, classification, targets, deadline, drill, and (where allowed) no escalation. */
export function advisoryFormCard(options: TargetOptions): AdaptiveCard {
  return buildForm(options, {}, []);
}

/** The form again, with every error listed at the top (and under its input) and what was typed filled in. */
export function formErrorCard(options: TargetOptions, errors: FormError[], previous: Record<string, unknown>): AdaptiveCard {
  const values: FormValues = {};
  for (const id of Object.values(FORM_INPUT)) {
    const v = readString(previous, id);
    // Bounded so a hostile submission cannot make the answer arbitrarily large.
    if (v !== undefined) values[id] = v.slice(0, 2 * BODY_MAX);
  }
  return buildForm(options, values, errors);
}

/** A message with one button that opens the advisory dialog (Teams opens dialogs from a card action only). */
export function openFormCard(verb: string): AdaptiveCard {
  return card(
    [textBlock(e(stacked(TT.openFormIntro)))],
    [{ type: 'Action.Submit', title: both(TT.openFormButton), data: { msteams: { type: 'task/fetch' }, verb } }],
  );
}

// ---------------------------------------------------------------------------------------------------------------

function readString(data: Record<string, unknown>, key: string): string | undefined {
  if (!Object.hasOwn(data, key)) return undefined;
  const v = data[key];
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

/** Teams sends a multi-select's values as one comma-separated string. */
function splitList(v: string | undefined): string[] {
  return [...new Set((v ?? '').split(',').map((s) => s.trim()).filter((s) => s !== ''))];
}

export type FormResult = { ok: true; input: ValidAdvisoryInput } | { ok: false; errors: FormError[] };

/** Which input shows the error for a schema path, and which noun names it. */
const FIELD_INPUT: Record<string, { input: FormInputId; label: Bilingual }> = {
  title: { input: FORM_INPUT.title, label: FIELD_NOUN.title },
  body: { input: FORM_INPUT.body, label: FIELD_NOUN.body },
  tlp: { input: FORM_INPUT.tlp, label: FIELD_NOUN.tlp },
  severity: { input: FORM_INPUT.severity, label: FIELD_NOUN.severity },
  category: { input: FORM_INPUT.category, label: FIELD_NOUN.category },
  source: { input: FORM_INPUT.source, label: FIELD_NOUN.source },
  drill: { input: FORM_INPUT.drill, label: FIELD_NOUN.drill },
  ackDeadlineMinutes: { input: FORM_INPUT.ackDeadline, label: FIELD_NOUN.ackDeadline },
  escalate: { input: FORM_INPUT.noEscalate, label: FIELD_NOUN.escalate },
};

/**
 * The dialog's submitted data → a validated AdvisoryInput, or every problem at once (one message per field and
 * problem), each bilingual and filed under the input id that shows it. Mirrors the Slack modal's parser.
 */
export function parseAdvisoryForm(data: Record<string, unknown>): FormResult {
  const text = (id: FormInputId): string => readString(data, id) ?? '';
  const selected = (id: FormInputId): string | undefined => {
    const v = readString(data, id)?.trim();
    return v === undefined || v === '' ? undefined : v;
  };
  const toggled = (id: FormInputId): boolean => readString(data, id)?.trim().toLowerCase() === 'true';

  const flags = splitList(readString(data, FORM_INPUT.targets));
  const deadline = selected(FORM_INPUT.ackDeadline);
  const candidate: AdvisoryInput = {
    title: text(FORM_INPUT.title),
    body: text(FORM_INPUT.body),
    // Missing selections are passed through as undefined so the schema reports them like any other issue.
    tlp: selected(FORM_INPUT.tlp) as AdvisoryInput['tlp'],
    severity: selected(FORM_INPUT.severity) as AdvisoryInput['severity'],
    category: selected(FORM_INPUT.category) as AdvisoryInput['category'],
    source: selected(FORM_INPUT.source) as AdvisoryInput['source'],
    drill: toggled(FORM_INPUT.drill),
    targets: {
      allMembers: flags.includes(TARGET_ALL_MEMBERS),
      observers: flags.includes(TARGET_OBSERVERS),
      groups: splitList(readString(data, FORM_INPUT.groups)),
      members: splitList(readString(data, FORM_INPUT.organisations)),
    },
    ackDeadlineMinutes: deadline === undefined || deadline === DEADLINE_DEFAULT ? undefined : Number(deadline),
    // No toggle at all (no severity may skip escalation) reads as "escalate", the default.
    escalate: !toggled(FORM_INPUT.noEscalate),
  };

  const parsed = AdvisoryInput.safeParse(candidate);
  if (parsed.success) return { ok: true, input: parsed.data };

  const errors: FormError[] = [];
  const seen = new Set<string>();
  for (const issue of parsed.error.issues) {
    const [field, message] = placeIssue(issue, candidate);
    const error = { field, message: both(message) };
    const key = `${error.field}\u0000${error.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    errors.push(error);
  }
  return { ok: false, errors };
}

interface IssueLike {
  code: string;
  path: PropertyKey[];
  maximum?: unknown;
}

/** Zod does not echo the input in its issues, so "not chosen" vs "not valid" is told from what was read. */
function placeIssue(issue: IssueLike, candidate: AdvisoryInput): [FormInputId, Bilingual] {
  const [head, sub] = issue.path;
  if (head === 'targets') {
    // The "at least one target" refinement is filed under targets.members; the remedy is any target input.
    if (issue.code === 'custom') return [FORM_INPUT.targets, FIELD_ERROR.noTarget];
    if (sub === 'groups') return [FORM_INPUT.groups, FIELD_ERROR.invalid(FIELD_NOUN.groups)];
    if (sub === 'members') return [FORM_INPUT.organisations, FIELD_ERROR.invalid(FIELD_NOUN.organisations)];
    return [FORM_INPUT.targets, FIELD_ERROR.invalid(FIELD_NOUN.targets)];
  }
  if (head === 'escalate' && issue.code === 'custom') return [FORM_INPUT.noEscalate, escalateNotAllowed(ESCALATION_OPTIONAL)];
  const f = typeof head === 'string' ? FIELD_INPUT[head] : undefined;
  // An issue on a path the form has no input for goes on the first input, so the person at least sees it.
  if (f === undefined) return [FORM_INPUT.title, ERROR_TEXT['ADVISORY.INVALID']];
  const isText = head === 'title' || head === 'body';
  switch (issue.code) {
    case 'too_small':
      return [f.input, isText ? FIELD_ERROR.required(f.label) : FIELD_ERROR.invalid(f.label)];
    case 'too_big':
      return [
        f.input,
        isText ? FIELD_ERROR.tooLong(f.label, Number(issue.maximum ?? (head === 'body' ? BODY_MAX : TITLE_MAX))) : FIELD_ERROR.invalid(f.label),
      ];
    case 'invalid_value':
    case 'invalid_type':
      if (isText) return [f.input, FIELD_ERROR.required(f.label)];
      return [f.input, (candidate as Record<string, unknown>)[head as string] === undefined ? FIELD_ERROR.choose(f.label) : FIELD_ERROR.invalid(f.label)];
    default:
      return [f.input, FIELD_ERROR.invalid(f.label)];
  }
}
