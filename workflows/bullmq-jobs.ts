import { Queue, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { realMsUntil, type Clock } from '../src/clock.js';
import { BotError } from '../src/errors.js';
import type { Logger } from '../src/log.js';
import { OWED_KINDS, type EnsureReport, type JobScheduler, type Work } from '../src/ports/jobs.js';
import { DEFAULT_RETRY, QUEUE, assertJobId, jobSpec, retrying, type JobSpec, type QueueName, type RetrySettings } from './queues.js';
import { isConnectionError, type RedisHealth } from './redis-health.js';

/** How long a call may wait for Redis before the person at the edge is answered anyway. */
export const QUEUE_TIMEOUT_MS = 2_000;

/** A delayed job due this much later than asked is brought forward; less is clock noise. */
const BRING_FORWARD_SLACK_MS = 1_000;

/**
 * A status card's (or another edit's) job due this soon that this process has just seen in Redis (or added) is not
 * looked up again before it is due: every delivery of a fan-out asks for the same status-card job of the interval,
 * and each lookup was a round trip. Never work the store owes (a ladder step): a job lost with Redis's data must be
 * queued again by the next reconciliation, not seconds later.
 */
const SEEN_HORIZON_MS = 30_000;

/** Flat job data compared by value: the same id must always mean the same work. */
function sameData(a: unknown, b: unknown): boolean {
  const canon = (v: unknown) => JSON.stringify(Object.entries((v ?? {}) as Record<string, unknown>).sort(([x], [y]) => x.localeCompare(y)));
  return canon(a) === canon(b);
}

/**
 * The core's JobScheduler on BullMQ queues. `ensure` reads what Redis holds for each piece of work
 * before adding, because BullMQ silently ignores an add whose id exists: a job that exists already
 * is left alone, brought forward, queued again (it finished though the store still owes the work),
 * or reported as given up. Every call is bounded by QUEUE_TIMEOUT_MS and fails at once when Redis
 * is known to be down, with QUEUE.UNAVAILABLE.
 */
export class BullmqJobs implements JobScheduler {
  readonly queues: Record<QueueName, Queue>;
  /** Job id → until when (ms, Date.now) it is known to wait in Redis; see SEEN_HORIZON_MS. */
  readonly #seen = new Map<string, number>();

  /** `connection` should fail fast (producerOptions): a hung call here is a person waiting in Slack. */
  constructor(
    connection: Redis,
    prefix: string,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly health?: RedisHealth,
    retry: RetrySettings = DEFAULT_RETRY,
  ) {
    const opts = { connection, prefix, defaultJobOptions: retrying(retry) };
    this.queues = {
      deliver: new Queue(QUEUE.deliver, opts),
      refresh: new Queue(QUEUE.refresh, opts),
      notify: new Queue(QUEUE.notify, opts),
      escalate: new Queue(QUEUE.escalate, opts),
    };
    for (const q of Object.values(this.queues)) {
      q.on('error', (err: Error) => (health ? health.noteError(err, `queue ${q.name}`) : log.error({ queue: q.name, err: err.message }, 'queue error')));
    }
  }

  async ensure(work: Work[], options?: { fresh?: boolean }): Promise<EnsureReport> {
    if (work.length === 0) return { queued: 0, pending: 0, restarted: 0, gaveUp: [] };
    if (options?.fresh) {
      return this.bounded(async () => {
        await this.add(work.map(jobSpec));
        return { queued: work.length, pending: 0, restarted: 0, gaveUp: [] };
      });
    }
    return this.bounded(() => this.ensureNow(work));
  }

  async drop(work: Work): Promise<void> {
    await this.bounded(async () => {
      const spec = jobSpec(work);
      this.#seen.delete(spec.id);
      // One script, one round trip (reading the job and asking its state took up to nine, on every acknowledgement).
      // A running job holds its lock and stays: it finds the record no longer owes it and does nothing.
      await this.queues[spec.queue].remove(spec.id);
    });
  }

  async close(): Promise<void> {
    await Promise.all(Object.values(this.queues).map((q) => q.close()));
  }

  private async ensureNow(all: Work[]): Promise<EnsureReport> {
    const report: EnsureReport = { queued: 0, pending: 0, restarted: 0, gaveUp: [] };
    const now = Date.now();
    const work = all.filter((w) => {
      const spec = jobSpec(w);
      const seenUntil = this.#seen.get(spec.id);
      if (seenUntil === undefined) return true;
      // The edits remembered carry their time in their id (status-card…t<ms>): the same id is the same time.
      if (seenUntil > now) {
        report.pending += 1;
        return false;
      }
      this.#seen.delete(spec.id);
      return true;
    });
    const specs = work.map(jobSpec);
    // One round trip's worth: ioredis writes the reads back to back without waiting for each answer.
    const existing = await Promise.all(specs.map((s) => this.queues[s.queue].getJob(s.id)));
    const toAdd: JobSpec[] = [];
    const added: [Work, JobSpec][] = [];
    for (const [i, spec] of specs.entries()) {
      const job = existing[i];
      const w = work[i] as Work;
      if (!job) {
        toAdd.push(spec);
        added.push([w, spec]);
        report.queued += 1;
        continue;
      }
      const outcome = await this.settleExisting(w, spec, job);
      if (outcome === 'pending') {
        report.pending += 1;
        this.#remember(w, spec);
      }
      else if (outcome === 'requeue') {
        toAdd.push(spec);
        added.push([w, spec]);
        report.restarted += 1;
      } else report.gaveUp.push({ work: w, reason: job.failedReason || 'failed' });
    }
    await this.add(toAdd);
    for (const [w, spec] of added) this.#remember(w, spec);
    return report;
  }

  /** A delayed job due within the horizon is known to wait until it is due (less a second, for clock noise). */
  #remember(w: Work, spec: JobSpec): void {
    if (!spec.at || OWED_KINDS.includes(w.kind)) return;
    // In real milliseconds (the map is read against Date.now): a scaled clock's time is not real time.
    const dueIn = realMsUntil(this.clock, spec.at);
    if (dueIn <= BRING_FORWARD_SLACK_MS || dueIn > SEEN_HORIZON_MS) return;
    const now = Date.now();
    // Now and then forget the ones already due, so the map stays about as small as the work about to run.
    if (this.#seen.size >= 1_000) for (const [id, until] of this.#seen) if (until <= now) this.#seen.delete(id);
    this.#seen.set(spec.id, now + dueIn - BRING_FORWARD_SLACK_MS);
  }

  /** What to do with the job already holding this work's id. */
  private async settleExisting(w: Work, spec: JobSpec, job: Job): Promise<'pending' | 'requeue' | 'gave-up'> {
    if (!sameData(job.data, spec.data)) {
      // Should be impossible (ids carry the advisory's scope): say so loudly and let the store's work win.
      this.log.error({ jobId: spec.id, queue: spec.queue, existing: job.data, wanted: spec.data }, 'job id is taken by different work; replacing it');
      if (await job.isActive()) return 'pending';
      await job.remove();
      return 'requeue';
    }
    if (job.finishedOn) {
      // A one-shot refresh that finished is done; owed work that finished is still owed, so its job
      // stopped before recording it (or the store was restored from before it ran).
      if (!OWED_KINDS.includes(w.kind)) return 'pending';
      if ((await job.getState()) === 'failed') return 'gave-up';
      await job.remove();
      return 'requeue';
    }
    // Only a job that never ran: one that ran and was put back (a 429, a step's lease held by
    // another run) waits for the time it was given, not for the ladder's.
    if (spec.at && (job.attemptsStarted ?? 0) === 0) {
      const due = job.timestamp + (job.delay ?? 0);
      const wanted = Date.now() + Math.round(realMsUntil(this.clock, spec.at));
      // An alert brought forward (every contact tried) must not wait for the ladder's later time.
      // The state is asked only then: a reconciliation pass over many ladders costs no extra round trips.
      if (due > wanted + BRING_FORWARD_SLACK_MS && (await job.isDelayed())) {
        if (wanted <= Date.now()) await job.promote();
        else await job.changeDelay(wanted - Date.now());
      }
    }
    return 'pending';
  }

  private async add(specs: JobSpec[]): Promise<void> {
    const byQueue = new Map<QueueName, JobSpec[]>();
    for (const s of specs) byQueue.set(s.queue, [...(byQueue.get(s.queue) ?? []), s]);
    for (const [queue, list] of byQueue) {
      await this.queues[queue].addBulk(
        list.map((s) => ({
          name: s.name,
          data: s.data,
          opts: {
            jobId: assertJobId(s.id),
            // BullMQ waits real milliseconds; the clock says how many until it reads the job's time (sim/ runs it faster).
            ...(s.at ? { delay: Math.max(0, Math.round(realMsUntil(this.clock, s.at))) } : {}),
          },
        })),
      );
    }
  }

  /** Never hang a person's request on Redis: answer within QUEUE_TIMEOUT_MS either way. */
  private async bounded<T>(work: () => Promise<T>): Promise<T> {
    if (this.health && !this.health.up) throw unavailable(this.health.lastError ?? 'redis is down');
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(unavailable(`no answer from Redis within ${QUEUE_TIMEOUT_MS} ms`)), QUEUE_TIMEOUT_MS);
    });
    const running = work();
    // Past the deadline nobody awaits it any more; its late failure must not become an unhandled rejection.
    running.catch(() => undefined);
    try {
      return await Promise.race([running, timeout]);
    } catch (err) {
      if (err instanceof Error && !(err instanceof BotError) && isConnectionError(err)) throw unavailable(err.message, err);
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }
}

function unavailable(reason: string, cause?: unknown): BotError {
  return new BotError('QUEUE.UNAVAILABLE', 'the job queue cannot be reached', { reason }, cause === undefined ? undefined : { cause });
}
