/**
 * Acknowledgement by button (and by phone, through acknowledgeDelivery) against in-memory ports:
 * first one wins, later people are "also seen", a repeat changes nothing, a forged button is refused
 * and audited, and the acknowledgement is the single point that stops the ladder.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { markLadderStep } from '../../../src/domain/delivery.js';
import { isBotError } from '../../../src/errors.js';
import { coreFixture, ONCALL, raceNext, refusal, type CoreFixture } from '../../support/core-fixture.js';
import { advisoryMessage, boardShown, drainBoard, issueAndPost, JMA_COLLEAGUE, JMA_STAFF, minutes, reachedChoice, untilClaimed, untilPhoneTask } from './helpers.js';

let f: CoreFixture;
beforeEach(async () => {
  f = await coreFixture();
});
afterEach(async () => {
  await f.close();
});

describe('acknowledging by button', () => {
  it('records the first press as the acknowledgement, audits it with the actor, and queues the message update', async () => {
    const { advisory, deliveries } = await issueAndPost(f);
    const d = deliveries[0]!;
    f.clock.set(minutes(5));
    const r = await f.core.acknowledgeFromMessage({ actor: JMA_STAFF, message: advisoryMessage(f, 'C0JMA00001') });
    expect(r.outcome).toBe('acknowledged');
    expect(r.refreshQueued).toBe(true);
    const mark = { actor: JMA_STAFF, at: minutes(5), via: 'button' };
    expect(r.first).toEqual(mark);
    const stored = (await f.store.getDelivery(d.id))!;
    expect(stored).toMatchObject({ state: 'acknowledged', acknowledged: mark, version: d.version + 1 });
    expect(r.delivery).toEqual(stored);
    expect(await f.store.listAcknowledgements(d.id)).toEqual([{ deliveryId: d.id, advisoryId: advisory.id, memberId: 'jma', actor: JMA_STAFF, at: minutes(5), via: 'button' }]);
    expect((await f.store.listAudit(advisory.id)).filter((e) => e.action === 'delivery.acknowledged')).toEqual([
      { id: `${d.id}.acknowledged`, at: minutes(5), actor: JMA_STAFF, action: 'delivery.acknowledged', advisoryId: advisory.id, deliveryId: d.id, detail: { via: 'button' } },
    ]);
    expect(f.jobs.of('refresh')).toEqual([{ kind: 'refresh', scope: advisory.uid, deliveryId: d.id, revision: 1 }]);
    // A revision no job has had: added without looking for one first.
    expect(f.jobs.fresh.filter((w) => w.kind === 'refresh')).toEqual(f.jobs.of('refresh'));
  });

  it('rotates the escalation token, owes no more steps, and drops the pending step job', async () => {
    const { deliveries } = await issueAndPost(f);
    const d = deliveries[0]!;
    expect(d.nextStep?.kind).toBe('reminder');
    const r = await f.core.acknowledgeFromMessage({ actor: JMA_STAFF, message: advisoryMessage(f, 'C0JMA00001') });
    expect(r.delivery.escalationToken).not.toBe(d.escalationToken);
    expect(r.delivery.escalationToken).toMatch(/^k[0-9a-f]{12}$/);
    expect(r.delivery.nextStep).toBeUndefined();
    expect(f.jobs.dropped).toEqual([{ kind: 'step', deliveryId: d.id, token: d.escalationToken, step: 'reminder', index: 0, at: new Date(d.nextStep!.at) }]);
    expect(f.jobs.of('step')).toEqual([]);
    expect(await f.core.runEscalationStep({ deliveryId: d.id, token: d.escalationToken, kind: 'reminder', index: 0 })).toBe('stale');
    expect((await f.store.listOwedDeliveries({ limit: 10 })).deliveries).toEqual([]);
  });

  it('the same person pressing twice is a repeat: nothing stored, audited or refreshed a second time', async () => {
    const { advisory, deliveries } = await issueAndPost(f);
    const message = advisoryMessage(f, 'C0JMA00001');
    await f.core.acknowledgeFromMessage({ actor: JMA_STAFF, message });
    f.clock.set(minutes(9));
    const again = await f.core.acknowledgeFromMessage({ actor: JMA_STAFF, message });
    expect(again.outcome).toBe('repeat');
    expect(again.first.at).toBe(minutes(0));
    expect(again.refreshQueued).toBe(true);
    expect(f.jobs.of('refresh')).toHaveLength(1);
    expect(f.jobs.dropped).toHaveLength(1);
    expect(await f.store.listAcknowledgements(deliveries[0]!.id)).toHaveLength(1);
    expect((await f.store.listAudit(advisory.id)).filter((e) => e.action.startsWith('delivery.') && e.action !== 'delivery.posted').map((e) => e.action)).toEqual(['delivery.acknowledged']);
    expect((await f.store.getDelivery(deliveries[0]!.id))?.version).toBe(again.delivery.version);
  });

  it('a second person is "also seen": audited as seen with that person, the first acknowledgement kept, a second refresh queued', async () => {
    const { advisory, deliveries } = await issueAndPost(f);
    const d = deliveries[0]!;
    const message = advisoryMessage(f, 'C0JMA00001');
    await f.core.acknowledgeFromMessage({ actor: JMA_STAFF, message });
    f.clock.set(minutes(3));
    const seen = await f.core.acknowledgeFromMessage({ actor: JMA_COLLEAGUE, message });
    expect(seen.outcome).toBe('seen');
    expect(seen.first).toEqual({ actor: JMA_STAFF, at: minutes(0), via: 'button' });
    expect(seen.delivery.acknowledged?.actor).toEqual(JMA_STAFF);
    expect((await f.store.listAudit(advisory.id)).filter((e) => e.action === 'delivery.seen')).toEqual([
      { id: `${d.id}.seen.slack/${JMA_COLLEAGUE.userId}`, at: minutes(3), actor: JMA_COLLEAGUE, action: 'delivery.seen', advisoryId: advisory.id, deliveryId: d.id, detail: { via: 'button' } },
    ]);
    expect(f.jobs.of('refresh').map((w) => w.revision)).toEqual([1, 2]);
    // Seeing changes no state: the record's version is the acknowledgement's.
    expect((await f.store.getDelivery(d.id))?.version).toBe(d.version + 1);
    // The message shows who acknowledged and who also saw it.
    expect(await f.core.refreshMessages(d.id)).toBe(1);
    expect(f.chat.updates.at(-1)?.message.view).toMatchObject({ acknowledged: { by: JMA_STAFF.name, via: 'button' }, alsoSeenBy: [{ by: JMA_COLLEAGUE.name, at: minutes(3) }] });
  });

  it('two people pressing at the same moment: one acknowledged, the other seen, one acknowledgement audited', async () => {
    const { advisory, deliveries } = await issueAndPost(f);
    const message = advisoryMessage(f, 'C0JMA00001');
    // Both presses read the record before either writes it.
    const race = raceNext(f.store, 'saveDelivery');
    const results = await Promise.all([
      f.core.acknowledgeFromMessage({ actor: JMA_STAFF, message }),
      f.core.acknowledgeFromMessage({ actor: JMA_COLLEAGUE, message }),
    ]);
    expect(race.results).toEqual([true, false]);
    expect(results.map((r) => r.outcome).sort()).toEqual(['acknowledged', 'seen']);
    const winner = results.find((r) => r.outcome === 'acknowledged')!;
    expect(results.every((r) => r.first.actor.userId === winner.first.actor.userId)).toBe(true);
    const audit = await f.store.listAudit(advisory.id);
    expect(audit.filter((e) => e.action === 'delivery.acknowledged')).toHaveLength(1);
    expect(audit.filter((e) => e.action === 'delivery.seen')).toHaveLength(1);
    expect(await f.store.listAcknowledgements(deliveries[0]!.id)).toHaveLength(2);
    // The ladder's pending step is dropped once, by the winner.
    expect(f.jobs.dropped).toHaveLength(1);
  });

  it('the same person pressing twice at the same moment: one acknowledgement, one repeat, one refresh', async () => {
    const { advisory } = await issueAndPost(f);
    const message = advisoryMessage(f, 'C0JMA00001');
    const race = raceNext(f.store, 'saveDelivery');
    const results = await Promise.all([
      f.core.acknowledgeFromMessage({ actor: JMA_STAFF, message }),
      f.core.acknowledgeFromMessage({ actor: JMA_STAFF, message }),
    ]);
    expect(race.results).toEqual([true, false]);
    expect(results.map((r) => r.outcome)).toEqual(['acknowledged', 'repeat']);
    expect(f.jobs.of('refresh')).toHaveLength(1);
    expect((await f.store.listAudit(advisory.id)).filter((e) => e.action === 'delivery.acknowledged' || e.action === 'delivery.seen')).toHaveLength(1);
  });

  it('refuses a button whose value names another delivery, and audits the attempt with the actor', async () => {
    const { advisory, deliveries } = await issueAndPost(f, ['jma', 'jda']);
    const jma = deliveries.find((d) => d.memberId === 'jma')!;
    const jda = deliveries.find((d) => d.memberId === 'jda')!;
    const message = advisoryMessage(f, 'C0JMA00001');
    f.clock.set(minutes(2));
    const err = await f.core.acknowledgeFromMessage({ actor: JMA_STAFF, message, claimedDeliveryId: jda.id }).catch((e: unknown) => e);
    expect(isBotError(err, 'DELIVERY.NOT_YOURS')).toBe(true);
    expect((err as { detail: unknown }).detail).toEqual({ claimed: jda.id, actual: jma.id });
    const refused = (await f.store.listAudit(advisory.id)).filter((e) => e.action === 'delivery.ack_refused');
    expect(refused).toEqual([
      { id: expect.stringMatching(/^ack-refused\./), at: minutes(2), actor: JMA_STAFF, action: 'delivery.ack_refused', advisoryId: advisory.id, deliveryId: jma.id, detail: { claimedDeliveryId: jda.id, message } },
    ]);
    expect(f.lines.filter((l) => l.level === 'warn').map((l) => l.obj)).toContainEqual({ actor: JMA_STAFF, claimed: jda.id, actual: jma.id });
    // Neither delivery moved.
    expect((await f.store.getDelivery(jma.id))?.state).toBe('posted');
    expect((await f.store.getDelivery(jda.id))?.state).toBe('posted');
    expect(await f.store.listAcknowledgements(jma.id)).toEqual([]);
    expect(await f.store.listAcknowledgements(jda.id)).toEqual([]);
  });

  it('accepts a button whose value matches the message, and refuses a message that is no delivery', async () => {
    const { deliveries } = await issueAndPost(f);
    const message = advisoryMessage(f, 'C0JMA00001');
    const ok = await f.core.acknowledgeFromMessage({ actor: JMA_STAFF, message, claimedDeliveryId: deliveries[0]!.id });
    expect(ok.outcome).toBe('acknowledged');
    const err = await f.core.acknowledgeFromMessage({ actor: JMA_STAFF, message: { ...message, messageId: 'nope' } }).catch((e: unknown) => e);
    expect(isBotError(err, 'DELIVERY.NOT_FOUND')).toBe(true);
    expect((err as { detail: unknown }).detail).toEqual({ message: { ...message, messageId: 'nope' } });
  });

  it('drops the step the record owed when the acknowledgement won, not the one it read first', async () => {
    const { deliveries } = await issueAndPost(f);
    const d = deliveries[0]!;
    // The reminder runs between the press's first read and its write: the phone step is now owed.
    const getDelivery = f.store.getDelivery.bind(f.store);
    let reads = 0;
    f.store.getDelivery = async (id: string) => {
      const read = await getDelivery(id);
      if (++reads === 1 && read) {
        const t = markLadderStep(read, read.escalationToken, { kind: 'reminder', index: 0 }, { kind: 'phone', index: 0, at: minutes(60) }, f.clock.now());
        if (t.changed) await f.store.saveDelivery(t.next);
      }
      return read;
    };
    await f.core.acknowledgeDelivery({ deliveryId: d.id, actor: JMA_STAFF, via: 'button' });
    expect(f.jobs.dropped).toEqual([expect.objectContaining({ kind: 'step', step: 'phone', token: d.escalationToken })]);
  });

  it('stays stored when the queue is down, and a job that cannot be dropped is no failure', async () => {
    const { deliveries } = await issueAndPost(f);
    f.jobs.down = true;
    const r = await f.core.acknowledgeDelivery({ deliveryId: deliveries[0]!.id, actor: JMA_STAFF, via: 'button' });
    expect(r).toMatchObject({ outcome: 'acknowledged', refreshQueued: false });
    expect(f.jobs.dropped).toEqual([]);
    f.jobs.down = false;
    // A repeat while the queue is back says nothing needs queuing.
    expect((await f.core.acknowledgeDelivery({ deliveryId: deliveries[0]!.id, actor: JMA_STAFF, via: 'button' })).refreshQueued).toBe(true);
  });

  it('the reminder\'s own button acknowledges the delivery, as the copy\'s does', async () => {
    const { deliveries } = await issueAndPost(f);
    const d = deliveries[0]!;
    f.clock.set(d.nextStep!.at);
    expect(await f.core.runEscalationStep({ deliveryId: d.id, token: d.escalationToken, kind: 'reminder', index: 0 })).toBe('ran');
    const reminder = f.chat.in('C0JMA00001', 'reminder')[0]!.ref;
    expect(reminder).not.toEqual(advisoryMessage(f, 'C0JMA00001'));
    const r = await f.core.acknowledgeFromMessage({ actor: JMA_STAFF, message: reminder });
    expect(r).toMatchObject({ outcome: 'acknowledged', delivery: { state: 'acknowledged' } });
  });

  it('a failed delivery can still be acknowledged (reached another way): nothing more is owed', async () => {
    f.chat.failPosts = () => refusal('channel_gone');
    const { deliveries } = await issueAndPost(f);
    expect(deliveries[0]!.state).toBe('failed');
    const r = await f.core.acknowledgeDelivery({ deliveryId: deliveries[0]!.id, actor: ONCALL, via: 'phone' });
    expect(r.outcome).toBe('acknowledged');
    expect(r.delivery).toMatchObject({ state: 'acknowledged', acknowledged: { actor: ONCALL, via: 'phone' } });
    expect((await f.store.listOwedDeliveries({ limit: 10 })).deliveries).toEqual([]);
  });
});

describe('an acknowledgement with no ladder running', () => {
  it('has no step to drop (escalation off, or the ladder ended)', async () => {
    const { deliveries } = await issueAndPost(f, ['jma'], { severity: 'level1', escalate: false });
    expect(deliveries[0]!.nextStep).toBeUndefined();
    const r = await f.core.acknowledgeFromMessage({ actor: JMA_STAFF, message: advisoryMessage(f, 'C0JMA00001') });
    expect(r.outcome).toBe('acknowledged');
    expect(f.jobs.dropped).toEqual([]);
    expect(f.jobs.of('refresh-phone')).toEqual([]);
  });
});

describe('an acknowledgement while a phone task is open', () => {
  it('cancels the task as acknowledged elsewhere and queues the board\'s update, which shows it closed', async () => {
    const { advisory, deliveries } = await issueAndPost(f);
    const { task } = await untilPhoneTask(f, deliveries[0]!.id);
    expect(task.state).toBe('open');
    expect(boardShown(f, advisory.id).rows).toEqual([expect.objectContaining({ taskId: task.id, state: 'open' })]);
    f.clock.set(minutes(65));
    await f.core.acknowledgeFromMessage({ actor: JMA_STAFF, message: advisoryMessage(f, 'C0JMA00001') });
    const closed = (await f.store.getPhoneTask(task.id))!;
    expect(closed).toMatchObject({ state: 'cancelled', resolution: { kind: 'acknowledged_elsewhere', at: minutes(65) }, version: task.version + 1 });
    // Nobody claimed it: it has no copy of its own, only its row on the board.
    // (at the end of the board's five-second interval, as the status card)
    expect(f.jobs.of('phone-board')).toEqual([{ kind: 'phone-board', scope: advisory.uid, advisoryId: advisory.id, at: new Date(Date.parse(minutes(65)) + 5_000) }]);
    expect(f.jobs.of('refresh-phone')).toEqual([]);
    expect((await f.store.listOpenPhoneTasks()).map((t) => t.id)).toEqual([]);
    // The board's page then shows it closed, acknowledged by the member.
    const edits = f.chat.updates.length;
    await drainBoard(f);
    expect(f.chat.updates.length).toBeGreaterThan(edits);
    expect(boardShown(f, advisory.id)).toMatchObject({
      rows: [{ taskId: task.id, state: 'cancelled', resolution: { kind: 'acknowledged_elsewhere' } }],
      counts: { open: 0, acknowledged: 1 },
    });
  });

  it('cancels a claimed task too, its claimer\'s copy says so, and leaves a task already done as it is', async () => {
    const { advisory, deliveries } = await issueAndPost(f, ['jma', 'jda']);
    const jma = await untilClaimed(f, deliveries.find((d) => d.memberId === 'jma')!.id);
    await f.core.acknowledgeFromMessage({ actor: JMA_STAFF, message: advisoryMessage(f, 'C0JMA00001') });
    const cancelled = (await f.store.getPhoneTask(jma.task.id))!;
    expect(cancelled.state).toBe('cancelled');
    expect(f.jobs.of('refresh-phone')).toEqual([{ kind: 'refresh-phone', scope: advisory.uid, taskId: jma.task.id, revision: cancelled.version }]);
    expect(await f.core.refreshPhoneTask(jma.task.id)).toBe(1);
    expect(f.chat.updates.at(-1)).toMatchObject({ ref: jma.message, message: { kind: 'phone_task', view: { state: 'cancelled', resolution: { kind: 'acknowledged_elsewhere' } } } });

    const jda = await untilClaimed(f, deliveries.find((d) => d.memberId === 'jda')!.id);
    await f.core.phoneTaskAction({ actor: ONCALL, message: jda.message, action: 'reached', choice: await reachedChoice(f, jda.task.id, 0) });
    const done = (await f.store.getPhoneTask(jda.task.id))!;
    f.jobs.ensured.length = 0;
    // A later press on the member's message: seen, and the finished task is left alone.
    const r = await f.core.acknowledgeFromMessage({ actor: { platform: 'slack', userId: 'U0JDA00001' }, message: advisoryMessage(f, 'C0JDA00001') });
    expect(r.outcome).toBe('seen');
    expect(await f.store.getPhoneTask(jda.task.id)).toEqual(done);
    expect(f.jobs.of('refresh-phone')).toEqual([]);
    expect(f.jobs.of('phone-board')).toEqual([]);
  });
});
