/**
 * Replies in members' threads: recorded once however often the platform delivers them, edits and
 * deletions recorded as such, nothing kept of conversations that are not a delivery's thread, and
 * the secretariat (only) reads them in the status and as a whole thread.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ThreadEvent } from '../../../src/domain/thread-message.js';
import type { Delivery } from '../../../src/domain/delivery.js';
import type { Actor, MessageRef } from '../../../src/domain/platform.js';
import { isBotError } from '../../../src/errors.js';
import { coreFixture, ONCALL, raceNext, SECRETARIAT, type CoreFixture } from '../../support/core-fixture.js';
import { issueAndPost, JMA_COLLEAGUE, JMA_STAFF, minutes } from './helpers.js';

let f: CoreFixture;
beforeEach(async () => {
  f = await coreFixture();
});
afterEach(async () => {
  await f.close();
});

const JMA = 'C0JMA00001';
const at = (n: number) => minutes(n);
const ref = (messageId: string, channelId = JMA): MessageRef => ({ platform: 'slack', channelId, messageId });

function posted(messageId: string, root: MessageRef, text: string, author: Actor = JMA_STAFF, when = at(5)): ThreadEvent {
  return { kind: 'posted', message: ref(messageId, root.channelId), root, author, text, at: when };
}

const threadAudit = () => f.audit.filter((e) => e.action.startsWith('thread.'));

async function jmaCopy(): Promise<{ delivery: Delivery; root: MessageRef; advisoryId: string }> {
  const { advisory, deliveries } = await issueAndPost(f, ['jma', 'jda']);
  const delivery = deliveries.find((d) => d.memberId === 'jma')!;
  return { delivery, root: delivery.messages[0]!, advisoryId: advisory.id };
}

describe('recording a reply', () => {
  it('records a reply in the thread of a copy once, however often it is delivered, and audits who wrote where without the text', async () => {
    const { delivery, root, advisoryId } = await jmaCopy();
    f.clock.set(at(6));
    const event = posted('1.0001', root, '当院では該当機器なし。念のため確認中です。');
    expect(await f.core.recordThreadMessage(event)).toEqual({ outcome: 'recorded', deliveryId: delivery.id });
    f.clock.set(at(9));
    let lookups = 0;
    const find = f.store.findDeliveryByMessage.bind(f.store);
    f.store.findDeliveryByMessage = async (r) => {
      lookups += 1;
      return find(r);
    };
    expect(await f.core.recordThreadMessage(event)).toEqual({ outcome: 'repeat', deliveryId: delivery.id });
    // A repeat is known by the message alone: its delivery is not looked up again.
    expect(lookups).toBe(0);
    // A retry that carries a different text (it cannot, but a forged or garbled one might) changes nothing.
    expect((await f.core.recordThreadMessage({ ...event, text: '別の文' } as ThreadEvent)).outcome).toBe('repeat');

    const stored = await f.store.listThreadMessages({ deliveryId: delivery.id });
    expect(stored).toEqual([
      {
        platform: 'slack',
        channelId: JMA,
        messageId: '1.0001',
        rootId: root.messageId,
        deliveryId: delivery.id,
        advisoryId,
        memberId: 'jma',
        author: JMA_STAFF,
        text: '当院では該当機器なし。念のため確認中です。',
        at: at(5),
        recordedAt: at(6),
        from: 'message',
        edits: [],
        version: 1,
      },
    ]);
    expect(threadAudit()).toEqual([
      {
        id: `thread.slack.${JMA}.1.0001.posted`,
        at: at(6),
        actor: JMA_STAFF,
        action: 'thread.message_recorded',
        advisoryId,
        deliveryId: delivery.id,
        detail: { message: ref('1.0001'), rootId: root.messageId, postedAt: at(5), from: 'message', chars: 21 },
      },
    ]);
    expect(JSON.stringify(threadAudit())).not.toContain('該当機器');
  });

  it('keeps nothing of a message that is not in a delivery thread, and only counts it in the debug log', async () => {
    const { root } = await jmaCopy();
    const others: ThreadEvent[] = [
      // A thread under someone else's message in the member's channel.
      posted('2.0001', ref('0.9999'), '雑談です'),
      // A "root" in another conversation than the reply: not a thread of it.
      { ...(posted('2.0002', root, 'ほかのチャンネル') as Extract<ThreadEvent, { kind: 'posted' }>), message: ref('2.0002', 'C0OTHER001') },
      // The same message id on another platform.
      { ...(posted('2.0003', root, '別プラットフォーム') as Extract<ThreadEvent, { kind: 'posted' }>), root: { ...root, platform: 'teams' } },
      // An edit and a deletion of messages never seen, with no thread to tie them to.
      { kind: 'edited', message: ref('2.0004'), text: '編集', at: at(7), editId: 'e1' },
      { kind: 'deleted', message: ref('2.0005'), at: at(7) },
      // … or in a thread that is not a delivery's.
      { kind: 'deleted', message: ref('2.0006'), root: ref('0.9999'), at: at(7), previous: { text: '消された雑談' } },
    ];
    for (const e of others) expect(await f.core.recordThreadMessage(e)).toEqual({ outcome: 'ignored' });
    for (const id of ['2.0001', '2.0002', '2.0003', '2.0004', '2.0005', '2.0006']) {
      expect(await f.store.getThreadMessage(ref(id))).toBeNull();
      expect(await f.store.getThreadMessage(ref(id, 'C0OTHER001'))).toBeNull();
    }
    expect(threadAudit()).toEqual([]);
    const debug = f.lines.filter((l) => l.msg === 'thread message ignored');
    expect(debug.map((l) => [l.level, (l.obj as { reason: string }).reason])).toEqual([
      ['debug', 'not in a delivery thread'],
      ['debug', 'root in another conversation'],
      ['debug', 'root in another conversation'],
      ['debug', 'unknown message, no thread'],
      ['debug', 'unknown message, no thread'],
      ['debug', 'not in a delivery thread'],
    ]);
    expect(JSON.stringify(f.lines)).not.toContain('雑談');
  });

  it('records an edit as an edit, once, in time order whatever order they arrive in, and the deletion as a mark that keeps the texts', async () => {
    const { delivery, root } = await jmaCopy();
    await f.core.recordThreadMessage(posted('3.0001', root, '確認中です'));
    const edit = (editId: string, text: string, when: string): ThreadEvent => ({ kind: 'edited', message: ref('3.0001'), root, author: JMA_STAFF, text, at: when, editId });
    f.clock.set(at(20));
    expect(await f.core.recordThreadMessage(edit('e.2', '影響なしを確認しました', at(12)))).toEqual({ outcome: 'edited', deliveryId: delivery.id });
    f.clock.set(at(21));
    expect(await f.core.recordThreadMessage(edit('e.1', '確認中です（担当: 佐藤）', at(8)))).toEqual({ outcome: 'edited', deliveryId: delivery.id });
    expect(await f.core.recordThreadMessage(edit('e.2', '影響なしを確認しました', at(12)))).toEqual({ outcome: 'repeat', deliveryId: delivery.id });
    let m = (await f.store.getThreadMessage(ref('3.0001')))!;
    expect(m.text).toBe('確認中です');
    expect(m.edits).toEqual([
      { id: 'e.1', at: at(8), text: '確認中です（担当: 佐藤）', recordedAt: at(21) },
      { id: 'e.2', at: at(12), text: '影響なしを確認しました', recordedAt: at(20) },
    ]);
    expect(m.version).toBe(3);

    f.clock.set(at(22));
    expect(await f.core.recordThreadMessage(edit('e.4', '影響なし（最終）', at(15)))).toEqual({ outcome: 'edited', deliveryId: delivery.id });
    f.clock.set(at(30));
    const deletion: ThreadEvent = { kind: 'deleted', message: ref('3.0001'), root, at: at(29) };
    expect(await f.core.recordThreadMessage(deletion)).toEqual({ outcome: 'deleted', deliveryId: delivery.id });
    f.clock.set(at(31));
    expect(await f.core.recordThreadMessage({ ...deletion, at: at(31) } as ThreadEvent)).toEqual({ outcome: 'repeat', deliveryId: delivery.id });
    // An edit delivered late, after the deletion, is not applied.
    expect(await f.core.recordThreadMessage(edit('e.3', '遅れて届いた編集', at(25)))).toEqual({ outcome: 'ignored' });
    m = (await f.store.getThreadMessage(ref('3.0001')))!;
    expect(m.deleted).toEqual({ at: at(29), recordedAt: at(30) });
    expect(m.edits.map((e) => e.id)).toEqual(['e.1', 'e.2', 'e.4']);
    expect(f.lines.filter((l) => l.msg === 'thread message ignored').map((l) => (l.obj as { reason: string }).reason)).toEqual(['edit after deletion']);
    expect(f.lines.filter((l) => l.level === 'info' && l.msg?.startsWith('thread message ')).map((l) => [l.msg, (l.obj as { deliveryId: string }).deliveryId])).toEqual([
      ['thread message recorded', delivery.id],
      ['thread message edited', delivery.id],
      ['thread message edited', delivery.id],
      ['thread message edited', delivery.id],
      ['thread message deleted', delivery.id],
    ]);
    expect(f.lines.filter((l) => l.msg === 'thread message repeated').map((l) => [l.level, (l.obj as { kind: string }).kind])).toEqual([
      ['debug', 'edited'],
      ['debug', 'deleted'],
    ]);

    expect(threadAudit().map((e) => [e.id, e.action, e.at, e.detail])).toEqual([
      [`thread.slack.${JMA}.3.0001.posted`, 'thread.message_recorded', at(0), { message: ref('3.0001'), rootId: root.messageId, postedAt: at(5), from: 'message', chars: 5 }],
      [`thread.slack.${JMA}.3.0001.edited.e.2`, 'thread.message_edited', at(20), { message: ref('3.0001'), rootId: root.messageId, editedAt: at(12), chars: 11 }],
      [`thread.slack.${JMA}.3.0001.edited.e.1`, 'thread.message_edited', at(21), { message: ref('3.0001'), rootId: root.messageId, editedAt: at(8), chars: 13 }],
      [`thread.slack.${JMA}.3.0001.edited.e.4`, 'thread.message_edited', at(22), { message: ref('3.0001'), rootId: root.messageId, editedAt: at(15), chars: 8 }],
      [`thread.slack.${JMA}.3.0001.deleted`, 'thread.message_deleted', at(30), { message: ref('3.0001'), rootId: root.messageId, deletedAt: at(29) }],
    ]);
  });

  it('starts the record at an edit or a deletion whose message was missed, with what the platform sent along', async () => {
    const { delivery, root } = await jmaCopy();
    f.clock.set(at(40));
    const edited: ThreadEvent = {
      kind: 'edited',
      message: ref('4.0001'),
      root,
      author: JMA_COLLEAGUE,
      text: '訂正: 影響あり',
      at: at(39),
      editId: 'x1',
      previous: { text: '影響なし', at: at(33) },
    };
    expect(await f.core.recordThreadMessage(edited)).toEqual({ outcome: 'edited', deliveryId: delivery.id });
    expect(await f.core.recordThreadMessage(edited)).toEqual({ outcome: 'repeat', deliveryId: delivery.id });
    expect(await f.store.getThreadMessage(ref('4.0001'))).toMatchObject({
      author: JMA_COLLEAGUE,
      text: '影響なし',
      at: at(33),
      from: 'edit',
      edits: [{ id: 'x1', at: at(39), text: '訂正: 影響あり' }],
      version: 2,
    });
    // A deletion with no earlier text and no author: the record says as much.
    expect(await f.core.recordThreadMessage({ kind: 'deleted', message: ref('4.0002'), root, at: at(41) })).toEqual({ outcome: 'deleted', deliveryId: delivery.id });
    expect(await f.store.getThreadMessage(ref('4.0002'))).toMatchObject({
      author: { platform: 'slack', userId: '(unknown)' },
      text: '',
      at: at(41),
      from: 'deletion',
      deleted: { at: at(41), recordedAt: at(40) },
    });
    expect(threadAudit().map((e) => e.action)).toEqual(['thread.message_recorded', 'thread.message_edited', 'thread.message_recorded', 'thread.message_deleted']);
    expect(threadAudit()[0]!.detail).toMatchObject({ from: 'edit', postedAt: at(33) });
  });

  it('ties a reply under a reminder or a follow-up to its delivery', async () => {
    const { delivery, root } = await jmaCopy();
    // The ladder's first step reminds in the channel: a new message with a thread of its own.
    const d = (await f.store.getDelivery(delivery.id))!;
    f.clock.set(d.nextStep!.at);
    await f.core.runEscalationStep({ deliveryId: d.id, token: d.escalationToken, kind: d.nextStep!.kind, index: d.nextStep!.index });
    const reminder = (await f.store.getDelivery(delivery.id))!.reminders![0]!;
    expect(reminder.messageId).not.toBe(root.messageId);
    expect(await f.core.recordThreadMessage(posted('5.0001', reminder, 'リマインダーへの返信'))).toEqual({ outcome: 'recorded', deliveryId: delivery.id });

    // A follow-up's own message (where the platform lets a reply point at it: a Teams chat's replyToId).
    await f.core.postFollowUp({ actor: SECRETARIAT, advisoryId: delivery.advisoryId, input: { body: '続報です' } });
    await f.core.syncDelivery(delivery.id);
    const followUp = (await f.store.getDelivery(delivery.id))!.followups![0]!.messages[0]!;
    expect(await f.core.recordThreadMessage(posted('5.0002', followUp, '続報への返信'))).toEqual({ outcome: 'recorded', deliveryId: delivery.id });
    expect((await f.store.listThreadMessages({ deliveryId: delivery.id })).map((m) => [m.messageId, m.rootId])).toEqual([
      ['5.0001', reminder.messageId],
      ['5.0002', followUp.messageId],
    ]);
  });

  it('records a reply to a TLP:RED direct message in that conversation', async () => {
    const { deliveries } = await issueAndPost(f, ['jma'], { tlp: 'TLP:RED' });
    const dm = deliveries[0]!.messages[0]!;
    expect(dm.channelId).toBe('DU0JMA00001');
    expect(await f.core.recordThreadMessage(posted('6.0001', dm, '受領しました'))).toEqual({ outcome: 'recorded', deliveryId: deliveries[0]!.id });
  });

  it('records a reply delivered twice at the same moment once', async () => {
    const { root } = await jmaCopy();
    const event = posted('7.0001', root, '同時に二度');
    const race = raceNext(f.store, 'getThreadMessage');
    const outcomes = await Promise.all([f.core.recordThreadMessage(event), f.core.recordThreadMessage(event)]);
    await race.arrived;
    expect(outcomes.map((o) => o.outcome).sort()).toEqual(['recorded', 'repeat']);
    expect(threadAudit()).toHaveLength(1);
    expect(f.lines.filter((l) => l.msg === 'thread message repeated')).toHaveLength(1);
  });

  it('applies both of two edits of a missed message that arrive at the same moment', async () => {
    const { root } = await jmaCopy();
    const edit = (editId: string, minute: number): ThreadEvent => ({ kind: 'edited', message: ref('7.0002'), root, author: JMA_STAFF, text: `編集 ${editId}`, at: at(minute), editId, previous: { text: '元の文', at: at(5) } });
    const race = raceNext(f.store, 'getThreadMessage');
    const outcomes = await Promise.all([f.core.recordThreadMessage(edit('a', 6)), f.core.recordThreadMessage(edit('b', 7))]);
    await race.arrived;
    expect(outcomes.map((o) => o.outcome)).toEqual(['edited', 'edited']);
    expect((await f.store.getThreadMessage(ref('7.0002')))!.edits.map((e) => e.id)).toEqual(['a', 'b']);
  });

  it('names the author as the directory names the member’s contact when the platform gave no name', async () => {
    const { root } = await jmaCopy();
    const unnamed = (messageId: string, userId: string, name?: string): ThreadEvent => ({
      kind: 'posted',
      message: ref(messageId),
      root,
      author: { platform: 'slack', userId, ...(name === undefined ? {} : { name }) },
      text: 'x',
      at: at(5),
    });
    await f.core.recordThreadMessage(unnamed('7.1001', 'U0JMA00001'));
    await f.core.recordThreadMessage(unnamed('7.1002', 'U0JMA00001', 'さとう'));
    await f.core.recordThreadMessage(unnamed('7.1003', 'U0SOMEONE'));
    // Another member's contact is not this member's.
    await f.core.recordThreadMessage(unnamed('7.1004', 'U0JDA00001'));
    const authors = await Promise.all(['7.1001', '7.1002', '7.1003', '7.1004'].map(async (id) => (await f.store.getThreadMessage(ref(id)))!.author));
    expect(authors).toEqual([
      { platform: 'slack', userId: 'U0JMA00001', name: '佐藤 健一' },
      { platform: 'slack', userId: 'U0JMA00001', name: 'さとう' },
      { platform: 'slack', userId: 'U0SOMEONE' },
      { platform: 'slack', userId: 'U0JDA00001' },
    ]);
  });

  it('keeps a very long message cut at the limit, and says it was cut', async () => {
    const { root } = await jmaCopy();
    await f.core.recordThreadMessage(posted('8.0001', root, 'あ'.repeat(50_000)));
    const m = (await f.store.getThreadMessage(ref('8.0001')))!;
    expect(m.text).toHaveLength(40_000);
    expect(m.text.endsWith('…[cut]')).toBe(true);
  });
});

describe('what the secretariat reads', () => {
  it('the status shows, per member, how many replies and the latest; the thread shows them all with edits and deletions', async () => {
    const { delivery, root, advisoryId } = await jmaCopy();
    await f.core.recordThreadMessage(posted('9.0001', root, '確認します', JMA_STAFF, at(5)));
    await f.core.recordThreadMessage(posted('9.0002', root, '\n  影響なしでした\n詳細は追って', JMA_COLLEAGUE, at(9)));
    await f.core.recordThreadMessage(posted('9.0003', root, '誤投稿', JMA_COLLEAGUE, at(10)));
    await f.core.recordThreadMessage({ kind: 'deleted', message: ref('9.0003'), root, at: at(11) });
    await f.core.recordThreadMessage({ kind: 'edited', message: ref('9.0001'), root, text: '確認します（佐藤）', at: at(7), editId: 'e' });

    const status = await f.core.statusOf(SECRETARIAT, advisoryId);
    const jma = status.rows.find((r) => r.memberId === 'jma')!;
    expect(jma.replies).toEqual({ count: 2, deleted: 1, latest: { by: JMA_COLLEAGUE.name, at: at(9), firstLine: '影響なしでした', edited: false } });
    expect(status.rows.find((r) => r.memberId === 'jda')!.replies).toBeUndefined();

    const thread = await f.core.threadOf(SECRETARIAT, { deliveryId: delivery.id });
    expect(thread).toMatchObject({ advisoryId, memberId: 'jma', memberName: { en: 'Japan Medical Association' }, deliveryIds: [delivery.id], tlp: 'TLP:AMBER', drill: false });
    expect(thread.messages).toEqual([
      {
        messageId: '9.0001',
        deliveryId: delivery.id,
        by: JMA_STAFF.name,
        at: at(5),
        text: '確認します（佐藤）',
        edited: { at: at(7), earlier: [{ at: at(5), text: '確認します' }] },
        deleted: undefined,
        missedOriginal: false,
      },
      { messageId: '9.0002', deliveryId: delivery.id, by: JMA_COLLEAGUE.name, at: at(9), text: '\n  影響なしでした\n詳細は追って', edited: undefined, deleted: undefined, missedOriginal: false },
      { messageId: '9.0003', deliveryId: delivery.id, by: JMA_COLLEAGUE.name, at: at(10), text: '誤投稿', edited: undefined, deleted: { at: at(11) }, missedOriginal: false },
    ]);
    // By advisory and member: the same thread (ids as people type them).
    expect(await f.core.threadOf(SECRETARIAT, { advisoryId: advisoryId.toLowerCase(), memberId: 'jma' })).toEqual(thread);
  });

  it('shows every earlier text of a message edited twice, a missed original, and a latest that was edited', async () => {
    const { delivery, root, advisoryId } = await jmaCopy();
    await f.core.recordThreadMessage(posted('9.1001', root, '一', JMA_STAFF, at(5)));
    for (const [id, minute, text] of [['e1', 6, '二'], ['e2', 7, '三']] as const) {
      await f.core.recordThreadMessage({ kind: 'edited', message: ref('9.1001'), root, text, at: at(minute), editId: id });
    }
    await f.core.recordThreadMessage({ kind: 'edited', message: ref('9.1000'), root, author: JMA_COLLEAGUE, text: '後から', at: at(4), editId: 'm' });
    const thread = await f.core.threadOf(SECRETARIAT, { deliveryId: delivery.id });
    expect(thread.messages.map((m) => [m.messageId, m.text, m.edited?.earlier, m.missedOriginal])).toEqual([
      ['9.1000', '後から', [{ at: at(4), text: '' }], true],
      ['9.1001', '三', [{ at: at(5), text: '一' }, { at: at(6), text: '二' }], false],
    ]);
    const status = await f.core.statusOf(SECRETARIAT, advisoryId);
    expect(status.rows.find((r) => r.memberId === 'jma')!.replies!.latest).toEqual({ by: JMA_STAFF.name, at: at(5), firstLine: '三', edited: true });
  });

  it('gathers a member’s threads from every delivery of theirs, in thread order', async () => {
    const { delivery, advisoryId } = await jmaCopy();
    // The member's second channel (a directory with two channels gives two deliveries).
    const second = { ...delivery, id: `${delivery.id}-2`, channel: { ...delivery.channel, channelId: 'C0JMA00002' }, messages: [ref('2.0', 'C0JMA00002')], version: 0 };
    await f.store.ensureDeliveries([second]);
    await f.core.recordThreadMessage(posted('1.2', delivery.messages[0]!, 'A', JMA_STAFF, at(7)));
    await f.core.recordThreadMessage(posted('2.1', ref('2.0', 'C0JMA00002'), 'B', JMA_STAFF, at(6)));
    await f.core.recordThreadMessage(posted('1.1', delivery.messages[0]!, 'C', JMA_STAFF, at(8)));
    const thread = await f.core.threadOf(SECRETARIAT, { advisoryId, memberId: 'jma' });
    expect(thread.deliveryIds).toEqual([delivery.id, second.id]);
    expect(thread.messages.map((m) => [m.text, m.deliveryId])).toEqual([
      ['B', second.id],
      ['A', delivery.id],
      ['C', delivery.id],
    ]);
  });

  it('refuses anyone but the secretariat, and says DELIVERY.NOT_FOUND for what is not there', async () => {
    const { delivery, advisoryId } = await jmaCopy();
    for (const actor of [JMA_STAFF, ONCALL]) {
      const err = await f.core.threadOf(actor, { deliveryId: delivery.id }).catch((e: unknown) => e);
      expect(isBotError(err, 'AUTH.NOT_SECRETARIAT')).toBe(true);
    }
    expect(f.audit.filter((e) => e.action === 'advisory.refused').map((e) => e.detail)).toEqual([{ attempted: 'advisory.thread' }, { attempted: 'advisory.thread' }]);
    // A delivery whose advisory is not in the store (restored from an older backup) is not shown either.
    await f.store.ensureDeliveries([{ ...delivery, id: 'orphan', advisoryId: 'ADV-2099-0001', messages: [] }]);
    for (const which of [{ deliveryId: 'nope' }, { deliveryId: 'orphan' }, { advisoryId, memberId: 'nobody' }, { advisoryId: 'ADV-2099-0999', memberId: 'jma' }, { advisoryId: 'garbage', memberId: 'jma' }]) {
      const err = await f.core.threadOf(SECRETARIAT, which).catch((e: unknown) => e);
      expect(isBotError(err, 'DELIVERY.NOT_FOUND')).toBe(true);
      expect((err as { detail: unknown }).detail).toEqual(which);
    }
  });
});
