import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { CommitGroup } from '../../../src/store/sqlite/commit-group.js';

const dir = mkdtempSync(path.join(tmpdir(), 'ceptoar-commit-group-'));
let n = 0;
const open: Database.Database[] = [];

afterEach(() => {
  for (const db of open.splice(0)) if (db.open) db.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Two connections to one fresh file, as the store and another process (or the test's eyes) have them. */
function fresh(): { file: string; writer: Database.Database; other: () => Database.Database } {
  const file = path.join(dir, `g-${++n}.sqlite`);
  const connect = () => {
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('busy_timeout = 5000');
    db.pragma('foreign_keys = ON');
    open.push(db);
    return db;
  };
  const writer = connect();
  writer.exec(`CREATE TABLE parent (id TEXT PRIMARY KEY);
               CREATE TABLE t (id TEXT PRIMARY KEY, parent TEXT REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED)`);
  return { file, writer, other: connect };
}

const rows = (db: Database.Database) => db.prepare<[], { id: string }>('SELECT id FROM t ORDER BY id').all().map((r) => r.id);
const insert = (db: Database.Database, id: string, parent: string | null = null) => () =>
  db.prepare('INSERT INTO t (id, parent) VALUES (?, ?)').run(id, parent).changes;

describe('CommitGroup', () => {
  it('commits the writes of one turn together, and answers each only once committed', async () => {
    const { writer, other } = fresh();
    const reader = other();
    const group = new CommitGroup(writer);
    const a = group.write(insert(writer, 'a'));
    const b = group.write(insert(writer, 'b'));
    // Run at once (this connection sees them), committed later (another does not yet).
    expect(rows(writer)).toEqual(['a', 'b']);
    expect(rows(reader)).toEqual([]);
    expect(writer.inTransaction).toBe(true);
    const answered: string[] = [];
    void a.then(() => answered.push(`a:${rows(reader).join(',')}`));
    void b.then(() => answered.push(`b:${rows(reader).join(',')}`));
    await expect(a).resolves.toBe(1);
    await expect(b).resolves.toBe(1);
    expect(answered).toEqual(['a:a,b', 'b:a,b']);
    expect(writer.inTransaction).toBe(false);
  });

  it('starts a new group after a commit', async () => {
    const { writer, other } = fresh();
    const group = new CommitGroup(writer);
    await group.write(insert(writer, 'a'));
    const b = group.write(insert(writer, 'b'));
    expect(rows(other())).toEqual(['a']);
    await b;
    expect(rows(other())).toEqual(['a', 'b']);
  });

  it('rolls back only the write that threw; the rest of its group is committed', async () => {
    const { writer, other } = fresh();
    const group = new CommitGroup(writer);
    const a = group.write(insert(writer, 'a'));
    const bad = group.write(() => {
      insert(writer, 'half')();
      throw new Error('refused half way');
    });
    const c = group.write(insert(writer, 'c'));
    await expect(bad).rejects.toThrow('refused half way');
    await Promise.all([a, c]);
    expect(rows(other())).toEqual(['a', 'c']);
  });

  it('rejects every write of a group whose COMMIT fails, and keeps none of them', async () => {
    const { writer, other } = fresh();
    const group = new CommitGroup(writer);
    const a = group.write(insert(writer, 'a'));
    // A deferred foreign key is checked at COMMIT: the whole group fails there.
    const orphan = group.write(insert(writer, 'orphan', 'no-such-parent'));
    await expect(a).rejects.toThrow(/FOREIGN KEY/);
    await expect(orphan).rejects.toThrow(/FOREIGN KEY/);
    expect(writer.inTransaction).toBe(false);
    expect(rows(other())).toEqual([]);
    // And the next write starts a group of its own.
    await group.write(insert(writer, 'b'));
    expect(rows(other())).toEqual(['b']);
  });

  it('waits for another connection of this process without stopping the event loop, in order', async () => {
    const { writer, other } = fresh();
    const second = other();
    const first = new CommitGroup(writer);
    const next = new CommitGroup(second);
    const a = first.write(insert(writer, 'a'));
    // The first group holds the lock until the turn ends: a blocking wait here would hold that turn for 5 s and fail.
    const b = next.write(insert(second, 'b'));
    const c = next.write(insert(second, 'c'));
    const order: string[] = [];
    await Promise.all([a.then(() => order.push('a')), b.then(() => order.push('b')), c.then(() => order.push('c'))]);
    expect(order).toEqual(['a', 'b', 'c']);
    expect(rows(writer)).toEqual(['a', 'b', 'c']);
  });

  it('fails with SQLITE_BUSY when the lock is held past the busy timeout, then works again once it is free', async () => {
    const { writer, other } = fresh();
    const holder = other();
    holder.exec('BEGIN IMMEDIATE');
    const group = new CommitGroup(writer, { busyTimeoutMs: 150 });
    const a = group.write(insert(writer, 'a'));
    const b = group.write(insert(writer, 'b'));
    await expect(a).rejects.toMatchObject({ code: 'SQLITE_BUSY', message: 'database is locked' });
    await expect(b).rejects.toMatchObject({ code: 'SQLITE_BUSY' });
    holder.exec('ROLLBACK');
    await group.write(insert(writer, 'c'));
    expect(rows(holder)).toEqual(['c']);
    // The connection's own busy timeout is what it was.
    expect(writer.pragma('busy_timeout', { simple: true })).toBe(5000);
  });

  it("fails at once with BEGIN's own error when it fails for another reason than the lock (no wait ending in SQLITE_BUSY)", async () => {
    const { writer } = fresh();
    const group = new CommitGroup(writer, { busyTimeoutMs: 150 });
    // A transaction the group did not open: its BEGIN IMMEDIATE cannot start one inside it.
    writer.exec('BEGIN');
    await expect(group.write(insert(writer, 'a'))).rejects.toMatchObject({ code: 'SQLITE_ERROR', message: expect.stringMatching(/within a transaction/) });
    writer.exec('ROLLBACK');
    await group.write(insert(writer, 'b'));
    expect(rows(writer)).toEqual(['b']);
    expect(writer.pragma('busy_timeout', { simple: true })).toBe(5000);
  });

  it('keeps a write made once the lock is free behind the writes still queued for it', async () => {
    const { writer, other } = fresh();
    const holder = other();
    holder.exec('BEGIN IMMEDIATE');
    const group = new CommitGroup(writer);
    const queued = group.write(insert(writer, 'z-queued-first'));
    // Free before the queued write's next try: the new write must not overtake it.
    holder.exec('COMMIT');
    const later = group.write(insert(writer, 'a-written-later'));
    await Promise.all([queued, later]);
    expect(writer.prepare<[], { id: string }>('SELECT id FROM t ORDER BY rowid').all().map((r) => r.id)).toEqual(['z-queued-first', 'a-written-later']);
  });

  it('flush commits the open group at once (closing)', async () => {
    const { writer, other } = fresh();
    const group = new CommitGroup(writer);
    const a = group.write(insert(writer, 'a'));
    group.flush();
    expect(rows(other())).toEqual(['a']);
    writer.close();
    await expect(a).resolves.toBe(1);
  });

  it('flush waits for the lock, blocking, for writes still queued for it', async () => {
    const { writer, other } = fresh();
    const holder = other();
    holder.exec('BEGIN IMMEDIATE');
    const group = new CommitGroup(writer);
    const a = group.write(insert(writer, 'a'));
    holder.exec('COMMIT');
    group.flush();
    expect(rows(holder)).toEqual(['a']);
    await expect(a).resolves.toBe(1);
  });

  it('says so when SQLite rolled the group back under it, instead of committing what is left', async () => {
    const { writer, other } = fresh();
    const group = new CommitGroup(writer);
    const a = group.write(insert(writer, 'a'));
    // As an I/O error would: the transaction is gone though the group thinks it open.
    writer.exec('ROLLBACK');
    const b = group.write(insert(writer, 'b'));
    await expect(a).rejects.toThrow(/rolled back/);
    await expect(b).resolves.toBe(1);
    expect(rows(other())).toEqual(['b']);
  });
});
