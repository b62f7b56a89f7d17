import Database from 'better-sqlite3';

/** How long a writer waits for another process's lock before giving up with SQLITE_BUSY. */
const BUSY_TIMEOUT_MS = 5_000;

/**
 * A commit is on disk (the WAL fsynced) before it returns. better-sqlite3 builds SQLite with NORMAL as WAL's default:
 * durable against a crash of the process, not against a power loss. The embedded store runs with it, and so does the
 * benchmark's bare baseline, so that "one store write per job" costs both the same fsync.
 */
export const DURABLE_COMMITS = 'synchronous = FULL';

/**
 * Open a SQLite file (or ':memory:') and bring its schema up to date. `migrations[i]` moves the
 * schema from version i to i + 1 (PRAGMA user_version); the list is append-only, and a file from a
 * newer build is refused rather than guessed at. Used by the embedded store and the local workspace.
 */
export function openSqliteFile(filename: string, migrations: readonly string[], what: string, pragmas: string[] = []): Database.Database {
  const db = new Database(filename);
  try {
    // WAL lets readers go on while a worker writes; busy_timeout makes a second process wait for
    // the lock instead of failing at once.
    db.pragma('journal_mode = WAL');
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    for (const p of pragmas) db.pragma(p);
    const version = () => {
      const current = db.pragma('user_version', { simple: true }) as number;
      if (current > migrations.length) {
        throw new Error(`${what} schema version ${current} is newer than this build understands (${migrations.length}); refusing to open`);
      }
      return current;
    };
    // Up to date (every open but a new build's first): no write lock is taken, so a second handle opened beside a
    // busy writer (a reader, the CLI) neither waits for it nor, in the writer's own process, stops it committing.
    if (version() < migrations.length) {
      // IMMEDIATE so two processes opening a new file at once do not both run the same migration.
      db.transaction(() => {
        for (let v = version(); v < migrations.length; v++) db.exec(migrations[v] as string);
        db.pragma(`user_version = ${migrations.length}`);
      }).immediate();
    }
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}
