import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore, SQLITE_FILE } from '../../../src/store/open-store.js';
import { SQLITE_MIGRATIONS, SQLITE_SCHEMA_VERSION, SqliteStore } from '../../../src/store/sqlite/sqlite-store.js';
import { aConversation, aDelivery, aMessage, anAck, anAdvisory, anEvent, aPhoneTask, at, bumped, bumpedTask } from './fixtures.js';
import { storeContract } from './store-contract.js';
import { auditChainContract } from './audit-chain-contract.js';
import { sqliteAuditFixture } from './audit-tamper.js';
import { advisoryLifecycleContract } from './advisory-lifecycle-contract.js';
import { archiveContract } from './archive-contract.js';

const dir = mkdtempSync(path.join(tmpdir(), 'ceptoar-sqlite-store-'));
let fileCount = 0;
/** A new file per store, so no test sees another's rows. */
const freshFile = () => path.join(dir, `store-${++fileCount}.sqlite`);

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

storeContract('SQLite (file)', async () => new SqliteStore(freshFile()));
storeContract('SQLite (:memory:)', async () => new SqliteStore(':memory:'));
auditChainContract('SQLite (two instances on one file)', async () => sqliteAuditFixture(freshFile()));
advisoryLifecycleContract('SQLite (file)', async () => new SqliteStore(freshFile()));
archiveContract('SQLite (file)', async () => new SqliteStore(freshFile()));

describe('SqliteStore', () => {
  it('keeps everything across close and reopen', async () => {
    const file = freshFile();
    const advisory = anAdvisory();
    const delivery = aDelivery();
    const posted = bumped(delivery, { state: 'posted', messages: [aMessage()] });
    const ack = anAck();
    const event = anEvent();
    const task = aPhoneTask();
    const oncallMsg = aMessage({ channelId: 'C0ONCALL', messageId: 'task' });
    const taskPosted = bumpedTask(task, { messages: [oncallMsg] });
    const token = delivery.escalationToken;

    const first = new SqliteStore(file);
    expect(await first.nextAdvisoryNumber(2026)).toBe(1);
    await first.createAdvisory(advisory);
    await first.ensureDeliveries([delivery]);
    expect(await first.saveDelivery(posted)).toBe(true);
    await first.addAcknowledgement(ack);
    await first.appendAudit(event);
    const reminder = { deliveryId: delivery.id, token, key: 'reminder' };
    const phone = { deliveryId: delivery.id, token, key: 'phone' };
    expect(await first.claimStep(reminder, { owner: 'w1', at: at(40), until: at(41) })).toEqual({ outcome: 'claimed' });
    await first.finishStep(reminder, { owner: 'w1', at: at(41), outcome: 'done' });
    expect(await first.claimStep(phone, { owner: 'w1', at: at(60), until: at(70) })).toEqual({ outcome: 'claimed' });
    await first.ensurePhoneTask(task);
    expect(await first.savePhoneTask(taskPosted)).toBe(true);
    await first.close();

    const second = new SqliteStore(file);
    try {
      expect(await second.nextAdvisoryNumber(2026)).toBe(2);
      expect(await second.getAdvisory(advisory.id)).toStrictEqual(advisory);
      expect(await second.createAdvisory({ ...advisory, id: 'ADV-2026-0002' })).toStrictEqual({ advisory, created: false });
      expect(await second.getDelivery(delivery.id)).toStrictEqual(posted);
      expect(await second.findDeliveryByMessage(aMessage())).toStrictEqual(posted);
      expect(await second.saveDelivery(bumped(delivery))).toBe(false);
      expect(await second.listAcknowledgements(ack.deliveryId)).toStrictEqual([ack]);
      expect(await second.addAcknowledgement(ack)).toBe(false);
      expect(await second.listAudit(advisory.id)).toStrictEqual([event]);
      expect(await second.claimStep(reminder, { owner: 'w2', at: at(42), until: at(43) })).toEqual({ outcome: 'done' });
      expect(await second.claimStep(phone, { owner: 'w2', at: at(61), until: at(62) })).toEqual({ outcome: 'busy', owner: 'w1', until: at(70) });
      expect(await second.claimStep(phone, { owner: 'w2', at: at(71), until: at(72) })).toEqual({ outcome: 'taken-over', previousOwner: 'w1', mayHavePosted: true });
      expect(await second.getPhoneTask(task.id)).toStrictEqual(taskPosted);
      expect(await second.ensurePhoneTask(task)).toStrictEqual(taskPosted);
      expect(await second.findPhoneTaskByMessage(oncallMsg)).toStrictEqual(taskPosted);
      expect(await second.savePhoneTask(bumpedTask(task))).toBe(false);
      expect(await second.listOpenPhoneTasks()).toStrictEqual([taskPosted]);
    } finally {
      await second.close();
    }
  });

  it('opens in WAL mode with a busy timeout and a versioned schema', async () => {
    const file = freshFile();
    await new SqliteStore(file).close();
    const db = new Database(file, { readonly: true });
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('user_version', { simple: true })).toBe(SQLITE_SCHEMA_VERSION);
    } finally {
      db.close();
    }
  });

  it('upgrades a file left before acknowledgement rounds: earlier acknowledgements are round 1, in their order, and the same person can acknowledge round 2', async () => {
    const file = freshFile();
    const old = new Database(file);
    // The schema before the rounds' migration (the eighth).
    const before = 7;
    for (const m of SQLITE_MIGRATIONS.slice(0, before)) old.exec(m);
    old.pragma(`user_version = ${before}`);
    const insert = old.prepare(`INSERT INTO acknowledgements (delivery_id, platform, user_id, json, at) VALUES (?, ?, ?, ?, ?)`);
    const first = anAck({ at: at(9) });
    const second = anAck({ at: at(2), actor: { platform: 'slack', userId: 'U0SECOND', name: '二人目' } });
    for (const a of [first, second]) insert.run(a.deliveryId, a.actor.platform, a.actor.userId, JSON.stringify(a), a.at);
    old.close();

    const store = new SqliteStore(file);
    try {
      expect(await store.listAcknowledgements(first.deliveryId)).toEqual([second, first]);
      expect(await store.addAcknowledgement(anAck({ at: at(20) }))).toBe(false);
      expect(await store.addAcknowledgement(anAck({ at: at(20), round: 2 }))).toBe(true);
      expect((await store.listAcknowledgements(first.deliveryId)).map((a) => a.round ?? 1)).toEqual([1, 1, 2]);
    } finally {
      await store.close();
    }
  });

  it('upgrades a file left before drills were numbered apart: each year of real advisories goes on where it was, drills start at 1', async () => {
    const file = freshFile();
    const old = new Database(file);
    // The schema before the per-series counter (the last migration).
    const before = SQLITE_SCHEMA_VERSION - 1;
    for (const m of SQLITE_MIGRATIONS.slice(0, before)) old.exec(m);
    old.pragma(`user_version = ${before}`);
    old.prepare(`INSERT INTO counters (year, n) VALUES (?, ?)`).run(2025, 41);
    old.prepare(`INSERT INTO counters (year, n) VALUES (?, ?)`).run(2026, 3);
    old.close();

    const store = new SqliteStore(file);
    try {
      expect(await store.nextAdvisoryNumber(2025)).toBe(42);
      expect(await store.nextAdvisoryNumber(2026, 'ADV')).toBe(4);
      expect(await store.nextAdvisoryNumber(2026, 'DRL')).toBe(1);
      expect(await store.nextAdvisoryNumber(2027)).toBe(1);
    } finally {
      await store.close();
    }
    const db = new Database(file, { readonly: true });
    try {
      expect(db.prepare(`SELECT name FROM sqlite_master WHERE name = 'counters'`).all()).toEqual([]);
    } finally {
      db.close();
    }
  });

  it('upgrades a file left before the acknowledgement index: its deliveries are counted from the index, by state and round', async () => {
    const file = freshFile();
    const old = new Database(file);
    for (const m of SQLITE_MIGRATIONS.slice(0, 8)) old.exec(m);
    old.pragma('user_version = 8');
    const insert = old.prepare(`INSERT INTO deliveries (id, advisory_id, member_id, platform, channel_id, version, json, owed) VALUES (?, ?, ?, ?, ?, ?, ?, 0)`);
    const rows = [
      bumped(aDelivery({ memberId: 'a' }), { state: 'acknowledged' }),
      bumped(aDelivery({ memberId: 'b' }), { state: 'posted' }),
      bumped(aDelivery({ memberId: 'c' }), { state: 'acknowledged', round: 2 }),
      bumped(aDelivery({ memberId: 'd' }), { state: 'cancelled' }),
    ];
    for (const d of rows) insert.run(d.id, d.advisoryId, d.memberId, d.channel.platform, d.channel.channelId, d.version, JSON.stringify(d));
    old.close();

    const store = new SqliteStore(file);
    try {
      expect(await store.countUnacknowledged('ADV-2026-0001', 1)).toBe(1);
      // In round 2, a member still in round 1 counts too.
      expect(await store.countUnacknowledged('ADV-2026-0001', 2)).toBe(3);
      expect(await store.countUnacknowledged('ADV-2026-0002', 1)).toBe(0);
    } finally {
      await store.close();
    }
  });

  it('upgrades a file left by the first schema, keeping its data', async () => {
    const file = freshFile();
    const old = new Database(file);
    old.exec(SQLITE_MIGRATIONS[0] as string);
    old.pragma('user_version = 1');
    old.prepare(`INSERT INTO counters (year, n) VALUES (2026, 7)`).run();
    old.close();

    const store = new SqliteStore(file);
    try {
      expect(await store.nextAdvisoryNumber(2026)).toBe(8);
      // Drills, numbered apart since a later schema, start their own count.
      expect(await store.nextAdvisoryNumber(2026, 'DRL')).toBe(1);
      expect(await store.nextAdvisoryNumber(2026, 'ADV')).toBe(9);
      const d = aDelivery();
      expect(await store.claimStep({ deliveryId: d.id, token: d.escalationToken, key: 'phone' }, { owner: 'w', at: at(60), until: at(61) })).toEqual({ outcome: 'claimed' });
      expect(await store.ensurePhoneTask(aPhoneTask())).toStrictEqual(aPhoneTask());
      await store.saveConversation(aConversation());
      expect(await store.latestConversationInTenant('teams', aConversation().tenantId)).toStrictEqual(aConversation());
    } finally {
      await store.close();
    }
    const db = new Database(file, { readonly: true });
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(SQLITE_SCHEMA_VERSION);
    } finally {
      db.close();
    }
  });

  it('upgrades a file left before the store kept owed work: unfinished deliveries are owed, old advisories count as announced, old claims have no lease', async () => {
    const file = freshFile();
    const old = new Database(file);
    for (const m of SQLITE_MIGRATIONS.slice(0, 3)) old.exec(m);
    old.pragma('user_version = 3');
    const advisory = anAdvisory();
    old.prepare(`INSERT INTO advisories (id, request_key, json) VALUES (?, ?, ?)`).run(advisory.id, advisory.requestKey, JSON.stringify(advisory));
    const row = (d: ReturnType<typeof aDelivery>) =>
      old.prepare(`INSERT INTO deliveries (id, advisory_id, member_id, platform, channel_id, version, json) VALUES (?, ?, ?, ?, ?, ?, ?)`)
        .run(d.id, d.advisoryId, d.memberId, d.channel.platform, d.channel.channelId, d.version, JSON.stringify(d));
    const queued = aDelivery({ memberId: 'm1', channel: { channelId: 'C1' } });
    const midLadder = { ...aDelivery({ memberId: 'm2', channel: { channelId: 'C2' } }), state: 'posted' as const, ladder: { kind: 'reminder' as const, index: 0, at: at(5) } };
    const ended = { ...aDelivery({ memberId: 'm3', channel: { channelId: 'C3' } }), state: 'posted' as const, ladder: { kind: 'alert' as const, index: 0, at: at(50) } };
    const acked = { ...aDelivery({ memberId: 'm4', channel: { channelId: 'C4' } }), state: 'acknowledged' as const };
    const failed = { ...aDelivery({ memberId: 'm5', channel: { channelId: 'C5' } }), state: 'failed' as const, failure: { code: 'x', at: at(1) } };
    for (const d of [queued, midLadder, ended, acked, failed]) row(d);
    old.prepare(`INSERT INTO escalation_steps (delivery_id, token, step_key, state, claimed_at) VALUES (?, ?, 'phone', 'running', ?)`).run(midLadder.id, midLadder.escalationToken, at(10));
    old.close();

    const store = new SqliteStore(file);
    try {
      const owed = (await store.listOwedDeliveries({ limit: 10 })).deliveries.map((d) => d.id);
      expect(owed).toEqual([queued.id, midLadder.id, failed.id].sort());
      expect(await store.listUnannouncedAdvisories()).toEqual([]);
      // A claim from before leases existed belongs to a run long gone: it is taken over at once.
      expect(await store.claimStep({ deliveryId: midLadder.id, token: midLadder.escalationToken, key: 'phone' }, { owner: 'new', at: at(11), until: at(12) })).toEqual({
        outcome: 'taken-over',
        previousOwner: '(unknown)',
        mayHavePosted: true,
      });
      // A new advisory starts unannounced.
      await store.createAdvisory(anAdvisory({ id: 'ADV-2026-0002', requestKey: 'req-new' }));
      expect((await store.listUnannouncedAdvisories()).map((a) => a.id)).toEqual(['ADV-2026-0002']);
    } finally {
      await store.close();
    }
  });

  it('refuses a file written by a newer schema instead of guessing', () => {
    const file = freshFile();
    const db = new Database(file);
    db.pragma(`user_version = ${SQLITE_SCHEMA_VERSION + 1}`);
    db.close();
    expect(() => new SqliteStore(file)).toThrow(/newer/);
  });

  it('shares one counter between two stores open on the same file (two processes)', async () => {
    const file = freshFile();
    const a = new SqliteStore(file);
    const b = new SqliteStore(file);
    try {
      const numbers = [];
      for (let i = 0; i < 5; i++) {
        numbers.push(await a.nextAdvisoryNumber(2026), await b.nextAdvisoryNumber(2026));
      }
      expect(numbers).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('syncs every commit to disk (synchronous FULL), not only at checkpoints: an attempt that began survives a power loss', async () => {
    const store = new SqliteStore(freshFile());
    try {
      // Per connection, so read on the store's own; SQLite's 2 is FULL (better-sqlite3 builds WAL's default as 1, NORMAL).
      const db = (store as unknown as { db: Database.Database }).db;
      expect(db.pragma('synchronous', { simple: true })).toBe(2);
    } finally {
      await store.close();
    }
  });

  it('opens a second store beside the first one\'s uncommitted writes at once, in the same process (no write lock at open)', async () => {
    const file = freshFile();
    const a = new SqliteStore(file);
    try {
      const appended = a.appendAudit(anEvent({ id: 'e-open-beside' }));
      // a's group holds the write lock until this turn ends: a blocking open would wait 5 s and fail "database is locked".
      const b = new SqliteStore(file);
      await appended;
      expect((await b.listAudit(anEvent().advisoryId as string)).map((e) => e.id)).toEqual(['e-open-beside']);
      await b.close();
    } finally {
      await a.close();
    }
  });

  it('lets one of two stores on the same file (two processes) claim a step', async () => {
    const file = freshFile();
    const a = new SqliteStore(file);
    const b = new SqliteStore(file);
    try {
      const d = aDelivery();
      const ref = { deliveryId: d.id, token: d.escalationToken, key: 'phone' };
      const results = [];
      for (let i = 0; i < 3; i++) {
        results.push((await a.claimStep(ref, { owner: 'a', at: at(i), until: at(5) })).outcome);
        results.push((await b.claimStep(ref, { owner: 'b', at: at(i), until: at(5) })).outcome);
      }
      // a holds it (its own retries are take-overs); b waits for the lease.
      expect(results).toEqual(['claimed', 'busy', 'taken-over', 'busy', 'taken-over', 'busy']);
      await b.finishStep(ref, { owner: 'b', at: at(9), outcome: 'done' });
      expect((await a.claimStep(ref, { owner: 'a', at: at(10), until: at(11) })).outcome).toBe('done');
      const task = aPhoneTask();
      await a.ensurePhoneTask(task);
      expect(await b.ensurePhoneTask({ ...task, contactIndex: 1 })).toStrictEqual(task);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('refuses to give one message to two phone tasks, and rolls the whole write back', async () => {
    const store = new SqliteStore(':memory:');
    try {
      const mine = aPhoneTask();
      const theirs = aPhoneTask({ memberId: 'ajha', channel: { channelId: 'C0AJHA' } });
      await store.ensurePhoneTask(mine);
      await store.ensurePhoneTask(theirs);
      const msg = aMessage({ channelId: 'C0ONCALL' });
      const minePosted = bumpedTask(mine, { messages: [msg] });
      expect(await store.savePhoneTask(minePosted)).toBe(true);
      await expect(store.savePhoneTask(bumpedTask(theirs, { messages: [msg] }))).rejects.toMatchObject({
        code: 'STORE.CONFLICT',
      });
      expect(await store.getPhoneTask(theirs.id)).toStrictEqual(theirs);
      expect(await store.findPhoneTaskByMessage(msg)).toStrictEqual(minePosted);
    } finally {
      await store.close();
    }
  });

  it('refuses to give one message to two deliveries, and rolls the whole write back', async () => {
    const store = new SqliteStore(':memory:');
    try {
      const mine = aDelivery();
      const theirs = aDelivery({ memberId: 'ajha', channel: { channelId: 'C0AJHA' } });
      await store.ensureDeliveries([mine, theirs]);
      const msg = aMessage();
      const minePosted = bumped(mine, { state: 'posted', messages: [msg] });
      expect(await store.saveDelivery(minePosted)).toBe(true);
      await expect(store.saveDelivery(bumped(theirs, { state: 'posted', messages: [msg] }))).rejects.toMatchObject({
        code: 'STORE.CONFLICT',
      });
      expect(await store.getDelivery(theirs.id)).toStrictEqual(theirs);
      expect(await store.findDeliveryByMessage(msg)).toStrictEqual(minePosted);
    } finally {
      await store.close();
    }
  });

  it('close() twice is harmless', async () => {
    const store = new SqliteStore(':memory:');
    await store.close();
    await store.close();
  });
});

describe('openStore without MONGODB_URI', () => {
  it('creates the data directory and opens the SQLite file in it', async () => {
    const dataDir = path.join(dir, 'nested', 'data');
    for (const mongodbUri of [undefined, '', '   ']) {
      const opened = await openStore({ mongodbUri, dataDir });
      try {
        expect(opened.kind).toBe('sqlite');
        expect(opened.where).toBe(path.join(dataDir, SQLITE_FILE));
        expect(opened.store).toBeInstanceOf(SqliteStore);
        expect(await opened.store.nextAdvisoryNumber(2026)).toBeGreaterThan(0);
      } finally {
        await opened.store.close();
      }
    }
  });
});
