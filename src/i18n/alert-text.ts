import type { AckVia } from '../domain/delivery.js';
import { formatCount, VIA_TEXT, type Bilingual } from './text.js';

/**
 * The words of a grouped alert to the secretariat (one message per advisory and wave, updated in place): the
 * heading, how many have been resolved, who resolved a member and how, how many are not listed, and when it was
 * read. Japanese first, English second; the same words on every platform. Times come formatted (formatTokyo).
 * The functions insert their arguments as given: the caller escapes them, as its platform needs.
 */

const n = (k: number): string => formatCount(k);
const members = (k: number): string => (k === 1 ? '1 member' : `${n(k)} members`);

export const AD = {
  /** "⚠ 受領確認のない構成員 15名（第1波） / ⚠ 15 members without acknowledgement (wave 1)". */
  escalationHeading: (total: number, wave: number): Bilingual => ({
    ja: `⚠ 受領確認のない構成員 ${n(total)}名（第${n(wave)}波）`,
    en: `⚠ ${members(total)} without acknowledgement (wave ${n(wave)})`,
  }),
  /** "⚠ 配信できなかった構成員 3名 / ⚠ 3 members the advisory could not be delivered to". */
  failedHeading: (total: number): Bilingual => ({
    ja: `⚠ 配信できなかった構成員 ${n(total)}名`,
    en: `⚠ ${members(total)} the advisory could not be delivered to`,
  }),
  /** "解決 2/15 / resolved 2 of 15": acknowledged since the alert, by button or phone. */
  resolvedOf: (resolved: number, total: number): Bilingual => ({
    ja: `解決 ${n(resolved)}/${n(total)}`,
    en: `resolved ${n(resolved)} of ${n(total)}`,
  }),
  /** A resolved member: "山田 が 2026/11/25 10:05 JST に受領確認（電話） / acknowledged by 山田 at … (phone)". */
  resolvedBy: (by: string, at: string, via: AckVia): Bilingual => ({
    ja: `${by} が ${at} に受領確認（${VIA_TEXT[via].ja}）`,
    en: `acknowledged by ${by} at ${at} (${VIA_TEXT[via].en})`,
  }),
  /** Members not listed (chat messages have size limits): "ほか 1,750名 / and 1,750 more". */
  more: (k: number): Bilingual => ({ ja: `ほか ${n(k)}名`, en: `and ${n(k)} more` }),
  /** "2026/11/25 10:05 JST 時点 / as of 2026/11/25 10:05 JST": from the view, never the reader's clock. */
  asOf: (at: string): Bilingual => ({ ja: `${at} 時点`, en: `as of ${at}` }),
};
