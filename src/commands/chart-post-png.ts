import { Resvg } from '@resvg/resvg-js';

/**
 * The chart's PNG at one pixel per SVG unit: about a third of the weight of view/reach-render.ts's svgToPng (two
 * pixels per unit), for a platform that takes only small pictures (ChatCapabilities.postImage.maxBytes: Teams, whose
 * picture travels as base64 inside the message). The same renderer and fonts as svgToPng; only the scale differs.
 * (A scale option on svgToPng would serve as well; that file is the reach report's.)
 */
export function pngAtOneToOne(svg: string): Uint8Array {
  const resvg = new Resvg(svg, {
    background: 'white',
    fitTo: { mode: 'zoom', value: 1 },
    font: { loadSystemFonts: true, defaultFontFamily: 'Noto Sans CJK JP' },
  });
  return resvg.render().asPng();
}
