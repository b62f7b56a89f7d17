import type { AckMark, AckOutcome } from '../domain/delivery.js';
import type { PhoneAction } from '../domain/phone-task.js';
import { T, formatTokyo, type Bilingual } from '../i18n/text.js';
import { displayName } from './build.js';

export const PHONE_ACTIONS: readonly PhoneAction[] = ['claim', 'release', 'reached', 'no_answer', 'wrong_number'];

/** The id a phone-task button carries (Slack action id, Teams verb, local action): the same on every platform. */
export function phoneButtonId(action: PhoneAction): string {
  return `phone_${action}`;
}

/**
 * The id of the n-th "reached" choice (n from 1). Slack wants the action ids of one actions block distinct, so each
 * choice has its own; the contact it names travels in the value. Teams and the local workspace may use either form.
 */
export function reachedChoiceButtonId(n: number): string {
  return `${phoneButtonId('reached')}.${n}`;
}

const REACHED_CHOICE_ID = /^phone_reached\.[1-9]\d{0,2}$/;

export function phoneActionOfButton(id: string): PhoneAction | undefined {
  if (REACHED_CHOICE_ID.test(id)) return 'reached';
  return PHONE_ACTIONS.find((a) => phoneButtonId(a) === id);
}

/**
 * The claim control on a phone-task board page (a select on Slack, a choice and a button on Teams and the local
 * workspace); its value is the chosen task's id.
 */
export const BOARD_CLAIM_ACTION = 'phone_board_claim';

/** A task id as a board claim may carry one: bounded and without spaces (the store looks it up; an unknown id is refused as such). */
export function readBoardClaimValue(value: unknown): string | undefined {
  return typeof value === 'string' && /^\S{1,200}$/.test(value) ? value : undefined;
}

/** A phone button's value: the task id, and for a "reached" choice `#` and the contact choice (task ids have no `#`). */
export function phoneButtonValue(taskId: string, choice?: string): string {
  return choice === undefined ? taskId : `${taskId}#${choice}`;
}

/** The task id and contact choice a phone button's value carries (either may be missing from a forged value). */
export function readPhoneButtonValue(value: string | undefined): { taskId: string | undefined; choice: string | undefined } {
  if (value === undefined) return { taskId: undefined, choice: undefined };
  const hash = value.indexOf('#');
  return hash < 0 ? { taskId: value, choice: undefined } : { taskId: value.slice(0, hash), choice: value.slice(hash + 1) };
}

/** What the person who pressed 受領確認 is told: thanks, or who was first and when. */
export function ackNotice(result: { outcome: AckOutcome; first: AckMark }): Bilingual {
  if (result.outcome === 'acknowledged') return T.thanksAck;
  const who = `${displayName(result.first.actor)} (${formatTokyo(result.first.at)})`;
  return { ja: `${T.alreadyAcknowledged.ja}: ${who}`, en: `${T.alreadyAcknowledged.en}: ${who}` };
}
