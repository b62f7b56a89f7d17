/** What the command tests share: people, and an advisory taken to the state a test starts from. */
import type { Advisory, AdvisoryInput } from '../../../src/domain/advisory.js';
import type { Delivery } from '../../../src/domain/delivery.js';
import type { PhoneTask } from '../../../src/domain/phone-task.js';
import type { Actor, MessageRef } from '../../../src/domain/platform.js';
import { ISSUE_INPUT, SECRETARIAT, T0, type CoreFixture } from '../../support/core-fixture.js';
import type { Work } from '../../../src/ports/jobs.js';

/** jma's first contact (has a Slack id in the example directory). */
export const JMA_STAFF: Actor = { platform: 'slack', userId: 'U0JMA00001', name: '佐藤 健一' };
/** Someone else in jma's channel. */
export const JMA_COLLEAGUE: Actor = { platform: 'slack', userId: 'U0JMA00077', name: '鈴木 美咲' };
/** The second on-call staff member of the example directory. */
export const ONCALL_B: Actor = { platform: 'slack', userId: 'U0ONC00002', name: '電話当番 B' };
/** Neither secretariat nor on-call. */
export const OUTSIDER: Actor = { platform: 'slack', userId: 'U0OUTSIDE1', name: '部外者' };

export const minutes = (n: number): string => new Date(Date.parse(T0) + n * 60_000).toISOString();

let requests = 0;

/** Issue to `members` and post every delivery; the queue's record is cleared so a test sees only what follows. */
export async function issueAndPost(
  f: CoreFixture,
  members: string[] = ['jma'],
  input: Partial<AdvisoryInput> = {},
): Promise<{ advisory: Advisory; deliveries: Delivery[] }> {
  const { advisory, deliveries } = await f.core.issueAdvisory({
    actor: SECRETARIAT,
    requestKey: `req-${++requests}`,
    input: { ...ISSUE_INPUT, targets: { allMembers: false, observers: false, groups: [], members }, ...input },
  });
  for (const d of deliveries) await f.core.deliver(d.id);
  f.jobs.ensured.length = 0;
  f.jobs.dropped.length = 0;
  const stored = await Promise.all(deliveries.map(async (d) => (await f.store.getDelivery(d.id))!));
  return { advisory, deliveries: stored };
}

/** The advisory message posted into a channel (the one a member presses the button on). */
export function advisoryMessage(f: CoreFixture, channelId: string): MessageRef {
  const post = f.chat.in(channelId, 'advisory')[0];
  if (!post) throw new Error(`no advisory posted in ${channelId}`);
  return post.ref;
}

/** Run the owed ladder steps until the phone task is open; returns it with its message in the on-call channel. */
export async function untilPhoneTask(f: CoreFixture, deliveryId: string): Promise<{ task: PhoneTask; message: MessageRef; delivery: Delivery }> {
  for (;;) {
    const d = (await f.store.getDelivery(deliveryId))!;
    const step = d.nextStep;
    if (!step) throw new Error('the ladder ended before the phone step');
    f.clock.set(step.at);
    await f.core.runEscalationStep({ deliveryId, token: d.escalationToken, kind: step.kind, index: step.index });
    if (step.kind === 'phone') break;
  }
  const task = (await f.store.listPhoneTasks((await f.store.getDelivery(deliveryId))!.advisoryId)).find((t) => t.deliveryId === deliveryId)!;
  const message = task.messages[0]!;
  f.jobs.ensured.length = 0;
  return { task, message, delivery: (await f.store.getDelivery(deliveryId))! };
}

/** Run every step the record owes, at its time, until it owes none; returns the step keys in the order they ran. */
export async function climbLadder(f: CoreFixture, deliveryId: string): Promise<string[]> {
  const ran: string[] = [];
  for (;;) {
    const d = (await f.store.getDelivery(deliveryId))!;
    const step = d.nextStep;
    if (!step) return ran;
    f.clock.set(step.at);
    await f.core.runEscalationStep({ deliveryId, token: d.escalationToken, kind: step.kind, index: step.index });
    ran.push(step.kind === 'next-contact' ? `next-contact-${step.index}` : step.kind);
  }
}

/**
 * The "reached" choice the task's message offers for the contact at `index` (0-based, call order): what a press on
 * that button sends back.
 */
export async function reachedChoice(f: CoreFixture, taskId: string, index: number): Promise<string> {
  const choice = (await f.core.phoneTaskView(taskId)).reachedChoices.find((c) => c.index === index);
  if (!choice) throw new Error(`no reached choice for contact ${index} on ${taskId}`);
  return choice.choice;
}

/**
 * Run the queued work of an advisory's life as the workers would, until none is left; returns what
 * was queued. Ladder steps are taken off the queue record but not run: a test runs each at its time
 * (climbLadder, untilPhoneTask).
 */
export async function drainLifecycle(f: CoreFixture): Promise<Work[]> {
  const ran: Work[] = [];
  for (let i = 0; i < 10; i++) {
    const work = f.jobs.ensured.splice(0);
    if (work.length === 0) return ran;
    for (const w of work) {
      ran.push(w);
      if (w.kind === 'sync-advisory') await f.core.syncAdvisory(w.advisoryId);
      else if (w.kind === 'sync') await f.core.syncDelivery(w.deliveryId);
      else if (w.kind === 'closing') await f.core.tellClosing(w.advisoryId);
      else if (w.kind === 'refresh') await f.core.refreshMessages(w.deliveryId);
      else if (w.kind === 'refresh-phone') await f.core.refreshPhoneTask(w.taskId);
      else if (w.kind === 'archive') await f.core.archiveAdvisory(w.advisoryId);
    }
  }
  throw new Error('work kept coming');
}
