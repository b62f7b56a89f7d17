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
}
