import type { Delivery, Transition } from '../domain/delivery.js';
import { BotError } from '../errors.js';
import type { Store } from '../ports/store.js';

const MAX_TRIES = 8;

/**
 * Read, apply a pure transition, compare-and-set; on a lost race read again and re-decide.
 * Two workers or two presses can race; the store's version check makes exactly one win.
 */
export async function transitionDelivery(
  store: Store,
  deliveryId: string,
  decide: (current: Delivery) => Transition,
): Promise<Transition> {
  for (let i = 0; i < MAX_TRIES; i++) {
    const current = await store.getDelivery(deliveryId);
    if (!current) throw new BotError('DELIVERY.NOT_FOUND', 'delivery not found', { deliveryId });
    const t = decide(current);
    if (!t.changed) return t;
    if (await store.saveDelivery(t.next)) return t;
  }
  throw new BotError('STORE.CONFLICT', 'delivery kept changing under us', { deliveryId });
}
