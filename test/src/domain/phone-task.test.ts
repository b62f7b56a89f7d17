import { describe, expect, it } from 'vitest';
import {
  advanceContact,
  callNow,
  claim,
  contactStates,
  triedCount,
  closeAcknowledged,
  contactChoice,
  contactKey,
  isOpenTask,
  newPhoneTask,
  phoneTaskIdFor,
  recordFailedCall,
  readContactChoice,
  recordReached,
  recordReachedChoice,
  release,
  withMessages,
  type PhoneTask,
  type TaskTransition,
} from '../../../src/domain/phone-task.js';

const now = new Date('2026-11-25T18:00:00Z');
const tanaka = { platform: 'slack' as const, userId: 'U0ONC00001', name: '田中' };
const kato = { platform: 'slack' as const, userId: 'U0ONC00002', name: '加藤' };
const task = (): PhoneTask => newPhoneTask({ id: 'ADV-2026-0001.jma.slack-C1', advisoryId: 'ADV-2026-0001', memberId: 'jma' }, now);
const next = (t: TaskTransition): PhoneTask => {
  if (!t.changed) throw new Error(`no change: ${t.reason}`);
  return t.next;
};

describe('phone task', () => {
  it('has one id per delivery', () => {
    expect(task().id).toBe('ADV-2026-0001.jma.slack-C1.phone');
  });

  it('lets one person claim; a second cannot', () => {
    const claimed = next(claim(task(), tanaka, now));
    expect(claimed).toMatchObject({ state: 'claimed', claimedBy: tanaka });
    expect(claim(claimed, kato, now)).toMatchObject({ changed: false, reason: 'claimed-by-other' });
    expect(claim(claimed, tanaka, now)).toMatchObject({ changed: false, reason: 'already' });
  });

  it('lets only the claimant release', () => {
    const claimed = next(claim(task(), tanaka, now));
    expect(release(claimed, kato, now)).toMatchObject({ changed: false, reason: 'claimed-by-other' });
    const released = next(release(claimed, tanaka, now));
    expect(released.state).toBe('open');
    expect('claimedBy' in released).toBe(false);
  });

  it('records "reached" as done, and refuses it from someone else while claimed', () => {
    const claimed = next(claim(task(), tanaka, now));
    expect(recordReached(claimed, kato, now)).toMatchObject({ changed: false, reason: 'claimed-by-other' });
    const done = next(recordReached(claimed, tanaka, now));
    expect(done).toMatchObject({ state: 'done', resolution: { kind: 'reached', by: tanaka } });
    expect(claim(done, kato, now)).toMatchObject({ changed: false, reason: 'closed' });
  });

  it('moves to the next contact on no answer or a wrong number, and is exhausted after the last', () => {
    let t = next(recordFailedCall(task(), 'no_answer', tanaka, 2, now));
    expect(t).toMatchObject({ contactIndex: 1, exhausted: false, state: 'claimed', claimedBy: tanaka });
    t = next(recordFailedCall(t, 'wrong_number', tanaka, 2, now));
    expect(t).toMatchObject({ contactIndex: 1, exhausted: true });
    expect(t.attempts.map((a) => [a.contactIndex, a.outcome])).toEqual([
      [0, 'no_answer'],
      [1, 'wrong_number'],
    ]);
  });

  it('lets the ladder advance only an unclaimed task, and only forwards', () => {
    const advanced = next(advanceContact(task(), 1, now));
    expect(advanced.contactIndex).toBe(1);
    expect(advanceContact(advanced, 1, now)).toMatchObject({ changed: false, reason: 'already' });
    const claimed = next(claim(task(), tanaka, now));
    expect(advanceContact(claimed, 1, now)).toMatchObject({ changed: false, reason: 'busy' });
  });

  it('closes when the member acknowledged by button', () => {
    const closed = next(closeAcknowledged(next(claim(task(), tanaka, now)), now));
    expect(closed).toMatchObject({ state: 'cancelled', resolution: { kind: 'acknowledged_elsewhere' } });
    expect(closeAcknowledged(closed, now)).toMatchObject({ changed: false, reason: 'closed' });
  });
});

describe('phone task transitions, edge by edge', () => {
  const later = new Date('2026-11-25T18:05:00Z');
  const onTeams = { ...tanaka, platform: 'teams' as const };

  it('starts open at the first contact, with nothing tried, version 0', () => {
    expect(task()).toEqual({
      id: 'ADV-2026-0001.jma.slack-C1.phone',
      deliveryId: 'ADV-2026-0001.jma.slack-C1',
      advisoryId: 'ADV-2026-0001',
      memberId: 'jma',
      state: 'open',
      contactIndex: 0,
      exhausted: false,
      attempts: [],
      messages: [],
      version: 0,
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
    });
    expect(phoneTaskIdFor('d1')).toBe('d1.phone');
  });

  it('every change bumps the version and the time, and keeps the rest', () => {
    const claimed = next(claim(task(), tanaka, later));
    expect(claimed).toEqual({ ...task(), state: 'claimed', claimedBy: tanaka, version: 1, updatedAt: later.toISOString() });
  });

  it('tells people apart by platform and user id, not by name', () => {
    const claimed = next(claim(task(), tanaka, now));
    expect(claim(claimed, onTeams, now)).toMatchObject({ changed: false, reason: 'claimed-by-other' });
    expect(claim(claimed, { ...tanaka, userId: 'U0OTHER' }, now)).toMatchObject({ changed: false, reason: 'claimed-by-other' });
    expect(claim(claimed, { ...tanaka, name: 'renamed' }, now)).toMatchObject({ changed: false, reason: 'already' });
    expect(release(claimed, onTeams, now)).toMatchObject({ changed: false, reason: 'claimed-by-other' });
  });

  it('a claimed record that lost its claimant (damaged) is nobody\'s to work but the ladder\'s: refused, never a crash', () => {
    const damaged: PhoneTask = { ...task(), state: 'claimed' };
    expect(claim(damaged, tanaka, now)).toMatchObject({ changed: false, reason: 'claimed-by-other' });
    expect(release(damaged, tanaka, now)).toMatchObject({ changed: false, reason: 'claimed-by-other' });
    expect(recordReached(damaged, tanaka, now)).toMatchObject({ changed: false, reason: 'claimed-by-other' });
  });

  it('a closed task refuses everything; an open one cannot be released', () => {
    const done = next(recordReached(task(), tanaka, now));
    const cancelled = next(closeAcknowledged(task(), now));
    for (const closed of [done, cancelled]) {
      expect(claim(closed, tanaka, now)).toMatchObject({ changed: false, reason: 'closed', current: closed });
      expect(release(closed, tanaka, now)).toMatchObject({ changed: false, reason: 'closed' });
      expect(recordReached(closed, tanaka, now)).toMatchObject({ changed: false, reason: 'closed' });
      expect(recordFailedCall(closed, 'no_answer', tanaka, 2, now)).toMatchObject({ changed: false, reason: 'closed' });
      expect(advanceContact(closed, 1, now)).toMatchObject({ changed: false, reason: 'closed' });
      expect(closeAcknowledged(closed, now)).toMatchObject({ changed: false, reason: 'closed' });
      expect(isOpenTask(closed)).toBe(false);
    }
    expect(release(task(), tanaka, now)).toMatchObject({ changed: false, reason: 'not-claimed' });
    expect(isOpenTask(task())).toBe(true);
    expect(isOpenTask(next(claim(task(), tanaka, now)))).toBe(true);
  });

  it('"reached" on an open task claims it for the caller and records when', () => {
    const done = next(recordReached(task(), kato, later));
    expect(done).toMatchObject({ state: 'done', claimedBy: kato, resolution: { kind: 'reached', by: kato, at: later.toISOString() } });
  });

  it('a failed call by someone else while claimed is refused; by the claimant it is recorded', () => {
    const claimed = next(claim(task(), tanaka, now));
    expect(recordFailedCall(claimed, 'no_answer', kato, 3, now)).toMatchObject({ changed: false, reason: 'claimed-by-other' });
    const t = next(recordFailedCall(claimed, 'wrong_number', tanaka, 3, later));
    expect(t.attempts).toEqual([{ contactIndex: 0, outcome: 'wrong_number', by: tanaka, at: later.toISOString() }]);
    expect(t).toMatchObject({ contactIndex: 1, exhausted: false });
  });

  it('with one contact, or none, the first failed call exhausts the task', () => {
    expect(next(recordFailedCall(task(), 'no_answer', tanaka, 1, now))).toMatchObject({ contactIndex: 0, exhausted: true });
    expect(next(recordFailedCall(task(), 'no_answer', tanaka, 0, now))).toMatchObject({ contactIndex: 0, exhausted: true });
  });

  it('the ladder moves only forwards, to the contact it names', () => {
    const at2 = next(advanceContact(task(), 2, later));
    expect(at2).toMatchObject({ contactIndex: 2, state: 'open', version: 1, updatedAt: later.toISOString() });
    expect(advanceContact(at2, 1, now)).toMatchObject({ changed: false, reason: 'already' });
    expect(advanceContact(task(), 0, now)).toMatchObject({ changed: false, reason: 'already' });
  });

  it('closing as acknowledged elsewhere says when, and by nobody in particular', () => {
    const closed = next(closeAcknowledged(task(), later));
    expect(closed.resolution).toEqual({ kind: 'acknowledged_elsewhere', at: later.toISOString() });
    expect(closed.claimedBy).toBeUndefined();
  });

  it('records the messages it was posted as', () => {
    const ref = { platform: 'slack' as const, channelId: 'C0ONC', messageId: '1' };
    expect(next(withMessages(task(), [ref], later))).toMatchObject({ messages: [ref], version: 1, updatedAt: later.toISOString() });
  });
});

describe('which contact answered', () => {
  const later = new Date('2026-11-25T18:05:00Z');
  const sato = { name: '佐藤 健一', role: '課長', phone: '+81-3-5555-0101' };
  const suzuki = { name: '鈴木 美咲', phone: '+81-3-5555-0102' };
  const contacts = [sato, suzuki];

  it('fingerprints a contact by name, role and number: short, lower-case, and different when any of them changes', () => {
    const key = contactKey(sato);
    expect(key).toMatch(/^[0-9a-z]{1,7}$/);
    expect(contactKey({ ...sato })).toBe(key);
    for (const changed of [{ ...sato, name: '佐藤 健二' }, { ...sato, role: '部長' }, { ...sato, role: undefined }, { ...sato, phone: '+81-3-5555-0109' }]) {
      expect(contactKey(changed)).not.toBe(key);
    }
    // The fields are kept apart: moving text from the name into the role is a different person.
    expect(contactKey({ name: 'ab', role: 'c', phone: '1' })).not.toBe(contactKey({ name: 'a', role: 'bc', phone: '1' }));
    // Stable across releases and restarts: a message posted yesterday must still match today.
    expect(key).toBe('16njdbh');
    expect(contactKey({ name: '', phone: '' })).toBe('4ufoi5');
    expect(contactChoice(1, suzuki)).toBe(`1:${contactKey(suzuki)}`);
  });

  it('reads a choice back to the contact as the directory names them now', () => {
    expect(readContactChoice(contactChoice(0, sato), contacts)).toEqual({ ok: true, contact: { index: 0, name: '佐藤 健一', role: '課長' } });
    // No role: no role key at all (the record as any store gives it back).
    expect(readContactChoice(contactChoice(1, suzuki), contacts)).toStrictEqual({ ok: true, contact: { index: 1, name: '鈴木 美咲' } });
  });

  it('says what is wrong with a choice that names nobody', () => {
    const key = contactKey(sato);
    expect(readContactChoice(undefined, contacts)).toEqual({ ok: false, problem: 'missing' });
    expect(readContactChoice('', contacts)).toEqual({ ok: false, problem: 'missing' });
    for (const bad of ['x', `0`, `0:`, `:${key}`, `00:${key}`, `01:${key}`, `-1:${key}`, `1000:${key}`, ` 0:${key}`, `0:${key} `, `0:${key}x1234567`, `0:A`]) {
      expect(readContactChoice(bad, contacts), bad).toEqual({ ok: false, problem: 'malformed' });
    }
    expect(readContactChoice(`2:${key}`, contacts)).toEqual({ ok: false, problem: 'out-of-range' });
    expect(readContactChoice(`999:${key}`, contacts)).toEqual({ ok: false, problem: 'out-of-range' });
    expect(readContactChoice(`0:${key}`, [])).toEqual({ ok: false, problem: 'out-of-range' });
    // Sato's fingerprint under Suzuki's index: the message was drawn for someone else.
    expect(readContactChoice(`1:${key}`, contacts)).toEqual({ ok: false, problem: 'changed' });
    expect(readContactChoice(contactChoice(0, sato), [{ ...sato, name: '後任' }, suzuki])).toEqual({ ok: false, problem: 'changed' });
  });

  it('"reached" with a choice records the contact with the caller; the task\'s rules come before the choice', () => {
    const done = next(recordReachedChoice(task(), kato, contactChoice(1, suzuki), contacts, later));
    expect(done).toEqual({
      ...task(),
      state: 'done',
      claimedBy: kato,
      resolution: { kind: 'reached', by: kato, at: later.toISOString(), contact: { index: 1, name: '鈴木 美咲' } },
      version: 1,
      updatedAt: later.toISOString(),
    });
    const claimed = next(claim(task(), tanaka, now));
    expect(recordReachedChoice(claimed, kato, 'forged', contacts, later)).toMatchObject({ changed: false, reason: 'claimed-by-other', current: claimed });
    expect(recordReachedChoice(done, kato, 'forged', contacts, later)).toMatchObject({ changed: false, reason: 'closed', current: done });
    expect(recordReachedChoice(claimed, tanaka, `5:${contactKey(sato)}`, contacts, later)).toEqual({ changed: false, reason: 'bad-contact', problem: 'out-of-range', current: claimed });
    expect(recordReachedChoice(claimed, tanaka, undefined, contacts, later)).toEqual({ changed: false, reason: 'bad-contact', problem: 'missing', current: claimed });
  });

  it('"reached" without a contact (records of earlier releases) has no contact key at all', () => {
    expect(next(recordReached(task(), kato, later)).resolution).toStrictEqual({ kind: 'reached', by: kato, at: later.toISOString() });
  });
});

describe('an honest phone ladder', () => {
  const later = new Date('2026-11-25T18:20:00Z');
  const later2 = new Date('2026-11-25T18:40:00Z');

  it('time passing makes the next contact callable, never marks the earlier one as tried; the task is overdue from the first such step', () => {
    const t = next(advanceContact(task(), 1, later));
    expect(t).toMatchObject({ contactIndex: 1, overdueSince: later.toISOString(), attempts: [] });
    expect(callNow(t)).toBe(0);
    expect(contactStates(t, 3)).toEqual(['not_tried', 'not_tried', 'not_tried']);
    expect(triedCount(t, 3)).toBe(0);
    // Still nobody: overdue since the first time, all three callable now.
    const t2 = next(advanceContact(t, 2, later2));
    expect(t2).toMatchObject({ contactIndex: 2, overdueSince: later.toISOString() });
    expect(callNow(t2)).toBe(0);
  });

  it('a call goes to the first callable contact nobody tried; the next contact opens only when none is left', () => {
    const overdue = next(advanceContact(task(), 1, later));
    const first = next(recordFailedCall(overdue, 'no_answer', tanaka, 3, later));
    expect(first.attempts.map((a) => a.contactIndex)).toEqual([0]);
    // Contact 2 (index 1) was already callable and untried: the range does not grow yet; overdue is over.
    expect(first).toMatchObject({ contactIndex: 1, exhausted: false, state: 'claimed' });
    expect(first.overdueSince).toBeUndefined();
    expect(callNow(first)).toBe(1);
    const second = next(recordFailedCall(first, 'wrong_number', tanaka, 3, later));
    expect(second.attempts.map((a) => a.contactIndex)).toEqual([0, 1]);
    expect(second).toMatchObject({ contactIndex: 2, exhausted: false });
    expect(contactStates(second, 3)).toEqual(['no_answer', 'wrong_number', 'not_tried']);
    expect(triedCount(second, 3)).toBe(2);
    const third = next(recordFailedCall(second, 'no_answer', tanaka, 3, later));
    expect(third).toMatchObject({ contactIndex: 2, exhausted: true });
    expect(callNow(third)).toBeUndefined();
  });

  it('a contact tried, then reached, reads as reached; the last outcome of several calls counts', () => {
    let t = next(recordFailedCall(task(), 'no_answer', tanaka, 2, now));
    t = { ...t, attempts: [...t.attempts, { contactIndex: 1, outcome: 'no_answer', by: tanaka, at: now.toISOString() }, { contactIndex: 1, outcome: 'wrong_number', by: tanaka, at: now.toISOString() }] };
    expect(contactStates(t, 2)).toEqual(['no_answer', 'wrong_number']);
    const reached = next(recordReached(t, tanaka, now, { index: 0, name: 'A' }));
    expect(contactStates(reached, 2)).toEqual(['reached', 'wrong_number']);
    expect(triedCount(reached, 2)).toBe(2);
    expect(callNow(reached)).toBeUndefined();
  });

  it('someone claiming the task ends its being overdue; a task with its callable contacts all tried is not overdue when the next one opens', () => {
    const overdue = next(advanceContact(task(), 1, later));
    expect(next(claim(overdue, tanaka, later)).overdueSince).toBeUndefined();
    const called = next(release(next(recordFailedCall(task(), 'no_answer', tanaka, 3, now)), tanaka, now));
    expect(called.contactIndex).toBe(1);
    const t = next(advanceContact(called, 2, later));
    // Contact 2 was callable and untried when contact 3's time came: that is overdue.
    expect(t.overdueSince).toBe(later.toISOString());
    const allTried = { ...called, attempts: [...called.attempts, { contactIndex: 1, outcome: 'no_answer' as const, by: tanaka, at: now.toISOString() }] };
    expect(next(advanceContact(allTried, 2, later)).overdueSince).toBeUndefined();
  });
});
