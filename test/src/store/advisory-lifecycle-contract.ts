import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Advisory } from '../../../src/domain/advisory.js';
import { addFollowUp, close, correct, markArchived, markClosureTold, markSynced, withdraw, type AdvisoryTransition } from '../../../src/domain/advisory-lifecycle.js';
import { beginRound, markAcknowledged, markFailed, markPosted } from '../../../src/domain/delivery.js';
import type { Store } from '../../../src/ports/store.js';
import { aDelivery, aMessage, anAck, anActor, anAdvisory, at, T0 } from './fixtures.js';

const NOW = new Date(T0.getTime() + 5 * 60_000);
const SECRETARIAT = anActor();

function next(t: AdvisoryTransition): Advisory {
  if (!t.changed) throw new Error(`transition did not change: ${t.reason}`);
  return t.next;
}

/** The advisory record's life in a store: compare-and-set, what owes work, the unacknowledged count. */
export function advisoryLifecycleContract(name: string, open: () => Promise<Store>): void {
  describe(`Store contract, advisory lifecycle: ${name}`, () => {
    let store: Store;

    beforeEach(async () => {
      store = await open();
    });

    afterEach(async () => {
      await store.close();
    });

    describe('saveAdvisory', () => {
      it('writes a transition made from the stored version and refuses one made from an older read', async () => {
        const a = anAdvisory();
        await store.createAdvisory(a);
        const corrected = next(correct(a, { ...a, title: '訂正後の件名' }, '件名を訂正', SECRETARIAT, NOW));
        expect(corrected.version).toBe(1);
        expect(await store.saveAdvisory(corrected)).toBe(true);
        expect(await store.getAdvisory(a.id)).toEqual(corrected);
        // A second writer that read the advisory before the correction.
        const stale = next(addFollowUp(a, '続報です', SECRETARIAT, NOW));
        expect(await store.saveAdvisory(stale)).toBe(false);
        expect(await store.getAdvisory(a.id)).toEqual(corrected);
        // Read again, decide again: both changes stand.
        const both = next(addFollowUp(corrected, '続報です', SECRETARIAT, NOW));
        expect(await store.saveAdvisory(both)).toBe(true);
        const stored = await store.getAdvisory(a.id);
        expect(stored?.title).toBe('訂正後の件名');
        expect(stored?.followups?.map((f) => f.body)).toEqual(['続報です']);
        expect(stored?.version).toBe(2);
      });

      it('refuses to write an advisory that is not stored', async () => {
        expect(await store.saveAdvisory({ ...anAdvisory(), version: 1 })).toBe(false);
        expect(await store.getAdvisory(anAdvisory().id)).toBeNull();
      });

      it('removes a field the transition removed', async () => {
        const a = anAdvisory();
        await store.createAdvisory(a);
        const withdrawn = next(withdraw(a, '誤報', SECRETARIAT, NOW));
        expect(withdrawn.syncing).toBe(true);
        await store.saveAdvisory(withdrawn);
        const synced = next(markSynced(withdrawn, withdrawn.syncRev ?? 0));
        expect(await store.saveAdvisory(synced)).toBe(true);
        const stored = await store.getAdvisory(a.id);
        expect(stored).toEqual(synced);
        expect(stored && 'syncing' in stored).toBe(false);
      });

      it('is refused after markAnnounced, which moves the version on, and never makes the advisory unannounced', async () => {
        const a = anAdvisory();
        await store.createAdvisory(a);
        expect(await store.markAnnounced(a.id, at(1), true)).toBe(true);
        // Decided from the read before the notice was recorded.
        expect(await store.saveAdvisory(next(close(a, 'command', SECRETARIAT, NOW)))).toBe(false);
        const announced = (await store.getAdvisory(a.id)) as Advisory;
        expect(announced.version).toBe(1);
        expect(announced.announced).toEqual({ at: at(1), ok: true });
        expect(await store.saveAdvisory(next(close(announced, 'command', SECRETARIAT, NOW)))).toBe(true);
        expect(await store.listUnannouncedAdvisories()).toEqual([]);
        expect((await store.getAdvisory(a.id))?.announced).toEqual({ at: at(1), ok: true });
      });

      it('keeps an unannounced advisory listed as unannounced after another change', async () => {
        const a = anAdvisory();
        await store.createAdvisory(a);
        expect(await store.saveAdvisory(next(close(a, 'command', SECRETARIAT, NOW)))).toBe(true);
        expect((await store.listUnannouncedAdvisories()).map((x) => x.id)).toEqual([a.id]);
      });
    });

    describe('listAdvisoriesOwingWork', () => {
      it('lists the open, the syncing and those whose closing summary or transcript is owed, in id order', async () => {
        const ids = ['ADV-2026-0001', 'ADV-2026-0002', 'ADV-2026-0003', 'ADV-2026-0004', 'ADV-2026-0005', 'ADV-2026-0006'];
        for (const [i, id] of ids.entries()) await store.createAdvisory(anAdvisory({ id, requestKey: `view-${i}` }));
        const get = async (id: string) => (await store.getAdvisory(id)) as Advisory;
        // 0002: closed, synced, told and archived: nothing left.
        let a2 = next(close(await get(ids[1]!), 'all_acknowledged', undefined, NOW));
        a2 = next(markArchived(next(markClosureTold(next(markSynced(a2, a2.syncRev ?? 0)), true, NOW)), 7, NOW));
        a2 = { ...a2, version: 1 };
        expect(await store.saveAdvisory(a2)).toBe(true);
        // 0003: closed and synced, summary not told yet.
        const a3 = next(close(await get(ids[2]!), 'command', SECRETARIAT, NOW));
        expect(await store.saveAdvisory({ ...next(markSynced(a3, a3.syncRev ?? 0)), version: 1 })).toBe(true);
        // 0004: closed and told, copies still to sync.
        const a4 = next(close(await get(ids[3]!), 'expired', undefined, NOW));
        expect(await store.saveAdvisory({ ...next(markClosureTold(a4, false, NOW)), version: 1 })).toBe(true);
        // 0005: withdrawn, synced, told, archived.
        const a5 = next(withdraw(await get(ids[4]!), '誤報', SECRETARIAT, NOW));
        expect(await store.saveAdvisory({ ...next(markArchived(next(markClosureTold(next(markSynced(a5, a5.syncRev ?? 0)), true, NOW)), 3, NOW)), version: 1 })).toBe(true);
        // 0006: closed, synced, told: its transcript is owed.
        const a6 = next(close(await get(ids[5]!), 'command', SECRETARIAT, NOW));
        expect(await store.saveAdvisory({ ...next(markClosureTold(next(markSynced(a6, a6.syncRev ?? 0)), true, NOW)), version: 1 })).toBe(true);

        expect((await store.listAdvisoriesOwingWork()).map((a) => a.id)).toEqual([ids[0], ids[2], ids[3], ids[5]]);
        expect((await store.listAdvisoriesOwingWork())[1]).toEqual(await get(ids[2]!));
      });
    });

    describe('countUnacknowledged', () => {
      it('counts the queued, posted and failed deliveries of the advisory, not the acknowledged nor other advisories', async () => {
        const mk = (memberId: string, advisoryId = 'ADV-2026-0001') => aDelivery({ memberId, advisoryId, channel: { channelId: `C-${memberId}` } });
        const [queued, posted, acked, failed, other] = [mk('a'), mk('b'), mk('c'), mk('d'), mk('e', 'ADV-2026-0002')];
        await store.ensureDeliveries([queued!, posted!, acked!, failed!, other!]);
        const save = async (t: ReturnType<typeof markPosted>) => {
          if (!t.changed) throw new Error('no change');
          expect(await store.saveDelivery(t.next)).toBe(true);
          return t.next;
        };
        await save(markPosted(posted!, [aMessage({ channelId: 'C-b', messageId: '1.1' })], NOW, undefined));
        const ackedPosted = await save(markPosted(acked!, [aMessage({ channelId: 'C-c', messageId: '1.2' })], NOW, undefined));
        await save(markAcknowledged(ackedPosted, { actor: anActor({ userId: 'U1' }), at: at(3), via: 'button' }, NOW));
        await save(markFailed(failed!, { code: 'channel_gone' }, NOW, undefined));
        expect(await store.countUnacknowledged('ADV-2026-0001')).toBe(3);
        expect(await store.countUnacknowledged('ADV-2026-0002')).toBe(1);
        expect(await store.countUnacknowledged('ADV-2026-0009')).toBe(0);
        expect(await store.anyUnacknowledged('ADV-2026-0001')).toBe(true);
        expect(await store.anyUnacknowledged('ADV-2026-0002')).toBe(true);
        expect(await store.anyUnacknowledged('ADV-2026-0009')).toBe(false);
      });

      it('in a later round, also counts a delivery still in an earlier round, acknowledged there or not', async () => {
        const mk = (memberId: string) => aDelivery({ memberId, channel: { channelId: `C-${memberId}` } });
        const [inRound2, stillRound1, ackedRound2] = [mk('a'), mk('b'), mk('c')];
        await store.ensureDeliveries([inRound2!, stillRound1!, ackedRound2!]);
        const save = async (t: ReturnType<typeof markPosted>) => {
          if (!t.changed) throw new Error('no change');
          expect(await store.saveDelivery(t.next)).toBe(true);
          return t.next;
        };
        const mark = { actor: anActor({ userId: 'U1' }), at: at(3), via: 'button' as const };
        for (const [d, n] of [[inRound2!, 1], [stillRound1!, 2], [ackedRound2!, 3]] as const) {
          const posted = await save(markPosted(d, [aMessage({ channelId: d.channel.channelId, messageId: `1.${n}` })], NOW, undefined));
          const acked = await save(markAcknowledged(posted, mark, NOW));
          if (d !== stillRound1) {
            const r2 = await save(beginRound(acked, 2, undefined, NOW));
            if (d === ackedRound2) await save(markAcknowledged(r2, mark, NOW));
          }
        }
        // Round 1 (the default) counts the states alone: a is posted again, asked in round 2.
        expect(await store.countUnacknowledged('ADV-2026-0001')).toBe(1);
        // Round 2: a is asked and silent, b has not been asked yet; c acknowledged it.
        expect(await store.countUnacknowledged('ADV-2026-0001', 2)).toBe(2);
        expect(await store.countUnacknowledged('ADV-2026-0001', 3)).toBe(3);
        // Whether any is left, answered as the counts say: round 1 only by the state, later rounds by the round too.
        expect(await store.anyUnacknowledged('ADV-2026-0001')).toBe(true);
        expect(await store.anyUnacknowledged('ADV-2026-0001', 2)).toBe(true);
        await save(markAcknowledged((await store.getDelivery(inRound2!.id))!, mark, NOW));
        expect(await store.countUnacknowledged('ADV-2026-0001')).toBe(0);
        expect(await store.anyUnacknowledged('ADV-2026-0001')).toBe(false);
        // b, acknowledged in round 1 and never asked in round 2, is all that is left of round 2.
        expect(await store.countUnacknowledged('ADV-2026-0001', 2)).toBe(1);
        expect(await store.anyUnacknowledged('ADV-2026-0001', 2)).toBe(true);
      });
    });

    describe('listRecentAdvisories', () => {
      it('gives the latest issued first, ties by the higher id, at most the limit', async () => {
        for (const [n, minute] of [[1, 10], [2, 30], [3, 20], [4, 30]] as const) {
          await store.createAdvisory(anAdvisory({ id: `ADV-2026-000${n}`, requestKey: `k${n}`, issuedAt: at(minute) }));
        }
        expect((await store.listRecentAdvisories(10)).map((a) => a.id)).toEqual(['ADV-2026-0004', 'ADV-2026-0002', 'ADV-2026-0003', 'ADV-2026-0001']);
        expect((await store.listRecentAdvisories(2)).map((a) => a.id)).toEqual(['ADV-2026-0004', 'ADV-2026-0002']);
        expect((await store.listRecentAdvisories(10))[0]).toEqual(await store.getAdvisory('ADV-2026-0004'));
      });

      it('lists drills apart when asked: only drills, or only real advisories, the limit within the kind', async () => {
        const made = [
          anAdvisory({ id: 'ADV-2026-0001', requestKey: 'a1', issuedAt: at(10) }),
          anAdvisory({ id: 'DRL-2026-0001', requestKey: 'd1', issuedAt: at(20), drill: true, drillPlan: { unannounced: true } }),
          anAdvisory({ id: 'ADV-2026-0002', requestKey: 'a2', issuedAt: at(30) }),
          anAdvisory({ id: 'DRL-2026-0002', requestKey: 'd2', issuedAt: at(40), drill: true }),
          anAdvisory({ id: 'DRL-2026-0003', requestKey: 'd3', issuedAt: at(50), drill: true }),
        ];
        for (const a of made) await store.createAdvisory(a);
        const ids = async (limit: number, filter?: { drill?: boolean }) => (await store.listRecentAdvisories(limit, filter)).map((a) => a.id);
        expect(await ids(10)).toEqual(['DRL-2026-0003', 'DRL-2026-0002', 'ADV-2026-0002', 'DRL-2026-0001', 'ADV-2026-0001']);
        expect(await ids(10, { drill: false })).toEqual(['ADV-2026-0002', 'ADV-2026-0001']);
        // Two newer drills do not push the real ones out of a short list.
        expect(await ids(1, { drill: false })).toEqual(['ADV-2026-0002']);
        expect(await ids(2, { drill: true })).toEqual(['DRL-2026-0003', 'DRL-2026-0002']);
        expect(await ids(10, { drill: undefined })).toHaveLength(5);
        expect((await store.listRecentAdvisories(10, { drill: true })).at(-1)).toEqual(made[1]);
      });
    });

    describe('acknowledgements by round', () => {
      it('keeps one per person per round, listed in order', async () => {
        expect(await store.addAcknowledgement(anAck({ at: at(1) }))).toBe(true);
        expect(await store.addAcknowledgement(anAck({ at: at(2) }))).toBe(false);
        expect(await store.addAcknowledgement(anAck({ at: at(3), round: 2 }))).toBe(true);
        expect(await store.addAcknowledgement(anAck({ at: at(4), round: 2 }))).toBe(false);
        expect(await store.addAcknowledgement(anAck({ at: at(5), round: 2, actor: anActor({ userId: 'U0OTHER', name: '別の人' }) }))).toBe(true);
        expect((await store.listAcknowledgements(anAck().deliveryId)).map((a) => [a.round ?? 1, a.actor.userId, a.at])).toEqual([
          [1, 'U0MEMBER1', at(1)],
          [2, 'U0MEMBER1', at(3)],
          [2, 'U0OTHER', at(5)],
        ]);
      });
    });
  });
}
