import type { JobsOptions } from 'bullmq';
import type { StepKind } from '../src/domain/escalation.js';

/** Queue names. Workers for one queue may run in many processes; BullMQ shares the work. */
export const QUEUE = {
  deliver: 'deliver',
  refresh: 'refresh',
  notify: 'notify',
  escalate: 'escalate',
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
  /** The token is in the id: a rotated token starts a new ladder whose jobs cannot collide with the old one's. */
  escalate: (deliveryId: string, token: string, key: string, now = false) => `esc.${deliveryId}.${token}.${key}${now ? '.now' : ''}`,
  refreshPhone: (taskId: string, revision: number) => `refresh-phone.${taskId}.r${revision}`,
};

export interface EscalateJob {
  deliveryId: string;
  token: string;
  kind: StepKind;
  index: number;
}

export type NotifyJob = { kind: 'delivery_failed'; deliveryId: string } | { kind: 'advisory_issued'; advisoryId: string };

/** Transient failures retry with exponential backoff and jitter: about 2 s, 4 s, 8 s … some 17 minutes in all. */
export const RETRYING: JobsOptions = {
  attempts: 10,
  // Jitter spreads retries of many throttled conversations so they do not return in lockstep.
  backoff: { type: 'exponential', delay: 2_000, jitter: 0.5 },
  removeOnComplete: { age: 7 * 24 * 3600, count: 10_000 },
  removeOnFail: { age: 30 * 24 * 3600 },
};

export function assertJobId(id: string): string {
  if (id.includes(':') || /^\d+$/.test(id)) throw new Error(`invalid BullMQ job id: ${id}`);
  return id;
}
