import { MongoClient, ObjectId } from 'mongodb';
import type { Document } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAudit } from '../../../src/commands/verify-audit.js';
import { NO_ADVISORY_CHAIN, normaliseEvent } from '../../../src/domain/audit-chain.js';
import type { AuditEvent } from '../../../src/domain/audit.js';
import { MongoAudit } from '../../../src/store/mongo/mongo-audit.js';
import { auditChainContract, type AuditStore } from './audit-chain-contract.js';
import { mongoTamper } from './audit-tamper.js';
import { startFakeMongoServer, type FakeMongoServer } from './fake-mongo-server.js';
import { anEvent, at } from './fixtures.js';

/**
 * The MongoDB audit log through the real driver, against an in-memory stand-in server
 * (fake-mongo-server.ts): there is no MongoDB server here. mongo-store.test.ts runs the same
 * contract against a real server when MONGODB_URI is set.
 */

let server: FakeMongoServer;
let dbCount = 0;

beforeAll(async () => {
  server = await startFakeMongoServer();
});

afterAll(async () => {
  await server.close();
});

/** A MongoAudit on its own client: one process of the bot. */
async function openAudit(dbName: string): Promise<{ audit: MongoAudit; store: AuditStore; client: MongoClient }> {
  const client = new MongoClient(server.uri(dbName), { ignoreUndefined: true, writeConcern: { w: 'majority' } });
  await client.connect();
  const audit = new MongoAudit(client.db(dbName), 5_000);
  await audit.prepare();
  const store: AuditStore = {
    appendAudit: (e) => audit.appendAudit(e),
    listAudit: (id) => audit.listAudit(id),
    listAuditChains: () => audit.listAuditChains(),
    readAuditChain: (chain) => audit.readAuditChain(chain),
    auditChainHead: (chain) => audit.auditChainHead(chain),
    close: () => client.close(),
  };
  return { audit, store, client };
}

auditChainContract('MongoDB audit log (two clients, stand-in server)', async () => {
  const dbName = `audit_${++dbCount}`;
  const [a, b] = await Promise.all([openAudit(dbName), openAudit(dbName)]);
  const raw = new MongoClient(server.uri(dbName));
  await raw.connect();
  return {
    a: a.store,
    b: b.store,
    tamper: mongoTamper(raw, dbName),
    close: async () => {
      await a.client.close();
      await b.client.close();
      await raw.close();
    },
  };
});

const ack = (i: number, advisoryId = 'ADV-2026-0001'): AuditEvent =>
  anEvent({ id: `d-${String(i).padStart(4, '0')}.acknowledged`, at: at(i % 50), action: 'delivery.acknowledged', deliveryId: `d-${i}`, advisoryId });

describe('MongoDB audit log (stand-in server)', () => {
  it('commits a burst of appends from one process in a few batches, not one insert each', async () => {
    const dbName = `audit_${++dbCount}`;
    const { store } = await openAudit(dbName);
    try {
      const before = server.commands.length;
      const events = Array.from({ length: 300 }, (_, i) => ack(i + 1));
      await Promise.all(events.map((e) => store.appendAudit(e)));
      const inserts = server.commands.slice(before).filter((c) => c.insert === 'audit' && c.$db === dbName);
      // The first append goes alone; everything that arrived meanwhile goes in the next batch.
      expect(inserts.length).toBeLessThanOrEqual(3);
      expect(inserts.reduce((n, c) => n + (c.documents as Document[]).length, 0)).toBe(300);
      // Ordered, so a refused place stops the rest of the batch.
      expect(inserts.every((c) => c.ordered === true)).toBe(true);
      const v = await verifyAudit(store);
      expect(v.chains).toMatchObject([{ chain: 'ADV-2026-0001', ok: true, links: 300 }]);
      // The head record was moved once per batch, forward only.
      const heads = server.commands.slice(before).filter((c) => c.update === 'audit_heads' && c.$db === dbName);
      expect(heads.length).toBe(inserts.length);
      expect(heads.at(-1)?.updates[0]).toMatchObject({ q: { _id: 'ADV-2026-0001', seq: { $lt: 300 } }, upsert: true });
    } finally {
      await store.close();
    }
  });

  it('needs no read of the chain’s end while a burst goes on, and reads it again after losing its place to another process', async () => {
    const dbName = `audit_${++dbCount}`;
    const [one, two] = await Promise.all([openAudit(dbName), openAudit(dbName)]);
    try {
      const reads = () => server.commands.filter((c) => c.find === 'audit' && c.$db === dbName && c.sort?.['link.seq'] === -1).length;
      const inserts = () => server.commands.filter((c) => c.insert === 'audit' && c.$db === dbName).length;
      const start = { reads: reads(), inserts: inserts() };
      await Promise.all([1, 2, 3, 4, 5].map((i) => one.store.appendAudit(ack(i))));
      // The first batch read where the chain ends; the next went on from what the first wrote.
      expect(inserts() - start.inserts).toBe(2);
      expect(reads() - start.reads).toBe(1);

      // One process stalls between reading the end and inserting (its insert is held); another
      // appends meanwhile and takes the place. The first one's insert is refused; it finds its
      // event not stored, reads the end again and links it after the other's.
      const stalled = server.hold((c) => c.insert === 'audit' && c.$db === dbName);
      const first = one.store.appendAudit(ack(6));
      await stalled.arrived;
      await two.store.appendAudit(ack(7));
      const before = { reads: reads(), inserts: inserts() };
      stalled.release();
      await first;
      // The held insert (refused) and the one after reading again.
      expect(reads() - before.reads).toBe(1);
      expect(inserts() - before.inserts).toBe(2);
      const refused = server.commands.filter((c) => c.insert === 'audit' && c.$db === dbName).at(-2);
      expect(refused?.documents[0]).toMatchObject({ _id: ack(6).id, link: { seq: 6 } });
      const chain = await one.store.readAuditChain('ADV-2026-0001');
      expect(chain.links.map((l) => [l.seq, l.event.id])).toEqual([1, 2, 3, 4, 5, 7, 6].map((i, n) => [n + 1, ack(i).id]));
      expect(chain.head).toMatchObject({ seq: 7, eventId: ack(6).id });
      expect((await verifyAudit(one.store)).ok).toBe(true);
    } finally {
      await one.store.close();
      await two.store.close();
    }
  });

  it('stores the same event once when it is appended twice in one batch', async () => {
    const dbName = `audit_${++dbCount}`;
    const { store } = await openAudit(dbName);
    try {
      await store.appendAudit(ack(1));
      await Promise.all([store.appendAudit(ack(2)), store.appendAudit(ack(3)), store.appendAudit(ack(2)), store.appendAudit(ack(3))]);
      expect((await store.readAuditChain('ADV-2026-0001')).links.map((l) => l.event.id)).toEqual([1, 2, 3].map((i) => ack(i).id));
    } finally {
      await store.close();
    }
  });

  it('overtakes a head record left behind by a process that died between the insert and the head', async () => {
    const dbName = `audit_${++dbCount}`;
    const { store, client } = await openAudit(dbName);
    try {
      await Promise.all([1, 2, 3].map((i) => store.appendAudit(ack(i))));
      // As if the head had been moved for the first event only.
      const chain = await store.readAuditChain('ADV-2026-0001');
      await client.db(dbName).collection<Document>('audit_heads').updateOne({ _id: 'ADV-2026-0001' as unknown as ObjectId }, { $set: { seq: 1, hash: chain.links[0]!.hash, eventId: ack(1).id } });
      expect((await verifyAudit(store)).chains[0]).toMatchObject({ ok: true, unanchored: 2 });
      await store.appendAudit(ack(4));
      expect((await verifyAudit(store)).chains[0]).toMatchObject({ ok: true, links: 4, unanchored: 0, head: { seq: 4, eventId: ack(4).id } });
    } finally {
      await store.close();
    }
  });

  it('chains the events of an earlier release at the first start, once, and leaves later unlinked ones for verification to report', async () => {
    const dbName = `audit_${++dbCount}`;
    // As the earlier release stored them: the event, _id = id, seq = an ObjectId; no link.
    const earlier = [
      anEvent({ id: 'issued', at: at(0) }),
      anEvent({ id: 'refused', at: at(0), action: 'advisory.refused', advisoryId: undefined }),
      anEvent({ id: 'posted-b', at: at(2), action: 'delivery.posted' }),
      anEvent({ id: 'posted-a', at: at(1), action: 'delivery.posted' }),
      anEvent({ id: 'other', at: at(1), advisoryId: 'ADV-2026-0002' }),
    ].map(normaliseEvent);
    const raw = new MongoClient(server.uri(dbName));
    await raw.connect();
    const audit = raw.db(dbName).collection<{ _id: string; seq: ObjectId }>('audit');
    await audit.insertMany(earlier.map((e) => ({ ...e, _id: e.id, seq: new ObjectId() })));

    // Two processes of the new release start at once.
    const [one, two] = await Promise.all([openAudit(dbName), openAudit(dbName)]);
    try {
      const chain = await one.store.readAuditChain('ADV-2026-0001');
      // In the order listAudit showed them: by time, then as written.
      expect(chain.links.map((l) => [l.seq, l.event.id])).toEqual([
        [1, 'issued'],
        [2, 'posted-a'],
        [3, 'posted-b'],
      ]);
      expect(chain.links.map((l) => l.event)).toStrictEqual([earlier[0], earlier[3], earlier[2]]);
      expect((await one.store.readAuditChain(NO_ADVISORY_CHAIN)).links.map((l) => l.event.id)).toEqual(['refused']);
      expect(await one.store.listAuditChains()).toEqual([NO_ADVISORY_CHAIN, 'ADV-2026-0001', 'ADV-2026-0002']);
      expect((await verifyAudit(two.store)).ok).toBe(true);
      expect(await raw.db(dbName).collection<Document>('audit_meta').findOne({})).toMatchObject({ _id: 'backfill', done: true });

      // A process of the earlier release, still running, writes the old way: it stays unchained,
      // and a later start does not chain it.
      const late = normaliseEvent(anEvent({ id: 'late', at: at(5) }));
      await audit.insertOne({ ...late, _id: late.id, seq: new ObjectId() });
      const three = await openAudit(dbName);
      try {
        expect((await three.store.readAuditChain('ADV-2026-0001')).unchained).toStrictEqual([late]);
        expect((await verifyAudit(three.store, { chains: ['ADV-2026-0001'] })).firstProblem).toMatchObject({ kind: 'unchained', eventId: 'late' });
      } finally {
        await three.store.close();
      }
      // listAudit gives events without their links or helper fields.
      expect((await one.store.listAudit('ADV-2026-0001')).map((e) => e.id)).toEqual(['issued', 'posted-a', 'posted-b', 'late']);
      expect((await one.store.listAudit('ADV-2026-0001'))[0]).toStrictEqual(earlier[0]);
    } finally {
      await one.store.close();
      await two.store.close();
      await raw.close();
    }
  });

  it('fails an append with the server’s error when an insert fails for another reason than a duplicate', async () => {
    const dbName = `audit_${++dbCount}`;
    const { store } = await openAudit(dbName);
    const stop = server.fail((c) => c.insert === 'audit' && c.$db === dbName, { ok: 0, code: 13, codeName: 'Unauthorized', errmsg: 'not authorized' });
    try {
      await expect(store.appendAudit(ack(1))).rejects.toMatchObject({ code: 13 });
      stop();
      // What it knew of the chain's end was dropped; the next append works.
      await store.appendAudit(ack(2));
      expect((await store.readAuditChain('ADV-2026-0001')).links.map((l) => [l.seq, l.event.id])).toEqual([[1, ack(2).id]]);
    } finally {
      stop();
      await store.close();
    }
  });

  it('fails an append whose head record cannot be moved, so a head that did not move is never taken for done', async () => {
    const dbName = `audit_${++dbCount}`;
    const { store } = await openAudit(dbName);
    const writeConcernError = { code: 64, codeName: 'WriteConcernFailed', errmsg: 'waiting for replication timed out', errInfo: { wtimeout: true } };
    const stop = server.fail((c) => c.update === 'audit_heads' && c.$db === dbName, { ok: 1, n: 1, nModified: 1, writeConcernError });
    try {
      await expect(store.appendAudit(ack(1))).rejects.toMatchObject({ code: 64 });
      stop();
      // The caller's retry finds its event stored and moves the head.
      await store.appendAudit(ack(1));
      expect((await store.readAuditChain('ADV-2026-0001')).head).toMatchObject({ seq: 1, eventId: ack(1).id });
      expect((await verifyAudit(store)).ok).toBe(true);
    } finally {
      stop();
      await store.close();
    }
  });

  it('gives up with STORE.CONFLICT when its place is refused round after round and its event is never stored', async () => {
    const dbName = `audit_${++dbCount}`;
    const { store } = await openAudit(dbName);
    const duplicate = { index: 0, code: 11000, errmsg: `E11000 duplicate key error collection: ${dbName}.audit index: link_chain_seq_unique` };
    const stop = server.fail((c) => c.insert === 'audit' && c.$db === dbName, { ok: 1, n: 0, writeErrors: [duplicate] });
    try {
      const before = server.commands.length;
      await expect(store.appendAudit(ack(1))).rejects.toMatchObject({ code: 'STORE.CONFLICT', detail: { chain: 'ADV-2026-0001', rounds: 50 } });
      expect(server.commands.slice(before).filter((c) => c.insert === 'audit').length).toBe(50);
    } finally {
      stop();
      await store.close();
    }
  });

  it('does not look for earlier events again once the first pass is done', async () => {
    const dbName = `audit_${++dbCount}`;
    const searches = () => server.commands.filter((c) => c.find === 'audit' && c.$db === dbName && c.filter?.seq?.$lte !== undefined).length;
    const first = await openAudit(dbName);
    await first.store.close();
    expect(searches()).toBe(1);
    const again = await openAudit(dbName);
    await again.store.close();
    expect(searches()).toBe(1);
  });

  it('creates the unique (chain, seq) index as a partial one, so events without a link do not collide', async () => {
    const dbName = `audit_${++dbCount}`;
    const { store } = await openAudit(dbName);
    await store.close();
    const created = server.commands.filter((c) => c.createIndexes === 'audit' && c.$db === dbName).flatMap((c) => c.indexes as Document[]);
    expect(created).toContainEqual({
      key: { 'link.chain': 1, 'link.seq': 1 },
      name: 'link_chain_seq_unique',
      unique: true,
      partialFilterExpression: { 'link.seq': { $exists: true } },
    });
    expect(created).toContainEqual({ key: { advisoryId: 1, at: 1, seq: 1 }, name: 'advisory_at' });
  });
});
