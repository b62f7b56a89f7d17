import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MongoStore } from '../../../src/store/mongo/mongo-store.js';
import { startFakeMongoServer, type FakeMongoServer } from './fake-mongo-server.js';
import { anAck, at } from './fixtures.js';

/**
 * Acknowledgement rounds changed the acknowledgements' unique key: a database an earlier release
 * made has its old index (one per person per delivery) dropped at start-up, through the real driver
 * against the in-memory stand-in server (there is no MongoDB server here).
 */
let server: FakeMongoServer;

beforeAll(async () => {
  server = await startFakeMongoServer();
});
afterAll(async () => {
  await server.close();
});

describe('MongoStore start-up: the acknowledgements index of an earlier release', () => {
  it('drops the per-delivery unique index and keeps one acknowledgement per person per round', async () => {
    const uri = server.uri('upgrade');
    const client = new MongoClient(uri);
    await client.connect();
    await client.db('upgrade').collection('acknowledgements').createIndex({ deliveryId: 1, 'actor.platform': 1, 'actor.userId': 1 }, { unique: true, name: 'delivery_actor_unique' });
    await client.close();

    const store = await MongoStore.connect(uri, { dbName: 'upgrade' });
    try {
      expect(server.commands.filter((c) => 'dropIndexes' in c).map((c) => c['index'])).toEqual(['delivery_actor_unique']);
      expect(await store.addAcknowledgement(anAck({ at: at(1) }))).toBe(true);
      expect(await store.addAcknowledgement(anAck({ at: at(2) }))).toBe(false);
      expect(await store.addAcknowledgement(anAck({ at: at(3), round: 2 }))).toBe(true);
    } finally {
      await store.close();
    }
  });

  it('starts on a new database, where there is nothing to drop', async () => {
    const store = await MongoStore.connect(server.uri('fresh'), { dbName: 'fresh' });
    await store.close();
    expect(server.commands.filter((c) => 'dropIndexes' in c && c['$db'] === 'fresh')).toHaveLength(1);
  });
});
