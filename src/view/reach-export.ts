import { stringify } from 'csv-stringify/sync';
import type { ReachComparison } from '../domain/reach-compare.js';
import { RATE_KEYS, type ReachMember, type ReachReport } from '../domain/reach.js';
import { HOW_TEXT, RATE_TEXT, REACH_COLUMNS, REACH_TEXT, STAGE_TEXT } from '../i18n/reach-text.js';
import { both } from '../i18n/text.js';
import { jst } from './transcript-export.js';

/**
 * The reach report as files: CSV (UTF-8 with a byte-order mark and CRLF, as the advisory's export is, so that Excel
 * reads the Japanese) and JSON. The CSV holds the figures first (a measure per row: count, percent, seconds), a
 * blank line, then one row per member; the comparison of two reports is one table (this one, the last, the
 * difference).
 */

/** What the report can be taken out as: its figures (CSV, JSON), or its chart (SVG, PNG). */
export const REACH_FORMATS = ['csv', 'json', 'svg', 'png'] as const;
export type ReachFormat = (typeof REACH_FORMATS)[number];

export interface ReachFile {
  filename: string;
  contentType: string;
  /** Text for CSV, JSON and SVG; the PNG's bytes. */
  body: string | Uint8Array;
  /** Made from the archived transcript (false: from the live records). */
  archived: boolean;
}

const csv = (rows: string[][]): string => `\uFEFF${stringify(rows, { record_delimiter: 'windows' })}`;
const num = (n: number | null | undefined): string => (n === null || n === undefined ? '' : String(n));

function summaryRows(r: ReachReport): string[][] {
  return [
    [both(REACH_TEXT.measure), both(REACH_TEXT.count), both(REACH_TEXT.percent), both(REACH_TEXT.seconds)],
    ['注意喚起ID / advisory id', r.advisoryId, '', ''],
    ['訓練 / drill', r.drill ? 'yes' : 'no', '', ''],
    [both(REACH_TEXT.asOf), jst(r.asOf), '', ''],
    [both(REACH_TEXT.targeted), String(r.targeted), r.targeted > 0 ? '100' : '0', ''],
    ...RATE_KEYS.map((k) => [both(RATE_TEXT[k]), String(r.rates[k].count), String(r.rates[k].percent), '']),
    [both(REACH_TEXT.median), String(r.times.acknowledged), '', num(r.times.medianSeconds)],
    [both(REACH_TEXT.p90), String(r.times.acknowledged), '', num(r.times.p90Seconds)],
  ];
}

function memberRow(r: ReachReport, m: ReachMember): string[] {
  const cells: Record<(typeof REACH_COLUMNS)[number][0], string> = {
    advisory_id: r.advisoryId,
    drill: r.drill ? 'yes' : 'no',
    member_id: m.memberId,
    member_name: m.name.ja,
    how: both(HOW_TEXT[m.how]),
    stage: both(STAGE_TEXT[m.stage]),
    acknowledged_at: jst(m.acknowledgedAt),
    seconds: num(m.seconds),
    contact: m.contact ? `#${m.contact.index + 1} ${m.contact.name}${m.contact.role ? ` (${m.contact.role})` : ''}` : '',
    reminder_at: jst(m.steps.reminder),
    phone_at: jst(m.steps.phone),
    alert_at: jst(m.steps.alert),
    failures: m.failures.map((f) => `${f.code}${f.detail ? ` (${f.detail})` : ''} ${jst(f.at)}`).join('; '),
  };
  return REACH_COLUMNS.map(([key]) => cells[key]);
}

export function reachCsv(r: ReachReport): string {
  return csv([...summaryRows(r), [], REACH_COLUMNS.map(([, label]) => label), ...r.members.map((m) => memberRow(r, m))]);
}

export function comparisonCsv(c: ReachComparison): string {
  const side = (s: ReachComparison['current'], label: string) => `${label} ${s.advisoryId}${s.drill ? ' [DRILL]' : ''}`;
  return csv([
    [both(REACH_TEXT.measure), side(c.current, both(REACH_TEXT.current)), side(c.previous, both(REACH_TEXT.previous)), both(REACH_TEXT.difference)],
    [both(REACH_TEXT.targeted), String(c.current.targeted), String(c.previous.targeted), String(c.current.targeted - c.previous.targeted)],
    ...c.rates.map((l) => [`${both(RATE_TEXT[l.key])} (%)`, String(l.current.percent), String(l.previous.percent), String(l.points)]),
    ...c.times.map((t) => [`${both(t.key === 'medianSeconds' ? REACH_TEXT.median : REACH_TEXT.p90)} (${both(REACH_TEXT.seconds)})`, num(t.current), num(t.previous), num(t.seconds)]),
  ]);
}

/** The report as it is (JSON has no undefined: absent fields stay absent), pretty-printed. */
export function reachJson(value: ReachReport | { current: ReachReport; previous: ReachReport; comparison: ReachComparison }): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
