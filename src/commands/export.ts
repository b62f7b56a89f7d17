import { randomUUID } from 'node:crypto';
import type { Transcript } from '../domain/transcript.js';
import type { Actor } from '../domain/platform.js';
import { BotError } from '../errors.js';
import { exportCsv, exportJson } from '../view/transcript-export.js';
import type { ExportFile, ExportFormat } from '../view/export-view.js';
import { sourcesOf, transcriptOf, type TranscriptSources } from './archive.js';
import { requireSecretariat } from './authorise.js';
import type { CoreDeps } from './deps.js';

export type { ExportFile, ExportFormat } from '../view/export-view.js';

/** The archived transcript, or, for an advisory not archived yet, one made now from the live records. */
export async function recordOf(sources: TranscriptSources, advisoryId: string): Promise<{ transcript: Transcript; archived: boolean }> {
  const archived = await sources.store.getTranscript(advisoryId);
  if (archived) return { transcript: archived, archived: true };
  const advisory = await sources.store.getAdvisory(advisoryId);
  if (!advisory) throw new BotError('ADVISORY.NOT_FOUND', 'advisory not found', { advisoryId });
  return { transcript: await transcriptOf(sources, advisory), archived: false };
}

export function exportFile(transcript: Transcript, format: ExportFormat, archived: boolean): ExportFile {
  return format === 'csv'
    ? { filename: `${transcript.advisoryId}.csv`, contentType: 'text/csv; charset=utf-8', body: exportCsv(transcript), archived }
    : { filename: `${transcript.advisoryId}.json`, contentType: 'application/json; charset=utf-8', body: exportJson(transcript), archived };
}

/** The secretariat exports an advisory's record (who got it, who saw it, who was called): audited. */
export async function exportAdvisory(deps: CoreDeps, req: { actor: Actor; advisoryId: string; format: ExportFormat }): Promise<ExportFile> {
  await requireSecretariat(deps, req.actor, 'advisory.export');
  const { transcript, archived } = await recordOf(sourcesOf(deps), req.advisoryId);
  await deps.store.appendAudit({
    // Every export is its own event: who took the record out, and when, is what matters.
    id: `${req.advisoryId}.exported.${randomUUID()}`,
    at: deps.clock.now().toISOString(),
    actor: req.actor,
    action: 'advisory.exported',
    advisoryId: req.advisoryId,
    detail: { format: req.format, archived, deliveries: transcript.deliveries.length },
  });
  return exportFile(transcript, req.format, archived);
}
