import { open, type FileHandle } from 'node:fs/promises';
import path from 'node:path';

/** Makes what the connection's commits wrote to its WAL durable, off the event loop. */
export interface WalSync {
  /** fdatasync of the WAL file, in libuv's thread pool: every frame written before the call is on disk when it resolves. */
  sync(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The WAL file of a database, synced as SQLite syncs it at synchronous FULL, but without blocking the loop. Opened at
 * the first sync (the file exists by then: a COMMIT wrote to it) and kept open; SQLite never replaces it while a
 * connection is open (a checkpoint restarts or truncates it in place), so the one descriptor always reaches it.
 */
export function walSync(databaseFile: string): WalSync {
  const file = `${path.resolve(databaseFile)}-wal`;
  let handle: Promise<FileHandle> | undefined;
  const opened = () => {
    // A failed open is not kept: the next sync tries again.
    handle ??= open(file, 'r').catch((err: unknown) => {
      handle = undefined;
      throw err;
    });
    return handle;
  };
  return {
    async sync() {
      await (await opened()).datasync();
    },
    async close() {
      const h = handle;
      handle = undefined;
      if (h) await (await h.catch(() => undefined))?.close();
    },
  };
}
