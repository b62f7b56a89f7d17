import type { TopLevelSpec } from 'vega-lite';

/**
 * Draws a chart spec (reach-chart.ts): Vega-Lite compiled to Vega, rendered headless by Vega's View#toSVG() with
 * the 'none' renderer (no browser, no canvas), and the SVG turned into a PNG by resvg (@resvg/resvg-js: a
 * well-kept Rust renderer shipped as prebuilt binaries in the npm registry, nothing to compile or download at
 * install). The PNG is what Slack and Teams show inline; the SVG is what a web page shows.
 *
 * The data are inline in the spec: nothing is loaded from a URL or a file (Vega's loader is never asked).
 *
 * Vega, Vega-Lite and resvg are loaded on the first drawing, not with the bot: together they hold about 35 MB of a
 * process that draws a chart once per closing (issue 12 counts the bot's memory at sector scale).
 */

/** The SVG text of the chart. */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const [{ parse, View }, { compile }] = await Promise.all([import('vega'), import('vega-lite')]);
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
 *
 * Drawn off the event loop (resvg's renderAsync, on libuv's thread pool): loading the system's fonts and laying out
 * the Japanese text takes the better part of a second (several on a cold cache), during which a process that also
 * serves Slack's and Teams' endpoints could not answer a button press within Slack's three seconds.
 *
 * `scale` is pixels per SVG unit: PNG_SCALE by default, 1 for a platform that takes only small pictures
 * (ChatCapabilities.postImage.maxBytes: Teams, whose picture travels as base64 inside the message).
 */
export async function svgToPng(svg: string, scale: number = PNG_SCALE): Promise<Uint8Array> {
  const { renderAsync } = await import('@resvg/resvg-js');
  const image = await renderAsync(svg, {
    background: 'white',
    fitTo: { mode: 'zoom', value: scale },
    font: { loadSystemFonts: true, defaultFontFamily: 'Noto Sans CJK JP' },
  });
  return image.asPng();
}
