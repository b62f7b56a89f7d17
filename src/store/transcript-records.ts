import { TRANSCRIPT_SCHEMA, type Transcript } from '../domain/transcript.js';
import { BotError } from '../errors.js';
import type { TranscriptSummary } from '../ports/archive.js';

/** What both archives (sqlite-archive.ts, mongo-archive.ts) keep and read the same way. */

/** Any version under TLP:RED, not yet redacted: its texts have a retention of their own. */
export function isRedactable(t: Transcript): boolean {
  return !t.redacted && t.versions.some((v) => v.tlp === 'TLP:RED');
}

export function summaryOf(t: Transcript): TranscriptSummary {
  return {
    advisoryId: t.advisoryId,
    issuedAt: t.issuedAt,
    archivedAt: t.archivedAt,
    title: t.versions.at(-1)?.title ?? '',
    tlp: t.tlp,
    severity: t.severity,
    category: t.category,
    drill: t.drill,
    members: t.members.length,
    cause: t.closure?.cause,
    redacted: t.redacted !== undefined,
  };
}

/** A record this release can read; a newer shape is refused rather than misread. */
export function readTranscript(json: string): Transcript {
  return checkedTranscript(JSON.parse(json) as Transcript);
}

export function checkedTranscript(t: Transcript): Transcript {
  if (t.schema !== TRANSCRIPT_SCHEMA) throw new BotError('STORE.CONFLICT', 'transcript written by a newer release', { advisoryId: t.advisoryId, schema: t.schema });
  return t;
}

/** The cursor of a page: issue time and id of its last line (newest first, so the next page is older). */
export const encodeCursor = (issuedAt: string, advisoryId: string): string => `${issuedAt}|${advisoryId}`;
export function decodeCursor(after: string): { issuedAt: string; advisoryId: string } {
  const i = after.lastIndexOf('|');
  return { issuedAt: after.slice(0, i), advisoryId: after.slice(i + 1) };
}

