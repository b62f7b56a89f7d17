import type { StepKind } from '../domain/escalation.js';

/**
 * Work the core hands to the workflows to do later, outside the request that caused it.
 * Each call is idempotent: the same arguments twice schedule the work once.
 */
export interface JobScheduler {
  /** Post these deliveries. */
  deliver(deliveryIds: string[]): Promise<void>;
  /** Re-render the delivery's messages; `revision` distinguishes successive refreshes. */
  refreshMessages(deliveryId: string, revision: number): Promise<void>;
  /** Tell the secretariat a delivery failed. */
  alertDeliveryFailed(deliveryId: string): Promise<void>;
  /** Confirm to the secretariat channel that an advisory went out. */
  announceIssued(advisoryId: string): Promise<void>;
  /**
   * Run one ladder step at `at` (or at once if past), under the delivery's escalation token.
   * `now: true` brings a step forward (every contact already tried): it is a separate job from the
   * one the ladder scheduled, and the store's step ledger lets only one of them take effect.
   */
  scheduleEscalation(step: { deliveryId: string; token: string; kind: StepKind; index: number; at: Date; now?: boolean }): Promise<void>;
  /** Clean-up only (the rotated token is what stops a ladder): drop the pending steps of a stale token. */
  dropEscalation(deliveryId: string, token: string, steps: { kind: StepKind; index: number }[]): Promise<void>;
  /** Re-render a phone task's messages; `revision` distinguishes successive refreshes. */
  refreshPhoneTask(taskId: string, revision: number): Promise<void>;
}
