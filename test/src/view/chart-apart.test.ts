/**
 * The bot's charts drawn in a child process (view/chart-apart.ts): the same SVG and PNGs as drawn in this process, and
 * every way the child can fail is an error for the caller, never a hang or a silent nothing.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICIES } from '../../../src/domain/escalation.js';
import { reachReport } from '../../../src/domain/reach.js';
import { childProcessCharts } from '../../../src/view/chart-apart.js';
import { inProcessCharts } from '../../../src/view/chart-drawer.js';
import { reachChartSpec } from '../../../src/view/reach-chart.js';
import { drillTranscript } from '../domain/reach-fixture.js';
import { at } from '../store/fixtures.js';

const spec = reachChartSpec(reachReport(drillTranscript(), { asOf: new Date(at(200)), policy: DEFAULT_POLICIES.level3, contacts: 2 }));
const same = (a: Uint8Array | undefined, b: Uint8Array | undefined) => a !== undefined && b !== undefined && Buffer.from(a).equals(Buffer.from(b));

describe('childProcessCharts', () => {
  it('draws the SVG and a PNG at each scale asked for, byte for byte as this process draws them', async () => {
    const [apart, here] = await Promise.all([childProcessCharts().draw(spec, [2, 1]), inProcessCharts.draw(spec, [2, 1])]);
    expect(apart.svg).toBe(here.svg);
    expect(apart.svg).toContain('<svg');
    expect([...apart.png.keys()]).toEqual([2, 1]);
    expect(apart.png.get(2)).toBeInstanceOf(Uint8Array);
    expect(same(apart.png.get(2), here.png.get(2))).toBe(true);
    expect(same(apart.png.get(1), here.png.get(1))).toBe(true);
    expect(same(apart.png.get(2), apart.png.get(1))).toBe(false);
  });

  it('draws only the SVG when no PNG is asked for', async () => {
    const drawn = await childProcessCharts().draw(spec, []);
    expect(drawn.svg).toBe((await inProcessCharts.draw(spec, [])).svg);
    expect(drawn.png.size).toBe(0);
  });

  it('rejects with the drawing\'s own error when the spec cannot be drawn', async () => {
    // Neither a mark nor a layer: Vega-Lite refuses it, naming the spec.
    const broken = { data: { values: [] } } as unknown as typeof spec;
    await expect(childProcessCharts().draw(broken, [2])).rejects.toThrow(/the chart could not be drawn: Error: Invalid specification \{"data":\{"values":\[\]\}\}/);
  });

  it('rejects when the child exits without answering, with what it said', async () => {
    const dying = childProcessCharts({ execArgv: ['--import', './no-such-loader-for-charts.mjs'] });
    await expect(dying.draw(spec, [2])).rejects.toThrow(/exited \(1\) without a chart: .*no-such-loader-for-charts/s);
  });

  it('rejects, and stops the child, when it does not answer in time', async () => {
    await expect(childProcessCharts({ timeoutMs: 1 }).draw(spec, [2])).rejects.toThrow('did not answer within 1 ms');
  });
});
