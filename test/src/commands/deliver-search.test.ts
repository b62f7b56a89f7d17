/**
 * When a delivery's retry looks for an earlier post (a conversations.history call on Slack, limited to about
 * 50 a minute) and when it posts at once: it searches only after an attempt whose outcome is unknown (a timeout,
 * a connection lost, a crash mid-post), never after a failure that proves nothing was posted (a 429, a refusal,
 * a connection never made), and a search that found nothing settles the question for the next attempt.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { postOnce, provesNothingPosted } from '../../../src/commands/post-once.js';
import { ChatError } from '../../../src/ports/chat.js';
import { contactSlackId, coreFixture, directoryWithContacts, ISSUE_INPUT, SECRETARIAT, type CoreFixture } from '../../support/core-fixture.js';

let f: CoreFixture;
afterEach(async () => {
  await f.close();
});

let requests = 0;
async function issueTo(members: string[], input: Partial<typeof ISSUE_INPUT> = {}) {
  const r = await f.core.issueAdvisory({ actor: SECRETARIAT, requestKey: `s-${++requests}`, input: { ...ISSUE_INPUT, targets: { allMembers: false, observers: false, groups: [], members }, ...input } });
  f.jobs.ensured.length = 0;
  return r.deliveries[0]!.id;
}

const limited = () => new ChatError('rate_limited', 'ratelimited', { retryAfterMs: 1000 });
const timedOut = () => new ChatError('transient', 'request_timeout', { reason: 'timeout' });
const refused = () => new ChatError('transient', 'ECONNREFUSED', { maybeDone: false });

describe('a delivery retried after a failure that proves nothing was posted', () => {
  beforeEach(async () => {
    f = await coreFixture();
  });

  it('posts at once after any number of 429s: no history search, one post', async () => {
    const id = await issueTo(['jma']);
    f.chat.failPosts = limited;
    for (let i = 0; i < 5; i++) await expect(f.core.deliver(id)).rejects.toMatchObject({ kind: 'rate_limited' });
    expect(await f.store.getDelivery(id)).toMatchObject({ state: 'queued', postAttempts: 5, postUncertain: false });
    f.chat.failPosts = undefined;
    expect(await f.core.deliver(id)).toEqual({ outcome: 'posted' });
    expect(f.chat.finds).toBe(0);
    expect(f.chat.in('C0JMA00001', 'advisory')).toHaveLength(1);
  });

  it('a connection never made is as certain as a 429', async () => {
    const id = await issueTo(['jma']);
    f.chat.failPosts = refused;
    await expect(f.core.deliver(id)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    f.chat.failPosts = undefined;
    expect(await f.core.deliver(id)).toEqual({ outcome: 'posted' });
    expect(f.chat.finds).toBe(0);
  });
});

describe('a delivery retried after an attempt whose outcome is unknown', () => {
  beforeEach(async () => {
    f = await coreFixture();
  });

  it('a timeout: the retry searches, and finds the post the timed-out attempt made', async () => {
    const id = await issueTo(['jma']);
    // The post reached the platform, but its answer never came back.
    f.chat.failPosts = timedOut;
    await expect(f.core.deliver(id)).rejects.toMatchObject({ code: 'request_timeout' });
    expect(await f.store.getDelivery(id)).toMatchObject({ postUncertain: true });
    f.chat.failPosts = undefined;
    const earlier = await f.chat.post({ workspaceId: 'T0CEPTOAR0', channelId: 'C0JMA00001' }, { kind: 'advisory', view: {} as never }, id);
    expect(await f.core.deliver(id)).toEqual({ outcome: 'posted' });
    expect(f.chat.finds).toBe(1);
    expect((await f.store.getDelivery(id))?.messages).toEqual([earlier]);
    expect(f.chat.in('C0JMA00001', 'advisory')).toHaveLength(1);
  });

  it('a 429 after a timeout still searches: the 429 says nothing about the timed-out attempt', async () => {
    const id = await issueTo(['jma']);
    f.chat.failPosts = timedOut;
    await expect(f.core.deliver(id)).rejects.toMatchObject({ code: 'request_timeout' });
    // The search itself is rate-limited: the question stays open.
    f.chat.failFinds = limited;
    await expect(f.core.deliver(id)).rejects.toMatchObject({ kind: 'rate_limited' });
    expect(await f.store.getDelivery(id)).toMatchObject({ postUncertain: true });
    expect(f.chat.finds).toBe(1);
    f.chat.failFinds = undefined;
    f.chat.failPosts = undefined;
    expect(await f.core.deliver(id)).toEqual({ outcome: 'posted' });
    expect(f.chat.finds).toBe(2);
  });

  it('a search that found nothing settles it: a 429 on the post that followed means the next attempt posts at once', async () => {
    const id = await issueTo(['jma']);
    f.chat.failPosts = timedOut;
    await expect(f.core.deliver(id)).rejects.toMatchObject({ code: 'request_timeout' });
    f.chat.failPosts = limited;
    await expect(f.core.deliver(id)).rejects.toMatchObject({ kind: 'rate_limited' });
    expect(f.chat.finds).toBe(1);
    expect(await f.store.getDelivery(id)).toMatchObject({ postUncertain: false });
    f.chat.failPosts = undefined;
    expect(await f.core.deliver(id)).toEqual({ outcome: 'posted' });
    expect(f.chat.finds).toBe(1);
  });

  it('a crash mid-post (the attempt begun, never ended) searches next time', async () => {
    const id = await issueTo(['jma']);
    // The worker died while the post was in flight: the attempt is recorded as begun, nothing after it.
    f.chat.gate = () => new Promise<never>(() => {});
    void f.core.deliver(id);
    await expect.poll(async () => (await f.store.getDelivery(id))?.postAttempts).toBe(1);
    expect(await f.store.getDelivery(id)).toMatchObject({ postUncertain: true });
    f.chat.gate = undefined;
    expect(await f.core.deliver(id)).toEqual({ outcome: 'posted' });
    expect(f.chat.finds).toBe(1);
  });

  it('a record from before the flag was kept: any earlier attempt counts as unknown', async () => {
    const id = await issueTo(['jma']);
    const d = (await f.store.getDelivery(id))!;
    const { postUncertain: _drop, ...old } = { ...d, postAttempts: 2, version: d.version + 1 };
    expect(await f.store.saveDelivery(old)).toBe(true);
    expect(await f.core.deliver(id)).toEqual({ outcome: 'posted' });
    expect(f.chat.finds).toBe(1);
  });
});

describe('store reads', () => {
  it('a delivery is read once per job: its attempt and its outcome are decided from that read', async () => {
    f = await coreFixture();
    const id = await issueTo(['jma']);
    const getDelivery = f.store.getDelivery.bind(f.store);
    let reads = 0;
    f.store.getDelivery = async (deliveryId) => {
      reads += 1;
      return getDelivery(deliveryId);
    };
    expect(await f.core.deliver(id)).toEqual({ outcome: 'posted' });
    expect(reads).toBe(1);
  });
});

describe('the first ladder step after a post', () => {
  it('is queued as fresh by the run that posted (no look for an existing job), and looked for on any later run', async () => {
    f = await coreFixture();
    const id = await issueTo(['jma']);
    expect(await f.core.deliver(id)).toEqual({ outcome: 'posted' });
    expect(f.jobs.fresh.map((w) => w.kind)).toEqual(['step']);
    f.jobs.fresh.length = 0;
    f.jobs.ensured.length = 0;
    expect(await f.core.deliver(id)).toEqual({ outcome: 'already' });
    expect(f.jobs.ensured.map((w) => w.kind)).toEqual(['step']);
    expect(f.jobs.fresh).toEqual([]);
  });
});

describe('postOnce', () => {
  it('a search failing with something that is not an object (a string thrown) passes it on as it is', async () => {
    f = await coreFixture();
    f.chat.findPost = async () => {
      throw 'history unavailable';
    };
    const target = { workspaceId: 'T0CEPTOAR0', channelId: 'C0JMA00001' };
    await expect(postOnce(f.deps, f.chat, target, { kind: 'notice', view: {} as never }, 'K', { retrying: true, since: new Date(0) })).rejects.toBe('history unavailable');
    expect(provesNothingPosted('history unavailable')).toBe(false);
  });
});

describe('TLP:RED: one direct message per contact', () => {
  beforeEach(async () => {
    f = await coreFixture({ directory: await directoryWithContacts('jma', 3) });
  });
  const red = { tlp: 'TLP:RED' as const };
  const dm = (n: number) => `D${contactSlackId('jma', n)}`;

  it('a 429 on the second contact after the first was posted: the retry searches, and the first gets no second copy', async () => {
    const id = await issueTo(['jma'], red);
    f.chat.failPosts = (target) => (target.channelId === dm(2) ? limited() : undefined);
    await expect(f.core.deliver(id)).rejects.toMatchObject({ kind: 'rate_limited' });
    expect(await f.store.getDelivery(id)).toMatchObject({ postUncertain: true });
    f.chat.failPosts = undefined;
    expect(await f.core.deliver(id)).toEqual({ outcome: 'posted' });
    expect(f.chat.posts.map((p) => p.target.channelId)).toEqual([dm(1), dm(2), dm(3)]);
    expect(f.chat.finds).toBe(3);
  });

  it('a 429 on the first contact of a first attempt: nothing was posted, the retry posts at once', async () => {
    const id = await issueTo(['jma'], red);
    f.chat.failPosts = limited;
    await expect(f.core.deliver(id)).rejects.toMatchObject({ kind: 'rate_limited' });
    f.chat.failPosts = undefined;
    expect(await f.core.deliver(id)).toEqual({ outcome: 'posted' });
    expect(f.chat.finds).toBe(0);
    expect(f.chat.posts.map((p) => p.target.channelId)).toEqual([dm(1), dm(2), dm(3)]);
  });

  it('a retry whose first contact was searched clean but the second was not: still unknown for the others', async () => {
    const id = await issueTo(['jma'], red);
    f.chat.failPosts = timedOut;
    await expect(f.core.deliver(id)).rejects.toMatchObject({ code: 'request_timeout' });
    // The retry searches contact 1 (nothing there), then its post is rate-limited: contacts 2 and 3 were not searched.
    f.chat.failPosts = limited;
    await expect(f.core.deliver(id)).rejects.toMatchObject({ kind: 'rate_limited' });
    expect(await f.store.getDelivery(id)).toMatchObject({ postUncertain: true });
  });
});
