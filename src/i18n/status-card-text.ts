import type { DeliveryState } from '../domain/delivery.js';
import { formatCount, type Bilingual } from './text.js';

/**
 * The words of the secretariat's live status card (the "issued" notice, updated in place): the progress line,
 * who is on the phone, time since issue, what the ladder does next, and how it ended. Japanese first, English
 * second; the same words on every platform. Times come formatted (formatTokyo).
 */

/** A count as people read it ("1,800"). */
const n = (k: number): string => formatCount(k);

/** The short name of each state on the card's progress line and bar. */
export const LIVE_STATE_TEXT: Record<Exclude<DeliveryState, 'acknowledged'>, Bilingual> = {
  posted: { ja: '未確認', en: 'silent' },
  failed: { ja: '失敗', en: 'failed' },
  queued: { ja: '配信待ち', en: 'queued' },
  cancelled: { ja: '未配信（取り下げ）', en: 'not sent (withdrawn)' },
};

export const SC = {
  /** "受領確認 12/17 / acknowledged 12 of 17". */
  acknowledgedOf: (k: number, total: number): Bilingual => ({ ja: `受領確認 ${n(k)}/${n(total)}`, en: `acknowledged ${n(k)} of ${n(total)}` }),
  /** "未確認 3 / silent 3". */
  stateCount: (state: Exclude<DeliveryState, 'acknowledged'>, k: number): Bilingual => ({
    ja: `${LIVE_STATE_TEXT[state].ja} ${n(k)}`,
    en: `${LIVE_STATE_TEXT[state].en} ${n(k)}`,
  }),
  /** Members whose phone task is open or being called. */
  onPhone: (k: number): Bilingual => ({ ja: `電話対応中 ${n(k)}`, en: `on the phone ${n(k)}` }),
  /** "発信から 12分（2026/11/25 19:05 JST 時点）": from the card's own times, never the reader's clock. */
  sinceIssue: (duration: Bilingual, asOf: string): Bilingual => ({
    ja: `発信から ${duration.ja}（${asOf} 時点）`,
    en: `${duration.en} since issue (as of ${asOf})`,
  }),
  /** "次の段階: リマインド 2026/11/25 09:40 JST（3名）". */
  nextStep: (step: Bilingual, at: string, members: number): Bilingual => ({
    ja: `次の段階: ${step.ja} ${at}（${n(members)}名）`,
    en: `next: ${step.en} at ${at} (${n(members)} ${members === 1 ? 'member' : 'members'})`,
  }),
  /** "2026/11/25 10:05 JST 注意喚起を終了しました（全構成員が受領確認）": the cause's words are lifecycle-text's (LT.closedHeading). */
  closed: (heading: Bilingual, at: string): Bilingual => ({ ja: `${at} ${heading.ja}`, en: `${heading.en} (${at})` }),
  /** The bar's accessible name. */
  progressLabel: { ja: '配信状況', en: 'Delivery progress' } satisfies Bilingual,
};
