import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyAudit } from '../../../src/commands/verify-audit.js';
import { genesisHash, linkHash, NO_ADVISORY_CHAIN } from '../../../src/domain/audit-chain.js';
import type { AuditEvent } from '../../../src/domain/audit.js';
import { SQLITE_MIGRATIONS, SQLITE_SCHEMA_VERSION, SqliteStore } from '../../../src/store/sqlite/sqlite-store.js';
import { anEvent, at } from './fixtures.js';

const dir = mkdtempSync(path.join(tmpdir(), 'ceptoar-sqlite-audit-'));
let fileCount = 0;
const freshFile = () => path.join(dir, `audit-${++fileCount}.sqlite`);

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** A file as release 4 left it (migrations 1-4), holding these audit rows in this order. */
function releaseFourFile(events: AuditEvent[]): string {
  const file = freshFile();
  const old = new Database(file);
  for (const m of SQLITE_MIGRATIONS.slice(0, 4)) old.exec(m);
  old.pragma('user_version = 4');
  const insert = old.prepare(`INSERT INTO audit (id, advisory_id, at, json) VALUES (?, ?, ?, ?)`);
  old.transaction(() => {
    for (const e of events) insert.run(e.id, e.advisoryId ?? null, e.at, JSON.stringify(e));
  })();
  old.close();
  return file;
}

// Written as release 4 wrote them: out of time order, sharing timestamps, some of no advisory.
const earlier: AuditEvent[] = [
  anEvent({ id: 'issued', at: at(0), action: 'advisory.issued' }),
  anEvent({ id: 'refused-1', at: at(0), action: 'advisory.refused', advisoryId: undefined }),
  anEvent({ id: 'posted-b', at: at(2), action: 'delivery.posted', deliveryId: 'd-b' }),
  anEvent({ id: 'posted-a', at: at(1), action: 'delivery.posted', deliveryId: 'd-a' }),
  anEvent({ id: 'other', at: at(1), advisoryId: 'ADV-2026-0002' }),
  anEvent({ id: 'ack-a', at: at(2), action: 'delivery.acknowledged', deliveryId: 'd-a' }),
  anEvent({ id: 'refused-2', at: at(3), action: 'phone.refused', advisoryId: undefined, actor: undefined }),
];

describe('SQLite audit log: migration 5 and its first pass', () => {
  it('chains the events of an earlier release in the order they were written, and they verify', async () => {
    const file = releaseFourFile(earlier);
    const store = new SqliteStore(file);
    try {
      const chain = await store.readAuditChain('ADV-2026-0001');
      expect(chain.links.map((l) => [l.seq, l.event.id])).toEqual([
        [1, 'issued'],
        [2, 'posted-b'],
        [3, 'posted-a'],
        [4, 'ack-a'],
      ]);
      expect(chain.links[0]).toMatchObject({ prev: genesisHash('ADV-2026-0001'), hash: linkHash('ADV-2026-0001', 1, genesisHash('ADV-2026-0001'), earlier[0]!) });
      expect(chain.head).toMatchObject({ seq: 4, eventId: 'ack-a' });
      expect((await store.readAuditChain(NO_ADVISORY_CHAIN)).links.map((l) => l.event.id)).toEqual(['refused-1', 'refused-2']);
      expect(await store.listAuditChains()).toEqual([NO_ADVISORY_CHAIN, 'ADV-2026-0001', 'ADV-2026-0002']);
      const v = await verifyAudit(store);
      expect(v.ok).toBe(true);
      expect(v.chains.map((c) => [c.chain, c.links])).toEqual([
        [NO_ADVISORY_CHAIN, 2],
        ['ADV-2026-0001', 4],
        ['ADV-2026-0002', 1],
      ]);
      // listAudit is as before: by time, then as written.
      expect((await store.listAudit('ADV-2026-0001')).map((e) => e.id)).toEqual(['issued', 'posted-a', 'posted-b', 'ack-a']);
      // New events go on from the chained ones.
      await store.appendAudit(anEvent({ id: 'ack-b', at: at(4), action: 'delivery.acknowledged', deliveryId: 'd-b' }));
      expect((await store.readAuditChain('ADV-2026-0001')).links.map((l) => l.seq)).toEqual([1, 2, 3, 4, 5]);
      expect((await verifyAudit(store)).ok).toBe(true);
      // An edit of a migrated event shows like any other.
      const raw = new Database(file);
      raw.prepare(`UPDATE audit SET json = json_set(json, '$.at', ?) WHERE id = 'posted-a'`).run(at(9));
      raw.close();
      expect((await verifyAudit(store)).firstProblem).toMatchObject({ kind: 'edited', chain: 'ADV-2026-0001', seq: 3, eventId: 'posted-a' });
    } finally {
      await store.close();
    }
    const db = new Database(file, { readonly: true });
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(SQLITE_SCHEMA_VERSION);
      expect(db.prepare(`SELECT count(*) AS n FROM audit_chain_backfill`).get()).toEqual({ n: 0 });
    } finally {
      db.close();
    }
  });

  it('chains them once when two stores open the file (two processes starting together)', async () => {
    const file = releaseFourFile(earlier);
    const a = new SqliteStore(file);
    const b = new SqliteStore(file);
    try {
      expect((await b.readAuditChain('ADV-2026-0001')).links.map((l) => l.seq)).toEqual([1, 2, 3, 4]);
      await Promise.all([a.appendAudit(anEvent({ id: 'x1', at: at(5) })), b.appendAudit(anEvent({ id: 'x2', at: at(5) }))]);
      expect((await verifyAudit(a)).ok).toBe(true);
      expect((await a.readAuditChain('ADV-2026-0001')).links).toHaveLength(6);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('finishes the first pass at the next open if the process that migrated died before it, and leaves rows written after the migration unchained', async () => {
    const file = releaseFourFile(earlier.slice(0, 3));
    // The migration ran (as openSqliteFile runs it) but the first pass never did; then a process
    // of the earlier release, still running, wrote a row the old way.
    const raw = new Database(file);
    raw.exec(SQLITE_MIGRATIONS[4] as string);
    raw.pragma('user_version = 5');
    const late = anEvent({ id: 'late-old-process', at: at(5) });
    raw.prepare(`INSERT INTO audit (id, advisory_id, at, json) VALUES (?, ?, ?, ?)`).run(late.id, late.advisoryId, late.at, JSON.stringify(late));
    raw.close();

    const store = new SqliteStore(file);
    try {
      const chain = await store.readAuditChain('ADV-2026-0001');
      expect(chain.links.map((l) => l.event.id)).toEqual(['issued', 'posted-b']);
      expect(chain.unchained).toStrictEqual([late]);
      expect((await verifyAudit(store, { chains: ['ADV-2026-0001'] })).firstProblem).toMatchObject({ kind: 'unchained', eventId: 'late-old-process' });
      expect((await verifyAudit(store, { chains: [NO_ADVISORY_CHAIN] })).ok).toBe(true);
    } finally {
      await store.close();
    }
  });

  it('chains more earlier events than one page of the first pass holds', async () => {
    const many = Array.from({ length: 2_345 }, (_, i) =>
      anEvent({ id: `old-${String(i).padStart(5, '0')}`, at: at(i % 7), advisoryId: i % 3 === 0 ? undefined : 'ADV-2026-0001' }),
    );
    const store = new SqliteStore(releaseFourFile(many));
    try {
      const chain = await store.readAuditChain('ADV-2026-0001');
      const expected = many.filter((e) => e.advisoryId).map((e) => e.id);
      expect(chain.links.map((l) => l.event.id)).toEqual(expected);
      expect(chain.links.at(-1)?.seq).toBe(expected.length);
      expect(chain.unchained).toEqual([]);
      const v = await verifyAudit(store);
      expect(v.ok).toBe(true);
      expect(v.chains.map((c) => c.links)).toEqual([782, 1_563]);
    } finally {
      await store.close();
    }
  });

  it('migrates an empty audit table and a fresh file alike', async () => {
    for (const file of [releaseFourFile([]), freshFile()]) {
      const store = new SqliteStore(file);
      try {
        expect(await store.listAuditChains()).toEqual([]);
        expect((await verifyAudit(store)).ok).toBe(true);
        await store.appendAudit(anEvent());
        expect((await store.readAuditChain('ADV-2026-0001')).links.map((l) => l.seq)).toEqual([1]);
      } finally {
        await store.close();
      }
    }
  });
});

describe('SQLite audit log: processes appending at once', () => {
  it('chains every event once, with no fork, when four processes append to one advisory together', async () => {
    const file = freshFile();
    // Create the schema first, so the processes race on appends rather than on migrating.
    await new SqliteStore(file).close();
    const script = path.join(import.meta.dirname, 'sqlite-audit-append.script.ts');
    const own = 60;
    const shared = 20;
    const children = [1, 2, 3, 4].map((who) =>
      spawn(process.execPath, ['--import', 'tsx', script, file, String(who), String(own), String(shared)], { stdio: ['pipe', 'pipe', 'inherit'] }),
    );
    const lines = children.map((c) => createInterface({ input: c.stdout! }));
    const said = (i: number, what: string) =>
      new Promise<void>((resolve, reject) => {
        lines[i]!.on('line', (l) => l === what && resolve());
        children[i]!.once('exit', (code) => reject(new Error(`process ${i + 1} exited with ${code} before saying ${what}`)));
      });
    await Promise.all(children.map((_, i) => said(i, 'ready')));
    const done = children.map((_, i) => said(i, 'done'));
    for (const c of children) c.stdin!.write('go\n');
    await Promise.all(done);
    await Promise.all(children.map((c) => (c.exitCode === null ? once(c, 'exit') : undefined)));
    expect(children.map((c) => c.exitCode)).toEqual([0, 0, 0, 0]);

    const store = new SqliteStore(file);
    try {
      const chain = await store.readAuditChain('ADV-2026-0042');
      const total = 4 * own + shared;
      expect(chain.links.map((l) => l.seq)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
      expect(new Set(chain.links.map((l) => l.event.id)).size).toBe(total);
      expect(chain.links.filter((l) => l.event.id.startsWith('shared-'))).toHaveLength(shared);
      // Events of different processes are interleaved: they really ran at once.
      const writers = chain.links.map((l) => l.event.id.split('-')[0]);
      expect(writers.some((w, i) => i > 0 && w !== writers[i - 1] && w !== 'shared' && writers[i - 1] !== 'shared')).toBe(true);
      const v = await verifyAudit(store);
      expect(v.firstProblem).toBeUndefined();
      expect(v.chains).toMatchObject([{ chain: 'ADV-2026-0042', ok: true, links: total, unanchored: 0 }]);
    } finally {
      await store.close();
    }
  }, 60_000);
});
