import { advisoryScope, type Advisory } from '../domain/advisory.js';
import type { Delivery, NextStep } from '../domain/delivery.js';
import { policyOfRound, roundOf } from '../domain/advisory-lifecycle.js';
import { ladder, nextStep, type LadderStep, type StepKind } from '../domain/escalation.js';
import type { Work } from '../ports/jobs.js';
import type { CoreDeps } from './deps.js';

/** How far back a retry looks for its own earlier post; covers clock skew between us and the platform. */
export const LOOKBACK_MS = 5 * 60_000;

type LadderOf = Pick<Delivery, 'memberId' | 'round'>;

export function ladderOf(deps: Pick<CoreDeps, 'directory'>, advisory: Advisory, delivery: LadderOf): LadderStep[] {
  return ladder(policyOfRound(advisory, delivery.round ?? 1), deps.directory.contactsInOrder(delivery.memberId).length);
}

/** A step's time counts from the start of the delivery's round (the issue, or the follow-up). */
function owed(advisory: Advisory, delivery: LadderOf, step: LadderStep, at?: Date): NextStep {
  const since = roundOf(advisory, delivery.round ?? 1).since;
  const due = at ?? new Date(new Date(since).getTime() + step.at * 1000);
  return { kind: step.kind, index: step.index, at: due.toISOString() };
}

/**
 * The first step owed once a delivery's fate is known: after a post, the policy's first step at its
 * time; after a permanent failure, the phone step at once (nobody will see a message never posted).
 */
export function firstStep(deps: Pick<CoreDeps, 'directory'>, advisory: Advisory, delivery: LadderOf, why: 'posted' | 'failed', now: Date): NextStep | undefined {
  // A closed advisory's copies still go out (the information stands), but nobody is chased for it.
  if (advisory.state !== 'open') return undefined;
  const steps = ladderOf(deps, advisory, delivery);
  if (why === 'failed') {
    const phone = steps.find((s) => s.kind === 'phone');
    return phone ? owed(advisory, delivery, phone, now) : undefined;
  }
  const first = steps[0];
  return first ? owed(advisory, delivery, first) : undefined;
}

/** The step owed after `current`, at its time in the ladder; none after the last. */
export function stepAfter(deps: Pick<CoreDeps, 'directory'>, advisory: Advisory, delivery: LadderOf, current: { kind: StepKind; index: number }): NextStep | undefined {
  const next = nextStep(ladderOf(deps, advisory, delivery), current);
  return next ? owed(advisory, delivery, next) : undefined;
}

/**
 * What an older record owes, worked out from the last step it ran (records written before the
 * store kept `nextStep`). The same rules as above, so a recomputed ladder is the ladder.
 */
export function derivedNextStep(deps: Pick<CoreDeps, 'directory'>, advisory: Advisory, delivery: Delivery): NextStep | undefined {
  if (delivery.state !== 'posted' && delivery.state !== 'failed') return undefined;
  if (delivery.ladder) return stepAfter(deps, advisory, delivery, delivery.ladder);
  const failedAt = delivery.failure ? new Date(delivery.failure.at) : new Date(delivery.updatedAt);
  return firstStep(deps, advisory, delivery, delivery.state, failedAt);
}

/** The queue work that does what this delivery is owed now, derived from the record alone. */
export function owedWork(advisory: Advisory, delivery: Delivery): Work[] {
  const scope = advisoryScope(advisory);
  const work: Work[] = [];
  if (delivery.state === 'queued') work.push({ kind: 'deliver', scope, deliveryId: delivery.id });
  if (delivery.state === 'failed' && delivery.failure && !delivery.failure.alerted) {
    work.push({ kind: 'failure-alert', scope, deliveryId: delivery.id });
  }
  if (delivery.state !== 'acknowledged' && delivery.nextStep && advisory.state === 'open') work.push(stepWork(delivery, delivery.nextStep));
  // Posted after a correction or a follow-up, or its ladder still running after closing: bring it up to date.
  if (delivery.state !== 'queued' && delivery.state !== 'cancelled' && (delivery.syncedRev ?? 0) < (advisory.syncRev ?? 0)) {
    work.push({ kind: 'sync', scope, deliveryId: delivery.id, rev: advisory.syncRev ?? 0 });
  }
  return work;
}

export function stepWork(delivery: Pick<Delivery, 'id' | 'escalationToken'>, step: NextStep): Work {
  return { kind: 'step', deliveryId: delivery.id, token: delivery.escalationToken, step: step.kind, index: step.index, at: new Date(step.at) };
}
