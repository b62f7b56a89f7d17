/**
 * An announced drill's announcement to each member (commands/drill-notice.ts), at its edges: an announcement
 * refused for good is not tried again, a platform that is not configured does not fail the job before the start,
 * an earlier attempt's post is looked for far enough back, and what the log and the audit keep.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LOOKBACK_MS } from '../../../src/commands/ladder.js';
import { ChatError } from '../../../src/ports/chat.js';
import { coreFixture, SECRETARIAT, T0, type CoreFixture } from '../../support/core-fixture.js';
import { DRILL_FROM, DRILL_INPUT, DRILL_TO, kindOf } from '../../support/drill-run.js';
import { rejected } from './helpers.js';

let f: CoreFixture;
beforeEach(async () => {
  f = await coreFixture();
});
afterEach(async () => {
  await f.close();
});

let key = 0;
const issueDrill = () => f.core.issueAdvisory({ actor: SECRETARIAT, requestKey: `drill-notice-${++key}`, input: DRILL_INPUT });

describe('the announcement to a member', () => {
  it('is not tried again once the platform refused it for good, even if the channel is back before the start', async () => {
    const r = await issueDrill();
    const jma = r.deliveries.find((d) => d.memberId === 'jma')!;
    f.chat.failPosts = () => new ChatError('permanent', 'channel_not_found', { reason: 'channel_gone' });
    expect((await rejected(f.core.deliver(jma.id))).code).toBe('DRILL.NOT_STARTED');
    expect((await f.store.getDelivery(jma.id))!.drillNotice).toEqual({ at: T0, messages: [], refused: 'channel_gone' });

    // The channel is back; the job runs again before the window: the record says the member was dealt with.
    f.chat.failPosts = undefined;
    f.clock.set(new Date(Date.parse(DRILL_FROM) - 60_000).toISOString());
    expect((await rejected(f.core.deliver(jma.id))).code).toBe('DRILL.NOT_STARTED');
    expect(f.chat.posts).toEqual([]);
    expect(f.audit.filter((e) => e.action === 'drill.announced')).toHaveLength(1);

    // At the start, the drill's own copy goes out to the channel as it now is.
    f.clock.set(DRILL_FROM);
    expect(await f.core.deliver(jma.id)).toEqual({ outcome: 'posted' });
    expect(f.chat.posts.map((p) => kindOf(p.message))).toEqual(['advisory']);
  });

  it('leaves a member on a platform that is not configured to the drill’s own copy: the job waits, then the copy fails at the start', async () => {
    const r = await issueDrill();
    const jma = r.deliveries.find((d) => d.memberId === 'jma')!;
    delete f.deps.chats.slack;
    const wait = await rejected(f.core.deliver(jma.id));
    expect(wait.code).toBe('DRILL.NOT_STARTED');
    expect(wait.detail).toMatchObject({ advisoryId: r.advisory.id, startsAt: DRILL_FROM });
    const before = (await f.store.getDelivery(jma.id))!;
    expect(before).toMatchObject({ state: 'queued', postAttempts: 0 });
    expect(before.drillNotice).toBeUndefined();
    expect(f.audit.filter((e) => e.action === 'drill.announced')).toEqual([]);

    f.clock.set(DRILL_FROM);
    expect(await f.core.deliver(jma.id)).toEqual({ outcome: 'failed', code: 'PLATFORM_NOT_CONFIGURED' });
  });

  it('looks for an earlier attempt’s post from a little before the drill was announced', async () => {
    const r = await issueDrill();
    const jma = r.deliveries.find((d) => d.memberId === 'jma')!;
    // The first attempt's answer is lost (it may have been posted): the next one looks before posting.
    f.chat.failPosts = () => new ChatError('transient', 'timeout', { reason: 'timeout' });
    await rejected(f.core.deliver(jma.id));
    f.chat.failPosts = undefined;
    f.clock.set(new Date(Date.parse(T0) + 10 * 60_000).toISOString());
    await rejected(f.core.deliver(jma.id));
    expect(f.chat.searches).toEqual([{ channelId: jma.channel.channelId, key: `${jma.id}.drill-notice`, since: new Date(Date.parse(T0) - LOOKBACK_MS) }]);
    expect(f.chat.in(jma.channel.channelId).map((p) => kindOf(p.message))).toEqual(['notice:drill_announcement']);
  });

  it('logs a failure for now with the drill, the delivery and the platform’s code', async () => {
    const r = await issueDrill();
    const jma = r.deliveries.find((d) => d.memberId === 'jma')!;
    f.chat.failPosts = () => new ChatError('rate_limited', 'ratelimited', { retryAfterMs: 45_000 });
    await rejected(f.core.deliver(jma.id));
    const warned = f.lines.filter((l) => l.level === 'warn');
    expect(warned).toEqual([{ level: 'warn', obj: { advisoryId: r.advisory.id, deliveryId: jma.id, code: 'ratelimited' }, msg: expect.stringContaining('drill announcement failed for now') }]);
  });

  it('audits a posted announcement with no refusal in it', async () => {
    const r = await issueDrill();
    const jma = r.deliveries.find((d) => d.memberId === 'jma')!;
    await rejected(f.core.deliver(jma.id));
    const event = f.audit.find((e) => e.action === 'drill.announced');
    expect(event?.detail).toStrictEqual({ memberId: 'jma', window: { from: DRILL_FROM, to: DRILL_TO }, posted: 1 });
  });
});
