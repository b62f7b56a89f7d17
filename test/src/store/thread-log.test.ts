/**
 * The thread log contract on every store: SQLite (a file), MongoDB through the real driver against
 * the in-memory stand-in server (fake-mongo-server.ts; there is no MongoDB server here), and a real
 * MongoDB server when MONGODB_URI is set.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe } from 'vitest';
import { mongoClientOptions, MongoStore } from '../../../src/store/mongo/mongo-store.js';
import { MongoThreads } from '../../../src/store/mongo/mongo-threads.js';
import { SqliteStore } from '../../../src/store/sqlite/sqlite-store.js';
import { startFakeMongoServer, type FakeMongoServer } from './fake-mongo-server.js';
import { threadLogContract } from './thread-log-contract.js';

const dir = mkdtempSync(path.join(tmpdir(), 'ceptoar-threads-'));
let files = 0;
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

threadLogContract('SQLite (file)', async () => {
  const store = new SqliteStore(path.join(dir, `threads-${++files}.sqlite`));
  return { log: store, seed: (ds) => store.ensureDeliveries(ds), close: () => store.close() };
});

let server: FakeMongoServer;
let dbCount = 0;
beforeAll(async () => {
  server = await startFakeMongoServer();
});
afterAll(async () => {
  await server?.close();
});

// The thread log alone (MongoStore's start-up needs more of MongoDB than the stand-in speaks);
// deliveries are stored as MongoStore stores them, with its helper field.
threadLogContract('MongoDB (stand-in server)', async () => {
  const dbName = `threads_${++dbCount}`;
  const client = new MongoClient(server.uri(dbName), mongoClientOptions());
  await client.connect();
  const log = new MongoThreads(client.db(dbName), 5_000);
  await log.prepare();
  return {
    log,
    seed: async (ds) => {
      await client.db(dbName).collection('deliveries').insertMany(ds.map((d) => ({ ...d, _id: d.id, owed: false }) as never));
    },
    close: () => client.close(),
  };
});

const uri = process.env.MONGODB_URI?.trim() || undefined;
const runPrefix = `ceptoar_threads_${process.pid}_${randomBytes(3).toString('hex')}`;
const databases: string[] = [];

describe.skipIf(!uri)('MongoStore thread log (MONGODB_URI)', () => {
  afterAll(async () => {
    if (!uri || databases.length === 0) return;
    const client = new MongoClient(uri);
    try {
      await client.connect();
      for (const name of databases) await client.db(name).dropDatabase();
    } finally {
      await client.close();
    }
  });
  threadLogContract('MongoDB', async () => {
    const dbName = `${runPrefix}_${databases.length + 1}`;
    databases.push(dbName);
    const store = await MongoStore.connect(uri as string, { dbName });
    return { log: store, seed: (ds) => store.ensureDeliveries(ds), close: () => store.close() };
  });
});
