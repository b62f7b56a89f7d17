import type { JobsOptions } from 'bullmq';

/** Queue names. Workers for one queue may run in many processes; BullMQ shares the work. */
export const QUEUE = {
  deliver: 'deliver',
  refresh: 'refresh',
  notify: 'notify',
} as const;

/**
 * Job ids are deterministic so the same work is scheduled once however often it is asked for.
 * BullMQ forbids ':' in custom ids and treats all-digit ids as its own; ours always start with a word.
 */
export const jobId = {
  deliver: (deliveryId: string) => `deliver.${deliveryId}`,
  refresh: (deliveryId: string, revision: number) => `refresh.${deliveryId}.r${revision}`,
  alertFailed: (deliveryId: string) => `alert-failed.${deliveryId}`,
  announce: (advisoryId: string) => `announce.${advisoryId}`,
};

export type NotifyJob = { kind: 'delivery_failed'; deliveryId: string } | { kind: 'advisory_issued'; advisoryId: string };

/** Transient failures retry with exponential backoff: 2 s, 4 s, 8 s … about 17 minutes in all. */
export const RETRYING: JobsOptions = {
  attempts: 10,
  backoff: { type: 'exponential', delay: 2_000 },
  removeOnComplete: { age: 7 * 24 * 3600, count: 10_000 },
  removeOnFail: { age: 30 * 24 * 3600 },
};

export function assertJobId(id: string): string {
  if (id.includes(':') || /^\d+$/.test(id)) throw new Error(`invalid BullMQ job id: ${id}`);
  return id;
}
