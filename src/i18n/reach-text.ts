import type { LadderMarkKind, ReachHow, ReachRateKey, ReachStage } from '../domain/reach.js';
import { secondsText } from './form-text.js';
import type { Bilingual } from './text.js';

/**
 * The words of the reach report (疎通確認率): its heading, the stages and rates, the times, the chart's title, axes
 * and ladder labels, and the CSV's columns. Japanese first, English second, the same on every platform.
 */

export const REACH_TEXT = {
  heading: { ja: '疎通確認率', en: 'Reach report' },
  chartTitle: { ja: '受領確認の推移', en: 'Share acknowledged over time' },
  axisMinutes: { ja: '発信からの経過（分）', en: 'Minutes since issue' },
  axisHours: { ja: '発信からの経過（時間）', en: 'Hours since issue' },
  axisShare: { ja: '受領確認済みの割合', en: 'Share acknowledged' },
  targeted: { ja: '対象の構成員', en: 'Members targeted' },
  median: { ja: '受領確認までの時間（中央値）', en: 'Median time to acknowledgement' },
  p90: { ja: '受領確認までの時間（90パーセンタイル）', en: '90th percentile time to acknowledgement' },
  noTimes: { ja: '受領確認なし', en: 'nobody acknowledged' },
  asOf: { ja: '集計時点', en: 'as of' },
  open: { ja: '受付中（途中の集計）', en: 'open (figures so far)' },
  closed: { ja: '終了', en: 'closed' },
  policyTimes: { ja: 'エスカレーション設定の時刻', en: "the escalation policy's times" },
  recordTimes: { ja: '記録上の最初の実行時刻', en: 'when each step first ran' },
  current: { ja: '今回', en: 'this one' },
  previous: { ja: '前回', en: 'the last' },
  difference: { ja: '差', en: 'difference' },
  measure: { ja: '指標', en: 'measure' },
  count: { ja: '件数', en: 'count' },
  percent: { ja: '割合 (%)', en: 'percent' },
  seconds: { ja: '秒', en: 'seconds' },
} as const satisfies Record<string, Bilingual>;

export const STAGE_TEXT: Record<ReachStage, Bilingual> = {
  'before-reminder': { ja: 'リマインド前', en: 'before the reminder' },
  'after-reminder': { ja: 'リマインド後', en: 'after the reminder' },
  'after-phone-step': { ja: '電話段階の後（ボタン）', en: 'after the phone step (button)' },
  'by-phone': { ja: '電話で連絡', en: 'by phone' },
  never: { ja: '未確認', en: 'never' },
};

export const HOW_TEXT: Record<ReachHow, Bilingual> = {
  button: { ja: 'ボタン', en: 'button' },
  phone: { ja: '電話', en: 'phone' },
  never: { ja: '未確認', en: 'never' },
};

export const RATE_TEXT: Record<ReachRateKey, Bilingual> = {
  beforeReminder: { ja: 'リマインド前に受領確認', en: 'Acknowledged before the reminder' },
  beforeDeadline: { ja: '期限内に受領確認', en: 'Acknowledged by the deadline' },
  afterPhoneStep: { ja: '電話段階の後に受領確認', en: 'Acknowledged after the phone step' },
  byPhone: { ja: 'うち電話で連絡', en: 'of which reached by phone' },
  acknowledged: { ja: '受領確認 計', en: 'Acknowledged in all' },
  never: { ja: '未確認', en: 'Never acknowledged' },
  failed: { ja: '配信失敗あり', en: 'With a failed delivery' },
};

/** The chart's rule labels: one word each, so they fit beside the rule. */
export const MARK_TEXT: Record<LadderMarkKind, Bilingual> = {
  reminder: { ja: 'リマインド', en: 'Reminder' },
  phone: { ja: '電話', en: 'Phone' },
  alert: { ja: '事務局へ通知', en: 'Alert' },
};

/** "37分30秒 / 37 minutes 30 seconds"; nobody acknowledged: "受領確認なし / nobody acknowledged". */
export function reachTimeText(seconds: number | null): Bilingual {
  return seconds === null ? REACH_TEXT.noTimes : secondsText(seconds);
}

/** "3件（30%）/ 3 (30%)". */
export function rateText(rate: { count: number; percent: number }): Bilingual {
  return { ja: `${rate.count}件（${rate.percent}%）`, en: `${rate.count} (${rate.percent}%)` };
}

/** The CSV's per-member columns, Japanese first. */
export const REACH_COLUMNS = [
  ['advisory_id', '注意喚起ID / advisory id'],
  ['drill', '訓練 / drill'],
  ['member_id', '構成員ID / member id'],
  ['member_name', '構成員名 / member'],
  ['how', '方法 / how'],
  ['stage', '段階 / stage'],
  ['acknowledged_at', '受領確認日時 (JST) / acknowledged at'],
  ['seconds', '発信からの秒数 / seconds since issue'],
  ['contact', '電話で応答した連絡先 / contact reached'],
  ['reminder_at', 'リマインド (JST) / reminder'],
  ['phone_at', '電話段階 (JST) / phone step'],
  ['alert_at', '事務局へ通知 (JST) / alert'],
  ['failures', '配信失敗 / failures'],
] as const;
