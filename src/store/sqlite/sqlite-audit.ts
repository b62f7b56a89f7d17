import type Database from 'better-sqlite3';
import type { AuditEvent } from '../../domain/audit.js';
import {
  appendBase,
  chainOf,
  NO_ADVISORY_CHAIN,
  nextLink,
  normaliseEvent,
  type ChainLink,
  type ChainTip,
  type StoredChain,
} from '../../domain/audit-chain.js';
import type { AuditLog } from '../../ports/audit-log.js';
import type { CommitGroup } from './commit-group.js';

interface LinkRow {
  json: string;
  chain: string;
  seq: number;
  prev: string;
  hash: string;
}

interface TipRow {
  seq: number;
  hash: string;
  event_id: string;
}

function prepareStatements(db: Database.Database) {
  return {
    exists: db.prepare<[string], { one: number }>(`SELECT 1 AS one FROM audit WHERE id = ?`),
    head: db.prepare<[string], TipRow>(`SELECT seq, hash, event_id FROM audit_heads WHERE chain = ?`),
    lastLink: db.prepare<[string], TipRow>(
      `SELECT seq, hash, id AS event_id FROM audit WHERE chain = ? ORDER BY seq DESC LIMIT 1`,
    ),
    insert: db.prepare<[string, string | null, string, string, string, number, string, string]>(
      `INSERT INTO audit (id, advisory_id, at, json, chain, seq, prev, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    // The head only moves forward: a head ahead of the links (events deleted at the end) stays
    // until a later link passes it, and the gap stays visible.
    moveHead: db.prepare<[string, number, string, string]>(
      `INSERT INTO audit_heads (chain, seq, hash, event_id) VALUES (?, ?, ?, ?)
       ON CONFLICT (chain) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, event_id = excluded.event_id
       WHERE excluded.seq > audit_heads.seq`,
    ),
    byAdvisory: db.prepare<[string], { json: string }>(`SELECT json FROM audit WHERE advisory_id = ? ORDER BY at, rowid`),
    links: db.prepare<[string], LinkRow>(
      `SELECT json, chain, seq, prev, hash FROM audit WHERE chain = ? ORDER BY seq`,
    ),
    unchained: db.prepare<[string, string], { json: string }>(
      `SELECT json FROM audit WHERE seq IS NULL AND COALESCE(advisory_id, ?) = ? ORDER BY rowid`,
    ),
    chains: db.prepare<[string], { chain: string }>(
      `SELECT chain FROM audit_heads
       UNION SELECT DISTINCT chain FROM audit WHERE chain IS NOT NULL
       UNION SELECT DISTINCT COALESCE(advisory_id, ?) FROM audit WHERE seq IS NULL
       ORDER BY 1`,
    ),
    backfillUpto: db.prepare<[], { upto: number }>(`SELECT upto FROM audit_chain_backfill`),
    backfillRows: db.prepare<[number, number, number], { rowid: number; id: string; advisory_id: string | null; json: string }>(
      `SELECT rowid, id, advisory_id, json FROM audit WHERE seq IS NULL AND rowid > ? AND rowid <= ? ORDER BY rowid LIMIT ?`,
    ),
    setLink: db.prepare<[string, number, string, string, number]>(
      `UPDATE audit SET chain = ?, seq = ?, prev = ?, hash = ? WHERE rowid = ?`,
    ),
    backfillDone: db.prepare<[]>(`DELETE FROM audit_chain_backfill`),
  };
}

const BACKFILL_PAGE = 1_000;

const tip = (row: TipRow | undefined): ChainTip | null => (row ? { seq: row.seq, hash: row.hash, eventId: row.event_id } : null);

/**
 * The audit log of the embedded store. An append is one write of the store's commit group (in its IMMEDIATE
 * transaction, the write lock held, so two processes on one file cannot both take the same place): skip an id
 * already stored, read where the chain ends, insert the linked event, move the head. Everything in it is an index
 * lookup and the hash of one small event: well under a millisecond besides the commit.
 */
export class SqliteAudit implements AuditLog {
  private readonly q: ReturnType<typeof prepareStatements>;

  constructor(
    private readonly db: Database.Database,
    private readonly group: CommitGroup,
  ) {
    this.q = prepareStatements(db);
    this.chainEarlierEvents();
  }

  /**
   * The first pass after migration 5: chain the events stored before it, in the order they were
   * written (rowid), each in its advisory's chain. IMMEDIATE, so of two processes opening the file
   * at once one does it and the other finds it done; a process that dies half way has rolled back,
   * and the next open does it all.
   */
  private chainEarlierEvents(): void {
    // Done (every open but the first after the migration): no write lock taken, as in openSqliteFile.
    if (!this.q.backfillUpto.get()) return;
    this.db
      .transaction(() => {
        const pending = this.q.backfillUpto.get();
        if (!pending) return;
        const tips = new Map<string, ChainTip>();
        // A page at a time: better-sqlite3 cannot write while a statement is being iterated, and a
        // long-lived database may hold more events than are worth holding in memory at once.
        for (let after = 0; ; ) {
          const rows = this.q.backfillRows.all(after, pending.upto, BACKFILL_PAGE);
          for (const row of rows) {
            const chain = row.advisory_id ?? NO_ADVISORY_CHAIN;
            const base = tips.get(chain) ?? this.base(chain);
            const link = nextLink(chain, base, JSON.parse(row.json) as AuditEvent);
            this.q.setLink.run(chain, link.seq, link.prev, link.hash, row.rowid);
            tips.set(chain, { seq: link.seq, hash: link.hash, eventId: row.id });
            after = row.rowid;
          }
          if (rows.length < BACKFILL_PAGE) break;
        }
        for (const [chain, t] of tips) this.q.moveHead.run(chain, t.seq, t.hash, t.eventId);
        this.q.backfillDone.run();
      })
      .immediate();
  }

  private base(chain: string): ChainTip | null {
    return appendBase(tip(this.q.head.get(chain)), tip(this.q.lastLink.get(chain)));
  }

  async appendAudit(event: AuditEvent): Promise<void> {
    await this.group.write(() => this.appendInTransaction(event));
  }

  /** Within the caller's transaction (a delivery's save and its audit event commit together); idempotent by id. */
  appendInTransaction(event: AuditEvent): void {
    const stored = normaliseEvent(event);
    const chain = chainOf(stored);
    if (this.q.exists.get(stored.id)) return;
    const link = nextLink(chain, this.base(chain), stored);
    this.q.insert.run(stored.id, stored.advisoryId ?? null, stored.at, JSON.stringify(stored), chain, link.seq, link.prev, link.hash);
    this.q.moveHead.run(chain, link.seq, link.hash, stored.id);
  }

  async listAudit(advisoryId: string): Promise<AuditEvent[]> {
    // rowid breaks ties in insertion order: events of one command often share a timestamp.
    return this.q.byAdvisory.all(advisoryId).map((r) => JSON.parse(r.json) as AuditEvent);
  }

  async listAuditChains(): Promise<string[]> {
    return this.q.chains.all(NO_ADVISORY_CHAIN).map((r) => r.chain);
  }

  async readAuditChain(chain: string): Promise<StoredChain> {
    // One read transaction: a consistent snapshot (WAL), so the order of reads cannot matter here.
    return this.db.transaction(() => {
      const head = tip(this.q.head.get(chain));
      const links = this.q.links.all(chain).map(
        (r): ChainLink => ({ chain: r.chain, seq: r.seq, prev: r.prev, hash: r.hash, event: JSON.parse(r.json) as AuditEvent }),
      );
      const unchained = this.q.unchained.all(NO_ADVISORY_CHAIN, chain).map((r) => JSON.parse(r.json) as AuditEvent);
      return { chain, head, links, unchained };
    })();
  }

  async auditChainHead(chain: string): Promise<ChainTip | null> {
    return tip(this.q.lastLink.get(chain));
  }
}
