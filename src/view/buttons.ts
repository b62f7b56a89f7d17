import type { AckMark, AckOutcome } from '../domain/delivery.js';
import type { PhoneAction } from '../domain/phone-task.js';
import { T, formatTokyo, type Bilingual } from '../i18n/text.js';
import { displayName } from './build.js';

export const PHONE_ACTIONS: readonly PhoneAction[] = ['claim', 'release', 'reached', 'no_answer', 'wrong_number'];

/** The id a phone-task button carries (Slack action id, Teams verb, local action): the same on every platform. */
export function phoneButtonId(action: PhoneAction): string {
  return `phone_${action}`;
}

export function phoneActionOfButton(id: string): PhoneAction | undefined {
  return PHONE_ACTIONS.find((a) => phoneButtonId(a) === id);
}

/** What the person who pressed 受領確認 is told: thanks, or who was first and when. */
export function ackNotice(result: { outcome: AckOutcome; first: AckMark }): Bilingual {
  if (result.outcome === 'acknowledged') return T.thanksAck;
  const who = `${displayName(result.first.actor)} (${formatTokyo(result.first.at)})`;
  return { ja: `${T.alreadyAcknowledged.ja}: ${who}`, en: `${T.alreadyAcknowledged.en}: ${who}` };
}
