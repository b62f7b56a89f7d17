import type { TopLevelSpec } from 'vega-lite';
import { randomUUID } from 'node:crypto';
import { parseAdvisoryId } from '../domain/advisory.js';
import type { Actor } from '../domain/platform.js';
import { compareReach } from '../domain/reach-compare.js';
import { reachReport, type ReachReport } from '../domain/reach.js';
import { BotError } from '../errors.js';
import type { Bilingual } from '../i18n/text.js';
import { reachChartSpec } from '../view/reach-chart.js';
import { comparisonCsv, REACH_FORMATS, reachCsv, reachJson, type ReachFile, type ReachFormat } from '../view/reach-export.js';
import { PNG_SCALE } from '../view/reach-render.js';
import type { ChartDrawer, DrawnChart } from '../view/chart-drawer.js';
import { reachView, type ReachView } from '../view/reach-view.js';
import { sourcesOf, type TranscriptSources } from './archive.js';
import { requireSecretariat } from './authorise.js';
import type { CoreDeps } from './deps.js';
import { recordOf } from './export.js';

/**
 * The reach report (疎通確認率) of an advisory, drill or real, from the same record its export is made from (the
 * archived transcript, or the live records of an advisory not archived yet), as a worded view for the status page,
 * as files (CSV, JSON, the chart as SVG or PNG), and as the chart alone for the closing summary.
 */

export { REACH_FORMATS, type ReachFile, type ReachFormat } from '../view/reach-export.js';

/** Where a report is read from: the transcript's sources and, when known, how many phone contacts each member has. */
export interface ReachSources extends TranscriptSources {
  contactsOf?: ((memberId: string) => number) | undefined;
}

export const reachSourcesOf = (deps: CoreDeps): ReachSources => ({ ...sourcesOf(deps), contactsOf: (id) => deps.directory.contactsInOrder(id).length });

/** "adv-2026-42" → "ADV-2026-0042" (either series); anything else is not found. */
function idOf(text: string): string {
  const id = parseAdvisoryId(text);
  if (!id) throw new BotError('ADVISORY.NOT_FOUND', 'advisory not found', { advisoryId: text });
  return id;
}

/**
 * The report of one advisory: its ladder marked at the policy it was issued with (while the store still holds the
 * advisory), the alert at the earliest it can come for the member with the fewest contacts.
 */
export async function reachOf(sources: ReachSources, advisoryIdText: string): Promise<{ report: ReachReport; archived: boolean }> {
  const { transcript, archived } = await recordOf(sources, idOf(advisoryIdText));
  const advisory = await sources.store.getAdvisory(transcript.advisoryId);
  const counts = sources.contactsOf && transcript.members.length > 0 ? transcript.members.map(sources.contactsOf) : undefined;
  const report = reachReport(transcript, { asOf: sources.clock.now(), policy: advisory?.escalation, contacts: counts ? Math.min(...counts) : undefined });
  return { report, archived };
}

/** The report as a file; with `previous`, CSV and JSON put the two side by side (the chart is this one's). */
export async function reachFileOf(charts: ChartDrawer, report: ReachReport, format: ReachFormat, archived: boolean, previous?: ReachReport): Promise<ReachFile> {
  const base = previous ? `${report.advisoryId}-reach-vs-${previous.advisoryId}` : `${report.advisoryId}-reach`;
  switch (format) {
    case 'csv':
      return { filename: `${base}.csv`, contentType: 'text/csv; charset=utf-8', archived, body: previous ? comparisonCsv(compareReach(report, previous)) : reachCsv(report) };
    case 'json':
      return {
        filename: `${base}.json`,
        contentType: 'application/json; charset=utf-8',
        archived,
        body: previous ? reachJson({ current: report, previous, comparison: compareReach(report, previous) }) : reachJson(report),
      };
    case 'svg':
      return { filename: `${report.advisoryId}-reach.svg`, contentType: 'image/svg+xml; charset=utf-8', archived, body: (await charts.draw(reachChartSpec(report), [])).svg };
    case 'png':
      return { filename: `${report.advisoryId}-reach.png`, contentType: 'image/png', archived, body: pngOf(await charts.draw(reachChartSpec(report), [PNG_SCALE]), PNG_SCALE) };
  }
}

export interface ReachFileRequest {
  actor: Actor;
  advisoryId: string;
  format: ReachFormat;
  /** Another advisory (the last drill) to put beside this one. */
  compareWith?: string | undefined;
}

const BAD_FORMAT: Bilingual = { ja: '形式は csv・json・svg・png のいずれかです。', en: 'The format is csv, json, svg or png.' };

/** The secretariat takes the report out as a file: audited in the advisory's chain as its export is. */
export async function reachFile(deps: CoreDeps, req: ReachFileRequest): Promise<ReachFile> {
  await requireSecretariat(deps, req.actor, 'advisory.reach');
  // An adapter passes what a person or a URL asked for: anything else is refused, naming the field.
  if (!(REACH_FORMATS as readonly unknown[]).includes(req.format)) {
    throw new BotError('ADVISORY.INVALID', 'reach report format is not valid', { fields: [{ field: 'format', message: BAD_FORMAT }] });
  }
  const sources = reachSourcesOf(deps);
  const { report, archived } = await reachOf(sources, req.advisoryId);
  const previous = req.compareWith === undefined ? undefined : (await reachOf(sources, req.compareWith)).report;
  const file = await reachFileOf(deps.charts, report, req.format, archived, previous);
  await deps.store.appendAudit({
    // Every taking-out is its own event: who took the figures, and when.
    id: `${report.advisoryId}.exported.${randomUUID()}`,
    at: deps.clock.now().toISOString(),
    actor: req.actor,
    action: 'advisory.exported',
    advisoryId: report.advisoryId,
    detail: { report: 'reach', format: req.format, archived, ...(previous ? { comparedWith: previous.advisoryId } : {}) },
  });
  return file;
}

/** The report worded for the secretariat's status page (shown, not taken out: not audited, as the status is not). */
export async function reachViewFor(deps: CoreDeps, actor: Actor, advisoryId: string): Promise<ReachView> {
  await requireSecretariat(deps, actor, 'advisory.reach');
  return reachView((await reachOf(reachSourcesOf(deps), advisoryId)).report);
}

/** The chart on the secretariat's status page (shown, not taken out: not audited). */
export async function reachSvgFor(deps: CoreDeps, actor: Actor, advisoryId: string): Promise<string> {
  await requireSecretariat(deps, actor, 'advisory.reach');
  return (await deps.charts.draw(reachChartSpec((await reachOf(reachSourcesOf(deps), advisoryId)).report), [])).svg;
}

/**
 * The chart of an advisory as SVG text and PNG bytes, with its report and the spec it was drawn from (to draw it
 * again at another scale): for the closing summary posted to Slack and Teams (the bot's own use, no person asking).
 */
export async function reachChart(deps: CoreDeps, advisoryId: string): Promise<{ spec: TopLevelSpec; svg: string; png: Uint8Array; report: ReachReport }> {
  const { report } = await reachOf(reachSourcesOf(deps), advisoryId);
  const spec = reachChartSpec(report);
  const drawn = await deps.charts.draw(spec, [PNG_SCALE]);
  return { spec, svg: drawn.svg, png: pngOf(drawn, PNG_SCALE), report };
}

/** The PNG a drawing was asked for at `scale`. */
export function pngOf(drawn: DrawnChart, scale: number): Uint8Array {
  const png = drawn.png.get(scale);
  if (!png) throw new Error(`the chart was drawn without its PNG at ${scale}×`);
  return png;
}
