import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Delivery } from '../../../src/domain/delivery.js';
import type { MessageRef } from '../../../src/domain/platform.js';
import { addEdit, markDeleted, newThreadMessage, type ThreadMessage } from '../../../src/domain/thread-message.js';
import type { ThreadLog } from '../../../src/ports/thread-log.js';
import { aDelivery, anActor, at, T0 } from './fixtures.js';

/** A thread log on fresh data, and a way to store deliveries in it as the store does. */
export interface ThreadLogFixture {
  log: ThreadLog;
  /** Store these deliveries (new), with their copies, follow-ups and reminders. */
  seed(deliveries: Delivery[]): Promise<void>;
  close(): Promise<void>;
}

const CHANNEL = 'C0MEMBER';
const ref = (messageId: string, channelId = CHANNEL, platform: MessageRef['platform'] = 'slack'): MessageRef => ({ platform, channelId, messageId });

/** A member's reply, built the way the core builds one. */
export function aThreadMessage(over: Partial<ThreadMessage> & { messageId: string }): ThreadMessage {
  const d = aDelivery();
  return {
    ...newThreadMessage(
      {
        platform: 'slack',
        channelId: CHANNEL,
        messageId: over.messageId,
        rootId: '1775034000.000100',
        deliveryId: d.id,
        advisoryId: d.advisoryId,
        memberId: d.memberId,
        author: anActor({ userId: 'U0MEMBER1', name: '会員 花子' }),
        text: '確認しました',
        at: at(5),
      },
      T0,
    ),
    ...over,
  };
}

export function threadLogContract(name: string, open: () => Promise<ThreadLogFixture>): void {
  describe(`Thread log contract: ${name}`, () => {
    let f: ThreadLogFixture;
    beforeEach(async () => {
      f = await open();
    });
    afterEach(async () => {
      await f.close();
    });

    it('stores a message once: a second add of the same platform, channel and id is refused and changes nothing', async () => {
      const m = aThreadMessage({ messageId: '1775034300.000200' });
      expect(await f.log.addThreadMessage(m)).toBe(true);
      expect(await f.log.addThreadMessage({ ...m, text: '別の文', version: 1 })).toBe(false);
      expect(await f.log.getThreadMessage(ref(m.messageId))).toStrictEqual(m);
      // The key is all three parts.
      expect(await f.log.getThreadMessage(ref(m.messageId, 'C0OTHER'))).toBeNull();
      expect(await f.log.getThreadMessage(ref(m.messageId, CHANNEL, 'teams'))).toBeNull();
      expect(await f.log.addThreadMessage({ ...m, channelId: 'C0OTHER' })).toBe(true);
      expect(await f.log.addThreadMessage({ ...m, platform: 'teams' })).toBe(true);
    });

    it('of two adds of one message at once, exactly one is stored', async () => {
      const m = aThreadMessage({ messageId: '1775034300.000300' });
      const results = await Promise.all([f.log.addThreadMessage(m), f.log.addThreadMessage({ ...m, text: 'もう一方' })]);
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    it('saves an edit and a deletion only from the version read (compare-and-set), and keeps every field', async () => {
      const m = aThreadMessage({ messageId: '1775034300.000400' });
      await f.log.addThreadMessage(m);
      const e = addEdit(m, { id: 'edit-1', at: at(7), text: '確認しました（訂正）' }, new Date(at(8)));
      if (!e.changed) throw new Error('edit not applied');
      expect(await f.log.saveThreadMessage(e.next)).toBe(true);
      // Another writer that read version 1 loses.
      const stale = addEdit(m, { id: 'edit-2', at: at(9), text: '別の編集' }, new Date(at(9)));
      if (!stale.changed) throw new Error('edit not applied');
      expect(await f.log.saveThreadMessage(stale.next)).toBe(false);
      const d = markDeleted(e.next, at(12), new Date(at(13)));
      if (!d.changed) throw new Error('deletion not applied');
      expect(await f.log.saveThreadMessage(d.next)).toBe(true);
      expect(await f.log.saveThreadMessage(d.next)).toBe(false);
      expect(await f.log.getThreadMessage(ref(m.messageId))).toStrictEqual({
        ...m,
        edits: [{ id: 'edit-1', at: at(7), text: '確認しました（訂正）', recordedAt: at(8) }],
        deleted: { at: at(12), recordedAt: at(13) },
        version: 3,
      });
      // A message never stored is not created by a save.
      expect(await f.log.saveThreadMessage({ ...aThreadMessage({ messageId: 'nowhere' }), version: 2 })).toBe(false);
      expect(await f.log.getThreadMessage(ref('nowhere'))).toBeNull();
    });

    it('lists a delivery’s messages, or an advisory’s, in thread order: by time, then by message id', async () => {
      const other = aDelivery({ memberId: 'jda', channel: { channelId: 'C0JDA' } });
      const later = aDelivery({ advisoryId: 'ADV-2026-0002' });
      const messages = [
        aThreadMessage({ messageId: '1775034900.000002', at: at(15) }),
        aThreadMessage({ messageId: '1775034300.000009', at: at(5) }),
        aThreadMessage({ messageId: '1775034300.000001', at: at(5) }),
        aThreadMessage({ messageId: '1775034600.000001', at: at(10), channelId: 'C0JDA', deliveryId: other.id, memberId: 'jda' }),
        aThreadMessage({ messageId: '1775034000.000001', at: at(0), deliveryId: later.id, advisoryId: 'ADV-2026-0002' }),
      ];
      for (const m of messages) await f.log.addThreadMessage(m);
      const ids = (list: ThreadMessage[]) => list.map((m) => m.messageId);
      expect(ids(await f.log.listThreadMessages({ deliveryId: aDelivery().id }))).toEqual(['1775034300.000001', '1775034300.000009', '1775034900.000002']);
      expect(ids(await f.log.listThreadMessages({ advisoryId: 'ADV-2026-0001' }))).toEqual([
        '1775034300.000001',
        '1775034300.000009',
        '1775034600.000001',
        '1775034900.000002',
      ]);
      expect(ids(await f.log.listThreadMessages({ advisoryId: 'ADV-2026-0002' }))).toEqual(['1775034000.000001']);
      expect(await f.log.listThreadMessages({ deliveryId: 'none' })).toEqual([]);
      expect(await f.log.listThreadMessages({ advisoryId: 'ADV-2026-0404' })).toEqual([]);
    });

    it('finds the delivery a reminder or a follow-up belongs to, by exactly that message', async () => {
      const copy = ref('1775034000.000100');
      const reminder = ref('1775037600.000100');
      const followUp = ref('1775041200.000100');
      const jma = aDelivery({}, { state: 'posted', messages: [copy], reminders: [reminder], followups: [{ n: 1, messages: [followUp] }] });
      // Another member whose reminder has the same message id, in its own channel.
      const jda = aDelivery(
        { memberId: 'jda', channel: { channelId: 'C0JDA' } },
        { state: 'posted', messages: [ref('1775034000.000100', 'C0JDA')], reminders: [ref(reminder.messageId, 'C0JDA')], followups: [{ n: 1, messages: [] }] },
      );
      // TLP:RED: the copies, reminders and follow-ups are direct messages to the contacts.
      const red = aDelivery(
        { advisoryId: 'ADV-2026-0003' },
        {
          state: 'posted',
          messages: [ref('1775034000.000200', 'D0CONTACT1'), ref('1775034000.000300', 'D0CONTACT2')],
          reminders: [ref('1775037600.000200', 'D0CONTACT1'), ref('1775037600.000300', 'D0CONTACT2')],
          followups: [{ n: 1, messages: [ref('1775041200.000200', 'D0CONTACT1')] }, { n: 2, messages: [ref('1775044800.000300', 'D0CONTACT2')] }],
        },
      );
      await f.seed([jma, jda, red]);
      const id = async (r: MessageRef) => (await f.log.findDeliveryByFollowUpOrReminder(r))?.id ?? null;
      expect(await id(reminder)).toBe(jma.id);
      expect(await id(followUp)).toBe(jma.id);
      expect(await id(ref(reminder.messageId, 'C0JDA'))).toBe(jda.id);
      expect(await id(ref('1775037600.000300', 'D0CONTACT2'))).toBe(red.id);
      expect(await id(ref('1775044800.000300', 'D0CONTACT2'))).toBe(red.id);
      expect(await f.log.findDeliveryByFollowUpOrReminder(ref('1775041200.000200', 'D0CONTACT1'))).toStrictEqual(red);
      // Not a reminder or follow-up: the copy itself (Store.findDeliveryByMessage's), another channel, another platform, another id.
      for (const r of [copy, ref(followUp.messageId, 'C0JDA'), ref(reminder.messageId, CHANNEL, 'teams'), ref('1775037600.000999'), ref('1775041200.000200', 'D0CONTACT2')]) {
        expect(await id(r)).toBeNull();
      }
    });
  });
}
