import { describe, expect, it } from 'vitest';
import { admit, KeyedBuckets, TokenBucket } from './token-bucket.js';
import { slackGate, teamsGate } from './platform-limits.js';

/** A clock the test moves by hand. */
function manualClock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('token bucket', () => {
  it('lets a burst through, then one per interval, and says how long until the next', () => {
    const clock = manualClock();
    const b = new TokenBucket({ perSecond: 1, burst: 3 }, clock.now);
    for (let i = 0; i < 3; i++) expect(admit([b])).toEqual({ ok: true });
    expect(b.waitMs()).toBe(1000);
    expect(admit([b])).toEqual({ ok: false, retryAfterSec: 1 });
    clock.advance(400);
    expect(b.waitMs()).toBe(600);
    clock.advance(600);
    expect(admit([b])).toEqual({ ok: true });
  });

  it('never holds more than its burst, however long it was quiet', () => {
    const clock = manualClock();
    const b = new TokenBucket({ perSecond: 10, burst: 2 }, clock.now);
    clock.advance(60_000);
    expect(admit([b]).ok).toBe(true);
    expect(admit([b]).ok).toBe(true);
    expect(admit([b]).ok).toBe(false);
  });

  it('takes from no bucket when any of them refuses, and rounds Retry-After up to whole seconds', () => {
    const clock = manualClock();
    const wide = new TokenBucket({ perSecond: 50 / 60, burst: 1 }, clock.now);
    const narrow = new TokenBucket({ perSecond: 1, burst: 1 }, clock.now);
    expect(admit([narrow, wide]).ok).toBe(true);
    clock.advance(1000);
    // narrow has a token again, wide does not (1.2 s per token): neither is taken.
    expect(admit([narrow, wide])).toEqual({ ok: false, retryAfterSec: 1 });
    expect(narrow.waitMs()).toBe(0);
    expect(() => new TokenBucket({ perSecond: 0, burst: 1 })).toThrow();
  });

  it('keeps one bucket per key', () => {
    const clock = manualClock();
    const keyed = new KeyedBuckets({ perSecond: 1, burst: 1 }, clock.now);
    expect(admit([keyed.get('C1')]).ok).toBe(true);
    expect(admit([keyed.get('C1')]).ok).toBe(false);
    expect(admit([keyed.get('C2')]).ok).toBe(true);
  });
});

describe('platform gates', () => {
  it('Slack: one message a second per channel after a burst of 3, under the workspace rate; history on its own budget', () => {
    const clock = manualClock();
    const gate = slackGate({ workspacePerSecond: 4 }, clock.now);
    expect([1, 2, 3].map(() => gate('chat.postMessage', 'C1'))).toEqual([undefined, undefined, undefined]);
    expect(gate('chat.update', 'C1')).toBe(1);
    expect(gate('chat.postMessage', 'C2')).toBeUndefined();
    // The workspace's 4 a second are used up: another channel waits too.
    expect(gate('chat.postMessage', 'C3')).toBe(1);
    expect(gate('auth.test', undefined)).toBeUndefined();
    for (let i = 0; i < 5; i++) expect(gate('conversations.history', 'C1')).toBeUndefined();
    expect(gate('conversations.history', 'C1')).toBe(2); // 50 a minute: 1.2 s per call
  });

  it('Teams: 7 a second per conversation, under the tenant rate', () => {
    const clock = manualClock();
    const gate = teamsGate({ tenantPerSecond: 100 }, clock.now);
    for (let i = 0; i < 7; i++) expect(gate('replyToActivity', '19:a@thread.tacv2')).toBeUndefined();
    expect(gate('updateActivity', '19:a@thread.tacv2')).toBe(1);
    expect(gate('sendToConversation', '19:b@thread.tacv2')).toBeUndefined();
    expect(gate('getConversationMembers', '19:a@thread.tacv2')).toBeUndefined();
    clock.advance(1000);
    expect(gate('replyToActivity', '19:a@thread.tacv2')).toBeUndefined();
  });
});
