import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { coreFixture, SECRETARIAT, type CoreFixture } from '../../support/core-fixture.js';
import { advisoryMessage, issueAndPost, JMA_STAFF, minutes } from './helpers.js';

let f: CoreFixture;
beforeEach(async () => {
  f = await coreFixture();
});
afterEach(async () => {
  await f.close();
});

describe('reading the threads at closing', () => {
  it('records the replies and edits the events missed, leaves what they recorded, and the transcript has them all', async () => {
    const { advisory, deliveries } = await issueAndPost(f);
    const copy = advisoryMessage(f, deliveries[0]!.channel.channelId);
    const known = { platform: 'slack' as const, channelId: copy.channelId, messageId: '1764547300.000100' };
    const missed = { platform: 'slack' as const, channelId: copy.channelId, messageId: '1764547400.000100' };
    // The event of the first reply came; the second's never did, and the first was edited while the bot was down.
    await f.core.recordThreadMessage({ kind: 'posted', message: known, root: copy, author: JMA_STAFF, text: '確認中です', at: minutes(5) });
    f.chat.replies.set(copy.messageId, [
      { message: known, author: JMA_STAFF, text: '確認しました', at: minutes(5), edited: { id: '1764547500.000000', at: minutes(8) } },
      { message: missed, author: { platform: 'slack', userId: 'U0JMA00077' }, text: '対応済みです', at: minutes(6) },
    ]);
    await f.core.closeAdvisory({ actor: SECRETARIAT, advisoryId: advisory.id });
    await f.core.syncAdvisory(advisory.id);
    await f.core.syncDelivery(deliveries[0]!.id);
    expect(f.chat.threadsRead).toEqual([copy.messageId]);
    // One reply recorded, one edit added: two changes, said once.
    expect(f.lines.filter((l) => l.msg === 'thread reconciled at closing: recorded what the events had missed').map((l) => (l.obj as { changed: number }).changed)).toEqual([2]);

    const thread = await f.store.listThreadMessages({ deliveryId: deliveries[0]!.id });
    expect(thread.map((m) => [m.messageId, m.text, m.edits.map((e) => e.text)])).toEqual([
      [known.messageId, '確認中です', ['確認しました']],
      [missed.messageId, '対応済みです', []],
    ]);
    // Reading again (a retried sync) adds nothing.
    await f.core.syncDelivery(deliveries[0]!.id);
    expect((await f.store.listThreadMessages({ deliveryId: deliveries[0]!.id })).map((m) => m.version)).toEqual(thread.map((m) => m.version));

    await f.core.tellClosing(advisory.id);
    await f.core.syncAdvisory(advisory.id);
    await f.core.archiveAdvisory(advisory.id);
    expect((await f.store.getTranscript(advisory.id))?.threads.map((m) => m.messageId)).toEqual([known.messageId, missed.messageId]);
  });

  it('is not done while the advisory is open, nor on a platform that cannot list threads', async () => {
    const { advisory, deliveries } = await issueAndPost(f, ['jma', 'jda']);
    await f.core.postFollowUp({ actor: SECRETARIAT, advisoryId: advisory.id, input: { body: '続報' } });
    await f.core.syncDelivery(deliveries[0]!.id);
    expect(f.chat.threadsRead).toEqual([]);
    f.chat.capabilities = { ...f.chat.capabilities, readThreads: false };
    await f.core.closeAdvisory({ actor: SECRETARIAT, advisoryId: advisory.id });
    await f.core.syncDelivery(deliveries[1]!.id);
    expect(f.chat.threadsRead).toEqual([]);
  });

  it('looks back from before the issue, counts what it added in one log line, and records a missed edited reply once, as it reads now', async () => {
    const { advisory, deliveries } = await issueAndPost(f);
    const copy = advisoryMessage(f, deliveries[0]!.channel.channelId);
    const missed = { platform: 'slack' as const, channelId: copy.channelId, messageId: '1764547600.000100' };
    f.chat.replies.set(copy.messageId, [{ message: missed, author: JMA_STAFF, text: '修正後の文', at: minutes(6), edited: { id: '1764547700.000000', at: minutes(9) } }]);
    await f.core.closeAdvisory({ actor: SECRETARIAT, advisoryId: advisory.id });
    await f.core.syncDelivery(deliveries[0]!.id);
    // From before the issue (clock skew), not after it.
    expect(f.chat.threadSince.map((d) => d.getTime())).toEqual([Date.parse(advisory.issuedAt) - 5 * 60_000]);
    const [m] = await f.store.listThreadMessages({ deliveryId: deliveries[0]!.id });
    expect([m?.text, m?.edits]).toEqual(['修正後の文', []]);
    const said = f.lines.filter((l) => l.msg === 'thread reconciled at closing: recorded what the events had missed');
    expect(said.map((l) => (l.obj as { changed: number; deliveryId: string }).changed)).toEqual([1]);
    expect((said[0]?.obj as { deliveryId: string }).deliveryId).toBe(deliveries[0]!.id);
    // Nothing new on a second read: no line.
    await f.core.syncDelivery(deliveries[0]!.id);
    const again = await f.store.listThreadMessages({ deliveryId: deliveries[0]!.id });
    expect(again.map((x) => x.version)).toEqual([m?.version]);
  });
});

