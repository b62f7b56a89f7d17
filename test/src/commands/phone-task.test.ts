/**
 * Phone tasks against in-memory ports: who may work them, one claimant at a time, each outcome
 * audited with the actor, "reached" acknowledging for the member, and the alert brought forward
 * once every contact was tried.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PhoneAction } from '../../../src/commands/phone-task.js';
import { newPhoneTask } from '../../../src/domain/phone-task.js';
import type { Actor, MessageRef } from '../../../src/domain/platform.js';
import { isBotError, type ErrorCode } from '../../../src/errors.js';
import { coreFixture, ONCALL, SECRETARIAT, workKey, type CoreFixture } from '../../support/core-fixture.js';
import { advisoryMessage, boardShown, claimTask, copiesTo, drainBoard, issueAndPost, JMA_STAFF, minutes, ONCALL_B, OUTSIDER, reachedChoice, untilClaimed, untilPhoneTask } from './helpers.js';

let f: CoreFixture;
beforeEach(async () => {
  f = await coreFixture();
});
afterEach(async () => {
  await f.close();
});

/** jma's delivery (two contacts), silent until its phone task is open and on the advisory's board. */
async function openTask() {
  const { advisory, deliveries } = await issueAndPost(f);
  const opened = await untilPhoneTask(f, deliveries[0]!.id);
  f.clock.set(minutes(61));
  return { advisory, ...opened };
}

/** jma's open task, claimed from the board by `actor` (on-call A by default), whose copy has reached them. */
async function claimedTask(actor: Actor = ONCALL) {
  const opened = await openTask();
  return { ...opened, ...(await claimTask(f, opened.task, actor)) };
}

const act = (actor: Actor, message: MessageRef, action: PhoneAction, claimedTaskId?: string, choice?: string) =>
  f.core.phoneTaskAction({ actor, message, action, claimedTaskId, choice });

const claimFrom = (actor: Actor, board: MessageRef, taskId: string) => f.core.claimFromBoard({ actor, message: board, taskId });

/** "Reached" on jma's task, naming the contact at `index` as the message's button does. */
const reach = async (actor: Actor, message: MessageRef, taskId: string, index = 0) => act(actor, message, 'reached', undefined, await reachedChoice(f, taskId, index));

/** jma's first contact in the example directory, as the record keeps them. */
const SATO = { index: 0, name: '佐藤 健一', role: '情報システム課 課長' };

async function refusal(p: Promise<unknown>, code: ErrorCode): Promise<Record<string, unknown>> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isBotError(err, code), `expected ${code}, got ${String(err)}`).toBe(true);
  return (err as { detail: Record<string, unknown> }).detail;
}

describe('who may work a phone task', () => {
  it('refuses anyone who is neither on call nor secretariat, and audits the attempt with the actor', async () => {
    const { task, message, board } = await claimedTask();
    for (const action of ['claim', 'reached', 'no_answer', 'wrong_number', 'release'] as const) {
      const detail = await refusal(act(OUTSIDER, message, action), 'AUTH.NOT_ONCALL');
      expect(detail).toEqual({ actor: OUTSIDER, attempted: `phone.${action}` });
    }
    // A member's own staff may not close their own phone task either, nor claim one from the board.
    await refusal(act(JMA_STAFF, message, 'reached'), 'AUTH.NOT_ONCALL');
    expect(await refusal(claimFrom(JMA_STAFF, board, task.id), 'AUTH.NOT_ONCALL')).toEqual({ actor: JMA_STAFF, attempted: 'phone.claim' });
    const refused = f.audit.filter((e) => e.action === 'phone.refused');
    expect(refused).toHaveLength(7);
    expect(refused[0]).toEqual({ id: expect.stringMatching(/^phone-refused\./), at: minutes(61), actor: OUTSIDER, action: 'phone.refused', detail: { attempted: 'phone.claim' } });
    expect(refused[5]?.actor).toEqual(JMA_STAFF);
    expect(refused[6]).toMatchObject({ actor: JMA_STAFF, detail: { attempted: 'phone.claim' } });
    expect(new Set(refused.map((e) => e.id)).size).toBe(7);
    expect(await f.store.getPhoneTask(task.id)).toEqual(task);
  });

  it('lets the secretariat work a task as on-call staff do', async () => {
    const { task, board } = await openTask();
    expect((await claimFrom(SECRETARIAT, board, task.id)).task).toMatchObject({ state: 'claimed', claimedBy: SECRETARIAT });
    await drainBoard(f);
    // The copy goes to the secretariat member as it would to on-call staff, and its buttons work for them.
    const [copy] = copiesTo(f, SECRETARIAT.userId);
    expect(copy?.message.view).toMatchObject({ taskId: task.id, state: 'claimed', claimedBy: SECRETARIAT.name });
    expect((await act(SECRETARIAT, copy!.ref, 'no_answer')).task).toMatchObject({ claimedBy: SECRETARIAT, contactIndex: 1 });
  });

  it('refuses a button whose value names another task, audited with the task it came from', async () => {
    const { task, message } = await claimedTask();
    const detail = await refusal(act(ONCALL, message, 'no_answer', 'ADV-2026-0001.jda.slack-C0JDA00001.phone'), 'PHONE.NOT_YOURS');
    expect(detail).toEqual({ claimed: 'ADV-2026-0001.jda.slack-C0JDA00001.phone', actual: task.id });
    expect(f.audit.filter((e) => e.action === 'phone.refused')).toEqual([
      {
        id: expect.stringMatching(/^phone-refused\./),
        at: minutes(61),
        actor: ONCALL,
        action: 'phone.refused',
        advisoryId: task.advisoryId,
        deliveryId: task.deliveryId,
        detail: { claimedTaskId: 'ADV-2026-0001.jda.slack-C0JDA00001.phone', actual: task.id },
      },
    ]);
    expect(await f.store.getPhoneTask(task.id)).toEqual(task);
    // The matching value is accepted.
    expect((await act(ONCALL, message, 'no_answer', task.id)).outcome).toBe('done');
  });

  it('says ADVISORY.NOT_FOUND for a task whose advisory the store does not have (and keeps what it recorded)', async () => {
    const orphan = newPhoneTask({ id: 'ADV-2026-0999.jma.slack-C0JMA00001', advisoryId: 'ADV-2026-0999', memberId: 'jma' }, f.clock.now());
    const message = { platform: 'slack' as const, channelId: 'C0ONC00001', messageId: 'orphan' };
    await f.store.ensurePhoneTask(orphan);
    await f.store.savePhoneTask({ ...orphan, version: 1, messages: [message] });
    const detail = await refusal(act(ONCALL, message, 'claim'), 'ADVISORY.NOT_FOUND');
    expect(detail).toEqual({ taskId: orphan.id });
    expect((await f.store.getPhoneTask(orphan.id))?.state).toBe('claimed');
  });

  it('says PHONE.NOT_FOUND for a message that is no phone task, the board itself included', async () => {
    const { message, board } = await claimedTask();
    const detail = await refusal(act(ONCALL, { ...message, messageId: 'other' }, 'no_answer'), 'PHONE.NOT_FOUND');
    expect(detail).toEqual({ message: { ...message, messageId: 'other' } });
    // The board lists tasks but is none of them: an outcome is recorded on a task's own copy only.
    expect(await refusal(act(ONCALL, board, 'no_answer'), 'PHONE.NOT_FOUND')).toEqual({ message: board });
  });
});

describe('claiming', () => {
  it('one claimant at a time: the claim from the board is audited with the actor and page, the board and the claimer\'s copy follow', async () => {
    const { advisory, task, board } = await openTask();
    const r = await claimFrom(ONCALL, board, task.id);
    expect(r).toMatchObject({ outcome: 'done', refreshQueued: true, page: 1, task: { state: 'claimed', claimedBy: ONCALL, version: task.version + 1, updatedAt: minutes(61) } });
    expect(await f.store.getPhoneTask(task.id)).toEqual(r.task);
    expect((await f.store.listAudit(advisory.id)).filter((e) => e.action.startsWith('phone.'))).toEqual([
      {
        id: `${task.id}.v${task.version + 1}`,
        at: minutes(61),
        actor: ONCALL,
        action: 'phone.claim',
        advisoryId: advisory.id,
        deliveryId: task.deliveryId,
        detail: { contactIndex: 0, exhausted: false, from: 'board', page: 1 },
      },
    ]);
    expect(f.jobs.of('refresh-phone')).toEqual([{ kind: 'refresh-phone', scope: advisory.uid, taskId: task.id, revision: task.version + 1 }]);
    expect(f.jobs.of('phone-board').map((w) => w.advisoryId)).toEqual([advisory.id]);
    // The same person again (a double press): unchanged, nothing audited, the same refresh asked for (one job).
    const again = await claimFrom(ONCALL, board, task.id);
    expect(again).toEqual({ outcome: 'unchanged', task: r.task, refreshQueued: true, page: 1 });
    expect(new Set(f.jobs.of('refresh-phone').map(workKey))).toEqual(new Set([`refresh-phone:${task.id}:${task.version + 1}`]));
    expect(f.audit.filter((e) => e.action.startsWith('phone.'))).toHaveLength(1);
    // Someone else: refused, told who holds it, audited.
    expect(await refusal(claimFrom(ONCALL_B, board, task.id), 'PHONE.CLAIMED_BY_OTHER')).toEqual({ taskId: task.id, claimedBy: ONCALL.name });
    expect(f.audit.filter((e) => e.action === 'phone.refused').map((e) => [e.actor, e.detail])).toEqual([
      [ONCALL_B, { attempted: 'phone.claim', reason: 'claimed-by-other', taskId: task.id, state: 'claimed', claimedBy: ONCALL.name }],
    ]);
    // The board shows who is on it, and only the claimer gets the task's copy.
    await drainBoard(f);
    expect(boardShown(f, advisory.id).rows).toEqual([expect.objectContaining({ taskId: task.id, state: 'claimed', claimedBy: ONCALL.name })]);
    expect(copiesTo(f, ONCALL.userId).map((p) => p.message.view)).toEqual([expect.objectContaining({ taskId: task.id, state: 'claimed', claimedBy: ONCALL.name })]);
    expect(copiesTo(f, ONCALL_B.userId)).toEqual([]);
  });

  it('release: only by the claimant; an unclaimed task cannot be released; a claim on one\'s own copy takes it back', async () => {
    const { advisory, task, board, message } = await claimedTask();
    const released = await act(ONCALL, message, 'release');
    expect(released.task).toMatchObject({ state: 'open' });
    expect(released.task.claimedBy).toBeUndefined();
    expect(await refusal(act(ONCALL, message, 'release'), 'PHONE.NOT_CLAIMED')).toEqual({ taskId: task.id, claimedBy: undefined });
    // Now the other may claim it, from the board; the first cannot release it.
    expect((await claimFrom(ONCALL_B, board, task.id)).task.claimedBy).toEqual(ONCALL_B);
    await drainBoard(f);
    const [theirs] = copiesTo(f, ONCALL_B.userId);
    expect(await refusal(act(ONCALL, message, 'release'), 'PHONE.CLAIMED_BY_OTHER')).toEqual({ taskId: task.id, claimedBy: ONCALL_B.name });
    await act(ONCALL_B, theirs!.ref, 'release');
    // The first claims it again from the copy they still have: no second copy for them.
    expect((await act(ONCALL, message, 'claim')).task.claimedBy).toEqual(ONCALL);
    await drainBoard(f);
    expect(copiesTo(f, ONCALL.userId)).toHaveLength(1);
    // Each refusal is audited with what was attempted and why, as the changes are.
    expect((await f.store.listAudit(advisory.id)).filter((e) => e.action.startsWith('phone.')).map((e) => [e.action, e.actor?.userId, e.detail.reason ?? e.detail.from])).toEqual([
      ['phone.claim', ONCALL.userId, 'board'],
      ['phone.release', ONCALL.userId, undefined],
      ['phone.refused', ONCALL.userId, 'not-claimed'],
      ['phone.claim', ONCALL_B.userId, 'board'],
      ['phone.refused', ONCALL.userId, 'claimed-by-other'],
      ['phone.release', ONCALL_B.userId, undefined],
      ['phone.claim', ONCALL.userId, undefined],
    ]);
  });
});

describe('recording calls', () => {
  it('no answer and wrong number by someone who did not claim the task are refused; nothing recorded', async () => {
    // On-call B had it first and let it go; A holds it now. B's copy still has its buttons.
    const { task, board, message: bCopy } = await claimedTask(ONCALL_B);
    await act(ONCALL_B, bCopy, 'release');
    await claimFrom(ONCALL, board, task.id);
    const choice = await reachedChoice(f, task.id, 0);
    for (const action of ['no_answer', 'wrong_number', 'reached'] as const) {
      await refusal(act(ONCALL_B, bCopy, action, undefined, action === 'reached' ? choice : undefined), 'PHONE.CLAIMED_BY_OTHER');
    }
    const stored = (await f.store.getPhoneTask(task.id))!;
    expect(stored).toMatchObject({ state: 'claimed', claimedBy: ONCALL, contactIndex: 0, attempts: [] });
    expect((await f.store.getDelivery(task.deliveryId))?.state).toBe('posted');
  });

  it('no answer moves to the next contact and claims an open task for the caller; each call is audited', async () => {
    const { advisory, task, message } = await claimedTask();
    await act(ONCALL, message, 'release');
    const r = await act(ONCALL, message, 'no_answer');
    expect(r.task).toMatchObject({ state: 'claimed', claimedBy: ONCALL, contactIndex: 1, exhausted: false, attempts: [{ contactIndex: 0, outcome: 'no_answer', by: ONCALL, at: minutes(61) }] });
    expect((await f.store.listAudit(advisory.id)).filter((e) => e.action === 'phone.no_answer')).toEqual([
      expect.objectContaining({ actor: ONCALL, action: 'phone.no_answer', detail: { contactIndex: 1, exhausted: false } }),
    ]);
    // Not the last contact: the alert stays at its ladder time.
    expect((await f.store.getDelivery(task.deliveryId))?.nextStep?.kind).toBe('next-contact');
    expect(f.jobs.of('step')).toEqual([]);
  });

  it('after the last contact the task is exhausted and the secretariat alert is owed at once', async () => {
    const { advisory, task, message, delivery } = await claimedTask();
    await act(ONCALL, message, 'no_answer');
    f.clock.set(minutes(62));
    const last = await act(ONCALL, message, 'wrong_number');
    expect(last.task).toMatchObject({ contactIndex: 1, exhausted: true });
    expect((await f.store.listAudit(advisory.id)).filter((e) => e.action === 'phone.wrong_number')).toEqual([
      expect.objectContaining({ actor: ONCALL, detail: { contactIndex: 1, exhausted: true } }),
    ]);
    const after = (await f.store.getDelivery(task.deliveryId))!;
    expect(after.nextStep).toEqual({ kind: 'alert', index: 0, at: minutes(62) });
    expect(f.jobs.of('step')).toEqual([{ kind: 'step', deliveryId: after.id, token: delivery.escalationToken, step: 'alert', index: 0, at: new Date(minutes(62)) }]);
    // The alert runs once and names the wrong number; the ladder ends.
    expect(await f.core.runEscalationStep({ deliveryId: after.id, token: after.escalationToken, kind: 'alert', index: 0 })).toBe('ran');
    const alerts = f.chat.in('C0SEC00001', 'notice').filter((p) => p.key.includes('.alerts.escalation.'));
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.message.view).toMatchObject({ kind: 'alert_digest', alert: 'escalation', members: [{ attempts: 2, wrongNumbers: ['鈴木 美咲'], claimedBy: ONCALL.name, state: 'posted' }] });
    expect((await f.store.getDelivery(after.id))?.nextStep).toBeUndefined();
    // The board says every contact was tried.
    await drainBoard(f);
    expect(boardShown(f, advisory.id).rows[0]).toMatchObject({ taskId: task.id, exhausted: true, tried: 2, contacts: 2 });
    // A further failed call changes the task but does not owe the alert again.
    f.jobs.ensured.length = 0;
    await act(ONCALL, message, 'no_answer');
    expect(f.jobs.of('step')).toEqual([]);
  });

  it('"reached" acknowledges for the member, via phone, by the staff member, naming the contact reached; the task is done', async () => {
    const { advisory, task, message } = await claimedTask();
    const r = await reach(ONCALL, message, task.id, 0);
    expect(r.task).toMatchObject({ state: 'done', claimedBy: ONCALL, resolution: { kind: 'reached', by: ONCALL, at: minutes(61), contact: SATO } });
    const d = (await f.store.getDelivery(task.deliveryId))!;
    expect(d).toMatchObject({ state: 'acknowledged', acknowledged: { actor: ONCALL, via: 'phone', at: minutes(61), contact: SATO } });
    expect(d.nextStep).toBeUndefined();
    expect(await f.store.listAcknowledgements(task.deliveryId)).toEqual([
      { deliveryId: task.deliveryId, advisoryId: advisory.id, memberId: 'jma', actor: ONCALL, at: minutes(61), via: 'phone', contact: SATO },
    ]);
    const audit = (await f.store.listAudit(advisory.id)).filter((e) => e.action === 'phone.reached' || e.action === 'delivery.acknowledged');
    expect(audit.map((e) => [e.action, e.actor?.userId, e.detail])).toEqual([
      ['phone.reached', ONCALL.userId, { contactIndex: 0, exhausted: false, reached: SATO }],
      ['delivery.acknowledged', ONCALL.userId, { via: 'phone', contact: SATO }],
    ]);
    // The caller's copy, the board and the member's message are refreshed.
    expect(f.jobs.of('refresh-phone').map((w) => w.revision)).toEqual([r.task.version]);
    expect(f.jobs.of('phone-board').map((w) => w.advisoryId)).toContain(advisory.id);
    expect(f.jobs.of('refresh').map((w) => w.deliveryId)).toEqual([task.deliveryId]);
    // The member's message says who acknowledged, and how.
    expect((await f.core.deliveryView(task.deliveryId)).acknowledged).toEqual({ by: ONCALL.name, at: minutes(61), via: 'phone' });
    // The task's message names whom the caller reached, and offers no more choices.
    expect(await f.core.phoneTaskView(task.id)).toMatchObject({ state: 'done', reachedChoices: [], resolution: { by: ONCALL.name, contact: SATO } });
    await drainBoard(f);
    expect(f.chat.updates.filter((u) => u.ref.messageId === message.messageId).at(-1)?.message.view).toMatchObject({ state: 'done', resolution: { by: ONCALL.name, contact: SATO } });
    // The board marks the row reached, by whom, and counts it.
    expect(boardShown(f, advisory.id)).toMatchObject({
      rows: [{ taskId: task.id, state: 'done', resolution: { kind: 'reached', by: ONCALL.name } }],
      counts: { open: 0, claimed: 0, reached: 1 },
    });
    // The secretariat's status shows who called and whom they reached.
    const row = (await f.core.statusOf(SECRETARIAT, advisory.id)).rows.find((x) => x.memberId === 'jma');
    expect(row).toMatchObject({ state: 'acknowledged', acknowledgedBy: ONCALL.name, via: 'phone', reachedContact: SATO });
  });

  it('"reached" twice, or on a task closed by a button press, is refused as closed and audited', async () => {
    const { task, message } = await claimedTask();
    const choice = await reachedChoice(f, task.id, 0);
    await act(ONCALL, message, 'reached', undefined, choice);
    expect(await refusal(act(ONCALL, message, 'reached', undefined, choice), 'PHONE.CLOSED')).toStrictEqual({ taskId: task.id, claimedBy: ONCALL.name });
    expect((await f.store.listAudit(task.advisoryId)).filter((e) => e.action === 'phone.reached')).toHaveLength(1);
    // Exactly these keys (no contact problem: the task's own rule refused it).
    expect(f.audit.filter((e) => e.action === 'phone.refused').map((e) => [e.actor, e.detail])).toStrictEqual([
      [ONCALL, { attempted: 'phone.reached', reason: 'closed', taskId: task.id, state: 'done', claimedBy: ONCALL.name, choice }],
    ]);
    // The first contact stays the one on record.
    expect((await f.store.getDelivery(task.deliveryId))?.acknowledged?.contact).toEqual(SATO);

    const other = await issueAndPost(f, ['jda']);
    const jda = await untilClaimed(f, other.deliveries[0]!.id);
    const jdaChoice = await reachedChoice(f, jda.task.id, 0);
    await f.core.acknowledgeFromMessage({ actor: { platform: 'slack', userId: 'U0JDA00001' }, message: advisoryMessage(f, 'C0JDA00001') });
    for (const action of ['reached', 'claim', 'no_answer', 'release'] as const) {
      await refusal(act(ONCALL, jda.message, action, undefined, action === 'reached' ? jdaChoice : undefined), 'PHONE.CLOSED');
    }
    // Nor can it be claimed from the board any more.
    await refusal(claimFrom(ONCALL_B, jda.board, jda.task.id), 'PHONE.CLOSED');
    expect((await f.store.getPhoneTask(jda.task.id))?.state).toBe('cancelled');
    expect((await f.store.listAudit(other.advisory.id)).filter((e) => e.action === 'phone.refused').map((e) => [e.detail.attempted, e.detail.state])).toEqual([
      ['phone.reached', 'cancelled'],
      ['phone.claim', 'cancelled'],
      ['phone.no_answer', 'cancelled'],
      ['phone.release', 'cancelled'],
      ['phone.claim', 'cancelled'],
    ]);
    // The acknowledgement stays the member's own.
    expect((await f.store.getDelivery(jda.task.deliveryId))?.acknowledged).toMatchObject({ via: 'button' });
    expect((await f.store.getDelivery(jda.task.deliveryId))?.acknowledged?.contact).toBeUndefined();
  });

  it('stores the outcome while the queue is down, and says the message update waits', async () => {
    const { task, board, message } = await claimedTask();
    await act(ONCALL, message, 'release');
    f.jobs.down = true;
    const r = await claimFrom(ONCALL, board, task.id);
    expect(r).toMatchObject({ outcome: 'done', refreshQueued: false });
    expect((await f.store.getPhoneTask(task.id))?.state).toBe('claimed');
    const call = await act(ONCALL, message, 'no_answer');
    expect(call).toMatchObject({ outcome: 'done', refreshQueued: false });
    expect((await f.store.getPhoneTask(task.id))?.contactIndex).toBe(1);
  });
});

describe('the on-call list', () => {
  it('lists the tasks still to be worked, oldest first, for on-call staff and the secretariat only', async () => {
    const a = await openTask();
    f.clock.set(minutes(70));
    const other = await issueAndPost(f, ['jda']);
    const b = await untilPhoneTask(f, other.deliveries[0]!.id);
    const list = await f.core.oncallList(ONCALL);
    expect(list.tasks.map((t) => [t.taskId, t.contacts, t.state])).toEqual([
      [a.task.id, 2, 'open'],
      [b.task.id, 2, 'open'],
    ]);
    expect(list.tasks[0]).toMatchObject({ advisoryId: a.advisory.id, title: a.advisory.title, memberName: { en: 'Japan Medical Association' } });
    const { message } = await claimTask(f, a.task, ONCALL);
    expect((await f.core.oncallList(ONCALL)).tasks.map((t) => [t.taskId, t.state])).toEqual([
      [a.task.id, 'claimed'],
      [b.task.id, 'open'],
    ]);
    await reach(ONCALL, message, a.task.id);
    expect((await f.core.oncallList(SECRETARIAT)).tasks.map((t) => t.taskId)).toEqual([b.task.id]);
    expect(await refusal(f.core.oncallList(OUTSIDER), 'AUTH.NOT_ONCALL')).toEqual({ actor: OUTSIDER, attempted: 'phone.list' });
    expect(f.audit.filter((e) => e.action === 'phone.refused').map((e) => [e.actor?.userId, e.detail])).toEqual([[OUTSIDER.userId, { attempted: 'phone.list' }]]);
  });

  it('leaves out a task whose advisory is missing from the store', async () => {
    const { task } = await openTask();
    await f.store.ensurePhoneTask(newPhoneTask({ id: 'ADV-2026-0999.jma.slack-C0JMA00001', advisoryId: 'ADV-2026-0999', memberId: 'jma' }, f.clock.now()));
    expect((await f.core.oncallList(ONCALL)).tasks.map((t) => t.taskId)).toEqual([task.id]);
  });
});
