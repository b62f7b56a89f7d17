import type { Advisory, AdvisorySeries } from '../domain/advisory.js';
import type { Acknowledgement, AuditEvent } from '../domain/audit.js';
import type { AuditLog } from './audit-log.js';
import type { ThreadLog } from './thread-log.js';
import type { ArchiveStore } from './archive.js';
import type { Delivery } from '../domain/delivery.js';
import type { MessageRef } from '../domain/platform.js';
import type { PhoneTask } from '../domain/phone-task.js';
import type { ConversationRecord } from '../domain/conversation.js';

/** One step of one delivery's ladder under one token: the step ledger's key. */
export interface StepRef {
  deliveryId: string;
  token: string;
  /** stepKey(): reminder, phone, next-contact-1, alert, … */
  key: string;
}

/**
 * Who runs a step, and until when nobody else may. `owner` is unique per run (process and job);
 * `at` and `until` are ISO times from the core's clock.
 */
export interface StepLease {
  owner: string;
  at: string;
  until: string;
}

/**
 * - claimed: the first run; do the step.
 * - taken-over: an earlier run claimed it and its lease ran out without finishing (the worker died or
 *   stalled): redo the step's effects, each of which finds its own earlier post before posting.
 * - busy: another run holds an unexpired lease: try again after `until`.
 * - done: finished (or given up) before: do nothing.
 */
export type StepClaim =
  | { outcome: 'claimed' }
  /**
   * `mayHavePosted`: the earlier run may have posted some of the step's messages (it stopped in flight, or failed
   * in a way that does not prove otherwise): this run looks for them before posting. False only when that run
   * released the step saying it had posted nothing (a 429 before its first post, say).
   */
  | { outcome: 'taken-over'; previousOwner: string; mayHavePosted: boolean }
  | { outcome: 'busy'; owner: string; until: string }
  | { outcome: 'done' };

export interface OwedPage {
  deliveries: Delivery[];
  /** Pass back as `after` for the next page; absent on the last page. */
  next?: string | undefined;
}

/**
 * Persistence for the core. Two implementations (MongoDB, embedded SQLite) pass one contract suite
 * (test/src/store/store-contract.ts). Every write is safe to repeat.
 */
export interface Store extends ArchiveStore, AuditLog, ThreadLog {
  /** Cheap round trip for readiness checks; rejects when the store cannot be reached. */
  ping(): Promise<void>;

  /**
   * The next number of the series for the year, allocated atomically (1, 2, …): each series (ADV for real
   * advisories, DRL for drills; default ADV) counts on its own, so a drill never takes a real advisory's number.
   */
  nextAdvisoryNumber(year: number, series?: AdvisorySeries): Promise<number>;
  /** Insert the advisory; if one with the same requestKey exists, return that one instead. */
  createAdvisory(advisory: Advisory): Promise<{ advisory: Advisory; created: boolean }>;
  getAdvisory(id: string): Promise<Advisory | null>;
  /** Advisories whose "issued" notice the secretariat has not had yet, oldest first. */
  listUnannouncedAdvisories(): Promise<Advisory[]>;
  /**
   * Note that the "issued" notice was posted (or gave up), with the messages it went into (the live
   * status card, updated in place later); false if it was noted before. Moves `version` on.
   */
  markAnnounced(advisoryId: string, at: string, ok: boolean, messages?: MessageRef[]): Promise<boolean>;
  /**
   * Compare-and-set, as saveDelivery: write `next` only if the stored version (absent: 0) is
   * `next.version - 1`. The advisory's id, uid and request key never change.
   */
  saveAdvisory(next: Advisory): Promise<boolean>;
  /**
   * Advisories that may still owe work (advisoryOwesWork(): open, not announced, copies to sync, the
   * closing summary), oldest first.
   */
  listAdvisoriesOwingWork(): Promise<Advisory[]>;
  /**
   * The `limit` most recently issued advisories, newest first (ties: the higher id first); with `drill`, only drills
   * (true) or only real advisories (false), so that drills can be listed apart from the real figures.
   */
  listRecentAdvisories(limit: number, filter?: { drill?: boolean | undefined }): Promise<Advisory[]>;
  /**
   * How many of the advisory's deliveries are not acknowledged in acknowledgement round `round`
   * (absent: 1): queued, posted or failed, or still in an earlier round (its follow-up not yet there).
   */
  countUnacknowledged(advisoryId: string, round?: number): Promise<number>;
  /**
   * Whether any of them is (countUnacknowledged > 0), answered without counting: asked at every acknowledgement, so
   * its cost must not grow with the sector (a count read every delivery's index entry: quadratic over a press burst).
   */
  anyUnacknowledged(advisoryId: string, round?: number): Promise<boolean>;
  /** Insert the deliveries not stored yet (unique on advisory × member × channel); existing ones are left as they are. */
  ensureDeliveries(deliveries: Delivery[]): Promise<void>;
  getDelivery(id: string): Promise<Delivery | null>;
  listDeliveries(advisoryId: string): Promise<Delivery[]>;
  /**
   * Compare-and-set: write `next` only if the stored version is `next.version - 1`.
   * Returns false when someone else wrote first; the caller re-reads and decides again.
   * `audit`, when given, is appended only if the write succeeds: in the same transaction where the store has one
   * (SQLite: one commit instead of two on the hot path), right after it otherwise (MongoDB, as appendAudit).
   */
  saveDelivery(next: Delivery, audit?: AuditEvent): Promise<boolean>;
  /**
   * Deliveries that still owe work (owesWork(): not yet posted, a ladder step owed, a failure the
   * secretariat has not heard of), in id order, a page at a time.
   */
  listOwedDeliveries(page: { after?: string | undefined; limit: number }): Promise<OwedPage>;
  /** The delivery a posted message belongs to. */
  findDeliveryByMessage(ref: MessageRef): Promise<Delivery | null>;
  /** Record that a person acknowledged or saw a delivery; false if that person is already recorded for it. */
  addAcknowledgement(ack: Acknowledgement): Promise<boolean>;
  listAcknowledgements(deliveryId: string): Promise<Acknowledgement[]>;

  /**
   * Claim one escalation step, unique on (delivery, token, step key), with a lease: atomically, so
   * that of any number of concurrent claims exactly one gets 'claimed' (or 'taken-over').
   */
  claimStep(step: StepRef, lease: StepLease): Promise<StepClaim>;
  /**
   * The run failed (a transient error; the job will be retried): end its lease now so the retry can
   * take the step over at once instead of waiting for the lease to run out. Only the lease's owner can.
   * `postedNothing`: the run knows it posted nothing (its retry need not search); default false.
   */
  releaseStep(step: StepRef, owner: string, at: string, postedNothing?: boolean): Promise<void>;
  /**
   * The step is over: 'done' (its effects happened) or 'gave_up' (every attempt failed and the
   * secretariat was told). The first finish is kept; finishing again changes nothing.
   */
  finishStep(step: StepRef, finish: { owner: string; at: string; outcome: 'done' | 'gave_up' }): Promise<void>;

  /**
   * A post about to be made under `key` that no record of its own tracks (a notice to the secretariat, a follow-up
   * in a thread): whether an earlier attempt may have made it. False the first time (recorded now, as in flight),
   * and after settlePost; true after any attempt that was not settled. Idempotent per key.
   */
  beginPost(key: string, at: string): Promise<{ mayHavePosted: boolean }>;
  /** The attempt at `key` failed in a way that proves nothing was posted: the next one posts at once. */
  settlePost(key: string): Promise<void>;

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
