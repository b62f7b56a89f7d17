/**
 * The Teams end-to-end tests' shared set-up: the harness with Teams on (the fake Bot Connector), a watch on its
 * queues, a reader of its store, and the bot installed in the secretariat's team; with `env` given as a function,
 * a temp dir for the files it writes (a directory, a ladder), removed at close.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { REDIS_URL, startHarness, type Harness } from './bot-harness.js';
import { TEAMS } from './mixed-directory.js';
import { watchQueues, type QueueWatch } from './queue-watch.js';
import { openStoreReader } from './store-reader.js';

export interface TeamsE2e {
  h: Harness;
  queues: QueueWatch;
  store: SqliteStore;
  close(): Promise<void>;
}

export async function startTeamsE2e(options: { env?: (dir: string) => Promise<Record<string, string>> } = {}): Promise<TeamsE2e> {
  const dir = options.env ? await mkdtemp(join(tmpdir(), 'ceptoar-teams-')) : undefined;
  let h: Harness | undefined;
  let queues: QueueWatch | undefined;
  let store: SqliteStore | undefined;
  const close = async () => {
    await store?.close();
    await queues?.close();
    await h?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  };
  try {
    h = await startHarness({ teams: true, ...(options.env && dir ? { env: await options.env(dir) } : {}) });
    queues = watchQueues(REDIS_URL, h.prefix);
    store = openStoreReader(h.dataDir);
    // Installed in the secretariat's team; its service URL reaches every team of the tenant.
    expect((await h.teams!.install(TEAMS.secretariat.team, TEAMS.secretariat.team)).status).toBe(200);
    return { h, queues, store, close };
  } catch (err) {
    // beforeAll failed half way: afterAll has nothing to close, so undo what did start here.
    await close();
    throw err;
  }
}
