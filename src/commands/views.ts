import type { Advisory } from '../domain/advisory.js';
import type { Delivery } from '../domain/delivery.js';
import { advisoryView } from '../view/build.js';
import type { AdvisoryView, PhoneTaskView } from '../view/views.js';
import type { CoreDeps } from './deps.js';
import { renderPhoneTask } from './escalate.js';
import { loadDelivery, loadPhoneTask } from './load.js';

/** The advisory as a delivery's message should show it now, acknowledgements included. */
export async function viewOfDelivery(deps: CoreDeps, delivery: Delivery, advisory: Advisory): Promise<AdvisoryView> {
  const acks = await deps.store.listAcknowledgements(delivery.id);
  return advisoryView(advisory, delivery, deps.directory.memberName(delivery.memberId), acks);
}

/** For a platform that answers a press with the new card. */
export async function deliveryView(deps: CoreDeps, deliveryId: string): Promise<AdvisoryView> {
  const { delivery, advisory } = await loadDelivery(deps, deliveryId);
  return viewOfDelivery(deps, delivery, advisory);
}

/** The phone task as its message should show it now. */
export async function phoneTaskViewOf(deps: CoreDeps, taskId: string): Promise<PhoneTaskView> {
  const { task, advisory } = await loadPhoneTask(deps, taskId);
  return (await renderPhoneTask(deps, advisory, task)).view;
}
