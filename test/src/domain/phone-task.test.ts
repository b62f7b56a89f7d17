import { describe, expect, it } from 'vitest';
import {
  advanceContact,
  claim,
  closeAcknowledged,
  newPhoneTask,
  recordFailedCall,
  recordReached,
  release,
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
    expect(next(release(claimed, tanaka, now))).toMatchObject({ state: 'open', claimedBy: undefined });
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
