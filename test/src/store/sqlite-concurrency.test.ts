import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { SqliteStore } from '../../../src/store/sqlite/sqlite-store.js';
import { storeConcurrencyContract } from './store-concurrency-contract.js';

const dir = mkdtempSync(path.join(tmpdir(), 'ceptoar-sqlite-concurrency-'));
let fileCount = 0;

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

// Two stores on one file, as two processes would have it. better-sqlite3 is synchronous, so
// "concurrent" calls interleave only at their await points: still what two instances can do to
// each other, and the WAL file and locks are really shared.
storeConcurrencyContract('SQLite (two instances on one file)', async () => {
  const file = path.join(dir, `store-${++fileCount}.sqlite`);
  const a = new SqliteStore(file);
  const b = new SqliteStore(file);
  return {
    a,
    b,
    reopen: async () => new SqliteStore(file),
    close: async () => {
      await a.close();
      await b.close();
      for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
    },
  };
});
