import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Advisory } from '../../../src/domain/advisory.js';
import { isBotError } from '../../../src/errors.js';
import type { OutboundView } from '../../../src/ports/chat.js';
import type { Work } from '../../../src/ports/jobs.js';
import type { FollowUpView, NoticeView } from '../../../src/view/views.js';
import { coreFixture, directoryWithContacts, ONCALL, refusal as chatRefusal, SECRETARIAT, type CoreFixture } from '../../support/core-fixture.js';
import { advisoryMessage, boardShown, claimTask, drainBoard, issueAndPost, JMA_COLLEAGUE, JMA_STAFF, minutes, untilPhoneTask, drainLifecycle } from './helpers.js';
import { enterRound, renderRoundFollowUps, threadable } from '../../../src/commands/round.js';
import { followUpView, roundFollowUp } from '../../../src/commands/followup-view.js';

/**
 * "Acknowledge the follow-up": a follow-up that asks every member to acknowledge it again opens a
 * new acknowledgement round with its own ladder, counted from the follow-up.
 */

let f: CoreFixture;

beforeEach(async () => {
  f = await coreFixture();
});

afterEach(async () => {
  await f.close();
});

const drain = (): Promise<Work[]> => drainLifecycle(f);

async function refused(p: Promise<unknown>): Promise<{ code: string; detail: Record<string, unknown> }> {
  try {
    await p;
  } catch (err) {
    if (isBotError(err)) return { code: err.code, detail: err.detail };
    throw err;
  }
  throw new Error('expected a refusal');
}

const stored = async (id: string): Promise<Advisory> => (await f.store.getAdvisory(id))!;

/** Every follow-up message posted or updated in a channel, as its view, in order. */
const followUpViews = (channelId: string): FollowUpView[] => [
  ...f.chat.posts.filter((p) => p.target.channelId === channelId && p.message.kind === 'followup').map((p) => (p.message as Extract<OutboundView, { kind: 'followup' }>).view),
  ...f.chat.updates.filter((u) => u.ref.channelId === channelId && u.message.kind === 'followup').map((u) => (u.message as Extract<OutboundView, { kind: 'followup' }>).view),
];

const notices = (): NoticeView[] => f.chat.posts.filter((p) => p.message.kind === 'notice').map((p) => (p.message as Extract<OutboundView, { kind: 'notice' }>).view);

/** Issue to jma (level3: deadline 60 min, reminder 20 min before, next contact every 20 min), posted and acknowledged. */
async function acknowledgedThenFollowedUp(input: { ackDeadlineMinutes?: number } = {}) {
  const { advisory, deliveries } = await issueAndPost(f, ['jma']);
  const d = deliveries[0]!;
  f.clock.set(minutes(10));
  await f.core.acknowledgeFromMessage({ actor: JMA_STAFF, message: advisoryMessage(f, d.channel.channelId) });
  // The closing summary and the transcript of round 1 go out as the workers would do at once.
  await drain();
  f.clock.set(minutes(30));
  const r = await f.core.postFollowUp({ actor: SECRETARIAT, advisoryId: advisory.id, input: { body: 'パッチ第2版が出ました。適用をご確認ください。', acknowledge: true, ...input } });
  return { advisory: r.advisory, delivery: d };
}

describe('a follow-up asking for acknowledgement', () => {
  it('opens round 2 with its own deadline; the thread post carries the button; the member is asked again with a ladder from the follow-up', async () => {
    const { advisory, delivery } = await acknowledgedThenFollowedUp();
    // Everyone had acknowledged: the advisory closed, and the follow-up reopened it for the new round.
    expect(advisory).toMatchObject({ state: 'open', round: 2 });
    expect(advisory.closure).toBeUndefined();
    expect(advisory.earlierClosures).toMatchObject([{ cause: 'all_acknowledged', at: minutes(10) }]);
    // The advisory's own deadline length (60 min), counted from the follow-up.
    expect(advisory.followups?.[0]?.ack).toEqual({ round: 2, deadline: minutes(90) });

    await drain();
    const posted = f.chat.in(delivery.channel.channelId, 'followup');
    expect(posted).toHaveLength(1);
    expect(posted[0]!.target.threadOf).toEqual(advisoryMessage(f, delivery.channel.channelId));
    expect((posted[0]!.message as Extract<OutboundView, { kind: 'followup' }>).view.ack).toEqual({ round: 2, deadline: minutes(90), acknowledged: undefined, ended: undefined });

    const after = (await f.store.getDelivery(delivery.id))!;
    expect(after).toMatchObject({ round: 2, state: 'posted' });
    expect(after.acknowledged).toBeUndefined();
    expect(after.earlierRounds).toEqual([{ round: 1, state: 'acknowledged', acknowledged: { actor: JMA_STAFF, at: minutes(10), via: 'button' } }]);
    // The reminder 20 minutes before the round's deadline, queued under a new token.
    expect(after.nextStep).toEqual({ kind: 'reminder', index: 0, at: minutes(70) });
    expect(after.escalationToken).not.toBe(delivery.escalationToken);
    expect(f.audit.filter((e) => e.action === 'delivery.round_started').map((e) => e.detail)).toEqual([
      { round: 2, followup: 1, previous: { round: 1, state: 'acknowledged' }, nextStep: 'reminder' },
    ]);
    expect(f.audit.find((e) => e.action === 'advisory.followed_up')?.detail).toMatchObject({ n: 1, round: 2, deadline: minutes(90), reopened: 1 });

    // The copy itself now points to the follow-up and keeps round 1's acknowledgement.
    const root = await f.core.deliveryView(delivery.id);
    expect(root.laterRound).toEqual({ round: 2, followup: 1 });
    expect(root.acknowledged).toMatchObject({ by: JMA_STAFF.name, at: minutes(10) });
    const status = await f.core.statusOf(SECRETARIAT, advisory.id);
    expect(status.round).toEqual({ n: 2, followup: 1, since: minutes(30) });
    expect(status.ackDeadline).toBe(minutes(90));
    expect(status.counts).toMatchObject({ posted: 1, acknowledged: 0 });
  });

  it('takes the deadline the secretariat gives; a reminder that would come before the follow-up is dropped', async () => {
    const { advisory, delivery } = await acknowledgedThenFollowedUp({ ackDeadlineMinutes: 15 });
    expect(advisory.followups?.[0]?.ack?.deadline).toBe(minutes(45));
    await drain();
    // 15 minutes leaves no room for a reminder 20 minutes before: the phone step at the deadline comes first.
    expect((await f.store.getDelivery(delivery.id))!.nextStep).toEqual({ kind: 'phone', index: 0, at: minutes(45) });
  });

  it('is acknowledged with the follow-up\'s own button; the button gives way to who and when; a press on the copy is for the round that ended', async () => {
    const { advisory, delivery } = await acknowledgedThenFollowedUp();
    await drain();
    const followUp = f.chat.in(delivery.channel.channelId, 'followup')[0]!.ref;

    const ended = await refused(f.core.acknowledgeFromMessage({ actor: JMA_STAFF, message: advisoryMessage(f, delivery.channel.channelId) }));
    expect(ended).toEqual({ code: 'DELIVERY.ROUND_ENDED', detail: { deliveryId: delivery.id, asked: 1, current: 2 } });
    // Refused before anything is recorded: a colleague's press on the old copy leaves no acknowledgement behind.
    expect((await refused(f.core.acknowledgeFromMessage({ actor: JMA_COLLEAGUE, message: advisoryMessage(f, delivery.channel.channelId) }))).code).toBe('DELIVERY.ROUND_ENDED');
    expect((await f.store.listAcknowledgements(delivery.id)).map((a) => a.actor)).toEqual([JMA_STAFF]);

    f.clock.set(minutes(40));
    const r = await f.core.acknowledgeFromMessage({ actor: JMA_STAFF, message: followUp });
    expect(r.outcome).toBe('acknowledged');
    expect(r.delivery).toMatchObject({ state: 'acknowledged', round: 2, acknowledged: { actor: JMA_STAFF, at: minutes(40), via: 'button' } });
    expect(r.delivery.nextStep).toBeUndefined();
    // The same person, once per round: both acknowledgements are kept.
    expect((await f.store.listAcknowledgements(delivery.id)).map((a) => [a.round ?? 1, a.at])).toEqual([
      [1, minutes(10)],
      [2, minutes(40)],
    ]);
    expect(f.audit.filter((e) => e.action === 'delivery.acknowledged').map((e) => [e.id, e.detail])).toEqual([
      [`${delivery.id}.acknowledged`, { via: 'button' }],
      [`${delivery.id}.acknowledged.r2`, { via: 'button', round: 2 }],
    ]);
    const step = f.jobs.dropped.find((w) => w.kind === 'step');
    expect(step).toMatchObject({ step: 'reminder', deliveryId: delivery.id });

    await drain();
    const last = followUpViews(delivery.channel.channelId).at(-1)!;
    expect(last.ack).toEqual({ round: 2, deadline: minutes(90), acknowledged: { by: JMA_STAFF.name, at: minutes(40), via: 'button' }, ended: undefined });

    // A colleague pressing afterwards is kept as having seen round 2.
    const seen = await f.core.acknowledgeFromMessage({ actor: JMA_COLLEAGUE, message: followUp });
    expect(seen.outcome).toBe('seen');
    expect(f.audit.some((e) => e.id.endsWith('.r2') && e.action === 'delivery.seen')).toBe(true);

    // Everyone acknowledged round 2: the advisory closes again, with a summary of its own.
    const again = await stored(advisory.id);
    expect(again.state).toBe('closed');
    expect(again.closure).toMatchObject({ cause: 'all_acknowledged', at: minutes(40) });
    await drain();
    const summaries = notices().filter((n) => n.kind === 'advisory_closed');
    expect(summaries).toHaveLength(2);
    const second = summaries[1]!;
    expect(second.kind === 'advisory_closed' && second.summary).toMatchObject({ round: { n: 2, followup: 1, since: minutes(30) }, byButton: 1, never: 0, lastAckAt: minutes(40) });
    // …and its transcript is written again, this time with both rounds in it.
    const transcript = (await f.store.getTranscript(advisory.id))!;
    // Archived before the colleague's press (late activity is not rewritten into it).
    expect(transcript.acknowledgements.map((a) => a.round ?? 1)).toEqual([1, 2]);
    expect(transcript.deliveries[0]).toMatchObject({ round: 2, earlierRounds: [{ round: 1, state: 'acknowledged' }] });
    expect(f.audit.filter((e) => e.action === 'advisory.archived').map((e) => e.id)).toEqual([
      expect.stringMatching(new RegExp(`^${advisory.id}\\.archived\\.[a-z0-9]+$`)),
      expect.stringMatching(new RegExp(`^${advisory.id}\\.archived\\.[a-z0-9]+\\.c2$`)),
    ]);
  });

  it('does not close the advisory as all acknowledged before every member has the follow-up', async () => {
    const { advisory } = await issueAndPost(f, ['jma', 'jda']);
    for (const id of ['jma', 'jda']) {
      const d = (await f.store.listDeliveries(advisory.id)).find((x) => x.memberId === id)!;
      f.clock.set(minutes(5));
      await f.core.acknowledgeDelivery({ deliveryId: d.id, actor: JMA_STAFF, via: 'button' });
    }
    await drain();
    f.clock.set(minutes(20));
    await f.core.postFollowUp({ actor: SECRETARIAT, advisoryId: advisory.id, input: { body: '続報', acknowledge: true } });
    f.jobs.ensured.length = 0;
    // Both deliveries still show round 1 acknowledged; the reconciler must wait for the sync, not close.
    await f.core.reconcile();
    expect((await stored(advisory.id)).state).toBe('open');
    await drain();
    const deliveries = await f.store.listDeliveries(advisory.id);
    expect(deliveries.map((d) => [d.round, d.state])).toEqual([
      [2, 'posted'],
      [2, 'posted'],
    ]);
    await f.core.reconcile();
    // Every member has it now (nothing left to sync), and neither has acknowledged round 2.
    expect(await stored(advisory.id)).toMatchObject({ state: 'open', round: 2 });
    expect((await stored(advisory.id)).syncing).toBeUndefined();
    expect(await f.store.countUnacknowledged(advisory.id, 2)).toBe(2);
  });

  it('a member whose copy never went out is called at once in the new round, by a renewed phone task back on the board, with a new copy for its claimer', async () => {
    f.chat.failPosts = (target) => (target.channelId === 'C0JMA00001' ? chatRefusal('channel_gone') : undefined);
    const { advisory, deliveries } = await issueAndPost(f, ['jma']);
    const d = deliveries[0]!;
    expect(d.state).toBe('failed');
    const { task } = await untilPhoneTask(f, d.id);
    f.clock.set(minutes(3));
    const { message } = await claimTask(f, task, ONCALL);
    await f.core.phoneTaskAction({ actor: ONCALL, message, action: 'reached', choice: (await f.core.phoneTaskView(task.id)).reachedChoices[0]!.choice });
    await drain();
    expect((await stored(advisory.id)).state).toBe('closed');
    expect(boardShown(f, advisory.id)).toMatchObject({ closed: true, rows: [{ taskId: task.id, state: 'done' }] });

    f.clock.set(minutes(30));
    await f.core.postFollowUp({ actor: SECRETARIAT, advisoryId: advisory.id, input: { body: '続報: 追加の対策', acknowledge: true } });
    await drain();
    const inRound = (await f.store.getDelivery(d.id))!;
    expect(inRound).toMatchObject({ round: 2, state: 'failed', nextStep: { kind: 'phone', index: 0, at: minutes(30) } });
    expect(inRound.earlierRounds).toMatchObject([{ round: 1, state: 'acknowledged', acknowledged: { via: 'phone', actor: ONCALL } }]);

    const postsBefore = f.chat.posts.filter((p) => p.message.kind === 'phone_task').length;
    expect(await f.core.runEscalationStep({ deliveryId: d.id, token: inRound.escalationToken, kind: 'phone', index: 0 })).toBe('ran');
    const renewed = (await f.store.getPhoneTask(task.id))!;
    expect(renewed).toMatchObject({ round: 2, state: 'open', contactIndex: 0, attempts: [], messages: [] });
    expect(renewed.resolution).toBeUndefined();
    expect(renewed.earlierRounds).toMatchObject([{ round: 1, state: 'done', resolution: { kind: 'reached', by: ONCALL } }]);
    // Its row on the (reopened) board is open again, for round 2; round 1's copy is left as it was.
    await drainBoard(f);
    expect(boardShown(f, advisory.id)).toMatchObject({ closed: false, rows: [{ taskId: task.id, state: 'open', round: 2 }], counts: { open: 1, reached: 0 } });
    expect(f.chat.posts.filter((p) => p.message.kind === 'phone_task')).toHaveLength(postsBefore);
    // Claimed again: a new copy, for round 2, about the follow-up.
    const { message: again } = await claimTask(f, renewed, ONCALL);
    const phonePosts = f.chat.posts.filter((p) => p.message.kind === 'phone_task');
    expect(phonePosts).toHaveLength(postsBefore + 1);
    expect(phonePosts.at(-1)).toMatchObject({ ref: again, key: `${task.id}.r2.to.${ONCALL.userId}` });
    const view = (phonePosts.at(-1)!.message as Extract<OutboundView, { kind: 'phone_task' }>).view;
    expect(view).toMatchObject({ round: { n: 2, followup: 1 }, ackDeadline: minutes(90), excerpt: '続報: 追加の対策', state: 'claimed' });
    expect((await f.store.getPhoneTask(task.id))?.messages).toEqual([again]);

    // Reached again: round 2 is acknowledged by phone, and round 1's record stays as it was.
    await f.core.phoneTaskAction({ actor: ONCALL, message: again, action: 'reached', choice: (await f.core.phoneTaskView(task.id)).reachedChoices[0]!.choice });
    expect((await f.store.getDelivery(d.id))!).toMatchObject({ round: 2, state: 'acknowledged', acknowledged: { via: 'phone' } });
  });

  it('a third round ends the second: its follow-up no longer offers a button', async () => {
    const { advisory, delivery } = await acknowledgedThenFollowedUp();
    await drain();
    f.clock.set(minutes(50));
    await f.core.postFollowUp({ actor: SECRETARIAT, advisoryId: advisory.id, input: { body: '第3報', acknowledge: true } });
    await drain();
    const d = (await f.store.getDelivery(delivery.id))!;
    expect(d.round).toBe(3);
    expect(d.earlierRounds?.map((r) => [r.round, r.state])).toEqual([
      [1, 'acknowledged'],
      [2, 'posted'],
    ]);
    const second = followUpViews(delivery.channel.channelId).filter((v) => v.n === 1).at(-1)!;
    expect(second.ack).toMatchObject({ round: 2, ended: true });
    const third = followUpViews(delivery.channel.channelId).filter((v) => v.n === 2).at(-1)!;
    expect(third.ack).toMatchObject({ round: 3, deadline: minutes(110) });
    expect(third.ack?.ended).toBeUndefined();
    const r2 = f.chat.in(delivery.channel.channelId, 'followup')[0]!.ref;
    expect((await refused(f.core.acknowledgeFromMessage({ actor: JMA_STAFF, message: r2 }))).code).toBe('DELIVERY.ROUND_ENDED');
    // The second follow-up's own button acknowledges its round, 3.
    const r3 = f.chat.in(delivery.channel.channelId, 'followup')[1]!.ref;
    expect((await f.core.acknowledgeFromMessage({ actor: JMA_STAFF, message: r3 })).delivery).toMatchObject({ state: 'acknowledged', round: 3 });
  });

  it('an information-only follow-up changes nothing about acknowledgement', async () => {
    const { advisory, deliveries } = await issueAndPost(f, ['jma']);
    await f.core.postFollowUp({ actor: SECRETARIAT, advisoryId: advisory.id, input: { body: '参考情報' } });
    await drain();
    const d = (await f.store.getDelivery(deliveries[0]!.id))!;
    expect(d.round).toBeUndefined();
    expect(d.nextStep).toEqual(deliveries[0]!.nextStep);
    expect((await stored(advisory.id)).round).toBeUndefined();
    expect(followUpViews(d.channel.channelId)[0]?.ack).toBeUndefined();
    expect((await f.core.deliveryView(d.id)).laterRound).toBeUndefined();
    // A press on it, were it to carry a button, is for the round the member is in.
    const info = f.chat.in(d.channel.channelId, 'followup')[0]!.ref;
    expect((await f.core.acknowledgeFromMessage({ actor: JMA_STAFF, message: info })).delivery).toMatchObject({ state: 'acknowledged', acknowledged: { actor: JMA_STAFF } });
  });

  it('refuses a deadline out of range, in the form\'s words', async () => {
    const { advisory } = await issueAndPost(f, ['jma']);
    const r = await refused(f.core.postFollowUp({ actor: SECRETARIAT, advisoryId: advisory.id, input: { body: '続報', acknowledge: true, ackDeadlineMinutes: 0 } }));
    expect(r.code).toBe('ADVISORY.INVALID');
    expect(r.detail['fields']).toMatchObject([{ field: 'ackDeadlineMinutes' }]);
  });
});

describe('enterRound, one delivery at a time', () => {
  async function followedUp(members = ['jma']) {
    const { advisory, deliveries } = await issueAndPost(f, members);
    f.clock.set(minutes(20));
    const r = await f.core.postFollowUp({ actor: SECRETARIAT, advisoryId: advisory.id, input: { body: '続報', acknowledge: true } });
    f.jobs.ensured.length = 0;
    return { advisory: r.advisory, delivery: deliveries[0]! };
  }

  it('waits until the follow-up is in the member\'s thread; then moves the delivery once, dropping the old step and queuing only the new one', async () => {
    const { advisory, delivery } = await followedUp();
    expect(await enterRound(f.deps, advisory, delivery)).toBe(delivery);
    expect((await f.store.getDelivery(delivery.id))!.round).toBeUndefined();

    const thread = { ...delivery, followups: [{ n: 1, messages: [] }] };
    await f.store.saveDelivery({ ...thread, version: delivery.version + 1 });
    const before = (await f.store.getDelivery(delivery.id))!;
    const moved = await enterRound(f.deps, advisory, before);
    expect(moved).toMatchObject({ round: 2, state: 'posted', nextStep: { kind: 'reminder', at: minutes(60) } });
    expect(f.jobs.dropped).toEqual([{ kind: 'step', deliveryId: delivery.id, token: before.escalationToken, step: 'reminder', index: 0, at: new Date(before.nextStep!.at) }]);
    expect(f.jobs.ensured).toEqual([{ kind: 'step', deliveryId: delivery.id, token: moved.escalationToken, step: 'reminder', index: 0, at: new Date(minutes(60)) }]);
    expect(f.audit.filter((e) => e.action === 'delivery.round_started').map((e) => e.id)).toEqual([`${delivery.id}.round.2`]);

    // Again: nothing more, the same record back.
    f.jobs.ensured.length = 0;
    const again = await enterRound(f.deps, advisory, moved);
    expect(again).toBe(moved);
    expect(f.jobs.ensured).toEqual([]);
    expect(f.audit.filter((e) => e.action === 'delivery.round_started')).toHaveLength(1);
  });

  it('a copy that cannot carry a follow-up (none posted, or the TLP no longer allows the channel copy) moves at once', async () => {
    const { advisory, delivery } = await followedUp();
    expect(threadable(advisory, delivery)).toBe(true);
    expect(threadable({ tlp: 'TLP:RED' }, delivery)).toBe(false);
    expect(threadable(advisory, { ...delivery, messages: [] })).toBe(false);
    // TLP:RED copies are direct messages, not the channel: they can carry it.
    expect(threadable({ tlp: 'TLP:RED' }, { ...delivery, messages: [{ ...delivery.messages[0]!, channelId: 'D0DIRECT' }] })).toBe(true);
    const red = await enterRound(f.deps, { ...advisory, tlp: 'TLP:RED' }, delivery);
    expect(red).toMatchObject({ round: 2, state: 'posted' });
  });

  it('leaves a delivery alone when the advisory is closed, withdrawn, or asks nothing new', async () => {
    const { advisory, delivery } = await followedUp();
    const withThread = { ...delivery, followups: [{ n: 1, messages: [] }] };
    expect(await enterRound(f.deps, { ...advisory, state: 'closed' }, withThread)).toBe(withThread);
    expect(await enterRound(f.deps, { ...advisory, closure: { cause: 'withdrawn', at: minutes(21) } }, withThread)).toBe(withThread);
    expect(await enterRound(f.deps, { ...advisory, round: 1 }, withThread)).toBe(withThread);
    // A round no follow-up opened (a record it cannot explain).
    expect(await enterRound(f.deps, { ...advisory, round: 3 }, withThread)).toBe(withThread);
    expect(f.audit.filter((e) => e.action === 'delivery.round_started')).toEqual([]);
  });

  it('re-renders only the follow-ups of the round asked for, as a direct message where the copy was one', async () => {
    const { advisory, delivery } = await followedUp();
    const dm = { platform: 'slack' as const, channelId: 'D0DIRECT', messageId: '5.5' };
    const inChannel = { platform: 'slack' as const, channelId: delivery.channel.channelId, messageId: '5.6' };
    const twoRounds = next3(advisory);
    const d = { ...delivery, followups: [{ n: 1, messages: [inChannel, dm] }, { n: 2, messages: [inChannel] }] };
    expect(await renderRoundFollowUps(f.deps, f.chat, twoRounds, d, 2)).toBe(2);
    const views = f.chat.updates.map((u) => (u.message as Extract<OutboundView, { kind: 'followup' }>).view);
    expect(views.map((v) => [v.n, v.audience])).toEqual([
      [1, 'channel'],
      [1, 'direct'],
    ]);
    expect(f.chat.updates.map((u) => u.ref)).toEqual([inChannel, dm]);
    // Without a round: every follow-up asking for acknowledgement (the information-only one is not).
    expect(await renderRoundFollowUps(f.deps, f.chat, twoRounds, d)).toBe(2);
  });
});

/** The advisory with follow-up 1 asking for round 2 and follow-up 2 for information only. */
function next3(a: Advisory): Advisory {
  return { ...a, followups: [...(a.followups ?? []), { n: 2, at: minutes(25), by: SECRETARIAT, body: '参考' }] };
}

describe('followUpView', () => {
  it('asks, then says who acknowledged (in this round or, once moved on, from the record), or that it ended', async () => {
    const { advisory } = await issueAndPost(f, ['jma']);
    const r2 = (await f.core.postFollowUp({ actor: SECRETARIAT, advisoryId: advisory.id, input: { body: '続報', acknowledge: true } })).advisory;
    const f1 = r2.followups![0]!;
    const d = (await f.store.listDeliveries(advisory.id))[0]!;
    const mark = { actor: JMA_STAFF, at: minutes(3), via: 'button' as const };
    // The advisory asks round 2, the delivery has not moved yet: still asked, not ended.
    expect(followUpView(r2, d, f1, 'channel').ack).toEqual({ round: 2, deadline: f1.ack!.deadline, acknowledged: undefined, ended: undefined });
    const inRound = { ...d, round: 2 };
    expect(followUpView(r2, { ...inRound, acknowledged: mark }, f1, 'direct')).toMatchObject({ audience: 'direct', ack: { acknowledged: { by: JMA_STAFF.name, at: minutes(3), via: 'button' } } });
    // Round 3 began for the advisory only: round 2's button has ended.
    expect(followUpView({ ...r2, round: 3 }, inRound, f1, 'channel').ack?.ended).toBe(true);
    // …and for the delivery only.
    expect(followUpView(r2, { ...inRound, round: 3 }, f1, 'channel').ack?.ended).toBe(true);
    // Acknowledged before it moved on: that is what it says, not "ended".
    const moved = { ...inRound, round: 3, earlierRounds: [{ round: 2, state: 'acknowledged' as const, acknowledged: mark }] };
    expect(followUpView({ ...r2, round: 3 }, moved, f1, 'channel').ack).toMatchObject({ acknowledged: { at: minutes(3) }, ended: undefined });
    expect(roundFollowUp(r2, 2)).toBe(f1);
    expect(roundFollowUp(r2, 1)).toBeUndefined();
    expect(roundFollowUp({ ...r2, followups: undefined }, 2)).toBeUndefined();
  });
});

describe('a press racing a follow-up that opens a new round', () => {
  it('the round began between the press\'s read and its write: refused as the round that ended, nothing acknowledged', async () => {
    const { deliveries } = await issueAndPost(f, ['jma']);
    const d = deliveries[0]!;
    // The follow-up's round lands on the record right after the press has read it (round 1) and added its row.
    const add = f.store.addAcknowledgement.bind(f.store);
    f.store.addAcknowledgement = async (ack) => {
      const added = await add(ack);
      const now = (await f.store.getDelivery(d.id))!;
      await f.store.saveDelivery({ ...now, round: 2, version: now.version + 1 });
      return added;
    };
    const ended = await refused(f.core.acknowledgeFromMessage({ actor: JMA_STAFF, message: advisoryMessage(f, d.channel.channelId) }));
    expect(ended).toEqual({ code: 'DELIVERY.ROUND_ENDED', detail: { deliveryId: d.id, asked: 1, current: 2 } });
    expect(await f.store.getDelivery(d.id)).toMatchObject({ state: 'posted', round: 2 });
    expect((await f.store.getDelivery(d.id))?.acknowledged).toBeUndefined();
  });
});

describe('TLP:RED: each contact\'s direct message is the advisory\'s own copy', () => {
  it('a press on any contact\'s copy, not only the first, asks for round 1: after a follow-up it is the round that ended', async () => {
    await f.close();
    f = await coreFixture({ directory: await directoryWithContacts('jma', 2) });
    const { advisory, deliveries } = await issueAndPost(f, ['jma'], { tlp: 'TLP:RED' });
    const copies = deliveries[0]!.messages;
    expect(copies).toHaveLength(2);
    await f.core.postFollowUp({ actor: SECRETARIAT, advisoryId: advisory.id, input: { body: '第2報', acknowledge: true } });
    await drain();
    expect((await f.store.getDelivery(deliveries[0]!.id))?.round).toBe(2);
    expect((await refused(f.core.acknowledgeFromMessage({ actor: JMA_STAFF, message: copies[1]! }))).code).toBe('DELIVERY.ROUND_ENDED');
    expect((await f.store.getDelivery(deliveries[0]!.id))?.state).toBe('posted');
  });
});
