/**
 * A second handle on a running bot's embedded store (SQLite in its DATA_DIR; WAL lets a second
 * connection read while the bot writes), so an end-to-end test can check what the bot recorded —
 * the audit trail, acknowledgements, a delivery's token and message refs — not only what it posted.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SQLITE_FILE } from '../../src/store/open-store.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';

export function storeFile(dataDir: string): string {
  return join(dataDir, SQLITE_FILE);
}

/** The Store port over the bot's file: use its read methods only. Close it before the harness goes. */
export function openStoreReader(dataDir: string): SqliteStore {
  return new SqliteStore(storeFile(dataDir));
}

/**
 * Ids of the stored advisories whose record mentions `marker` (a title or body). The Store port has
 * no "list every advisory" (the bot never needs one), so this reads the embedded store's table.
 */
export function advisoryIdsMentioning(dataDir: string, marker: string): string[] {
  const db = new Database(storeFile(dataDir), { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare('SELECT id, json FROM advisories').all() as { id: string; json: string }[];
    return rows.filter((r) => r.json.includes(marker)).map((r) => r.id);
  } finally {
    db.close();
  }
}
