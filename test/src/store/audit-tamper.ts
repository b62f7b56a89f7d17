import { rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import { MongoClient, ObjectId } from 'mongodb';
import type { Document } from 'mongodb';
import type { AuditEvent } from '../../../src/domain/audit.js';
import type { ChainPosition } from '../../../src/domain/audit-chain.js';
import { MongoStore } from '../../../src/store/mongo/mongo-store.js';
import { SqliteStore } from '../../../src/store/sqlite/sqlite-store.js';
import type { AuditFixture, AuditTamper } from './audit-chain-contract.js';

/** Raw SQL on the store's file, as someone with the file would write it. */
export function sqliteTamper(db: Database.Database): AuditTamper {
  return {
    async editEvent(id, edit) {
      const row = db.prepare<[string], { json: string }>(`SELECT json FROM audit WHERE id = ?`).get(id);
      if (!row) throw new Error(`no audit row ${id}`);
      db.prepare(`UPDATE audit SET json = ? WHERE id = ?`).run(JSON.stringify(edit(JSON.parse(row.json) as AuditEvent)), id);
    },
    async editLink(id, link) {
      for (const [column, value] of Object.entries(link)) {
        if (!['seq', 'prev', 'hash'].includes(column)) throw new Error(`not a link column: ${column}`);
        db.prepare(`UPDATE audit SET ${column} = ? WHERE id = ?`).run(value, id);
      }
    },
    async deleteEvent(id) {
      db.prepare(`DELETE FROM audit WHERE id = ?`).run(id);
    },
    async insertRaw(event: AuditEvent, link: ChainPosition | undefined) {
      db.prepare(`INSERT INTO audit (id, advisory_id, at, json, chain, seq, prev, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`).run(
        event.id,
        event.advisoryId ?? null,
        event.at,
        JSON.stringify(event),
        link?.chain ?? null,
        link?.seq ?? null,
        link?.prev ?? null,
        link?.hash ?? null,
      );
    },
    async setHead(chain, tip) {
      db.prepare(`DELETE FROM audit_heads WHERE chain = ?`).run(chain);
      if (tip) db.prepare(`INSERT INTO audit_heads (chain, seq, hash, event_id) VALUES (?, ?, ?, ?)`).run(chain, tip.seq, tip.hash, tip.eventId);
    },
  };
}

/** Two SqliteStores on one file (two processes) and a third, raw connection for the tampering. */
export function sqliteAuditFixture(file: string): AuditFixture {
  const a = new SqliteStore(file);
  const b = new SqliteStore(file);
  const raw = new Database(file);
  return {
    a,
    b,
    tamper: sqliteTamper(raw),
    close: async () => {
      await a.close();
      await b.close();
      raw.close();
      for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
    },
  };
}

/** Raw writes on the store's collections, as someone with database access would make them. */
export function mongoTamper(client: MongoClient, dbName: string): AuditTamper {
  const db = client.db(dbName);
  const audit = db.collection<Document>('audit');
  const heads = db.collection<Document>('audit_heads');
  return {
    async editEvent(id, edit) {
      const doc = await audit.findOne({ _id: id as unknown as ObjectId });
      if (!doc) throw new Error(`no audit document ${id}`);
      const { _id, seq, link, ...event } = doc;
      await audit.replaceOne({ _id }, { ...edit(event as AuditEvent), seq, link });
    },
    async editLink(id, link) {
      const set = Object.fromEntries(Object.entries(link).map(([k, v]) => [`link.${k}`, v]));
      await audit.updateOne({ _id: id as unknown as ObjectId }, { $set: set });
    },
    async deleteEvent(id) {
      await audit.deleteOne({ _id: id as unknown as ObjectId });
    },
    async insertRaw(event, link) {
      const doc: Document = { ...event, _id: event.id, seq: new ObjectId() };
      if (link) doc.link = link;
      await audit.insertOne(doc);
    },
    async setHead(chain, tip) {
      await heads.deleteOne({ _id: chain as unknown as ObjectId });
      if (tip) await heads.insertOne({ _id: chain as unknown as ObjectId, seq: tip.seq, hash: tip.hash, eventId: tip.eventId });
    },
  };
}

/** Two MongoStores on one database (two processes) and a raw client for the tampering. */
export async function mongoAuditFixture(uri: string, dbName: string): Promise<AuditFixture> {
  const a = await MongoStore.connect(uri, { dbName });
  const b = await MongoStore.connect(uri, { dbName });
  const client = new MongoClient(uri);
  await client.connect();
  return {
    a,
    b,
    tamper: mongoTamper(client, dbName),
    close: async () => {
      await a.close();
      await b.close();
      await client.close();
    },
  };
}
