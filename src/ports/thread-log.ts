import type { Delivery } from '../domain/delivery.js';
import type { MessageRef } from '../domain/platform.js';
import type { ThreadMessage } from '../domain/thread-message.js';

/**
 * The thread part of the store: what people wrote in the threads of the bot's posts to members.
 * Both stores (SQLite, MongoDB) pass one contract suite (test/src/store/thread-log-contract.ts).
 */
export interface ThreadLog {
  /**
   * The delivery one of whose follow-ups or reminders is this message (a thread can hang under
   * those too). The copies themselves are found by Store.findDeliveryByMessage.
   */
  findDeliveryByFollowUpOrReminder(ref: MessageRef): Promise<Delivery | null>;
  /** Insert the record; false (and nothing written) if (platform, channel, message id) is recorded already. */
  addThreadMessage(message: ThreadMessage): Promise<boolean>;
  getThreadMessage(ref: MessageRef): Promise<ThreadMessage | null>;
  /** Compare-and-set on version, as saveDelivery: write `next` only if the stored version is `next.version - 1`. */
  saveThreadMessage(next: ThreadMessage): Promise<boolean>;
  /** The messages of one delivery's threads, or of every delivery of an advisory, in thread order (threadOrder()). */
  listThreadMessages(of: { deliveryId: string } | { advisoryId: string }): Promise<ThreadMessage[]>;
}
