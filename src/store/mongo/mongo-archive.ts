import type { Collection, Db, Filter } from 'mongodb';
import type { Transcript } from '../../domain/transcript.js';
import type { ArchiveStore, TranscriptPage, TranscriptQuery } from '../../ports/archive.js';
import { checkedTranscript as checked, decodeCursor, encodeCursor, isRedactable, summaryOf } from '../transcript-records.js';

/**
 * One document per transcript, `_id` the advisory id. `title` (the latest version's) is kept beside
 * it for search results; `redactable` is set while TLP:RED texts are still in it, so the retention
 * pass reads a partial index (a partial index can match only on a value that is there).
 */
type TranscriptDoc = Transcript & { _id: string; title: string; redactable?: true };

const FIELDS = { _id: 0, title: 0, redactable: 0 } as const;

function docOf(t: Transcript): TranscriptDoc {
  const doc: TranscriptDoc = { ...t, _id: t.advisoryId, title: t.versions.at(-1)?.title ?? '' };
  if (isRedactable(t)) doc.redactable = true;
  // The client does not drop undefined: it would store null for it.
  for (const k of Object.keys(doc) as (keyof TranscriptDoc)[]) if (doc[k] === undefined) delete doc[k];
  return doc;
}


/** The MongoDB archive (the ArchiveStore port): collection `transcripts`. */
export class MongoArchive implements ArchiveStore {
  private readonly transcripts: Collection<TranscriptDoc>;

  constructor(db: Db, private readonly maxTimeMS: number) {
    this.transcripts = db.collection<TranscriptDoc>('transcripts');
  }

  /** The indexes search and retention read; idempotent, run at every start. */
  async prepare(): Promise<void> {
    await Promise.all([
      this.transcripts.createIndex({ issuedAt: -1, _id: -1 }, { name: 'issuedAt' }),
      // Multikey on the member ids: "every advisory jma had, newest first".
      this.transcripts.createIndex({ members: 1, issuedAt: -1 }, { name: 'members_issuedAt' }),
      this.transcripts.createIndex({ tlp: 1, issuedAt: -1 }, { name: 'tlp_issuedAt' }),
      this.transcripts.createIndex({ severity: 1, issuedAt: -1 }, { name: 'severity_issuedAt' }),
      this.transcripts.createIndex({ category: 1, issuedAt: -1 }, { name: 'category_issuedAt' }),
      this.transcripts.createIndex({ drill: 1, issuedAt: -1 }, { name: 'drill_issuedAt' }),
      this.transcripts.createIndex({ issuedAt: 1 }, { name: 'redactable', partialFilterExpression: { redactable: true } }),
    ]);
  }

  async saveTranscript(t: Transcript): Promise<void> {
    await this.transcripts.replaceOne({ _id: t.advisoryId }, docOf(t), { upsert: true });
  }

  async getTranscript(advisoryId: string): Promise<Transcript | null> {
    const t = await this.transcripts.findOne<Transcript>({ _id: advisoryId }, { projection: FIELDS, maxTimeMS: this.maxTimeMS });
    return t ? checked(t) : null;
  }

  async searchTranscripts(q: TranscriptQuery): Promise<TranscriptPage> {
    const and: Filter<TranscriptDoc>[] = [];
    if (q.since !== undefined || q.until !== undefined) {
      and.push({ issuedAt: { ...(q.since !== undefined ? { $gte: q.since } : {}), ...(q.until !== undefined ? { $lt: q.until } : {}) } });
    }
    if (q.memberId !== undefined) and.push({ members: q.memberId });
    if (q.tlp !== undefined) and.push({ tlp: q.tlp });
    if (q.severity !== undefined) and.push({ severity: q.severity });
    if (q.category !== undefined) and.push({ category: q.category });
    if (q.drill !== undefined) and.push({ drill: q.drill });
    if (q.after !== undefined) {
      const c = decodeCursor(q.after);
      and.push({ $or: [{ issuedAt: { $lt: c.issuedAt } }, { issuedAt: c.issuedAt, _id: { $lt: c.advisoryId } }] });
    }
    const filter: Filter<TranscriptDoc> = and.length > 0 ? { $and: and } : {};
    const docs = await this.transcripts
      .find<Transcript>(filter, { projection: FIELDS, sort: { issuedAt: -1, _id: -1 }, limit: q.limit + 1, maxTimeMS: this.maxTimeMS })
      .toArray();
    const page = docs.slice(0, q.limit);
    const last = page.at(-1);
    return {
      transcripts: page.map((t) => summaryOf(checked(t))),
      next: docs.length > q.limit && last ? encodeCursor(last.issuedAt, last.advisoryId) : undefined,
    };
  }

  async redactTranscripts(before: string, redact: (t: Transcript) => Transcript): Promise<string[]> {
    const due = await this.transcripts
      .find<Transcript>({ redactable: true, issuedAt: { $lt: before } }, { projection: FIELDS, sort: { issuedAt: 1 }, maxTimeMS: this.maxTimeMS })
      .toArray();
    const done: string[] = [];
    for (const t of due) {
      // Only while it is still redactable: a transcript archived again meanwhile is read again next time.
      const r = await this.transcripts.replaceOne({ _id: t.advisoryId, redactable: true, archivedAt: t.archivedAt }, docOf(redact(checked(t))));
      if (r.matchedCount === 1) done.push(t.advisoryId);
    }
    return done;
  }

  async deleteTranscripts(before: string): Promise<number> {
    return (await this.transcripts.deleteMany({ issuedAt: { $lt: before } })).deletedCount;
  }
}
