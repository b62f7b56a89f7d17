/**
 * One ladder step through in-memory ports: only the owed step runs, once, under a lease; a step that
 * gives up tells the secretariat and the ladder goes on; contacts exhausted bring the alert forward.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Delivery } from '../../../src/domain/delivery.js';
import { stepKey } from '../../../src/domain/escalation.js';
import { isBotError } from '../../../src/errors.js';
import { ChatError } from '../../../src/ports/chat.js';
import { coreFixture, directoryWithContacts, ONCALL, ISSUE_INPUT, SECRETARIAT, refusal, type CoreFixture } from '../../support/core-fixture.js';
import { boardShown, claimTask, drainBoard } from './helpers.js';

let f: CoreFixture;
beforeEach(async () => {
  f = await coreFixture({ stepLeaseMs: 60_000 });
});
afterEach(async () => {
  await f.close();
});

const minutes = (n: number) => new Date(Date.parse('2026-12-01T00:00:00.000Z') + n * 60_000).toISOString();

/** jma's delivery, posted by the core (level3: reminder 40 min, phone 60, next contact 80, alert 100). */
async function posted(): Promise<Delivery> {
  const { deliveries } = await f.core.issueAdvisory({ actor: SECRETARIAT, requestKey: 'r1', input: { ...ISSUE_INPUT, targets: { allMembers: false, members: ['jma'] } } });
  await f.core.deliver(deliveries[0]!.id);
  f.jobs.ensured.length = 0;
  return (await f.store.getDelivery(deliveries[0]!.id))!;
}

const req = (d: Delivery, kind: 'reminder' | 'phone' | 'next-contact' | 'alert', index = 0) => ({ deliveryId: d.id, token: d.escalationToken, kind, index });

describe('runEscalationStep', () => {
  it('runs the owed step, records it, and owes (and queues) the next one at its time', async () => {
    const d = await posted();
    expect(d.nextStep).toEqual({ kind: 'reminder', index: 0, at: minutes(40) });
    const finds = f.chat.finds;
    expect(await f.core.runEscalationStep(req(d, 'reminder'))).toBe('ran');
    expect(f.chat.in('C0JMA00001', 'reminder')).toHaveLength(1);
    // A first run posts without searching for an earlier post (a search is a rate-limited history call).
    expect(f.chat.finds).toBe(finds);
    const after = (await f.store.getDelivery(d.id))!;
    expect(after.nextStep).toEqual({ kind: 'phone', index: 0, at: minutes(60) });
    expect(after.ladder).toStrictEqual({ kind: 'reminder', index: 0, at: f.clock.now().toISOString() });
    const audit = (await f.store.listAudit(d.advisoryId)).filter((e) => e.action === 'escalation.reminder');
    expect(audit).toEqual([expect.objectContaining({ deliveryId: d.id, detail: { step: 'reminder', outcome: 'ran' } })]);
    expect(f.jobs.of('step')).toEqual([{ kind: 'step', deliveryId: d.id, token: d.escalationToken, step: 'phone', index: 0, at: new Date(minutes(60)) }]);
    // Again: not owed any more, nothing happens.
    expect(await f.core.runEscalationStep(req(d, 'reminder'))).toBe('stale');
    expect(f.chat.in('C0JMA00001', 'reminder')).toHaveLength(1);
  });

  it('does nothing for a step that is not the owed one, or under an old token', async () => {
    const d = await posted();
    expect(await f.core.runEscalationStep(req(d, 'phone'))).toBe('stale');
    expect(await f.core.runEscalationStep({ ...req(d, 'reminder'), token: 'kold' })).toBe('stale');
    expect(f.chat.posts.filter((p) => p.message.kind !== 'advisory' && p.message.kind !== 'notice')).toEqual([]);
    expect((await f.store.getDelivery(d.id))?.nextStep?.kind).toBe('reminder');
  });

  it('walks the whole ladder for a silent member with two contacts, each step once, and ends owing nothing', async () => {
    let d = await posted();
    const seen: string[] = [];
    while (d.nextStep) {
      seen.push(stepKey(d.nextStep));
      expect(await f.core.runEscalationStep(req(d, d.nextStep.kind, d.nextStep.index))).not.toBe('stale');
      d = (await f.store.getDelivery(d.id))!;
    }
    expect(seen).toEqual(['reminder', 'phone', 'next-contact-1', 'alert']);
    // Nothing is posted per task into the on-call channel: the steps ask for the board's update, which shows the task
    // once, overdue since the next contact's time came with nobody calling.
    expect(f.chat.in('C0ONC00001')).toEqual([]);
    expect(f.jobs.of('phone-board').map((w) => w.advisoryId)).toContain(d.advisoryId);
    await drainBoard(f);
    expect(f.chat.in('C0ONC00001').map((p) => p.key)).toEqual([`${d.advisoryId}.board.p1`]);
    const task = (await f.store.getPhoneTask(`${d.id}.phone`))!;
    expect(task.overdueSince).toBeDefined();
    expect(boardShown(f, d.advisoryId).rows).toEqual([expect.objectContaining({ taskId: task.id, state: 'open', overdueSince: task.overdueSince })]);
    expect(f.chat.in('C0SEC00001', 'notice').filter((p) => p.key.includes('.alerts.escalation.'))).toHaveLength(1);
    expect((await f.store.listOwedDeliveries({ limit: 10 })).deliveries.map((x) => x.id)).not.toContain(d.id);
  });

  it('waits while another run holds the lease, takes over once it expires, and redoes the effects without repeating the post', async () => {
    const d = await posted();
    const ref = { deliveryId: d.id, token: d.escalationToken, key: 'reminder' };
    // Another worker claimed the step and died after posting.
    await f.store.claimStep(ref, { owner: 'dead', at: f.clock.now().toISOString(), until: minutes(1) });
    await f.chat.post({ workspaceId: 'T0CEPTOAR0', channelId: 'C0JMA00001' }, { kind: 'reminder', view: {} as never }, `${d.id}.reminder.${d.escalationToken}.C0JMA00001`);
    const busy = await f.core.runEscalationStep(req(d, 'reminder')).catch((e: unknown) => e);
    expect(isBotError(busy, 'STEP.BUSY')).toBe(true);
    expect((busy as { detail: { retryAfterMs: number } }).detail.retryAfterMs).toBe(60_000);
    f.clock.advance(61_000);
    expect(await f.core.runEscalationStep(req(d, 'reminder'))).toBe('ran');
    expect(f.chat.in('C0JMA00001', 'reminder')).toHaveLength(1);
    expect(f.lines.some((l) => l.msg === 'escalation step taken over')).toBe(true);
  });

  it('holds its lease while it runs: a second run of the same step meanwhile is told to wait', async () => {
    const d = await posted();
    let open!: () => void;
    let arrived!: () => void;
    const posting = new Promise<void>((resolve) => (arrived = resolve));
    const held = new Promise<void>((resolve) => (open = resolve));
    f.chat.gate = () => {
      arrived();
      return held;
    };
    const first = f.core.runEscalationStep(req(d, 'reminder'));
    await posting;
    const second = await f.core.runEscalationStep(req(d, 'reminder')).catch((e: unknown) => e);
    expect(isBotError(second, 'STEP.BUSY')).toBe(true);
    f.chat.gate = undefined;
    open();
    expect(await first).toBe('ran');
    expect(f.chat.in('C0JMA00001', 'reminder')).toHaveLength(1);
  });

  // The step's posts here are the reminder's, into the member's channel (the phone step posts nothing: its task goes
  // on the board, whose page post has the same guarantees; phone-board.test.ts).
  it('releases its lease when a run fails, so the retry takes over at once', async () => {
    const d = await posted();
    f.chat.failPosts = (target) => (target.channelId === 'C0JMA00001' ? new ChatError('transient', 'internal_error') : undefined);
    await expect(f.core.runEscalationStep(req(d, 'reminder'))).rejects.toMatchObject({ code: 'internal_error' });
    f.chat.failPosts = undefined;
    expect(await f.core.runEscalationStep(req(d, 'reminder'))).toBe('ran');
    expect(f.chat.in('C0JMA00001', 'reminder')).toHaveLength(1);
  });

  it('a run refused with a 429 before its first post: the retry posts at once, without searching the channel', async () => {
    const d = await posted();
    const finds = f.chat.finds;
    f.chat.failPosts = (target) => (target.channelId === 'C0JMA00001' ? new ChatError('rate_limited', 'ratelimited', { retryAfterMs: 1_000 }) : undefined);
    await expect(f.core.runEscalationStep(req(d, 'reminder'))).rejects.toMatchObject({ kind: 'rate_limited' });
    await expect(f.core.runEscalationStep(req(d, 'reminder'))).rejects.toMatchObject({ kind: 'rate_limited' });
    f.chat.failPosts = undefined;
    expect(await f.core.runEscalationStep(req(d, 'reminder'))).toBe('ran');
    expect(f.chat.finds).toBe(finds);
    expect(f.chat.in('C0JMA00001', 'reminder')).toHaveLength(1);
  });

  it('a run whose post timed out: the retry searches, and finds the post the timed-out run made', async () => {
    const d = await posted();
    const key = `${d.id}.reminder.${d.escalationToken}.C0JMA00001`;
    // The post reaches the channel, its answer is lost.
    f.chat.failPosts = (target) => (target.channelId === 'C0JMA00001' ? new ChatError('transient', 'request_timeout', { reason: 'timeout' }) : undefined);
    await expect(f.core.runEscalationStep(req(d, 'reminder'))).rejects.toMatchObject({ code: 'request_timeout' });
    f.chat.failPosts = undefined;
    const made = await f.chat.post({ workspaceId: 'T0CEPTOAR0', channelId: 'C0JMA00001' }, { kind: 'reminder', view: {} as never }, key);
    const finds = f.chat.finds;
    expect(await f.core.runEscalationStep(req(d, 'reminder'))).toBe('ran');
    expect(f.chat.finds).toBe(finds + 1);
    expect(f.chat.in('C0JMA00001', 'reminder')).toHaveLength(1);
    // The post it found is the one the acknowledgement will update.
    expect((await f.store.getDelivery(d.id))?.reminders).toEqual([made]);
  });

  it('a run that had to search and then met a 429 leaves the next run searching too (only a first run can vouch)', async () => {
    const d = await posted();
    const inChannel = (e: () => ChatError) => (target: { channelId: string }) => (target.channelId === 'C0JMA00001' ? e() : undefined);
    const finds = f.chat.finds;
    f.chat.failPosts = inChannel(() => new ChatError('transient', 'request_timeout', { reason: 'timeout' }));
    await expect(f.core.runEscalationStep(req(d, 'reminder'))).rejects.toMatchObject({ code: 'request_timeout' });
    f.chat.failPosts = inChannel(() => new ChatError('rate_limited', 'ratelimited', { retryAfterMs: 1_000 }));
    await expect(f.core.runEscalationStep(req(d, 'reminder'))).rejects.toMatchObject({ kind: 'rate_limited' });
    f.chat.failPosts = undefined;
    expect(await f.core.runEscalationStep(req(d, 'reminder'))).toBe('ran');
    // The second run searched (the first timed out) and so does the third.
    expect(f.chat.finds).toBe(finds + 2);
    expect(f.chat.in('C0JMA00001', 'reminder')).toHaveLength(1);
  });

  it('a run that posted one of its messages and then met a 429 leaves the next run searching', async () => {
    await f.close();
    f = await coreFixture({ directory: await directoryWithContacts('jma', 2) });
    const { deliveries } = await f.core.issueAdvisory({ actor: SECRETARIAT, requestKey: 'red-remind', input: { ...ISSUE_INPUT, tlp: 'TLP:RED', targets: { allMembers: false, observers: false, groups: [], members: ['jma'] } } });
    await f.core.deliver(deliveries[0]!.id);
    const d = (await f.store.getDelivery(deliveries[0]!.id))!;
    const [first, second] = d.messages.map((m) => m.channelId);
    f.chat.failPosts = (target, message) => (message.kind === 'reminder' && target.channelId === second ? new ChatError('rate_limited', 'ratelimited', { retryAfterMs: 1_000 }) : undefined);
    await expect(f.core.runEscalationStep(req(d, 'reminder'))).rejects.toMatchObject({ kind: 'rate_limited' });
    f.chat.failPosts = undefined;
    const finds = f.chat.finds;
    expect(await f.core.runEscalationStep(req(d, 'reminder'))).toBe('ran');
    expect(f.chat.finds).toBe(finds + 2);
    expect(f.chat.in(first!, 'reminder')).toHaveLength(1);
    expect(f.chat.in(second!, 'reminder')).toHaveLength(1);
  });

  it('the run that moves the ladder on queues the next step as fresh (its job cannot exist yet)', async () => {
    const d = await posted();
    f.jobs.fresh.length = 0;
    expect(await f.core.runEscalationStep(req(d, 'reminder'))).toBe('ran');
    expect(f.jobs.fresh.map((w) => w.kind === 'step' && w.step)).toEqual(['phone']);
    expect(f.jobs.fresh.every((w) => w.kind === 'step' && w.token === d.escalationToken)).toBe(true);
  });

  it('moving the ladder on queues only the next step as fresh; a failure not yet told is looked for and queued too', async () => {
    const { deliveries } = await f.core.issueAdvisory({ actor: SECRETARIAT, requestKey: 'r-failed', input: { ...ISSUE_INPUT, targets: { allMembers: false, members: ['jma'] } } });
    f.chat.failPosts = (target) => (target.channelId === 'C0JMA00001' ? refusal('channel_gone') : undefined);
    expect(await f.core.deliver(deliveries[0]!.id)).toMatchObject({ outcome: 'failed' });
    const d = (await f.store.getDelivery(deliveries[0]!.id))!;
    f.jobs.ensured.length = 0;
    f.jobs.fresh.length = 0;
    expect(await f.core.runEscalationStep(req(d, 'phone'))).toBe('ran');
    expect(f.jobs.fresh.map((w) => w.kind === 'step' && w.step)).toEqual(['next-contact']);
    expect(f.jobs.ensured.filter((w) => w.kind === 'failure-alert' || w.kind === 'step').map((w) => w.kind).sort()).toEqual(['failure-alert', 'step']);
  });

  it('moves the record on when the ledger says done but the record did not (stopped in between)', async () => {
    const d = await posted();
    await f.store.finishStep({ deliveryId: d.id, token: d.escalationToken, key: 'reminder' }, { owner: 'x', at: minutes(0), outcome: 'done' });
    expect(await f.core.runEscalationStep(req(d, 'reminder'))).toBe('already');
    expect(f.chat.in('C0JMA00001', 'reminder')).toHaveLength(0);
    expect((await f.store.getDelivery(d.id))?.nextStep?.kind).toBe('phone');
    expect(f.jobs.of('step').map((w) => w.step)).toEqual(['phone']);
  });
});

describe('giving up a step', () => {
  it('tells the secretariat which member and which step, records the give-up and moves the ladder on', async () => {
    let d = await posted();
    await f.core.runEscalationStep(req(d, 'reminder'));
    d = (await f.store.getDelivery(d.id))!;
    await f.core.giveUp({ kind: 'step', deliveryId: d.id, token: d.escalationToken, step: 'phone', index: 0, at: new Date(minutes(60)) }, 'channel_gone');
    const notices = f.chat.in('C0SEC00001', 'notice').map((p) => p.message.view as { kind: string; step?: string; reason?: string });
    expect(notices.filter((v) => v.kind === 'step_failed')).toEqual([expect.objectContaining({ step: 'phone', reason: 'channel_gone' })]);
    const after = (await f.store.getDelivery(d.id))!;
    expect(after.ladder).toMatchObject({ kind: 'phone', gaveUp: true });
    expect(after.nextStep?.kind).toBe('next-contact');
    expect((await f.store.claimStep({ deliveryId: d.id, token: d.escalationToken, key: 'phone' }, { owner: 'y', at: minutes(61), until: minutes(62) })).outcome).toBe('done');
    expect((await f.store.listAudit(d.advisoryId)).filter((e) => e.action === 'escalation.gave_up')).toEqual([
      expect.objectContaining({ deliveryId: d.id, detail: { step: 'phone', reason: 'channel_gone' } }),
    ]);
    // Giving up the same step again changes nothing.
    await f.core.giveUp({ kind: 'step', deliveryId: d.id, token: d.escalationToken, step: 'phone', index: 0, at: new Date(minutes(60)) }, 'again');
    expect(f.chat.in('C0SEC00001', 'notice').filter((p) => p.key.includes('.step-failed.'))).toHaveLength(1);
  });

  it('does nothing for a step that is not owed any more, or already ran', async () => {
    let d = await posted();
    await f.core.giveUp({ kind: 'step', deliveryId: d.id, token: 'kold', step: 'reminder', index: 0, at: new Date(minutes(40)) }, 'x');
    await f.core.giveUp({ kind: 'step', deliveryId: d.id, token: d.escalationToken, step: 'phone', index: 0, at: new Date(minutes(60)) }, 'x');
    // Ran, but the record did not move on yet: the give-up must not undo it.
    await f.store.finishStep({ deliveryId: d.id, token: d.escalationToken, key: 'reminder' }, { owner: 'w', at: minutes(40), outcome: 'done' });
    await f.core.giveUp({ kind: 'step', deliveryId: d.id, token: d.escalationToken, step: 'reminder', index: 0, at: new Date(minutes(40)) }, 'x');
    expect(f.chat.in('C0SEC00001', 'notice').filter((p) => p.key.includes('.step-failed.'))).toEqual([]);
    d = (await f.store.getDelivery(d.id))!;
    expect(d.ladder).toBeUndefined();
    expect(d.nextStep?.kind).toBe('reminder');
  });

  it('gives a step up once when the worker and the reconciler both do it at the same time', async () => {
    let d = await posted();
    await f.core.runEscalationStep(req(d, 'reminder'));
    d = (await f.store.getDelivery(d.id))!;
    const work = { kind: 'step' as const, deliveryId: d.id, token: d.escalationToken, step: 'phone' as const, index: 0, at: new Date(minutes(60)) };
    await Promise.all([f.core.giveUp(work, 'a'), f.core.giveUp(work, 'b'), f.core.giveUp(work, 'c')]);
    expect(f.chat.in('C0SEC00001', 'notice').filter((p) => p.key.includes('.step-failed.'))).toHaveLength(1);
    expect((await f.store.listAudit(d.advisoryId)).filter((e) => e.action === 'escalation.gave_up')).toHaveLength(1);
    expect((await f.store.getDelivery(d.id))?.nextStep?.kind).toBe('next-contact');
  });

  it('logs at error level, with the advisory and member, when the alert itself cannot be posted', async () => {
    let d = await posted();
    for (const kind of ['reminder', 'phone', 'next-contact'] as const) {
      await f.core.runEscalationStep(req(d, kind, kind === 'next-contact' ? 1 : 0));
      d = (await f.store.getDelivery(d.id))!;
    }
    expect(d.nextStep?.kind).toBe('alert');
    await f.core.giveUp({ kind: 'step', deliveryId: d.id, token: d.escalationToken, step: 'alert', index: 0, at: new Date(minutes(100)) }, 'not_in_channel');
    const errors = f.lines.filter((l) => l.level === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]?.obj).toMatchObject({ advisoryId: d.advisoryId, memberId: 'jma', reason: 'not_in_channel' });
    expect((await f.store.getDelivery(d.id))?.nextStep).toBeUndefined();
  });

  it('tells the secretariat of a failure once, with the reason, and records that it was told', async () => {
    const { deliveries } = await f.core.issueAdvisory({ actor: SECRETARIAT, requestKey: 'r3', input: { ...ISSUE_INPUT, targets: { allMembers: false, members: ['jda'] } } });
    const id = deliveries[0]!.id;
    // Nothing to tell before it failed.
    expect(await f.core.alertDeliveryFailed(id)).toBe(0);
    f.chat.failPosts = (target) => (target.channelId === 'C0JDA00001' ? refusal('not_in_channel') : undefined);
    await f.core.deliver(id);
    // A post that was made before the process stopped (its attempt begun, its message not recorded): found, not repeated.
    const key = `${deliveries[0]!.advisoryId}.alerts.failed.w1`;
    await f.store.beginPost(`${key}@slack:C0SEC00001`, f.clock.now().toISOString());
    await f.chat.post({ workspaceId: 'T0CEPTOAR0', channelId: 'C0SEC00001' }, { kind: 'notice', view: {} as never }, key);
    expect(await f.core.alertDeliveryFailed(id)).toBe(1);
    expect(f.chat.in('C0SEC00001', 'notice').filter((p) => p.key === key)).toHaveLength(1);
    const failed = (await f.store.getDelivery(id))!;
    expect(failed.failure?.alerted).toEqual({ at: f.clock.now().toISOString(), ok: true });
    expect(await f.core.alertDeliveryFailed(id)).toBe(0);
    // The notice names the failure's code.
    f.chat.posts.length = 0;
    const again = (await f.core.issueAdvisory({ actor: SECRETARIAT, requestKey: 'r4', input: { ...ISSUE_INPUT, targets: { allMembers: false, members: ['jda'] } } })).deliveries[0]!.id;
    await f.core.deliver(again);
    await f.core.alertDeliveryFailed(again);
    expect(f.chat.in('C0SEC00001', 'notice').map((p) => p.message.view)).toEqual([
      expect.objectContaining({ kind: 'alert_digest', alert: 'failed', members: [expect.objectContaining({ reason: 'not_in_channel' })] }),
    ]);
  });

  it('tells the operators when the secretariat cannot hear of a failure, and stops owing it', async () => {
    const { deliveries } = await f.core.issueAdvisory({ actor: SECRETARIAT, requestKey: 'r2', input: { ...ISSUE_INPUT, targets: { allMembers: false, members: ['jda'] } } });
    f.chat.failPosts = (target) => (target.channelId === 'C0JDA00001' ? refusal('channel_gone') : undefined);
    await f.core.deliver(deliveries[0]!.id);
    // Not failed (yet): nothing to give up.
    await f.core.giveUp({ kind: 'failure-alert', scope: 'x', deliveryId: (await posted()).id }, 'x');
    const work = { kind: 'failure-alert' as const, scope: 'x', deliveryId: deliveries[0]!.id };
    await Promise.all([f.core.giveUp(work, 'not_in_channel'), f.core.giveUp(work, 'not_in_channel')]);
    await f.core.giveUp(work, 'again');
    const failed = (await f.store.getDelivery(deliveries[0]!.id))!;
    expect(failed.failure?.alerted).toMatchObject({ ok: false });
    expect(f.lines.filter((l) => l.level === 'error').map((l) => l.obj)).toEqual([expect.objectContaining({ memberId: 'jda', code: 'channel_gone' })]);
    f.jobs.ensured.length = 0;
    await f.core.reconcile();
    expect(f.jobs.of('failure-alert')).toEqual([]);
    expect(f.jobs.of('step').map((w) => [w.deliveryId, w.step])).toContainEqual([failed.id, 'phone']);
  });
});

describe('every contact tried', () => {
  it('brings the alert forward to now and queues it', async () => {
    let d = await posted();
    for (const kind of ['reminder', 'phone'] as const) {
      await f.core.runEscalationStep(req(d, kind));
      d = (await f.store.getDelivery(d.id))!;
    }
    await drainBoard(f);
    const { message } = await claimTask(f, { id: `${d.id}.phone`, advisoryId: d.advisoryId }, ONCALL);
    f.clock.advance(65 * 60_000);
    for (const action of ['no_answer', 'no_answer'] as const) await f.core.phoneTaskAction({ actor: ONCALL, message, action });
    const after = (await f.store.getDelivery(d.id))!;
    expect(after.nextStep).toEqual({ kind: 'alert', index: 0, at: f.clock.now().toISOString() });
    expect(f.jobs.of('step').filter((w) => w.step === 'alert')).toEqual([expect.objectContaining({ at: f.clock.now() })]);
    // The pending next-contact job finds it is not owed any more.
    expect(await f.core.runEscalationStep(req(after, 'next-contact', 1))).toBe('stale');
  });

  it('an acknowledgement owes nothing more and drops the pending step', async () => {
    const d = await posted();
    const post = f.chat.in('C0JMA00001', 'advisory')[0]!;
    await f.core.acknowledgeFromMessage({ actor: { platform: 'slack', userId: 'U0JMA00001', name: 'jma' }, message: post.ref });
    const after = (await f.store.getDelivery(d.id))!;
    expect(after.nextStep).toBeUndefined();
    expect(f.jobs.dropped).toEqual([expect.objectContaining({ kind: 'step', deliveryId: d.id, token: d.escalationToken, step: 'reminder' })]);
    expect(await f.core.runEscalationStep(req(d, 'reminder'))).toBe('stale');
  });

  it('an acknowledgement during a queue outage is stored, and says its messages wait', async () => {
    await posted();
    const post = f.chat.in('C0JMA00001', 'advisory')[0]!;
    f.jobs.down = true;
    const result = await f.core.acknowledgeFromMessage({ actor: { platform: 'slack', userId: 'U0JMA00001', name: 'jma' }, message: post.ref });
    expect(result).toMatchObject({ outcome: 'acknowledged', refreshQueued: false });
    expect((await f.store.getDelivery(result.delivery.id))?.state).toBe('acknowledged');
  });

  it('issuing during a queue outage stores the advisory and its deliveries as owed, and says so', async () => {
    f.jobs.down = true;
    const r = await f.core.issueAdvisory({ actor: SECRETARIAT, requestKey: 'r-out', input: ISSUE_INPUT });
    expect(r.queued).toBe(false);
    expect((await f.store.listOwedDeliveries({ limit: 10 })).deliveries).toHaveLength(2);
    expect((await f.store.listUnannouncedAdvisories()).map((a) => a.id)).toEqual([r.advisory.id]);
  });
});
