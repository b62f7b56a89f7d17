import type { Advisory } from '../domain/advisory.js';
import type { Acknowledgement, AuditEvent } from '../domain/audit.js';
import type { Delivery } from '../domain/delivery.js';
import type { MessageRef } from '../domain/platform.js';
import type { PhoneTask } from '../domain/phone-task.js';
import type { ConversationRecord } from '../domain/conversation.js';

export type StepClaim = 'claimed' | 'running' | 'done';

/**
 * Persistence for the core. Two implementations (MongoDB, embedded SQLite) pass one contract suite
 * (test/src/store/store-contract.ts). Every write is safe to repeat.
 */
export interface Store {
  /** The next advisory number for the year, allocated atomically (1, 2, …). */
  nextAdvisoryNumber(year: number): Promise<number>;
  /** Insert the advisory; if one with the same requestKey exists, return that one instead. */
  createAdvisory(advisory: Advisory): Promise<{ advisory: Advisory; created: boolean }>;
  getAdvisory(id: string): Promise<Advisory | null>;
  /** Insert the deliveries not stored yet (unique on advisory × member × channel); existing ones are left as they are. */
  ensureDeliveries(deliveries: Delivery[]): Promise<void>;
  getDelivery(id: string): Promise<Delivery | null>;
  listDeliveries(advisoryId: string): Promise<Delivery[]>;
  /**
   * Compare-and-set: write `next` only if the stored version is `next.version - 1`.
   * Returns false when someone else wrote first; the caller re-reads and decides again.
   */
  saveDelivery(next: Delivery): Promise<boolean>;
  /** The delivery a posted message belongs to. */
  findDeliveryByMessage(ref: MessageRef): Promise<Delivery | null>;
  /** Record that a person acknowledged or saw a delivery; false if that person is already recorded for it. */
  addAcknowledgement(ack: Acknowledgement): Promise<boolean>;
  listAcknowledgements(deliveryId: string): Promise<Acknowledgement[]>;
  /** Append an audit event; an event whose id is already stored is ignored. */
  appendAudit(event: AuditEvent): Promise<void>;
  listAudit(advisoryId: string): Promise<AuditEvent[]>;

  /**
   * Claim one escalation step, unique on (delivery, token, step key): 'claimed' the first time;
   * 'running' when claimed before but never finished (a worker died mid-step: the retry redoes the
   * step's idempotent effects); 'done' once finishStep was called (do nothing).
   */
  claimStep(deliveryId: string, token: string, key: string, at: string): Promise<StepClaim>;
  finishStep(deliveryId: string, token: string, key: string, at: string): Promise<void>;

  /** Insert the task unless the delivery has one (unique on deliveryId); returns the stored task. */
  ensurePhoneTask(task: PhoneTask): Promise<PhoneTask>;
  getPhoneTask(id: string): Promise<PhoneTask | null>;
  /** Compare-and-set on version, as saveDelivery. */
  savePhoneTask(next: PhoneTask): Promise<boolean>;
  /** The task a message in an on-call channel belongs to. */
  findPhoneTaskByMessage(ref: MessageRef): Promise<PhoneTask | null>;
  /** Tasks still to be worked (open or claimed), oldest first. */
  listOpenPhoneTasks(): Promise<PhoneTask[]>;
  listPhoneTasks(advisoryId: string): Promise<PhoneTask[]>;

  /** Insert or replace the record of a conversation (unique on platform × conversationId). */
  saveConversation(record: ConversationRecord): Promise<void>;
  getConversation(platform: ConversationRecord['platform'], conversationId: string): Promise<ConversationRecord | null>;
  /** The most recently updated conversation of a tenant: its service URL reaches the tenant's other conversations. */
  latestConversationInTenant(platform: ConversationRecord['platform'], tenantId: string): Promise<ConversationRecord | null>;
  close(): Promise<void>;
}
