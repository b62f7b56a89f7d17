import { describe, expect, it } from 'vitest';
import {
  beginPostAttempt,
  bringAlertForward,
  deliveryIdFor,
  isOpen,
  isOwedStep,
  markAcknowledged,
  markFailed,
  markFailureAlerted,
  markLadderStep,
  markPosted,
  markRemindersPosted,
  markStepRan,
  newDelivery,
  newEscalationToken,
  owesWork,
  postMayExist,
  settlePostAttempt,
  reindex,
  setNextStep,
  type Delivery,
  type NextStep,
} from '../../../src/domain/delivery.js';

const t0 = new Date('2026-11-25T09:00:00Z');
const t1 = new Date('2026-11-25T09:01:00Z');
const channel = { platform: 'slack' as const, workspaceId: 'T1', channelId: 'C0JMA', sharedOutside: false };
const ref = { platform: 'slack' as const, channelId: 'C0JMA', messageId: '1700000000.000100' };
const alice = { actor: { platform: 'slack' as const, userId: 'U1', name: 'Alice' }, at: t1.toISOString(), via: 'button' as const };
const bob = { actor: { platform: 'slack' as const, userId: 'U2', name: 'Bob' }, at: t1.toISOString(), via: 'button' as const };

function queued(): Delivery {
  return newDelivery('ADV-2026-0001', 'jma', channel, t0);
}

const reminder: NextStep = { kind: 'reminder', index: 0, at: '2026-11-25T09:40:00.000Z' };
const phone: NextStep = { kind: 'phone', index: 0, at: '2026-11-25T10:00:00.000Z' };
const alertLater: NextStep = { kind: 'alert', index: 0, at: '2026-11-25T11:00:00.000Z' };

function must(t: ReturnType<typeof markPosted>): Delivery {
  if (!t.changed) throw new Error(`expected a change, got ${t.reason}`);
  return t.next;
}

describe('delivery transitions', () => {
  it('gives a deterministic id that is a valid BullMQ job id', () => {
    const id = deliveryIdFor('ADV-2026-0001', 'jma', { platform: 'teams', channelId: '19:abc@thread.tacv2' });
    expect(id).toBe(deliveryIdFor('ADV-2026-0001', 'jma', { platform: 'teams', channelId: '19:abc@thread.tacv2' }));
    expect(id).not.toContain(':');
    expect(id).not.toMatch(/^\d+$/);
  });

  it('goes queued → posted → acknowledged, bumping the version each time', () => {
    const attempt = must(beginPostAttempt(queued(), t0));
    expect(attempt.postAttempts).toBe(1);
    const posted = must(markPosted(attempt, [ref], t1, reminder));
    expect(posted).toMatchObject({ state: 'posted', messages: [ref], version: 2 });
    const acked = must(markAcknowledged(posted, alice, t1));
    expect(acked).toMatchObject({ state: 'acknowledged', acknowledged: alice, version: 3 });
  });

  it('lets the first acknowledgement win; a second is no change', () => {
    const acked = must(markAcknowledged(must(markPosted(queued(), [ref], t1, reminder)), alice, t1));
    const again = markAcknowledged(acked, bob, t1);
    expect(again).toEqual({ changed: false, reason: 'already', current: acked });
  });

  it('is idempotent: posting twice changes once', () => {
    const posted = must(markPosted(queued(), [ref], t1, reminder));
    expect(markPosted(posted, [ref], t1, reminder).changed).toBe(false);
    expect(beginPostAttempt(posted, t1).changed).toBe(false);
  });

  it('fails only from queued, and a failed delivery is never posted over', () => {
    const failed = must(markFailed(queued(), { code: 'channel_not_found' }, t1, phone));
    expect(failed.failure).toStrictEqual({ code: 'channel_not_found', at: t1.toISOString() });
    expect(markFailed(failed, { code: 'x' }, t1, phone)).toMatchObject({ changed: false, reason: 'already' });
    expect(markPosted(failed, [ref], t1, reminder)).toMatchObject({ changed: false, reason: 'not-allowed' });
    const posted = must(markPosted(queued(), [ref], t1, reminder));
    expect(markFailed(posted, { code: 'x' }, t1, phone)).toMatchObject({ changed: false, reason: 'not-allowed' });
  });

  it('lets a failed delivery be acknowledged (the member was reached another way)', () => {
    const failed = must(markFailed(queued(), { code: 'not_in_channel' }, t1, phone));
    const acked = must(markAcknowledged(failed, { ...alice, via: 'phone' }, t1));
    expect(acked.state).toBe('acknowledged');
  });
});

describe('what a delivery owes (the store derives the queue from this)', () => {
  it('owes the post while queued, the first step once posted, and nothing once acknowledged', () => {
    const q = queued();
    expect(owesWork(q)).toBe(true);
    const posted = must(markPosted(q, [ref], t1, reminder));
    expect(posted.nextStep).toEqual(reminder);
    expect(owesWork(posted)).toBe(true);
    const acked = must(markAcknowledged(posted, alice, t1));
    expect(acked.nextStep).toBeUndefined();
    expect(acked.escalationToken).not.toBe(posted.escalationToken);
    expect(owesWork(acked)).toBe(false);
  });

  it('owes nothing after a post under a policy with no ladder', () => {
    const posted = must(markPosted(queued(), [ref], t1, undefined));
    expect(posted.nextStep).toBeUndefined();
    expect(owesWork(posted)).toBe(false);
  });

  it('a failure owes the secretariat an alert and the member the phone step, with the last error kept', () => {
    const failed = must(markFailed(queued(), { code: 'RETRIES_EXHAUSTED', detail: 'ratelimited' }, t1, phone));
    expect(failed).toMatchObject({ state: 'failed', nextStep: phone, failure: { code: 'RETRIES_EXHAUSTED', detail: 'ratelimited' } });
    expect(owesWork(failed)).toBe(true);
    // Told the secretariat, and the ladder done: nothing left.
    const told = must(markFailureAlerted(failed, true, t1));
    expect(told.failure?.alerted).toEqual({ at: t1.toISOString(), ok: true });
    expect(markFailureAlerted(told, false, t1)).toMatchObject({ changed: false, reason: 'already' });
    expect(owesWork(told)).toBe(true); // the phone step is still owed
    const done = must(markLadderStep(told, told.escalationToken, phone, undefined, t1));
    expect(owesWork(done)).toBe(false);
    // Without an alert recorded, a failure with no ladder still owes the alert.
    const noLadder = must(markFailed(queued(), { code: 'x' }, t1, undefined));
    expect(owesWork(noLadder)).toBe(true);
    expect(markFailureAlerted(queued(), true, t1)).toMatchObject({ changed: false, reason: 'not-allowed' });
    // Reached by phone after the failure: nothing to tell the secretariat any more.
    const reached = must(markAcknowledged(failed, { ...alice, via: 'phone' }, t1));
    expect(markFailureAlerted(reached, true, t1)).toMatchObject({ changed: false, reason: 'not-allowed' });
    expect(owesWork(reached)).toBe(false);
  });

  it('only the owed step under the current token counts as owed', () => {
    const posted = must(markPosted(queued(), [ref], t1, reminder));
    const token = posted.escalationToken;
    expect(isOwedStep(posted, token, { kind: 'reminder', index: 0 })).toBe(true);
    expect(isOwedStep(posted, token, { kind: 'phone', index: 0 })).toBe(false);
    expect(isOwedStep(posted, 'kother', { kind: 'reminder', index: 0 })).toBe(false);
    expect(isOwedStep(posted, token, { kind: 'reminder', index: 1 })).toBe(false);
    const acked = must(markAcknowledged(posted, alice, t1));
    expect(isOwedStep({ ...acked, escalationToken: token, nextStep: reminder }, token, reminder)).toBe(false);
  });

  it('moves the ladder on from the owed step only, once', () => {
    const posted = must(markPosted(queued(), [ref], t1, reminder));
    const token = posted.escalationToken;
    const stepped = must(markLadderStep(posted, token, reminder, phone, t1));
    expect(stepped.ladder).toEqual({ kind: 'reminder', index: 0, at: t1.toISOString() });
    expect(stepped.nextStep).toEqual(phone);
    // The same step again: already; a step that is not owed: not allowed.
    expect(markLadderStep(stepped, token, reminder, phone, t1)).toMatchObject({ changed: false, reason: 'already' });
    expect(markLadderStep(stepped, token, alertLater, undefined, t1)).toMatchObject({ changed: false, reason: 'not-allowed' });
    expect(markLadderStep(stepped, 'kstale', phone, undefined, t1)).toMatchObject({ changed: false, reason: 'not-allowed' });
    // The step that ran last, but under another token, is not "already": that ladder is not this one.
    expect(markLadderStep(stepped, 'kstale', reminder, phone, t1)).toMatchObject({ changed: false, reason: 'not-allowed' });
    const gaveUp = must(markLadderStep(stepped, token, phone, alertLater, t1, true));
    expect(gaveUp.ladder).toEqual({ kind: 'phone', index: 0, at: t1.toISOString(), gaveUp: true });
    expect(gaveUp.nextStep).toEqual(alertLater);
  });

  it('a step that ran keeps its reminders and moves the ladder in one change', () => {
    const posted = must(markPosted(queued(), [ref], t0, reminder));
    const token = posted.escalationToken;
    const other = { ...ref, messageId: '1700000000.000200' };
    const ran = must(markStepRan(posted, token, reminder, phone, [other, other], t1));
    expect(ran.version).toBe(posted.version + 1);
    expect(ran.updatedAt).toBe(t1.toISOString());
    expect(ran.reminders).toEqual([other]);
    expect(ran.ladder).toEqual({ kind: 'reminder', index: 0, at: t1.toISOString() });
    expect(ran.nextStep).toEqual(phone);
    // Again: nothing new to keep, the ladder already moved.
    expect(markStepRan(ran, token, reminder, phone, [other], t1)).toMatchObject({ changed: false, reason: 'already' });
    // Acknowledged meanwhile: the ladder stays, the reminder is kept all the same.
    const acked = must(markAcknowledged(posted, alice, t1));
    const kept = must(markStepRan(acked, token, reminder, phone, [other], t1));
    expect(kept).toMatchObject({ version: acked.version + 1, reminders: [other], state: 'acknowledged' });
    expect(kept.ladder).toBeUndefined();
    expect(kept.nextStep).toEqual(acked.nextStep);
    expect(markStepRan(kept, token, reminder, phone, [other], t1)).toMatchObject({ changed: false, reason: 'not-allowed' });
    // No reminders (any other step): as markLadderStep, given up or not.
    expect(must(markStepRan(posted, token, reminder, phone, [], t1, true)).ladder).toEqual({ kind: 'reminder', index: 0, at: t1.toISOString(), gaveUp: true });
  });

  it('keeps each reminder once', () => {
    const posted = must(markPosted(queued(), [ref], t0, reminder));
    const other = { ...ref, messageId: '1700000000.000200' };
    const third = { ...ref, channelId: 'C0JMB', messageId: '1700000000.000200' };
    const once = must(markRemindersPosted(posted, [other], t1));
    expect(once.reminders).toEqual([other]);
    expect(markRemindersPosted(once, [other], t1)).toMatchObject({ changed: false, reason: 'already' });
    // Another message in the same channel is another reminder.
    expect(must(markRemindersPosted(once, [{ ...other, messageId: '1700000000.000300' }], t1)).reminders).toHaveLength(2);
    expect(must(markRemindersPosted(once, [other, third, { ...other, platform: 'teams' }], t1)).reminders).toEqual([other, third, { ...other, platform: 'teams' }]);
  });

  it('brings the alert forward to now, only when it is later than now and the ladder is live', () => {
    const posted = must(markPosted(queued(), [ref], t0, phone));
    const token = posted.escalationToken;
    const now = new Date('2026-11-25T10:05:00Z');
    const forward = must(bringAlertForward(posted, token, now));
    expect(forward.nextStep).toEqual({ kind: 'alert', index: 0, at: now.toISOString() });
    expect(bringAlertForward(forward, token, now)).toMatchObject({ changed: false, reason: 'already' });
    const later = { ...posted, nextStep: alertLater };
    expect(must(bringAlertForward(later, token, now)).nextStep?.at).toBe(now.toISOString());
    expect(bringAlertForward(posted, 'kstale', now)).toMatchObject({ changed: false, reason: 'not-allowed' });
    expect(bringAlertForward({ ...posted, nextStep: undefined }, token, now)).toMatchObject({ changed: false, reason: 'not-allowed' });
    const acked = must(markAcknowledged(posted, alice, now));
    expect(bringAlertForward({ ...acked, nextStep: phone }, acked.escalationToken, now)).toMatchObject({ changed: false, reason: 'not-allowed' });
  });

  it('sets a derived step on an older record, never on an acknowledged one, and re-indexes with a new version', () => {
    const posted = { ...must(markPosted(queued(), [ref], t1, undefined)) };
    expect(setNextStep(posted, undefined, t1)).toMatchObject({ changed: false, reason: 'already' });
    const set = must(setNextStep(posted, phone, t1));
    expect(must(setNextStep(set, undefined, t1)).nextStep).toBeUndefined();
    expect(set.nextStep).toEqual(phone);
    expect(setNextStep(set, phone, t1)).toMatchObject({ changed: false, reason: 'already' });
    expect(setNextStep(set, { ...phone, at: alertLater.at }, t1).changed).toBe(true);
    expect(setNextStep(must(markAcknowledged(set, alice, t1)), phone, t1)).toMatchObject({ changed: false, reason: 'not-allowed' });
    const again = must(reindex(set, t1));
    expect(again.version).toBe(set.version + 1);
    expect({ ...again, version: 0, updatedAt: '' }).toEqual({ ...set, version: 0, updatedAt: '' });
  });
});

describe('delivery records, edge by edge', () => {
  it('a new delivery is queued, version 0, with a fresh escalation token', () => {
    const d = queued();
    expect(d).toEqual({
      id: 'ADV-2026-0001.jma.slack-C0JMA',
      advisoryId: 'ADV-2026-0001',
      memberId: 'jma',
      channel,
      state: 'queued',
      version: 0,
      postAttempts: 0,
      messages: [],
      escalationToken: d.escalationToken,
      createdAt: t0.toISOString(),
      updatedAt: t0.toISOString(),
    });
    expect(d.escalationToken).toMatch(/^k[0-9a-f]{12}$/);
    expect(queued().escalationToken).not.toBe(d.escalationToken);
    expect(newEscalationToken()).toMatch(/^k[0-9a-f]{12}$/);
  });

  it('makes a channel id safe for a job id, keeping what is safe', () => {
    expect(deliveryIdFor('A', 'm', { platform: 'teams', channelId: '19:a.b@thread/x y' })).toBe('A.m.teams-19_a_b_thread_x_y');
    expect(deliveryIdFor('A', 'm', { platform: 'slack', channelId: 'C0az_9-Z' })).toBe('A.m.slack-C0az_9-Z');
  });

  it('every change bumps the version and the time; a cleared field is absent, as after a trip through a store', () => {
    const posted = must(markPosted(queued(), [ref], t1, reminder));
    expect(posted.updatedAt).toBe(t1.toISOString());
    const acked = must(markAcknowledged(posted, alice, t1));
    expect('nextStep' in acked).toBe(false);
    expect(Object.values(acked).includes(undefined)).toBe(false);
    expect(JSON.parse(JSON.stringify(acked))).toEqual(acked);
    const noStep = must(markPosted(queued(), [ref], t1, undefined));
    expect('nextStep' in noStep).toBe(false);
  });

  it('counts post attempts only while queued', () => {
    const once = must(beginPostAttempt(queued(), t1));
    const twice = must(beginPostAttempt(once, t1));
    expect([once.postAttempts, twice.postAttempts, twice.version]).toEqual([1, 2, 2]);
    expect(twice.updatedAt).toBe(t1.toISOString());
    const failed = must(markFailed(queued(), { code: 'x' }, t1, phone));
    expect(beginPostAttempt(failed, t1)).toEqual({ changed: false, reason: 'already', current: failed });
  });

  it('an acknowledged delivery is never posted or failed over', () => {
    const acked = must(markAcknowledged(must(markPosted(queued(), [ref], t1, reminder)), alice, t1));
    expect(markPosted(acked, [ref], t1, reminder)).toEqual({ changed: false, reason: 'already', current: acked });
    expect(markFailed(acked, { code: 'x' }, t1, phone)).toEqual({ changed: false, reason: 'not-allowed', current: acked });
    const ackedFromQueued = must(markAcknowledged(queued(), alice, t1));
    expect(markPosted(ackedFromQueued, [ref], t1, reminder)).toMatchObject({ changed: false, reason: 'already' });
  });

  it('keeps the failure detail only when there is one', () => {
    expect(must(markFailed(queued(), { code: 'x', detail: 'last: ratelimited' }, t1, phone)).failure).toEqual({ code: 'x', at: t1.toISOString(), detail: 'last: ratelimited' });
    expect('detail' in must(markFailed(queued(), { code: 'x' }, t1, phone)).failure!).toBe(false);
  });

  it('notes whether the secretariat was told, ok or not', () => {
    const failed = must(markFailed(queued(), { code: 'x' }, t0, phone));
    expect(must(markFailureAlerted(failed, false, t1)).failure).toEqual({ code: 'x', at: t0.toISOString(), alerted: { at: t1.toISOString(), ok: false } });
    expect(markFailureAlerted(must(markPosted(queued(), [ref], t1, reminder)), true, t1)).toMatchObject({ changed: false, reason: 'not-allowed' });
    expect(markFailureAlerted({ ...failed, failure: undefined }, true, t1)).toMatchObject({ changed: false, reason: 'not-allowed' });
  });

  it('is open while queued or posted', () => {
    expect(isOpen(queued())).toBe(true);
    expect(isOpen(must(markPosted(queued(), [ref], t1, reminder)))).toBe(true);
    expect(isOpen(must(markFailed(queued(), { code: 'x' }, t1, phone)))).toBe(false);
    expect(isOpen(must(markAcknowledged(queued(), alice, t1)))).toBe(false);
  });

  it('owes nothing once posted with the ladder ended, or failed, told and the ladder ended', () => {
    expect(owesWork(must(markPosted(queued(), [ref], t1, undefined)))).toBe(false);
    const told = must(markFailureAlerted(must(markFailed(queued(), { code: 'x' }, t1, undefined)), false, t1));
    expect(owesWork(told)).toBe(false);
    expect(owesWork({ ...told, nextStep: phone })).toBe(true);
    expect(owesWork({ ...must(markAcknowledged(queued(), alice, t1)), nextStep: phone })).toBe(false);
    // A failed record without its failure (damaged, or from an older release) still owes the secretariat.
    expect(owesWork({ ...queued(), state: 'failed' })).toBe(true);
  });

  it('a step of the same kind at another index, or the same step at another time, is another step', () => {
    const posted = must(markPosted(queued(), [ref], t1, { kind: 'next-contact', index: 1, at: phone.at }));
    const token = posted.escalationToken;
    expect(isOwedStep(posted, token, { kind: 'next-contact', index: 2 })).toBe(false);
    expect(markLadderStep(posted, token, { kind: 'next-contact', index: 2 }, undefined, t1)).toMatchObject({ changed: false, reason: 'not-allowed' });
    expect(setNextStep(posted, { kind: 'next-contact', index: 2, at: phone.at }, t1).changed).toBe(true);
    expect(setNextStep(posted, { kind: 'next-contact', index: 1, at: phone.at }, t1)).toMatchObject({ changed: false, reason: 'already' });
    expect(setNextStep({ ...posted, nextStep: undefined }, { kind: 'next-contact', index: 1, at: phone.at }, t1).changed).toBe(true);
  });

  it('a step that already ran under the current token but was not owed: already, and a ladder at another index is not', () => {
    const posted = must(markPosted(queued(), [ref], t1, reminder));
    const token = posted.escalationToken;
    const ranNext = { ...posted, ladder: { kind: 'next-contact' as const, index: 1, at: t1.toISOString() }, nextStep: alertLater };
    expect(markLadderStep(ranNext, token, { kind: 'next-contact', index: 1 }, undefined, t1)).toMatchObject({ changed: false, reason: 'already' });
    expect(markLadderStep(ranNext, token, { kind: 'next-contact', index: 2 }, undefined, t1)).toMatchObject({ changed: false, reason: 'not-allowed' });
    const ackedAfter = must(markAcknowledged(ranNext, alice, t1));
    // Acknowledged meanwhile: that step is not owed, but it is the one that ran last.
    expect(markLadderStep({ ...ackedAfter, escalationToken: token }, token, { kind: 'next-contact', index: 1 }, undefined, t1)).toMatchObject({ changed: false, reason: 'already' });
  });

  it('the alert brought forward: an alert already due is left, one later or another step is moved to now', () => {
    const now = new Date('2026-11-25T10:05:00Z');
    const posted = must(markPosted(queued(), [ref], t0, phone));
    const token = posted.escalationToken;
    const dueNow = { ...posted, nextStep: { kind: 'alert' as const, index: 0, at: now.toISOString() } };
    expect(bringAlertForward(dueNow, token, now)).toMatchObject({ changed: false, reason: 'already' });
    const overdue = { ...posted, nextStep: { kind: 'alert' as const, index: 0, at: t0.toISOString() } };
    expect(bringAlertForward(overdue, token, now)).toMatchObject({ changed: false, reason: 'already' });
    const justLater = { ...posted, nextStep: { kind: 'alert' as const, index: 0, at: new Date(now.getTime() + 1).toISOString() } };
    expect(must(bringAlertForward(justLater, token, now))).toMatchObject({ nextStep: { kind: 'alert', index: 0, at: now.toISOString() }, version: posted.version + 1, updatedAt: now.toISOString() });
    const reminderOverdue = { ...posted, nextStep: { kind: 'reminder' as const, index: 0, at: t0.toISOString() } };
    expect(must(bringAlertForward(reminderOverdue, token, now)).nextStep).toEqual({ kind: 'alert', index: 0, at: now.toISOString() });
  });

  it('re-indexing keeps the record, with a new version and time', () => {
    const d = queued();
    expect(must(reindex(d, t1))).toEqual({ ...d, version: 1, updatedAt: t1.toISOString() });
  });
});

describe('whether an earlier post attempt may have reached the platform', () => {
  const fresh = () => newDelivery('ADV-2026-0001', 'jma', channel, t0);
  const begun = () => {
    const t = beginPostAttempt(fresh(), t0);
    if (!t.changed) throw new Error('the attempt should begin');
    return t.next;
  };

  it('not before any attempt; yes once one begins; no after it is settled', () => {
    expect(postMayExist(fresh())).toBe(false);
    expect(begun()).toMatchObject({ postAttempts: 1, postUncertain: true });
    expect(postMayExist(begun())).toBe(true);
    const settled = settlePostAttempt(begun(), t1);
    expect(settled).toMatchObject({ changed: true, next: { postUncertain: false, postAttempts: 1, version: begun().version + 1, updatedAt: t1.toISOString() } });
    expect(postMayExist((settled as { next: Delivery }).next)).toBe(false);
  });

  it('a record without the flag: any earlier attempt counts', () => {
    const { postUncertain: _drop, ...old } = begun();
    expect(postMayExist({ ...old, postAttempts: 2 })).toBe(true);
    expect(postMayExist({ ...old, postAttempts: 0 })).toBe(false);
  });

  it('settling changes nothing once settled, nor a delivery no longer queued', () => {
    const settled = (settlePostAttempt(begun(), t1) as { next: Delivery }).next;
    expect(settlePostAttempt(settled, t1)).toEqual({ changed: false, reason: 'already', current: settled });
    const posted = (markPosted(begun(), [ref], t1, undefined) as { next: Delivery }).next;
    expect(settlePostAttempt(posted, t1)).toEqual({ changed: false, reason: 'already', current: posted });
  });
});
