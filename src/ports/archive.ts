import type { Category, Severity, Tlp } from '../domain/classification.js';
import type { ClosureCause } from '../domain/advisory.js';
import type { Transcript } from '../domain/transcript.js';

/** What archives are searched by; every given field must match. Times are ISO, on the issue time. */
export interface TranscriptQuery {
  since?: string | undefined;
  until?: string | undefined;
  memberId?: string | undefined;
  tlp?: Tlp | undefined;
  severity?: Severity | undefined;
  category?: Category | undefined;
  drill?: boolean | undefined;
  limit: number;
  /** Pass back `next` for the following page. */
  after?: string | undefined;
}

/** One line of a search result. */
export interface TranscriptSummary {
  advisoryId: string;
  issuedAt: string;
  archivedAt: string;
  title: string;
  tlp: Tlp;
  severity: Severity;
  category: Category;
  drill: boolean;
  members: number;
  cause: ClosureCause | undefined;
  redacted: boolean;
}

export interface TranscriptPage {
  transcripts: TranscriptSummary[];
  next?: string | undefined;
}

/**
 * The archive: one transcript per ended advisory (src/domain/transcript.ts), in MongoDB's
 * `transcripts` collection or the embedded store's `transcripts` table. Both pass one contract
 * suite (test/src/store/archive-contract.ts).
 */
export interface ArchiveStore {
  /** Insert or replace the advisory's transcript (archiving again after late activity replaces it). */
  saveTranscript(t: Transcript): Promise<void>;
  getTranscript(advisoryId: string): Promise<Transcript | null>;
  /** Newest issue first. */
  searchTranscripts(q: TranscriptQuery): Promise<TranscriptPage>;
  /**
   * Transcripts issued before `before` whose texts TLP:RED lets be kept only so long: replaced by
   * `redact` (the caller's rule) and stored. Returns their advisory ids.
   */
  redactTranscripts(before: string, redact: (t: Transcript) => Transcript): Promise<string[]>;
  /** Delete the transcripts of advisories issued before `before`; returns how many. */
  deleteTranscripts(before: string): Promise<number>;
}
