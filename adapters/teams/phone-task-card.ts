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
import { both, formatTokyo, SEVERITY_TEXT, stacked, T } from '../../src/i18n/text.js';
import type { PhoneContactView, PhoneTaskView, ReachedChoiceView } from '../../src/view/views.js';
import {
  card,
  envelope,
  execute,
  factSet,
  heading,
  name,
  small,
  taskState,
  textBlock,
  type AdaptiveCard,
  type CardAction,
  type CardElement,
} from './card-elements.js';
import { RT } from '../../src/i18n/round-text.js';
import { escapeCardText, truncate } from './card-text.js';
import { phoneButtonId } from '../../src/view/buttons.js';

/**
 * Action.Execute verbs of the phone task buttons; the data carries the task id (the handler checks it against the
 * message) and, for a "reached" choice, the contact it names (`choice`).
 */
export const PHONE_VERB = {
  claim: phoneButtonId('claim'),
  reached: phoneButtonId('reached'),
  noAnswer: phoneButtonId('no_answer'),
  wrongNumber: phoneButtonId('wrong_number'),
  release: phoneButtonId('release'),
};
export type PhoneVerb = string;
const PHONE_CONTACTS_MAX = 20;
/** A "reached" button's title: a name and a role, not a paragraph. */
const CHOICE_TITLE_MAX = 80;
const CONTACT_WHO_MAX = 200;
const EXCERPT_MAX = 1500;

const e = escapeCardText;

const E164 = /^\+[1-9]\d{6,14}$/;
const PHONE_DISPLAY = /^[0-9０-９+\-‐－() （）]{1,30}$/;

/** A later round's call is about its follow-up too: said with the script. */
function roundLine(round: { n: number; followup: number }): CardElement {
  return textBlock(`📣 ${e(stacked(RT.phoneRound(round.n, round.followup)))}`, { weight: 'bolder' });
}

/**
 * `[03-5555-0101](tel:+81355550101)`, only from a valid E.164 number and a display made of digits and
 * separators (no "]" or ")" can close the link early); anything else is shown as escaped text, no link.
 */
function telLink(c: PhoneContactView): string {
  const display = PHONE_DISPLAY.test(c.phoneDisplay) ? c.phoneDisplay : c.phoneE164;
  if (E164.test(c.phoneE164) && PHONE_DISPLAY.test(display)) return `[${display}](tel:${c.phoneE164})`;
  return e(c.phoneDisplay || c.phoneE164);
}

/**
 * One contact: number, where calls to them stand (not tried, no answer, wrong number, reached), and whether to call
 * them now, later (from the ladder's time) or as they come, as on Slack. Passing time never marks a contact as tried.
 */
function contactBlock(view: PhoneTaskView) {
  const working = view.state === 'open' || view.state === 'claimed';
  return (c: PhoneContactView, i: number): CardElement => {
    const who = e(truncate(`${i + 1}. ${c.name}`, CONTACT_WHO_MAX));
    const role = c.role !== undefined && c.role !== '' ? ` ${e(truncate(`(${c.role})`, CONTACT_WHO_MAX))}` : '';
    const calls = c.tried.length > 1 ? ` (${both(callsText(c.tried.length))})` : '';
    const state = ` — ${e(`${CONTACT_STATE_MARK[c.state]} ${both(CONTACT_STATE_TEXT[c.state])}${calls}`)}`;
    let when = '';
    if (c.current) when = ` — **${e(both(CALL_NOW_TEXT))}**`;
    else if (working && !c.callable) when = ` — ${e(both(c.callableFrom !== undefined ? callableFromText(formatTokyo(c.callableFrom)) : NOT_CALLABLE_YET_TEXT))}`;
    const line = `${c.current ? '▶' : '・'} ${c.current ? `**${who}**` : who}${role} ${telLink(c)}${state}${when}`;
    return textBlock(line, { spacing: 'small', ...(c.current ? { color: 'accent' } : working && !c.callable ? { isSubtle: true } : {}) });
  };
}

function phoneStateBlock(view: PhoneTaskView): CardElement {
  switch (view.state) {
    case 'open':
      return textBlock(`🟡 **${e(both(PHONE_STATE_TEXT.open))}** — ${e(both(CT.phoneOpen))}`);
    case 'claimed':
      return textBlock(`📞 ${e(both(taskState('claimed', view.claimedBy)))}`, { weight: 'bolder', color: 'accent' });
    case 'done': {
      const r = view.resolution;
      const who = r?.by ?? view.claimedBy ?? '?';
      const at = r !== undefined ? formatTokyo(r.at) : '?';
      const text = r?.contact !== undefined ? reachedContactText(contactText(r.contact), who, at) : reachedText(who, at);
      return textBlock(`✅ ${e(stacked(text))}`, { color: 'good' });
    }
    case 'cancelled': {
      const at = view.resolution !== undefined ? ` (${formatTokyo(view.resolution.at)})` : '';
      return textBlock(`☑️ ${e(`${stacked(CT.phoneCancelled)}${at}`)}`);
    }
  }
}

/** Claim, no answer, wrong number, release, per state as on Slack; none once the task is done or cancelled. */
function phoneActions(view: PhoneTaskView): CardAction[] | undefined {
  const data = { taskId: view.taskId };
  if (view.state === 'open') {
    return [
      execute(CT.phoneClaim, PHONE_VERB.claim, data, 'positive'),
      execute(CT.phoneNoAnswer, PHONE_VERB.noAnswer, data),
      execute(CT.phoneWrongNumber, PHONE_VERB.wrongNumber, data),
    ];
  }
  if (view.state === 'claimed') {
    return [
      execute(CT.phoneNoAnswer, PHONE_VERB.noAnswer, data),
      execute(CT.phoneWrongNumber, PHONE_VERB.wrongNumber, data),
      execute(CT.phoneRelease, PHONE_VERB.release, data),
    ];
  }
  return undefined;
}

/**
 * "Reached": one button per contact, the one being called now first, each in its own ActionSet so they stack as a
 * list a name can be read from (Teams would squeeze a row of five). No dialog and no input to fill in: the Agents
 * Playground has no dialogs, and one press is enough at 3 a.m.
 */
function reachedChoices(view: PhoneTaskView): CardElement[] {
  const choices = view.reachedChoices.slice(0, PHONE_CONTACTS_MAX);
  if (choices.length === 0 || (view.state !== 'open' && view.state !== 'claimed')) return [];
  return [
    textBlock(`✅ **${e(both(REACHED_CHOICE_TEXT))}**`),
    ...choices.map((c): CardElement => ({ type: 'ActionSet', spacing: 'small', actions: [reachedAction(view, c)] })),
  ];
}

function reachedAction(view: PhoneTaskView, c: ReachedChoiceView): CardAction {
  // A title is plain text on Teams (no Markdown), so it needs no escaping; JSON carries it safely.
  const title = truncate(reachedChoiceLabel(c.index + 1, c), CHOICE_TITLE_MAX);
  return {
    type: 'Action.Execute',
    title,
    verb: PHONE_VERB.reached,
    data: { taskId: view.taskId, choice: c.choice },
    ...(c.current && view.state === 'claimed' ? { style: 'positive' } : {}),
  };
}

/**
 * A phone task in the on-call channel: who to call, what to say, tap-to-call numbers, and the buttons to
 * record what happened. A TLP:RED task carries the title and a call-back request only, never body text,
 * whatever the view holds.
 */
export function phoneTaskCard(view: PhoneTaskView): AdaptiveCard {
  const body: CardElement[] = [
    ...envelope(view.tlp, view.drill),
    heading(e(`📞 ${both(CT.phoneTask)}: ${name(view.memberName)}`)),
    phoneStateBlock(view),
  ];
  if (view.overdue !== undefined) {
    const overdue = overdueText(formatTokyo(view.overdue.since));
    body.push({
      type: 'Container',
      style: 'warning',
      items: [textBlock(e(overdue.ja), { weight: 'bolder' }), textBlock(e(`⚠ ${overdue.en}`), { weight: 'bolder', spacing: 'none' })],
    });
  }
  if (view.exhausted && (view.state === 'open' || view.state === 'claimed')) {
    body.push({
      type: 'Container',
      style: 'attention',
      items: [textBlock(`⚠️ ${e(CT.phoneExhausted.ja)}`, { weight: 'bolder' }), textBlock(e(CT.phoneExhausted.en), { weight: 'bolder', spacing: 'none' })],
    });
  }
  body.push(
    factSet([
      [CT.advisoryId, e(view.advisoryId)],
      [CT.title, e(view.title)],
      [T.severity, e(both(SEVERITY_TEXT[view.severity]))],
      [T.ackDeadline, e(formatTokyo(view.ackDeadline))],
    ]),
    textBlock(`🗒️ **${e(both(CT.phoneScript))}**`),
  );

  const title = { ja: view.title, en: view.title };
  if (view.script === 'red' || view.tlp === 'TLP:RED') {
    body.push(textBlock(e(stacked(redScript(view.secretariatName, title)))));
    if (view.round) body.push(roundLine(view.round));
    body.push(small(`🔒 ${e(stacked(CT.phoneRedNote))}`));
  } else {
    body.push(textBlock(e(stacked(standardScript(view.secretariatName, view.advisoryId, title)))));
    if (view.round) body.push(roundLine(view.round));
    if (view.excerpt !== undefined && view.excerpt.trim() !== '') {
      body.push(textBlock(`**${e(both(CT.phoneExcerpt))}**`), textBlock(e(truncate(view.excerpt, EXCERPT_MAX)), { spacing: 'small' }));
    }
  }

  body.push(textBlock(`☎️ **${e(both(CT.phoneContacts))}**`));
  if (view.contacts.length === 0) {
    body.push(textBlock(`⚠️ ${e(stacked(CT.phoneNoContacts))}`, { color: 'attention' }));
  } else {
    body.push(...view.contacts.slice(0, PHONE_CONTACTS_MAX).map(contactBlock(view)));
    if (view.contacts.length > PHONE_CONTACTS_MAX) body.push(small(e(both(moreNames(view.contacts.length - PHONE_CONTACTS_MAX)))));
  }
  body.push(...reachedChoices(view));
  body.push(small(e(`${view.taskId} · ${both(T.recipient)}: ${name(view.memberName)}`)));
  return card(body, phoneActions(view));
}
