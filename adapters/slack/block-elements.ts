import type { ActionsBlock, ContextBlock, KnownBlock, MessageAttachment, SectionBlock } from '@slack/types';
import type { LocalisedName } from '../../src/directory/schema.js';
import type { Tlp } from '../../src/domain/classification.js';
import type { PhoneTaskState } from '../../src/domain/phone-task.js';
import { claimedByText, PHONE_STATE_TEXT } from '../../src/i18n/phone-text.js';
import { both, T, TLP_TEXT, type Bilingual } from '../../src/i18n/text.js';
import { escapeMrkdwn, SECTION_TEXT_MAX, truncateMrkdwn, truncatePlain } from './mrkdwn.js';
import { TLP_SQUARE } from '../../src/view/marks.js';

/**
 * What every Slack message renderer (advisory-blocks.ts, phone-task-blocks.ts, status-blocks.ts,
 * notice-blocks.ts, reminder-blocks.ts) builds with: Slack's limits, the message shapes, the classification
 * envelope and small block builders.
 */

/** Slack's limits: blocks per message, header text, button text, a context element's text. */
export const MAX_BLOCKS = 50;
const HEADER_MAX = 150;
export const BUTTON_MAX = 75;
const CONTEXT_TEXT_MAX = 2000;
const FIELD_TEXT_MAX = 2000;
/** Rows per status section: short enough to scan, long enough that 1,800 members need few blocks. */
const STATUS_ROWS_PER_SECTION = 10;

export interface RenderedMessage {
  text: string;
  blocks: KnownBlock[];
}

/** A message with a TLP-coloured attachment (advisory, phone task). */
export interface AttachmentMessage extends RenderedMessage {
  attachments: MessageAttachment[];
}

/**
 * The acknowledge button, under an advisory and under a follow-up that asks for acknowledgement (ack-action.ts
 * handles the press, finding the delivery from the message pressed); its value is the delivery id.
 */
export const ACK_ACTION_ID = 'advisory_ack';
export const ACK_BLOCK_ID = 'advisory_ack';

// ---------------------------------------------------------------------------------------------------------------
// Small builders. Every user-typed string passes through escapeMrkdwn before it reaches a mrkdwn object;
// our own constants are escaped too, so "is this escaped?" never needs an answer.

const e = escapeMrkdwn;

export function mrkdwnSection(text: string): SectionBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: truncateMrkdwn(text, SECTION_TEXT_MAX), verbatim: true } };
}

export function context(text: string): ContextBlock {
  return { type: 'context', elements: [{ type: 'mrkdwn', text: truncateMrkdwn(text, CONTEXT_TEXT_MAX), verbatim: true }] };
}

export function field(label: Bilingual, value: string): { type: 'mrkdwn'; text: string; verbatim: true } {
  return { type: 'mrkdwn', text: truncateMrkdwn(`*${e(both(label))}*\n${value}`, FIELD_TEXT_MAX), verbatim: true };
}

export function header(text: string): KnownBlock {
  return { type: 'header', text: { type: 'plain_text', text: truncatePlain(text, HEADER_MAX), emoji: true } };
}

export function name(n: LocalisedName): string {
  return e(both(n));
}

/** Both languages escaped and bold, one line each (Slack's bold does not span a line break). */
export function boldStacked(t: Bilingual): string {
  return `*${e(t.ja)}*\n*${e(t.en)}*`;
}

/** Both languages escaped, for composing one bilingual line from several parts. */
export function eb(t: Bilingual): Bilingual {
  return { ja: e(t.ja), en: e(t.en) };
}

/** "未着手 / open", or "X が対応中（電話中） / claimed by X (calling now)"; escaped. */
export function taskState(state: PhoneTaskState, claimedBy: string | undefined): Bilingual {
  return state === 'claimed' && claimedBy !== undefined ? claimedByText(e(claimedBy)) : eb(PHONE_STATE_TEXT[state]);
}

/** "🟧 *TLP:AMBER* — 限定公開 / Organisation and its clients, need to know" */
export function tlpLine(tlp: Tlp): string {
  return `${TLP_SQUARE[tlp]} *${tlp}* — ${e(both(TLP_TEXT[tlp]))}`;
}

/** The actions block with the acknowledge button for the delivery `deliveryId`. */
export function ackActions(deliveryId: string): ActionsBlock {
  return {
    type: 'actions',
    block_id: ACK_BLOCK_ID,
    elements: [
      {
        type: 'button',
        action_id: ACK_ACTION_ID,
        text: { type: 'plain_text', text: truncatePlain(both(T.ackButton), BUTTON_MAX), emoji: true },
        value: deliveryId,
        style: 'primary',
      },
    ],
  };
}

export function drillBanner(): SectionBlock {
  return mrkdwnSection(`🚧 *${e(both(T.drillBanner))}* 🚧`);
}

/** Notification text: the label first, as in e-mail subjects, so a lock-screen preview already shows it. */
export function fallback(tlp: Tlp, drill: boolean, rest: string): string {
  return `[${tlp}] ${drill ? `${T.drillTag.ja}${T.drillTag.en} ` : ''}${rest}`;
}

/** Pack lines into sections of up to STATUS_ROWS_PER_SECTION lines and SECTION_TEXT_MAX characters. */
export function groupRows(lines: string[]): { text: string; rows: number }[] {
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
