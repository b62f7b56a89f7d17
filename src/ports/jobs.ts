import type { StepKind } from '../domain/escalation.js';

/**
 * A piece of work the core hands to the workflows. The store says what is owed; a queued job is
 * only the means of doing it, and can always be queued again from the store (see commands/reconcile).
 *
 * `scope` is the advisory's advisoryScope(): random per advisory, so the job of a wiped or restored
 * store's ADV-2026-0001 can never be mistaken for an earlier store's job of the same number.
 */
export type Work =
  /** Post this delivery. */
  | { kind: 'deliver'; scope: string; deliveryId: string }
  /** Run one ladder step at `at` (at once if past), under the delivery's escalation token. */
  | { kind: 'step'; deliveryId: string; token: string; step: StepKind; index: number; at: Date }
  /** Tell the secretariat a delivery failed. */
  | { kind: 'failure-alert'; scope: string; deliveryId: string }
  /** Tell the secretariat an advisory went out. */
  | { kind: 'announce'; scope: string; advisoryId: string }
  /** Re-render a delivery's messages; `revision` tells successive refreshes apart. */
  | { kind: 'refresh'; scope: string; deliveryId: string; revision: number }
  /** Re-render a phone task's messages; `revision` tells successive refreshes apart. */
  | { kind: 'refresh-phone'; scope: string; taskId: string; revision: number }
  /** Queue the sync of every delivery behind the advisory's `rev` (a fast path: the reconciler does the same). */
  | { kind: 'sync-advisory'; scope: string; advisoryId: string; rev: number }
  /** Bring one delivery's copies up to the advisory's `rev`: edit them, post follow-ups, stop its ladder. */
  | { kind: 'sync'; scope: string; deliveryId: string; rev: number }
  /** Tell the secretariat the advisory closed (or was withdrawn), with its summary. */
  /**
   * Bring the secretariat's live status card up to date, at `at` (the end of its throttle interval):
   * every change within one interval asks for the same job, so the card is updated once for them all.
   */
  | { kind: 'status-card'; scope: string; advisoryId: string; at: Date }
  /** Update a wave's grouped alert (alert-wave.ts) at `at`, the end of its throttle interval, as the status card. */
  | { kind: 'alert-digest'; scope: string; advisoryId: string; alert: 'escalation' | 'failed'; wave: number; at: Date }
  /** Update the advisory's phone-task board (phone-board.ts) at `at`, the end of its throttle interval, as the status card. */
  | { kind: 'phone-board'; scope: string; advisoryId: string; at: Date }
  /** `closing`: which closing (1, then 2 … after a follow-up asking for acknowledgement reopened it; see closingNumber). */
  | { kind: 'closing'; scope: string; advisoryId: string; closing: number }
  /** Write the advisory's transcript to the archive; `attempt` is archiveFailures, so a retry after a give-up is a new job. */
  | { kind: 'archive'; scope: string; advisoryId: string; attempt: number; closing: number };

export type WorkKind = Work['kind'];

/** Work the store keeps owing until it is done: a finished job whose work is still owed is queued again. */
export const OWED_KINDS: readonly WorkKind[] = ['deliver', 'step', 'failure-alert', 'announce', 'sync', 'closing', 'archive'];

export interface EnsureReport {
  /** Queued now (there was no job). */
  queued: number;
  /** A job was already waiting, delayed or running. */
  pending: number;
  /** A job had finished although the work is still owed (the process stopped before recording it): queued again. */
  restarted: number;
  /** The job used up its attempts: the core decides what follows (a failed delivery, a step given up). */
  gaveUp: { work: Work; reason: string }[];
}

/**
 * What the core asks of the queue. Every call is idempotent: the same work twice is queued once.
 * When the queue cannot be reached the call rejects with QUEUE.UNAVAILABLE within a bounded time,
 * never hangs: what was stored stays owed, and the reconciler queues it when the queue is back.
 */
export interface JobScheduler {
  /**
   * `fresh`: the caller has just recorded this work (its record changed in this very run, under an id no job has
   * had): it is added without first looking for a job of the same id, one round trip less on the hot path. Were
   * there one after all, the queue would ignore the add; the reconciler, which always looks, queues it again.
   */
  ensure(work: Work[], options?: { fresh?: boolean }): Promise<EnsureReport>;
  /** Clean-up only (the store decides what runs): drop a waiting or delayed job for this work. */
  drop(work: Work): Promise<void>;
}
