import type { TopLevelSpec } from 'vega-lite';
import { renderSvg, svgToPng } from './reach-render.js';

/** A chart as drawn: its SVG, and its PNG at each scale asked for (pixels per SVG unit). */
export interface DrawnChart {
  svg: string;
  png: ReadonlyMap<number, Uint8Array>;
}

/**
 * Who draws the reach chart (reach-render.ts): the commands ask for a spec to be drawn and never load Vega or resvg
 * themselves, so the composition root chooses where the drawing happens — in this process (the CLI, the tests), or
 * in a child process that exits when it is done (chart-apart.ts: the bot, which should not carry a renderer and its
 * fonts, about 100 MB, for the rest of its life after one closing).
 */
export interface ChartDrawer {
  draw(spec: TopLevelSpec, pngScales: readonly number[]): Promise<DrawnChart>;
}

/** Drawn here, in this process. */
export const inProcessCharts: ChartDrawer = {
  async draw(spec, pngScales) {
    const svg = await renderSvg(spec);
    const png = new Map<number, Uint8Array>();
    for (const scale of pngScales) png.set(scale, await svgToPng(svg, scale));
    return { svg, png };
  },
};
