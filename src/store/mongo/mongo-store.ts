import { MongoClient, MongoServerError } from 'mongodb';
import type { Collection, Db, Document, Filter, FindOptions, MongoClientOptions, ObjectId, UpdateFilter } from 'mongodb';
import type { Advisory, AdvisorySeries } from '../../domain/advisory.js';
import { advisoryOwesWork } from '../../domain/advisory-lifecycle.js';
import type { Acknowledgement, AuditEvent } from '../../domain/audit.js';
import type { ChainTip, StoredChain } from '../../domain/audit-chain.js';
import type { ConversationRecord } from '../../domain/conversation.js';
import { owesWork, type Delivery } from '../../domain/delivery.js';
import type { PhoneTask } from '../../domain/phone-task.js';
import type { MessageRef } from '../../domain/platform.js';
import { BotError } from '../../errors.js';
import type { OwedPage, StepClaim, StepLease, StepRef, Store } from '../../ports/store.js';
import { MessageRefRegistry, type MessageRefDoc, type RefHolderDoc } from './message-refs.js';
import { MongoAudit } from './mongo-audit.js';
import { MongoThreads } from './mongo-threads.js';
import type { ThreadMessage } from '../../domain/thread-message.js';
import { MongoArchive } from './mongo-archive.js';
import type { TranscriptPage, TranscriptQuery } from '../../ports/archive.js';
import type { Transcript } from '../../domain/transcript.js';
import { isDuplicateKey } from './mongo-errors.js';
import { mongoUriDatabase } from './mongo-uri.js';

/** Shows in the server's logs and currentOp, so an operator can tell the bot's connections apart. */
export const MONGO_APP_NAME = 'ceptoar-bot';
/**
 * How long an operation waits for a usable primary before it fails (the driver's default is 30 s).
 * Interactions answer a person, and jobs are retried by the queue: failing within seconds and
 * saying so beats hanging. It is also what makes ping() (the readiness check) fail quickly.
 */
export const SERVER_SELECTION_TIMEOUT_MS = 5_000;
/**
 * How long a w:'majority' write waits for the majority. Without it a write waits for ever while a
 * majority is down; with it the write fails (MongoWriteConcernError) and may or may not have been
 * applied, which every write here tolerates: they are idempotent or compare-and-set, so the
 * caller's retry finds what happened.
 */
export const WRITE_CONCERN_TIMEOUT_MS = 10_000;
/**
 * Server-side limit for reads and find-and-modify writes: every query here is a lookup on an index
 * and takes milliseconds, so one that runs this long is stuck (a lost index, lock trouble) and is
 * better ended than left to pile up behind the callers' own timeouts.
 */
export const MAX_TIME_MS = 5_000;

/**
 * The client's settings.
 * - Writes: w:'majority' (with a timeout, above): a write the primary loses in a failover would be
 *   an acknowledgement or an advisory number handed out twice.
 * - Reads: from the primary, read concern 'local'. The core's compare-and-set loops (cas.ts) read a
 *   record, decide, and write it back conditionally on its version; a read must therefore see the
 *   latest write, our own included. A 'majority' read serves the majority-committed snapshot, which
 *   can lag the primary's latest write by a moment, so right after our own write (or another
 *   process's) it can hand back the old version: every retry then loses again and the loop ends in
 *   STORE.CONFLICT. A 'local' read of the primary sees every write the primary has applied. What it
 *   gives up, seeing a write that a failover then rolls back, cannot mislead the loop: the
 *   conditional write made from such a version matches nothing and is retried. Secondaries are
 *   never read: they lag too.
 * - ignoreUndefined: optional fields are `undefined` in domain objects; stored as null they would
 *   come back as null and break the types.
 * These win over the same settings in MONGODB_URI (the driver takes an option given here before the
 * URI's), since the store depends on them; the URI can still tune wtimeoutMS and journal.
 */
export function mongoClientOptions(): MongoClientOptions {
  return {
    appName: MONGO_APP_NAME,
    serverSelectionTimeoutMS: SERVER_SELECTION_TIMEOUT_MS,
    writeConcern: { w: 'majority', wtimeoutMS: WRITE_CONCERN_TIMEOUT_MS },
    readConcern: { level: 'local' },
    // Also under the URI option's own name: the driver applies a readConcernLevel from the URI
    // after the readConcern object, so without this the URI could put 'majority' back.
    readConcernLevel: 'local',
    readPreference: 'primary',
    ignoreUndefined: true,
  };
}

/** `client.db()` would quietly use a database called "test": refuse instead. */
export function noDatabaseError(): BotError {
  return new BotError(
    'CONFIG.INVALID',
    'MONGODB_URI にデータベース名がありません。パスに付けてください (例: mongodb://host/ceptoar)。 / ' +
      'MONGODB_URI names no database: add it to the path, e.g. mongodb://host/ceptoar',
    { setting: 'MONGODB_URI' },
  );
}

/**
 * The start-up warning for a server that is not part of a replica set, decided from its `hello`
 * reply: a replica set member names its set (setName), and mongos says msg 'isdbgrid' (a sharded
 * cluster's shards are replica sets). Anything else is a standalone server.
 */
export function standaloneWarning(hello: Document): string | undefined {
  if (typeof hello.setName === 'string' && hello.setName !== '') return undefined;
  if (hello.msg === 'isdbgrid') return undefined;
  return (
    'MongoDB が単体サーバー (standalone) で、レプリカセットではありません: 再試行可能な書き込み (retryable writes) も' +
    '過半数 (majority) への複製もないため、通信が一瞬切れただけで書き込みが失敗し、サーバーが止まれば引き継ぐものがなく、' +
    'ディスクを失えばデータ (確認応答、採番) も失われます。本番ではレプリカセット (1 台構成でも可、できれば 3 台) を使ってください。 / ' +
    'MongoDB is a standalone server, not a replica set: with no retryable writes and no majority replication, ' +
    'a brief network blip fails a write, nothing takes over when the server stops, and losing its disk loses the ' +
    'data (acknowledgements, advisory numbers). Use a replica set in production (even a single-member one; ' +
    'three members for failover).'
  );
}

const COMMAND_NOT_FOUND = 59;

/** `hello`, or its legacy name on the few 4.4 releases (before 4.4.2) that lack it. */
async function helloReply(db: Db): Promise<Document> {
  try {
    return await db.command({ hello: 1 });
  } catch (err) {
    if (err instanceof MongoServerError && err.code === COMMAND_NOT_FOUND) return db.command({ isMaster: 1 });
    throw err;
  }
}

/**
 * `unannounced` is set only by createAdvisory and removed by markAnnounced, so advisories stored
 * before the "issued" notice was recorded (which lack it) count as announced, as in SQLite.
 */
type AdvisoryDoc = Advisory & { _id: string; unannounced?: true; owing?: boolean };
/**
 * One counter per series and year. The real advisories' counters keep the key they always had (the year, a number),
 * so numbering goes on where earlier releases left it; any other series is keyed "<series>-<year>" (DRL-2026).
 */
type CounterDoc = { _id: number | string; n: number };

export function counterKey(series: AdvisorySeries, year: number): number | string {
  return series === 'ADV' ? year : `${series}-${year}`;
}
/** `owed` = owesWork(), kept on every write so listOwedDeliveries reads an index. */
type DeliveryDoc = Delivery & { _id: string; owed: boolean };
type AckDoc = Acknowledgement & { _id?: ObjectId };
/**
 * One escalation step of one delivery's ladder; unique on (deliveryId, token, key). Rows written
 * before leases existed have no owner or leaseUntil: their claimer is long gone.
 */
interface StepDoc {
  _id?: ObjectId;
  deliveryId: string;
  token: string;
  key: string;
  state: 'running' | 'done';
  claimedAt?: string;
  owner?: string;
  leaseUntil?: string;
  /** The last run was released knowing it posted nothing (see Store.releaseStep). */
  postedNothing?: boolean;
  finishedAt?: string;
  outcome?: 'done' | 'gave_up';
}
type PhoneTaskDoc = PhoneTask & { _id: string };
/** Store.beginPost's record: a post no other record tracks, and whether its last attempt is known to have posted nothing. */
interface PostAttemptDoc {
  _id: string;
  firstAt: string;
  postedNothing: boolean;
}
/** Unique on (platform, conversationId); the _id is the server's own. */
type ConversationDoc = ConversationRecord & { _id?: ObjectId };

/** Projections that give back exactly the domain object that was stored, and no helper field. */
const PLAIN = { _id: 0 } as const;
const ADVISORY_FIELDS = { _id: 0, unannounced: 0, owing: 0 } as const;
/** Optional advisory fields a transition may remove: saveAdvisory unsets them when `next` lacks them. */
const ADVISORY_OPTIONAL = ['uid', 'announced', 'version', 'syncRev', 'copyRev', 'syncing', 'corrections', 'followups', 'closure', 'closesAt', 'archived', 'archiveFailures', 'round', 'earlierClosures', 'alertWaves', 'phoneBoard'] as const;
/** advisoryOwesWork() for documents written before `owing` was kept: those have only `state`. */
const LEGACY_OWING = { $eq: [{ $ifNull: ['$state', 'open'] }, 'open'] };
const UNACKNOWLEDGED: Delivery['state'][] = ['queued', 'posted', 'failed'];
const DELIVERY_FIELDS = { _id: 0, owed: 0 } as const;

/** Drop an index an earlier release made. Its absence is the state wanted: 27 IndexNotFound, 26 NamespaceNotFound (a new database). */
async function dropIndexIfPresent(collection: Collection<AckDoc>, name: string): Promise<void> {
  try {
    await collection.dropIndex(name, { maxTimeMS: MAX_TIME_MS });
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (code !== 27 && code !== 26) throw err;
  }
}

/** Options for a read (find / findOne): the projection and the server-side time limit. */
const read = <P extends Document>(projection: P, more: Omit<FindOptions, 'projection' | 'maxTimeMS'> = {}): FindOptions => ({
  ...more,
  projection,
  maxTimeMS: MAX_TIME_MS,
});

/**
 * What migration 4 of the SQLite store does for rows of earlier releases: owed unless plainly
 * finished; the reconciler works out the rest.
 */
const LEGACY_OWED = {
  $or: [
    { $eq: ['$state', 'queued'] },
    {
      $and: [{ $in: ['$state', ['posted', 'failed']] }, { $ne: [{ $ifNull: ['$ladder.kind', ''] }, 'alert'] }],
    },
  ],
};

/** Bounded: each lost round means another claimer got the step, and the next round sees its lease. */
const STEP_CLAIM_TRIES = 5;
const UNKNOWN_OWNER = '(unknown)';

export class MongoStore implements Store {
  private readonly advisories: Collection<AdvisoryDoc>;
  private readonly counters: Collection<CounterDoc>;
  private readonly deliveries: Collection<DeliveryDoc>;
  private readonly acknowledgements: Collection<AckDoc>;
  private readonly audit: MongoAudit;
  private readonly threads: MongoThreads;
  private readonly archive: MongoArchive;
  private readonly steps: Collection<StepDoc>;
  private readonly postAttempts: Collection<PostAttemptDoc>;
  private readonly phoneTasks: Collection<PhoneTaskDoc>;
  private readonly conversations: Collection<ConversationDoc>;
  private readonly deliveryRefs: MessageRefRegistry;
  private readonly taskRefs: MessageRefRegistry;

  private constructor(
    private readonly client: MongoClient,
    private readonly db: Db,
    /** Said once at start-up (bilingual), for the caller to log: e.g. a standalone server. */
    readonly warnings: readonly string[],
  ) {
    this.advisories = db.collection<AdvisoryDoc>('advisories');
    this.counters = db.collection<CounterDoc>('counters');
    this.deliveries = db.collection<DeliveryDoc>('deliveries');
    this.acknowledgements = db.collection<AckDoc>('acknowledgements');
    this.audit = new MongoAudit(db, MAX_TIME_MS);
    this.threads = new MongoThreads(db, MAX_TIME_MS);
    this.archive = new MongoArchive(db, MAX_TIME_MS);
    this.steps = db.collection<StepDoc>('escalation_steps');
    this.postAttempts = db.collection<PostAttemptDoc>('post_attempts');
    this.phoneTasks = db.collection<PhoneTaskDoc>('phone_tasks');
    this.conversations = db.collection<ConversationDoc>('conversations');
    const refs = db.collection<MessageRefDoc>('message_refs');
    this.deliveryRefs = new MessageRefRegistry(refs, db.collection<RefHolderDoc>('deliveries'), 'delivery', MAX_TIME_MS);
    this.taskRefs = new MessageRefRegistry(refs, db.collection<RefHolderDoc>('phone_tasks'), 'phone-task', MAX_TIME_MS);
  }

  /**
   * `dbName` overrides the database named in the URI (tests use a fresh one per run). Without it
   * the URI must name one: refused with CONFIG.INVALID before any connection is made.
   */
  static async connect(uri: string, options: { dbName?: string | undefined } = {}): Promise<MongoStore> {
    const dbName = options.dbName ?? mongoUriDatabase(uri);
    if (!dbName) throw noDatabaseError();
    const client = new MongoClient(uri, mongoClientOptions());
    await client.connect();
    try {
      const db = client.db(dbName);
      const warning = standaloneWarning(await helloReply(db));
      const store = new MongoStore(client, db, warning === undefined ? [] : [warning]);
      await store.prepare();
      return store;
    } catch (err) {
      await client.close();
      throw err;
    }
  }

  /** Indexes, then what records of earlier releases lack. Both are idempotent, so two processes starting at once are fine. */
  private async prepare(): Promise<void> {
    // Earlier releases kept one acknowledgement per person per delivery; rounds need one per round.
    await dropIndexIfPresent(this.acknowledgements, 'delivery_actor_unique');
    await Promise.all([
      this.advisories.createIndex({ requestKey: 1 }, { unique: true, name: 'requestKey_unique' }),
      this.advisories.createIndex(
        { unannounced: 1, _id: 1 },
        { name: 'unannounced', partialFilterExpression: { unannounced: true } },
      ),
      // Plain, not partial: the start-up repair below looks for documents without the field.
      this.advisories.createIndex({ owing: 1, _id: 1 }, { name: 'owing' }),
      this.advisories.createIndex({ issuedAt: -1, _id: -1 }, { name: 'issued_newest' }),
      this.deliveries.createIndex({ advisoryId: 1, state: 1 }, { name: 'advisory_state' }),
      this.deliveries.createIndex(
        { advisoryId: 1, memberId: 1, 'channel.platform': 1, 'channel.channelId': 1 },
        { unique: true, name: 'advisory_member_channel_unique' },
      ),
      // Not unique: a unique multikey index would treat every empty `messages` as the same key.
      // Uniqueness of message refs is the message_refs collection's job (MessageRefRegistry).
      this.deliveries.createIndex(
        { 'messages.platform': 1, 'messages.channelId': 1, 'messages.messageId': 1 },
        { name: 'messages' },
      ),
      // Plain, not partial: the start-up repair below looks for documents without the field.
      this.deliveries.createIndex({ owed: 1, _id: 1 }, { name: 'owed' }),
      // One record per person per acknowledgement round (round 1 has no `round` field: null in the index).
      this.acknowledgements.createIndex(
        { deliveryId: 1, round: 1, 'actor.platform': 1, 'actor.userId': 1 },
        { unique: true, name: 'delivery_round_actor_unique' },
      ),
      this.acknowledgements.createIndex({ deliveryId: 1, at: 1, _id: 1 }, { name: 'delivery_at' }),
      this.steps.createIndex({ deliveryId: 1, token: 1, key: 1 }, { unique: true, name: 'delivery_token_key_unique' }),
      this.phoneTasks.createIndex({ deliveryId: 1 }, { unique: true, name: 'deliveryId_unique' }),
      // Not unique, for the same reason as the deliveries' messages index.
      this.phoneTasks.createIndex(
        { 'messages.platform': 1, 'messages.channelId': 1, 'messages.messageId': 1 },
        { name: 'messages' },
      ),
      this.phoneTasks.createIndex({ state: 1, createdAt: 1, _id: 1 }, { name: 'state_createdAt' }),
      this.phoneTasks.createIndex({ advisoryId: 1, createdAt: 1, _id: 1 }, { name: 'advisory_createdAt' }),
      this.conversations.createIndex(
        { platform: 1, conversationId: 1 },
        { unique: true, name: 'platform_conversationId_unique' },
      ),
      this.conversations.createIndex({ platform: 1, tenantId: 1, updatedAt: 1 }, { name: 'platform_tenant_updatedAt' }),
    ]);
    // Deliveries written before `owed` existed (or replaced whole by an older release during a
    // rolling upgrade) get it as SQLite's migration 4 sets it. Runs at every start: cheap on the
    // index when there is nothing to do, and it repairs what an older process wrote meanwhile.
    await this.deliveries.updateMany({ owed: { $exists: false } }, [{ $set: { owed: LEGACY_OWED } }]);
    // The audit log's indexes and the first pass that chains events of earlier releases (mongo-audit.ts).
    await this.audit.prepare();
    await this.threads.prepare();
    await this.archive.prepare();
    await this.advisories.updateMany({ owing: { $exists: false } }, [{ $set: { owing: LEGACY_OWING } }]);
  }

  async ping(): Promise<void> {
    await this.db.command({ ping: 1 });
  }

  async nextAdvisoryNumber(year: number, series: AdvisorySeries = 'ADV'): Promise<number> {
    const _id = counterKey(series, year);
    // Two first-of-the-year upserts can race on _id; the server retries most of those itself,
    // and a second try here covers servers that do not.
    for (let attempt = 1; ; attempt++) {
      try {
        // Without includeResultMetadata the driver resolves to the document itself (or null), here the one after $inc.
        const doc = await this.counters.findOneAndUpdate(
          { _id },
          { $inc: { n: 1 } },
          { upsert: true, returnDocument: 'after', maxTimeMS: MAX_TIME_MS },
        );
        if (!doc) throw new Error(`counter for ${series} ${year} was not returned`);
        return doc.n;
      } catch (err) {
        if (attempt >= 3 || !isDuplicateKey(err)) throw err;
      }
    }
  }

  async createAdvisory(advisory: Advisory): Promise<{ advisory: Advisory; created: boolean }> {
    try {
      // New advisories start unannounced (see AdvisoryDoc).
      await this.advisories.insertOne({ ...advisory, _id: advisory.id, unannounced: true, owing: advisoryOwesWork(advisory) });
      return { advisory, created: true };
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
    // A 'local' read of the primary (the client's setting) sees the insert that beat ours even
    // before it is majority-committed.
    const existing = await this.advisories.findOne<Advisory>({ requestKey: advisory.requestKey }, read(ADVISORY_FIELDS));
    if (existing) return { advisory: existing, created: false };
    // The port promises the existing advisory only for the same requestKey. Handing back an
    // unrelated advisory under a reused id would tell the caller its request was already done.
    throw new BotError('STORE.CONFLICT', 'advisory id is already used by another request', {
      advisoryId: advisory.id,
    });
  }

  async getAdvisory(id: string): Promise<Advisory | null> {
    return this.advisories.findOne<Advisory>({ _id: id }, read(ADVISORY_FIELDS));
  }

  async listUnannouncedAdvisories(): Promise<Advisory[]> {
    // Ordered by id as SQLite does (both compare strings bytewise).
    return this.advisories.find<Advisory>({ unannounced: true }, read(ADVISORY_FIELDS, { sort: { _id: 1 } })).toArray();
  }

  async markAnnounced(advisoryId: string, at: string, ok: boolean, messages: MessageRef[] = []): Promise<boolean> {
    const announced = messages.length > 0 ? { at, ok, messages } : { at, ok };
    // One conditional update: of two concurrent calls exactly one matches.
    const r = await this.advisories.updateOne(
      { _id: advisoryId, unannounced: true },
      { $set: { announced }, $unset: { unannounced: '' }, $inc: { version: 1 } },
    );
    return r.matchedCount === 1;
  }

  async saveAdvisory(next: Advisory): Promise<boolean> {
    const expected = (next.version ?? 0) - 1;
    // `version` absent counts as 0, as in SQLite.
    const filter: Filter<AdvisoryDoc> = expected === 0
      ? { _id: next.id, $or: [{ version: { $exists: false } }, { version: 0 }] }
      : { _id: next.id, version: expected };
    // undefined would be stored as null (the client does not ignore undefined): leave such keys to $unset.
    const fields = Object.fromEntries(Object.entries(next).filter(([, v]) => v !== undefined));
    const unset: Record<string, ''> = Object.fromEntries(ADVISORY_OPTIONAL.filter((k) => next[k] === undefined).map((k) => [k, ''] as const));
    // $set of the fields, never a replacement: `unannounced` belongs to markAnnounced.
    const update: UpdateFilter<AdvisoryDoc> = { $set: { ...fields, owing: advisoryOwesWork(next) } };
    if (Object.keys(unset).length > 0) update.$unset = unset;
    const r = await this.advisories.updateOne(filter, update);
    return r.matchedCount === 1;
  }

  async listAdvisoriesOwingWork(): Promise<Advisory[]> {
    return this.advisories.find<Advisory>({ owing: true }, read(ADVISORY_FIELDS, { sort: { _id: 1 } })).toArray();
  }

  async listRecentAdvisories(limit: number, filter: { drill?: boolean | undefined } = {}): Promise<Advisory[]> {
    // Drills or real advisories only, when asked: a list of one kind is never cut short by the other's newer entries.
    // Few documents (one per advisory ever issued); `drill` is on every record, written at issue.
    const query: Filter<AdvisoryDoc> = filter.drill === undefined ? {} : filter.drill ? { drill: true } : { drill: { $ne: true } };
    return this.advisories.find<Advisory>(query, read(ADVISORY_FIELDS, { sort: { issuedAt: -1, _id: -1 }, limit })).toArray();
  }

  async countUnacknowledged(advisoryId: string, round = 1): Promise<number> {
    return this.deliveries.countDocuments(unacknowledgedFilter(advisoryId, round), { maxTimeMS: MAX_TIME_MS });
  }

  async anyUnacknowledged(advisoryId: string, round = 1): Promise<boolean> {
    // The first match ends it: no count over the advisory's deliveries at every press.
    const first = await this.deliveries.findOne(unacknowledgedFilter(advisoryId, round), { projection: { _id: 1 }, maxTimeMS: MAX_TIME_MS });
    return first !== null;
  }

  async ensureDeliveries(deliveries: Delivery[]): Promise<void> {
    // The driver refuses an empty batch.
    if (deliveries.length === 0) return;
    // Only a delivery this call creates may claim its messages; an existing one keeps its own. The
    // claims come first, so a refusal (STORE.CONFLICT) leaves the whole batch unwritten, as the
    // SQLite transaction's rollback does. Deliveries are normally created without messages.
    const claims: Array<{ id: string; taken: string[] }> = [];
    for (const d of await this.notStoredYet(deliveries.filter((d) => d.messages.length > 0))) {
      claims.push({ id: d.id, taken: await this.deliveryRefs.claim(d.id, d.version, d.messages) });
    }
    try {
      await this.deliveries.insertMany(
        deliveries.map((d) => ({ ...d, _id: d.id, owed: owesWork(d) })),
        { ordered: false },
      );
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
    // A delivery created meanwhile by another call (without these refs) lets go of them again.
    for (const c of claims) await this.deliveryRefs.tidy(c.id, c.taken);
  }

  /** Those of `deliveries` stored neither under their id nor under their advisory × member × channel. */
  private async notStoredYet(deliveries: Delivery[]): Promise<Delivery[]> {
    if (deliveries.length === 0) return [];
    const naturalKey = (d: Pick<Delivery, 'advisoryId' | 'memberId' | 'channel'>) =>
      JSON.stringify([d.advisoryId, d.memberId, d.channel.platform, d.channel.channelId]);
    const stored = await this.deliveries
      .find(
        {
          $or: [
            { _id: { $in: deliveries.map((d) => d.id) } },
            ...deliveries.map((d) => ({
              advisoryId: d.advisoryId,
              memberId: d.memberId,
              'channel.platform': d.channel.platform,
              'channel.channelId': d.channel.channelId,
            })),
          ],
        },
        read({ _id: 1, advisoryId: 1, memberId: 1, channel: 1 }),
      )
      .toArray();
    const ids = new Set(stored.map((s) => s._id));
    const keys = new Set(stored.map(naturalKey));
    return deliveries.filter((d) => !ids.has(d.id) && !keys.has(naturalKey(d)));
  }

  async getDelivery(id: string): Promise<Delivery | null> {
    return this.deliveries.findOne<Delivery>({ _id: id }, read(DELIVERY_FIELDS));
  }

  async listDeliveries(advisoryId: string): Promise<Delivery[]> {
    return this.deliveries
      .find<Delivery>({ advisoryId }, read(DELIVERY_FIELDS, { sort: { memberId: 1, _id: 1 } }))
      .toArray();
  }

  async saveDelivery(next: Delivery, audit?: AuditEvent): Promise<boolean> {
    // Claim the refs before the write, so that no delivery is ever stored holding a ref another
    // one owns; a refusal throws STORE.CONFLICT with nothing written.
    const taken = await this.deliveryRefs.claim(next.id, next.version, next.messages);
    const before = await this.deliveries.findOneAndReplace(
      { _id: next.id, version: next.version - 1 },
      { ...next, owed: owesWork(next) },
      { returnDocument: 'before', projection: { messages: 1 }, maxTimeMS: MAX_TIME_MS },
    );
    if (!before) {
      await this.deliveryRefs.tidy(next.id, taken);
      return false;
    }
    await this.deliveryRefs.release(next.id, next.version, MessageRefRegistry.dropped(before.messages, next.messages));
    // No multi-document transaction here: the event follows the write, as a separate appendAudit would.
    if (audit) await this.appendAudit(audit);
    return true;
  }

  async listOwedDeliveries(page: { after?: string | undefined; limit: number }): Promise<OwedPage> {
    // A limit of 0 means "no limit" to MongoDB; to SQLite (and the port) it means none.
    if (page.limit <= 0) return { deliveries: [], next: undefined };
    const deliveries = await this.deliveries
      .find<Delivery>(
        { owed: true, _id: { $gt: page.after ?? '' } },
        read(DELIVERY_FIELDS, { sort: { _id: 1 }, limit: page.limit }),
      )
      .toArray();
    const last = deliveries.at(-1);
    return { deliveries, next: deliveries.length === page.limit && last ? last.id : undefined };
  }

  async findDeliveryByMessage(ref: MessageRef): Promise<Delivery | null> {
    return this.deliveries.findOne<Delivery>(
      { messages: { $elemMatch: { platform: ref.platform, channelId: ref.channelId, messageId: ref.messageId } } },
      read(DELIVERY_FIELDS),
    );
  }

  async addAcknowledgement(ack: Acknowledgement): Promise<boolean> {
    try {
      // A copy, because insertOne writes the generated _id into the object it is given.
      await this.acknowledgements.insertOne({ ...ack });
      return true;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  }

  async listAcknowledgements(deliveryId: string): Promise<Acknowledgement[]> {
    return this.acknowledgements
      .find<Acknowledgement>({ deliveryId }, read(PLAIN, { sort: { at: 1, _id: 1 } }))
      .toArray();
  }

  // The archive (transcripts) lives in mongo-archive.ts.
  saveTranscript(t: Transcript): Promise<void> {
    return this.archive.saveTranscript(t);
  }

  getTranscript(advisoryId: string): Promise<Transcript | null> {
    return this.archive.getTranscript(advisoryId);
  }

  searchTranscripts(q: TranscriptQuery): Promise<TranscriptPage> {
    return this.archive.searchTranscripts(q);
  }

  redactTranscripts(before: string, redact: (t: Transcript) => Transcript): Promise<string[]> {
    return this.archive.redactTranscripts(before, redact);
  }

  deleteTranscripts(before: string): Promise<number> {
    return this.archive.deleteTranscripts(before);
  }

  // The thread log (replies in members' threads) lives in mongo-threads.ts.
  findDeliveryByFollowUpOrReminder(ref: MessageRef): Promise<Delivery | null> {
    return this.threads.findDeliveryByFollowUpOrReminder(ref);
  }

  addThreadMessage(message: ThreadMessage): Promise<boolean> {
    return this.threads.addThreadMessage(message);
  }

  getThreadMessage(ref: MessageRef): Promise<ThreadMessage | null> {
    return this.threads.getThreadMessage(ref);
  }

  saveThreadMessage(next: ThreadMessage): Promise<boolean> {
    return this.threads.saveThreadMessage(next);
  }

  listThreadMessages(of: { deliveryId: string } | { advisoryId: string }): Promise<ThreadMessage[]> {
    return this.threads.listThreadMessages(of);
  }

  // The audit log (hash chains) lives in mongo-audit.ts.
  appendAudit(event: AuditEvent): Promise<void> {
    return this.audit.appendAudit(event);
  }

  listAudit(advisoryId: string): Promise<AuditEvent[]> {
    return this.audit.listAudit(advisoryId);
  }

  listAuditChains(): Promise<string[]> {
    return this.audit.listAuditChains();
  }

  readAuditChain(chain: string): Promise<StoredChain> {
    return this.audit.readAuditChain(chain);
  }

  auditChainHead(chain: string): Promise<ChainTip | null> {
    return this.audit.auditChainHead(chain);
  }

  async claimStep(step: StepRef, lease: StepLease): Promise<StepClaim> {
    const where = { deliveryId: step.deliveryId, token: step.token, key: step.key };
    for (let attempt = 1; attempt <= STEP_CLAIM_TRIES; attempt++) {
      let before: Pick<StepDoc, 'state' | 'owner' | 'leaseUntil' | 'postedNothing'> | null;
      try {
        // One atomic upsert: the document as it was before tells whether this call created it.
        // The equality filter gives a new document its deliveryId, token and key.
        before = await this.steps.findOneAndUpdate(
          where,
          { $setOnInsert: { state: 'running', claimedAt: lease.at, owner: lease.owner, leaseUntil: lease.until } },
          {
            upsert: true,
            returnDocument: 'before',
            projection: { _id: 0, state: 1, owner: 1, leaseUntil: 1, postedNothing: 1 },
            maxTimeMS: MAX_TIME_MS,
          },
        );
      } catch (err) {
        // Concurrent first upserts can race on the unique index; the loser tries again and matches.
        if (isDuplicateKey(err)) continue;
        throw err;
      }
      if (before === null) return { outcome: 'claimed' };
      if (before.state === 'done') return { outcome: 'done' };
      const previousOwner = before.owner ?? UNKNOWN_OWNER;
      // ISO strings from one clock format order as the instants do. A row without a lease (from
      // before leases) has no holder to wait for.
      if (before.owner !== lease.owner && typeof before.leaseUntil === 'string' && before.leaseUntil > lease.at) {
        return { outcome: 'busy', owner: previousOwner, until: before.leaseUntil };
      }
      // Take over only from the lease just read: of two takers, the second finds it changed and goes
      // round again, to find the first one's lease. Equality with null also matches a missing field.
      const taken = await this.steps.updateOne(
        { ...where, state: 'running', owner: before.owner ?? null, leaseUntil: before.leaseUntil ?? null } as Filter<StepDoc>,
        // The new run is in flight: should it stop without a word, its own retry must search.
        { $set: { owner: lease.owner, leaseUntil: lease.until, claimedAt: lease.at, postedNothing: false } },
      );
      if (taken.matchedCount === 1) return { outcome: 'taken-over', previousOwner, mayHavePosted: before.postedNothing !== true };
    }
    throw new BotError('STORE.CONFLICT', 'escalation step kept changing under us', { ...where, tries: STEP_CLAIM_TRIES });
  }

  async beginPost(key: string, at: string): Promise<{ mayHavePosted: boolean }> {
    // One atomic upsert; the document as it was before tells a first attempt (none) from a later one. The new
    // attempt is in flight: should it stop without a word, the next must search.
    for (let attempt = 1; attempt <= STEP_CLAIM_TRIES; attempt++) {
      try {
        const before = await this.postAttempts.findOneAndUpdate(
          { _id: key },
          { $setOnInsert: { firstAt: at }, $set: { postedNothing: false } },
          { upsert: true, returnDocument: 'before', projection: { postedNothing: 1 }, maxTimeMS: MAX_TIME_MS },
        );
        return { mayHavePosted: before !== null && before.postedNothing !== true };
      } catch (err) {
        // Two first upserts of one key race on _id: the loser goes round and finds the winner's.
        if (!isDuplicateKey(err)) throw err;
      }
    }
    throw new BotError('STORE.CONFLICT', 'post attempt kept changing under us', { key, tries: STEP_CLAIM_TRIES });
  }

  async settlePost(key: string): Promise<void> {
    await this.postAttempts.updateOne({ _id: key }, { $set: { postedNothing: true } }, { maxTimeMS: MAX_TIME_MS });
  }

  async releaseStep(step: StepRef, owner: string, at: string, postedNothing = false): Promise<void> {
    await this.steps.updateOne(
      { deliveryId: step.deliveryId, token: step.token, key: step.key, owner, state: 'running' },
      { $set: { leaseUntil: at, postedNothing } },
    );
  }

  async finishStep(step: StepRef, finish: { owner: string; at: string; outcome: 'done' | 'gave_up' }): Promise<void> {
    const where = { deliveryId: step.deliveryId, token: step.token, key: step.key };
    // One pipeline update, so it reads the row as it is: the first finish is kept (its outcome and
    // owner; finishedAt is the earliest, as ISO strings order as the instants do). A step nobody
    // claimed is recorded as done. $literal: the values are data, never field paths or operators.
    const update = [
      {
        $set: {
          state: 'done',
          owner: { $cond: [{ $eq: ['$state', 'done'] }, '$owner', { $literal: finish.owner }] },
          outcome: { $ifNull: ['$outcome', { $literal: finish.outcome }] },
          finishedAt: { $min: ['$finishedAt', { $literal: finish.at }] },
        },
      },
    ];
    for (let attempt = 1; ; attempt++) {
      try {
        await this.steps.updateOne(where, update, { upsert: true });
        return;
      } catch (err) {
        // Concurrent first upserts can race on the unique index; the loser retries and then matches.
        if (attempt >= 3 || !isDuplicateKey(err)) throw err;
      }
    }
  }

  async ensurePhoneTask(task: PhoneTask): Promise<PhoneTask> {
    // As ensureDeliveries: only a task this call creates claims its messages, before it is written.
    let taken: string[] = [];
    if (task.messages.length > 0) {
      const stored = await this.phoneTasks.findOne(
        { $or: [{ _id: task.id }, { deliveryId: task.deliveryId }] },
        read({ _id: 1 }),
      );
      if (!stored) taken = await this.taskRefs.claim(task.id, task.version, task.messages);
    }
    try {
      await this.phoneTasks.insertOne({ ...task, _id: task.id });
      return task;
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
    await this.taskRefs.tidy(task.id, taken);
    const existing = await this.phoneTasks.findOne<PhoneTask>({ deliveryId: task.deliveryId }, read(PLAIN));
    if (existing) return existing;
    // The id is taken by a task of another delivery: handing that one back would mix up members.
    throw new BotError('STORE.CONFLICT', 'phone task id is already used by another delivery', {
      taskId: task.id,
      deliveryId: task.deliveryId,
    });
  }

  async getPhoneTask(id: string): Promise<PhoneTask | null> {
    return this.phoneTasks.findOne<PhoneTask>({ _id: id }, read(PLAIN));
  }

  async savePhoneTask(next: PhoneTask): Promise<boolean> {
    // As saveDelivery.
    const taken = await this.taskRefs.claim(next.id, next.version, next.messages);
    const before = await this.phoneTasks.findOneAndReplace(
      { _id: next.id, version: next.version - 1 },
      { ...next },
      { returnDocument: 'before', projection: { messages: 1 }, maxTimeMS: MAX_TIME_MS },
    );
    if (!before) {
      await this.taskRefs.tidy(next.id, taken);
      return false;
    }
    await this.taskRefs.release(next.id, next.version, MessageRefRegistry.dropped(before.messages, next.messages));
    return true;
  }

  async findPhoneTaskByMessage(ref: MessageRef): Promise<PhoneTask | null> {
    return this.phoneTasks.findOne<PhoneTask>(
      { messages: { $elemMatch: { platform: ref.platform, channelId: ref.channelId, messageId: ref.messageId } } },
      read(PLAIN),
    );
  }

  async listOpenPhoneTasks(): Promise<PhoneTask[]> {
    return this.phoneTasks
      .find<PhoneTask>({ state: { $in: ['open', 'claimed'] } }, read(PLAIN, { sort: { createdAt: 1, _id: 1 } }))
      .toArray();
  }

  async listPhoneTasks(advisoryId: string): Promise<PhoneTask[]> {
    return this.phoneTasks
      .find<PhoneTask>({ advisoryId }, read(PLAIN, { sort: { createdAt: 1, _id: 1 } }))
      .toArray();
  }

  async saveConversation(record: ConversationRecord): Promise<void> {
    // A whole-document replace, so a field the new record lacks (teamId) does not linger.
    // Concurrent first upserts can race on the unique index; the loser retries and then matches.
    for (let attempt = 1; ; attempt++) {
      try {
        await this.conversations.replaceOne(
          { platform: record.platform, conversationId: record.conversationId },
          // A copy, so the driver never writes an _id into the caller's object.
          { ...record },
          { upsert: true },
        );
        return;
      } catch (err) {
        if (attempt >= 3 || !isDuplicateKey(err)) throw err;
      }
    }
  }

  async getConversation(
    platform: ConversationRecord['platform'],
    conversationId: string,
  ): Promise<ConversationRecord | null> {
    return this.conversations.findOne<ConversationRecord>({ platform, conversationId }, read(PLAIN));
  }

  async latestConversationInTenant(
    platform: ConversationRecord['platform'],
    tenantId: string,
  ): Promise<ConversationRecord | null> {
    // Removed conversations count too: their service URL is still the tenant's.
    return this.conversations.findOne<ConversationRecord>(
      { platform, tenantId },
      read(PLAIN, { sort: { updatedAt: -1, conversationId: 1 } }),
    );
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}

/** The advisory's deliveries not acknowledged in `round`: queued, posted or failed, or still in an earlier round. */
function unacknowledgedFilter(advisoryId: string, round: number): Filter<DeliveryDoc> {
  const unacknowledged: Filter<DeliveryDoc> = { advisoryId, state: { $in: UNACKNOWLEDGED } };
  if (round <= 1) return unacknowledged;
  // A delivery still in an earlier round (absent: 1) has not been asked this round's question yet.
  const earlier: Filter<DeliveryDoc> = { advisoryId, $or: [{ round: { $exists: false } }, { round: { $lt: round } }] };
  return { $or: [unacknowledged, earlier] };
}
