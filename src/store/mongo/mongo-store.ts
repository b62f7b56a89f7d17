import { MongoBulkWriteError, MongoClient, MongoServerError, ObjectId } from 'mongodb';
import type { Collection, Db } from 'mongodb';
import type { Advisory } from '../../domain/advisory.js';
import type { Acknowledgement, AuditEvent } from '../../domain/audit.js';
import type { ConversationRecord } from '../../domain/conversation.js';
import type { Delivery } from '../../domain/delivery.js';
import type { PhoneTask } from '../../domain/phone-task.js';
import type { MessageRef } from '../../domain/platform.js';
import { BotError } from '../../errors.js';
import type { StepClaim, Store } from '../../ports/store.js';

type AdvisoryDoc = Advisory & { _id: string };
type CounterDoc = { _id: number; n: number };
type DeliveryDoc = Delivery & { _id: string };
type AckDoc = Acknowledgement & { _id?: ObjectId };
/** `seq` orders events that share a timestamp: ObjectIds from one process only grow. */
type AuditDoc = AuditEvent & { _id: string; seq: ObjectId };
/** One escalation step of one delivery's ladder; unique on (deliveryId, token, key). */
interface StepDoc {
  _id?: ObjectId;
  deliveryId: string;
  token: string;
  key: string;
  state: 'running' | 'done';
  claimedAt?: string;
  finishedAt?: string;
}
type PhoneTaskDoc = PhoneTask & { _id: string };
/** Unique on (platform, conversationId); the _id is the server's own. */
type ConversationDoc = ConversationRecord & { _id?: ObjectId };

const DUPLICATE_KEY = 11000;

/** Only a plain duplicate-key refusal is safe to ignore; anything else (a write concern failure too) is not. */
function isDuplicateKey(err: unknown): boolean {
  if (err instanceof MongoBulkWriteError) {
    const writeErrors = Array.isArray(err.writeErrors) ? err.writeErrors : [err.writeErrors];
    return (
      writeErrors.length > 0 &&
      writeErrors.every((e) => e.code === DUPLICATE_KEY) &&
      err.err === undefined &&
      err.result.getWriteConcernError() === undefined
    );
  }
  return err instanceof MongoServerError && err.code === DUPLICATE_KEY && err.writeConcernError === undefined;
}

/** Projections that give back exactly the domain object that was stored. */
const NO_ID = { projection: { _id: 0 } } as const;
const AUDIT_FIELDS = { projection: { _id: 0, seq: 0 } } as const;

export class MongoStore implements Store {
  private readonly advisories: Collection<AdvisoryDoc>;
  private readonly counters: Collection<CounterDoc>;
  private readonly deliveries: Collection<DeliveryDoc>;
  private readonly acknowledgements: Collection<AckDoc>;
  private readonly audit: Collection<AuditDoc>;
  private readonly steps: Collection<StepDoc>;
  private readonly phoneTasks: Collection<PhoneTaskDoc>;
  private readonly conversations: Collection<ConversationDoc>;

  private constructor(
    private readonly client: MongoClient,
    db: Db,
  ) {
    this.advisories = db.collection<AdvisoryDoc>('advisories');
    this.counters = db.collection<CounterDoc>('counters');
    this.deliveries = db.collection<DeliveryDoc>('deliveries');
    this.acknowledgements = db.collection<AckDoc>('acknowledgements');
    this.audit = db.collection<AuditDoc>('audit');
    this.steps = db.collection<StepDoc>('escalation_steps');
    this.phoneTasks = db.collection<PhoneTaskDoc>('phone_tasks');
    this.conversations = db.collection<ConversationDoc>('conversations');
  }

  /** `dbName` overrides the database named in the URI (tests use a fresh one per run). */
  static async connect(uri: string, options: { dbName?: string } = {}): Promise<MongoStore> {
    const client = new MongoClient(uri, {
      // A write the primary loses in a failover would be an acknowledgement or a counter value
      // handed out twice; majority reads never see such a write.
      writeConcern: { w: 'majority' },
      readConcern: { level: 'majority' },
      // Optional fields are `undefined` in domain objects; stored as null they would come back
      // as null and break the types.
      ignoreUndefined: true,
    });
    await client.connect();
    try {
      const store = new MongoStore(client, client.db(options.dbName));
      await store.createIndexes();
      return store;
    } catch (err) {
      await client.close();
      throw err;
    }
  }

  private async createIndexes(): Promise<void> {
    await Promise.all([
      this.advisories.createIndex({ requestKey: 1 }, { unique: true, name: 'requestKey_unique' }),
      this.deliveries.createIndex(
        { advisoryId: 1, memberId: 1, 'channel.platform': 1, 'channel.channelId': 1 },
        { unique: true, name: 'advisory_member_channel_unique' },
      ),
      // Not unique: a unique multikey index would treat every empty `messages` as the same key.
      this.deliveries.createIndex(
        { 'messages.platform': 1, 'messages.channelId': 1, 'messages.messageId': 1 },
        { name: 'messages' },
      ),
      this.acknowledgements.createIndex(
        { deliveryId: 1, 'actor.platform': 1, 'actor.userId': 1 },
        { unique: true, name: 'delivery_actor_unique' },
      ),
      this.acknowledgements.createIndex({ deliveryId: 1, at: 1, _id: 1 }, { name: 'delivery_at' }),
      this.audit.createIndex({ advisoryId: 1, at: 1, seq: 1 }, { name: 'advisory_at' }),
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
  }

  async nextAdvisoryNumber(year: number): Promise<number> {
    // Two first-of-the-year upserts can race on _id; the server retries most of those itself,
    // and a second try here covers servers that do not.
    for (let attempt = 1; ; attempt++) {
      try {
        const doc = await this.counters.findOneAndUpdate(
          { _id: year },
          { $inc: { n: 1 } },
          { upsert: true, returnDocument: 'after' },
        );
        if (!doc) throw new Error(`counter for ${year} was not returned`);
        return doc.n;
      } catch (err) {
        if (attempt >= 3 || !isDuplicateKey(err)) throw err;
      }
    }
  }

  async createAdvisory(advisory: Advisory): Promise<{ advisory: Advisory; created: boolean }> {
    try {
      await this.advisories.insertOne({ ...advisory, _id: advisory.id });
      return { advisory, created: true };
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
    // 'local': the insert that beat ours may not be majority-committed yet, and a majority read
    // would then miss it and report a false conflict.
    const existing = await this.advisories.findOne<Advisory>(
      { requestKey: advisory.requestKey },
      { ...NO_ID, readConcern: { level: 'local' } },
    );
    if (existing) return { advisory: existing, created: false };
    // The port promises the existing advisory only for the same requestKey. Handing back an
    // unrelated advisory under a reused id would tell the caller its request was already done.
    throw new BotError('STORE.CONFLICT', 'advisory id is already used by another request', {
      advisoryId: advisory.id,
    });
  }

  async getAdvisory(id: string): Promise<Advisory | null> {
    return this.advisories.findOne<Advisory>({ _id: id }, NO_ID);
  }

  async ensureDeliveries(deliveries: Delivery[]): Promise<void> {
    // The driver refuses an empty batch.
    if (deliveries.length === 0) return;
    try {
      await this.deliveries.insertMany(
        deliveries.map((d) => ({ ...d, _id: d.id })),
        { ordered: false },
      );
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
  }

  async getDelivery(id: string): Promise<Delivery | null> {
    return this.deliveries.findOne<Delivery>({ _id: id }, NO_ID);
  }

  async listDeliveries(advisoryId: string): Promise<Delivery[]> {
    return this.deliveries.find<Delivery>({ advisoryId }, { ...NO_ID, sort: { memberId: 1, _id: 1 } }).toArray();
  }

  async saveDelivery(next: Delivery): Promise<boolean> {
    const r = await this.deliveries.replaceOne({ _id: next.id, version: next.version - 1 }, next);
    return r.matchedCount === 1;
  }

  async findDeliveryByMessage(ref: MessageRef): Promise<Delivery | null> {
    return this.deliveries.findOne<Delivery>(
      { messages: { $elemMatch: { platform: ref.platform, channelId: ref.channelId, messageId: ref.messageId } } },
      NO_ID,
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
      .find<Acknowledgement>({ deliveryId }, { ...NO_ID, sort: { at: 1, _id: 1 } })
      .toArray();
  }

  async appendAudit(event: AuditEvent): Promise<void> {
    try {
      await this.audit.insertOne({ ...event, _id: event.id, seq: new ObjectId() });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
  }

  async listAudit(advisoryId: string): Promise<AuditEvent[]> {
    return this.audit.find<AuditEvent>({ advisoryId }, { ...AUDIT_FIELDS, sort: { at: 1, seq: 1 } }).toArray();
  }

  async claimStep(deliveryId: string, token: string, key: string, at: string): Promise<StepClaim> {
    // One atomic upsert: the document as it was before tells whether this call created it.
    // Concurrent first upserts can race on the unique index; the loser retries and then matches.
    for (let attempt = 1; ; attempt++) {
      try {
        const before = await this.steps.findOneAndUpdate(
          { deliveryId, token, key },
          // The equality filter gives a new document its deliveryId, token and key.
          { $setOnInsert: { state: 'running', claimedAt: at } },
          { upsert: true, returnDocument: 'before', projection: { state: 1 } },
        );
        return before === null ? 'claimed' : before.state;
      } catch (err) {
        if (attempt >= 3 || !isDuplicateKey(err)) throw err;
      }
    }
  }

  async finishStep(deliveryId: string, token: string, key: string, at: string): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.steps.updateOne(
          { deliveryId, token, key },
          // $min keeps the first finish time: ISO strings order as the instants do.
          { $set: { state: 'done' }, $min: { finishedAt: at } },
          { upsert: true },
        );
        return;
      } catch (err) {
        if (attempt >= 3 || !isDuplicateKey(err)) throw err;
      }
    }
  }

  async ensurePhoneTask(task: PhoneTask): Promise<PhoneTask> {
    try {
      await this.phoneTasks.insertOne({ ...task, _id: task.id });
      return task;
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
    // 'local', as in createAdvisory: the winning insert may not be majority-committed yet.
    const existing = await this.phoneTasks.findOne<PhoneTask>(
      { deliveryId: task.deliveryId },
      { ...NO_ID, readConcern: { level: 'local' } },
    );
    if (existing) return existing;
    // The id is taken by a task of another delivery: handing that one back would mix up members.
    throw new BotError('STORE.CONFLICT', 'phone task id is already used by another delivery', {
      taskId: task.id,
      deliveryId: task.deliveryId,
    });
  }

  async getPhoneTask(id: string): Promise<PhoneTask | null> {
    return this.phoneTasks.findOne<PhoneTask>({ _id: id }, NO_ID);
  }

  async savePhoneTask(next: PhoneTask): Promise<boolean> {
    const r = await this.phoneTasks.replaceOne({ _id: next.id, version: next.version - 1 }, next);
    return r.matchedCount === 1;
  }

  async findPhoneTaskByMessage(ref: MessageRef): Promise<PhoneTask | null> {
    return this.phoneTasks.findOne<PhoneTask>(
      { messages: { $elemMatch: { platform: ref.platform, channelId: ref.channelId, messageId: ref.messageId } } },
      NO_ID,
    );
  }

  async listOpenPhoneTasks(): Promise<PhoneTask[]> {
    return this.phoneTasks
      .find<PhoneTask>({ state: { $in: ['open', 'claimed'] } }, { ...NO_ID, sort: { createdAt: 1, _id: 1 } })
      .toArray();
  }

  async listPhoneTasks(advisoryId: string): Promise<PhoneTask[]> {
    return this.phoneTasks.find<PhoneTask>({ advisoryId }, { ...NO_ID, sort: { createdAt: 1, _id: 1 } }).toArray();
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
    return this.conversations.findOne<ConversationRecord>({ platform, conversationId }, NO_ID);
  }

  async latestConversationInTenant(
    platform: ConversationRecord['platform'],
    tenantId: string,
  ): Promise<ConversationRecord | null> {
    // Removed conversations count too: their service URL is still the tenant's.
    return this.conversations.findOne<ConversationRecord>(
      { platform, tenantId },
      { ...NO_ID, sort: { updatedAt: -1, conversationId: 1 } },
    );
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
