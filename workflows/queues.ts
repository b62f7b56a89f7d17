import type { JobsOptions } from 'bullmq';
import { stepKey, type StepKind } from '../src/domain/escalation.js';
import type { Work } from '../src/ports/jobs.js';

/** Queue names. Workers for one queue may run in many processes; BullMQ shares the work. */
export const QUEUE = {
  deliver: 'deliver',
  refresh: 'refresh',
  notify: 'notify',
  escalate: 'escalate',
} as const;
export type QueueName = (typeof QUEUE)[keyof typeof QUEUE];

export interface DeliverJob {
  scope: string;
  deliveryId: string;
}

export interface EscalateJob {
  deliveryId: string;
  token: string;
  kind: StepKind;
  index: number;
}

export type NotifyJob =
  | { kind: 'delivery_failed'; scope: string; deliveryId: string }
  | { kind: 'advisory_issued'; scope: string; advisoryId: string }
  | { kind: 'advisory_closed'; scope: string; advisoryId: string; closing?: number }
  | { kind: 'archive'; scope: string; advisoryId: string; attempt: number; closing?: number }
  | { kind: 'sync_advisory'; scope: string; advisoryId: string; rev: number };

export type RefreshJob =
  | { scope: string; deliveryId: string; revision: number }
  | { scope: string; taskId: string; revision: number }
  /** A sync (correction, withdrawal, follow-up, ladder stop) rather than a re-render after a press. */
  | { scope: string; deliveryId: string; sync: number }
  /** The live status card, as of the end of the throttle interval `statusCard` (ms since the epoch). */
  | { scope: string; advisoryId: string; statusCard: number }
  /** The advisory's phone-task board, as of the end of the throttle interval `board`. */
  | { scope: string; advisoryId: string; board: number }
  /** A wave's grouped alert, as of the end of the throttle interval `digest`. */
  | { scope: string; advisoryId: string; alert: 'escalation' | 'failed'; wave: number; digest: number };

/**
 * How one piece of work becomes one job. The id is deterministic, so the same work is queued once
 * however often it is asked for; it carries the advisory's scope (or the ladder's random token), so
 * no two stores' work can share an id (BullMQ silently ignores an add whose id exists).
 * BullMQ forbids ':' in custom ids and treats all-digit ids as its own; ours always start with a word.
 */
export interface JobSpec {
  queue: QueueName;
  name: string;
  id: string;
  data: DeliverJob | EscalateJob | NotifyJob | RefreshJob;
  /** Run no earlier than this (ladder steps). */
  at?: Date;
}

/** The first closing keeps the id it always had; a later one (the advisory reopened) adds its number. */
const closingSuffix = (closing: number): string => (closing > 1 ? `.c${closing}` : '');

export function jobSpec(work: Work): JobSpec {
  switch (work.kind) {
    case 'deliver':
      return { queue: QUEUE.deliver, name: 'deliver', id: `deliver.${work.scope}.${work.deliveryId}`, data: { scope: work.scope, deliveryId: work.deliveryId } };
    case 'step': {
      const data: EscalateJob = { deliveryId: work.deliveryId, token: work.token, kind: work.step, index: work.index };
      // The token is in the id: a rotated token starts a new ladder whose jobs cannot collide with the old one's.
      return { queue: QUEUE.escalate, name: work.step, id: `esc.${work.deliveryId}.${work.token}.${stepKey(data)}`, data, at: work.at };
    }
    case 'failure-alert':
      return {
        queue: QUEUE.notify,
        name: 'notify',
        id: `alert-failed.${work.scope}.${work.deliveryId}`,
        data: { kind: 'delivery_failed', scope: work.scope, deliveryId: work.deliveryId },
      };
    case 'announce':
      return {
        queue: QUEUE.notify,
        name: 'notify',
        id: `announce.${work.scope}.${work.advisoryId}`,
        data: { kind: 'advisory_issued', scope: work.scope, advisoryId: work.advisoryId },
      };
    case 'refresh':
      return {
        queue: QUEUE.refresh,
        name: 'refresh',
        id: `refresh.${work.scope}.${work.deliveryId}.r${work.revision}`,
        data: { scope: work.scope, deliveryId: work.deliveryId, revision: work.revision },
      };
    case 'refresh-phone':
      return {
        queue: QUEUE.refresh,
        name: 'phone',
        id: `refresh-phone.${work.scope}.${work.taskId}.r${work.revision}`,
        data: { scope: work.scope, taskId: work.taskId, revision: work.revision },
      };
    case 'status-card':
      // The interval's end is in the id: every change within it is the same job (coalesced), and the
      // next interval's is a new one (BullMQ ignores an id it still holds, even a finished job's).
      return {
        queue: QUEUE.refresh,
        name: 'status-card',
        id: `status-card.${work.scope}.${work.advisoryId}.t${work.at.getTime()}`,
        data: { scope: work.scope, advisoryId: work.advisoryId, statusCard: work.at.getTime() },
        at: work.at,
      };
    case 'phone-board':
      return {
        queue: QUEUE.refresh,
        name: 'phone-board',
        id: `phone-board.${work.scope}.${work.advisoryId}.t${work.at.getTime()}`,
        data: { scope: work.scope, advisoryId: work.advisoryId, board: work.at.getTime() },
        at: work.at,
      };
    case 'alert-digest':
      return {
        queue: QUEUE.refresh,
        name: 'alert-digest',
        id: `alert-digest.${work.scope}.${work.advisoryId}.${work.alert}.w${work.wave}.t${work.at.getTime()}`,
        data: { scope: work.scope, advisoryId: work.advisoryId, alert: work.alert, wave: work.wave, digest: work.at.getTime() },
        at: work.at,
      };
    case 'sync':
      return {
        queue: QUEUE.refresh,
        name: 'sync',
        id: `sync.${work.scope}.${work.deliveryId}.v${work.rev}`,
        data: { scope: work.scope, deliveryId: work.deliveryId, sync: work.rev },
      };
    case 'sync-advisory':
      return {
        queue: QUEUE.notify,
        name: 'sync-advisory',
        id: `sync-advisory.${work.scope}.${work.advisoryId}.v${work.rev}`,
        data: { kind: 'sync_advisory', scope: work.scope, advisoryId: work.advisoryId, rev: work.rev },
      };
    case 'archive':
      return {
        queue: QUEUE.notify,
        name: 'archive',
        // A reopened advisory closes again: its transcript is written again, under a new id.
        id: `archive.${work.scope}.${work.advisoryId}${closingSuffix(work.closing)}.a${work.attempt}`,
        data: { kind: 'archive', scope: work.scope, advisoryId: work.advisoryId, attempt: work.attempt, closing: work.closing },
      };
    case 'closing':
      return {
        queue: QUEUE.notify,
        name: 'notify',
        id: `closing.${work.scope}.${work.advisoryId}${closingSuffix(work.closing)}`,
        data: { kind: 'advisory_closed', scope: work.scope, advisoryId: work.advisoryId, closing: work.closing },
      };
  }
}

/** The work a job does, read back from its queue and data (for the give-up path); null for data this release never wrote. */
export function workOf(queue: string, data: unknown): Work | null {
  const d = (data ?? {}) as Record<string, unknown>;
  const str = (k: string) => (typeof d[k] === 'string' ? (d[k] as string) : undefined);
  const num = (k: string) => (typeof d[k] === 'number' ? (d[k] as number) : undefined);
  const scope = str('scope');
  switch (queue) {
    case QUEUE.deliver: {
      const deliveryId = str('deliveryId');
      return scope && deliveryId ? { kind: 'deliver', scope, deliveryId } : null;
    }
    case QUEUE.escalate: {
      const deliveryId = str('deliveryId');
      const token = str('token');
      const kind = str('kind') as StepKind | undefined;
      const index = num('index');
      if (!deliveryId || !token || !kind || index === undefined) return null;
      return { kind: 'step', deliveryId, token, step: kind, index, at: new Date(0) };
    }
    case QUEUE.notify: {
      if (!scope) return null;
      if (d['kind'] === 'delivery_failed' && str('deliveryId')) return { kind: 'failure-alert', scope, deliveryId: str('deliveryId') as string };
      if (d['kind'] === 'advisory_issued' && str('advisoryId')) return { kind: 'announce', scope, advisoryId: str('advisoryId') as string };
      // Jobs queued before advisories could reopen carry no closing number: theirs was the first.
      if (d['kind'] === 'advisory_closed' && str('advisoryId')) return { kind: 'closing', scope, advisoryId: str('advisoryId') as string, closing: num('closing') ?? 1 };
      if (d['kind'] === 'archive' && str('advisoryId') && num('attempt') !== undefined) {
        return { kind: 'archive', scope, advisoryId: str('advisoryId') as string, attempt: num('attempt') as number, closing: num('closing') ?? 1 };
      }
      if (d['kind'] === 'sync_advisory' && str('advisoryId') && num('rev') !== undefined) {
        return { kind: 'sync-advisory', scope, advisoryId: str('advisoryId') as string, rev: num('rev') as number };
      }
      return null;
    }
    case QUEUE.refresh: {
      const digest = num('digest');
      const alert = str('alert');
      if (scope && digest !== undefined && str('advisoryId') && (alert === 'escalation' || alert === 'failed') && num('wave') !== undefined) {
        return { kind: 'alert-digest', scope, advisoryId: str('advisoryId') as string, alert, wave: num('wave') as number, at: new Date(digest) };
      }
      const board = num('board');
      if (scope && board !== undefined && str('advisoryId')) return { kind: 'phone-board', scope, advisoryId: str('advisoryId') as string, at: new Date(board) };
      const card = num('statusCard');
      if (scope && card !== undefined && str('advisoryId')) return { kind: 'status-card', scope, advisoryId: str('advisoryId') as string, at: new Date(card) };
      const sync = num('sync');
      if (scope && sync !== undefined && str('deliveryId')) return { kind: 'sync', scope, deliveryId: str('deliveryId') as string, rev: sync };
      const revision = num('revision');
      if (!scope || revision === undefined) return null;
      if (str('taskId')) return { kind: 'refresh-phone', scope, taskId: str('taskId') as string, revision };
      if (str('deliveryId')) return { kind: 'refresh', scope, deliveryId: str('deliveryId') as string, revision };
      return null;
    }
    default:
      return null;
  }
}

export interface RetrySettings {
  attempts: number;
  /** The first back-off; it doubles on each retry. */
  backoffMs: number;
}

/** By default transient failures retry 10 times from 2 s, doubling, with jitter: some 17 minutes in all. */
export const DEFAULT_RETRY: RetrySettings = { attempts: 10, backoffMs: 2_000 };

export function retrying(settings: RetrySettings = DEFAULT_RETRY): JobsOptions {
  return {
    attempts: settings.attempts,
    // Jitter spreads retries of many throttled conversations so they do not return in lockstep.
    backoff: { type: 'exponential', delay: settings.backoffMs, jitter: 0.5 },
    // Finished jobs are kept a while: the reconciler tells a job that gave up from one never queued.
    removeOnComplete: { age: 7 * 24 * 3600, count: 10_000 },
    removeOnFail: { age: 30 * 24 * 3600 },
  };
}

export function assertJobId(id: string): string {
  if (id.includes(':') || /^\d+$/.test(id)) throw new Error(`invalid BullMQ job id: ${id}`);
  return id;
}
