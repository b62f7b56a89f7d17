import type { Advisory } from '../domain/advisory.js';

/** What a lifecycle command (follow-up, correction, withdrawal, closing) answers. */
export interface LifecycleResult {
  advisory: Advisory;
  /** False when the request changed nothing (withdrawn or closed already). */
  changed: boolean;
  /** The follow-up's sync or the closing is queued; false while the queue is down (the reconciler does it later). */
  queued: boolean;
}

/** What the correction, follow-up, withdrawal and closing forms show of the advisory they act on. */
export interface LifecycleFormView {
  advisoryId: string;
  title: string;
  body: string;
  tlp: Advisory['tlp'];
  severity: Advisory['severity'];
  category: Advisory['category'];
  state: Advisory['state'];
  withdrawn: boolean;
  revision: number;
  followups: number;
}
