import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICIES } from '../../../src/domain/escalation.js';
import { reachReport } from '../../../src/domain/reach.js';
import { REACH_MARK_NAMES, reachChartSpec } from '../../../src/view/reach-chart.js';
import { PNG_SCALE, renderSvg, svgToPng } from '../../../src/view/reach-render.js';
import { drillTranscript } from '../domain/reach-fixture.js';
import { at } from '../store/fixtures.js';

const report = reachReport(drillTranscript(), { asOf: new Date(at(200)), policy: DEFAULT_POLICIES.level3, contacts: 2 });

type Node = Record<string, unknown>;

/** Every element named `tag` anywhere under `node`, as fast-xml-parser gives them (attributes prefixed "@_"). */
function all(node: unknown, tag: string, found: Node[] = []): Node[] {
  if (Array.isArray(node)) for (const n of node) all(n, tag, found);
  else if (node !== null && typeof node === 'object') {
    for (const [k, v] of Object.entries(node as Node)) {
      if (k === tag) for (const el of Array.isArray(v) ? v : [v]) if (el && typeof el === 'object') found.push(el as Node);
      all(v, tag, found);
    }
  }
  return found;
}

const groupNamed = (doc: unknown, name: string): Node | undefined => all(doc, 'g').find((g) => String(g['@_class'] ?? '').split(' ').includes(`${name}_marks`));

describe('the chart drawn', () => {
  it('is well-formed SVG with the series line and a rule and label per ladder step', async () => {
    const svg = await renderSvg(reachChartSpec(report));
    expect(XMLValidator.validate(svg)).toBe(true);
    const doc = new XMLParser({ ignoreAttributes: false, isArray: (name) => name === 'g' || name === 'path' || name === 'line' || name === 'text' }).parse(svg);
    const root = doc.svg as Node;
    expect(root['@_xmlns']).toBe('http://www.w3.org/2000/svg');
    expect(Number(root['@_width'])).toBeGreaterThan(640);

    const series = groupNamed(doc, REACH_MARK_NAMES.series);
    expect(series?.['@_class']).toContain('mark-line');
    const line = all(series, 'path')[0];
    // A step line through the ten points: one move, then a horizontal and a vertical segment per step.
    expect(String(line?.['@_d'])).toMatch(/^M/);
    expect(String(line?.['@_d']).split(/[LHV]/).length).toBeGreaterThanOrEqual(10);

    const rules = all(groupNamed(doc, REACH_MARK_NAMES.rules), 'line');
    expect(rules).toHaveLength(3);
    expect(rules.map((r) => r['@_stroke'])).toEqual(['#b36b00', '#6a3d9a', '#c62828']);
    const labels = [REACH_MARK_NAMES.labels, REACH_MARK_NAMES.labelsEnd].flatMap((name) => all(groupNamed(doc, name), 'text').map((t) => String(t['#text'])));
    expect(labels).toEqual(['リマインド / Reminder', '電話 / Phone', '事務局へ通知 / Alert']);

    // The title, in both languages.
    const texts = all(doc, 'text').map((t) => String(t['#text'] ?? ''));
    expect(texts).toContain('【訓練】 TLP:AMBER · レベル3 高 · ADV-2026-0001 受領確認の推移');
    expect(texts).toContain('[DRILL] TLP:AMBER · Level 3 High · ADV-2026-0001 Share acknowledged over time');
  });

  it('places the rules in time order along the axis, the reminder left of the phone step left of the alert', async () => {
    const svg = await renderSvg(reachChartSpec(report));
    const doc = new XMLParser({ ignoreAttributes: false, isArray: (name) => name === 'g' || name === 'line' }).parse(svg);
    const xs = all(groupNamed(doc, REACH_MARK_NAMES.rules), 'line').map((l) => Number(/translate\(([\d.]+),/.exec(String(l['@_transform']))?.[1]));
    expect(xs).toHaveLength(3);
    // 640 px over 120 minutes: 40, 60 and 100 minutes.
    expect(xs.map((x) => Math.round(x))).toEqual([213, 320, 533]);
  });

  it('turns into a real PNG of the SVG\'s size at twice the pixels', async () => {
    const svg = await renderSvg(reachChartSpec(report));
    const png = Buffer.from(await svgToPng(svg));
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(png.subarray(12, 16).toString('ascii')).toBe('IHDR');
    const width = png.readUInt32BE(16);
    const height = png.readUInt32BE(20);
    const svgWidth = Number(/width="(\d+)"/.exec(svg)?.[1]);
    const svgHeight = Number(/height="(\d+)"/.exec(svg)?.[1]);
    expect(width).toBe(svgWidth * PNG_SCALE);
    expect(height).toBe(svgHeight * PNG_SCALE);
    // A drawn chart, not an empty canvas: far more compressed pixels than a blank picture of the same size (with or
    // without Japanese fonts on the machine).
    const blank = Buffer.from(await svgToPng(`<svg xmlns="http://www.w3.org/2000/svg" width="${svgWidth}" height="${svgHeight}"></svg>`));
    expect(blank.readUInt32BE(16)).toBe(width);
    expect(png.length).toBeGreaterThan(blank.length * 3);
  });
});
