import { Resvg } from '@resvg/resvg-js';
import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/**
 * Draws a chart spec (reach-chart.ts): Vega-Lite compiled to Vega, rendered headless by Vega's View#toSVG() with
 * the 'none' renderer (no browser, no canvas), and the SVG turned into a PNG by resvg (@resvg/resvg-js: a
 * well-kept Rust renderer shipped as prebuilt binaries in the npm registry, nothing to compile or download at
 * install). The PNG is what Slack and Teams show inline; the SVG is what a web page shows.
 *
 * The data are inline in the spec: nothing is loaded from a URL or a file (Vega's loader is never asked).
 */

/** The SVG text of the chart. */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new View(parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Pixels per SVG unit in the PNG: sharp on a phone's screen and in a chat's preview. */
export const PNG_SCALE = 2;

/**
 * The PNG of an SVG, with the machine's fonts (Japanese from Noto CJK: Debian's fonts-noto-cjk). A machine without
 * a Japanese font still gets a PNG, with the Japanese glyphs missing.
 */
export function svgToPng(svg: string): Uint8Array {
  const resvg = new Resvg(svg, {
    background: 'white',
    fitTo: { mode: 'zoom', value: PNG_SCALE },
    font: { loadSystemFonts: true, defaultFontFamily: 'Noto Sans CJK JP' },
  });
  return resvg.render().asPng();
}
