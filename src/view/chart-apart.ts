import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ChartReply, ChartRequest } from './chart-child.js';
import type { ChartDrawer, DrawnChart } from './chart-drawer.js';

/** A drawing takes about a second (several on a cold font cache); one that takes this long has hung. */
const DRAW_TIMEOUT_MS = 60_000;

// The child runs the same way as this process: compiled JavaScript next to this file, or the TypeScript source
// through tsx (npm start, the tests).
const fromSource = import.meta.url.endsWith('.ts');
const CHILD = fileURLToPath(new URL(fromSource ? './chart-child.ts' : './chart-child.js', import.meta.url));

/**
 * Charts drawn in a short-lived child process (chart-child.ts), one per drawing: Vega, resvg and the machine's fonts
 * (about 100 MB once a Japanese font is loaded) are never loaded into the bot, and whatever the renderer holds goes
 * when the child exits. A drawing costs a process start (a few hundred ms), once per closing or status-page chart.
 * A child that fails, exits without answering or takes longer than the timeout is an error, as a drawing that fails
 * here would be; the callers already leave the chart out and say so.
 */
export function childProcessCharts(options: { timeoutMs?: number; execArgv?: string[] } = {}): ChartDrawer {
  const timeoutMs = options.timeoutMs ?? DRAW_TIMEOUT_MS;
  const execArgv = options.execArgv ?? (fromSource ? ['--import', 'tsx'] : []);
  return {
    draw(spec, pngScales) {
      return new Promise<DrawnChart>((resolve, reject) => {
        // 'advanced' serialisation carries the PNGs' bytes as they are (JSON would turn them into objects).
        const child = fork(CHILD, [], { execArgv, serialization: 'advanced', stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
        let stderr = '';
        child.stderr?.on('data', (chunk: Buffer) => {
          stderr = (stderr + chunk.toString('utf8')).slice(-2_000);
        });
        let answered = false;
        const timer = setTimeout(() => {
          child.kill('SIGKILL');
          reject(new Error(`the chart's drawing process did not answer within ${timeoutMs} ms`));
        }, timeoutMs);
        child.once('message', (message: ChartReply) => {
          answered = true;
          clearTimeout(timer);
          if ('error' in message) reject(new Error(`the chart could not be drawn: ${message.error}`));
          else resolve({ svg: message.svg, png: new Map(message.png.map(([scale, bytes]) => [scale, new Uint8Array(bytes)])) });
        });
        child.once('error', (err) => {
          clearTimeout(timer);
          reject(err);
        });
        child.once('exit', (code, signal) => {
          clearTimeout(timer);
          if (!answered) reject(new Error(`the chart's drawing process exited (${signal ?? code}) without a chart${stderr ? `: ${stderr.trim()}` : ''}`));
        });
        const request: ChartRequest = { spec, pngScales: [...pngScales] };
        child.send(request);
      });
    },
  };
}
