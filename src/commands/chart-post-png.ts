import { renderAsync } from '@resvg/resvg-js';
import { PNG_SCALE } from '../view/reach-render.js';

/**
 * The chart's PNG for the closing summary, drawn off the event loop. view/reach-render.ts's svgToPng draws with the
 * synchronous Resvg: loading the system's fonts and laying out the Japanese text takes the better part of a second
 * (several on a cold cache), during which a process that also serves Slack's and Teams' endpoints could not answer a
 * button press within Slack's three seconds. resvg's renderAsync does the same work on libuv's thread pool, with the
 * same renderer, fonts and background as svgToPng (a scale option and renderAsync there would serve as well; that
 * file is the reach report's).
 *
 * `scale` is pixels per SVG unit: PNG_SCALE (2) as svgToPng draws it, 1 for a platform that takes only small pictures
 * (ChatCapabilities.postImage.maxBytes: Teams, whose picture travels as base64 inside the message).
 */
export async function chartPng(svg: string, scale: number = PNG_SCALE): Promise<Uint8Array> {
  const image = await renderAsync(svg, {
    background: 'white',
    fitTo: { mode: 'zoom', value: scale },
    font: { loadSystemFonts: true, defaultFontFamily: 'Noto Sans CJK JP' },
  });
  return image.asPng();
}
