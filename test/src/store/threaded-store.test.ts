import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { ThreadedSqliteStore } from '../../../src/store/sqlite/threaded-store.js';
import { storeContract } from './store-contract.js';
import { advisoryLifecycleContract } from './advisory-lifecycle-contract.js';
import { archiveContract } from './archive-contract.js';
import { threadLogContract } from './thread-log-contract.js';

const dir = mkdtempSync(path.join(tmpdir(), 'ceptoar-threaded-store-'));
let fileCount = 0;
/** A new file per store, so no test sees another's rows. */
const freshFile = () => path.join(dir, `store-${++fileCount}.sqlite`);

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

storeContract('SQLite in its own thread', () => ThreadedSqliteStore.open(freshFile()));
advisoryLifecycleContract('SQLite in its own thread', () => ThreadedSqliteStore.open(freshFile()));
archiveContract('SQLite in its own thread', () => ThreadedSqliteStore.open(freshFile()));
threadLogContract('SQLite in its own thread', async () => {
  const store = await ThreadedSqliteStore.open(freshFile());
  return { log: store, seed: (ds) => store.ensureDeliveries(ds), close: () => store.close() };
});
