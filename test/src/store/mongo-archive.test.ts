import { MongoClient } from 'mongodb';
import { afterAll, beforeAll } from 'vitest';
import { MongoArchive } from '../../../src/store/mongo/mongo-archive.js';
import type { Store } from '../../../src/ports/store.js';
import { archiveContract } from './archive-contract.js';
import { startFakeMongoServer, type FakeMongoServer } from './fake-mongo-server.js';

/**
 * The MongoDB archive through the real driver against the in-memory stand-in server (there is no
 * MongoDB server here); mongo-store.test.ts runs the same contract against a real one with MONGODB_URI.
 */
let server: FakeMongoServer;
let n = 0;

beforeAll(async () => {
  server = await startFakeMongoServer();
});
afterAll(async () => {
  await server.close();
});

archiveContract('MongoDB archive (stand-in server)', async () => {
  const dbName = `archive_${++n}`;
  const client = new MongoClient(server.uri(dbName), { ignoreUndefined: true });
  await client.connect();
  const archive = new MongoArchive(client.db(dbName), 5_000);
  await archive.prepare();
  // Only the archive's part of the port is exercised by the contract.
  return {
    saveTranscript: (t) => archive.saveTranscript(t),
    getTranscript: (id) => archive.getTranscript(id),
    searchTranscripts: (q) => archive.searchTranscripts(q),
    redactTranscripts: (before, redact) => archive.redactTranscripts(before, redact),
    deleteTranscripts: (before) => archive.deleteTranscripts(before),
    close: () => client.close(),
  } as Partial<Store> as Store;
});
