import type { LocalisedName } from '../../src/directory/schema.js';
import type { Tlp } from '../../src/domain/classification.js';
import type { PhoneTaskState } from '../../src/domain/phone-task.js';
import { claimedByText, PHONE_STATE_TEXT } from '../../src/i18n/phone-text.js';
import { both, T, TLP_TEXT, type Bilingual } from '../../src/i18n/text.js';
import { escapeCardText, summaryText } from './card-text.js';
import { TLP_SQUARE } from '../../src/view/marks.js';

/**
 * What every Teams card (advisory-card.ts, reminder-card.ts, phone-task-card.ts, phone-board-card.ts, notice-card.ts,
 * status-cards.ts, advisory-form-card.ts) is built from: the card types, Teams' size limit, the
 * classification label and small element builders.
 *
 * Adaptive Cards (1.5) for Teams: the same content as the Slack messages (adapters/slack/*-blocks.ts),
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
  /** Plain text a client that cannot show the card shows instead (and screen readers announce). */
  fallbackText?: string;
};

export const CARD_SCHEMA = 'http://adaptivecards.io/schemas/adaptive-card.json';

/**
 * Teams refuses bot messages over its size limit (413 MessageSizeTooBig; documented as 40 KB of UTF-16 for
 * the whole activity in older docs, 100 KB now). Cards are kept under this many UTF-16 units of JSON, which
 * leaves room for the activity around them even under the old limit. A 12,000-character Japanese body fits;
 * only pathological input (long runs of escaped punctuation) is cut, with a note.
 */
export const CARD_MAX_CHARS = 18_000;

const TLP_STYLE: Record<Tlp, 'attention' | 'warning' | 'good' | 'default'> = {
  'TLP:RED': 'attention',
  'TLP:AMBER+STRICT': 'warning',
  'TLP:AMBER': 'warning',
  'TLP:GREEN': 'good',
  'TLP:CLEAR': 'default',
};

/**
 * Action.Execute verb of the acknowledge button, on the advisory and on a follow-up that asks for acknowledgement;
 * the data carries the delivery id (teams-card-actions.ts checks it against the message pressed).
 */
export const ADVISORY_ACK_VERB = 'advisory_ack';

// ---------------------------------------------------------------------------------------------------------------
// Small builders.

const e = escapeCardText;
export const jsonLength = (value: unknown): number => JSON.stringify(value).length;

export function card(body: CardElement[], actions?: CardAction[], entities?: MentionEntity[]): AdaptiveCard {
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
export function textBlock(text: string, extra: Record<string, unknown> = {}): CardElement {
  return { type: 'TextBlock', text, wrap: true, ...extra };
}

export function small(text: string): CardElement {
  return textBlock(text, { size: 'small', isSubtle: true, spacing: 'small' });
}

export function heading(text: string): CardElement {
  return textBlock(text, { size: 'large', weight: 'bolder' });
}

export function factSet(facts: [Bilingual, string][]): CardElement {
  return { type: 'FactSet', facts: facts.map(([label, value]) => ({ title: e(both(label)), value })) };
}

export function execute(title: Bilingual, verb: string, data: Record<string, string>, style?: 'positive' | 'destructive'): CardAction {
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

export function envelope(tlp: Tlp, drill: boolean): CardElement[] {
  return drill ? [tlpLabel(tlp), drillBanner()] : [tlpLabel(tlp)];
}

/** Notification summary: the label first, as in e-mail subjects; `rest` is raw. */
export function fallback(tlp: Tlp, drill: boolean, rest: string): string {
  return summaryText(`[${tlp}] ${drill ? `${T.drillTag.ja}${T.drillTag.en} ` : ''}${rest}`);
}

export function name(n: LocalisedName): string {
  return both(n);
}

/** "未着手 / open", or "X が対応中（電話中） / claimed by X (calling now)"; raw (escape the result). */
export function taskState(state: PhoneTaskState, claimedBy: string | undefined): Bilingual {
  return state === 'claimed' && claimedBy !== undefined ? claimedByText(claimedBy) : PHONE_STATE_TEXT[state];
}
