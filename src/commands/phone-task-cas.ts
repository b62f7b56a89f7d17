import type { PhoneTask, TaskTransition } from '../domain/phone-task.js';
import type { Store } from '../ports/store.js';
import { compareAndSet } from './cas.js';

export function transitionPhoneTask(store: Store, taskId: string, decide: (current: PhoneTask) => TaskTransition): Promise<TaskTransition> {
  return compareAndSet(
    { read: () => store.getPhoneTask(taskId), save: (next) => store.savePhoneTask(next), notFound: 'PHONE.NOT_FOUND', id: taskId },
    decide,
  );
}
