import type { AuditEvent } from '../domain/audit.js';
import type { Delivery, Transition } from '../domain/delivery.js';
import type { Store } from '../ports/store.js';
import { compareAndSet } from './cas.js';

/**
 * `from`: the delivery as just read, to decide from without reading it again (see CasOptions.from).
 * `audit`: the event the change is recorded by, saved with it (one commit on SQLite) only if the change is saved.
 */
export function transitionDelivery(
  store: Store,
  deliveryId: string,
  decide: (current: Delivery) => Transition,
  { from, audit }: { from?: Delivery | undefined; audit?: ((next: Delivery) => AuditEvent) | undefined } = {},
): Promise<Transition> {
  return compareAndSet(
    { read: () => store.getDelivery(deliveryId), save: (next) => store.saveDelivery(next, audit?.(next)), notFound: 'DELIVERY.NOT_FOUND', id: deliveryId },
    decide,
    { from },
  );
}
