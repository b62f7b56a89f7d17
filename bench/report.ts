/** The table the bench prints and the JSON it writes. */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { figure, type Figure } from './stats.js';

export interface Row {
  scenario: string;
  measure: string;
  bot: Figure;
  baseline?: Figure | undefined;
  /** bot ÷ baseline, run by run (run i of the bot with run i of the baseline, measured one after the other). */
  ratio?: Figure | undefined;
}

export interface MetricDef<R> {
  label: string;
  unit: string;
  value: (r: R) => number;
  /** Also give the baseline's figure and the ratio. */
  compare?: boolean;
}

export function metricRows<R>(scenario: string, runs: { bot: R[]; baseline: R[] }, defs: readonly MetricDef<R>[]): Row[] {
  return defs.map((d) => {
    const bot = runs.bot.map(d.value);
    if (!d.compare || runs.baseline.length === 0) return { scenario, measure: d.label, bot: figure(bot, d.unit) };
    const base = runs.baseline.map(d.value);
    const ratio = bot.map((b, i) => b / (base[i] ?? Number.NaN));
    return { scenario, measure: d.label, bot: figure(bot, d.unit), baseline: figure(base, d.unit), ratio: figure(ratio, '×') };
  });
}

const num = (v: number, unit: string): string => {
  if (!Number.isFinite(v)) return '—';
  const digits = unit === '×' ? 2 : Number.isInteger(v) ? 0 : Math.abs(v) < 10 ? 2 : Math.abs(v) < 100 ? 1 : 0;
  return v.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: unit === '×' ? 2 : 0 });
};

export function formatFigure(f: Figure | undefined): string {
  if (!f) return '';
  if (!Number.isFinite(f.median)) return '—';
  const unit = f.unit === '×' ? '×' : f.unit === '' ? '' : ` ${f.unit}`;
  if (f.runs.length === 1 || f.min === f.max) return `${num(f.median, f.unit)}${unit}`;
  return `${num(f.median, f.unit)}${unit} [${num(f.min, f.unit)}–${num(f.max, f.unit)}]`;
}

export function printTable(rows: readonly Row[]): string {
  const header = ['scenario', 'measure', 'bot', 'baseline', 'bot ÷ baseline'];
  const cells = rows.map((r) => [r.scenario, r.measure, formatFigure(r.bot), formatFigure(r.baseline), formatFigure(r.ratio)]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] as string).length)));
  const line = (c: string[]) => `| ${c.map((x, i) => x.padEnd(widths[i] as number)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.map(line)].join('\n');
}

export async function writeJson(path: string, content: unknown): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify(content, null, 2)}\n`);
}
