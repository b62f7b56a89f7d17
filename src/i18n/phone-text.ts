import type { CallOutcome, ContactCallState, PhoneTaskState } from '../domain/phone-task.js';
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

/** A task closed as reached before the bot asked which contact answered: who called, and when. */
export function reachedText(who: string, at: string): Bilingual {
  return { ja: `完了：${who} が ${at} に連絡し、受領確認を記録しました。`, en: `Done: reached by ${who} at ${at}; acknowledgement recorded.` };
}

/** "佐藤 健一 (情報システム部長)": a member's contact as the record names them (names and roles are not translated). */
export function contactText(c: { name: string; role?: string | undefined }): string {
  return c.role !== undefined && c.role !== '' ? `${c.name} (${c.role})` : c.name;
}

/** The done line of a phone task: whom the caller reached, who called, and when. */
export function reachedContactText(contact: string, who: string, at: string): Bilingual {
  return {
    ja: `完了：${contact} に連絡がつきました（${who}、${at}）。受領確認を記録しました。`,
    en: `Done: reached ${contact} by ${who} at ${at}; acknowledgement recorded.`,
  };
}

/** Above the "reached" choices: pressing one records the acknowledgement, so the caller picks who answered. */
export const REACHED_CHOICE_TEXT: Bilingual = {
  ja: '連絡がついた — 応答した方を選んでください（受領確認を記録します）',
  en: 'Reached — choose who answered (records the acknowledgement)',
};

/** One "reached" choice: "1. 佐藤 健一 (情報システム部長)". `k` counts from 1, in call order. */
export function reachedChoiceLabel(k: number, c: { name: string; role?: string | undefined }): string {
  return `✅ ${formatCount(k)}. ${contactText(c)}`;
}

/** In the status: the on-call person who called, and the member's contact they reached. */
export function phoneAckText(caller: string, contact: string): Bilingual {
  return { ja: `${caller} が電話で ${contact} に連絡`, en: `${caller} reached ${contact} by phone` };
}

/** Where a call to one contact stands: never "passed" just because the ladder's time went by. */
export const CONTACT_STATE_TEXT: Record<ContactCallState, Bilingual> = {
  not_tried: { ja: '未架電', en: 'not tried' },
  no_answer: { ja: '不在', en: 'no answer' },
  wrong_number: { ja: '番号違い', en: 'wrong number' },
  reached: { ja: '応答あり', en: 'reached' },
};

/** A mark per contact state, before its words. */
export const CONTACT_STATE_MARK: Record<ContactCallState, string> = {
  not_tried: '⚪',
  no_answer: '📵',
  wrong_number: '❌',
  reached: '✅',
};

/** The one contact to call now: the first callable one nobody has tried. */
export const CALL_NOW_TEXT: Bilingual = { ja: '▶ 今かける', en: 'call now' };

/** A contact the ladder makes callable later, at `time` (formatted by the caller). */
export function callableFromText(time: string): Bilingual {
  return { ja: `（${time}から）`, en: `(from ${time})` };
}

/** A contact not callable yet, when no time is known (the ladder does not reach them). */
export const NOT_CALLABLE_YET_TEXT: Bilingual = { ja: '（まだかけません）', en: '(not yet)' };

/** How many calls a contact has had, when more than one. */
export function callsText(n: number): Bilingual {
  return { ja: `${formatCount(n)}回`, en: n === 1 ? '1 call' : `${formatCount(n)} calls` };
}

/** The task was raised again: its next-contact time came while nobody had called. `since` formatted by the caller. */
export function overdueText(since: string): Bilingual {
  return { ja: `⚠ 期限超過：まだ誰も架電していません（${since}から）`, en: `Overdue: nobody has called yet (since ${since})` };
}

/** Short, in status rows and the on-call list. */
export const OVERDUE_TEXT: Bilingual = { ja: '⚠ 期限超過', en: 'overdue' };

/** "架電 1/3 件 / tried 1 of 3": how many contacts someone has called, never "contact 2 of 2". */
export function triedOfText(tried: number, contacts: number): Bilingual {
  return { ja: `架電 ${formatCount(tried)}/${formatCount(contacts)} 件`, en: `tried ${formatCount(tried)} of ${formatCount(contacts)}` };
}

/** A heading of the on-call list: one advisory, and how many of its tasks are open. */
export function oncallGroupText(advisoryId: string, title: string, n: number): Bilingual {
  const tasks = openTasksText(n);
  return { ja: `${advisoryId} ${title}（${tasks.ja}）`, en: `${advisoryId} ${title} (${tasks.en})` };
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
