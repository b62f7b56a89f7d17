import { redactRed } from '../domain/transcript.js';
import type { Clock } from '../clock.js';
import type { Store } from '../ports/store.js';

export interface RetentionSettings {
  /** TLP:RED texts are kept this many days after issue, then removed from the archive (0: kept). */
  redDays: number;
  /** Transcripts are kept this many days after issue, then deleted (0: kept for ever). */
  keepDays: number;
}

export interface RetentionReport {
  redacted: string[];
  deleted: number;
  /** The cut-off issue times applied (ISO), for the operator's log. */
  redBefore?: string | undefined;
  deleteBefore?: string | undefined;
}

const DAY_MS = 86_400_000;

/**
 * Apply the retention settings to the archive: TLP:RED texts past their retention are removed (who,
 * when and how stay), transcripts past the general retention are deleted. Each redaction is audited
 * in the advisory's own chain. Safe to run any number of times (by cron, `npm run cli -- purge`).
 */
export async function applyRetention(deps: { store: Store; clock: Clock }, settings: RetentionSettings, options: { dryRun?: boolean } = {}): Promise<RetentionReport> {
  const now = deps.clock.now();
  const report: RetentionReport = { redacted: [], deleted: 0 };
  if (settings.redDays > 0) {
    report.redBefore = new Date(now.getTime() - settings.redDays * DAY_MS).toISOString();
    if (options.dryRun) {
      report.redacted = await dueForRedaction(deps.store, report.redBefore);
    } else {
      report.redacted = await deps.store.redactTranscripts(report.redBefore, (t) => redactRed(t, now));
      for (const advisoryId of report.redacted) {
        await deps.store.appendAudit({
          id: `${advisoryId}.redacted`,
          at: now.toISOString(),
          action: 'advisory.redacted',
          advisoryId,
          detail: { redDays: settings.redDays },
        });
      }
    }
  }
  if (settings.keepDays > 0) {
    report.deleteBefore = new Date(now.getTime() - settings.keepDays * DAY_MS).toISOString();
    report.deleted = options.dryRun
      ? (await deps.store.searchTranscripts({ until: report.deleteBefore, limit: 100_000 })).transcripts.length
      : await deps.store.deleteTranscripts(report.deleteBefore);
  }
  return report;
}

async function dueForRedaction(store: Store, before: string): Promise<string[]> {
  const ids: string[] = [];
  let after: string | undefined;
  do {
    const page = await store.searchTranscripts({ until: before, limit: 500, after });
    ids.push(...page.transcripts.filter((s) => !s.redacted).map((s) => s.advisoryId));
    after = page.next;
  } while (after !== undefined);
  // Only those with a TLP:RED text: the summary says the current TLP; a corrected one may have been RED before.
  const red: string[] = [];
  for (const id of ids) {
    const t = await store.getTranscript(id);
    if (t && t.versions.some((v) => v.tlp === 'TLP:RED')) red.push(id);
  }
  // Oldest first, as the redaction itself goes.
  return red.reverse();
}
