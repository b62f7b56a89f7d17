import type { Collection, Db, Document } from 'mongodb';
import type { Delivery } from '../../domain/delivery.js';
import type { MessageRef } from '../../domain/platform.js';
import type { ThreadMessage } from '../../domain/thread-message.js';
import type { ThreadLog } from '../../ports/thread-log.js';
import { isDuplicateKey } from './mongo-errors.js';

/** A thread message as stored: its own fields, `_id` = its (platform, channel, message id), so it is stored once. */
type ThreadDoc = ThreadMessage & { _id: string };

/** Unambiguous: JSON keeps parts apart that a separator could run together. */
export function threadMessageKey(ref: MessageRef): string {
  return JSON.stringify([ref.platform, ref.channelId, ref.messageId]);
}

const FIELDS = { _id: 0 } as const;
/** The delivery document's helper fields are not the delivery's (see mongo-store.ts). */
const DELIVERY_FIELDS = { _id: 0, owed: 0 } as const;

const exactly = (ref: MessageRef) => ({ platform: ref.platform, channelId: ref.channelId, messageId: ref.messageId });

/**
 * The thread log of the MongoDB store: collection `thread_messages`, found by delivery or advisory in
 * thread order. Edits and the deletion are compare-and-set writes of the whole record on its version.
 */
export class MongoThreads implements ThreadLog {
  private readonly threads: Collection<ThreadDoc>;
  private readonly deliveries: Collection<Document>;

  constructor(
    db: Db,
    private readonly maxTimeMs: number,
  ) {
    this.threads = db.collection<ThreadDoc>('thread_messages');
    this.deliveries = db.collection('deliveries');
  }

  /** Indexes; idempotent, so two processes starting at once are fine. */
  async prepare(): Promise<void> {
    await Promise.all([
      this.threads.createIndex({ deliveryId: 1, at: 1, messageId: 1 }, { name: 'delivery_at' }),
      this.threads.createIndex({ advisoryId: 1, at: 1, messageId: 1 }, { name: 'advisory_at' }),
      // A reply under a reminder or a follow-up is traced to its delivery through these (multikey).
      this.deliveries.createIndex({ 'reminders.messageId': 1 }, { name: 'reminders_messageId' }),
      this.deliveries.createIndex({ 'followups.messages.messageId': 1 }, { name: 'followups_messageId' }),
    ]);
  }

  async findDeliveryByFollowUpOrReminder(ref: MessageRef): Promise<Delivery | null> {
    const options = { projection: DELIVERY_FIELDS, maxTimeMS: this.maxTimeMs, sort: { _id: 1 } } as const;
    const byReminder = await this.deliveries.findOne<Delivery>({ reminders: { $elemMatch: exactly(ref) } }, options);
    if (byReminder) return byReminder;
    return this.deliveries.findOne<Delivery>({ followups: { $elemMatch: { messages: { $elemMatch: exactly(ref) } } } }, options);
  }

  async addThreadMessage(m: ThreadMessage): Promise<boolean> {
    try {
      await this.threads.insertOne({ ...m, _id: threadMessageKey(m) });
      return true;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  }

  async getThreadMessage(ref: MessageRef): Promise<ThreadMessage | null> {
    return this.threads.findOne<ThreadMessage>({ _id: threadMessageKey(ref) }, { projection: FIELDS, maxTimeMS: this.maxTimeMs });
  }

  async saveThreadMessage(next: ThreadMessage): Promise<boolean> {
    const r = await this.threads.replaceOne({ _id: threadMessageKey(next), version: next.version - 1 }, { ...next });
    return r.matchedCount === 1;
  }

  async listThreadMessages(of: { deliveryId: string } | { advisoryId: string }): Promise<ThreadMessage[]> {
    const filter = 'deliveryId' in of ? { deliveryId: of.deliveryId } : { advisoryId: of.advisoryId };
    return this.threads.find<ThreadMessage>(filter, { projection: FIELDS, sort: { at: 1, messageId: 1 }, maxTimeMS: this.maxTimeMs }).toArray();
  }
}
