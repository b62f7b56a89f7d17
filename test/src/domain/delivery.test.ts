import { describe, expect, it } from 'vitest';
import {
  beginPostAttempt,
  deliveryIdFor,
  markAcknowledged,
  markFailed,
  markPosted,
  newDelivery,
  type Delivery,
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
    const posted = must(markPosted(attempt, [ref], t1));
    expect(posted).toMatchObject({ state: 'posted', messages: [ref], version: 2 });
    const acked = must(markAcknowledged(posted, alice, t1));
    expect(acked).toMatchObject({ state: 'acknowledged', acknowledged: alice, version: 3 });
  });

  it('lets the first acknowledgement win; a second is no change', () => {
    const acked = must(markAcknowledged(must(markPosted(queued(), [ref], t1)), alice, t1));
    const again = markAcknowledged(acked, bob, t1);
    expect(again).toEqual({ changed: false, reason: 'already', current: acked });
  });

  it('is idempotent: posting twice changes once', () => {
    const posted = must(markPosted(queued(), [ref], t1));
    expect(markPosted(posted, [ref], t1).changed).toBe(false);
    expect(beginPostAttempt(posted, t1).changed).toBe(false);
  });

  it('fails only from queued, and a failed delivery is never posted over', () => {
    const failed = must(markFailed(queued(), 'channel_not_found', t1));
    expect(failed.failure).toEqual({ code: 'channel_not_found', at: t1.toISOString() });
    expect(markFailed(failed, 'x', t1)).toMatchObject({ changed: false, reason: 'already' });
    expect(markPosted(failed, [ref], t1)).toMatchObject({ changed: false, reason: 'not-allowed' });
    const posted = must(markPosted(queued(), [ref], t1));
    expect(markFailed(posted, 'x', t1)).toMatchObject({ changed: false, reason: 'not-allowed' });
  });

  it('lets a failed delivery be acknowledged (the member was reached another way)', () => {
    const failed = must(markFailed(queued(), 'not_in_channel', t1));
    const acked = must(markAcknowledged(failed, { ...alice, via: 'phone' }, t1));
    expect(acked.state).toBe('acknowledged');
  });
});
