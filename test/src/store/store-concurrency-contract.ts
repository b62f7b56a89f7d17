import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { transitionDelivery } from '../../../src/commands/delivery-cas.js';
import { markAcknowledged, markLadderStep, markPosted, owesWork } from '../../../src/domain/delivery.js';
import type { Delivery, NextStep, Transition } from '../../../src/domain/delivery.js';
import { stepKey } from '../../../src/domain/escalation.js';
import { withMessages } from '../../../src/domain/phone-task.js';
import type { PhoneTask, TaskTransition } from '../../../src/domain/phone-task.js';
import type { Store, StepClaim, StepRef } from '../../../src/ports/store.js';
import {
  aConversation,
  aDelivery,
  aMessage,
  anAck,
  anActor,
  anAdvisory,
  anEvent,
  aPhoneTask,
  at,
  T0,
} from './fixtures.js';

/** Two store instances on the same data (two processes), and a way to open a third one later. */
export interface StorePair {
  a: Store;
  b: Store;
  /** A new instance on the same data; the test closes it. */
  reopen: () => Promise<Store>;
  /** Closes a and b (either may have been closed already by the test) and removes the data. */
  close: () => Promise<void>;
}

/**
 * What must hold when several instances of a store work on the same data at once: two processes
 * of the bot (or a worker and the web process) share one MongoDB database or one SQLite file.
 * `openPair` must give two instances on fresh, empty data.
 */
export function storeConcurrencyContract(name: string, openPair: () => Promise<StorePair>): void {
  describe(`Store concurrency contract: ${name}`, () => {
    let pair: StorePair;
    let a: Store;
    let b: Store;
    /** Alternate between the two instances: call i goes to a when i is even. */
    const either = (i: number): Store => (i % 2 === 0 ? a : b);

    beforeEach(async () => {
      pair = await openPair();
      ({ a, b } = pair);
    });

    afterEach(async () => {
      await pair.close();
    });

    it('hands out 20 distinct advisory numbers 1..20 to concurrent callers on both instances', async () => {
      const numbers = await Promise.all(Array.from({ length: 20 }, (_, i) => either(i).nextAdvisoryNumber(2026)));
      expect([...numbers].sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      expect(await b.nextAdvisoryNumber(2026)).toBe(21);
      expect(await a.nextAdvisoryNumber(2026)).toBe(22);
    });

    it('creates one advisory when the same request reaches both instances at once', async () => {
      const results = await Promise.all([
        a.createAdvisory(anAdvisory({ id: 'ADV-2026-0001', requestKey: 'view-A', title: 'via a' })),
        b.createAdvisory(anAdvisory({ id: 'ADV-2026-0002', requestKey: 'view-A', title: 'via b' })),
      ]);
      expect(results.filter((r) => r.created)).toHaveLength(1);
      const winner = results.find((r) => r.created)?.advisory;
      expect(winner).toBeDefined();
      expect(results.map((r) => r.advisory)).toStrictEqual([winner, winner]);
      const loserId = winner?.id === 'ADV-2026-0001' ? 'ADV-2026-0002' : 'ADV-2026-0001';
      expect(await a.getAdvisory(loserId)).toBeNull();
      expect(await b.getAdvisory(winner?.id as string)).toStrictEqual(winner);
      expect((await a.listUnannouncedAdvisories()).map((x) => x.id)).toEqual([winner?.id]);
    });

    it('lets exactly one of two instances mark an advisory announced', async () => {
      await a.createAdvisory(anAdvisory());
      const results = await Promise.all([
        a.markAnnounced('ADV-2026-0001', at(5), true),
        b.markAnnounced('ADV-2026-0001', at(6), false),
      ]);
      expect(results.filter(Boolean)).toHaveLength(1);
      const expected = results[0] ? { at: at(5), ok: true } : { at: at(6), ok: false };
      expect((await b.getAdvisory('ADV-2026-0001'))?.announced).toEqual(expected);
      expect(await a.listUnannouncedAdvisories()).toEqual([]);
    });

    it('leaves one copy of each delivery when both instances ensure the same ones at once', async () => {
      const ds = Array.from({ length: 5 }, (_, i) => aDelivery({ memberId: `m${i}`, channel: { channelId: `C${i}` } }));
      await Promise.all([a.ensureDeliveries(ds), b.ensureDeliveries([...ds].reverse())]);
      expect(await a.listDeliveries('ADV-2026-0001')).toStrictEqual(await b.listDeliveries('ADV-2026-0001'));
      expect((await b.listDeliveries('ADV-2026-0001')).map((d) => d.id)).toEqual(ds.map((d) => d.id).sort());
    });

    describe('escalation steps across instances', () => {
      const ref: StepRef = { deliveryId: aDelivery().id, token: 'k0123456789ab', key: stepKey({ kind: 'phone', index: 0 }) };
      const owners = Array.from({ length: 10 }, (_, i) => `run-${i}`);
      const outcomes = (rs: StepClaim[]) => rs.map((r) => r.outcome);

      it('lets exactly one of ten concurrent claims (five per instance) win; the rest are busy with its lease', async () => {
        const results = await Promise.all(
          owners.map((owner, i) => either(i).claimStep(ref, { owner, at: at(0), until: at(10) })),
        );
        expect(outcomes(results).filter((o) => o === 'claimed')).toHaveLength(1);
        expect(outcomes(results).filter((o) => o === 'busy')).toHaveLength(9);
        const winner = owners[results.findIndex((r) => r.outcome === 'claimed')];
        for (const r of results) if (r.outcome === 'busy') expect(r).toEqual({ outcome: 'busy', owner: winner, until: at(10) });
      });

      it('lets exactly one of ten concurrent takers have a lease that ran out', async () => {
        expect(await a.claimStep(ref, { owner: 'dead', at: at(0), until: at(1) })).toEqual({ outcome: 'claimed' });
        const results = await Promise.all(
          owners.map((owner, i) => either(i).claimStep(ref, { owner, at: at(5), until: at(15) })),
        );
        expect(outcomes(results).filter((o) => o === 'taken-over')).toHaveLength(1);
        expect(outcomes(results).filter((o) => o === 'busy')).toHaveLength(9);
        const winnerIndex = results.findIndex((r) => r.outcome === 'taken-over');
        expect(results[winnerIndex]).toEqual({ outcome: 'taken-over', previousOwner: 'dead', mayHavePosted: true });
        const winner = owners[winnerIndex];
        for (const r of results) if (r.outcome === 'busy') expect(r).toEqual({ outcome: 'busy', owner: winner, until: at(15) });
        // The taker's lease holds for everyone else, on either instance.
        expect(await b.claimStep(ref, { owner: 'late', at: at(6), until: at(16) })).toEqual({ outcome: 'busy', owner: winner, until: at(15) });
      });

      it('is done for everyone once finished on the other instance', async () => {
        expect(await a.claimStep(ref, { owner: 'w1', at: at(0), until: at(10) })).toEqual({ outcome: 'claimed' });
        await b.finishStep(ref, { owner: 'w1', at: at(1), outcome: 'done' });
        expect(await a.claimStep(ref, { owner: 'w2', at: at(20), until: at(30) })).toEqual({ outcome: 'done' });
        expect(await b.claimStep(ref, { owner: 'w1', at: at(2), until: at(30) })).toEqual({ outcome: 'done' });
      });

      it('a release by the owner lets another owner take over at once; a release by anyone else changes nothing', async () => {
        expect(await a.claimStep(ref, { owner: 'w1', at: at(0), until: at(60) })).toEqual({ outcome: 'claimed' });
        await b.releaseStep(ref, 'w2', at(1));
        expect(await b.claimStep(ref, { owner: 'w2', at: at(2), until: at(62) })).toEqual({ outcome: 'busy', owner: 'w1', until: at(60) });
        await b.releaseStep(ref, 'w1', at(3));
        expect(await a.claimStep(ref, { owner: 'w2', at: at(4), until: at(64) })).toEqual({ outcome: 'taken-over', previousOwner: 'w1', mayHavePosted: true });
        // The old owner's release now no longer touches the new owner's lease.
        await a.releaseStep(ref, 'w1', at(5));
        expect(await b.claimStep(ref, { owner: 'w3', at: at(6), until: at(66) })).toEqual({ outcome: 'busy', owner: 'w2', until: at(64) });
      });
    });

    it('stores one phone task when both instances ensure the same delivery’s task at once', async () => {
      const variants = Array.from({ length: 6 }, (_, i) => aPhoneTask({}, { contactIndex: i }));
      const results = await Promise.all(variants.map((v, i) => either(i).ensurePhoneTask(v)));
      const stored = await a.getPhoneTask(variants[0]!.id);
      expect(variants).toContainEqual(stored);
      for (const r of results) expect(r).toStrictEqual(stored);
      expect(await b.getPhoneTask(variants[0]!.id)).toStrictEqual(stored);
      expect(await b.listPhoneTasks('ADV-2026-0001')).toHaveLength(1);
    });

    it('settles 20 concurrent acknowledgements on two instances on exactly one, without a conflict', async () => {
      const posted = step(markPosted(aDelivery(), [aMessage()], T0, firstStep));
      await a.ensureDeliveries([posted]);
      const actors = Array.from({ length: 20 }, (_, i) => anActor({ userId: `U0MEMBER${i}`, name: `会員 ${i}` }));
      const settled = await Promise.allSettled(
        actors.map((actor, i) =>
          transitionDelivery(either(i), posted.id, (d) => markAcknowledged(d, { actor, at: at(5), via: 'button' }, new Date(at(5)))),
        ),
      );
      const rejected = settled.filter((s) => s.status === 'rejected');
      expect(rejected.map((s) => String((s as PromiseRejectedResult).reason))).toEqual([]);
      const results = settled.map((s) => (s as PromiseFulfilledResult<Transition>).value);
      const winners = results.filter((t) => t.changed);
      expect(winners).toHaveLength(1);
      const winner = winners[0] as Extract<Transition, { changed: true }>;
      for (const t of results) if (!t.changed) expect(t.reason).toBe('already');
      const stored = await b.getDelivery(posted.id);
      expect(stored).toStrictEqual(winner.next);
      expect(stored?.acknowledged?.actor).toStrictEqual(winner.next.acknowledged?.actor);
      expect(stored?.version).toBe(posted.version + 1);
      expect(await a.getDelivery(posted.id)).toStrictEqual(stored);
    });

    describe('message ownership across instances', () => {
      const x = aDelivery({ memberId: 'jma' });
      const y = aDelivery({ memberId: 'ajha', channel: { channelId: 'C0AJHA' } });
      const msg = aMessage({ channelId: 'C0SHARED', messageId: '1775034000.000100' });

      it('refuses a message on a second delivery (either instance), leaves it unchanged, and lets the owner save it again', async () => {
        await a.ensureDeliveries([x, y]);
        const xPosted = step(markPosted(x, [msg], T0, firstStep));
        expect(await a.saveDelivery(xPosted)).toBe(true);
        const yPosted = step(markPosted(y, [msg], T0, firstStep));
        await expect(b.saveDelivery(yPosted)).rejects.toMatchObject({ code: 'STORE.CONFLICT' });
        await expect(a.saveDelivery(yPosted)).rejects.toMatchObject({ code: 'STORE.CONFLICT' });
        expect(await a.getDelivery(y.id)).toStrictEqual(y);
        expect(await b.getDelivery(y.id)).toStrictEqual(y);
        expect(await b.findDeliveryByMessage(msg)).toStrictEqual(xPosted);
        // The owner keeps the message through later versions, from either instance.
        const xStepped = step(markLadderStep(xPosted, xPosted.escalationToken, firstStep, undefined, new Date(at(30))));
        expect(await b.saveDelivery(xStepped)).toBe(true);
        expect(await a.findDeliveryByMessage({ ...msg })).toStrictEqual(xStepped);
        // A message of its own still goes to the other delivery.
        const yOwn = step(markPosted(y, [aMessage({ channelId: 'C0AJHA' })], T0, firstStep));
        expect(await b.saveDelivery(yOwn)).toBe(true);
        expect(await a.getDelivery(y.id)).toStrictEqual(yOwn);
      });

      it('gives a message fought over by two deliveries on two instances to exactly one of them', async () => {
        await a.ensureDeliveries([x, y]);
        const settled = await Promise.allSettled([
          a.saveDelivery(step(markPosted(x, [msg], T0, firstStep))),
          b.saveDelivery(step(markPosted(y, [msg], T0, firstStep))),
        ]);
        const won = settled.filter((s) => s.status === 'fulfilled' && s.value === true);
        const refused = settled.filter((s) => s.status === 'rejected');
        expect(won).toHaveLength(1);
        expect(refused).toHaveLength(1);
        expect((refused[0] as PromiseRejectedResult).reason).toMatchObject({ code: 'STORE.CONFLICT' });
        const owner = settled[0]?.status === 'fulfilled' ? x : y;
        const other = owner === x ? y : x;
        expect((await b.findDeliveryByMessage(msg))?.id).toBe(owner.id);
        expect(await a.getDelivery(other.id)).toStrictEqual(other);
      });

      it('lets another delivery have a message once its owner has let go of it', async () => {
        await a.ensureDeliveries([x, y]);
        const xPosted = step(markPosted(x, [msg], T0, firstStep));
        expect(await a.saveDelivery(xPosted)).toBe(true);
        const xMoved = { ...xPosted, messages: [aMessage({ messageId: 'reposted' })], version: xPosted.version + 1 };
        expect(await b.saveDelivery(xMoved)).toBe(true);
        const yPosted = step(markPosted(y, [msg], T0, firstStep));
        expect(await a.saveDelivery(yPosted)).toBe(true);
        expect(await b.findDeliveryByMessage(msg)).toStrictEqual(yPosted);
      });

      it('does the same for phone tasks', async () => {
        const mine = aPhoneTask({ memberId: 'jma' });
        const theirs = aPhoneTask({ memberId: 'ajha', channel: { channelId: 'C0AJHA' } });
        await a.ensurePhoneTask(mine);
        await b.ensurePhoneTask(theirs);
        const inOncall = aMessage({ channelId: 'C0ONCALL', messageId: 'task-post' });
        const minePosted = moved(withMessages(mine, [inOncall], new Date(at(60))));
        expect(await a.savePhoneTask(minePosted)).toBe(true);
        const theirsPosted = moved(withMessages(theirs, [inOncall], new Date(at(60))));
        await expect(b.savePhoneTask(theirsPosted)).rejects.toMatchObject({ code: 'STORE.CONFLICT' });
        await expect(a.savePhoneTask(theirsPosted)).rejects.toMatchObject({ code: 'STORE.CONFLICT' });
        expect(await a.getPhoneTask(theirs.id)).toStrictEqual(theirs);
        expect(await b.findPhoneTaskByMessage(inOncall)).toStrictEqual(minePosted);
        // The owner saves it again with the same message, from the other instance.
        const mineAgain = moved(withMessages(minePosted, [inOncall], new Date(at(61))));
        expect(await b.savePhoneTask(mineAgain)).toBe(true);
        expect(await a.findPhoneTaskByMessage(inOncall)).toStrictEqual(mineAgain);
        // A delivery may hold the same ref: tasks and deliveries are apart.
        const delivery = aDelivery({ memberId: 'jma' });
        await a.ensureDeliveries([delivery]);
        expect(await b.saveDelivery(step(markPosted(delivery, [inOncall], T0, firstStep)))).toBe(true);
      });
    });

    it('reads back through a new instance exactly what was written through another', async () => {
      const advisory = anAdvisory();
      const announcedLater = anAdvisory({ id: 'ADV-2026-0002', requestKey: 'view-0002' });
      const queued = aDelivery({ memberId: 'm1', channel: { channelId: 'C01' } });
      const posted = step(markPosted(aDelivery({ memberId: 'm2', channel: { channelId: 'C02' } }), [aMessage({ channelId: 'C02' })], T0, firstStep));
      const acked = step(
        markAcknowledged(
          step(markPosted(aDelivery({ memberId: 'm3', channel: { channelId: 'C03' } }), [aMessage({ channelId: 'C03' })], T0, firstStep)),
          { actor: anActor({ userId: 'U0M3' }), at: at(3), via: 'button' },
          new Date(at(3)),
        ),
      );
      const task = aPhoneTask({ memberId: 'm2', channel: { channelId: 'C02' } });
      const taskMsg = aMessage({ channelId: 'C0ONCALL', messageId: 'task' });
      const taskPosted = moved(withMessages(task, [taskMsg], new Date(at(61))));
      const conversation = aConversation({ teamId: '19:team@thread.tacv2' });
      const ack = anAck({ deliveryId: acked.id, memberId: 'm3' });
      const event = anEvent();
      const running: StepRef = { deliveryId: posted.id, token: posted.escalationToken, key: 'reminder' };
      const finished: StepRef = { deliveryId: posted.id, token: posted.escalationToken, key: 'phone' };

      expect(await a.nextAdvisoryNumber(2026)).toBe(1);
      await a.createAdvisory(advisory);
      await a.createAdvisory(announcedLater);
      expect(await a.markAnnounced(advisory.id, at(1), true)).toBe(true);
      await a.ensureDeliveries([queued, posted, acked]);
      await a.ensurePhoneTask(task);
      expect(await a.savePhoneTask(taskPosted)).toBe(true);
      await a.saveConversation(conversation);
      expect(await a.addAcknowledgement(ack)).toBe(true);
      await a.appendAudit(event);
      expect(await a.claimStep(running, { owner: 'w1', at: at(30), until: at(40) })).toEqual({ outcome: 'claimed' });
      expect(await a.claimStep(finished, { owner: 'w1', at: at(30), until: at(40) })).toEqual({ outcome: 'claimed' });
      await a.finishStep(finished, { owner: 'w1', at: at(31), outcome: 'gave_up' });
      await a.close();

      const c = await pair.reopen();
      try {
        expect(await c.nextAdvisoryNumber(2026)).toBe(2);
        // Recording the notice moves the version on, so an earlier read cannot write the advisory back unannounced.
        expect(await c.getAdvisory(advisory.id)).toStrictEqual({ ...advisory, announced: { at: at(1), ok: true }, version: 1 });
        expect(await c.listUnannouncedAdvisories()).toStrictEqual([announcedLater]);
        for (const d of [queued, posted, acked]) expect(await c.getDelivery(d.id)).toStrictEqual(d);
        expect(await c.listDeliveries(advisory.id)).toStrictEqual([queued, posted, acked]);
        const owed = await c.listOwedDeliveries({ limit: 10 });
        expect(owed.deliveries).toStrictEqual([queued, posted].filter(owesWork).sort((p, q) => (p.id < q.id ? -1 : 1)));
        expect(owed.deliveries.map((d) => d.id)).toEqual([queued.id, posted.id].sort());
        expect(await c.findDeliveryByMessage(aMessage({ channelId: 'C02' }))).toStrictEqual(posted);
        expect(await c.getPhoneTask(task.id)).toStrictEqual(taskPosted);
        expect(await c.findPhoneTaskByMessage(taskMsg)).toStrictEqual(taskPosted);
        expect(await c.listOpenPhoneTasks()).toStrictEqual([taskPosted]);
        expect(await c.getConversation('teams', conversation.conversationId)).toStrictEqual(conversation);
        expect(await c.latestConversationInTenant('teams', conversation.tenantId)).toStrictEqual(conversation);
        expect(await c.listAcknowledgements(acked.id)).toStrictEqual([ack]);
        expect(await c.addAcknowledgement(ack)).toBe(false);
        expect(await c.listAudit(advisory.id)).toStrictEqual([event]);
        // The step ledger: the lease still holds, the finished step stays finished.
        expect(await c.claimStep(running, { owner: 'w2', at: at(35), until: at(45) })).toEqual({ outcome: 'busy', owner: 'w1', until: at(40) });
        expect(await c.claimStep(finished, { owner: 'w2', at: at(50), until: at(60) })).toEqual({ outcome: 'done' });
        expect(await c.claimStep(running, { owner: 'w2', at: at(41), until: at(51) })).toEqual({ outcome: 'taken-over', previousOwner: 'w1', mayHavePosted: true });
        // The message refs are still owned.
        const other = aDelivery({ memberId: 'm9', channel: { channelId: 'C09' } });
        await c.ensureDeliveries([other]);
        await expect(c.saveDelivery(step(markPosted(other, [aMessage({ channelId: 'C02' })], T0, firstStep)))).rejects.toMatchObject({
          code: 'STORE.CONFLICT',
        });
        // Compare-and-set goes on from the stored versions.
        expect(await c.saveDelivery({ ...posted, version: posted.version })).toBe(false);
      } finally {
        await c.close();
      }
    });

    it('never swallows errors other than duplicates: a closed instance refuses writes, and nothing is written', async () => {
      const d = aDelivery();
      await a.close();
      await expect(a.ensureDeliveries([d])).rejects.toBeDefined();
      await expect(a.appendAudit(anEvent())).rejects.toBeDefined();
      await expect(a.addAcknowledgement(anAck())).rejects.toBeDefined();
      await expect(a.claimStep({ deliveryId: d.id, token: d.escalationToken, key: 'reminder' }, { owner: 'w1', at: at(0), until: at(1) })).rejects.toBeDefined();
      await expect(a.ping()).rejects.toBeDefined();
      // The other instance is unaffected, and sees none of it.
      await b.ping();
      expect(await b.getDelivery(d.id)).toBeNull();
      expect(await b.listAudit('ADV-2026-0001')).toEqual([]);
      expect(await b.listAcknowledgements(d.id)).toEqual([]);
      expect(await b.claimStep({ deliveryId: d.id, token: d.escalationToken, key: 'reminder' }, { owner: 'w2', at: at(0), until: at(1) })).toEqual({
        outcome: 'claimed',
      });
    });

    it('drops a delivery from the owed list of one instance once the other saves it acknowledged', async () => {
      const d = aDelivery();
      await a.ensureDeliveries([d]);
      expect((await a.listOwedDeliveries({ limit: 10 })).deliveries).toStrictEqual([d]);
      const posted = await transitionDelivery(b, d.id, (cur) => markPosted(cur, [aMessage()], new Date(at(1)), firstStep));
      expect(posted.changed).toBe(true);
      // Posted with a ladder step owed: still owed, as b saved it.
      expect((await a.listOwedDeliveries({ limit: 10 })).deliveries).toStrictEqual([await b.getDelivery(d.id)]);
      const acked = await transitionDelivery(b, d.id, (cur) =>
        markAcknowledged(cur, { actor: anActor({ userId: 'U0MEMBER' }), at: at(2), via: 'button' }, new Date(at(2))),
      );
      expect(acked.changed).toBe(true);
      expect(await a.listOwedDeliveries({ limit: 10 })).toEqual({ deliveries: [], next: undefined });
      expect((await a.getDelivery(d.id))?.state).toBe('acknowledged');
    });
  });
}

const firstStep: NextStep = { kind: 'reminder', index: 0, at: at(30) };

function step(t: Transition): Delivery {
  if (!t.changed) throw new Error(`expected a change, got ${t.reason}`);
  return t.next;
}

function moved(t: TaskTransition): PhoneTask {
  if (!t.changed) throw new Error(`expected a change, got ${t.reason}`);
  return t.next;
}
