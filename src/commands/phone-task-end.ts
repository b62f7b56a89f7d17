import type { Advisory } from '../domain/advisory.js';
import { isWithdrawn } from '../domain/advisory-lifecycle.js';
import { phoneTaskIdFor, type PhoneTask, type TaskTransition } from '../domain/phone-task.js';
import type { CoreDeps } from './deps.js';
import { touchPhoneTask } from './phone-board.js';
import { transitionPhoneTask } from './phone-task-cas.js';

/** An open or claimed task ends with its advisory: nobody need call about it any more. */
function endWithAdvisory(t: PhoneTask, withdrawn: boolean, now: Date): TaskTransition {
  if (t.state === 'done' || t.state === 'cancelled') return { changed: false, reason: 'closed', current: t };
  const at = now.toISOString();
  const resolution = { kind: withdrawn ? ('advisory_withdrawn' as const) : ('advisory_closed' as const), at };
  return { changed: true, next: { ...t, state: 'cancelled', resolution, version: t.version + 1, updatedAt: at } };
}

/** The advisory closed or was withdrawn: end the delivery's phone task, and its message says so. */
export async function endPhoneTask(deps: CoreDeps, advisory: Advisory, deliveryId: string): Promise<void> {
  const task = await deps.store.getPhoneTask(phoneTaskIdFor(deliveryId));
  if (!task) return;
  const withdrawn = isWithdrawn(advisory);
  const t = await transitionPhoneTask(deps.store, task.id, (current) => endWithAdvisory(current, withdrawn, deps.clock.now()));
  if (!t.changed) return;
  await deps.store.appendAudit({
    id: `${task.id}.cancelled.v${t.next.version}`,
    at: deps.clock.now().toISOString(),
    action: 'phone.cancelled',
    advisoryId: advisory.id,
    deliveryId,
    detail: { why: withdrawn ? 'advisory_withdrawn' : 'advisory_closed', claimedBy: task.claimedBy },
  });
  await touchPhoneTask(deps, advisory, t.next);
}
