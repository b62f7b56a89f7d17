/**
 * The child process chart-apart.ts starts to draw one chart: it receives a spec and the PNG scales over IPC, answers
 * with the SVG and the PNGs (or the error), and exits, handing its memory (Vega, resvg, the fonts) back to the system.
 */
import type { TopLevelSpec } from 'vega-lite';
import { inProcessCharts } from './chart-drawer.js';

export interface ChartRequest {
  spec: TopLevelSpec;
  pngScales: number[];
}

export type ChartReply = { svg: string; png: [number, Uint8Array][] } | { error: string };

function reply(message: ChartReply, code: number): void {
  // Exit once the message is written: the parent reads it before it sees the exit.
  process.send?.(message, undefined, {}, () => process.exit(code));
}

process.once('message', (request: ChartRequest) => {
  inProcessCharts.draw(request.spec, request.pngScales).then(
    (drawn) => reply({ svg: drawn.svg, png: [...drawn.png] }, 0),
    (err: unknown) => reply({ error: err instanceof Error ? (err.stack ?? err.message) : String(err) }, 1),
  );
});
