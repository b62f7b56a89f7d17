import type { PhoneTask, TaskTransition } from '../domain/phone-task.js';
import { BotError } from '../errors.js';
import type { Store } from '../ports/store.js';

const MAX_TRIES = 8;

/** As transitionDelivery: read, decide, compare-and-set, and decide again on a lost race. */
export async function transitionPhoneTask(store: Store, taskId: string, decide: (current: PhoneTask) => TaskTransition): Promise<TaskTransition> {
  for (let i = 0; i < MAX_TRIES; i++) {
    const current = await store.getPhoneTask(taskId);
    if (!current) throw new BotError('PHONE.NOT_FOUND', 'phone task not found', { taskId });
    const t = decide(current);
    if (!t.changed) return t;
    if (await store.savePhoneTask(t.next)) return t;
  }
  throw new BotError('STORE.CONFLICT', 'phone task kept changing under us', { taskId });
}
