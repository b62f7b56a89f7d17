/** The chart's PNG: drawn off the event loop, at two pixels per unit or lighter at one. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICIES } from '../../../src/domain/escalation.js';
import { reachReport } from '../../../src/domain/reach.js';
import { reachChartSpec } from '../../../src/view/reach-chart.js';
import { renderSvg, svgToPng } from '../../../src/view/reach-render.js';
import { drillTranscript } from '../domain/reach-fixture.js';
import { at } from '../store/fixtures.js';

const report = reachReport(drillTranscript(), { asOf: new Date(at(200)), policy: DEFAULT_POLICIES.level3, contacts: 2 });
const width = (png: Uint8Array) => Buffer.from(png).readUInt32BE(16);

describe('svgToPng', () => {
  it('lets the event loop turn while it draws', async () => {
    const svg = await renderSvg(reachChartSpec(report));
    await svgToPng(svg); // resvg loaded and the fonts cached: what is left is the drawing itself
    const order: string[] = [];
    const drawing = svgToPng(svg).then(() => order.push('drawn'));
    // A timer due at once runs before the drawing ends only if the drawing is not on the event loop's thread.
    setTimeout(() => order.push('timer'), 0);
    await drawing;
    expect(order).toEqual(['timer', 'drawn']);
  });

  it('at one pixel per unit: half as wide, far lighter, still a PNG', async () => {
    const svg = await renderSvg(reachChartSpec(report));
    const [full, small] = await Promise.all([svgToPng(svg), svgToPng(svg, 1)]);
    expect(width(full)).toBe(2 * width(small));
    expect(small.byteLength).toBeLessThan(full.byteLength / 2);
    expect(Buffer.from(small.subarray(1, 4)).toString('latin1')).toBe('PNG');
  });
});
