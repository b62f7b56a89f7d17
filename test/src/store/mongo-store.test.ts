import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BSON, MongoClient, MongoServerSelectionError, ObjectId } from 'mongodb';
import type { Document } from 'mongodb';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  counterKey,
  MAX_TIME_MS,
  MONGO_APP_NAME,
  MongoStore,
  mongoClientOptions,
  SERVER_SELECTION_TIMEOUT_MS,
  standaloneWarning,
  WRITE_CONCERN_TIMEOUT_MS,
} from '../../../src/store/mongo/mongo-store.js';
import { describeMongoUri, mongoUriDatabase, openStore } from '../../../src/store/open-store.js';
import { aDelivery, aMessage, anAck, anEvent, at, bumped } from './fixtures.js';
import { storeConcurrencyContract } from './store-concurrency-contract.js';
import { storeContract } from './store-contract.js';
import { auditChainContract } from './audit-chain-contract.js';
import { mongoAuditFixture } from './audit-tamper.js';
import { advisoryLifecycleContract } from './advisory-lifecycle-contract.js';
import { archiveContract } from './archive-contract.js';

const uri = process.env.MONGODB_URI?.trim() || undefined;

if (!uri) {
  console.warn(
    'MongoDB store contracts SKIPPED: MONGODB_URI is not set (no MongoDB server on this machine); the same suites ran against SQLite.',
  );
}

/** One prefix per run; every test gets its own database under it, all dropped at the end. */
const runPrefix = `ceptoar_test_${process.pid}_${randomBytes(3).toString('hex')}`;
const databases: string[] = [];
const freshDatabase = () => {
  const dbName = `${runPrefix}_${databases.length + 1}`;
  databases.push(dbName);
  return dbName;
};

describe.skipIf(!uri)('MongoStore (MONGODB_URI)', () => {
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

  storeContract('MongoDB', async () => MongoStore.connect(uri as string, { dbName: freshDatabase() }));
  advisoryLifecycleContract('MongoDB', async () => MongoStore.connect(uri as string, { dbName: freshDatabase() }));
  archiveContract('MongoDB', async () => MongoStore.connect(uri as string, { dbName: freshDatabase() }));
  auditChainContract('MongoDB (two clients on one database)', async () => mongoAuditFixture(uri as string, freshDatabase()));

  // Two clients on one database: two processes of the bot.
  storeConcurrencyContract('MongoDB (two clients on one database)', async () => {
    const dbName = freshDatabase();
    const a = await MongoStore.connect(uri as string, { dbName });
    const b = await MongoStore.connect(uri as string, { dbName });
    return {
      a,
      b,
      reopen: () => MongoStore.connect(uri as string, { dbName }),
      close: async () => {
        await a.close();
        await b.close();
      },
    };
  });

  it('treats deliveries and advisories of an earlier release as SQLite’s migration does', async () => {
    const dbName = freshDatabase();
    const client = new MongoClient(uri as string);
    try {
      await client.connect();
      const db = client.db(dbName);
      // As an earlier release stored them: no owed, no unannounced.
      const base = { advisoryId: 'ADV-2025-0001', channel: { platform: 'slack', workspaceId: 'T0', channelId: 'C0', sharedOutside: false } };
      const legacy = [
        { _id: 'd-queued', id: 'd-queued', memberId: 'm1', state: 'queued' },
        { _id: 'd-posted', id: 'd-posted', memberId: 'm2', state: 'posted', ladder: { kind: 'phone', index: 0, at: 'x' } },
        { _id: 'd-alerted', id: 'd-alerted', memberId: 'm3', state: 'posted', ladder: { kind: 'alert', index: 0, at: 'x' } },
        { _id: 'd-failed', id: 'd-failed', memberId: 'm4', state: 'failed' },
        { _id: 'd-acked', id: 'd-acked', memberId: 'm5', state: 'acknowledged' },
      ].map((d) => ({ ...base, ...d, channel: { ...base.channel, channelId: d.memberId } }));
      await db.collection('deliveries').insertMany(legacy as Document[]);
      await db.collection<{ _id: string; id: string; requestKey: string }>('advisories').insertOne({ _id: 'ADV-2025-0001', id: 'ADV-2025-0001', requestKey: 'old' });
    } finally {
      await client.close();
    }
    const store = await MongoStore.connect(uri as string, { dbName });
    try {
      const owed = await store.listOwedDeliveries({ limit: 10 });
      expect(owed.deliveries.map((d) => d.id)).toEqual(['d-failed', 'd-posted', 'd-queued']);
      // The helper field never leaks into what comes back.
      for (const d of owed.deliveries) expect(d).not.toHaveProperty('owed');
      expect(await store.listUnannouncedAdvisories()).toEqual([]);
      expect(await store.markAnnounced('ADV-2025-0001', '2026-04-01T09:00:00.000Z', true)).toBe(false);
    } finally {
      await store.close();
    }
  });

  it('refuses a message that a delivery of an earlier release holds without a claim, and leaves it to that delivery', async () => {
    const dbName = freshDatabase();
    const msg = aMessage({ channelId: 'C0LEGACY', messageId: 'old-post' });
    const legacy = bumped(aDelivery(), { state: 'posted', messages: [msg] });
    const client = new MongoClient(uri as string);
    try {
      await client.connect();
      // As an earlier release stored it: no owed field, and no message_refs collection at all.
      await client.db(dbName).collection<Document & { _id: string }>('deliveries').insertOne({ ...legacy, _id: legacy.id });
    } finally {
      await client.close();
    }
    const store = await MongoStore.connect(uri as string, { dbName });
    try {
      const other = aDelivery({ memberId: 'ajha', channel: { channelId: 'C0AJHA' } });
      await store.ensureDeliveries([other]);
      await expect(store.saveDelivery(bumped(other, { state: 'posted', messages: [msg] }))).rejects.toMatchObject({ code: 'STORE.CONFLICT' });
      expect(await store.getDelivery(other.id)).toStrictEqual(other);
      expect(await store.findDeliveryByMessage(msg)).toStrictEqual(legacy);
      const again = bumped(legacy, { ladder: { kind: 'reminder', index: 0, at: at(30) } }, 30);
      expect(await store.saveDelivery(again)).toBe(true);
      expect(await store.findDeliveryByMessage(msg)).toStrictEqual(again);
    } finally {
      await store.close();
    }
  });
});

describe('MONGODB_URI parsing (no server needed)', () => {
  describe('describeMongoUri (what openStore logs)', () => {
    it.each([
      ['mongodb://bot:s3cret@db1.example:27017,db2.example:27017/ceptoar?replicaSet=rs0&authSource=admin', 'mongodb://db1.example:27017,db2.example:27017/ceptoar'],
      ['mongodb+srv://bot:s3cret@cluster0.example.net/ceptoar?retryWrites=true', 'mongodb+srv://cluster0.example.net/ceptoar'],
      ['mongodb://localhost:27017', 'mongodb://localhost:27017'],
      ['mongodb://localhost/', 'mongodb://localhost'],
      ['mongodb://u:p%40ss@h/?tlsCertificateKeyFilePassword=s3cret', 'mongodb://h'],
      ['mongodb://u:p@ss@h/db', 'mongodb://h/db'],
    ])('%s -> %s', (input, expected) => {
      expect(describeMongoUri(input)).toBe(expected);
    });

    it.each([
      'mongodb://bot:s3c/ret@h/db',
      'mongodb://bot:s3c?ret@h/db',
      'mongodb://bot:s3cret@h/db?authMechanismProperties=AWS_SESSION_TOKEN:s3cret',
      'postgres://bot:s3cret@h/db',
      'bot:s3cret@h',
    ])('never prints a secret from %s', (input) => {
      const out = describeMongoUri(input);
      expect(out).not.toMatch(/s3c|ret|bot/);
    });
  });

  describe('mongoUriDatabase', () => {
    it.each([
      ['mongodb://h/ceptoar', 'ceptoar'],
      ['mongodb://bot:s3cret@h1:27017,h2:27017/ceptoar?replicaSet=rs0', 'ceptoar'],
      ['mongodb+srv://bot:s3cret@cluster0.example.net/ceptoar?retryWrites=true&w=majority', 'ceptoar'],
      ['mongodb://h/cep%74oar', 'ceptoar'],
      ['mongodb://u:p@ss@h/db', 'db'],
      ['mongodb://bot:s3c/ret@h/db', 'db'],
      ['mongodb://h/db?authMechanismProperties=TOKEN:a@b', 'db'],
      ['mongodb://h/test', 'test'],
    ])('%s names %s', (input, expected) => {
      expect(mongoUriDatabase(input)).toBe(expected);
    });

    it.each([
      'mongodb://h',
      'mongodb://h:27017',
      'mongodb://h/',
      'mongodb://h/?replicaSet=rs0',
      'mongodb://h?replicaSet=rs0',
      'mongodb://bot:s3cret@h1,h2/?authSource=admin',
      'mongodb+srv://cluster0.example.net',
      'postgres://h/db',
    ])('%s names none', (input) => {
      expect(mongoUriDatabase(input)).toBeUndefined();
    });
  });
});

describe('standaloneWarning (from the server’s hello reply)', () => {
  const primaryOfSet = { isWritablePrimary: true, setName: 'rs0', hosts: ['h1:27017'], maxWireVersion: 21, ok: 1 };
  const mongos = { isWritablePrimary: true, msg: 'isdbgrid', maxWireVersion: 21, ok: 1 };
  const standalone = { isWritablePrimary: true, maxWireVersion: 21, ok: 1 };

  it('warns, in Japanese and English, about a standalone server', () => {
    const warning = standaloneWarning(standalone);
    expect(warning).toMatch(/単体サーバー/);
    expect(warning).toMatch(/レプリカセット/);
    expect(warning).toMatch(/standalone server, not a replica set/);
    expect(warning).toMatch(/retryable writes/);
    expect(standaloneWarning({ ...standalone, setName: '' })).toBe(warning);
  });

  it('says nothing for a replica set member or mongos', () => {
    expect(standaloneWarning(primaryOfSet)).toBeUndefined();
    expect(standaloneWarning({ ...primaryOfSet, isWritablePrimary: false, secondary: true })).toBeUndefined();
    expect(standaloneWarning(mongos)).toBeUndefined();
  });
});

describe('MongoClient settings (parsed by the driver, no server needed)', () => {
  it('writes w:majority with a timeout, reads the primary with read concern local, fails fast, names itself', () => {
    const client = new MongoClient('mongodb://h1,h2/ceptoar?replicaSet=rs0', mongoClientOptions());
    expect(client.options.writeConcern.w).toBe('majority');
    expect(client.options.writeConcern.wtimeoutMS).toBe(WRITE_CONCERN_TIMEOUT_MS);
    expect(client.options.readConcern.level).toBe('local');
    expect(client.options.readPreference.mode).toBe('primary');
    expect(client.options.serverSelectionTimeoutMS).toBe(SERVER_SELECTION_TIMEOUT_MS);
    expect(client.options.appName).toBe('ceptoar-bot');
    expect(client.bsonOptions.ignoreUndefined).toBe(true);
    expect(client.options.dbName).toBe('ceptoar');
  });

  it('keeps those settings when the URI asks for others: the compare-and-set loops depend on them', () => {
    const client = new MongoClient(
      'mongodb://h1,h2/ceptoar?replicaSet=rs0&readPreference=secondaryPreferred&readConcernLevel=majority&w=1&appName=other&serverSelectionTimeoutMS=30000',
      mongoClientOptions(),
    );
    expect(client.options.writeConcern.w).toBe('majority');
    expect(client.options.readPreference.mode).toBe('primary');
    expect(client.options.readConcern.level).toBe('local');
    expect(client.options.appName).toBe('ceptoar-bot');
    expect(client.options.serverSelectionTimeoutMS).toBe(SERVER_SELECTION_TIMEOUT_MS);
  });
});

/**
 * A stand-in for a MongoDB server that speaks just enough of the wire protocol (the OP_QUERY
 * handshake and OP_MSG commands) for the driver to connect, answers every command with an empty
 * success, and records what it was sent. It checks what no unit test of ours can: the commands
 * the driver really sends for our options, and the connect path itself. It says nothing about
 * query semantics: that is what the contract suites against a real server (MONGODB_URI) are for.
 */
interface FakeMongo {
  port: number;
  /** Every command received, in order (handshake and monitoring included). */
  commands: Document[];
  connections: () => number;
  close: () => Promise<void>;
}

const OP_REPLY = 1;
const OP_QUERY = 2004;
const OP_MSG = 2013;

async function startFakeMongo(
  helloReply: (port: number) => Document,
  /** Answers a command instead of the default empty success (return undefined to leave it). */
  override: (cmd: Document) => Document | undefined = () => undefined,
): Promise<FakeMongo> {
  const commands: Document[] = [];
  const sockets = new Set<net.Socket>();
  let connections = 0;
  let nextRequestId = 1;

  const answer = (cmd: Document, port: number): Document => {
    const name = (Object.keys(cmd)[0] ?? '').toLowerCase();
    const special = name === 'ismaster' || name === 'hello' ? undefined : override(cmd);
    if (special) return special;
    switch (name) {
      case 'ismaster':
      case 'hello':
        return { ...helloReply(port), localTime: new Date(), connectionId: connections };
      case 'find':
        return { cursor: { id: BSON.Long.fromNumber(0), ns: `${cmd.$db}.${cmd.find}`, firstBatch: [] }, ok: 1 };
      case 'findandmodify':
        return { lastErrorObject: { n: 0, updatedExisting: false }, value: null, ok: 1 };
      case 'insert':
        return { n: Array.isArray(cmd.documents) ? cmd.documents.length : 0, ok: 1 };
      case 'update':
        return { n: 0, nModified: 0, ok: 1 };
      case 'createindexes':
        return { numIndexesBefore: 1, numIndexesAfter: 2, createdCollectionAutomatically: false, ok: 1 };
      default:
        return { ok: 1 };
    }
  };

  const header = (length: number, responseTo: number, opCode: number) => {
    const h = Buffer.alloc(16);
    h.writeInt32LE(length, 0);
    h.writeInt32LE(nextRequestId++, 4);
    h.writeInt32LE(responseTo, 8);
    h.writeInt32LE(opCode, 12);
    return h;
  };

  const respond = (msg: Buffer, port: number): Buffer | undefined => {
    const requestId = msg.readInt32LE(4);
    const opCode = msg.readInt32LE(12);
    if (opCode === OP_QUERY) {
      // flags, full collection name (cstring), numberToSkip, numberToReturn, query.
      let p = 20;
      while (msg[p] !== 0) p++;
      p += 1 + 8;
      const query = BSON.deserialize(msg.subarray(p, p + msg.readInt32LE(p)));
      commands.push(query);
      const doc = BSON.serialize(answer(query, port));
      const body = Buffer.alloc(20);
      body.writeInt32LE(0, 0); // responseFlags
      body.writeBigInt64LE(0n, 4); // cursorID
      body.writeInt32LE(0, 12); // startingFrom
      body.writeInt32LE(1, 16); // numberReturned
      return Buffer.concat([header(16 + 20 + doc.length, requestId, OP_REPLY), body, doc]);
    }
    if (opCode === OP_MSG) {
      const flags = msg.readUInt32LE(16);
      const end = flags & 1 ? msg.length - 4 : msg.length;
      let p = 20;
      let cmd: Document = {};
      const sequences: Document = {};
      while (p < end) {
        const kind = msg[p];
        p += 1;
        const size = msg.readInt32LE(p);
        if (kind === 0) {
          cmd = BSON.deserialize(msg.subarray(p, p + size));
        } else {
          // A document sequence: size, identifier (cstring), documents.
          let q = p + 4;
          const nameEnd = msg.indexOf(0, q);
          const identifier = msg.toString('utf8', q, nameEnd);
          q = nameEnd + 1;
          const docs: Document[] = [];
          while (q < p + size) {
            const docSize = msg.readInt32LE(q);
            docs.push(BSON.deserialize(msg.subarray(q, q + docSize)));
            q += docSize;
          }
          sequences[identifier] = docs;
        }
        p += size;
      }
      const full = { ...cmd, ...sequences };
      commands.push(full);
      if (flags & 2) return undefined; // moreToCome: no reply expected
      const doc = BSON.serialize(answer(full, port));
      const flagsAndKind = Buffer.alloc(5);
      return Buffer.concat([header(16 + 5 + doc.length, requestId, OP_MSG), flagsAndKind, doc]);
    }
    return undefined;
  };

  const server = net.createServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let buffer = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      while (buffer.length >= 4 && buffer.length >= buffer.readInt32LE(0)) {
        const length = buffer.readInt32LE(0);
        const reply = respond(buffer.subarray(0, length), port);
        buffer = buffer.subarray(length);
        if (reply) socket.write(reply);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    commands,
    connections: () => connections,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const STANDALONE = (): Document => ({
  ismaster: true,
  isWritablePrimary: true,
  helloOk: true,
  maxBsonObjectSize: 16 * 1024 * 1024,
  maxMessageSizeBytes: 48_000_000,
  maxWriteBatchSize: 100_000,
  logicalSessionTimeoutMinutes: 30,
  minWireVersion: 0,
  maxWireVersion: 21,
  readOnly: false,
  ok: 1,
});

const REPLICA_SET_PRIMARY = (port: number): Document => ({
  ...STANDALONE(),
  setName: 'rs0',
  setVersion: 1,
  electionId: new ObjectId('7fffffff0000000000000001'),
  hosts: [`127.0.0.1:${port}`],
  primary: `127.0.0.1:${port}`,
  me: `127.0.0.1:${port}`,
  secondary: false,
});

describe('MongoStore against a wire-protocol stand-in (no real server)', () => {
  let fake: FakeMongo | undefined;
  let store: MongoStore | undefined;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'ceptoar-mongo-open-'));

  afterEach(async () => {
    await store?.close();
    store = undefined;
    await fake?.close();
    fake = undefined;
  });

  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  const named = (name: string) => (c: Document) => Object.keys(c)[0]?.toLowerCase() === name.toLowerCase();

  it('refuses a URI that names no database before connecting, in Japanese and English', async () => {
    fake = await startFakeMongo(STANDALONE);
    const noDb = `mongodb://127.0.0.1:${fake.port}/?directConnection=true`;
    const refusal = { code: 'CONFIG.INVALID', message: expect.stringMatching(/データベース名がありません.*names no database.*mongodb:\/\/host\/ceptoar/s) };
    await expect(MongoStore.connect(noDb)).rejects.toMatchObject(refusal);
    await expect(MongoStore.connect(`mongodb://127.0.0.1:${fake.port}`)).rejects.toMatchObject(refusal);
    await expect(openStore({ mongodbUri: noDb, dataDir })).rejects.toMatchObject(refusal);
    expect(fake.connections()).toBe(0);
    // A database given by the caller (tests) is enough.
    store = await MongoStore.connect(noDb, { dbName: 'given' });
    await store.ping();
    expect(fake.commands.filter(named('ping')).map((c) => c.$db)).toContain('given');
  });

  it('connects, warns about a standalone server, and sends the options it promises', async () => {
    fake = await startFakeMongo(STANDALONE);
    const opened = await openStore({ mongodbUri: `mongodb://127.0.0.1:${fake.port}/ceptoar_fake?directConnection=true`, dataDir });
    store = opened.store as MongoStore;
    expect(opened.kind).toBe('mongodb');
    expect(opened.where).toBe(`mongodb://127.0.0.1:${fake.port}/ceptoar_fake`);
    expect(opened.warnings).toEqual([standaloneWarning({})]);

    // The handshake names the application.
    const handshake = fake.commands.find((c) => c.ismaster === 1 || c.hello === 1);
    expect(handshake?.client?.application?.name).toBe(MONGO_APP_NAME);
    // The store asked the server what it is, on its own database.
    expect(fake.commands.some((c) => c.hello === 1 && c.$db === 'ceptoar_fake')).toBe(true);

    // Indexes, including the owed and unannounced ones.
    const indexNames = (coll: string) =>
      fake!.commands.filter((c) => named('createIndexes')(c) && c.createIndexes === coll).flatMap((c) => c.indexes.map((i: Document) => i.name));
    expect(indexNames('deliveries')).toEqual(expect.arrayContaining(['owed', 'messages', 'advisory_member_channel_unique']));
    const unannounced = fake.commands.find((c) => named('createIndexes')(c) && c.indexes[0]?.name === 'unannounced');
    expect(unannounced?.indexes[0]?.partialFilterExpression).toEqual({ unannounced: true });

    // The start-up repair of deliveries without `owed`: a pipeline update, written w:majority with a timeout.
    const repair = fake.commands.find((c) => named('update')(c) && c.update === 'deliveries');
    expect(repair?.updates[0]?.q).toEqual({ owed: { $exists: false } });
    expect(repair?.updates[0]?.multi).toBe(true);
    expect(Array.isArray(repair?.updates[0]?.u)).toBe(true);
    expect(repair?.writeConcern).toMatchObject({ w: 'majority', wtimeout: WRITE_CONCERN_TIMEOUT_MS });

    // A read: read concern local, on the primary (no $readPreference is sent for primary), with
    // the time limit, and the helper field projected away.
    expect(await store.getDelivery('d1')).toBeNull();
    const find = fake.commands.filter(named('find')).at(-1);
    expect(find).toMatchObject({ find: 'deliveries', filter: { _id: 'd1' }, projection: { _id: 0, owed: 0 }, maxTimeMS: MAX_TIME_MS });
    expect(find?.readConcern).toEqual({ level: 'local' });
    expect(find?.$readPreference).toBeUndefined();

    // A find-and-modify write: the time limit and the write concern.
    const ref = { deliveryId: 'd1', token: 'k1', key: 'reminder' };
    expect(await store.claimStep(ref, { owner: 'w1', at: 'a', until: 'b' })).toEqual({ outcome: 'claimed' });
    const fam = fake.commands.filter(named('findAndModify')).at(-1);
    expect(fam).toMatchObject({ findAndModify: 'escalation_steps', query: ref, upsert: true, new: false, maxTimeMS: MAX_TIME_MS });
    expect(fam?.writeConcern).toMatchObject({ w: 'majority', wtimeout: WRITE_CONCERN_TIMEOUT_MS });

    // finishStep's values go in as literals, never as field paths.
    await store.finishStep(ref, { owner: '$owner', at: '$finishedAt', outcome: 'done' });
    const finish = fake.commands.filter(named('update')).at(-1);
    expect(finish?.updates[0]?.u[0]?.$set?.owner?.$cond?.[2]).toEqual({ $literal: '$owner' });
    expect(finish?.updates[0]?.upsert).toBe(true);

    await store.ping();
    expect(fake.commands.filter(named('ping')).length).toBeGreaterThan(0);
  });

  it('does not warn about a replica set member', async () => {
    fake = await startFakeMongo(REPLICA_SET_PRIMARY);
    store = await MongoStore.connect(`mongodb://127.0.0.1:${fake.port}/ceptoar_fake?directConnection=true`);
    expect(store.warnings).toEqual([]);
  });

  it('rejects every call once closed (the driver does not reconnect a closed client), and sends nothing', async () => {
    fake = await startFakeMongo(REPLICA_SET_PRIMARY);
    const closed = await MongoStore.connect(`mongodb://127.0.0.1:${fake.port}/ceptoar_fake?directConnection=true`);
    await closed.close();
    const sent = fake.commands.length;
    const ref = { deliveryId: 'd1', token: 'k1', key: 'reminder' };
    await expect(closed.ensureDeliveries([aDelivery()])).rejects.toThrow(/must be connected/);
    await expect(closed.appendAudit(anEvent())).rejects.toThrow(/must be connected/);
    await expect(closed.addAcknowledgement(anAck())).rejects.toThrow(/must be connected/);
    await expect(closed.claimStep(ref, { owner: 'w1', at: 'a', until: 'b' })).rejects.toThrow(/must be connected/);
    await expect(closed.ping()).rejects.toThrow(/must be connected/);
    expect(fake.commands.filter((c) => c.endSessions === undefined).length).toBe(sent);
  });

  it('counts each series on its own key: real advisories on the year as before, drills on "DRL-<year>", read from the reply the driver hands back', async () => {
    fake = await startFakeMongo(REPLICA_SET_PRIMARY, (cmd) =>
      cmd.findAndModify === 'counters' ? { ok: 1, value: { _id: cmd.query._id, n: cmd.query._id === 'DRL-2026' ? 3 : 42 }, lastErrorObject: { n: 1, updatedExisting: true } } : undefined,
    );
    store = await MongoStore.connect(`mongodb://127.0.0.1:${fake.port}/ceptoar_fake?directConnection=true`);
    expect(await store.nextAdvisoryNumber(2026, 'DRL')).toBe(3);
    expect(await store.nextAdvisoryNumber(2026)).toBe(42);
    expect(await store.nextAdvisoryNumber(2026, 'ADV')).toBe(42);
    const asked = fake.commands.filter(named('findAndModify')).map((c) => ({ query: c.query, update: c.update, upsert: c.upsert, new: c.new }));
    expect(asked).toEqual([
      { query: { _id: 'DRL-2026' }, update: { $inc: { n: 1 } }, upsert: true, new: true },
      { query: { _id: 2026 }, update: { $inc: { n: 1 } }, upsert: true, new: true },
      { query: { _id: 2026 }, update: { $inc: { n: 1 } }, upsert: true, new: true },
    ]);
    expect(counterKey('ADV', 2027)).toBe(2027);
    expect(counterKey('DRL', 2027)).toBe('DRL-2027');
  });

  describe('tells a duplicate key from every other write error (real driver errors, from scripted replies)', () => {
    const duplicate = { index: 0, code: 11000, errmsg: 'E11000 duplicate key error collection: x index: y dup key: { _id: "z" }' };
    const writeConcernError = { code: 64, codeName: 'WriteConcernFailed', errmsg: 'waiting for replication timed out', errInfo: { wtimeout: true } };
    const connect = async (insertReply: Document) => {
      fake = await startFakeMongo(REPLICA_SET_PRIMARY, (cmd) => (cmd.insert !== undefined || cmd.findAndModify !== undefined ? insertReply : undefined));
      store = await MongoStore.connect(`mongodb://127.0.0.1:${fake.port}/ceptoar_fake?directConnection=true`);
      return store;
    };

    it('a plain duplicate is a repeat: ignored, or false', async () => {
      const s = await connect({ ok: 1, n: 0, writeErrors: [duplicate] });
      expect(await s.addAcknowledgement(anAck())).toBe(false);
      // The audit log tells a repeat (its event is stored) from a place another process took by
      // reading; this stand-in refuses every insert and stores nothing, so it is neither, and the
      // append gives up after its rounds. The real cases: mongo-audit.test.ts.
      await expect(s.appendAudit(anEvent())).rejects.toMatchObject({ code: 'STORE.CONFLICT' });
      await expect(s.ensureDeliveries([aDelivery()])).resolves.toBeUndefined();
    });

    it('a write concern failure is an error, also together with a duplicate', async () => {
      for (const reply of [
        { ok: 1, n: 1, writeConcernError },
        { ok: 1, n: 0, writeErrors: [duplicate], writeConcernError },
      ]) {
        const s = await connect(reply);
        await expect(s.addAcknowledgement(anAck())).rejects.toMatchObject({ code: 64 });
        await expect(s.appendAudit(anEvent())).rejects.toMatchObject({ code: 64 });
        await expect(s.ensureDeliveries([aDelivery()])).rejects.toMatchObject({ code: 64 });
        await store?.close();
        store = undefined;
        await fake?.close();
        fake = undefined;
      }
    });

    it('a find-and-modify write concern failure is an error', async () => {
      const s = await connect({ ok: 1, value: null, lastErrorObject: { n: 1, updatedExisting: false }, writeConcernError });
      await expect(s.claimStep({ deliveryId: 'd', token: 't', key: 'k' }, { owner: 'w', at: 'a', until: 'b' })).rejects.toMatchObject({ code: 64 });
      await expect(s.nextAdvisoryNumber(2026)).rejects.toMatchObject({ code: 64 });
    });

    it('any other server error is an error', async () => {
      const s = await connect({ ok: 0, code: 13, codeName: 'Unauthorized', errmsg: 'not authorized' });
      await expect(s.addAcknowledgement(anAck())).rejects.toMatchObject({ code: 13 });
      await expect(s.appendAudit(anEvent())).rejects.toMatchObject({ code: 13 });
      await expect(s.ensureDeliveries([aDelivery()])).rejects.toMatchObject({ code: 13 });
      await expect(s.claimStep({ deliveryId: 'd', token: 't', key: 'k' }, { owner: 'w', at: 'a', until: 'b' })).rejects.toMatchObject({ code: 13 });
    });
  });

  it('ping rejects once the server has gone', async () => {
    fake = await startFakeMongo(REPLICA_SET_PRIMARY);
    store = await MongoStore.connect(`mongodb://127.0.0.1:${fake.port}/ceptoar_fake?directConnection=true`);
    await store.ping();
    await fake.close();
    fake = undefined;
    await expect(store.ping()).rejects.toBeDefined();
  }, 20_000);

  it(`gives up on an unreachable server after about ${SERVER_SELECTION_TIMEOUT_MS} ms`, async () => {
    // A port nobody listens on.
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const started = Date.now();
    await expect(MongoStore.connect(`mongodb://127.0.0.1:${port}/ceptoar_fake?directConnection=true`)).rejects.toBeInstanceOf(
      MongoServerSelectionError,
    );
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(SERVER_SELECTION_TIMEOUT_MS - 500);
    expect(took).toBeLessThan(SERVER_SELECTION_TIMEOUT_MS + 5_000);
  }, 20_000);
});
