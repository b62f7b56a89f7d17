/** The closing chart's PNG, drawn off the event loop: the same picture as the reach report's svgToPng, or lighter at 1×. */
import { describe, expect, it } from 'vitest';
import { chartPng } from '../../../src/commands/chart-post-png.js';
import { DEFAULT_POLICIES } from '../../../src/domain/escalation.js';
import { reachReport } from '../../../src/domain/reach.js';
import { reachChartSpec } from '../../../src/view/reach-chart.js';
import { renderSvg, svgToPng } from '../../../src/view/reach-render.js';
import { drillTranscript } from '../domain/reach-fixture.js';
import { at } from '../store/fixtures.js';

const report = reachReport(drillTranscript(), { asOf: new Date(at(200)), policy: DEFAULT_POLICIES.level3, contacts: 2 });
const width = (png: Uint8Array) => Buffer.from(png).readUInt32BE(16);

describe('chartPng', () => {
  it('draws the same PNG as svgToPng, without holding the event loop while it does', async () => {
    const svg = await renderSvg(reachChartSpec(report));
    let t = performance.now();
    const blocking = svgToPng(svg);
    const blockedMs = performance.now() - t;

    t = performance.now();
    const drawing = chartPng(svg);
    // What the call takes before it hands back its promise is all the event loop waits for.
    const heldMs = performance.now() - t;
    const drawn = await drawing;
    expect(Buffer.from(drawn).equals(Buffer.from(blocking))).toBe(true);
    expect(heldMs * 4).toBeLessThan(blockedMs);
  });

  it('at one pixel per unit: half as wide, far lighter, still a PNG', async () => {
    const svg = await renderSvg(reachChartSpec(report));
    const [full, small] = await Promise.all([chartPng(svg), chartPng(svg, 1)]);
    expect(width(full)).toBe(2 * width(small));
    expect(small.byteLength).toBeLessThan(full.byteLength / 2);
    expect(Buffer.from(small.subarray(1, 4)).toString('latin1')).toBe('PNG');
  });
});
