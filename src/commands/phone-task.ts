import { randomUUID } from 'node:crypto';
import type { PhoneAction } from '../domain/phone-task.js';
import {
  claim,
  recordFailedCall,
  recordReachedChoice,
  release,
  type PhoneTask,
  type TaskTransition,
} from '../domain/phone-task.js';
import type { Actor, MessageRef } from '../domain/platform.js';
import { BotError, type ErrorCode } from '../errors.js';
import { displayName } from '../view/build.js';
import { oncallListView } from '../view/phone-task-view.js';
import type { OncallListView } from '../view/views.js';
import { acknowledgeDelivery } from './acknowledge.js';
import type { CoreDeps } from './deps.js';
import { transitionPhoneTask } from './phone-task-cas.js';
import { transitionDelivery } from './delivery-cas.js';
import { bringAlertForward } from '../domain/delivery.js';
import { enqueue } from './enqueue.js';
import { owedWork } from './ladder.js';
import { refreshPhoneTaskMessages } from './refresh.js';
import { touchPhoneTask } from './phone-board.js';
import { pageOfMessage } from '../domain/phone-board.js';

export type { PhoneAction } from '../domain/phone-task.js';

export interface PhoneActionRequest {
  actor: Actor;
  /** The message the press came from: the task is found from it. */
  message: MessageRef;
  /** The task id the button carried; it must be the message's task. */
  claimedTaskId?: string | undefined;
  action: PhoneAction;
  /** For 'reached': which contact answered, as the pressed choice carried it (`<index>:<key>`, see contactChoice). */
  choice?: string | undefined;
}

export interface PhoneActionResult {
  outcome: 'done' | 'unchanged';
  task: PhoneTask;
  /** The task's messages' update is queued (false while the queue is unreachable; the outcome is stored all the same). */
  refreshQueued: boolean;
}

/**
 * A refused press, in the audit: who, what they tried, and the task it was about (absent when the refusal came before
 * any task was found: someone not on call).
 */
async function auditRefused(deps: CoreDeps, actor: Actor, task: Pick<PhoneTask, 'advisoryId' | 'deliveryId'> | undefined, detail: Record<string, unknown>): Promise<void> {
  await deps.store.appendAudit({
    id: `phone-refused.${randomUUID()}`,
    at: deps.clock.now().toISOString(),
    actor,
    action: 'phone.refused',
    ...(task ? { advisoryId: task.advisoryId, deliveryId: task.deliveryId } : {}),
    detail,
  });
}

/** On-call staff and the secretariat work phone tasks; anyone else is refused and audited. */
async function requireOncall(deps: CoreDeps, actor: Actor, attempted: string): Promise<void> {
  if (deps.directory.isOncall(actor) || deps.directory.isSecretariat(actor)) return;
  await auditRefused(deps, actor, undefined, { attempted });
  throw new BotError('AUTH.NOT_ONCALL', 'only on-call staff or the secretariat may do this', { actor, attempted });
}

/**
 * A button on a phone task. The task is found from the message the press came from; the
 * button's value must agree. "Reached" records the member's acknowledgement via phone, by this
 * staff member, which stops the ladder and updates the member's message.
 */
export async function phoneTaskAction(deps: CoreDeps, req: PhoneActionRequest): Promise<PhoneActionResult> {
  await requireOncall(deps, req.actor, `phone.${req.action}`);
  const found = await deps.store.findPhoneTaskByMessage(req.message);
  if (!found) throw new BotError('PHONE.NOT_FOUND', 'no phone task for this message', { message: req.message });
  if (req.claimedTaskId !== undefined && req.claimedTaskId !== found.id) {
    await auditRefused(deps, req.actor, found, { claimedTaskId: req.claimedTaskId, actual: found.id });
    throw new BotError('PHONE.NOT_YOURS', 'button value does not match the phone task of this message', { claimed: req.claimedTaskId, actual: found.id });
  }

  const contacts = deps.directory.contactsInOrder(found.memberId);
  const decide = (t: PhoneTask): TaskTransition => {
    const now = deps.clock.now();
    switch (req.action) {
      case 'claim':
        return claim(t, req.actor, now);
      case 'release':
        return release(t, req.actor, now);
      case 'reached':
        return recordReachedChoice(t, req.actor, req.choice, contacts, now);
      case 'no_answer':
      case 'wrong_number':
        return recordFailedCall(t, req.action, req.actor, contacts.length, now);
    }
  };
  const t = await transitionPhoneTask(deps.store, found.id, decide);
  if (!t.changed) {
    if (t.reason === 'already') return { outcome: 'unchanged', task: t.current, refreshQueued: true };
    return refuse(deps, req, t.reason, t);
  }
  const task = t.next;
  const reached = task.resolution?.kind === 'reached' ? task.resolution.contact : undefined;
  await deps.store.appendAudit({
    id: `${task.id}.v${task.version}`,
    at: task.updatedAt,
    actor: req.actor,
    action: `phone.${req.action}`,
    advisoryId: task.advisoryId,
    deliveryId: task.deliveryId,
    detail: { contactIndex: task.contactIndex, exhausted: task.exhausted, ...(reached ? { reached } : {}) },
  });
  const advisory = await deps.store.getAdvisory(task.advisoryId);
  if (!advisory) throw new BotError('ADVISORY.NOT_FOUND', 'advisory of phone task not found', { taskId: task.id });
  const refreshQueued = await touchPhoneTask(deps, advisory, task);

  if (req.action === 'reached') {
    await acknowledgeDelivery(deps, { deliveryId: task.deliveryId, actor: req.actor, via: 'phone', contact: reached });
  }
  if (task.exhausted && (req.action === 'no_answer' || req.action === 'wrong_number')) {
    // Every contact tried: the record owes the secretariat's alert now rather than at the ladder's time.
    const delivery = await deps.store.getDelivery(task.deliveryId);
    if (delivery && delivery.state !== 'acknowledged') {
      const t = await transitionDelivery(deps.store, delivery.id, (d) => bringAlertForward(d, delivery.escalationToken, deps.clock.now()));
      if (t.changed) await enqueue(deps, owedWork(advisory, t.next));
    }
  }
  return { outcome: 'done', task, refreshQueued };
}

export interface BoardClaimRequest {
  actor: Actor;
  /** The board page the claim came from. */
  message: MessageRef;
  /** The task chosen on it. */
  taskId: string;
}

/**
 * A claim from the phone-task board: the press must come from a page of the chosen task's advisory's board (any
 * page: a select drawn before the task moved pages still names it rightly). Of two people
 * claiming the same task at once, the store's compare-and-set gives it to one; the other is told who has it. The
 * claimer's copy of the task (its details and outcome buttons) is posted to them by the refresh that follows.
 */
export async function claimFromBoard(deps: CoreDeps, req: BoardClaimRequest): Promise<PhoneActionResult & { page: number }> {
  await requireOncall(deps, req.actor, 'phone.claim');
  const found = await deps.store.getPhoneTask(req.taskId);
  const advisory = found ? await deps.store.getAdvisory(found.advisoryId) : null;
  if (!found || !advisory) throw new BotError('PHONE.NOT_FOUND', 'no phone task by this id', { taskId: req.taskId.slice(0, CHOICE_AUDIT_MAX) });
  const page = pageOfMessage(advisory, req.message);
  if (page !== undefined && advisory.state !== 'open') {
    // Closed or withdrawn, its tasks not ended yet (the sync that ends them is on its way): nobody need call.
    await auditRefused(deps, req.actor, found, { attempted: 'phone.claim', reason: 'advisory-ended', taskId: found.id, state: found.state, advisoryState: advisory.state });
    throw new BotError('PHONE.CLOSED', 'the advisory has ended: no more calls', { taskId: found.id, advisoryState: advisory.state });
  }
  if (page === undefined) {
    await auditRefused(deps, req.actor, found, { attempted: 'phone.claim', reason: 'not-on-board', taskId: found.id, message: req.message });
    throw new BotError('PHONE.NOT_YOURS', 'the task is not on the board the claim came from', { taskId: found.id, message: req.message });
  }
  const t = await transitionPhoneTask(deps.store, found.id, (current) => claim(current, req.actor, deps.clock.now()));
  if (!t.changed) {
    // Claimed already by the same person (a double press): their copy is on its way or there.
    if (t.reason === 'already') return { outcome: 'unchanged', task: t.current, refreshQueued: await touchPhoneTask(deps, advisory, t.current), page };
    return refuse(deps, { actor: req.actor, message: req.message, action: 'claim' }, t.reason, t);
  }
  const task = t.next;
  await deps.store.appendAudit({
    id: `${task.id}.v${task.version}`,
    at: task.updatedAt,
    actor: req.actor,
    action: 'phone.claim',
    advisoryId: task.advisoryId,
    deliveryId: task.deliveryId,
    detail: { contactIndex: task.contactIndex, exhausted: task.exhausted, from: 'board', page },
  });
  return { outcome: 'done', task, refreshQueued: await touchPhoneTask(deps, advisory, task), page };
}

const CHOICE_AUDIT_MAX = 40;

type Refused = Extract<TaskTransition, { changed: false }>;
type RefusalReason = Exclude<Refused['reason'], 'already'>;

const REFUSAL_CODE: Record<RefusalReason, ErrorCode> = {
  'claimed-by-other': 'PHONE.CLAIMED_BY_OTHER',
  'not-claimed': 'PHONE.NOT_CLAIMED',
  closed: 'PHONE.CLOSED',
  busy: 'PHONE.CLOSED',
  'bad-contact': 'PHONE.UNKNOWN_CONTACT',
};

/**
 * A press the task's rules refuse (someone else is calling, the task is closed, the chosen contact is not one of the
 * member's contacts now): audited with what was pressed, then told to the person. A choice that may only be out of
 * date (the message was drawn before the directory changed, or before the bot asked which contact answered) also
 * redraws the task's messages, so the next press offers the contacts as they are.
 */
async function refuse(deps: CoreDeps, req: PhoneActionRequest, reason: RefusalReason, t: Refused): Promise<never> {
  const task = t.current;
  const problem = t.reason === 'bad-contact' ? t.problem : undefined;
  const claimedBy = task.claimedBy ? displayName(task.claimedBy) : undefined;
  await auditRefused(deps, req.actor, task, {
    attempted: `phone.${req.action}`,
    reason,
    taskId: task.id,
    state: task.state,
    ...(claimedBy === undefined ? {} : { claimedBy }),
    ...(problem === undefined ? {} : { problem }),
    // What the button sent, cut short: a forged value must not fill the audit log.
    ...(req.choice === undefined ? {} : { choice: req.choice.slice(0, CHOICE_AUDIT_MAX) }),
  });
  if (problem !== undefined && problem !== 'malformed') await redraw(deps, task.id);
  throw new BotError(REFUSAL_CODE[reason], `phone task ${req.action} refused: ${problem ?? reason}`, {
    taskId: task.id,
    claimedBy,
    ...(problem === undefined ? {} : { problem }),
  });
}

/** Best effort: the refusal stands whether or not the platform takes the update now. */
async function redraw(deps: CoreDeps, taskId: string): Promise<void> {
  try {
    await refreshPhoneTaskMessages(deps, taskId);
  } catch (err) {
    deps.log.warn({ taskId, err: err instanceof Error ? err.message : String(err) }, 'could not redraw a phone task after an out-of-date choice');
  }
}

/** `/advisory oncall`: the tasks still to be worked, oldest first. */
export async function oncallList(deps: CoreDeps, actor: Actor): Promise<OncallListView> {
  await requireOncall(deps, actor, 'phone.list');
  const tasks = await deps.store.listOpenPhoneTasks();
  const rows = [];
  for (const task of tasks) {
    const advisory = await deps.store.getAdvisory(task.advisoryId);
    if (!advisory) continue;
    rows.push({
      task,
      advisory,
      memberName: deps.directory.memberName(task.memberId),
      contacts: deps.directory.contactsInOrder(task.memberId).length,
    });
  }
  return oncallListView(rows);
}
