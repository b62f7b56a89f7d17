import { randomUUID } from 'node:crypto';
import { markFailureAlerted, markSyncedTo } from '../domain/delivery.js';
import { advisoryScope } from '../domain/advisory.js';
import { markTold } from './closing.js';
import { archiveGaveUp } from './archive.js';
import { isOwedStep } from '../domain/delivery.js';
import type { Work } from '../ports/jobs.js';
import { isBotError } from '../errors.js';
import type { CoreDeps } from './deps.js';
import { fail, RETRIES_EXHAUSTED } from './deliver.js';
import { transitionDelivery } from './delivery-cas.js';
import { advance, stepRefOf, type StepRequest } from './escalate.js';
import { loadDelivery } from './load.js';
import { toSecretariat } from './to-secretariat.js';
import { BT } from '../i18n/board-text.js';
import { isOpenTask } from '../domain/phone-task.js';

/**
 * A job used up its attempts (or could never succeed). Nothing may end silently: what the record
 * owed becomes a failure the secretariat hears of, and the member's ladder goes on. Idempotent:
 * the workers call it when the job fails for the last time, and the reconciler again when it
 * finds the failed job and the work still owed (the first call may have been cut short).
 */
export async function giveUp(deps: CoreDeps, work: Work, reason: string): Promise<void> {
  try {
    await settle(deps, work, reason);
  } catch (err) {
    // A job for a record this store does not hold (an earlier store's job on the same Redis): nothing is owed.
    if (isBotError(err, 'DELIVERY.NOT_FOUND') || isBotError(err, 'ADVISORY.NOT_FOUND')) {
      deps.log.warn({ work, reason }, 'a job gave up for a record this store does not have; nothing is owed');
      return;
    }
    throw err;
  }
}

async function settle(deps: CoreDeps, work: Work, reason: string): Promise<void> {
  switch (work.kind) {
    case 'deliver':
      return deliveryGaveUp(deps, work.deliveryId, reason);
    case 'step':
      return stepGaveUp(deps, { deliveryId: work.deliveryId, token: work.token, kind: work.step, index: work.index }, reason);
    case 'failure-alert':
      return failureAlertGaveUp(deps, work.deliveryId, reason);
    case 'announce':
      return announceGaveUp(deps, work.advisoryId, reason);
    case 'sync':
      return syncGaveUp(deps, work.deliveryId, reason);
    case 'closing':
      return closingGaveUp(deps, work.advisoryId, reason);
    case 'archive':
      return archiveGaveUp(deps, work.advisoryId, reason);
    case 'sync-advisory':
      // Only a fast path: every reconciler pass queues the same syncs from the store.
      deps.log.warn({ work, reason }, 'queuing an advisory\'s syncs gave up; the reconciler queues them on its next pass');
      return;
    case 'phone-board':
      return boardGaveUp(deps, work.advisoryId, reason);
    case 'refresh':
    case 'refresh-phone':
    case 'status-card':
    case 'alert-digest':
      // The state is stored and shown in status; only the message in the channel stays as it was.
      deps.log.warn({ work, reason }, 'a message could not be updated after every attempt; the stored state is unaffected');
      return;
  }
}

/**
 * The phone-task board could not be posted or updated in the on-call channel after every attempt: the on-call desk
 * may not see whom to call, so the secretariat hears of it (once per advisory: the step ledger keeps the telling) and
 * can work from /advisory status meanwhile. Every task stays open in the store; the next refresh tries again.
 */
async function boardGaveUp(deps: CoreDeps, advisoryId: string, reason: string): Promise<void> {
  const advisory = await deps.store.getAdvisory(advisoryId);
  if (!advisory) return;
  const open = (await deps.store.listPhoneTasks(advisoryId)).filter(isOpenTask).length;
  const context = { advisoryId, open, reason };
  if (open === 0) {
    deps.log.warn(context, 'the phone-task board could not be updated after every attempt; no task is open');
    return;
  }
  const now = deps.clock.now();
  const ref = { deliveryId: `${advisoryId}.board`, token: advisoryScope(advisory), key: 'gave-up' };
  const owner = `give-up.${randomUUID()}`;
  const claim = await deps.store.claimStep(ref, { owner, at: now.toISOString(), until: new Date(now.getTime() + deps.settings.stepLeaseMs).toISOString() });
  if (claim.outcome === 'done' || claim.outcome === 'busy') return;
  deps.log.error(context, 'the phone-task board could not be shown in the on-call channel: telling the secretariat');
  let posted = 0;
  try {
    posted = await toSecretariat(
      deps,
      { kind: 'step_failed', advisoryId, title: advisory.title, tlp: advisory.tlp, drill: advisory.drill, memberName: BT.boardOf(open), step: 'phone', reason },
      `${advisoryId}.board-failed`,
      new Date(advisory.issuedAt),
    );
  } catch (err) {
    deps.log.error({ ...context, err }, 'could not tell the secretariat that the phone-task board failed');
  }
  if (posted === 0) deps.log.error(context, 'the phone-task board failed and no secretariat channel could be told');
  await deps.store.finishStep(ref, { owner, at: deps.clock.now().toISOString(), outcome: 'gave_up' });
  await deps.store.appendAudit({ id: `${advisoryId}.board.gave-up`, at: now.toISOString(), action: 'phone.board_failed', advisoryId, detail: { open, reason } });
}

/** A post that kept failing is a failed delivery: the secretariat is told and the member goes to the phone. */
async function deliveryGaveUp(deps: CoreDeps, deliveryId: string, reason: string): Promise<void> {
  const { delivery, advisory } = await loadDelivery(deps, deliveryId);
  if (delivery.state !== 'queued') return;
  await fail(deps, advisory, delivery, { code: RETRIES_EXHAUSTED, detail: reason });
}

/**
 * A ladder step that could not run: the secretariat hears which member and which step, so a person
 * can reach the member; then the ladder moves on (a lost reminder must not also cost the phone call).
 * The alert step is the secretariat's own: when it cannot be posted, the operators hear through the log.
 */
async function stepGaveUp(deps: CoreDeps, req: StepRequest, reason: string): Promise<void> {
  const { delivery, advisory } = await loadDelivery(deps, req.deliveryId);
  if (!isOwedStep(delivery, req.token, req)) return;
  const ref = stepRefOf(req);
  const now = deps.clock.now();
  const at = now.toISOString();
  // The worker and the reconciler may both give the same step up: the ledger lets one of them.
  const owner = `give-up.${randomUUID()}`;
  const claim = await deps.store.claimStep(ref, { owner, at, until: new Date(now.getTime() + deps.settings.stepLeaseMs).toISOString() });
  if (claim.outcome === 'done' || claim.outcome === 'busy') return;
  const context = { advisoryId: advisory.id, memberId: delivery.memberId, deliveryId: delivery.id, step: ref.key, reason };
  if (req.kind === 'alert') {
    deps.log.error(context, 'secretariat alert could not be posted after every attempt: the member is still silent');
  } else {
    let posted = 0;
    try {
      posted = await toSecretariat(
        deps,
        {
          kind: 'step_failed',
          advisoryId: advisory.id,
          title: advisory.title,
          tlp: advisory.tlp,
          drill: advisory.drill,
          memberName: deps.directory.memberName(delivery.memberId),
          step: req.kind,
          reason,
        },
        `${delivery.id}.step-failed.${req.token}.${ref.key}`,
        new Date(advisory.issuedAt),
      );
    } catch (err) {
      deps.log.error({ ...context, err }, 'could not tell the secretariat that an escalation step failed');
    }
    if (posted === 0) deps.log.error(context, 'escalation step gave up and no secretariat channel could be told');
  }
  await deps.store.finishStep(ref, { owner, at, outcome: 'gave_up' });
  await deps.store.appendAudit({
    id: `${delivery.id}.esc.${req.token}.${ref.key}.gave-up`,
    at,
    action: 'escalation.gave_up',
    advisoryId: advisory.id,
    deliveryId: delivery.id,
    detail: { step: ref.key, reason },
  });
  await advance(deps, advisory, delivery, req, true);
}

/** The secretariat could not be told of a failure: the operators are, and the record stops owing it. */
async function failureAlertGaveUp(deps: CoreDeps, deliveryId: string, reason: string): Promise<void> {
  const { delivery, advisory } = await loadDelivery(deps, deliveryId);
  if (delivery.state !== 'failed' || delivery.failure?.alerted) return;
  const t = await transitionDelivery(deps.store, deliveryId, (d) => markFailureAlerted(d, false, deps.clock.now()));
  // Said once, by whichever of the worker and the reconciler recorded it.
  if (!t.changed) return;
  deps.log.error(
    { advisoryId: advisory.id, memberId: delivery.memberId, deliveryId, code: delivery.failure?.code, reason },
    'delivery failure could not be told to the secretariat after every attempt',
  );
}

async function announceGaveUp(deps: CoreDeps, advisoryId: string, reason: string): Promise<void> {
  const advisory = await deps.store.getAdvisory(advisoryId);
  if (!advisory || advisory.announced) return;
  if (await deps.store.markAnnounced(advisoryId, deps.clock.now().toISOString(), false)) {
    deps.log.error({ advisoryId, reason }, '"advisory issued" notice could not be posted after every attempt');
  }
}

/**
 * A member's copy could not be brought up to date (the platform refused the edit or the thread reply
 * every time): the secretariat hears which member, so a person can reach them, and the record moves
 * on to the advisory's syncRev so the sync is not owed for ever.
 */
async function syncGaveUp(deps: CoreDeps, deliveryId: string, reason: string): Promise<void> {
  const { delivery, advisory } = await loadDelivery(deps, deliveryId);
  const rev = advisory.syncRev ?? 0;
  const t = await transitionDelivery(deps.store, deliveryId, (d) => markSyncedTo(d, rev, deps.clock.now()));
  // Said once, by whichever of the worker and the reconciler recorded it.
  if (!t.changed) return;
  await deps.store.appendAudit({
    id: `${deliveryId}.sync-failed.${advisoryScope(advisory)}.r${rev}`,
    at: deps.clock.now().toISOString(),
    action: 'delivery.sync_failed',
    advisoryId: advisory.id,
    deliveryId,
    detail: { rev, reason },
  });
  let posted = 0;
  try {
    posted = await toSecretariat(
      deps,
      { kind: 'sync_failed', advisoryId: advisory.id, title: advisory.title, tlp: advisory.tlp, drill: advisory.drill, memberName: deps.directory.memberName(delivery.memberId), reason },
      `${deliveryId}.sync-failed.r${rev}`,
      new Date(advisory.issuedAt),
    );
  } catch (err) {
    deps.log.error({ advisoryId: advisory.id, deliveryId, err }, 'could not tell the secretariat that a copy could not be updated');
  }
  if (posted === 0) deps.log.error({ advisoryId: advisory.id, memberId: delivery.memberId, deliveryId, reason }, "a member's copy could not be updated and no secretariat channel could be told");
}

/** The closing summary could not be posted: the operators hear through the log, and the record stops owing it. */
async function closingGaveUp(deps: CoreDeps, advisoryId: string, reason: string): Promise<void> {
  const advisory = await deps.store.getAdvisory(advisoryId);
  if (!advisory?.closure || advisory.closure.told) return;
  if (await markTold(deps, advisory, false, { reason })) {
    deps.log.error({ advisoryId, cause: advisory.closure.cause, reason }, 'closing summary could not be posted after every attempt');
  }
}
