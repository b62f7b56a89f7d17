import type { AdvisoryTransition } from '../domain/advisory-lifecycle.js';
import type { Advisory } from '../domain/advisory.js';
import type { Store } from '../ports/store.js';
import { compareAndSet } from './cas.js';

export function transitionAdvisory(store: Store, advisoryId: string, decide: (current: Advisory) => AdvisoryTransition): Promise<AdvisoryTransition> {
  return compareAndSet(
    { read: () => store.getAdvisory(advisoryId), save: (next) => store.saveAdvisory(next), notFound: 'ADVISORY.NOT_FOUND', id: advisoryId },
    decide,
  );
}
