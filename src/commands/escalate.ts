import type { Advisory } from '../domain/advisory.js';
import { markLadderStep, type Delivery } from '../domain/delivery.js';
import { ladder, nextStep, stepKey, type LadderStep, type StepKind } from '../domain/escalation.js';
import { advanceContact, newPhoneTask, withMessages, type PhoneTask } from '../domain/phone-task.js';
import type { MessageRef } from '../domain/platform.js';
import type { OutboundView, PostTarget } from '../ports/chat.js';
import { phoneTaskView } from '../view/phone-task-view.js';
import { displayName } from '../view/build.js';
import type { CoreDeps } from './deps.js';
import { contactUserId } from '../directory/schema.js';
import { transitionDelivery } from './delivery-cas.js';
import { LOOKBACK_MS } from './deliver.js';
import { transitionPhoneTask } from './phone-task-cas.js';
import { loadDelivery } from './load.js';
import type { PhoneTaskView } from '../view/views.js';

export interface StepRequest {
  deliveryId: string;
  token: string;
  kind: StepKind;
  index: number;
}

export type StepOutcome = 'ran' | 'stale' | 'already' | 'skipped';

function stepsFor(deps: CoreDeps, advisory: Advisory, delivery: Delivery): LadderStep[] {
  return ladder(advisory.escalation, deps.directory.contactsInOrder(delivery.memberId).length);
}

function atOf(advisory: Advisory, step: LadderStep): Date {
  return new Date(new Date(advisory.issuedAt).getTime() + step.at * 1000);
}

/**
 * Schedule the ladder's first step: after a post, the first step of the policy; after a permanent
 * failure, the phone step at once (nobody will see a message that was never posted).
 * Idempotent: the step's job id is deterministic.
 */
export async function startLadder(deps: CoreDeps, advisory: Advisory, delivery: Delivery, why: 'posted' | 'failed'): Promise<void> {
  const steps = stepsFor(deps, advisory, delivery);
  const first = why === 'failed' ? steps.find((s) => s.kind === 'phone') : steps[0];
  if (!first) return;
  const at = why === 'failed' ? deps.clock.now() : atOf(advisory, first);
  await deps.jobs.scheduleEscalation({ deliveryId: delivery.id, token: delivery.escalationToken, kind: first.kind, index: first.index, at });
}

/**
 * Run one ladder step. A step whose token is stale, or whose delivery is acknowledged, does
 * nothing. The store's step ledger makes each (delivery, token, step) take effect at most once;
 * a step claimed but never finished (the worker died) redoes its effects, each of which finds its
 * own earlier post by key before posting, so nothing is lost and nothing is doubled.
 */
export async function runEscalationStep(deps: CoreDeps, req: StepRequest): Promise<StepOutcome> {
  const { delivery, advisory } = await loadDelivery(deps, req.deliveryId);
  if (delivery.escalationToken !== req.token || delivery.state === 'acknowledged') return 'stale';

  const key = stepKey(req);
  const now = deps.clock.now().toISOString();
  const claim = await deps.store.claimStep(delivery.id, req.token, key, now);
  if (claim === 'done') {
    await scheduleNext(deps, advisory, delivery, req);
    return 'already';
  }
  const retrying = claim === 'running';

  let outcome: StepOutcome = 'ran';
  switch (req.kind) {
    case 'reminder':
      outcome = await remind(deps, advisory, delivery, req, retrying);
      break;
    case 'phone':
      await openPhoneTask(deps, advisory, delivery, retrying);
      break;
    case 'next-contact':
      outcome = await nextContact(deps, delivery, req.index);
      break;
    case 'alert':
      await alertSecretariat(deps, advisory, delivery, req, retrying);
      break;
  }

  await transitionDelivery(deps.store, delivery.id, (d) => markLadderStep(d, req.token, req, deps.clock.now()));
  await deps.store.finishStep(delivery.id, req.token, key, deps.clock.now().toISOString());
  await deps.store.appendAudit({
    id: `${delivery.id}.esc.${req.token}.${key}`,
    at: now,
    action: `escalation.${req.kind}`,
    advisoryId: delivery.advisoryId,
    deliveryId: delivery.id,
    detail: { step: key, outcome },
  });
  await scheduleNext(deps, advisory, delivery, req);
  return outcome;
}

async function scheduleNext(deps: CoreDeps, advisory: Advisory, delivery: Delivery, current: StepRequest): Promise<void> {
  const next = nextStep(stepsFor(deps, advisory, delivery), current);
  if (!next) return;
  await deps.jobs.scheduleEscalation({ deliveryId: delivery.id, token: current.token, kind: next.kind, index: next.index, at: atOf(advisory, next) });
}

/** Find-before-post when a previous run of this step may have posted already. */
async function postOnce(deps: CoreDeps, platformTarget: { platform: Delivery['channel']['platform']; target: PostTarget }, message: OutboundView, key: string, retrying: boolean, since: Date): Promise<MessageRef | null> {
  const chat = deps.chats[platformTarget.platform];
  if (!chat) {
    deps.log.warn({ platform: platformTarget.platform, key }, 'no chat adapter for this platform; step message not posted');
    return null;
  }
  const earlier = retrying ? await chat.findPost(platformTarget.target, key, since) : null;
  return earlier ?? (await chat.post(platformTarget.target, message, key));
}

async function remind(deps: CoreDeps, advisory: Advisory, delivery: Delivery, req: StepRequest, retrying: boolean): Promise<StepOutcome> {
  // Nothing was posted (failed or not yet): there is no message to point at; the phone step follows.
  if (delivery.messages.length === 0) return 'skipped';
  const platform = delivery.channel.platform;
  const mention = deps.directory
    .contactsInOrder(delivery.memberId)
    .map((c) => contactUserId(c, platform))
    .filter((id): id is string => Boolean(id));
  const view: OutboundView = {
    kind: 'reminder',
    view: {
      advisoryId: advisory.id,
      deliveryId: delivery.id,
      title: advisory.title,
      tlp: advisory.tlp,
      drill: advisory.drill,
      ackDeadline: advisory.ackDeadline,
      memberName: deps.directory.memberName(delivery.memberId),
      mention,
    },
  };
  const since = new Date(new Date(advisory.issuedAt).getTime() - LOOKBACK_MS);
  for (const ref of delivery.messages) {
    // Re-read before each post: an acknowledgement that arrived meanwhile stops the reminder.
    const current = await deps.store.getDelivery(delivery.id);
    if (!current || current.escalationToken !== req.token || current.state === 'acknowledged') return 'stale';
    await postOnce(
      deps,
      { platform, target: { workspaceId: delivery.channel.workspaceId, channelId: ref.channelId } },
      view,
      `${delivery.id}.reminder.${req.token}.${ref.channelId}`,
      retrying,
      since,
    );
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

async function openPhoneTask(deps: CoreDeps, advisory: Advisory, delivery: Delivery, retrying: boolean): Promise<void> {
  let task = await deps.store.ensurePhoneTask(newPhoneTask(delivery, deps.clock.now()));
  if (task.messages.length > 0) return;
  const message = await renderPhoneTask(deps, advisory, task);
  const since = new Date(new Date(advisory.issuedAt).getTime() - LOOKBACK_MS);
  const messages: MessageRef[] = [];
  for (const channel of deps.directory.oncallChannels()) {
    const ref = await postOnce(deps, { platform: channel.platform, target: { workspaceId: channel.workspace, channelId: channel.id } }, message, task.id, retrying, since);
    if (ref) messages.push(ref);
  }
  const t = await transitionPhoneTask(deps.store, task.id, (current) =>
    current.messages.length > 0 ? { changed: false, reason: 'already', current } : withMessages(current, messages, deps.clock.now()),
  );
  task = t.changed ? t.next : t.current;
  // Someone may have claimed it between the post and now: show the current state.
  if (t.changed && task.version > 1) await deps.jobs.refreshPhoneTask(task.id, task.version);
}

async function nextContact(deps: CoreDeps, delivery: Delivery, index: number): Promise<StepOutcome> {
  const task = await deps.store.getPhoneTask(`${delivery.id}.phone`);
  if (!task) return 'skipped';
  const t = await transitionPhoneTask(deps.store, task.id, (current) => advanceContact(current, index, deps.clock.now()));
  if (!t.changed) return 'skipped';
  await deps.jobs.refreshPhoneTask(t.next.id, t.next.version);
  return 'ran';
}

async function alertSecretariat(deps: CoreDeps, advisory: Advisory, delivery: Delivery, req: StepRequest, retrying: boolean): Promise<void> {
  const task = await deps.store.getPhoneTask(`${delivery.id}.phone`);
  const contacts = deps.directory.contactsInOrder(delivery.memberId);
  const message: OutboundView = {
    kind: 'notice',
    view: {
      kind: 'escalation_alert',
      advisoryId: advisory.id,
      title: advisory.title,
      tlp: advisory.tlp,
      drill: advisory.drill,
      memberName: deps.directory.memberName(delivery.memberId),
      deliveryState: delivery.state,
      wrongNumbers: (task?.attempts ?? []).filter((a) => a.outcome === 'wrong_number').map((a) => contacts[a.contactIndex]?.name ?? `#${a.contactIndex + 1}`),
      attempts: task?.attempts.length ?? 0,
      claimedBy: task?.claimedBy ? displayName(task.claimedBy) : undefined,
    },
  };
  const since = new Date(new Date(advisory.issuedAt).getTime() - LOOKBACK_MS);
  for (const channel of deps.directory.secretariatChannels()) {
    await postOnce(deps, { platform: channel.platform, target: { workspaceId: channel.workspace, channelId: channel.id } }, message, `${delivery.id}.alert.${req.token}`, retrying, since);
  }
}
