import { randomUUID } from 'node:crypto';
import type { Advisory } from '../domain/advisory.js';
import { isOwedStep, markLadderStep, markReminderPosted, type Delivery } from '../domain/delivery.js';
import { reminderView } from './reminder-view.js';
import { stepKey, type StepKind } from '../domain/escalation.js';
import { advanceContact, messageKeyOf, newPhoneTask, phoneTaskIdFor, renewForRound, withMessages, type PhoneTask } from '../domain/phone-task.js';
import type { MessageRef } from '../domain/platform.js';
import type { OutboundView, PostTarget } from '../ports/chat.js';
import type { StepRef } from '../ports/store.js';
import { phoneTaskView } from '../view/phone-task-view.js';
import { BotError } from '../errors.js';
import type { CoreDeps } from './deps.js';
import { transitionDelivery } from './delivery-cas.js';
import { transitionPhoneTask } from './phone-task-cas.js';
import { loadDelivery } from './load.js';
import type { PhoneTaskView } from '../view/views.js';
import { enqueue } from './enqueue.js';
import { LOOKBACK_MS, owedWork, stepAfter } from './ladder.js';
import { postOnce, provesNothingPosted } from './post-once.js';
import { touchStatusCard } from './status-card.js';
import { alertInWave } from './alert-digest.js';
import { advisoryScope } from '../domain/advisory.js';

export interface StepRequest {
  deliveryId: string;
  token: string;
  kind: StepKind;
  index: number;
}

export type StepOutcome = 'ran' | 'stale' | 'already' | 'skipped';

export function stepRefOf(req: StepRequest): StepRef {
  return { deliveryId: req.deliveryId, token: req.token, key: stepKey(req) };
}

/**
 * Run one ladder step. Only the step the record owes now runs: a job for any other step (stale
 * token, acknowledged, already passed, brought forward) does nothing. The store's step ledger,
 * with a lease, lets one run at a time do it: a run that finds the lease held by another waits
 * (STEP.BUSY) until it ends; a run that finds an expired lease (its worker died) takes over and
 * redoes the step's effects, each of which finds its own earlier post by key before posting.
 */
export async function runEscalationStep(deps: CoreDeps, req: StepRequest): Promise<StepOutcome> {
  const { delivery, advisory } = await loadDelivery(deps, req.deliveryId);
  // Closed or withdrawn: the ladder has stopped (the sync clears the record's step).
  if (!isOwedStep(delivery, req.token, req) || advisory.state !== 'open') return 'stale';

  const ref = stepRefOf(req);
  const owner = randomUUID();
  const started = deps.clock.now();
  const until = new Date(started.getTime() + deps.settings.stepLeaseMs);
  const claim = await deps.store.claimStep(ref, { owner, at: started.toISOString(), until: until.toISOString() });
  if (claim.outcome === 'done') {
    // Finished before, but the record did not move on (the process stopped in between): move it on now.
    await advance(deps, advisory, delivery, req, false);
    return 'already';
  }
  if (claim.outcome === 'busy') {
    const retryAfterMs = Math.max(250, new Date(claim.until).getTime() - started.getTime());
    throw new BotError('STEP.BUSY', 'another run holds this step', { step: ref, retryAfterMs });
  }
  // A run taken over from one that may have posted looks for its posts first; one that follows a run which
  // posted nothing (a 429 before its first post) posts at once.
  const run: StepRun = { retrying: claim.outcome === 'taken-over' && claim.mayHavePosted, posted: false };
  if (claim.outcome === 'taken-over') deps.log.info({ deliveryId: delivery.id, step: ref.key, previousOwner: claim.previousOwner, searches: run.retrying }, 'escalation step taken over');

  let outcome: StepOutcome = 'ran';
  try {
    switch (req.kind) {
      case 'reminder':
        outcome = await remind(deps, advisory, delivery, req, run);
        break;
      case 'phone':
        await openPhoneTask(deps, advisory, delivery, run);
        break;
      case 'next-contact':
        outcome = await nextContact(deps, advisory, delivery, req.index, run);
        break;
      case 'alert':
        await alertSecretariat(deps, advisory, delivery);
        break;
    }
  } catch (err) {
    // The job will be retried: let the retry take the step over at once rather than after the lease, saying
    // whether this run is sure it posted nothing (then the retry needs no search).
    const postedNothing = !run.retrying && !run.posted && provesNothingPosted(err);
    await deps.store.releaseStep(ref, owner, deps.clock.now().toISOString(), postedNothing);
    throw err;
  }

  await deps.store.finishStep(ref, { owner, at: deps.clock.now().toISOString(), outcome: 'done' });
  await deps.store.appendAudit({
    id: `${delivery.id}.esc.${req.token}.${ref.key}`,
    at: started.toISOString(),
    action: `escalation.${req.kind}`,
    advisoryId: delivery.advisoryId,
    deliveryId: delivery.id,
    detail: { step: ref.key, outcome },
  });
  await advance(deps, advisory, delivery, req, false);
  return outcome;
}

/**
 * The step is over (ran, or gave up): the record owes the next step, which is queued from it.
 * Exported for the give-up path, which moves the ladder on past a step that could not run.
 */
export async function advance(deps: CoreDeps, advisory: Advisory, delivery: Delivery, req: StepRequest, gaveUp: boolean): Promise<Delivery> {
  const next = stepAfter(deps, advisory, delivery, req);
  const t = await transitionDelivery(deps.store, delivery.id, (d) => markLadderStep(d, req.token, req, next, deps.clock.now(), gaveUp));
  const current = t.changed ? t.next : t.current;
  const owed = owedWork(advisory, current);
  // This run moved the ladder on: the next step's job (a new step key) cannot exist yet, so it is added without a
  // lookup. Anything else owed (a failure's alert) is looked for as ever.
  await enqueue(deps, owed.filter((w) => !(t.changed && w.kind === 'step')));
  await enqueue(deps, owed.filter((w) => t.changed && w.kind === 'step'), { fresh: true });
  // The card says what the ladder does next, and who is on the phone.
  if (t.changed) await touchStatusCard(deps, advisory);
  return current;
}

/** One run of a step: whether it must look for earlier posts, and whether it has posted (or found) any yet. */
interface StepRun {
  retrying: boolean;
  posted: boolean;
}

/** Post one of a step's messages, once (see postOnce); a platform this process does not serve posts nothing. */
async function stepPost(deps: CoreDeps, platformTarget: { platform: Delivery['channel']['platform']; target: PostTarget }, message: OutboundView, key: string, run: StepRun, since: Date): Promise<MessageRef | null> {
  const chat = deps.chats[platformTarget.platform];
  if (!chat) {
    deps.log.warn({ platform: platformTarget.platform, key }, 'no chat adapter for this platform; step message not posted');
    return null;
  }
  const { ref } = await postOnce(deps, chat, platformTarget.target, message, key, { retrying: run.retrying, since });
  run.posted = true;
  return ref;
}

async function remind(deps: CoreDeps, advisory: Advisory, delivery: Delivery, req: StepRequest, run: StepRun): Promise<StepOutcome> {
  // Nothing was posted (failed or not yet): there is no message to point at; the phone step follows.
  if (delivery.messages.length === 0) return 'skipped';
  const platform = delivery.channel.platform;
  const view: OutboundView = { kind: 'reminder', view: reminderView(deps, advisory, delivery) };
  const since = new Date(new Date(advisory.issuedAt).getTime() - LOOKBACK_MS);
  for (const ref of delivery.messages) {
    // Re-read before each post: an acknowledgement that arrived meanwhile stops the reminder.
    const current = await deps.store.getDelivery(delivery.id);
    if (!current || current.escalationToken !== req.token || current.state === 'acknowledged') return 'stale';
    const posted = await stepPost(
      deps,
      { platform, target: { workspaceId: delivery.channel.workspaceId, channelId: ref.channelId } },
      view,
      `${delivery.id}.reminder.${req.token}.${ref.channelId}`,
      run,
      since,
    );
    // Kept so that the acknowledgement can update it: no stale "please acknowledge" stays behind.
    if (posted) await transitionDelivery(deps.store, delivery.id, (d) => markReminderPosted(d, posted, deps.clock.now()));
  }
  return 'ran';
}

export async function renderPhoneTask(deps: CoreDeps, advisory: Advisory, task: PhoneTask): Promise<{ kind: 'phone_task'; view: PhoneTaskView }> {
  return {
    kind: 'phone_task',
    view: phoneTaskView(
      advisory,
      task,
      deps.directory.memberName(task.memberId),
      deps.directory.contactsInOrder(task.memberId),
      deps.directory.secretariatName(),
    ),
  };
}

async function openPhoneTask(deps: CoreDeps, advisory: Advisory, delivery: Delivery, run: StepRun): Promise<void> {
  let task = await deps.store.ensurePhoneTask(newPhoneTask(delivery, deps.clock.now()));
  const round = delivery.round ?? 1;
  if ((task.round ?? 1) < round) {
    // One task per delivery: a later round's phone step renews it (see renewForRound).
    const renewed = await transitionPhoneTask(deps.store, task.id, (current) => renewForRound(current, round, deps.clock.now()));
    task = renewed.changed ? renewed.next : renewed.current;
    if (renewed.changed && task.messages.length > 0) {
      await enqueue(deps, [{ kind: 'refresh-phone', scope: advisoryScope(advisory), taskId: task.id, revision: task.version }]);
    }
  }
  if (task.messages.length > 0) return;
  const message = await renderPhoneTask(deps, advisory, task);
  const since = new Date(new Date(advisory.issuedAt).getTime() - LOOKBACK_MS);
  const messages: MessageRef[] = [];
  // A later round's message is a new post: its key must not find the earlier round's.
  const key = round > 1 ? `${task.id}.r${round}` : task.id;
  for (const channel of deps.directory.oncallChannels()) {
    const ref = await stepPost(deps, { platform: channel.platform, target: { workspaceId: channel.workspace, channelId: channel.id } }, message, key, run, since);
    if (ref) messages.push(ref);
  }
  const t = await transitionPhoneTask(deps.store, task.id, (current) =>
    current.messages.length > 0 ? { changed: false, reason: 'already', current } : withMessages(current, messages, deps.clock.now(), messages.map(() => key)),
  );
  task = t.changed ? t.next : t.current;
  // Someone may have claimed it between the post and now: show the current state.
  if (t.changed && task.version > 1) await enqueue(deps, [{ kind: 'refresh-phone', scope: advisoryScope(advisory), taskId: task.id, revision: task.version }]);
}

async function nextContact(deps: CoreDeps, advisory: Advisory, delivery: Delivery, index: number, run: StepRun): Promise<StepOutcome> {
  const task = await deps.store.getPhoneTask(phoneTaskIdFor(delivery.id));
  if (!task) return 'skipped';
  const t = await transitionPhoneTask(deps.store, task.id, (current) => advanceContact(current, index, deps.clock.now()));
  if (!t.changed) return 'skipped';
  // Nobody has called: raise the task again at the bottom of the on-call channel, overdue; its
  // earlier message shows the same state through the refresh.
  if (t.next.overdueSince !== undefined) await raiseAgain(deps, advisory, t.next, index, run);
  const current = (await deps.store.getPhoneTask(task.id)) ?? t.next;
  await enqueue(deps, [{ kind: 'refresh-phone', scope: advisoryScope(advisory), taskId: current.id, revision: current.version }]);
  return 'ran';
}

/** Post the overdue task once more in each on-call channel (once per ladder step, found again by key on a retry). */
async function raiseAgain(deps: CoreDeps, advisory: Advisory, task: PhoneTask, index: number, run: StepRun): Promise<void> {
  const message = await renderPhoneTask(deps, advisory, task);
  const round = task.round ?? 1;
  const key = `${task.id}${round > 1 ? `.r${round}` : ''}.raise.${index}`;
  const since = new Date(new Date(task.overdueSince ?? task.updatedAt).getTime() - LOOKBACK_MS);
  const posted: MessageRef[] = [];
  for (const channel of deps.directory.oncallChannels()) {
    const ref = await stepPost(deps, { platform: channel.platform, target: { workspaceId: channel.workspace, channelId: channel.id } }, message, key, run, since);
    if (ref) posted.push(ref);
  }
  const same = (a: MessageRef, b: MessageRef) => a.platform === b.platform && a.channelId === b.channelId && a.messageId === b.messageId;
  await transitionPhoneTask(deps.store, task.id, (current) => {
    const added = posted.filter((r) => !current.messages.some((m) => same(m, r)));
    if (added.length === 0) return { changed: false, reason: 'already', current };
    const keys = [...current.messages.map((_, i) => messageKeyOf(current, i)), ...added.map(() => key)];
    return withMessages(current, [...current.messages, ...added], deps.clock.now(), keys);
  });
  deps.log.warn({ taskId: task.id, advisoryId: advisory.id, index, overdueSince: task.overdueSince }, 'phone task overdue: nobody has called; raised again in the on-call channel');
}

async function alertSecretariat(deps: CoreDeps, advisory: Advisory, delivery: Delivery): Promise<void> {
  // One message per wave of members at the end of their ladder, not one per member (alert-digest.ts).
  const posted = await alertInWave(deps, advisory, delivery, 'escalation');
  // The last rung of the ladder with nobody to hear it: the operators must, through the log.
  if (posted.length === 0 && deps.directory.secretariatChannels().every((c) => !deps.chats[c.platform])) {
    const wave = (await deps.store.getDelivery(delivery.id))?.alertWaves?.escalation;
    deps.log.error({ advisoryId: advisory.id, memberId: delivery.memberId, deliveryId: delivery.id, wave }, 'secretariat alert could not be posted anywhere: no secretariat channel on a configured platform');
  }
}
