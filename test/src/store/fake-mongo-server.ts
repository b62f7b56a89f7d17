import net from 'node:net';
import { BSON, ObjectId } from 'mongodb';
import type { Document } from 'mongodb';

/**
 * A small in-memory MongoDB stand-in on loopback, for running the MongoDB audit log through the real
 * driver on a machine with no MongoDB server. It speaks the wire protocol (the OP_QUERY handshake,
 * OP_MSG commands) and implements only what the audit log uses, with MongoDB's semantics as
 * documented: insert (ordered: stops at the first error) with unique indexes (partial ones too) and
 * E11000 write errors, find (equality with null matching a missing field, $exists, $in, $lt, $lte,
 * $gt, $gte; sort; limit; projection), update (operators $set and $setOnInsert, whole-document
 * replacement, upsert from the equality fields of the filter), findAndModify, distinct, delete.
 * Every command runs whole before the next, as a single document write does on a real server.
 * It is not MongoDB: the real check is the same contract run with MONGODB_URI set.
 */
export interface FakeMongoServer {
  uri: (dbName: string) => string;
  close: () => Promise<void>;
  /** Every command received, for assertions on what the driver sent. */
  commands: Document[];
  /**
   * Holds the next command that matches: it is not run until released, so a test can let another
   * client's commands run first (a process that stalls between reading and writing).
   */
  hold: (match: (cmd: Document) => boolean) => { arrived: Promise<void>; release: () => void };
  /** Answers the commands that match with `reply` instead of running them, until the returned function is called. */
  fail: (match: (cmd: Document) => boolean, reply: Document) => () => void;
}

interface IndexSpec {
  name: string;
  keys: string[];
  unique: boolean;
  partial?: Document | undefined;
}

interface Collection {
  docs: Map<string, Document>;
  indexes: IndexSpec[];
}

const OP_REPLY = 1;
const OP_QUERY = 2004;
const OP_MSG = 2013;

/** A deep copy that keeps BSON types (structuredClone would turn an ObjectId into a plain object). */
const clone = <T>(value: T): T => BSON.deserialize(BSON.serialize({ v: value })).v as T;

const idKey = (id: unknown): string => (id instanceof ObjectId ? `oid:${id.toHexString()}` : `${typeof id}:${JSON.stringify(id)}`);

function get(doc: Document, path: string): unknown {
  let v: unknown = doc;
  for (const part of path.split('.')) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Document)[part];
  }
  return v;
}

function set(doc: Document, path: string, value: unknown): void {
  const parts = path.split('.');
  let o = doc;
  for (const part of parts.slice(0, -1)) {
    if (typeof o[part] !== 'object' || o[part] === null) o[part] = {};
    o = o[part] as Document;
  }
  o[parts.at(-1) as string] = value;
}

/** BSON's order of types, enough for what is compared here. */
function rank(v: unknown): number {
  if (v === undefined || v === null) return 1;
  if (typeof v === 'number') return 2;
  if (typeof v === 'string') return 3;
  if (v instanceof ObjectId) return 7;
  if (typeof v === 'boolean') return 8;
  return 4;
}

function compare(a: unknown, b: unknown): number {
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  if (a instanceof ObjectId && b instanceof ObjectId) return a.toHexString() < b.toHexString() ? -1 : a.toHexString() > b.toHexString() ? 1 : 0;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  return 0;
}

const equal = (a: unknown, b: unknown): boolean =>
  (a === undefined || a === null) && (b === undefined || b === null) ? true : rank(a) === rank(b) && rank(a) !== 4 ? compare(a, b) === 0 : JSON.stringify(a) === JSON.stringify(b);

const isOperatorObject = (v: unknown): v is Document =>
  typeof v === 'object' && v !== null && !(v instanceof ObjectId) && !Array.isArray(v) && Object.keys(v).length > 0 && Object.keys(v).every((k) => k.startsWith('$'));

function matches(doc: Document, filter: Document): boolean {
  for (const [path, cond] of Object.entries(filter)) {
    // Logical operators over whole sub-filters (the archive's search).
    if (path === '$and') {
      if (!(cond as Document[]).every((f) => matches(doc, f))) return false;
      continue;
    }
    if (path === '$or') {
      if (!(cond as Document[]).some((f) => matches(doc, f))) return false;
      continue;
    }
    const v = get(doc, path);
    if (!isOperatorObject(cond)) {
      // An array field matches a plain value when one of its elements equals it (multikey).
      if (!equal(v, cond) && !(Array.isArray(v) && !Array.isArray(cond) && v.some((x) => equal(x, cond)))) return false;
      continue;
    }
    for (const [op, arg] of Object.entries(cond)) {
      const ok =
        op === '$exists' ? (v !== undefined) === Boolean(arg)
        : op === '$eq' ? equal(v, arg)
        : op === '$in' ? (arg as unknown[]).some((a) => equal(v, a))
        : op === '$lt' ? v !== undefined && rank(v) === rank(arg) && compare(v, arg) < 0
        : op === '$lte' ? v !== undefined && rank(v) === rank(arg) && compare(v, arg) <= 0
        : op === '$gt' ? v !== undefined && rank(v) === rank(arg) && compare(v, arg) > 0
        : op === '$gte' ? v !== undefined && rank(v) === rank(arg) && compare(v, arg) >= 0
        // An array with an element (a sub-document) that matches the whole sub-filter (the thread log's lookups).
        : op === '$elemMatch' ? Array.isArray(v) && v.some((x) => x !== null && typeof x === 'object' && !Array.isArray(x) && matches(x as Document, arg as Document))
        : (() => {
            throw new Error(`fake MongoDB does not know ${op}`);
          })();
      if (!ok) return false;
    }
  }
  return true;
}

function project(doc: Document, projection: Document | undefined): Document {
  if (!projection || Object.keys(projection).length === 0) return clone(doc);
  const including = Object.entries(projection).some(([k, v]) => k !== '_id' && v);
  const out: Document = {};
  if (including) {
    if (projection._id !== 0) out._id = doc._id;
    for (const [k, v] of Object.entries(projection)) if (v && k !== '_id' && get(doc, k) !== undefined) set(out, k, clone(get(doc, k)));
    return out;
  }
  const copy = clone(doc);
  for (const [k, v] of Object.entries(projection)) if (!v) delete copy[k];
  return copy;
}

export async function startFakeMongoServer(): Promise<FakeMongoServer> {
  const dbs = new Map<string, Map<string, Collection>>();
  const commands: Document[] = [];
  const sockets = new Set<net.Socket>();
  let nextRequestId = 1;

  const coll = (db: string, name: string): Collection => {
    let d = dbs.get(db);
    if (!d) dbs.set(db, (d = new Map()));
    let c = d.get(name);
    if (!c) d.set(name, (c = { docs: new Map(), indexes: [] }));
    return c;
  };

  /** The index a document would break, or undefined. */
  const violation = (c: Collection, doc: Document, ignore?: string): string | undefined => {
    const key = idKey(doc._id);
    if (key !== ignore && c.docs.has(key)) return '_id_';
    for (const index of c.indexes) {
      if (!index.unique) continue;
      if (index.partial && !matches(doc, index.partial)) continue;
      const mine = index.keys.map((k) => get(doc, k));
      for (const [k, other] of c.docs) {
        if (k === ignore) continue;
        if (index.partial && !matches(other, index.partial)) continue;
        if (index.keys.every((path, i) => equal(get(other, path), mine[i]))) return index.name;
      }
    }
    return undefined;
  };

  const duplicate = (index: number, ns: string, name: string) => ({ index, code: 11000, errmsg: `E11000 duplicate key error collection: ${ns} index: ${name}` });

  const find = (c: Collection, filter: Document = {}, sort?: Document): Document[] => {
    const found = [...c.docs.values()].filter((d) => matches(d, filter));
    if (sort) {
      const keys = Object.entries(sort);
      found.sort((a, b) => {
        for (const [k, dir] of keys) {
          const r = compare(get(a, k), get(b, k));
          if (r !== 0) return r * (dir as number);
        }
        return 0;
      });
    }
    return found;
  };

  const applyUpdate = (doc: Document, u: Document, inserting: boolean): Document => {
    if (!Object.keys(u).some((k) => k.startsWith('$'))) return { _id: doc._id, ...clone(u) };
    const next = clone(doc);
    for (const [op, fields] of Object.entries(u)) {
      if (op === '$set' || (op === '$setOnInsert' && inserting)) for (const [k, v] of Object.entries(fields as Document)) set(next, k, v);
      else if (op !== '$setOnInsert') throw new Error(`fake MongoDB does not know ${op}`);
    }
    return next;
  };

  /** One update statement; returns what it did, or a duplicate-key index name. */
  const update = (c: Collection, q: Document, u: Document, upsert: boolean, multi: boolean) => {
    const targets = find(c, q);
    if (targets.length === 0) {
      if (!upsert) return { n: 0, nModified: 0 };
      const seed: Document = {};
      for (const [k, v] of Object.entries(q)) if (!isOperatorObject(v)) set(seed, k, v);
      const created = applyUpdate(seed, u, true);
      if (created._id === undefined) created._id = new ObjectId();
      const broken = violation(c, created);
      if (broken) return { error: broken };
      c.docs.set(idKey(created._id), created);
      return { n: 1, nModified: 0, upserted: created._id };
    }
    let n = 0;
    for (const t of multi ? targets : targets.slice(0, 1)) {
      const next = applyUpdate(t, u, false);
      const broken = violation(c, next, idKey(t._id));
      if (broken) return { error: broken, n };
      c.docs.set(idKey(t._id), next);
      n++;
    }
    return { n, nModified: n };
  };

  const answer = (cmd: Document): Document => {
    const name = Object.keys(cmd)[0] ?? '';
    const db = cmd.$db as string;
    const target = cmd[name] as string;
    const ns = `${db}.${target}`;
    switch (name.toLowerCase()) {
      case 'ismaster':
      case 'hello':
        return {
          ismaster: true,
          isWritablePrimary: true,
          helloOk: true,
          maxBsonObjectSize: 16 * 1024 * 1024,
          maxMessageSizeBytes: 48_000_000,
          maxWriteBatchSize: 100_000,
          minWireVersion: 0,
          maxWireVersion: 21,
          readOnly: false,
          localTime: new Date(),
          ok: 1,
        };
      case 'createindexes': {
        const c = coll(db, target);
        for (const spec of cmd.indexes as Document[]) {
          if (c.indexes.some((i) => i.name === spec.name)) continue;
          c.indexes.push({ name: spec.name, keys: Object.keys(spec.key), unique: spec.unique === true, partial: spec.partialFilterExpression });
        }
        return { ok: 1 };
      }
      case 'dropindexes': {
        // As the server: no such collection is error 26 (NamespaceNotFound), no such index 27 (IndexNotFound).
        if (!dbs.get(db)?.has(target)) return { ok: 0, code: 26, codeName: 'NamespaceNotFound', errmsg: `ns not found ${ns}` };
        const c = coll(db, target);
        const i = c.indexes.findIndex((x) => x.name === cmd.index);
        if (i < 0) return { ok: 0, code: 27, codeName: 'IndexNotFound', errmsg: `index not found with name [${String(cmd.index)}]` };
        c.indexes.splice(i, 1);
        return { ok: 1 };
      }
      case 'insert': {
        const c = coll(db, target);
        const writeErrors: Document[] = [];
        let n = 0;
        for (const [i, doc] of (cmd.documents as Document[]).entries()) {
          const broken = violation(c, doc);
          if (broken) {
            writeErrors.push(duplicate(i, ns, broken));
            if (cmd.ordered !== false) break;
            continue;
          }
          c.docs.set(idKey(doc._id), doc);
          n++;
        }
        return writeErrors.length > 0 ? { ok: 1, n, writeErrors } : { ok: 1, n };
      }
      case 'find': {
        const c = coll(db, target);
        let docs = find(c, cmd.filter, cmd.sort);
        if (typeof cmd.limit === 'number' && cmd.limit > 0) docs = docs.slice(0, cmd.limit);
        return { cursor: { id: BSON.Long.fromNumber(0), ns, firstBatch: docs.map((d) => project(d, cmd.projection)) }, ok: 1 };
      }
      case 'distinct': {
        const values: unknown[] = [];
        for (const d of find(coll(db, target), cmd.query ?? {})) {
          const v = get(d, cmd.key as string);
          if (v !== undefined && !values.some((x) => equal(x, v))) values.push(v);
        }
        return { values, ok: 1 };
      }
      case 'update': {
        const c = coll(db, target);
        let n = 0;
        let nModified = 0;
        const upserted: Document[] = [];
        const writeErrors: Document[] = [];
        for (const [i, s] of (cmd.updates as Document[]).entries()) {
          const r = update(c, s.q, s.u, s.upsert === true, s.multi === true);
          if ('error' in r) {
            writeErrors.push(duplicate(i, ns, r.error as string));
            break;
          }
          n += r.n;
          nModified += r.nModified;
          if (r.upserted !== undefined) upserted.push({ index: i, _id: r.upserted });
        }
        return { ok: 1, n, nModified, ...(upserted.length > 0 ? { upserted } : {}), ...(writeErrors.length > 0 ? { writeErrors } : {}) };
      }
      case 'findandmodify': {
        const c = coll(db, target);
        const before = find(c, cmd.query, cmd.sort)[0];
        const r = update(c, cmd.query, cmd.update, cmd.upsert === true, false);
        if ('error' in r) return { ok: 0, code: 11000, codeName: 'DuplicateKey', errmsg: duplicate(0, ns, r.error as string).errmsg };
        const afterId = before ? before._id : r.upserted;
        const after = afterId === undefined ? null : (c.docs.get(idKey(afterId)) ?? null);
        const value = cmd.new ? after : (before ?? null);
        return {
          lastErrorObject: { n: r.n, updatedExisting: Boolean(before), ...(r.upserted !== undefined ? { upserted: r.upserted } : {}) },
          value: value ? project(value, cmd.fields) : null,
          ok: 1,
        };
      }
      case 'delete': {
        const c = coll(db, target);
        let n = 0;
        for (const s of cmd.deletes as Document[]) {
          for (const d of find(c, s.q).slice(0, s.limit === 1 ? 1 : undefined)) {
            c.docs.delete(idKey(d._id));
            n++;
          }
        }
        return { ok: 1, n };
      }
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

  const failures: { match: (cmd: Document) => boolean; reply: Document }[] = [];
  const fail = (match: (cmd: Document) => boolean, reply: Document) => {
    const f = { match, reply };
    failures.push(f);
    return () => {
      failures.splice(failures.indexOf(f), 1);
    };
  };

  const reply = (cmd: Document): Document => {
    commands.push(cmd);
    const failing = failures.find((f) => f.match(cmd));
    if (failing) return failing.reply;
    try {
      return answer(cmd);
    } catch (err) {
      return { ok: 0, code: 2, codeName: 'BadValue', errmsg: err instanceof Error ? err.message : String(err) };
    }
  };

  interface Request {
    requestId: number;
    opCode: number;
    moreToCome: boolean;
    cmd: Document;
  }

  const parse = (msg: Buffer): Request | undefined => {
    const requestId = msg.readInt32LE(4);
    const opCode = msg.readInt32LE(12);
    if (opCode === OP_QUERY) {
      let p = 20;
      p = msg.indexOf(0, p) + 1;
      p += 8;
      return { requestId, opCode, moreToCome: false, cmd: BSON.deserialize(msg.subarray(p, p + msg.readInt32LE(p))) };
    }
    if (opCode !== OP_MSG) return undefined;
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
    return { requestId, opCode, moreToCome: (flags & 2) !== 0, cmd: { ...cmd, ...sequences } };
  };

  const respond = (req: Request): Buffer | undefined => {
    const doc = BSON.serialize(reply(req.cmd));
    if (req.moreToCome) return undefined;
    if (req.opCode === OP_QUERY) {
      const body = Buffer.alloc(20);
      body.writeInt32LE(1, 16);
      return Buffer.concat([header(16 + 20 + doc.length, req.requestId, OP_REPLY), body, doc]);
    }
    return Buffer.concat([header(16 + 5 + doc.length, req.requestId, OP_MSG), Buffer.alloc(5), doc]);
  };

  const holds: { match: (cmd: Document) => boolean; arrived: () => void; run?: () => void; released: boolean }[] = [];
  const hold = (match: (cmd: Document) => boolean) => {
    let arrived!: () => void;
    const arrival = new Promise<void>((resolve) => (arrived = resolve));
    const h: (typeof holds)[number] = { match, arrived, released: false };
    holds.push(h);
    return {
      arrived: arrival,
      release: () => {
        h.released = true;
        h.run?.();
      },
    };
  };

  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let buffer = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      while (buffer.length >= 4 && buffer.length >= buffer.readInt32LE(0)) {
        const length = buffer.readInt32LE(0);
        const req = parse(buffer.subarray(0, length));
        buffer = buffer.subarray(length);
        if (!req) continue;
        const run = () => {
          const out = respond(req);
          if (out && !socket.destroyed) socket.write(out);
        };
        const held = holds.findIndex((h) => h.match(req.cmd));
        if (held === -1) {
          run();
          continue;
        }
        const [h] = holds.splice(held, 1);
        h!.run = run;
        h!.arrived();
        if (h!.released) run();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    uri: (dbName) => `mongodb://127.0.0.1:${port}/${dbName}?directConnection=true`,
    commands,
    hold,
    fail,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
