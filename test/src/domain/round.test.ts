import { describe, expect, it } from 'vitest';
import type { Advisory } from '../../../src/domain/advisory.js';
import { addFollowUp, closesAt, closingNumber, close, policyOfRound, roundOf, withdraw, type AdvisoryTransition } from '../../../src/domain/advisory-lifecycle.js';
import { beginRound, markAcknowledged, markFailed, markPosted, type Delivery } from '../../../src/domain/delivery.js';
import { renewForRound, type PhoneTask, type TaskTransition } from '../../../src/domain/phone-task.js';
import { aDelivery, aMessage, anActor, anAdvisory, aPhoneTask, at } from '../store/fixtures.js';

/** Acknowledgement rounds in the pure rules: the advisory's round, the delivery's, the phone task's. */

const SECRETARIAT = anActor({ userId: 'U0SEC', name: '事務局' });
const MEMBER = anActor({ userId: 'U0JMA', name: '会員' });
const now = (minutes: number) => new Date(at(minutes));

function next(t: AdvisoryTransition): Advisory {
  if (!t.changed) throw new Error(`no change: ${t.reason}`);
  return t.next;
}
function moved(t: ReturnType<typeof beginRound>): Delivery {
  if (!t.changed) throw new Error(`no change: ${t.reason}`);
  return t.next;
}
function task(t: TaskTransition): PhoneTask {
  if (!t.changed) throw new Error(`no change: ${t.reason}`);
  return t.next;
}

describe('roundOf', () => {
  it('is round 1 from the issue to the deadline as issued, until a follow-up asks again', () => {
    const a = anAdvisory();
    expect(roundOf(a)).toEqual({ n: 1, since: at(0), deadline: at(60) });
    const r2 = next(addFollowUp(a, '続報', SECRETARIAT, now(30), 45 * 60));
    expect(roundOf(r2)).toEqual({ n: 2, followup: 1, since: at(30), deadline: at(75) });
    // An earlier round can still be asked for by number.
    expect(roundOf(r2, 1)).toEqual({ n: 1, since: at(0), deadline: at(60) });
  });

  it('falls back to round 1 for a round no follow-up opened (a record it cannot explain)', () => {
    const a = next(addFollowUp(anAdvisory(), '情報のみ', SECRETARIAT, now(5)));
    expect(roundOf({ ...a, round: 2 })).toEqual({ n: 1, since: at(0), deadline: at(60) });
  });
});

describe('addFollowUp asking for acknowledgement', () => {
  it('numbers rounds on from the current one, and bumps the copy (its button gives way to the follow-up)', () => {
    const a = anAdvisory({ syncRev: 3, copyRev: 1 });
    const r2 = next(addFollowUp(a, 'A', SECRETARIAT, now(10), 600));
    expect(r2).toMatchObject({ round: 2, syncRev: 4, copyRev: 4, syncing: true, version: 1 });
    expect(r2.followups).toEqual([{ n: 1, at: at(10), by: SECRETARIAT, body: 'A', ack: { round: 2, deadline: at(20) } }]);
    const info = next(addFollowUp(r2, 'B', SECRETARIAT, now(12)));
    // Information only: the thread, not the copy; no new round.
    expect(info).toMatchObject({ round: 2, syncRev: 5, copyRev: 4 });
    expect(info.followups?.[1]?.ack).toBeUndefined();
    const r3 = next(addFollowUp(info, 'C', SECRETARIAT, now(14), 60));
    expect(r3.round).toBe(3);
    expect(r3.followups?.[2]).toMatchObject({ n: 3, ack: { round: 3, deadline: new Date(now(14).getTime() + 60_000).toISOString() } });
  });

  it('reopens a closed advisory, keeping its closing; the archive and its failures start over', () => {
    const closed = { ...next(close(anAdvisory(), 'all_acknowledged', undefined, now(20))), archived: { at: at(21), auditSeq: 9 }, archiveFailures: 2 };
    expect(closingNumber(closed)).toBe(1);
    const reopened = next(addFollowUp(closed, '続報', SECRETARIAT, now(30), 600));
    expect(reopened.state).toBe('open');
    expect(reopened.closure).toBeUndefined();
    expect(reopened.archived).toBeUndefined();
    expect(reopened.archiveFailures).toBeUndefined();
    expect(reopened.earlierClosures).toEqual([closed.closure]);
    expect(closingNumber(reopened)).toBe(2);
    // An information-only follow-up leaves a closed advisory closed.
    const info = next(addFollowUp(closed, '参考', SECRETARIAT, now(30)));
    expect(info).toMatchObject({ state: 'closed', closure: closed.closure });
    expect(info.earlierClosures).toBeUndefined();
  });

  it('is refused after withdrawal', () => {
    const withdrawn = next(withdraw(anAdvisory(), '誤り', SECRETARIAT, now(5)));
    expect(addFollowUp(withdrawn, '続報', SECRETARIAT, now(6), 600)).toMatchObject({ changed: false, reason: 'not-allowed' });
  });
});

describe('closesAt in a later round', () => {
  it('counts from the round\'s deadline, and a time fixed at issue no longer applies', () => {
    const a = anAdvisory({ closesAt: at(100) });
    expect(closesAt(a, 0).toISOString()).toBe(at(100));
    const r2 = next(addFollowUp(a, '続報', SECRETARIAT, now(200), 30 * 60));
    // Round 2's deadline is 230; the ladder's alert comes alertAfter (2 h) past it.
    expect(closesAt(r2, 0).toISOString()).toBe(at(230 + 120));
    expect(closesAt(r2, 3 * 3600).toISOString()).toBe(at(230 + 180));
  });
});

describe('policyOfRound', () => {
  it('keeps round 1 as issued; a later round takes its own deadline and drops a reminder that would come before it', () => {
    const a = anAdvisory();
    expect(policyOfRound(a, 1)).toBe(a.escalation);
    const long = next(addFollowUp(a, '続報', SECRETARIAT, now(30), 90 * 60));
    expect(policyOfRound(long, 2)).toEqual({ ...a.escalation, deadline: 90 * 60 });
    const short = next(addFollowUp(a, '続報', SECRETARIAT, now(30), 10 * 60));
    expect(policyOfRound(short, 2)).toEqual({ ...a.escalation, deadline: 10 * 60, reminderBefore: 0 });
    const exact = next(addFollowUp(a, '続報', SECRETARIAT, now(30), a.escalation.reminderBefore));
    expect(policyOfRound(exact, 2).reminderBefore).toBe(0);
  });
});

describe('beginRound', () => {
  const posted = () => moved(markPosted(aDelivery(), [aMessage()], now(1), { kind: 'reminder', index: 0, at: at(40) }) as never);
  const phoneNow = { kind: 'phone' as const, index: 0, at: at(30) };

  it('asks an acknowledged member again, keeping how round 1 ended, under a new token', () => {
    const acked = moved(markAcknowledged(posted(), { actor: MEMBER, at: at(10), via: 'button' }, now(10)) as never);
    const d = moved(beginRound(acked, 2, { kind: 'reminder', index: 0, at: at(70) }, now(30)));
    expect(d).toMatchObject({ round: 2, state: 'posted', nextStep: { kind: 'reminder', at: at(70) }, version: acked.version + 1 });
    expect(d.acknowledged).toBeUndefined();
    expect(d.ladder).toBeUndefined();
    expect(d.escalationToken).not.toBe(acked.escalationToken);
    expect(d.earlierRounds).toEqual([{ round: 1, state: 'acknowledged', acknowledged: { actor: MEMBER, at: at(10), via: 'button' } }]);
  });

  it('keeps a member silent in round 1 as such, and a copy that never went out failed', () => {
    const silent = moved(beginRound({ ...posted(), ladder: { kind: 'reminder', index: 0, at: at(40) } }, 2, undefined, now(30)));
    expect(silent.earlierRounds).toEqual([{ round: 1, state: 'posted' }]);
    expect(silent.nextStep).toBeUndefined();
    const failed = moved(markFailed(aDelivery(), { code: 'channel_gone' }, now(1), undefined) as never);
    const d = moved(beginRound(failed, 2, phoneNow, now(30)));
    expect(d).toMatchObject({ state: 'failed', round: 2, failure: { code: 'channel_gone' }, nextStep: phoneNow });
  });

  it('goes forward only, and never for a copy not yet posted or cancelled', () => {
    const d = moved(beginRound(posted(), 3, undefined, now(30)));
    expect(beginRound(d, 3, undefined, now(31))).toMatchObject({ changed: false, reason: 'already' });
    expect(beginRound(d, 2, undefined, now(31))).toMatchObject({ changed: false, reason: 'already' });
    expect(beginRound(aDelivery(), 2, undefined, now(31))).toMatchObject({ changed: false, reason: 'not-allowed' });
    expect(beginRound({ ...aDelivery(), state: 'cancelled' }, 2, undefined, now(31))).toMatchObject({ changed: false, reason: 'not-allowed' });
  });
});

describe('renewForRound', () => {
  it('opens an ended task again from the first contact, with no message, keeping the earlier round\'s calls', () => {
    const done: PhoneTask = {
      ...aPhoneTask(),
      state: 'done',
      contactIndex: 1,
      exhausted: true,
      claimedBy: MEMBER,
      attempts: [{ contactIndex: 0, outcome: 'no_answer', by: MEMBER, at: at(61) }],
      resolution: { kind: 'reached', by: MEMBER, at: at(70) },
      messages: [aMessage({ channelId: 'C0ONCALL', messageId: '9.1' })],
    };
    const t = task(renewForRound(done, 2, now(100)));
    expect(t).toMatchObject({ round: 2, state: 'open', contactIndex: 0, exhausted: false, attempts: [], messages: [], version: done.version + 1, updatedAt: at(100) });
    expect('claimedBy' in t).toBe(false);
    expect('resolution' in t).toBe(false);
    expect(t.earlierRounds).toEqual([{ round: 1, state: 'done', attempts: done.attempts, resolution: done.resolution }]);
    expect(renewForRound(t, 2, now(101))).toMatchObject({ changed: false, reason: 'already' });
  });

  it('lets a task still being worked carry on, now about the later round', () => {
    const claimed: PhoneTask = { ...aPhoneTask(), state: 'claimed', claimedBy: MEMBER, messages: [aMessage({ channelId: 'C0ONCALL', messageId: '9.1' })] };
    const t = task(renewForRound(claimed, 2, now(100)));
    expect(t).toMatchObject({ round: 2, state: 'claimed', claimedBy: MEMBER, messages: claimed.messages });
    expect(t.earlierRounds).toBeUndefined();
  });
});
