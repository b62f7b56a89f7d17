import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { reconcileThreads } from '../../../src/commands/thread-reconcile.js';
import type { MessageRef } from '../../../src/domain/platform.js';
import { coreFixture, SECRETARIAT, type CoreFixture } from '../../support/core-fixture.js';
import { advisoryMessage, issueAndPost, JMA_COLLEAGUE, JMA_STAFF, minutes } from './helpers.js';

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


const SAID = 'thread reconciled at closing: recorded what the events had missed';
const said = () => f.lines.filter((l) => l.msg === SAID).map((l) => l.obj as { advisoryId: string; deliveryId: string; changed: number });

describe('reading the threads of one delivery (reconcileThreads)', () => {
  it('reads under every post to the member, in order: each copy, each follow-up, each reminder; nothing found, nothing said', async () => {
    const { advisory, deliveries } = await issueAndPost(f);
    const ref = (messageId: string): MessageRef => ({ platform: 'slack', channelId: deliveries[0]!.channel.channelId, messageId });
    const d = {
      ...deliveries[0]!,
      messages: [ref('copy-1'), ref('copy-2')],
      followups: [
        { n: 1, messages: [ref('fu-1')] },
        { n: 2, messages: [ref('fu-2a'), ref('fu-2b')] },
      ],
      reminders: [ref('rem-1'), ref('rem-2')],
    };
    expect(await reconcileThreads(f.deps, f.chat, advisory, d)).toBe(0);
    expect(f.chat.threadsRead).toEqual(['copy-1', 'copy-2', 'fu-1', 'fu-2a', 'fu-2b', 'rem-1', 'rem-2']);
    expect(f.chat.threadSince.map((x) => x.toISOString())).toEqual(Array(7).fill(new Date(Date.parse(advisory.issuedAt) - 5 * 60_000).toISOString()));
    expect(said()).toEqual([]);
  });

  it('reads only the copies of a delivery that had no follow-up nor reminder', async () => {
    const { advisory, deliveries } = await issueAndPost(f);
    const d = { ...deliveries[0]!, followups: undefined, reminders: undefined };
    expect(await reconcileThreads(f.deps, f.chat, advisory, d)).toBe(0);
    expect(f.chat.threadsRead).toEqual(d.messages.map((m) => m.messageId));
  });

  it('on a platform that cannot list threads reads nothing and adds nothing, whatever the thread holds', async () => {
    const { advisory, deliveries } = await issueAndPost(f);
    const copy = advisoryMessage(f, deliveries[0]!.channel.channelId);
    f.chat.replies.set(copy.messageId, [{ message: { ...copy, messageId: 'r-1' }, author: JMA_STAFF, text: '確認しました', at: minutes(3) }]);
    f.chat.capabilities = { ...f.chat.capabilities, readThreads: false };
    expect(await reconcileThreads(f.deps, f.chat, advisory, deliveries[0]!)).toBe(0);
    expect(f.chat.threadsRead).toEqual([]);
    expect(await f.store.listThreadMessages({ deliveryId: deliveries[0]!.id })).toEqual([]);
  });

  it('counts only what it added or changed: a missed reply, a missed edit; not a reply or an edit already recorded, nor one outside the thread', async () => {
    const { advisory, deliveries } = await issueAndPost(f);
    const d = deliveries[0]!;
    const copy = advisoryMessage(f, d.channel.channelId);
    const msg = (messageId: string): MessageRef => ({ ...copy, messageId });
    // Recorded by the events: a plain reply, a reply whose edit was also recorded, a reply edited later while the bot was down.
    await f.core.recordThreadMessage({ kind: 'posted', message: msg('known'), root: copy, author: JMA_STAFF, text: '了解', at: minutes(2) });
    await f.core.recordThreadMessage({ kind: 'posted', message: msg('known-edited'), root: copy, author: JMA_STAFF, text: '確認中', at: minutes(3) });
    await f.core.recordThreadMessage({ kind: 'edited', message: msg('known-edited'), text: '確認済み', at: minutes(4), editId: 'e-4' });
    await f.core.recordThreadMessage({ kind: 'posted', message: msg('edited-later'), root: copy, author: JMA_COLLEAGUE, text: '対応中', at: minutes(5) });
    const versions = async () => (await f.store.listThreadMessages({ deliveryId: d.id })).map((m) => [m.messageId, m.version]);
    const before = await versions();
    f.chat.replies.set(copy.messageId, [
      { message: msg('known'), author: JMA_STAFF, text: '了解', at: minutes(2) },
      { message: msg('known-edited'), author: JMA_STAFF, text: '確認済み', at: minutes(3), edited: { id: 'e-4', at: minutes(4) } },
      { message: msg('edited-later'), author: JMA_COLLEAGUE, text: '対応済み', at: minutes(5), edited: { id: 'e-9', at: minutes(9) } },
      { message: msg('missed'), author: JMA_COLLEAGUE, text: '承知しました', at: minutes(6) },
      // Listed under the copy but in another channel: not this thread's, never stored.
      { message: { ...copy, channelId: 'C-ELSEWHERE', messageId: 'stray' }, author: JMA_STAFF, text: '別の会話', at: minutes(7), edited: { id: 'e-8', at: minutes(8) } },
    ]);
    expect(await reconcileThreads(f.deps, f.chat, advisory, d)).toBe(2);
    expect(said()).toEqual([{ advisoryId: advisory.id, deliveryId: d.id, changed: 2 }]);
    const thread = await f.store.listThreadMessages({ deliveryId: d.id });
    expect(thread.map((m) => [m.messageId, m.text, m.edits.map((e) => [e.id, e.text])])).toEqual([
      ['known', '了解', []],
      ['known-edited', '確認中', [['e-4', '確認済み']]],
      ['edited-later', '対応中', [['e-9', '対応済み']]],
      ['missed', '承知しました', []],
    ]);
    // What was already whole was not written again.
    const after = new Map(thread.map((m) => [m.messageId, m.version]));
    expect(before.filter(([id]) => id !== 'edited-later').map(([id, v]) => after.get(id as string) === v)).toEqual([true, true]);

    // A second read finds everything recorded: nothing counted, nothing said.
    expect(await reconcileThreads(f.deps, f.chat, advisory, d)).toBe(0);
    expect(said()).toHaveLength(1);
  });

  it('counts the replies under a follow-up too', async () => {
    const { advisory, deliveries } = await issueAndPost(f);
    await f.core.postFollowUp({ actor: SECRETARIAT, advisoryId: advisory.id, input: { body: '続報' } });
    await f.core.syncDelivery(deliveries[0]!.id);
    const d = (await f.store.getDelivery(deliveries[0]!.id))!;
    const fu = d.followups?.[0]?.messages[0];
    expect(fu).toBeTruthy();
    f.chat.replies.set(fu!.messageId, [
      { message: { ...fu!, messageId: 'fu-r1' }, author: JMA_STAFF, text: '続報を確認', at: minutes(10) },
      { message: { ...fu!, messageId: 'fu-r2' }, author: JMA_COLLEAGUE, text: '同じく', at: minutes(11) },
    ]);
    expect(await reconcileThreads(f.deps, f.chat, advisory, d)).toBe(2);
    expect((await f.store.listThreadMessages({ deliveryId: d.id })).map((m) => [m.rootId, m.messageId])).toEqual([
      [fu!.messageId, 'fu-r1'],
      [fu!.messageId, 'fu-r2'],
    ]);
  });
});
