import type { Delivery, Transition } from '../domain/delivery.js';
import type { Store } from '../ports/store.js';
import { compareAndSet } from './cas.js';

export function transitionDelivery(store: Store, deliveryId: string, decide: (current: Delivery) => Transition): Promise<Transition> {
  return compareAndSet(
    { read: () => store.getDelivery(deliveryId), save: (next) => store.saveDelivery(next), notFound: 'DELIVERY.NOT_FOUND', id: deliveryId },
    decide,
  );
}
