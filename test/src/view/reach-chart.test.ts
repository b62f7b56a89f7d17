import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICIES } from '../../../src/domain/escalation.js';
import { reachReport } from '../../../src/domain/reach.js';
import { CHART_FONT, REACH_MARK_NAMES, reachChartSpec, reachChartTitle } from '../../../src/view/reach-chart.js';
import { drillTranscript } from '../domain/reach-fixture.js';
import { at } from '../store/fixtures.js';

const report = reachReport(drillTranscript(), { asOf: new Date(at(200)), policy: DEFAULT_POLICIES.level3, contacts: 2 });

interface Layer {
  name: string;
  data: { values: Record<string, unknown>[] };
  mark: Record<string, unknown>;
  encoding: Record<string, Record<string, unknown>>;
}
const spec = reachChartSpec(report) as unknown as { layer: Layer[]; title: Record<string, unknown>; config: { font: string }; description: string; width: number };
const layer = (name: string) => spec.layer.find((l) => l.name === name)!;

describe('the reach chart spec', () => {
  it('titles the drill, TLP, severity and advisory in Japanese, then English under it', () => {
    expect(spec.title).toMatchObject({
      text: '【訓練】 TLP:AMBER · レベル3 高 · ADV-2026-0001 受領確認の推移',
      subtitle: '[DRILL] TLP:AMBER · Level 3 High · ADV-2026-0001 Share acknowledged over time',
    });
    expect(reachChartTitle({ ...report, drill: false, tlp: 'TLP:RED', severity: 'level4' })).toEqual({
      text: 'TLP:RED · レベル4 危機 · ADV-2026-0001 受領確認の推移',
      subtitle: 'TLP:RED · Level 4 Critical · ADV-2026-0001 Share acknowledged over time',
    });
    expect(spec.description).toBe(`${spec.title['text']} / ${spec.title['subtitle']}`);
    expect(spec.config).toEqual({ font: CHART_FONT, axis: { labelFontSize: 11, titleFontSize: 12 } });
    expect(spec.title).toMatchObject({ anchor: 'start', fontSize: 15, subtitleFontSize: 12 });
    // A white picture, also where a chat shows images on a dark background.
    expect((spec as unknown as Record<string, unknown>)['background']).toBe('white');
    // Japanese glyphs from Noto CJK first (Debian's fonts-noto-cjk), whatever sans-serif after.
    expect(CHART_FONT).toBe("'Noto Sans CJK JP', 'Noto Sans JP', 'IPAGothic', sans-serif");
    expect((spec as unknown as Record<string, unknown>)['$schema']).toBe('https://vega.github.io/schema/vega-lite/v6.json');
  });

  it('draws the cumulative share as a step line over the minutes since issue', () => {
    const series = layer(REACH_MARK_NAMES.series);
    expect(series.mark).toEqual({ type: 'line', interpolate: 'step-after', strokeWidth: 2.5, color: '#1f5fa8' });
    expect(series.data.values.map((v) => [v['elapsed'], v['share']])).toEqual([
      [0, 0],
      [5, 0.1],
      [10, 0.2],
      [20, 0.3],
      [30, 0.4],
      [45, 0.5],
      [55, 0.6],
      [65, 0.7],
      [70, 0.8],
      [120, 0.8],
    ]);
    expect(series.encoding['x']).toMatchObject({ field: 'elapsed', title: '発信からの経過（分） / Minutes since issue', scale: { domain: [0, 120] } });
    expect(series.encoding['y']).toMatchObject({ field: 'share', title: '受領確認済みの割合 / Share acknowledged', scale: { domain: [0, 1] }, axis: { format: '.0%' } });
  });

  it('marks the reminder, phone and alert times as labelled rules, each label a line below the last', () => {
    const rules = layer(REACH_MARK_NAMES.rules);
    expect(rules.mark).toEqual({ type: 'rule', strokeDash: [5, 4], strokeWidth: 1.5 });
    expect(rules.data.values).toEqual([
      { elapsed: 40, kind: 'reminder', label: 'リマインド / Reminder', row: 4 },
      { elapsed: 60, kind: 'phone', label: '電話 / Phone', row: 19 },
      { elapsed: 100, kind: 'alert', label: '事務局へ通知 / Alert', row: 34 },
    ]);
    // Labels right of their rule, but left of one in the last 30 % of the axis (100 of 120 minutes), inside the chart.
    const labels = layer(REACH_MARK_NAMES.labels);
    expect(labels.mark).toMatchObject({ type: 'text', align: 'left', dx: 4 });
    expect(labels.data.values).toEqual(rules.data.values.slice(0, 2));
    const end = layer(REACH_MARK_NAMES.labelsEnd);
    expect(end.mark).toMatchObject({ type: 'text', align: 'right', dx: -4 });
    expect(end.data.values).toEqual(rules.data.values.slice(2));
    expect(end.encoding).toEqual(labels.encoding);
    expect(labels.encoding['text']).toMatchObject({ field: 'label' });
    expect(labels.encoding['y']).toMatchObject({ field: 'row', scale: null });
    expect(rules.encoding['color']?.['scale']).toEqual({ domain: ['reminder', 'phone', 'alert'], range: ['#b36b00', '#6a3d9a', '#c62828'] });
  });

  it('puts a label at exactly 70 % of the axis on the right of its rule', () => {
    const r = { ...report, endSeconds: 6000, ladder: [{ kind: 'phone' as const, seconds: 4200, source: 'policy' as const, reached: 0 }] };
    const layers = (reachChartSpec(r) as unknown as { layer: Layer[] }).layer;
    expect(layers.find((l) => l.name === REACH_MARK_NAMES.labels)?.data.values).toHaveLength(1);
    expect(layers.find((l) => l.name === REACH_MARK_NAMES.labelsEnd)?.data.values).toHaveLength(0);
  });

  it('counts hours past six hours (a day\'s deadline), minutes up to them', () => {
    const ladder = [{ kind: 'phone' as const, seconds: 24 * 3600, source: 'policy' as const, reached: 0 }];
    const long = { ...report, endSeconds: 30 * 3600, ladder, series: [{ seconds: 0, acknowledged: 0, share: 0 }, { seconds: 5400, acknowledged: 1, share: 0.5 }] };
    const layers = (reachChartSpec(long) as unknown as { layer: Layer[] }).layer;
    expect(layers[0]?.encoding['x']).toMatchObject({ title: '発信からの経過（時間） / Hours since issue', scale: { domain: [0, 30] } });
    expect(layers[0]?.data.values.map((v) => v['elapsed'])).toEqual([0, 1.5]);
    expect(layers[1]?.data.values.map((v) => v['elapsed'])).toEqual([24]);
    // Six hours exactly is still minutes; a second more is hours.
    const six = (reachChartSpec({ ...report, endSeconds: 6 * 3600, ladder: [] }) as unknown as { layer: Layer[] }).layer[0]?.encoding['x'];
    expect(six).toMatchObject({ title: '発信からの経過（分） / Minutes since issue', scale: { domain: [0, 360] } });
    const past = (reachChartSpec({ ...report, endSeconds: 6 * 3600 + 36, ladder: [] }) as unknown as { layer: Layer[] }).layer[0]?.encoding['x'];
    expect(past).toMatchObject({ title: '発信からの経過（時間） / Hours since issue', scale: { domain: [0, 6.01] } });
  });

  it('stretches the time axis to the latest of the end and the ladder, a minute at least', () => {
    const early = reachReport(drillTranscript({ plan: [{ id: 'm01', ack: { minutes: 5, via: 'button' } }], advisory: { closure: { cause: 'all_acknowledged', at: at(5) } } }), {
      asOf: new Date(at(5)),
      policy: DEFAULT_POLICIES.level3,
    });
    const xScale = (r: typeof report) => (reachChartSpec(r) as unknown as { layer: Layer[] }).layer[0]?.encoding['x']?.['scale'];
    // Everyone by 5 minutes; the ladder's alert (one contact) at 80.
    expect(xScale(early)).toEqual({ domain: [0, 80], nice: false });
    const instant = reachReport(drillTranscript({ plan: [], advisory: { closure: { cause: 'command', at: at(0) } } }), { asOf: new Date(at(0)) });
    expect(xScale(instant)).toEqual({ domain: [0, 1], nice: false });
  });
});
