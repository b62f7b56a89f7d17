import type { CallOutcome, PhoneTaskState } from '../domain/phone-task.js';
import { formatCount, type Bilingual } from './text.js';

/**
 * The words of a phone task, as every chat adapter shows them: task states, call outcomes, call scripts. The
 * functions insert their arguments as given: the caller escapes the arguments or the result, as its platform needs.
 */

export const PHONE_STATE_TEXT: Record<PhoneTaskState, Bilingual> = {
  open: { ja: '未着手', en: 'open' },
  claimed: { ja: '対応中', en: 'claimed' },
  done: { ja: '完了', en: 'done' },
  cancelled: { ja: '取消', en: 'cancelled' },
};

export const CALL_OUTCOME_TEXT: Record<CallOutcome, Bilingual> = {
  no_answer: { ja: '応答なし', en: 'no answer' },
  wrong_number: { ja: '番号違い', en: 'wrong number' },
};

/** "X が対応中（電話中） / claimed by X (calling now)". */
export function claimedByText(who: string): Bilingual {
  return { ja: `${who} が対応中（電話中）`, en: `claimed by ${who} (calling now)` };
}

export function reachedText(who: string, at: string): Bilingual {
  return { ja: `完了：${who} が ${at} に連絡し、受領確認を記録しました。`, en: `Done: reached by ${who} at ${at}; acknowledgement recorded.` };
}

export function contactOfText(k: number, n: number): Bilingual {
  return { ja: `連絡先 ${formatCount(k)}/${formatCount(n)}`, en: `contact ${formatCount(k)} of ${formatCount(n)}` };
}

/** The standard call script. */
export function standardScript(secretariat: Bilingual, advisoryId: string, title: Bilingual): Bilingual {
  return {
    ja: `「${secretariat.ja}です。注意喚起 ${advisoryId}「${title.ja}」を貴組織のチャンネルに投稿しました。内容をご確認のうえ、「受領確認」ボタンを押してください。」`,
    en: `"This is ${secretariat.en}. We have posted advisory ${advisoryId} "${title.en}" to your channel. Please read it and press the 受領確認 (Acknowledge) button."`,
  };
}

/** The TLP:RED call script: the title and a request to call back, nothing else. */
export function redScript(secretariat: Bilingual, title: Bilingual): Bilingual {
  return {
    ja: `「${secretariat.ja}です。「${title.ja}」の件で、事務局までお電話をお願いします。」`,
    en: `"This is ${secretariat.en}. About "${title.en}": please call the secretariat (事務局) back."`,
  };
}

export function openTasksText(n: number): Bilingual {
  return { ja: `${formatCount(n)} 件`, en: n === 1 ? '1 task' : `${formatCount(n)} tasks` };
}
