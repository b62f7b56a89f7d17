/** What the command tests share: people, and an advisory taken to the state a test starts from. */
import type { Advisory, AdvisoryInput } from '../../../src/domain/advisory.js';
import type { Delivery } from '../../../src/domain/delivery.js';
import type { PhoneTask } from '../../../src/domain/phone-task.js';
import type { Actor, MessageRef } from '../../../src/domain/platform.js';
import { ISSUE_INPUT, ONCALL, SECRETARIAT, T0, type CoreFixture, type Posted } from '../../support/core-fixture.js';
import { isBotError, type BotError } from '../../../src/errors.js';
import type { Work } from '../../../src/ports/jobs.js';
import type { PhoneBoardView, PhoneTaskView } from '../../../src/view/views.js';

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

/** The on-call channel of the example directory: where the phone-task board is posted. */
export const ONCALL_CHANNEL = 'C0ONC00001';

/** The key page `n` of an advisory's phone-task board is posted under. */
export const boardKey = (advisoryId: string, n = 1): string => `${advisoryId}.board.p${n}`;

/** Page `n` of the advisory's board as posted into the on-call channel (its message, where claims come from). */
export function boardPost(f: CoreFixture, advisoryId: string, n = 1): Posted {
  const posts = f.chat.in(ONCALL_CHANNEL, 'phone_board').filter((p) => p.key === boardKey(advisoryId, n));
  if (posts.length !== 1) throw new Error(`page ${n} of ${advisoryId}'s board posted ${posts.length} times`);
  return posts[0]!;
}

/** What page `n` of the board shows now in the on-call channel: its latest edit, or the post if it was never edited. */
export function boardShown(f: CoreFixture, advisoryId: string, n = 1): PhoneBoardView {
  const post = boardPost(f, advisoryId, n);
  const edits = f.chat.updates.filter((u) => u.ref.messageId === post.ref.messageId);
  const latest = edits.at(-1)?.message ?? post.message;
  if (latest.kind !== 'phone_board') throw new Error(`page ${n} of ${advisoryId}'s board was drawn as ${latest.kind}`);
  return latest.view;
}

/** The page of the board that shows `taskId`, and its message. */
export function boardPageOf(f: CoreFixture, advisoryId: string, taskId: string): { n: number; message: MessageRef } {
  const pages = f.chat.in(ONCALL_CHANNEL, 'phone_board').filter((p) => p.key.startsWith(`${advisoryId}.board.p`));
  for (const p of pages) {
    const n = Number(p.key.slice(`${advisoryId}.board.p`.length));
    if (boardShown(f, advisoryId, n).rows.some((r) => r.taskId === taskId)) return { n, message: p.ref };
  }
  throw new Error(`${taskId} is on no page of ${advisoryId}'s board`);
}

/** The copies of a task posted to a claimer (their direct conversation with the bot, `D<userId>` in RecordingChat). */
export const copiesTo = (f: CoreFixture, userId: string): Posted[] => f.chat.in(`D${userId}`, 'phone_task');

/**
 * Run the queued work that shows phone tasks, as the refresh worker would: the boards' updates ('phone-board') and
 * the tasks' own messages ('refresh-phone', which hands a claimed task to its claimer), until none is left. Other
 * queued work stays queued. Returns what ran.
 */
export async function drainBoard(f: CoreFixture): Promise<Work[]> {
  const ran: Work[] = [];
  for (let i = 0; i < 10; i++) {
    const work = f.jobs.ensured.filter((w) => w.kind === 'phone-board' || w.kind === 'refresh-phone');
    if (work.length === 0) return ran;
    for (const w of work) f.jobs.ensured.splice(f.jobs.ensured.indexOf(w), 1);
    for (const w of work) {
      ran.push(w);
      if (w.kind === 'phone-board') await f.core.refreshPhoneBoard(w.advisoryId);
      else if (w.kind === 'refresh-phone') await f.core.refreshPhoneTask(w.taskId);
    }
  }
  throw new Error('board work kept coming');
}

/**
 * Run the owed ladder steps until the phone task is open, then the board's update that puts it on the advisory's
 * board in the on-call channel; returns the task and the board page that shows it (where it is claimed from).
 */
export async function untilPhoneTask(f: CoreFixture, deliveryId: string): Promise<{ task: PhoneTask; board: MessageRef; delivery: Delivery }> {
  for (;;) {
    const d = (await f.store.getDelivery(deliveryId))!;
    const step = d.nextStep;
    if (!step) throw new Error('the ladder ended before the phone step');
    f.clock.set(step.at);
    await f.core.runEscalationStep({ deliveryId, token: d.escalationToken, kind: step.kind, index: step.index });
    if (step.kind === 'phone') break;
  }
  const advisoryId = (await f.store.getDelivery(deliveryId))!.advisoryId;
  await drainBoard(f);
  const task = (await f.store.listPhoneTasks(advisoryId)).find((t) => t.deliveryId === deliveryId)!;
  const board = boardPageOf(f, advisoryId, task.id).message;
  f.jobs.ensured.length = 0;
  return { task, board, delivery: (await f.store.getDelivery(deliveryId))! };
}

/**
 * `actor` claims the task from the board page that shows it, and the refresh that follows hands it to them: returns
 * the claimed task and its copy in the claimer's direct conversation (where its outcome buttons are pressed).
 */
export async function claimTask(f: CoreFixture, task: Pick<PhoneTask, 'id' | 'advisoryId'>, actor: Actor): Promise<{ task: PhoneTask; message: MessageRef }> {
  const { message: board } = boardPageOf(f, task.advisoryId, task.id);
  await f.core.claimFromBoard({ actor, message: board, taskId: task.id });
  await drainBoard(f);
  const claimed = (await f.store.getPhoneTask(task.id))!;
  const copy = copiesTo(f, actor.userId).filter((p) => (p.message.view as PhoneTaskView).taskId === task.id).at(-1);
  if (!copy) throw new Error(`no copy of ${task.id} was posted to ${actor.userId}`);
  f.jobs.ensured.length = 0;
  return { task: claimed, message: copy.ref };
}

/** untilPhoneTask, then `actor` (on-call A by default) claims the task from the board and gets its copy. */
export async function untilClaimed(
  f: CoreFixture,
  deliveryId: string,
  actor: Actor = ONCALL,
): Promise<{ task: PhoneTask; message: MessageRef; board: MessageRef; delivery: Delivery }> {
  const opened = await untilPhoneTask(f, deliveryId);
  const claimed = await claimTask(f, opened.task, actor);
  return { ...opened, ...claimed, delivery: (await f.store.getDelivery(deliveryId))! };
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
      else if (w.kind === 'phone-board') await f.core.refreshPhoneBoard(w.advisoryId);
      else if (w.kind === 'archive') await f.core.archiveAdvisory(w.advisoryId);
    }
  }
  throw new Error('work kept coming');
}

/** The BotError a command refused with; any other outcome fails the test. */
export async function rejected(p: Promise<unknown>): Promise<BotError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isBotError(err)) throw new Error(`expected a BotError, got ${String(err)}`);
  return err;
}
