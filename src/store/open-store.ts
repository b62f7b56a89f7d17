import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Store } from '../ports/store.js';
import { MongoStore } from './mongo/mongo-store.js';
import { SqliteStore } from './sqlite/sqlite-store.js';

export const SQLITE_FILE = 'ceptoar.sqlite';

export interface OpenedStore {
  store: Store;
  kind: 'mongodb' | 'sqlite';
  /** Safe to log: no user name, password or query options from the URI. */
  where: string;
}

/** MongoDB when a URI is configured, otherwise the embedded SQLite file in `dataDir`. */
export async function openStore(options: { mongodbUri?: string | undefined; dataDir: string }): Promise<OpenedStore> {
  const uri = options.mongodbUri?.trim();
  if (uri) {
    const store = await MongoStore.connect(uri);
    return { store, kind: 'mongodb', where: describeMongoUri(uri) };
  }
  mkdirSync(options.dataDir, { recursive: true });
  const file = path.resolve(options.dataDir, SQLITE_FILE);
  return { store: new SqliteStore(file), kind: 'sqlite', where: file };
}

/**
 * Scheme, hosts and database only. The query is dropped as well as the user info because options
 * such as authMechanismProperties or tlsCertificateKeyFilePassword can carry secrets too.
 * When the URI is ambiguous (an '@' after the host part, as an unescaped password can produce),
 * the hosts are hidden rather than risk printing part of a password.
 */
export function describeMongoUri(uri: string): string {
  const m = /^(mongodb(?:\+srv)?):\/\/(.*)$/is.exec(uri.trim());
  if (!m) return 'mongodb (unrecognised URI)';
  const scheme = (m[1] ?? 'mongodb').toLowerCase();
  const rest = m[2] ?? '';
  const authorityEnd = rest.search(/[/?]/);
  const authority = authorityEnd === -1 ? rest : rest.slice(0, authorityEnd);
  const afterAuthority = authorityEnd === -1 ? '' : rest.slice(authorityEnd);
  if (afterAuthority.includes('@')) return `${scheme}://(hosts hidden: URI not safely parseable)`;
  const hosts = authority.slice(authority.lastIndexOf('@') + 1);
  const db = /^\/([^?]+)/.exec(afterAuthority)?.[1] ?? '';
  return `${scheme}://${hosts}${db ? `/${db}` : ''}`;
}
