import type { ReachReport } from '../domain/reach.js';
import { rateText, REACH_TEXT, reachTimeText } from './reach-text.js';
import { formatCount, type Bilingual } from './text.js';

/**
 * The words around the reach chart posted with the closing summary (commands/chart-post.ts): its heading and its
 * alt text, the figures a screen reader reads out instead of the picture. Japanese first, English second.
 */

/** The picture's heading: the chart's own title words. */
export const CHART_HEADING: Bilingual = REACH_TEXT.chartTitle;

/**
 * "受領確認の推移のグラフ。対象 10 構成員のうち受領確認 8件（80%）、未確認 2件（20%）。受領確認までの時間の中央値 37分30秒。"
 * and its English: what the chart shows, for whoever cannot see it.
 */
export function chartAltText(r: Pick<ReachReport, 'targeted' | 'rates' | 'times'>): Bilingual {
  const acked = rateText(r.rates.acknowledged);
  const never = rateText(r.rates.never);
  const median = reachTimeText(r.times.medianSeconds);
  return {
    ja: `受領確認の推移のグラフ。対象 ${formatCount(r.targeted)} 構成員のうち受領確認 ${acked.ja}、未確認 ${never.ja}。受領確認までの時間の中央値 ${median.ja}。`,
    en: `Chart of the share acknowledged over time: of ${formatCount(r.targeted)} members targeted, ${acked.en} acknowledged, ${never.en} never. Median time to acknowledgement: ${median.en}.`,
  };
}
