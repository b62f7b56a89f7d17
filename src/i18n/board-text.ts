import { formatCount, type Bilingual } from './text.js';

/**
 * The words of the phone-task board in the on-call channel (one message per page, updated in place): the heading,
 * the counts, each task's line and the claim control. Japanese first, English second; the same words on every
 * platform. Times come formatted (formatTokyo). The functions insert their arguments as given: the caller escapes.
 */

const n = (k: number): string => formatCount(k);

export const BT = {
  /** "📞 電話連絡ボード / Phone-task board". */
  heading: { ja: '📞 電話連絡ボード', en: 'Phone-task board' } as Bilingual,
  /** "ページ 2/9 / page 2 of 9" (the total on page 1; later pages say only their number). */
  page: (page: number, pages?: number): Bilingual =>
    pages === undefined ? { ja: `ページ ${n(page)}`, en: `page ${n(page)}` } : { ja: `ページ ${n(page)}/${n(pages)}`, en: `page ${n(page)} of ${n(pages)}` },
  /** The whole board's counts, on page 1. */
  counts: (c: { open: number; claimed: number; overdue: number; reached: number; acknowledged: number; cancelled: number }): Bilingual => ({
    ja: `未着手 ${n(c.open)}・対応中 ${n(c.claimed)}・期限超過 ${n(c.overdue)}・電話で連絡済 ${n(c.reached)}・ボタンで受領 ${n(c.acknowledged)}${c.cancelled > 0 ? `・取消 ${n(c.cancelled)}` : ''}`,
    en: `open ${n(c.open)} · claimed ${n(c.claimed)} · overdue ${n(c.overdue)} · reached by phone ${n(c.reached)} · acknowledged ${n(c.acknowledged)}${c.cancelled > 0 ? ` · cancelled ${n(c.cancelled)}` : ''}`,
  }),
  /** How to work the board: claim, then the task comes to you. */
  howTo: {
    ja: '担当する依頼を選ぶと、その依頼の連絡先と結果ボタンがあなた宛てに届きます。',
    en: 'Claim a task and its contacts and outcome buttons come to you directly.',
  } as Bilingual,
  /** The claim control's label and placeholder. */
  claim: { ja: '担当する', en: 'Claim' } as Bilingual,
  claimPlaceholder: { ja: '担当する依頼を選ぶ', en: 'Claim a task…' } as Bilingual,
  /** Nothing on this page is left to claim. */
  nothingToClaim: { ja: 'このページに未着手の依頼はありません。', en: 'Nothing left to claim on this page.' } as Bilingual,
  /** The advisory is closed or withdrawn. */
  closed: { ja: 'この注意喚起は終了しました。電話連絡は不要です。', en: 'This advisory has ended; no more calls are needed.' } as Bilingual,
  /** "架電 1/3・15:04 から / tried 1 of 3 · due 15:04". */
  due: (at: string): Bilingual => ({ ja: `${at} から`, en: `due ${at}` }),
  /** Nobody has called though the ladder moved on (the row's ⚠ mark says so already). */
  overdue: { ja: '期限超過', en: 'overdue' } as Bilingual,
  /** Who is calling. */
  onIt: (who: string): Bilingual => ({ ja: `${who} が対応中`, en: `${who} on it` }),
  /** How a row ended. */
  reachedBy: (who: string | undefined): Bilingual => (who === undefined ? { ja: '電話で連絡済', en: 'reached by phone' } : { ja: `${who} が電話で連絡済`, en: `reached by ${who}` }),
  acknowledged: { ja: 'ボタンで受領確認', en: 'acknowledged' } as Bilingual,
  cancelled: { ja: '取消（注意喚起の終了）', en: 'cancelled (advisory ended)' } as Bilingual,
  exhausted: { ja: '全連絡先に架電済', en: 'every contact tried' } as Bilingual,
  /** A later acknowledgement round's call. */
  round: (r: number): Bilingual => ({ ja: `第${n(r)}回`, en: `round ${n(r)}` }),
  /** The board as the subject of a failure told to the secretariat: "電話連絡ボード（未完了 12件）". */
  boardOf: (open: number): Bilingual => ({ ja: `電話連絡ボード（未完了 ${n(open)}件）`, en: `the phone-task board (${n(open)} open)` }),
  asOf: (at: string): Bilingual => ({ ja: `${at} 時点`, en: `as of ${at}` }),
};
