import type { KnownBlock } from '@slack/types';
import { TLP_COLOUR } from '../../src/domain/classification.js';
import { CT, moreNames } from '../../src/i18n/chat-text.js';
import {
  CALL_NOW_TEXT,
  callableFromText,
  callsText,
  CONTACT_STATE_MARK,
  CONTACT_STATE_TEXT,
  contactText,
  NOT_CALLABLE_YET_TEXT,
  overdueText,
  PHONE_STATE_TEXT,
  REACHED_CHOICE_TEXT,
  reachedChoiceLabel,
  reachedContactText,
  reachedText,
  redScript,
  standardScript,
} from '../../src/i18n/phone-text.js';
import { both, formatTokyo, SEVERITY_TEXT, stacked, T, type Bilingual } from '../../src/i18n/text.js';
import type { PhoneContactView, PhoneTaskView, ReachedChoiceView } from '../../src/view/views.js';
import {
  boldStacked,
  BUTTON_MAX,
  context,
  drillBanner,
  fallback,
  field,
  groupRows,
  header,
  mrkdwnSection,
  name,
  taskState,
  tlpLine,
  type AttachmentMessage,
} from './block-elements.js';
import { RT } from '../../src/i18n/round-text.js';
import { escapeMrkdwn, truncateMrkdwn, truncatePlain } from './mrkdwn.js';
import { phoneButtonId, phoneButtonValue, reachedChoiceButtonId } from '../../src/view/buttons.js';

/** Phone task buttons; each button's value is the task id (a "reached" choice's adds the contact it names). */
export const PHONE_TASK_BLOCK_ID = 'phone_task';
/** The "reached" choices, one button per contact of the member. */
export const PHONE_REACHED_BLOCK_ID = 'phone_reached';
export const PHONE_CLAIM_ACTION_ID = phoneButtonId('claim');
export const PHONE_REACHED_ACTION_ID = phoneButtonId('reached');
export const PHONE_NO_ANSWER_ACTION_ID = phoneButtonId('no_answer');
export const PHONE_WRONG_NUMBER_ACTION_ID = phoneButtonId('wrong_number');
export const PHONE_RELEASE_ACTION_ID = phoneButtonId('release');
export const PHONE_ACTION_IDS = [
  PHONE_CLAIM_ACTION_ID,
  PHONE_REACHED_ACTION_ID,
  PHONE_NO_ANSWER_ACTION_ID,
  PHONE_WRONG_NUMBER_ACTION_ID,
  PHONE_RELEASE_ACTION_ID,
] as const;
export type PhoneActionId = (typeof PHONE_ACTION_IDS)[number];

/** Contact lines per phone task: the directory lists a few; a runaway list must not push the buttons off. */
const PHONE_CONTACTS_MAX = 20;
/** "Reached" choices: within the 25 elements of an actions block, and as many as the contact lines shown. */
const REACHED_CHOICES_MAX = PHONE_CONTACTS_MAX;
/** One contact line (name, role, number, outcomes). */
const CONTACT_LINE_MAX = 500;
/** Excerpt in the call script: enough to say what it is about, one section at most. */
const EXCERPT_MAX = 1500;

const e = escapeMrkdwn;

const E164 = /^\+[1-9]\d{6,14}$/;
const PHONE_DISPLAY = /^[0-9０-９+\-‐－() （）]{1,30}$/;

/** `<tel:+81355550101|03-5555-0101>`, but only for numbers that look like numbers: a `|` or `>` must not reach mrkdwn. */
function telLink(c: PhoneContactView): string {
  const display = PHONE_DISPLAY.test(c.phoneDisplay) ? c.phoneDisplay : c.phoneE164;
  if (E164.test(c.phoneE164) && PHONE_DISPLAY.test(display)) return `<tel:${c.phoneE164}|${display}>`;
  return `\`${e(c.phoneDisplay || c.phoneE164)}\``;
}

/**
 * One contact: number, where calls to them stand (not tried, no answer, wrong number, reached), and whether to call
 * them now, later (from the ladder's time) or as they come. Passing time never marks a contact as tried.
 */
function contactLine(view: PhoneTaskView) {
  const working = view.state === 'open' || view.state === 'claimed';
  return (c: PhoneContactView, i: number): string => {
    const marker = c.current ? '▶' : '・';
    const who = c.current ? `*${i + 1}. ${e(c.name)}*` : `${i + 1}. ${e(c.name)}`;
    const role = c.role !== undefined && c.role !== '' ? ` (${e(c.role)})` : '';
    const calls = c.tried.length > 1 ? ` (${e(both(callsText(c.tried.length)))})` : '';
    const state = ` — ${CONTACT_STATE_MARK[c.state]} ${e(both(CONTACT_STATE_TEXT[c.state]))}${calls}`;
    let when = '';
    if (c.current) when = ` — *${e(both(CALL_NOW_TEXT))}*`;
    else if (working && !c.callable) when = ` — ${e(both(c.callableFrom !== undefined ? callableFromText(formatTokyo(c.callableFrom)) : NOT_CALLABLE_YET_TEXT))}`;
    const line = `${marker} ${who}${role} ${telLink(c)}${state}${when}`;
    // Cut the name and role rather than the link: a half link would show its raw syntax.
    if (line.length <= CONTACT_LINE_MAX) return line;
    return `${marker} ${truncateMrkdwn(`${i + 1}. ${e(c.name)}${role}`, 200)} ${telLink(c)}${state}${when}`;
  };
}

function phoneStateLine(view: PhoneTaskView): string {
  switch (view.state) {
    case 'open':
      return `🟡 *${e(both(PHONE_STATE_TEXT.open))}* — ${e(both(CT.phoneOpen))}`;
    case 'claimed':
      return `📞 *${both(taskState('claimed', view.claimedBy))}*`;
    case 'done': {
      const r = view.resolution;
      const who = r?.by !== undefined ? e(r.by) : view.claimedBy !== undefined ? e(view.claimedBy) : '?';
      const at = r !== undefined ? e(formatTokyo(r.at)) : '?';
      const text = r?.contact !== undefined ? reachedContactText(`*${e(contactText(r.contact))}*`, who, at) : reachedText(who, at);
      return `✅ ${stacked(text)}`;
    }
    case 'cancelled': {
      const at = view.resolution !== undefined ? ` (${e(formatTokyo(view.resolution.at))})` : '';
      return `☑️ ${e(stacked(CT.phoneCancelled))}${at}`;
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

/** Claim, no answer, wrong number, release: what the task's state allows. */
function phoneButtons(view: PhoneTaskView): KnownBlock | undefined {
  const id = view.taskId;
  if (view.state === 'open') {
    return {
      type: 'actions',
      block_id: PHONE_TASK_BLOCK_ID,
      elements: [
        phoneButton(PHONE_CLAIM_ACTION_ID, CT.phoneClaim, id, 'primary'),
        phoneButton(PHONE_NO_ANSWER_ACTION_ID, CT.phoneNoAnswer, id),
        phoneButton(PHONE_WRONG_NUMBER_ACTION_ID, CT.phoneWrongNumber, id),
      ],
    };
  }
  if (view.state === 'claimed') {
    return {
      type: 'actions',
      block_id: PHONE_TASK_BLOCK_ID,
      elements: [
        phoneButton(PHONE_NO_ANSWER_ACTION_ID, CT.phoneNoAnswer, id),
        phoneButton(PHONE_WRONG_NUMBER_ACTION_ID, CT.phoneWrongNumber, id),
        phoneButton(PHONE_RELEASE_ACTION_ID, CT.phoneRelease, id),
      ],
    };
  }
  return undefined;
}

/**
 * "Reached": one button per contact, the one being called now first, so the record says whom the caller spoke to.
 * Buttons rather than a menu: one tap at 3 a.m., and the name on the button is what gets recorded. While the task is
 * claimed, the contact being called now is the primary button.
 */
function reachedChoices(view: PhoneTaskView): KnownBlock[] {
  const choices = view.reachedChoices.slice(0, REACHED_CHOICES_MAX);
  if (choices.length === 0 || (view.state !== 'open' && view.state !== 'claimed')) return [];
  return [
    mrkdwnSection(`✅ *${e(REACHED_CHOICE_TEXT.ja)}*\n*${e(REACHED_CHOICE_TEXT.en)}*`),
    {
      type: 'actions',
      block_id: PHONE_REACHED_BLOCK_ID,
      elements: choices.map((c, n) => reachedButton(view, c, n + 1)),
    },
  ];
}

function reachedButton(view: PhoneTaskView, c: ReachedChoiceView, n: number) {
  return {
    type: 'button' as const,
    action_id: reachedChoiceButtonId(n),
    text: { type: 'plain_text' as const, text: truncatePlain(reachedChoiceLabel(c.index + 1, c), BUTTON_MAX), emoji: true },
    value: phoneButtonValue(view.taskId, c.choice),
    ...(c.current && view.state === 'claimed' ? { style: 'primary' as const } : {}),
  };
}

/**
 * A phone task in the on-call channel, read at 3 a.m.: who to call, what to say, the numbers as tap-to-call
 * links, and the buttons to record what happened. Laid out like the advisory: the classification envelope and the
 * header at the top level, the rest in one attachment coloured by TLP. TLP:RED tasks carry the title and a
 * call-back request only, never body text, whatever the view holds.
 */
export function renderPhoneTask(view: PhoneTaskView): AttachmentMessage {
  const heading = `📞 ${both(CT.phoneTask)}: ${both(view.memberName)}`;
  const text = fallback(view.tlp, view.drill, `${e(heading)} — ${e(view.advisoryId)} ${e(view.title)}`);

  const top: KnownBlock[] = [context(tlpLine(view.tlp))];
  if (view.drill) top.push(drillBanner());
  top.push(header(heading), mrkdwnSection(phoneStateLine(view)));
  if (view.overdue !== undefined) {
    const overdue = overdueText(e(formatTokyo(view.overdue.since)));
    top.push(mrkdwnSection(`*${overdue.ja}*\n*⚠ ${overdue.en}*`));
  }
  if (view.exhausted && (view.state === 'open' || view.state === 'claimed')) {
    top.push(mrkdwnSection(`⚠️ *${e(CT.phoneExhausted.ja)}*\n*${e(CT.phoneExhausted.en)}*`));
  }

  const inner: KnownBlock[] = [
    {
      type: 'section',
      fields: [
        field(CT.advisoryId, e(view.advisoryId)),
        field(CT.title, e(view.title)),
        field(T.severity, e(both(SEVERITY_TEXT[view.severity]))),
        field(T.ackDeadline, e(formatTokyo(view.ackDeadline))),
      ],
    },
  ];

  const secretariat = { ja: e(view.secretariatName.ja), en: e(view.secretariatName.en) };
  const title = { ja: e(view.title), en: e(view.title) };
  // A later round's call is about its follow-up too: said with the script, in the same block.
  const round = view.round ? `\n📣 ${boldStacked(RT.phoneRound(view.round.n, view.round.followup))}` : '';
  if (view.script === 'red') {
    inner.push(mrkdwnSection(`🗒️ *${e(both(CT.phoneScript))}*\n${stacked(redScript(secretariat, title))}${round}`));
    inner.push(context(`🔒 ${e(stacked(CT.phoneRedNote))}`));
  } else {
    inner.push(mrkdwnSection(`🗒️ *${e(both(CT.phoneScript))}*\n${stacked(standardScript(secretariat, e(view.advisoryId), title))}${round}`));
    if (view.excerpt !== undefined && view.excerpt.trim() !== '') {
      const excerpt = truncateMrkdwn(e(view.excerpt), EXCERPT_MAX);
      inner.push(mrkdwnSection(`*${e(both(CT.phoneExcerpt))}*\n${excerpt}`));
    }
  }

  inner.push(mrkdwnSection(`☎️ *${e(both(CT.phoneContacts))}*`));
  if (view.contacts.length === 0) {
    inner.push(mrkdwnSection(`⚠️ ${e(stacked(CT.phoneNoContacts))}`));
  } else {
    const shown = view.contacts.slice(0, PHONE_CONTACTS_MAX).map(contactLine(view));
    for (const s of groupRows(shown)) inner.push(mrkdwnSection(s.text));
    if (view.contacts.length > PHONE_CONTACTS_MAX) inner.push(context(e(both(moreNames(view.contacts.length - PHONE_CONTACTS_MAX)))));
  }

  // The next step on top: claim an open task; once claimed, say who answered.
  const buttons = phoneButtons(view);
  if (view.state === 'open' && buttons !== undefined) inner.push(buttons);
  inner.push(...reachedChoices(view));
  if (view.state !== 'open' && buttons !== undefined) inner.push(buttons);
  inner.push(context(`${e(view.taskId)} · ${e(both(T.recipient))}: ${name(view.memberName)}`));

  return { text, blocks: top, attachments: [{ color: TLP_COLOUR[view.tlp], fallback: text, blocks: inner }] };
}
