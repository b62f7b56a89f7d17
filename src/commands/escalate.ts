import { randomUUID } from 'node:crypto';
import type { Advisory } from '../domain/advisory.js';
import { isOwedStep, markRemindersPosted, markStepRan, type Delivery } from '../domain/delivery.js';
import type { AuditEvent } from '../domain/audit.js';
import { reminderView } from './reminder-view.js';
import { updateReminders } from './reminder-update.js';
import { stepKey, type StepKind } from '../domain/escalation.js';
import { advanceContact, newPhoneTask, phoneTaskIdFor, renewForRound, type PhoneTask } from '../domain/phone-task.js';
import { touchPhoneTask } from './phone-board.js';
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
  const run: StepRun = { retrying: claim.outcome === 'taken-over' && claim.mayHavePosted, posted: false, reminders: [], decideFrom: delivery };
  if (claim.outcome === 'taken-over') deps.log.info({ deliveryId: delivery.id, step: ref.key, previousOwner: claim.previousOwner, searches: run.retrying }, 'escalation step taken over');

  try {
    let outcome: StepOutcome = 'ran';
    switch (req.kind) {
      case 'reminder':
        outcome = await remind(deps, advisory, delivery, req, run);
        break;
      case 'phone':
        await openPhoneTask(deps, advisory, delivery);
        break;
      case 'next-contact':
        outcome = await nextContact(deps, advisory, delivery, req.index);
        break;
      case 'alert':
        run.decideFrom = await alertSecretariat(deps, advisory, delivery);
        break;
    }
    await advance(deps, advisory, run.decideFrom, req, false, {
      reminders: run.reminders,
      audit: {
        id: `${delivery.id}.esc.${req.token}.${ref.key}`,
        at: started.toISOString(),
        action: `escalation.${req.kind}`,
        advisoryId: delivery.advisoryId,
        deliveryId: delivery.id,
        detail: { step: ref.key, outcome },
      },
      finish: { ref, owner },
    });
    return outcome;
  } catch (err) {
    // Reminders out but not kept yet (the post or the step's last write failed) are kept now: should every retry fail,
    // none would post (or find) them again, and the acknowledgement must still update them.
    if (run.reminders.length > 0) await keepReminders(deps, delivery.id, run.reminders, ref.key);
    // The job will be retried: let the retry take the step over at once rather than after the lease, saying
    // whether this run is sure it posted nothing (then the retry needs no search). A retry after the record moved on
    // finds the step no longer owed.
    const postedNothing = !run.retrying && !run.posted && provesNothingPosted(err);
    await deps.store.releaseStep(ref, owner, deps.clock.now().toISOString(), postedNothing);
    throw err;
  }
}

/** What a step's run hands to advance(): the reminders it posted, its audit event, and its lease in the ledger. */
interface StepResult {
  reminders: readonly MessageRef[];
  audit: AuditEvent;
  finish: { ref: StepRef; owner: string };
}

/**
 * The step is over (ran, or gave up): the record owes the next step, which is queued from it.
 * Exported for the give-up path, which moves the ladder on past a step that could not run (its ledger and audit are
 * its own: `ran` is absent).
 *
 * A step that ran keeps its reminders, moves the ladder and writes its audit event in one write (one commit in the
 * embedded store), deciding from the record as the run read it (a stale copy loses the version check and is read
 * again). The ledger's finish follows that write, never precedes it: a run that finds the step done moves the record
 * on from the ledger alone, so the record must already hold the step's reminders.
 */
export async function advance(deps: CoreDeps, advisory: Advisory, delivery: Delivery, req: StepRequest, gaveUp: boolean, ran?: StepResult): Promise<Delivery> {
  const next = stepAfter(deps, advisory, delivery, req);
  const now = deps.clock.now();
  // Whether the change moves the ladder (it may only keep reminders: acknowledged, or a new ladder meanwhile); set by
  // the decision that was saved (or found nothing to do), the last one made.
  let moved = false;
  const t = await transitionDelivery(
    deps.store,
    delivery.id,
    (d) => {
      moved = isOwedStep(d, req.token, req);
      return markStepRan(d, req.token, req, next, ran?.reminders ?? [], now, gaveUp);
    },
    { from: ran ? delivery : undefined, audit: ran ? () => ran.audit : undefined },
  );
  const current = t.changed ? t.next : t.current;
  const owed = owedWork(advisory, current);
  // Acknowledged while the step's last reminder was on its way: the acknowledgement's refresh may have run before this
  // write kept it, so this run brings it up to date (no "please acknowledge" left behind).
  const late = ran && t.changed && !moved && current.state === 'acknowledged' ? ran.reminders : [];
  // This run moved the ladder on: the next step's job (a new step key) cannot exist yet, so it is added without a
  // lookup. Anything else owed (a failure's alert; a new ladder's step, queued by whoever began it) is looked for as
  // ever. The card says what the ladder does next, and who is on the phone. Independent of each other: their round
  // trips to Redis overlap.
  await Promise.all([
    // Nothing written (acknowledged meanwhile, reminders kept before): the step's event is still owed to the trail.
    ran && !t.changed ? deps.store.appendAudit(ran.audit) : undefined,
    ran ? deps.store.finishStep(ran.finish.ref, { owner: ran.finish.owner, at: now.toISOString(), outcome: 'done' }) : undefined,
    enqueue(deps, owed.filter((w) => !(moved && w.kind === 'step'))),
    enqueue(deps, owed.filter((w) => moved && w.kind === 'step'), { fresh: true }),
    moved ? touchStatusCard(deps, advisory) : undefined,
    late.length > 0 ? updateLateReminders(deps, advisory, current, late) : undefined,
  ]);
  return current;
}

/**
 * One run of a step: whether it must look for earlier posts, whether it has posted (or found) any yet, the reminders
 * among them not kept in the record yet, and the copy of the record its last write decides from (the one read at the
 * start, or the alert's listing; a stale copy only costs a second read).
 */
interface StepRun {
  retrying: boolean;
  posted: boolean;
  reminders: MessageRef[];
  decideFrom: Delivery;
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
    // Read again before each post: an acknowledgement that arrived meanwhile stops the reminder. After the first
    // post, that read is the write keeping the reminders posted so far, so that an acknowledgement landing between two
    // posts finds them (its refresh updates every kept reminder); the last post's is kept with the ladder's move.
    const current = run.reminders.length === 0 ? await deps.store.getDelivery(delivery.id) : await keptSoFar(deps, delivery.id, run);
    if (!current || current.escalationToken !== req.token || current.state === 'acknowledged') return 'stale';
    const posted = await stepPost(
      deps,
      { platform, target: { workspaceId: delivery.channel.workspaceId, channelId: ref.channelId } },
      view,
      `${delivery.id}.reminder.${req.token}.${ref.channelId}`,
      run,
      since,
    );
    if (posted) run.reminders.push(posted);
  }
  return 'ran';
}

/** Keep the run's reminders not kept yet; returns the record as it is now. */
async function keptSoFar(deps: CoreDeps, deliveryId: string, run: StepRun): Promise<Delivery> {
  const current = await keep(deps, deliveryId, run.reminders);
  run.reminders = [];
  return current;
}

/** Record where reminders went (those not recorded yet); returns the record as it is now. */
async function keep(deps: CoreDeps, deliveryId: string, reminders: readonly MessageRef[]): Promise<Delivery> {
  const t = await transitionDelivery(deps.store, deliveryId, (d) => markRemindersPosted(d, reminders, deps.clock.now()));
  return t.changed ? t.next : t.current;
}

/**
 * Reminders kept after their member acknowledged, edited to say so. The step is over (a retry would find it no longer
 * owed), so a failure is a warning rather than the job's: the reminder keeps its button, and a press on it is answered
 * as one already recorded.
 */
async function updateLateReminders(deps: CoreDeps, advisory: Advisory, delivery: Delivery, reminders: readonly MessageRef[]): Promise<void> {
  const chat = deps.chats[delivery.channel.platform];
  if (!chat) return;
  try {
    await updateReminders(deps, chat, advisory, delivery, reminders);
  } catch (err) {
    deps.log.warn({ deliveryId: delivery.id, advisoryId: advisory.id, err }, 'a reminder posted as its member acknowledged could not be updated to say so');
  }
}

/**
 * A failed run's reminders, kept before its retry (or its give-up, which posts nothing). A failure to keep them is a
 * warning: a retry finds them by key and keeps them then.
 */
async function keepReminders(deps: CoreDeps, deliveryId: string, reminders: readonly MessageRef[], step: string): Promise<void> {
  try {
    await keep(deps, deliveryId, reminders);
  } catch (err) {
    deps.log.warn({ deliveryId, step, err }, 'reminders posted by a failed run of the step could not be kept now; its retry finds them by key');
  }
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

/**
 * The member is still silent: a phone task opens and takes its row on the advisory's phone-task board in the on-call
 * channel (phone-board.ts). Nothing is posted per task: at sector scale one message per member into one channel is
 * what kept the last silent members off the desk for a quarter of an hour. The claimer gets the task's own copy.
 */
async function openPhoneTask(deps: CoreDeps, advisory: Advisory, delivery: Delivery): Promise<void> {
  let task = await deps.store.ensurePhoneTask(newPhoneTask(delivery, deps.clock.now()));
  const round = delivery.round ?? 1;
  if ((task.round ?? 1) < round) {
    // One task per delivery: a later round's phone step renews it (see renewForRound).
    const renewed = await transitionPhoneTask(deps.store, task.id, (current) => renewForRound(current, round, deps.clock.now()));
    task = renewed.changed ? renewed.next : renewed.current;
  }
  await touchPhoneTask(deps, advisory, task);
}

/**
 * The ladder's time for the next contact: the task says so, and an unclaimed task nobody has called is marked overdue
 * on the board (counted at its top), rather than posted again into the channel.
 */
async function nextContact(deps: CoreDeps, advisory: Advisory, delivery: Delivery, index: number): Promise<StepOutcome> {
  const task = await deps.store.getPhoneTask(phoneTaskIdFor(delivery.id));
  if (!task) return 'skipped';
  const t = await transitionPhoneTask(deps.store, task.id, (current) => advanceContact(current, index, deps.clock.now()));
  if (!t.changed) return 'skipped';
  if (t.next.overdueSince !== undefined) {
    deps.log.warn({ taskId: task.id, advisoryId: advisory.id, index, overdueSince: t.next.overdueSince }, 'phone task overdue: nobody has called; marked on the board');
  }
  await touchPhoneTask(deps, advisory, t.next);
  return 'ran';
}

/** Returns the member's record as listed in the wave (advance() decides from it). */
async function alertSecretariat(deps: CoreDeps, advisory: Advisory, delivery: Delivery): Promise<Delivery> {
  // One message per wave of members at the end of their ladder, not one per member (alert-digest.ts).
  const { posted, delivery: listed } = await alertInWave(deps, advisory, delivery, 'escalation');
  // The last rung of the ladder with nobody to hear it: the operators must, through the log.
  if (posted.length === 0 && deps.directory.secretariatChannels().every((c) => !deps.chats[c.platform])) {
    const wave = listed.alertWaves?.escalation;
    deps.log.error({ advisoryId: advisory.id, memberId: delivery.memberId, deliveryId: delivery.id, wave }, 'secretariat alert could not be posted anywhere: no secretariat channel on a configured platform');
  }
  return listed;
}
