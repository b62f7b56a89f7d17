import { advisoryScope, type Advisory } from '../domain/advisory.js';
import { isWithdrawn, markSynced } from '../domain/advisory-lifecycle.js';
import { endLadder, markFollowUpPosted, markSyncedTo, type Delivery } from '../domain/delivery.js';
import type { MessageRef } from '../domain/platform.js';
import { BotError } from '../errors.js';
import type { Work } from '../ports/jobs.js';
import { transitionAdvisory } from './advisory-cas.js';
import type { CoreDeps } from './deps.js';
import { transitionDelivery } from './delivery-cas.js';
import { dropQuietly, enqueue } from './enqueue.js';
import { LOOKBACK_MS, stepWork } from './ladder.js';
import { loadDelivery } from './load.js';
import { endPhoneTask } from './phone-task-end.js';
import { postOnceLedgered } from './post-once.js';
import { lifecycleWork } from './lifecycle.js';
import { reconcileThreads } from './thread-reconcile.js';
import { viewOfDelivery } from './views.js';
import { followUpView } from './followup-view.js';
import { enterRound, threadable } from './round.js';

export type SyncOutcome = 'synced' | 'already' | 'waiting';

/**
 * A delivery is behind when its copies show an earlier syncRev than the advisory's. A copy not yet
 * posted is behind too (its follow-ups are still to go in its thread), but the deliver job posts it
 * first: only then is its sync queued.
 */
function isBehind(advisory: Advisory, d: Delivery): boolean {
  return d.state !== 'cancelled' && (d.syncedRev ?? 0) < (advisory.syncRev ?? 0);
}

function syncReady(advisory: Advisory, d: Delivery): boolean {
  return d.state !== 'queued' || isWithdrawn(advisory);
}

export function syncWork(advisory: Advisory, d: Delivery): Work {
  return { kind: 'sync', scope: advisoryScope(advisory), deliveryId: d.id, rev: advisory.syncRev ?? 0 };
}

/**
 * Queue the sync of every delivery behind the advisory; when none is behind, the advisory stops
 * owing it. Run by the advisory's sync job and by every reconciler pass (so a lost job loses nothing).
 * Returns how many deliveries are still behind.
 */
export async function syncAdvisory(deps: CoreDeps, advisoryId: string): Promise<number> {
  const advisory = await deps.store.getAdvisory(advisoryId);
  if (!advisory) throw new BotError('ADVISORY.NOT_FOUND', 'advisory not found', { advisoryId });
  if (!advisory.syncing) return 0;
  const behind = (await deps.store.listDeliveries(advisoryId)).filter((d) => isBehind(advisory, d));
  if (behind.length === 0) {
    // Another change may have moved syncRev on meanwhile: then markSynced refuses and it stays owed.
    const t = await transitionAdvisory(deps.store, advisoryId, (a) => markSynced(a, advisory.syncRev ?? 0));
    // Settled: an ended advisory's transcript is next.
    if (t.changed) await enqueue(deps, lifecycleWork(t.next));
    return 0;
  }
  await enqueue(deps, behind.filter((d) => syncReady(advisory, d)).map((d) => syncWork(advisory, d)));
  return behind.length;
}

/**
 * Bring one delivery's copies up to the advisory's syncRev, in this order: stop its ladder (closed
 * or withdrawn), edit its copies (a correction, the withdrawal, a copy the new TLP no longer allows),
 * post each follow-up in its thread, then record the syncRev it shows. Each effect is safe to
 * repeat: edits render the stored state, follow-ups find their earlier post by key.
 */
export async function syncDelivery(deps: CoreDeps, deliveryId: string): Promise<SyncOutcome> {
  const loaded = await loadDelivery(deps, deliveryId);
  const advisory = loaded.advisory;
  let delivery = loaded.delivery;
  const rev = advisory.syncRev ?? 0;
  if (!isBehind(advisory, delivery)) return 'already';
  if (!syncReady(advisory, delivery)) return 'waiting';

  if (advisory.state === 'closed') delivery = await stopLadder(deps, advisory, delivery);

  if (delivery.state !== 'cancelled') {
    const chat = deps.chats[delivery.channel.platform];
    if (!chat) throw new BotError('CHAT.UNAVAILABLE', 'no chat adapter for this delivery', { deliveryId, platform: delivery.channel.platform });
    if ((delivery.syncedRev ?? 0) < (advisory.copyRev ?? 0) && delivery.messages.length > 0) {
      const view = await viewOfDelivery(deps, delivery, advisory);
      for (const ref of delivery.messages) await chat.update(ref, { kind: 'advisory', view }, delivery.id);
    }
    if (!isWithdrawn(advisory)) delivery = await postFollowUps(deps, advisory, delivery);
    // A follow-up asking for acknowledgement is in the thread now: the member's new round begins.
    delivery = await enterRound(deps, advisory, delivery);
    // Ended: catch what the thread events missed before the transcript is written.
    if (advisory.state === 'closed') await reconcileThreads(deps, chat, advisory, delivery);
  }

  const t = await transitionDelivery(deps.store, delivery.id, (d) => markSyncedTo(d, rev, deps.clock.now()));
  if (t.changed) {
    await deps.store.appendAudit({
      id: `${delivery.id}.synced.${advisoryScope(advisory)}.r${rev}`,
      at: deps.clock.now().toISOString(),
      action: 'delivery.synced',
      advisoryId: advisory.id,
      deliveryId: delivery.id,
      detail: { rev, state: t.next.state, followups: (t.next.followups ?? []).map((f) => f.n) },
    });
  }
  return 'synced';
}

/** Closed or withdrawn: no more steps, the pending step's job dropped, the phone task ended. */
async function stopLadder(deps: CoreDeps, advisory: Advisory, delivery: Delivery): Promise<Delivery> {
  let before: Delivery = delivery;
  const t = await transitionDelivery(deps.store, delivery.id, (d) => {
    before = d;
    return endLadder(d, isWithdrawn(advisory), deps.clock.now());
  });
  if (t.changed && before.nextStep) await dropQuietly(deps, stepWork(before, before.nextStep));
  await endPhoneTask(deps, advisory, delivery.id);
  return t.changed ? t.next : t.current;
}

/**
 * Each follow-up not yet in this delivery's thread, in order. TLP:RED copies are direct messages:
 * the follow-up goes into each of them. A copy the TLP no longer allows gets none.
 */
async function postFollowUps(deps: CoreDeps, advisory: Advisory, delivery: Delivery): Promise<Delivery> {
  const chat = deps.chats[delivery.channel.platform];
  if (!chat || !threadable(advisory, delivery)) return delivery;
  const channelCopy = delivery.messages[0]?.channelId === delivery.channel.channelId;
  let current = delivery;
  const since = new Date(new Date(advisory.issuedAt).getTime() - LOOKBACK_MS);
  for (const f of advisory.followups ?? []) {
    if ((current.followups ?? []).some((p) => p.n === f.n)) continue;
    const refs: MessageRef[] = [];
    for (const root of delivery.messages) {
      const view = followUpView(advisory, current, f, channelCopy ? 'channel' : 'direct');
      const target = { workspaceId: delivery.channel.workspaceId, channelId: root.channelId, threadOf: root };
      const posted = await postOnceLedgered(deps, chat, target, { kind: 'followup', view }, `${delivery.id}.followup.${f.n}.${root.channelId}`, since);
      refs.push(posted.ref);
    }
    const t = await transitionDelivery(deps.store, delivery.id, (d) => markFollowUpPosted(d, f.n, refs, deps.clock.now()));
    current = t.changed ? t.next : t.current;
  }
  return current;
}
