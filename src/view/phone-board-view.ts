import type { Advisory } from '../domain/advisory.js';
import { isOpenTask, triedCount, type PhoneTask } from '../domain/phone-task.js';
import type { LocalisedName } from '../directory/schema.js';
import { displayName } from './build.js';
import { dueAt } from './phone-task-view.js';
import type { PhoneBoardRowView, PhoneBoardView } from './views.js';

/** What the board needs of the directory: a member's name and how many contacts they have. */
export interface BoardDirectory {
  memberName(memberId: string): LocalisedName;
  contacts(memberId: string): number;
}

/** The board's order: the tasks in the order they opened (ties by id), so a task keeps its row and page. */
export function boardOrder(tasks: readonly PhoneTask[]): PhoneTask[] {
  return [...tasks].sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export function boardRow(advisory: Advisory, task: PhoneTask, directory: BoardDirectory): PhoneBoardRowView {
  const contacts = directory.contacts(task.memberId);
  const open = isOpenTask(task);
  return {
    taskId: task.id,
    memberName: directory.memberName(task.memberId),
    state: task.state,
    ...(task.claimedBy && open ? { claimedBy: displayName(task.claimedBy) } : {}),
    tried: triedCount(task, contacts),
    contacts,
    dueAt: dueAt(task, advisory),
    ...(open && task.overdueSince !== undefined ? { overdueSince: task.overdueSince } : {}),
    exhausted: task.exhausted,
    ...(task.resolution ? { resolution: { kind: task.resolution.kind, ...(task.resolution.by ? { by: displayName(task.resolution.by) } : {}) } } : {}),
    ...((task.round ?? 1) > 1 ? { round: task.round } : {}),
  };
}

/** The whole board's counts (page 1 shows them). */
export function boardCounts(tasks: readonly PhoneTask[]): NonNullable<PhoneBoardView['counts']> {
  const counts = { open: 0, claimed: 0, overdue: 0, reached: 0, acknowledged: 0, cancelled: 0 };
  for (const t of tasks) {
    if (t.state === 'open') counts.open += 1;
    if (t.state === 'claimed') counts.claimed += 1;
    if (isOpenTask(t) && t.overdueSince !== undefined) counts.overdue += 1;
    if (t.resolution?.kind === 'reached') counts.reached += 1;
    else if (t.resolution?.kind === 'acknowledged_elsewhere') counts.acknowledged += 1;
    else if (t.state === 'cancelled') counts.cancelled += 1;
  }
  return counts;
}

/** Page `n` of `pages`, showing `rows` (already this page's), with the whole board's counts on page 1. */
export function phoneBoardView(
  advisory: Advisory,
  n: number,
  pages: number,
  rows: PhoneBoardRowView[],
  counts: PhoneBoardView['counts'],
  now: Date,
): PhoneBoardView {
  return {
    advisoryId: advisory.id,
    title: advisory.title,
    tlp: advisory.tlp,
    severity: advisory.severity,
    drill: advisory.drill,
    page: n,
    pages,
    rows,
    ...(n === 1 && counts ? { counts } : {}),
    closed: advisory.state !== 'open',
    asOf: now.toISOString(),
  };
}
