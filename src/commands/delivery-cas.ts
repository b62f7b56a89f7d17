import type { Delivery, Transition } from '../domain/delivery.js';
import type { Store } from '../ports/store.js';
import { compareAndSet } from './cas.js';

/** `from`: the delivery as just read, to decide from without reading it again (see CasOptions.from). */
export function transitionDelivery(store: Store, deliveryId: string, decide: (current: Delivery) => Transition, from?: Delivery): Promise<Transition> {
  return compareAndSet(
    { read: () => store.getDelivery(deliveryId), save: (next) => store.saveDelivery(next), notFound: 'DELIVERY.NOT_FOUND', id: deliveryId },
    decide,
    { from },
  );
}
