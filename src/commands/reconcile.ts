import { advisoryScope, type Advisory } from '../domain/advisory.js';
import { owesWork, reindex, setNextStep, type Delivery } from '../domain/delivery.js';
import type { EnsureReport, Work } from '../ports/jobs.js';
import type { CoreDeps } from './deps.js';
import { transitionDelivery } from './delivery-cas.js';
import { giveUp } from './give-up.js';
import { closesAt } from '../domain/advisory-lifecycle.js';
import { closeAdvisoryBySystem, lifecycleWork } from './lifecycle.js';
import { syncAdvisory } from './sync.js';
import { derivedNextStep, owedWork } from './ladder.js';
import { touchStatusCard } from './status-card.js';
import { phoneBoardWork } from './phone-board.js';
import { enqueue } from './enqueue.js';

/** Deliveries read per store round trip, and jobs checked per queue round trip. */
const PAGE = 500;

export interface ReconcileReport {
  /** Pieces of work the store says are owed. */
  owed: number;
  /** Of those, queued now because Redis had no job for them (lost data, a fresh Redis, a crash before the enqueue). */
  queued: number;
  /** Queued again because their job had finished without the work being recorded. */
  restarted: number;
  /** Jobs that had used up their attempts: handed to the give-up path. */
  gaveUp: number;
  /** Owed records that could not be worked on (their advisory is missing): logged each time. */
  orphaned: number;
}

/**
 * Make the queue match the store. The store is the truth of what is owed to each member; Redis
 * holds only jobs that can be made again from it. Runs at start-up, periodically, and when Redis
 * comes back. Queuing work that is already queued changes nothing (deterministic job ids), and a
 * step that runs twice takes effect once (the step ledger), so running this needlessly is harmless.
 * Each delivery has at most one ladder step owed at a time, so overdue steps run in ladder order.
 */
export async function reconcile(deps: CoreDeps): Promise<ReconcileReport> {
  const report: ReconcileReport = { owed: 0, queued: 0, restarted: 0, gaveUp: 0, orphaned: 0 };
  const advisories = new Map<string, Advisory | null>();
  const advisoryOf = async (id: string) => {
    if (!advisories.has(id)) advisories.set(id, await deps.store.getAdvisory(id));
    return advisories.get(id) ?? null;
  };

  let after: string | undefined;
  do {
    const page = await deps.store.listOwedDeliveries({ after, limit: PAGE });
    const work: Work[] = [];
    for (const stored of page.deliveries) {
      const advisory = await advisoryOf(stored.advisoryId);
      if (!advisory) {
        report.orphaned += 1;
        deps.log.error({ deliveryId: stored.id, advisoryId: stored.advisoryId }, 'a delivery owes work but its advisory is missing from the store');
        continue;
      }
      const delivery = await settle(deps, advisory, stored);
      work.push(...owedWork(advisory, delivery));
    }
    await ensure(deps, work, report);
    after = page.next;
  } while (after !== undefined);

  const announce: Work[] = [];
  for (const advisory of await deps.store.listUnannouncedAdvisories()) {
    announce.push({ kind: 'announce', scope: advisoryScope(advisory), advisoryId: advisory.id });
  }
  await ensure(deps, announce, report);
  await ensure(deps, await advisoryWork(deps), report);

  if (report.queued + report.restarted + report.gaveUp > 0) {
    deps.log.warn({ ...report }, 'reconciled the queue with the store: work the queue had lost is queued again');
  } else {
    deps.log.debug({ ...report }, 'reconciled: the queue matches the store');
  }
  return report;
}

/**
 * What each advisory still owes as a whole: closing when everyone has acknowledged or its time is
 * up, the sync of every delivery behind it (queued here, not through a job that could be lost), and
 * the closing summary. One advisory's trouble does not stop the others.
 */
async function advisoryWork(deps: CoreDeps): Promise<Work[]> {
  const work: Work[] = [];
  const now = deps.clock.now();
  for (const listed of await deps.store.listAdvisoriesOwingWork()) {
    try {
      let closed = false;
      if (listed.state === 'open') {
        if (now.getTime() >= closesAt(listed, deps.settings.closeAfterDeadlineSeconds).getTime()) {
          closed = await closeAdvisoryBySystem(deps, listed.id, 'expired');
        } else if (!(await deps.store.anyUnacknowledged(listed.id, listed.round ?? 1))) {
          closed = await closeAdvisoryBySystem(deps, listed.id, 'all_acknowledged');
        }
      }
      const advisory = closed ? await deps.store.getAdvisory(listed.id) : listed;
      if (!advisory) continue;
      // The syncs are queued here, from the store, not through a job that could be lost.
      if (advisory.syncing) await syncAdvisory(deps, advisory.id);
      work.push(...lifecycleWork(advisory).filter((w) => w.kind !== 'sync-advisory'));
      // While it is open, its status card is brought up to date every pass: an update lost with Redis is
      // redone. Not counted as lost work: it is asked for whether or not anything was lost.
      if (advisory.state === 'open') {
        await touchStatusCard(deps, advisory);
        // The phone-task board likewise: a page whose post or edit was lost with Redis (or with a process that died
        // holding its lease) is drawn again from the store's tasks, and a claim's lost hand-off is redone.
        if ((await deps.store.listPhoneTasks(advisory.id)).length > 0) await enqueue(deps, [phoneBoardWork(deps, advisory)]);
      }
    } catch (err) {
      deps.log.error({ advisoryId: listed.id, err }, 'could not reconcile an advisory; the next pass tries again');
    }
  }
  return work;
}

/**
 * A record the store lists as owing work but that does not say what (written by an earlier
 * release, before `nextStep`): work it out from the ladder and store it; if nothing is owed after
 * all, save it once so the store stops listing it.
 */
async function settle(deps: CoreDeps, advisory: Advisory, delivery: Delivery): Promise<Delivery> {
  if (owesWork(delivery)) return delivery;
  const next = derivedNextStep(deps, advisory, delivery);
  const t = await transitionDelivery(deps.store, delivery.id, (d) => {
    if (owesWork(d)) return { changed: false, reason: 'already', current: d };
    return next ? setNextStep(d, next, deps.clock.now()) : reindex(d, deps.clock.now());
  });
  return t.changed ? t.next : t.current;
}

async function ensure(deps: CoreDeps, work: Work[], report: ReconcileReport): Promise<void> {
  for (let i = 0; i < work.length; i += PAGE) {
    const chunk = work.slice(i, i + PAGE);
    const r: EnsureReport = await deps.jobs.ensure(chunk);
    report.owed += chunk.length;
    report.queued += r.queued;
    report.restarted += r.restarted;
    report.gaveUp += r.gaveUp.length;
    for (const g of r.gaveUp) {
      try {
        await giveUp(deps, g.work, g.reason);
      } catch (err) {
        // One record's trouble must not stop the others; the next pass tries it again.
        deps.log.error({ work: g.work, err }, 'could not settle work whose job gave up');
      }
    }
  }
}
