/**
 * "Reached" names the member's contact who answered: the message offers one choice per contact (the one being called
 * now first), the record keeps the on-call person and the contact as the directory named them at that moment, and a
 * choice that names nobody of the member now — out of range, forged, out of date, or missing from a message drawn
 * before the bot asked — is refused, audited, and the message redrawn where it may only be out of date.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { contactChoice, contactKey } from '../../../src/domain/phone-task.js';
import type { Actor, MessageRef } from '../../../src/domain/platform.js';
import { isBotError, type ErrorCode } from '../../../src/errors.js';
import { ChatError } from '../../../src/ports/chat.js';
import { coreFixture, directoryWithContacts, exampleDirectoryFile, ONCALL, raceNext, SECRETARIAT, type CoreFixture } from '../../support/core-fixture.js';
import { advisoryMessage, claimTask, issueAndPost, minutes, ONCALL_B, OUTSIDER, reachedChoice, untilClaimed, untilPhoneTask } from './helpers.js';

let f: CoreFixture;
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  await f.close();
  for (const c of cleanups.splice(0)) await c();
});

/** jma's phone task, claimed from the board by on-call A, whose copy (with the "reached" choices) has reached them. */
async function openTask(contacts?: number, claimer: Actor = ONCALL) {
  f = await coreFixture(contacts === undefined ? {} : { directory: await directoryWithContacts('jma', contacts) });
  const { advisory, deliveries } = await issueAndPost(f);
  const opened = await untilPhoneTask(f, deliveries[0]!.id);
  f.clock.set(minutes(61));
  return { advisory, ...opened, ...(await claimTask(f, opened.task, claimer)) };
}

/**
 * On-call `first` claims jma's open task and lets it go, then `second` does: the task is open again, and each of them
 * holds a copy with its buttons.
 */
async function bothHoldCopies(first: Actor, second: Actor) {
  const opened = await openTask(undefined, first);
  await f.core.phoneTaskAction({ actor: first, message: opened.message, action: 'release' });
  const theirs = await claimTask(f, opened.task, second);
  await f.core.phoneTaskAction({ actor: second, message: theirs.message, action: 'release' });
  f.jobs.ensured.length = 0;
  return { ...opened, task: (await f.store.getPhoneTask(opened.task.id))!, firstCopy: opened.message, secondCopy: theirs.message };
}

const reached = (actor: Actor, message: MessageRef, choice: string | undefined, claimedTaskId?: string) =>
  f.core.phoneTaskAction({ actor, message, action: 'reached', choice, claimedTaskId });

async function refusal(p: Promise<unknown>, code: ErrorCode): Promise<Record<string, unknown>> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isBotError(err, code), `expected ${code}, got ${String(err)}`).toBe(true);
  return (err as { detail: Record<string, unknown> }).detail;
}

const refusals = () => f.audit.filter((e) => e.action === 'phone.refused');
/** Updates of a copy of the task (the claimer's, in their direct conversation). */
const redraws = (message: MessageRef) => f.chat.updates.filter((u) => u.ref.messageId === message.messageId && u.message.kind === 'phone_task');

/** Nothing was recorded: the task as it was, the delivery not acknowledged, no acknowledgement, nothing queued. */
async function nothingRecorded(task: { id: string; deliveryId: string; version: number }): Promise<void> {
  expect((await f.store.getPhoneTask(task.id))?.version).toBe(task.version);
  expect((await f.store.getDelivery(task.deliveryId))?.state).toBe('posted');
  expect(await f.store.listAcknowledgements(task.deliveryId)).toEqual([]);
  expect(f.audit.filter((e) => e.action === 'phone.reached' || e.action === 'delivery.acknowledged')).toEqual([]);
  expect(f.jobs.of('refresh-phone')).toEqual([]);
}

describe.each([1, 3, 5])('a member with %i contact(s)', (n) => {
  const names = Array.from({ length: n }, (_, i) => `連絡先 ${String(i + 1).padStart(2, '0')}`);

  it('the message offers one "reached" choice per contact, the one being called now first', async () => {
    const { task, message } = await openTask(n);
    let view = await f.core.phoneTaskView(task.id);
    expect(view.reachedChoices.map((c) => [c.index, c.name, c.current])).toEqual(names.map((name, i) => [i, name, i === 0]));
    if (n > 1) {
      // After no answer from the first, the second is called now: offered first, the others in call order.
      await f.core.phoneTaskAction({ actor: ONCALL, message, action: 'no_answer' });
      view = await f.core.phoneTaskView(task.id);
      expect(view.reachedChoices.map((c) => c.index)).toEqual([1, 0, ...Array.from({ length: n - 2 }, (_, i) => i + 2)]);
      expect(view.reachedChoices[0]?.current).toBe(true);
    }
    // Every choice names its contact by index and fingerprint.
    const contacts = f.deps.directory.contactsInOrder('jma');
    for (const c of view.reachedChoices) expect(c.choice).toBe(contactChoice(c.index, contacts[c.index]!));
  });

  it('reaching the last contact records that contact, by name, with the on-call person', async () => {
    const { advisory, task, message } = await openTask(n);
    const last = { index: n - 1, name: names[n - 1] };
    const r = await reached(ONCALL, message, await reachedChoice(f, task.id, n - 1));
    expect(r.task.resolution).toEqual({ kind: 'reached', by: ONCALL, at: minutes(61), contact: last });
    expect((await f.store.getDelivery(task.deliveryId))?.acknowledged).toEqual({ actor: ONCALL, at: minutes(61), via: 'phone', contact: last });
    expect(f.audit.find((e) => e.action === 'phone.reached')?.detail).toEqual({ contactIndex: 0, exhausted: false, reached: last });
    const row = (await f.core.statusOf(SECRETARIAT, advisory.id)).rows[0];
    expect(row).toMatchObject({ acknowledgedBy: ONCALL.name, via: 'phone', reachedContact: last });
  });

  it('refuses the index one past the last contact, audited; nothing recorded', async () => {
    const opened = await openTask(n);
    const { message } = opened;
    // Let go again: nobody holds the task while the press comes from the copy.
    await f.core.phoneTaskAction({ actor: ONCALL, message, action: 'release' });
    const task = (await f.store.getPhoneTask(opened.task.id))!;
    f.jobs.ensured.length = 0;
    const key = contactKey(f.deps.directory.contactsInOrder('jma')[0]!);
    const detail = await refusal(reached(ONCALL, message, `${n}:${key}`), 'PHONE.UNKNOWN_CONTACT');
    expect(detail).toStrictEqual({ taskId: task.id, claimedBy: undefined, problem: 'out-of-range' });
    // Exactly these keys: nobody holds the task, so no claimant is recorded.
    expect(refusals().map((e) => e.detail)).toStrictEqual([
      { attempted: 'phone.reached', reason: 'bad-contact', taskId: task.id, state: 'open', problem: 'out-of-range', choice: `${n}:${key}` },
    ]);
    await nothingRecorded(task);
  });
});

describe('bad "reached" presses', () => {
  it('a forged or out-of-date fingerprint is refused as changed and the message redrawn with the contacts as they are', async () => {
    const { task, message } = await openTask();
    const updates = redraws(message).length;
    const detail = await refusal(reached(ONCALL, message, '0:zzzzzz'), 'PHONE.UNKNOWN_CONTACT');
    expect(detail).toEqual({ taskId: task.id, claimedBy: ONCALL.name, problem: 'changed' });
    expect(refusals()).toEqual([
      {
        id: expect.stringMatching(/^phone-refused\./),
        at: minutes(61),
        actor: ONCALL,
        action: 'phone.refused',
        advisoryId: task.advisoryId,
        deliveryId: task.deliveryId,
        detail: { attempted: 'phone.reached', reason: 'bad-contact', taskId: task.id, state: 'claimed', claimedBy: ONCALL.name, problem: 'changed', choice: '0:zzzzzz' },
      },
    ]);
    expect(redraws(message)).toHaveLength(updates + 1);
    expect(redraws(message).at(-1)?.message.view).toMatchObject({ state: 'claimed', reachedChoices: [{ index: 0, choice: await reachedChoice(f, task.id, 0) }, { index: 1 }] });
    await nothingRecorded(task);
  });

  it('a press from a message drawn before the bot asked (no choice) is refused and the message redrawn with the choices', async () => {
    const { task, message } = await openTask();
    const updates = redraws(message).length;
    expect(await refusal(reached(ONCALL, message, undefined), 'PHONE.UNKNOWN_CONTACT')).toMatchObject({ problem: 'missing' });
    expect(refusals().map((e) => e.detail)).toStrictEqual([{ attempted: 'phone.reached', reason: 'bad-contact', taskId: task.id, state: 'claimed', claimedBy: ONCALL.name, problem: 'missing' }]);
    expect(redraws(message)).toHaveLength(updates + 1);
    await nothingRecorded(task);
  });

  it('malformed values are refused and audited (cut short), without touching the message', async () => {
    const { task, message } = await openTask();
    const updates = redraws(message).length;
    const key = contactKey(f.deps.directory.contactsInOrder('jma')[0]!);
    const bad = ['', 'x', `0:`, `:${key}`, `00:${key}`, `-1:${key}`, `1.5:${key}`, `0:${key.toUpperCase()}X`, `0:${key}#0:${key}`, `${'9'.repeat(200)}:${key}`];
    for (const choice of bad) {
      const problem = choice === '' ? 'missing' : 'malformed';
      expect(await refusal(reached(ONCALL, message, choice), 'PHONE.UNKNOWN_CONTACT'), choice).toMatchObject({ problem });
    }
    expect(refusals()).toHaveLength(bad.length);
    for (const e of refusals()) expect(String(e.detail.choice ?? '').length).toBeLessThanOrEqual(40);
    expect(refusals().at(-1)?.detail.choice).toBe('9'.repeat(40));
    // Only the empty choice (a press that may just be out of date) redraws the message.
    expect(redraws(message)).toHaveLength(updates + 1);
    await nothingRecorded(task);
  });

  it('someone else holding the task is refused as such before the choice is even read', async () => {
    // B had the task and let it go (their copy keeps its buttons); A claims it from the board.
    const { task, firstCopy: bCopy, secondCopy: message, board } = await bothHoldCopies(ONCALL_B, ONCALL);
    await f.core.claimFromBoard({ actor: ONCALL, message: board, taskId: task.id });
    const claimed = (await f.store.getPhoneTask(task.id))!;
    f.jobs.ensured.length = 0;
    const updates = redraws(bCopy).length;
    for (const choice of [await reachedChoice(f, task.id, 1), 'forged']) {
      expect(await refusal(reached(ONCALL_B, bCopy, choice), 'PHONE.CLAIMED_BY_OTHER')).toEqual({ taskId: task.id, claimedBy: ONCALL.name });
    }
    expect(refusals().map((e) => [e.actor, e.detail.reason, e.detail.claimedBy])).toEqual([
      [ONCALL_B, 'claimed-by-other', ONCALL.name],
      [ONCALL_B, 'claimed-by-other', ONCALL.name],
    ]);
    expect(redraws(bCopy)).toHaveLength(updates);
    await nothingRecorded(claimed);
    // The claimant may.
    expect((await reached(ONCALL, message, await reachedChoice(f, task.id, 1))).task.resolution?.contact).toMatchObject({ index: 1, name: '鈴木 美咲' });
  });

  it('a value naming another task, or someone not on call, is refused before anything else', async () => {
    const { task, message } = await openTask();
    const choice = await reachedChoice(f, task.id, 0);
    expect(await refusal(reached(ONCALL, message, choice, 'ADV-2026-0001.jda.slack-C0JDA00001.phone'), 'PHONE.NOT_YOURS')).toMatchObject({ actual: task.id });
    expect(await refusal(reached(OUTSIDER, message, choice, task.id), 'AUTH.NOT_ONCALL')).toEqual({ actor: OUTSIDER, attempted: 'phone.reached' });
    expect(refusals()).toHaveLength(2);
    await nothingRecorded(task);
    // The right task id with the choice is accepted.
    expect((await reached(ONCALL, message, choice, task.id)).outcome).toBe('done');
  });

  it('the refusal stands when the message cannot be redrawn; the failure is logged', async () => {
    const { task, message } = await openTask();
    f.chat.update = async () => {
      throw new ChatError('transient', 'ratelimited');
    };
    expect(await refusal(reached(ONCALL, message, '0:zzzz'), 'PHONE.UNKNOWN_CONTACT')).toMatchObject({ problem: 'changed' });
    expect(f.lines.filter((l) => l.level === 'warn' && l.msg?.includes('could not redraw')).map((l) => l.obj)).toEqual([{ taskId: task.id, err: 'chat transient: ratelimited' }]);
    await nothingRecorded(task);
  });

  it('two on-call staff reaching different contacts at once: one wins, the record names the winner and their contact', async () => {
    // Both held the task once and let it go: each presses "reached" on their own copy of the open task.
    const { task, firstCopy, secondCopy } = await bothHoldCopies(ONCALL, ONCALL_B);
    const [a, b] = [await reachedChoice(f, task.id, 0), await reachedChoice(f, task.id, 1)];
    const race = raceNext(f.store, 'savePhoneTask');
    const results = await Promise.allSettled([reached(ONCALL, firstCopy, a), reached(ONCALL_B, secondCopy, b)]);
    expect(race.results).toEqual([true, false]);
    const won = results.findIndex((r) => r.status === 'fulfilled');
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(1);
    const lost = results[1 - won] as PromiseRejectedResult;
    // The loser read the task again and found it done (or claimed by the winner, who then finished it).
    expect(isBotError(lost.reason, 'PHONE.CLOSED')).toBe(true);
    const [winner, index] = won === 0 ? [ONCALL, 0] : [ONCALL_B, 1];
    const d = (await f.store.getDelivery(task.deliveryId))!;
    expect(d.acknowledged).toMatchObject({ actor: winner, contact: { index } });
    expect((await f.store.getPhoneTask(task.id))?.resolution).toMatchObject({ by: winner, contact: { index } });
    expect(f.audit.filter((e) => e.action === 'phone.reached')).toHaveLength(1);
    expect(await f.store.listAcknowledgements(task.deliveryId)).toHaveLength(1);
  });

  it('the same press twice records once: the second is refused as closed', async () => {
    const { task, message } = await openTask();
    const choice = await reachedChoice(f, task.id, 0);
    await reached(ONCALL, message, choice);
    await refusal(reached(ONCALL, message, choice), 'PHONE.CLOSED');
    expect(await f.store.listAcknowledgements(task.deliveryId)).toHaveLength(1);
    expect(f.audit.filter((e) => e.action === 'delivery.acknowledged' || e.action === 'delivery.seen')).toHaveLength(1);
  });
});

describe('the record keeps the contact as the directory named them then', () => {
  it('a later directory renames the contact: the status still says whom the caller reached; an old choice is refused', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'phone-reached-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const storeFile = join(dir, 'store.sqlite');
    f = await coreFixture({ storeFile });
    const { advisory, deliveries } = await issueAndPost(f, ['jma', 'jda']);
    const jma = await untilClaimed(f, deliveries.find((d) => d.memberId === 'jma')!.id);
    const jda = await untilClaimed(f, deliveries.find((d) => d.memberId === 'jda')!.id);
    const jdaChoice = await reachedChoice(f, jda.task.id, 0);
    await reached(ONCALL, jma.message, await reachedChoice(f, jma.task.id, 0));
    await f.close();

    // The operator replaces jma's and jda's first contacts; the bot restarts on the same store.
    const file = structuredClone(await exampleDirectoryFile());
    for (const id of ['jma', 'jda']) {
      const org = file.organisations.find((o) => o.id === id)!;
      org.contacts[0] = { ...org.contacts[0]!, name: '後任 太郎', role: '新任' };
    }
    f = await coreFixture({ storeFile, directory: file });
    const row = (await f.core.statusOf(SECRETARIAT, advisory.id)).rows.find((r) => r.memberId === 'jma');
    expect(row?.reachedContact).toEqual({ index: 0, name: '佐藤 健一', role: '情報システム課 課長' });
    expect((await f.core.phoneTaskView(jma.task.id)).resolution?.contact).toEqual({ index: 0, name: '佐藤 健一', role: '情報システム課 課長' });

    // jda's message still offers the old first contact: that press must not record the new one under the old name.
    expect(await refusal(reached(ONCALL, jda.message, jdaChoice), 'PHONE.UNKNOWN_CONTACT')).toMatchObject({ problem: 'changed' });
    expect((await f.store.getDelivery(jda.task.deliveryId))?.state).toBe('posted');
    // The redrawn message offers the contact as the directory has them now, and that press is recorded.
    const redrawn = f.chat.updates.at(-1)?.message.view as { reachedChoices: { index: number; name: string; choice: string }[] };
    expect(redrawn.reachedChoices[0]).toMatchObject({ index: 0, name: '後任 太郎' });
    const r = await reached(ONCALL, jda.message, redrawn.reachedChoices[0]!.choice);
    expect(r.task.resolution?.contact).toEqual({ index: 0, name: '後任 太郎', role: '新任' });
  });

  it('a press on the member\'s own message after a phone acknowledgement is seen, and the phone record stays', async () => {
    const { task, message } = await openTask();
    await reached(ONCALL, message, await reachedChoice(f, task.id, 1));
    const r = await f.core.acknowledgeFromMessage({ actor: { platform: 'slack', userId: 'U0JMA00001', name: '佐藤 健一' }, message: advisoryMessage(f, 'C0JMA00001') });
    expect(r.outcome).toBe('seen');
    expect(r.first).toMatchObject({ actor: ONCALL, via: 'phone', contact: { index: 1, name: '鈴木 美咲' } });
    const acks = await f.store.listAcknowledgements(task.deliveryId);
    expect(acks.map((a) => [a.via, a.contact?.name])).toEqual([
      ['phone', '鈴木 美咲'],
      ['button', undefined],
    ]);
  });
});
