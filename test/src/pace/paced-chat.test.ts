/**
 * The paced chat port: what it asks of the pace (lane, conversation, priority by what is sent), how it waits for its
 * turn (and ages a long wait to a higher priority, and gives up its worker slot past the longest hold), and a 429
 * that comes anyway told to the pace. A platform without limits never asks the pace.
 */
import { describe, expect, it } from 'vitest';
import { PacedChat } from '../../../src/pace/paced-chat.js';
import { ChatError, type OutboundView } from '../../../src/ports/chat.js';
import { PRIORITY, type Pace, type PacedCall, type PlatformLimits } from '../../../src/ports/pace.js';
import { PICTURES_ON, RecordingChat } from '../../support/core-fixture.js';

const SLACK: PlatformLimits = { conversation: { perSecond: 1, burst: 3 }, search: { perSecond: 1, burst: 3 }, workspace: 'paced' };

/** A pace that answers the waits it is given, in order (then 0), and records every question. */
class ScriptedPace implements Pace {
  readonly taken: PacedCall[] = [];
  readonly throttles: { call: PacedCall; retryAfterMs: number | undefined }[] = [];
  constructor(private readonly waits: number[] = []) {}
  async take(call: PacedCall): Promise<number> {
    this.taken.push(call);
    return this.waits.shift() ?? 0;
  }
  async throttled(call: PacedCall, retryAfterMs: number | undefined): Promise<void> {
    this.throttles.push({ call, retryAfterMs });
  }
}

function paced(waits: number[] = [], limits: PlatformLimits = SLACK) {
  const inner = new RecordingChat();
  Object.assign(inner, { limits });
  const pace = new ScriptedPace(waits);
  const slept: number[] = [];
  const chat = new PacedChat(inner, { pace, sleep: async (ms) => void slept.push(ms), maxHoldMs: 5_000, ageStepMs: 2_000 });
  return { inner, pace, slept, chat };
}

const target = { workspaceId: 'T1', channelId: 'C1' };
const ref = { platform: 'slack' as const, channelId: 'C1', messageId: 'm1' };
const view = (kind: OutboundView['kind']) => ({ kind, view: {} }) as OutboundView;

describe('what each call asks of the pace', () => {
  it('posts and edits in their conversation, by priority; searches in their own lane', async () => {
    const { chat, pace } = paced();
    await chat.post(target, view('advisory'), 'k');
    await chat.post(target, view('phone_task'), 'k');
    await chat.post(target, view('reminder'), 'k');
    await chat.post(target, view('notice'), 'k');
    await chat.post(target, view('followup'), 'k');
    await chat.update(ref, view('advisory'), 'k');
    await chat.update(ref, view('reminder'), 'k');
    await chat.update(ref, view('phone_task'), 'k');
    await chat.update(ref, view('notice'), 'k');
    await chat.findPost(target, 'k', new Date());
    expect(pace.taken.map((c) => [c.lane, c.conversation, c.priority])).toEqual([
      ['send', 'C1', PRIORITY.first],
      ['send', 'C1', PRIORITY.first],
      ['send', 'C1', PRIORITY.step],
      ['send', 'C1', PRIORITY.step],
      ['send', 'C1', PRIORITY.step],
      ['send', 'C1', PRIORITY.refresh],
      ['send', 'C1', PRIORITY.refresh],
      ['send', 'C1', PRIORITY.step],
      ['send', 'C1', PRIORITY.status],
      ['search', undefined, PRIORITY.step],
    ]);
    expect(pace.taken.every((c) => c.platform === 'slack' && c.limits === SLACK)).toBe(true);
  });

  it('carries the inner port: platform, capabilities, limits and what is not paced', async () => {
    const { chat, inner, pace } = paced();
    expect([chat.platform, chat.capabilities, chat.limits]).toEqual([inner.platform, inner.capabilities, SLACK]);
    expect(await chat.openDirectConversation('T1', 'U1')).toEqual(await inner.openDirectConversation('T1', 'U1'));
    const channel = { platform: 'slack' as const, workspaceId: 'T1', channelId: 'C1', sharedOutside: false };
    inner.isSharedOutside = async () => true;
    expect(await chat.isSharedOutside(channel)).toBe(true);
    inner.replies.set('m1', [{ userId: 'U1', text: 'x', ts: '1', at: new Date().toISOString() } as never]);
    expect(await chat.threadReplies(ref, new Date(0))).toHaveLength(1);
    await chat.checkCredentials();
    inner.checkCredentials = async () => {
      throw new ChatError('permanent', 'invalid_auth', { reason: 'auth' });
    };
    await expect(chat.checkCredentials()).rejects.toMatchObject({ code: 'invalid_auth' });
    expect(pace.taken).toEqual([]);
  });

  it('an edit reaches the platform after its turn', async () => {
    const { chat, inner } = paced([10]);
    await chat.update(ref, view('advisory'), 'k');
    expect(inner.updates).toEqual([{ ref, message: view('advisory'), key: 'k' }]);
  });

  it('a platform with nothing to pace never asks', async () => {
    const { chat, pace, inner } = paced([], { conversation: 'unlimited', search: 'unlimited', workspace: 'unlimited' });
    await chat.post(target, view('advisory'), 'k');
    await chat.update(ref, view('notice'), 'k');
    await chat.findPost(target, 'k', new Date());
    expect(pace.taken).toEqual([]);
    expect(inner.posts).toHaveLength(1);
  });

  it('a workspace pace alone is paced too', async () => {
    const { chat, pace } = paced([], { conversation: 'unlimited', search: 'unlimited', workspace: 'paced' });
    await chat.post(target, view('advisory'), 'k');
    expect(pace.taken.map((c) => c.lane)).toEqual(['send']);
  });

  it('a conversation limit alone, or a search limit alone, is paced', async () => {
    const conv = paced([], { conversation: { perSecond: 1, burst: 1 }, search: 'unlimited', workspace: 'unlimited' });
    await conv.chat.post(target, view('advisory'), 'k');
    await conv.chat.findPost(target, 'k', new Date());
    expect(conv.pace.taken.map((c) => c.lane)).toEqual(['send']);
    const search = paced([], { conversation: 'unlimited', search: { perSecond: 1, burst: 1 }, workspace: 'unlimited' });
    await search.chat.post(target, view('advisory'), 'k');
    await search.chat.findPost(target, 'k', new Date());
    expect(search.pace.taken.map((c) => c.lane)).toEqual(['search']);
  });
});

describe('a picture', () => {
  const picture = { png: new Uint8Array([1, 2, 3]), filename: 'ADV-2026-0001-reach.png', view: {} } as never;

  it('is a post in its conversation at a step\'s priority, and reaches the platform after its turn', async () => {
    const { chat, inner, pace, slept } = paced([15]);
    inner.capabilities = { ...inner.capabilities, postImage: PICTURES_ON };
    const ref = await chat.postImage(target, picture, 'k-pic');
    expect(pace.taken.map((c) => [c.lane, c.conversation, c.priority])).toEqual([
      ['send', 'C1', PRIORITY.step],
      ['send', 'C1', PRIORITY.step],
    ]);
    expect(slept).toEqual([15]);
    expect(inner.pictures.map((p) => [p.target, p.key, p.ref])).toEqual([[target, 'k-pic', ref]]);
  });

  it('throttled anyway, tells the pace; past the longest hold, gives up its slot with nothing sent', async () => {
    const { chat, inner, pace } = paced([6_000]);
    inner.capabilities = { ...inner.capabilities, postImage: PICTURES_ON };
    await expect(chat.postImage(target, picture, 'k')).rejects.toMatchObject({ kind: 'rate_limited', code: 'paced' });
    expect(inner.pictures).toEqual([]);
    inner.failPictures = () => new ChatError('rate_limited', 'ratelimited', { retryAfterMs: 4_000 });
    await expect(chat.postImage(target, picture, 'k')).rejects.toMatchObject({ code: 'ratelimited' });
    expect(pace.throttles).toEqual([{ call: expect.objectContaining({ lane: 'send', conversation: 'C1', priority: PRIORITY.step }), retryAfterMs: 4_000 }]);
  });
});

describe('waiting for its turn', () => {
  it('sleeps what the pace says, asks again, then calls the platform once', async () => {
    const { chat, slept, inner, pace } = paced([20, 30]);
    await chat.post(target, view('advisory'), 'k');
    expect(slept).toEqual([20, 30]);
    expect(pace.taken).toHaveLength(3);
    expect(inner.posts).toHaveLength(1);
  });

  it('a long wait counts as a higher priority: a status card is late, never starved', async () => {
    const { chat, pace } = paced([1500, 1500, 1500, 500]);
    await chat.update(ref, view('notice'), 'k');
    // Asked after 0, 1,500, 3,000, 4,500 and 5,000 ms of waiting: one step up per 2 s.
    expect(pace.taken.map((c) => c.priority)).toEqual([3, 3, 2, 1, 1]);
  });

  it('past the longest hold it gives up the worker slot: thrown as rate_limited, nothing sent, the pace not told of a 429', async () => {
    const { chat, inner, pace, slept } = paced([3000, 2500]);
    const err = await chat.post(target, view('advisory'), 'k').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ChatError);
    expect(err).toMatchObject({ kind: 'rate_limited', code: 'paced', retryAfterMs: 2500, maybeDone: false });
    expect(slept).toEqual([3000]);
    expect(inner.posts).toEqual([]);
    expect(pace.throttles).toEqual([]);
  });

  it('by default it holds the slot 5 s at most, and a wait ages one priority per 2 s', async () => {
    const inner = new RecordingChat();
    Object.assign(inner, { limits: SLACK });
    const pace = new ScriptedPace([1_900, 1_900, 1_200, 1_000]);
    const chat = new PacedChat(inner, { pace, sleep: async () => undefined });
    await expect(chat.update(ref, view('notice'), 'k')).rejects.toMatchObject({ code: 'paced', retryAfterMs: 1_000 });
    // Asked after 0, 1,900, 3,800 and 5,000 ms of waiting.
    expect(pace.taken.map((c) => c.priority)).toEqual([3, 3, 2, 1]);
  });

  it('exactly the longest hold still waits', async () => {
    const { chat, inner } = paced([2000, 3000]);
    await chat.post(target, view('advisory'), 'k');
    expect(inner.posts).toHaveLength(1);
  });
});

describe('a 429 that comes anyway', () => {
  it('is told to the pace with its Retry-After, and thrown for the job to wait', async () => {
    const { chat, inner, pace } = paced();
    inner.failPosts = () => new ChatError('rate_limited', 'ratelimited', { retryAfterMs: 3000 });
    await expect(chat.post(target, view('advisory'), 'k')).rejects.toMatchObject({ kind: 'rate_limited' });
    expect(pace.throttles).toEqual([{ call: expect.objectContaining({ lane: 'send', conversation: 'C1', priority: PRIORITY.first }), retryAfterMs: 3000 }]);
  });

  it('a rate limit is told to the pace whatever reason it carries', async () => {
    const { chat, inner, pace } = paced();
    inner.failPosts = () => new ChatError('rate_limited', 'ratelimited', { retryAfterMs: 2000, reason: 'unavailable' });
    await expect(chat.post(target, view('advisory'), 'k')).rejects.toMatchObject({ kind: 'rate_limited' });
    expect(pace.throttles.map((t) => t.retryAfterMs)).toEqual([2000]);
  });

  it("Teams' 429 without Retry-After (transient, reason rate_limited) slows the pace too", async () => {
    const { chat, inner, pace } = paced();
    inner.failPosts = () => new ChatError('transient', 'http_429', { reason: 'rate_limited', maybeDone: false });
    await expect(chat.post(target, view('advisory'), 'k')).rejects.toMatchObject({ code: 'http_429' });
    expect(pace.throttles.map((t) => t.retryAfterMs)).toEqual([undefined]);
  });

  it('a search rate-limited is told in the search lane; any other failure is not a 429', async () => {
    const { chat, inner, pace } = paced();
    inner.failFinds = () => new ChatError('rate_limited', 'ratelimited', { retryAfterMs: 60_000 });
    await expect(chat.findPost(target, 'k', new Date())).rejects.toMatchObject({ kind: 'rate_limited' });
    inner.failFinds = undefined;
    inner.failPosts = () => new ChatError('transient', 'internal_error');
    await expect(chat.post(target, view('advisory'), 'k')).rejects.toMatchObject({ code: 'internal_error' });
    expect(pace.throttles.map((t) => [t.call.lane, t.retryAfterMs])).toEqual([['search', 60_000]]);
  });
});
