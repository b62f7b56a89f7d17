import type Database from 'better-sqlite3';
import type { Transcript } from '../../domain/transcript.js';
import type { ArchiveStore, TranscriptPage, TranscriptQuery } from '../../ports/archive.js';
import { decodeCursor, encodeCursor, isRedactable, readTranscript, summaryOf } from '../transcript-records.js';
import type { CommitGroup } from './commit-group.js';

/** Its migration, appended to sqlite-migrations.ts: the searchable fields beside the JSON, and members apart. */
export const ARCHIVE_MIGRATION = `
  CREATE TABLE transcripts (
    advisory_id TEXT PRIMARY KEY,
    issued_at   TEXT NOT NULL,
    archived_at TEXT NOT NULL,
    tlp         TEXT NOT NULL,
    severity    TEXT NOT NULL,
    category    TEXT NOT NULL,
    drill       INTEGER NOT NULL,
    redactable  INTEGER NOT NULL,
    json        TEXT NOT NULL
  ) STRICT;
  CREATE INDEX transcripts_by_issue ON transcripts (issued_at, advisory_id);
  CREATE INDEX transcripts_redactable ON transcripts (issued_at) WHERE redactable = 1;

  CREATE TABLE transcript_members (
    member_id   TEXT NOT NULL,
    advisory_id TEXT NOT NULL REFERENCES transcripts (advisory_id) ON DELETE CASCADE,
    issued_at   TEXT NOT NULL,
    PRIMARY KEY (member_id, advisory_id)
  ) STRICT;
  CREATE INDEX transcript_members_by_issue ON transcript_members (member_id, issued_at);
`;

interface Row {
  advisory_id: string;
  issued_at: string;
  json: string;
}

/** The embedded store's archive (the ArchiveStore port), on SqliteStore's database. */
export class SqliteArchive implements ArchiveStore {
  private readonly upsert: Database.Statement<[string, string, string, string, string, string, number, number, string]>;
  private readonly clearMembers: Database.Statement<[string]>;
  private readonly addMember: Database.Statement<[string, string, string]>;
  private readonly byId: Database.Statement<[string], { json: string }>;

  constructor(
    private readonly db: Database.Database,
    private readonly group: CommitGroup,
  ) {
    this.upsert = db.prepare(
      `INSERT INTO transcripts (advisory_id, issued_at, archived_at, tlp, severity, category, drill, redactable, json)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (advisory_id) DO UPDATE SET issued_at = excluded.issued_at, archived_at = excluded.archived_at, tlp = excluded.tlp,
         severity = excluded.severity, category = excluded.category, drill = excluded.drill, redactable = excluded.redactable, json = excluded.json`,
    );
    this.clearMembers = db.prepare(`DELETE FROM transcript_members WHERE advisory_id = ?`);
    this.addMember = db.prepare(`INSERT OR IGNORE INTO transcript_members (member_id, advisory_id, issued_at) VALUES (?, ?, ?)`);
    this.byId = db.prepare(`SELECT json FROM transcripts WHERE advisory_id = ?`);
  }

  private write(t: Transcript): void {
    this.upsert.run(t.advisoryId, t.issuedAt, t.archivedAt, t.tlp, t.severity, t.category, t.drill ? 1 : 0, isRedactable(t) ? 1 : 0, JSON.stringify(t));
    this.clearMembers.run(t.advisoryId);
    for (const m of t.members) this.addMember.run(m, t.advisoryId, t.issuedAt);
  }

  async saveTranscript(t: Transcript): Promise<void> {
    await this.group.write(() => this.write(t));
  }

  async getTranscript(advisoryId: string): Promise<Transcript | null> {
    const row = this.byId.get(advisoryId);
    return row ? readTranscript(row.json) : null;
  }

  async searchTranscripts(q: TranscriptQuery): Promise<TranscriptPage> {
    const where: string[] = [];
    const args: (string | number)[] = [];
    const add = (sql: string, ...values: (string | number)[]) => {
      where.push(sql);
      args.push(...values);
    };
    if (q.since !== undefined) add('t.issued_at >= ?', q.since);
    if (q.until !== undefined) add('t.issued_at < ?', q.until);
    if (q.memberId !== undefined) add('t.advisory_id IN (SELECT advisory_id FROM transcript_members WHERE member_id = ?)', q.memberId);
    if (q.tlp !== undefined) add('t.tlp = ?', q.tlp);
    if (q.severity !== undefined) add('t.severity = ?', q.severity);
    if (q.category !== undefined) add('t.category = ?', q.category);
    if (q.drill !== undefined) add('t.drill = ?', q.drill ? 1 : 0);
    if (q.after !== undefined) {
      const c = decodeCursor(q.after);
      add('(t.issued_at < ? OR (t.issued_at = ? AND t.advisory_id < ?))', c.issuedAt, c.issuedAt, c.advisoryId);
    }
    const sql = `SELECT t.advisory_id, t.issued_at, t.json FROM transcripts t ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
                 ORDER BY t.issued_at DESC, t.advisory_id DESC LIMIT ?`;
    const rows = this.db.prepare<(string | number)[], Row>(sql).all(...args, q.limit + 1);
    const page = rows.slice(0, q.limit);
    const last = page.at(-1);
    return {
      transcripts: page.map((r) => summaryOf(readTranscript(r.json))),
      next: rows.length > q.limit && last ? encodeCursor(last.issued_at, last.advisory_id) : undefined,
    };
  }

  async redactTranscripts(before: string, redact: (t: Transcript) => Transcript): Promise<string[]> {
    return this.group.write(() => {
      // Read inside the write: another process cannot change a transcript between the read and the redaction.
      const rows = this.db.prepare<[string], Row>(`SELECT advisory_id, issued_at, json FROM transcripts WHERE redactable = 1 AND issued_at < ? ORDER BY issued_at`).all(before);
      const done: string[] = [];
      for (const r of rows) {
        this.write(redact(readTranscript(r.json)));
        done.push(r.advisory_id);
      }
      return done;
    });
  }

  async deleteTranscripts(before: string): Promise<number> {
    return this.group.write(() => this.db.prepare<[string]>(`DELETE FROM transcripts WHERE issued_at < ?`).run(before).changes);
  }
}
