import type { TopLevelSpec } from 'vega-lite';
import type { ReachReport } from '../domain/reach.js';
import { MARK_TEXT, REACH_TEXT } from '../i18n/reach-text.js';
import { both, SEVERITY_TEXT, T } from '../i18n/text.js';

/**
 * The reach report's chart as a Vega-Lite spec: the cumulative share of members acknowledged over the time since
 * issue (a step line), with the ladder's reminder, phone and alert times as dashed rules labelled in both languages,
 * and the TLP, severity and drill mark in the title. Pure: data in, spec out; reach-render.ts draws it.
 *
 * Why Vega-Lite: the chart is declared (data, marks, encodings), not drawn path by path; Vega is a well-kept
 * library that renders headless in Node to SVG with no browser and no native canvas (View#toSVG with the 'none'
 * renderer), and the same spec would draw in a browser unchanged.
 */

/** Named so that the drawn SVG's groups can be found (`<g class="… reach_series_marks">`). */
export const REACH_MARK_NAMES = { series: 'reach_series', rules: 'ladder_rules', labels: 'ladder_labels', labelsEnd: 'ladder_labels_end' } as const;

/** Japanese glyphs from Noto CJK (Debian's fonts-noto-cjk), then whatever sans-serif the machine has. */
export const CHART_FONT = "'Noto Sans CJK JP', 'Noto Sans JP', 'IPAGothic', sans-serif";

const WIDTH = 640;
const HEIGHT = 300;
const SERIES_COLOUR = '#1f5fa8';
const MARK_COLOUR = { reminder: '#b36b00', phone: '#6a3d9a', alert: '#c62828' } as const;
/** Each rule's label a line lower than the one before, so that labels of close steps do not overlap. */
const LABEL_TOP = 4;
const LABEL_LINE = 15;
/** Past this share of the axis a rule's label goes on its left, so that it stays inside the chart. */
const LABEL_FLIP = 0.7;

/** Past six hours the axis counts hours: a day's deadline read in minutes is 1,440 of them. */
const HOURS_PAST_SECONDS = 6 * 3600;

/** "【訓練】 TLP:AMBER · レベル3 高 · ADV-2026-0042 受領確認の推移", and its English line under it. */
export function reachChartTitle(r: Pick<ReachReport, 'advisoryId' | 'drill' | 'tlp' | 'severity'>): { text: string; subtitle: string } {
  const line = (lang: 'ja' | 'en') => `${r.drill ? `${T.drillTag[lang]} ` : ''}${r.tlp} · ${SEVERITY_TEXT[r.severity][lang]} · ${r.advisoryId} ${REACH_TEXT.chartTitle[lang]}`;
  return { text: line('ja'), subtitle: line('en') };
}

export function reachChartSpec(r: ReachReport): TopLevelSpec {
  // The axis spans the measure and the ladder, a minute at least; in minutes, or in hours past six of them.
  const span = Math.max(r.endSeconds, ...r.ladder.map((m) => m.seconds), 60);
  const unit = span > HOURS_PAST_SECONDS ? 3600 : 60;
  const elapsed = (seconds: number): number => Math.round((seconds / unit) * 100) / 100;
  const series = r.series.map((p) => ({ elapsed: elapsed(p.seconds), share: p.share, acknowledged: p.acknowledged }));
  const marks = r.ladder.map((m, i) => ({ elapsed: elapsed(m.seconds), kind: m.kind, label: both(MARK_TEXT[m.kind]), row: LABEL_TOP + i * LABEL_LINE }));
  const end = elapsed(span);
  const axisTitle = unit === 60 ? REACH_TEXT.axisMinutes : REACH_TEXT.axisHours;
  const x = { field: 'elapsed', type: 'quantitative' as const, scale: { domain: [0, end], nice: false }, title: both(axisTitle) };
  const kinds = r.ladder.map((m) => m.kind);
  const colour = { field: 'kind', type: 'nominal' as const, legend: null, scale: { domain: kinds, range: kinds.map((k) => MARK_COLOUR[k]) } };
  const labels = (name: string, values: typeof marks, align: 'left' | 'right') => ({
    name,
    data: { values },
    mark: { type: 'text' as const, align, baseline: 'top' as const, dx: align === 'left' ? 4 : -4, fontSize: 11 },
    encoding: { x, y: { field: 'row', type: 'quantitative' as const, scale: null }, text: { field: 'label', type: 'nominal' as const }, color: colour },
  });
  const title = reachChartTitle(r);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    description: `${title.text} / ${title.subtitle}`,
    width: WIDTH,
    height: HEIGHT,
    background: 'white',
    title: { ...title, anchor: 'start', fontSize: 15, subtitleFontSize: 12 },
    config: { font: CHART_FONT, axis: { labelFontSize: 11, titleFontSize: 12 } },
    layer: [
      {
        name: REACH_MARK_NAMES.series,
        data: { values: series },
        mark: { type: 'line', interpolate: 'step-after', strokeWidth: 2.5, color: SERIES_COLOUR },
        encoding: {
          x,
          y: { field: 'share', type: 'quantitative', scale: { domain: [0, 1] }, axis: { format: '.0%' }, title: both(REACH_TEXT.axisShare) },
        },
      },
      {
        name: REACH_MARK_NAMES.rules,
        data: { values: marks },
        mark: { type: 'rule', strokeDash: [5, 4], strokeWidth: 1.5 },
        encoding: { x, color: colour },
      },
      labels(REACH_MARK_NAMES.labels, marks.filter((m) => m.elapsed <= end * LABEL_FLIP), 'left'),
      labels(REACH_MARK_NAMES.labelsEnd, marks.filter((m) => m.elapsed > end * LABEL_FLIP), 'right'),
    ],
  };
}
