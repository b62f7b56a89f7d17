import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Store } from '../ports/store.js';
import { describeMongoUri } from './mongo/mongo-uri.js';
import { SqliteStore } from './sqlite/sqlite-store.js';

export { describeMongoUri, mongoUriDatabase } from './mongo/mongo-uri.js';

export const SQLITE_FILE = 'ceptoar.sqlite';

export interface OpenedStore {
  store: Store;
  kind: 'mongodb' | 'sqlite';
  /** Safe to log: no user name, password or query options from the URI. */
  where: string;
  /** For the operators, to log once at start-up (each in Japanese and English): e.g. a standalone MongoDB server. */
  warnings: string[];
}

/**
 * MongoDB when a URI is configured, otherwise the embedded SQLite file in `dataDir`. A URI that
 * names no database is refused (CONFIG.INVALID) before any connection is made.
 */
export async function openStore(options: { mongodbUri?: string | undefined; dataDir: string }): Promise<OpenedStore> {
  const uri = options.mongodbUri?.trim();
  if (uri) {
    // Loaded only when configured: the driver is about 23 MB of memory a bot on the embedded store never uses.
    const { MongoStore } = await import('./mongo/mongo-store.js');
    const store = await MongoStore.connect(uri);
    return { store, kind: 'mongodb', where: describeMongoUri(uri), warnings: [...store.warnings] };
  }
  mkdirSync(options.dataDir, { recursive: true });
  const file = path.resolve(options.dataDir, SQLITE_FILE);
  return { store: new SqliteStore(file), kind: 'sqlite', where: file, warnings: [] };
}
