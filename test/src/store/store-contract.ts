import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { markAcknowledged, markFailed, markFailureAlerted, markLadderStep, markPosted, newEscalationToken } from '../../../src/domain/delivery.js';
import type { Delivery, NextStep } from '../../../src/domain/delivery.js';
import { stepKey } from '../../../src/domain/escalation.js';
import {
  claim,
  closeAcknowledged,
  recordFailedCall,
  recordReached,
  release,
  withMessages,
} from '../../../src/domain/phone-task.js';
import type { PhoneTask, TaskTransition } from '../../../src/domain/phone-task.js';
import type { Store } from '../../../src/ports/store.js';
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
  bumped,
  bumpedTask,
  T0,
} from './fixtures.js';

/**
 * The behaviour every Store must show. `open` must give a store with no data in it; the suite
 * closes it after each test.
 */
export function storeContract(name: string, open: () => Promise<Store>): void {
  describe(`Store contract: ${name}`, () => {
    let store: Store;

    beforeEach(async () => {
      store = await open();
    });

    afterEach(async () => {
      await store.close();
    });

    describe('nextAdvisoryNumber', () => {
      it('counts up from 1 within a year', async () => {
        expect(await store.nextAdvisoryNumber(2026)).toBe(1);
        expect(await store.nextAdvisoryNumber(2026)).toBe(2);
        expect(await store.nextAdvisoryNumber(2026)).toBe(3);
      });

      it('keeps a separate count for each year', async () => {
        expect(await store.nextAdvisoryNumber(2025)).toBe(1);
        expect(await store.nextAdvisoryNumber(2025)).toBe(2);
        expect(await store.nextAdvisoryNumber(2026)).toBe(1);
        expect(await store.nextAdvisoryNumber(2025)).toBe(3);
        expect(await store.nextAdvisoryNumber(2026)).toBe(2);
      });

      it('hands out distinct numbers to concurrent callers, with no gaps', async () => {
        const numbers = await Promise.all(Array.from({ length: 20 }, () => store.nextAdvisoryNumber(2026)));
        expect(new Set(numbers).size).toBe(20);
        expect([...numbers].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
        expect(await store.nextAdvisoryNumber(2026)).toBe(21);
      });

      it('numbers drills apart: each series has its own count per year, real advisories (ADV) by default', async () => {
        expect(await store.nextAdvisoryNumber(2026)).toBe(1);
        expect(await store.nextAdvisoryNumber(2026, 'ADV')).toBe(2);
        expect(await store.nextAdvisoryNumber(2026, 'DRL')).toBe(1);
        expect(await store.nextAdvisoryNumber(2026, 'DRL')).toBe(2);
        expect(await store.nextAdvisoryNumber(2026)).toBe(3);
        expect(await store.nextAdvisoryNumber(2025, 'DRL')).toBe(1);
        expect(await store.nextAdvisoryNumber(2026, 'DRL')).toBe(3);
        expect(await store.nextAdvisoryNumber(2025, 'ADV')).toBe(1);
      });

      it('keeps series apart under concurrency, with no gaps in either', async () => {
        const series = (i: number): 'ADV' | 'DRL' => (i % 2 === 0 ? 'ADV' : 'DRL');
        const numbers = await Promise.all(Array.from({ length: 20 }, (_, i) => store.nextAdvisoryNumber(2026, series(i))));
        const of = (s: 'ADV' | 'DRL') => numbers.filter((_, i) => series(i) === s).sort((a, b) => a - b);
        expect(of('ADV')).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
        expect(of('DRL')).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
        expect(await store.nextAdvisoryNumber(2026, 'DRL')).toBe(11);
        expect(await store.nextAdvisoryNumber(2026)).toBe(11);
      });

      it('keeps years apart under concurrency too', async () => {
        const calls = Array.from({ length: 20 }, (_, i) => store.nextAdvisoryNumber(i % 2 === 0 ? 2025 : 2026));
        const numbers = await Promise.all(calls);
        const of = (year: number) =>
          numbers.filter((_, i) => (i % 2 === 0 ? 2025 : 2026) === year).sort((a, b) => a - b);
        expect(of(2025)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
        expect(of(2026)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      });
    });

    describe('advisories', () => {
      it('stores an advisory and gives back exactly what was stored', async () => {
        const advisory = anAdvisory();
        const result = await store.createAdvisory(advisory);
        expect(result.created).toBe(true);
        expect(result.advisory).toStrictEqual(advisory);
        expect(await store.getAdvisory(advisory.id)).toStrictEqual(advisory);
      });

      it('returns null for an unknown id', async () => {
        await store.createAdvisory(anAdvisory());
        expect(await store.getAdvisory('ADV-2026-9999')).toBeNull();
      });

      it('is idempotent on requestKey: a retried request gets the first advisory back', async () => {
        const first = anAdvisory({ id: 'ADV-2026-0001', requestKey: 'view-A' });
        await store.createAdvisory(first);
        // A retry allocates a new number before it reaches the store.
        const retry = anAdvisory({ id: 'ADV-2026-0002', requestKey: 'view-A', title: 'edited in between' });
        const result = await store.createAdvisory(retry);
        expect(result).toStrictEqual({ advisory: first, created: false });
        expect(await store.getAdvisory('ADV-2026-0002')).toBeNull();
        expect(await store.getAdvisory('ADV-2026-0001')).toStrictEqual(first);
      });

      it('creates only one advisory when the same request arrives twice at once', async () => {
        const results = await Promise.all([
          store.createAdvisory(anAdvisory({ id: 'ADV-2026-0001', requestKey: 'view-A' })),
          store.createAdvisory(anAdvisory({ id: 'ADV-2026-0002', requestKey: 'view-A' })),
        ]);
        expect(results.filter((r) => r.created)).toHaveLength(1);
        const winner = results.find((r) => r.created)?.advisory;
        expect(results.map((r) => r.advisory)).toStrictEqual([winner, winner]);
      });

      it('refuses an id that another request already used, and leaves the first advisory alone', async () => {
        const first = anAdvisory({ id: 'ADV-2026-0001', requestKey: 'view-A' });
        await store.createAdvisory(first);
        await expect(
          store.createAdvisory(anAdvisory({ id: 'ADV-2026-0001', requestKey: 'view-B', title: 'other' })),
        ).rejects.toMatchObject({ code: 'STORE.CONFLICT' });
        expect(await store.getAdvisory('ADV-2026-0001')).toStrictEqual(first);
      });

      it('keeps different requests apart', async () => {
        const a = anAdvisory({ id: 'ADV-2026-0001', requestKey: 'view-A' });
        const b = anAdvisory({ id: 'ADV-2026-0002', requestKey: 'view-B', tlp: 'TLP:RED', drill: true });
        expect((await store.createAdvisory(a)).created).toBe(true);
        expect((await store.createAdvisory(b)).created).toBe(true);
        expect(await store.getAdvisory(a.id)).toStrictEqual(a);
        expect(await store.getAdvisory(b.id)).toStrictEqual(b);
      });

      it('keeps the escalation policy the advisory was issued with', async () => {
        const custom = anAdvisory({
          severity: 'level1',
          escalation: { enabled: false, deadline: 90, reminderBefore: 0, nextContactEvery: 30, alertAfter: 3600 },
        });
        await store.createAdvisory(custom);
        expect(await store.getAdvisory(custom.id)).toStrictEqual(custom);
        expect((await store.getAdvisory(custom.id))?.escalation.enabled).toBe(false);
      });
    });

    describe('deliveries', () => {
      const jmaSlack = aDelivery({ memberId: 'jma' });
      const jmaTeams = aDelivery({ memberId: 'jma', channel: { platform: 'teams', channelId: '19:abc@thread.tacv2' } });
      const hospital = aDelivery({ memberId: 'ajha', channel: { channelId: 'C0AJHA' } });
      const pharma = aDelivery({ memberId: 'zz-pharma', channel: { channelId: 'C0PHARMA' } });
      const otherAdvisory = aDelivery({ advisoryId: 'ADV-2026-0002', memberId: 'jma' });

      it('stores deliveries and gives back exactly what was stored', async () => {
        await store.ensureDeliveries([jmaSlack, hospital]);
        expect(await store.getDelivery(jmaSlack.id)).toStrictEqual(jmaSlack);
        expect(await store.getDelivery(hospital.id)).toStrictEqual(hospital);
        expect(await store.getDelivery('ADV-2026-0001.nobody.slack-C0')).toBeNull();
      });

      it('lists one advisory’s deliveries by member id, then delivery id', async () => {
        await store.ensureDeliveries([pharma, jmaTeams, otherAdvisory, hospital, jmaSlack]);
        const listed = await store.listDeliveries('ADV-2026-0001');
        const expected = [hospital, jmaSlack, jmaTeams, pharma].sort(
          (a, b) => cmp(a.memberId, b.memberId) || cmp(a.id, b.id),
        );
        expect(listed).toStrictEqual(expected);
        expect(await store.listDeliveries('ADV-2026-0002')).toStrictEqual([otherAdvisory]);
        expect(await store.listDeliveries('ADV-2026-0404')).toEqual([]);
      });

      it('leaves one copy when the same deliveries are ensured twice', async () => {
        await store.ensureDeliveries([jmaSlack, hospital]);
        await store.ensureDeliveries([jmaSlack, hospital]);
        expect(await store.listDeliveries('ADV-2026-0001')).toHaveLength(2);
      });

      it('leaves one copy when the same deliveries are ensured concurrently', async () => {
        await Promise.all([
          store.ensureDeliveries([jmaSlack, hospital, pharma]),
          store.ensureDeliveries([pharma, hospital, jmaSlack]),
        ]);
        expect(await store.listDeliveries('ADV-2026-0001')).toHaveLength(3);
      });

      it('inserts the missing ones when some already exist', async () => {
        await store.ensureDeliveries([hospital]);
        await store.ensureDeliveries([jmaSlack, hospital, pharma]);
        expect((await store.listDeliveries('ADV-2026-0001')).map((d) => d.id)).toEqual(
          [hospital, jmaSlack, pharma].map((d) => d.id),
        );
      });

      it('does not overwrite a delivery that has moved on', async () => {
        await store.ensureDeliveries([jmaSlack]);
        const posted = bumped(jmaSlack, { state: 'posted', postAttempts: 1, messages: [aMessage()] });
        expect(await store.saveDelivery(posted)).toBe(true);
        await store.ensureDeliveries([jmaSlack]);
        expect(await store.getDelivery(jmaSlack.id)).toStrictEqual(posted);
        expect(await store.findDeliveryByMessage(aMessage())).toStrictEqual(posted);
      });

      it('ignores a second delivery for the same advisory, member and channel under another id', async () => {
        await store.ensureDeliveries([jmaSlack]);
        const twin: Delivery = { ...jmaSlack, id: `${jmaSlack.id}-twin` };
        await store.ensureDeliveries([twin]);
        expect(await store.getDelivery(twin.id)).toBeNull();
        expect(await store.listDeliveries('ADV-2026-0001')).toStrictEqual([jmaSlack]);
      });

      it('accepts an empty list', async () => {
        await store.ensureDeliveries([]);
        expect(await store.listDeliveries('ADV-2026-0001')).toEqual([]);
      });

      it('round-trips the optional failure and acknowledgement marks', async () => {
        await store.ensureDeliveries([jmaSlack, hospital]);
        const failed = bumped(jmaSlack, { state: 'failed', failure: { code: 'channel_not_found', at: at(1) } });
        const acked = bumped(hospital, {
          state: 'acknowledged',
          acknowledged: { actor: anActor({ userId: 'U0ONCALL' }), at: at(2), via: 'phone' },
        });
        expect(await store.saveDelivery(failed)).toBe(true);
        expect(await store.saveDelivery(acked)).toBe(true);
        expect(await store.getDelivery(failed.id)).toStrictEqual(failed);
        expect(await store.getDelivery(acked.id)).toStrictEqual(acked);
      });

      it('round-trips the escalation token and the last ladder step, and a rotated token', async () => {
        await store.ensureDeliveries([jmaSlack]);
        expect((await store.getDelivery(jmaSlack.id))?.escalationToken).toBe(jmaSlack.escalationToken);
        const owedStep = { ...jmaSlack, nextStep: { kind: 'next-contact' as const, index: 2, at: at(10) } };
        const stepped = step(markLadderStep(owedStep, jmaSlack.escalationToken, { kind: 'next-contact', index: 2 }, undefined, T0));
        expect(stepped.ladder).toStrictEqual({ kind: 'next-contact', index: 2, at: T0.toISOString() });
        expect(await store.saveDelivery(stepped)).toBe(true);
        expect(await store.getDelivery(jmaSlack.id)).toStrictEqual(stepped);
        const acked = step(markAcknowledged(stepped, { actor: anActor(), at: at(3), via: 'button' }, T0));
        expect(acked.escalationToken).not.toBe(jmaSlack.escalationToken);
        expect(await store.saveDelivery(acked)).toBe(true);
        expect(await store.getDelivery(jmaSlack.id)).toStrictEqual(acked);
      });
    });

    describe('saveDelivery (compare-and-set)', () => {
      const base = aDelivery();

      it('writes a delivery made from the stored version', async () => {
        await store.ensureDeliveries([base]);
        const v1 = bumped(base, { postAttempts: 1 });
        expect(await store.saveDelivery(v1)).toBe(true);
        expect(await store.getDelivery(base.id)).toStrictEqual(v1);
        const v2 = bumped(v1, { state: 'posted', messages: [aMessage()] }, 2);
        expect(await store.saveDelivery(v2)).toBe(true);
        expect(await store.getDelivery(base.id)).toStrictEqual(v2);
      });

      it('refuses a write made from a stale version and leaves the stored one unchanged', async () => {
        await store.ensureDeliveries([base]);
        const winner = bumped(base, { state: 'posted', postAttempts: 1, messages: [aMessage()] });
        const loser = bumped(base, { state: 'failed', failure: { code: 'not_in_channel', at: at(1) } });
        expect(await store.saveDelivery(winner)).toBe(true);
        expect(await store.saveDelivery(loser)).toBe(false);
        expect(await store.getDelivery(base.id)).toStrictEqual(winner);
        expect(await store.listDeliveries(base.advisoryId)).toStrictEqual([winner]);
      });

      it('refuses a version that skips ahead', async () => {
        await store.ensureDeliveries([base]);
        expect(await store.saveDelivery({ ...base, version: 2, state: 'posted' })).toBe(false);
        expect(await store.getDelivery(base.id)).toStrictEqual(base);
      });

      it('refuses to write the same version again', async () => {
        await store.ensureDeliveries([base]);
        expect(await store.saveDelivery({ ...base, state: 'posted' })).toBe(false);
        expect(await store.getDelivery(base.id)).toStrictEqual(base);
      });

      it('returns false for a delivery that does not exist, and does not create it', async () => {
        expect(await store.saveDelivery(bumped(base))).toBe(false);
        expect(await store.getDelivery(base.id)).toBeNull();
      });

      it('appends the audit event given with a write that is saved, and only then', async () => {
        await store.ensureDeliveries([base]);
        const posted = bumped(base, { state: 'posted', messages: [aMessage({ messageId: 'with-audit' })] });
        const event = anEvent({ id: `${base.id}.posted`, action: 'delivery.posted', deliveryId: base.id });
        expect(await store.saveDelivery(posted, event)).toBe(true);
        expect(await store.listAudit(base.advisoryId)).toStrictEqual([event]);
        // Refused (stale): its event is not written.
        expect(await store.saveDelivery(bumped(base, { state: 'failed' }), anEvent({ id: `${base.id}.failed`, action: 'delivery.failed' }))).toBe(false);
        expect((await store.listAudit(base.advisoryId)).map((e) => e.id)).toEqual([event.id]);
        // The same event again (a retried write) is stored once.
        expect(await store.saveDelivery(bumped(posted, { state: 'acknowledged' }), event)).toBe(true);
        expect(await store.listAudit(base.advisoryId)).toStrictEqual([event]);
      });

      it('a write refused for a message another delivery holds writes no audit event either', async () => {
        const other = aDelivery({ memberId: 'other', channel: { channelId: 'C0OTHER' } });
        await store.ensureDeliveries([base, other]);
        const msg = aMessage({ messageId: 'held' });
        expect(await store.saveDelivery(bumped(base, { state: 'posted', messages: [msg] }))).toBe(true);
        await expect(store.saveDelivery(bumped(other, { state: 'posted', messages: [msg] }), anEvent({ id: 'evt-conflict' }))).rejects.toMatchObject({ code: 'STORE.CONFLICT' });
        expect((await store.listAudit('ADV-2026-0001')).map((e) => e.id)).not.toContain('evt-conflict');
      });

      it('lets exactly one of two concurrent writers from the same version win', async () => {
        await store.ensureDeliveries([base]);
        const a = bumped(base, { state: 'posted', messages: [aMessage({ messageId: 'a' })] });
        const b = bumped(base, { state: 'failed', failure: { code: 'rate_limited', at: at(1) } });
        const results = await Promise.all([store.saveDelivery(a), store.saveDelivery(b)]);
        expect(results.filter(Boolean)).toHaveLength(1);
        expect(await store.getDelivery(base.id)).toStrictEqual(results[0] ? a : b);
      });
    });

    describe('findDeliveryByMessage', () => {
      const base = aDelivery();
      const msg = aMessage({ channelId: 'C0MEMBER', messageId: '1775034000.000100' });

      it('finds nothing before anything is posted', async () => {
        await store.ensureDeliveries([base]);
        expect(await store.findDeliveryByMessage(msg)).toBeNull();
      });

      it('finds the delivery once its messages are saved', async () => {
        await store.ensureDeliveries([base, aDelivery({ memberId: 'other', channel: { channelId: 'C0OTHER' } })]);
        const posted = bumped(base, { state: 'posted', messages: [msg] });
        expect(await store.saveDelivery(posted)).toBe(true);
        expect(await store.findDeliveryByMessage({ ...msg })).toStrictEqual(posted);
      });

      it('does not match a ref that differs in any part', async () => {
        await store.ensureDeliveries([base]);
        expect(await store.saveDelivery(bumped(base, { state: 'posted', messages: [msg] }))).toBe(true);
        expect(await store.findDeliveryByMessage({ ...msg, messageId: '1775034000.000101' })).toBeNull();
        expect(await store.findDeliveryByMessage({ ...msg, channelId: 'C0ELSEWHERE' })).toBeNull();
        expect(await store.findDeliveryByMessage({ ...msg, platform: 'teams' })).toBeNull();
        expect(await store.findDeliveryByMessage({ platform: 'local', channelId: 'x', messageId: 'y' })).toBeNull();
      });

      it('finds a delivery by any of its messages (TLP:RED: one direct message per contact)', async () => {
        await store.ensureDeliveries([base]);
        const dms = [
          aMessage({ channelId: 'D0CONTACT1', messageId: '1.1' }),
          aMessage({ channelId: 'D0CONTACT2', messageId: '1.1' }),
          aMessage({ channelId: 'D0CONTACT3', messageId: '2.2' }),
        ];
        const posted = bumped(base, { state: 'posted', messages: dms });
        expect(await store.saveDelivery(posted)).toBe(true);
        for (const dm of dms) expect(await store.findDeliveryByMessage(dm)).toStrictEqual(posted);
      });

      it('tells the deliveries of different members apart', async () => {
        const other = aDelivery({ memberId: 'ajha', channel: { channelId: 'C0AJHA' } });
        await store.ensureDeliveries([base, other]);
        const mine = bumped(base, { state: 'posted', messages: [msg] });
        const theirMsg = aMessage({ channelId: 'C0AJHA', messageId: msg.messageId });
        const theirs = bumped(other, { state: 'posted', messages: [theirMsg] });
        expect(await store.saveDelivery(mine)).toBe(true);
        expect(await store.saveDelivery(theirs)).toBe(true);
        expect(await store.findDeliveryByMessage(msg)).toStrictEqual(mine);
        expect(await store.findDeliveryByMessage(theirMsg)).toStrictEqual(theirs);
      });

      it('forgets refs that are no longer among the messages, and learns the new ones', async () => {
        await store.ensureDeliveries([base]);
        const old = aMessage({ messageId: 'old' });
        const fresh = aMessage({ messageId: 'new' });
        const v1 = bumped(base, { state: 'posted', messages: [old] });
        const v2 = bumped(v1, { messages: [fresh] }, 2);
        expect(await store.saveDelivery(v1)).toBe(true);
        expect(await store.saveDelivery(v2)).toBe(true);
        expect(await store.findDeliveryByMessage(old)).toBeNull();
        expect(await store.findDeliveryByMessage(fresh)).toStrictEqual(v2);
        const v3 = bumped(v2, { messages: [] }, 3);
        expect(await store.saveDelivery(v3)).toBe(true);
        expect(await store.findDeliveryByMessage(fresh)).toBeNull();
      });

      it('keeps the refs as they were when a stale write is refused', async () => {
        await store.ensureDeliveries([base]);
        const v1 = bumped(base, { state: 'posted', messages: [msg] });
        expect(await store.saveDelivery(v1)).toBe(true);
        const stale = bumped(base, { state: 'posted', messages: [aMessage({ messageId: 'stale' })] });
        expect(await store.saveDelivery(stale)).toBe(false);
        expect(await store.findDeliveryByMessage(aMessage({ messageId: 'stale' }))).toBeNull();
        expect(await store.findDeliveryByMessage(msg)).toStrictEqual(v1);
      });

      it('finds a delivery whose messages were already set when it was first ensured', async () => {
        const withMessage = { ...base, state: 'posted' as const, messages: [msg] };
        await store.ensureDeliveries([withMessage]);
        expect(await store.findDeliveryByMessage(msg)).toStrictEqual(withMessage);
      });
    });

    describe('acknowledgements', () => {
      const delivery = aDelivery();
      const hanako = anAck({ actor: anActor({ userId: 'U0HANAKO', name: '花子' }), at: at(5) });

      it('records a person once: true the first time, false after, and the first record wins', async () => {
        expect(await store.addAcknowledgement(hanako)).toBe(true);
        expect(await store.addAcknowledgement({ ...hanako, at: at(9), via: 'phone' })).toBe(false);
        expect(await store.addAcknowledgement(hanako)).toBe(false);
        expect(await store.listAcknowledgements(delivery.id)).toStrictEqual([hanako]);
      });

      it('records other people separately, including the same user id on another platform', async () => {
        const taro = anAck({ actor: anActor({ userId: 'U0TARO' }), at: at(6) });
        const teamsHanako = anAck({ actor: anActor({ platform: 'teams', userId: 'U0HANAKO' }), at: at(7) });
        expect(await store.addAcknowledgement(hanako)).toBe(true);
        expect(await store.addAcknowledgement(taro)).toBe(true);
        expect(await store.addAcknowledgement(teamsHanako)).toBe(true);
        expect(await store.listAcknowledgements(delivery.id)).toStrictEqual([hanako, taro, teamsHanako]);
      });

      it('records the same person separately for another delivery', async () => {
        const other = aDelivery({ memberId: 'ajha', channel: { channelId: 'C0AJHA' } });
        const elsewhere = { ...hanako, deliveryId: other.id, memberId: 'ajha' };
        expect(await store.addAcknowledgement(hanako)).toBe(true);
        expect(await store.addAcknowledgement(elsewhere)).toBe(true);
        expect(await store.listAcknowledgements(delivery.id)).toStrictEqual([hanako]);
        expect(await store.listAcknowledgements(other.id)).toStrictEqual([elsewhere]);
      });

      it('lets exactly one of two concurrent presses by the same person count', async () => {
        const results = await Promise.all([
          store.addAcknowledgement(hanako),
          store.addAcknowledgement({ ...hanako, at: at(6) }),
        ]);
        expect(results.filter(Boolean)).toHaveLength(1);
        expect(await store.listAcknowledgements(delivery.id)).toHaveLength(1);
      });

      it('lists in time order, whatever order they were added in', async () => {
        const late = anAck({ actor: anActor({ userId: 'U0LATE' }), at: at(30) });
        const early = anAck({ actor: anActor({ userId: 'U0EARLY' }), at: at(1) });
        const middle = anAck({ actor: anActor({ userId: 'U0MIDDLE' }), at: at(10), via: 'phone' });
        for (const a of [late, early, middle]) expect(await store.addAcknowledgement(a)).toBe(true);
        expect(await store.listAcknowledgements(delivery.id)).toStrictEqual([early, middle, late]);
      });

      it('lists nothing for a delivery nobody acknowledged', async () => {
        await store.addAcknowledgement(hanako);
        expect(await store.listAcknowledgements('ADV-2026-0001.nobody.slack-C0')).toEqual([]);
      });
    });

    describe('the post ledger (beginPost / settlePost)', () => {
      it('a first attempt may not have posted; a later one may, unless the last was settled as having posted nothing', async () => {
        expect(await store.beginPost('ADV-2026-0001.issued@slack:C0SEC', at(1))).toEqual({ mayHavePosted: false });
        expect(await store.beginPost('ADV-2026-0001.issued@slack:C0SEC', at(2))).toEqual({ mayHavePosted: true });
        await store.settlePost('ADV-2026-0001.issued@slack:C0SEC');
        expect(await store.beginPost('ADV-2026-0001.issued@slack:C0SEC', at(3))).toEqual({ mayHavePosted: false });
        // That attempt is in flight again: stopping without a word leaves the next one searching.
        expect(await store.beginPost('ADV-2026-0001.issued@slack:C0SEC', at(4))).toEqual({ mayHavePosted: true });
      });

      it('keys are apart; settling a key never begun records nothing', async () => {
        await store.settlePost('never-begun');
        expect(await store.beginPost('never-begun', at(1))).toEqual({ mayHavePosted: false });
        expect(await store.beginPost('other@slack:C1', at(1))).toEqual({ mayHavePosted: false });
        expect(await store.beginPost('other@slack:C2', at(1))).toEqual({ mayHavePosted: false });
      });

      it('of two first attempts at once, one is first', async () => {
        const results = await Promise.all([store.beginPost('race@slack:C1', at(1)), store.beginPost('race@slack:C1', at(1))]);
        expect(results.map((r) => r.mayHavePosted).sort()).toEqual([false, true]);
      });
    });

    describe('escalation steps (claimStep / releaseStep / finishStep, with a lease)', () => {
      const d = aDelivery().id;
      const token = newEscalationToken();
      const key = stepKey({ kind: 'phone', index: 0 });
      const ref = { deliveryId: d, token, key };
      /** A lease taken at minute `from` that runs until minute `to`. */
      const lease = (owner: string, from: number, to = from + 1) => ({ owner, at: at(from), until: at(to) });

      it('is claimed the first time; another owner is busy until the lease ends, then takes over; done after', async () => {
        expect(await store.claimStep(ref, lease('w1', 60, 62))).toEqual({ outcome: 'claimed' });
        expect(await store.claimStep(ref, lease('w2', 61))).toEqual({ outcome: 'busy', owner: 'w1', until: at(62) });
        expect(await store.claimStep(ref, lease('w3', 63))).toEqual({ outcome: 'taken-over', previousOwner: 'w1', mayHavePosted: true });
        // The taker holds the lease now.
        expect(await store.claimStep(ref, lease('w1', 63.5))).toEqual({ outcome: 'busy', owner: 'w3', until: at(64) });
        await store.finishStep(ref, { owner: 'w3', at: at(63.8), outcome: 'done' });
        expect(await store.claimStep(ref, lease('w4', 65))).toEqual({ outcome: 'done' });
        expect(await store.claimStep(ref, lease('w4', 66))).toEqual({ outcome: 'done' });
      });

      it('lets the same owner claim again (its own retry) as a take-over', async () => {
        expect(await store.claimStep(ref, lease('w1', 60, 70))).toEqual({ outcome: 'claimed' });
        expect(await store.claimStep(ref, lease('w1', 61, 70))).toEqual({ outcome: 'taken-over', previousOwner: 'w1', mayHavePosted: true });
      });

      it('a released lease is taken over at once; only its owner can release it', async () => {
        expect(await store.claimStep(ref, lease('w1', 60, 90))).toEqual({ outcome: 'claimed' });
        await store.releaseStep(ref, 'w2', at(61));
        expect((await store.claimStep(ref, lease('w2', 61))).outcome).toBe('busy');
        await store.releaseStep(ref, 'w1', at(61));
        expect(await store.claimStep(ref, lease('w2', 61.5))).toEqual({ outcome: 'taken-over', previousOwner: 'w1', mayHavePosted: true });
      });

      it('a run released as having posted nothing lets its retry post at once; any other end leaves the retry searching', async () => {
        expect(await store.claimStep(ref, lease('w1', 60, 90))).toEqual({ outcome: 'claimed' });
        await store.releaseStep(ref, 'w1', at(61), true);
        expect(await store.claimStep(ref, lease('w2', 62, 90))).toEqual({ outcome: 'taken-over', previousOwner: 'w1', mayHavePosted: false });
        // The taker is in flight: if it stops without a word (its lease runs out), the next run must search.
        expect(await store.claimStep(ref, lease('w3', 91, 120))).toEqual({ outcome: 'taken-over', previousOwner: 'w2', mayHavePosted: true });
        // Released without saying (or saying false): searched too.
        await store.releaseStep(ref, 'w3', at(92));
        expect(await store.claimStep(ref, lease('w4', 93, 120))).toEqual({ outcome: 'taken-over', previousOwner: 'w3', mayHavePosted: true });
        await store.releaseStep(ref, 'w4', at(94), false);
        expect(await store.claimStep(ref, lease('w5', 95, 120))).toMatchObject({ mayHavePosted: true });
        // Someone else's release says nothing about this run.
        await store.releaseStep(ref, 'w1', at(96), true);
        expect(await store.claimStep(ref, lease('w6', 121, 130))).toMatchObject({ previousOwner: 'w5', mayHavePosted: true });
      });

      it('finishing twice is harmless and the step stays done, also when it gave up', async () => {
        expect(await store.claimStep(ref, lease('w1', 60))).toEqual({ outcome: 'claimed' });
        await store.finishStep(ref, { owner: 'w1', at: at(61), outcome: 'gave_up' });
        await store.finishStep(ref, { owner: 'w1', at: at(62), outcome: 'done' });
        expect(await store.claimStep(ref, lease('w2', 63))).toEqual({ outcome: 'done' });
        await store.releaseStep(ref, 'w1', at(64));
        expect(await store.claimStep(ref, lease('w2', 65))).toEqual({ outcome: 'done' });
      });

      it('finishing a step nobody claimed records it as done', async () => {
        await store.finishStep(ref, { owner: 'w1', at: at(60), outcome: 'done' });
        expect(await store.claimStep(ref, lease('w2', 61))).toEqual({ outcome: 'done' });
      });

      it('treats another token, another key or another delivery as another step', async () => {
        expect((await store.claimStep(ref, lease('w', 60, 100))).outcome).toBe('claimed');
        await store.finishStep(ref, { owner: 'w', at: at(61), outcome: 'done' });
        const rotated = newEscalationToken();
        const other = aDelivery({ memberId: 'ajha', channel: { channelId: 'C0AJHA' } }).id;
        const others = [
          { deliveryId: d, token: rotated, key },
          { deliveryId: d, token, key: stepKey({ kind: 'next-contact', index: 1 }) },
          { deliveryId: d, token, key: stepKey({ kind: 'next-contact', index: 2 }) },
          { deliveryId: other, token, key },
        ];
        for (const o of others) expect((await store.claimStep(o, lease('w', 62, 100))).outcome).toBe('claimed');
        // None of those touched the first step, nor one another.
        expect((await store.claimStep(ref, lease('x', 63))).outcome).toBe('done');
        for (const o of others) expect((await store.claimStep(o, lease('x', 63))).outcome).toBe('busy');
      });

      it('does not confuse parts that would run together if joined', async () => {
        const l = lease('w', 0);
        expect((await store.claimStep({ deliveryId: 'a|b', token: 'c', key: 'd' }, l)).outcome).toBe('claimed');
        expect((await store.claimStep({ deliveryId: 'a', token: 'b|c', key: 'd' }, l)).outcome).toBe('claimed');
        expect((await store.claimStep({ deliveryId: 'a', token: 'b', key: 'c|d' }, l)).outcome).toBe('claimed');
      });

      it('lets exactly one of ten concurrent claims win; the others are busy', async () => {
        const results = await Promise.all(Array.from({ length: 10 }, (_, i) => store.claimStep(ref, lease(`w${i}`, 0, 10))));
        expect(results.filter((r) => r.outcome === 'claimed')).toHaveLength(1);
        expect(results.filter((r) => r.outcome === 'busy')).toHaveLength(9);
      });

      it('lets exactly one of ten concurrent takers have an expired lease', async () => {
        expect((await store.claimStep(ref, lease('dead', 0, 1))).outcome).toBe('claimed');
        const results = await Promise.all(Array.from({ length: 10 }, (_, i) => store.claimStep(ref, lease(`w${i}`, 5, 10))));
        expect(results.filter((r) => r.outcome === 'taken-over')).toHaveLength(1);
        expect(results.filter((r) => r.outcome === 'busy')).toHaveLength(9);
      });

      it('settles concurrent finishes and claims of an unclaimed step on done', async () => {
        const results = await Promise.all([
          store.finishStep(ref, { owner: 'a', at: at(1), outcome: 'done' }),
          store.finishStep(ref, { owner: 'b', at: at(2), outcome: 'done' }),
          store.claimStep(ref, lease('c', 3)),
          store.finishStep(ref, { owner: 'd', at: at(4), outcome: 'done' }),
        ]);
        expect(['claimed', 'done']).toContain((results[2] as { outcome: string }).outcome);
        expect((await store.claimStep(ref, lease('e', 5))).outcome).toBe('done');
      });

      it('claims different steps concurrently, each once', async () => {
        const keys = Array.from({ length: 5 }, (_, i) => stepKey({ kind: 'next-contact', index: i + 1 }));
        const all = [...keys, ...keys];
        const results = await Promise.all(all.map((k, i) => store.claimStep({ deliveryId: d, token, key: k }, lease(`w${i}`, 0, 10))));
        for (const k of keys) {
          const mine = results.filter((_, i) => all[i] === k).map((r) => r.outcome);
          expect([...mine].sort()).toEqual(['busy', 'claimed']);
        }
      });
    });

    describe('owed work (listOwedDeliveries)', () => {
      const now = new Date(at(1));
      const first: NextStep = { kind: 'reminder', index: 0, at: at(30) };
      const ids = (page: { deliveries: Delivery[] }) => page.deliveries.map((x) => x.id);

      it('lists deliveries not yet posted, with a step owed, or a failure not yet told; in id order', async () => {
        const queued = aDelivery({ memberId: 'm1', channel: { channelId: 'C01' } });
        const posted = aDelivery({ memberId: 'm2', channel: { channelId: 'C02' } });
        const quiet = aDelivery({ memberId: 'm3', channel: { channelId: 'C03' } });
        const failed = aDelivery({ memberId: 'm4', channel: { channelId: 'C04' } });
        const acked = aDelivery({ memberId: 'm5', channel: { channelId: 'C05' } });
        await store.ensureDeliveries([queued, posted, quiet, failed, acked]);
        expect(ids(await store.listOwedDeliveries({ limit: 10 }))).toEqual([queued, posted, quiet, failed, acked].map((x) => x.id).sort());

        expect(await store.saveDelivery(step(markPosted(posted, [aMessage({ channelId: 'C02' })], now, first)))).toBe(true);
        expect(await store.saveDelivery(step(markPosted(quiet, [aMessage({ channelId: 'C03' })], now, undefined)))).toBe(true);
        const failedNow = step(markFailed(failed, { code: 'channel_not_found' }, now, undefined));
        expect(await store.saveDelivery(failedNow)).toBe(true);
        const ackedNow = step(markAcknowledged(step(markPosted(acked, [aMessage({ channelId: 'C05' })], now, first)), { actor: anActor(), at: at(2), via: 'button' }, now));
        expect(await store.saveDelivery(step(markPosted(acked, [aMessage({ channelId: 'C05' })], now, first)))).toBe(true);
        expect(await store.saveDelivery({ ...ackedNow, version: ackedNow.version })).toBe(true);

        const owed = await store.listOwedDeliveries({ limit: 10 });
        expect(ids(owed)).toEqual([queued.id, posted.id, failed.id].sort());
        expect(owed.next).toBeUndefined();
        // The failure once told is no longer owed (it has no ladder).
        expect(await store.saveDelivery(step(markFailureAlerted(failedNow, true, now)))).toBe(true);
        expect(ids(await store.listOwedDeliveries({ limit: 10 }))).toEqual([queued.id, posted.id].sort());
        // What comes back is the delivery as saved, with nothing the store added.
        const back = (await store.listOwedDeliveries({ limit: 10 })).deliveries.find((x) => x.id === posted.id);
        expect(back).toStrictEqual(await store.getDelivery(posted.id));
      });

      it('pages through owed deliveries without gaps or repeats', async () => {
        const all = Array.from({ length: 7 }, (_, i) => aDelivery({ memberId: `m${i}`, channel: { channelId: `C${i}` } }));
        await store.ensureDeliveries(all);
        const seen: string[] = [];
        let after: string | undefined;
        let pages = 0;
        do {
          const page = await store.listOwedDeliveries({ after, limit: 3 });
          expect(page.deliveries.length).toBeLessThanOrEqual(3);
          seen.push(...ids(page));
          after = page.next;
          pages += 1;
        } while (after !== undefined && pages < 10);
        expect(seen).toEqual(all.map((x) => x.id).sort());
        expect(pages).toBe(3);
      });
    });

    describe('announcements (listUnannouncedAdvisories / markAnnounced)', () => {
      it('lists a new advisory until it is announced, once', async () => {
        const a = anAdvisory();
        const b = anAdvisory({ id: 'ADV-2026-0002', requestKey: 'req-2' });
        await store.createAdvisory(a);
        await store.createAdvisory(b);
        expect((await store.listUnannouncedAdvisories()).map((x) => x.id)).toEqual([a.id, b.id]);
        expect(await store.markAnnounced(a.id, at(5), true)).toBe(true);
        expect(await store.markAnnounced(a.id, at(6), false)).toBe(false);
        expect((await store.listUnannouncedAdvisories()).map((x) => x.id)).toEqual([b.id]);
        expect((await store.getAdvisory(a.id))?.announced).toEqual({ at: at(5), ok: true });
        expect(await store.markAnnounced('ADV-2026-9999', at(5), true)).toBe(false);
        expect(await store.markAnnounced(b.id, at(7), false)).toBe(true);
        expect(await store.listUnannouncedAdvisories()).toEqual([]);
        expect((await store.getAdvisory(b.id))?.announced).toEqual({ at: at(7), ok: false });
      });
    });

    describe('ping', () => {
      it('answers while open', async () => {
        await expect(store.ping()).resolves.toBeUndefined();
      });
    });

    describe('phone tasks', () => {
      const oncall = anActor({ userId: 'U0ONCALL', name: '当番 一郎' });
      const colleague = anActor({ userId: 'U0ONCALL2', name: '当番 二郎' });
      const task = aPhoneTask();
      const hospital = aPhoneTask({ memberId: 'ajha', channel: { channelId: 'C0AJHA' }, minutes: 2 });
      const pharma = aPhoneTask({ memberId: 'zz-pharma', channel: { channelId: 'C0PHARMA' }, minutes: 1 });
      const otherAdvisory = aPhoneTask({ advisoryId: 'ADV-2026-0002', minutes: 3 });

      it('stores a task and gives back exactly what was stored', async () => {
        expect(await store.ensurePhoneTask(task)).toStrictEqual(task);
        expect(await store.getPhoneTask(task.id)).toStrictEqual(task);
        expect(await store.getPhoneTask('ADV-2026-0001.nobody.slack-C0.phone')).toBeNull();
      });

      it('is idempotent: a second ensure gets the first task back and changes nothing', async () => {
        expect(await store.ensurePhoneTask(task)).toStrictEqual(task);
        const again = { ...task, contactIndex: 2, createdAt: at(9), updatedAt: at(9) };
        expect(await store.ensurePhoneTask(again)).toStrictEqual(task);
        expect(await store.getPhoneTask(task.id)).toStrictEqual(task);
        expect(await store.listPhoneTasks(task.advisoryId)).toStrictEqual([task]);
      });

      it('returns the stored task, not the fresh one, once it has moved on', async () => {
        await store.ensurePhoneTask(task);
        const claimed = moved(claim(task, oncall, new Date(at(5))));
        expect(await store.savePhoneTask(claimed)).toBe(true);
        expect(await store.ensurePhoneTask(task)).toStrictEqual(claimed);
        expect(await store.getPhoneTask(task.id)).toStrictEqual(claimed);
      });

      it('keeps one task per delivery, whatever id a second one has', async () => {
        await store.ensurePhoneTask(task);
        const twin = { ...task, id: `${task.id}-twin` };
        expect(await store.ensurePhoneTask(twin)).toStrictEqual(task);
        expect(await store.getPhoneTask(twin.id)).toBeNull();
      });

      it('refuses a task id that another delivery’s task holds', async () => {
        await store.ensurePhoneTask(task);
        const impostor = { ...hospital, id: task.id };
        await expect(store.ensurePhoneTask(impostor)).rejects.toMatchObject({ code: 'STORE.CONFLICT' });
        expect(await store.getPhoneTask(task.id)).toStrictEqual(task);
        expect(await store.listPhoneTasks(task.advisoryId)).toStrictEqual([task]);
      });

      it('creates one task when the same delivery’s task is ensured concurrently', async () => {
        const variants = Array.from({ length: 5 }, (_, i) => ({ ...task, contactIndex: i }));
        const results = await Promise.all(variants.map((v) => store.ensurePhoneTask(v)));
        const stored = await store.getPhoneTask(task.id);
        expect(variants).toContainEqual(stored);
        for (const r of results) expect(r).toStrictEqual(stored);
        expect(await store.listPhoneTasks(task.advisoryId)).toHaveLength(1);
      });

      it('round-trips a task worked by the domain transitions', async () => {
        await store.ensurePhoneTask(task);
        let current: PhoneTask = task;
        const steps: Array<(t: PhoneTask) => TaskTransition> = [
          (t) => claim(t, oncall, new Date(at(61))),
          (t) => recordFailedCall(t, 'no_answer', oncall, 3, new Date(at(62))),
          (t) => recordFailedCall(t, 'wrong_number', oncall, 3, new Date(at(63))),
          (t) => recordReached(t, oncall, new Date(at(64))),
        ];
        for (const s of steps) {
          const next = moved(s(current));
          expect(await store.savePhoneTask(next)).toBe(true);
          expect(await store.getPhoneTask(task.id)).toStrictEqual(next);
          current = next;
        }
        expect(current).toMatchObject({ state: 'done', contactIndex: 2, resolution: { kind: 'reached' } });
        expect(current.attempts).toHaveLength(2);
      });

      it('forgets the claimer when a task is released', async () => {
        await store.ensurePhoneTask(task);
        const claimed = moved(claim(task, oncall, new Date(at(61))));
        expect(await store.savePhoneTask(claimed)).toBe(true);
        const released = moved(release(claimed, oncall, new Date(at(62))));
        expect(await store.savePhoneTask(released)).toBe(true);
        const stored = await store.getPhoneTask(task.id);
        // An undefined field is not stored at all: it comes back absent.
        expect(stored).toEqual(released);
        expect(stored?.claimedBy).toBeUndefined();
        expect(stored?.state).toBe('open');
      });

      describe('savePhoneTask (compare-and-set)', () => {
        it('refuses a write made from a stale version and leaves the stored one unchanged', async () => {
          await store.ensurePhoneTask(task);
          const winner = moved(claim(task, oncall, new Date(at(61))));
          const loser = moved(claim(task, colleague, new Date(at(61))));
          expect(await store.savePhoneTask(winner)).toBe(true);
          expect(await store.savePhoneTask(loser)).toBe(false);
          expect(await store.getPhoneTask(task.id)).toStrictEqual(winner);
          expect(await store.listOpenPhoneTasks()).toStrictEqual([winner]);
        });

        it('refuses a version that skips ahead or repeats', async () => {
          await store.ensurePhoneTask(task);
          expect(await store.savePhoneTask({ ...task, version: 2, state: 'done' })).toBe(false);
          expect(await store.savePhoneTask({ ...task, state: 'done' })).toBe(false);
          expect(await store.getPhoneTask(task.id)).toStrictEqual(task);
        });

        it('returns false for a task that does not exist, and does not create it', async () => {
          expect(await store.savePhoneTask(bumpedTask(task))).toBe(false);
          expect(await store.getPhoneTask(task.id)).toBeNull();
          expect(await store.listOpenPhoneTasks()).toEqual([]);
        });

        it('lets exactly one of two concurrent writers from the same version win', async () => {
          await store.ensurePhoneTask(task);
          const a = moved(claim(task, oncall, new Date(at(61))));
          const b = moved(claim(task, colleague, new Date(at(61))));
          const results = await Promise.all([store.savePhoneTask(a), store.savePhoneTask(b)]);
          expect(results.filter(Boolean)).toHaveLength(1);
          expect(await store.getPhoneTask(task.id)).toStrictEqual(results[0] ? a : b);
        });
      });

      describe('findPhoneTaskByMessage', () => {
        const inOncall = aMessage({ channelId: 'C0ONCALL', messageId: '1775037600.000100' });
        const inBackup = aMessage({ platform: 'teams', channelId: '19:oncall@thread.tacv2', messageId: '1775037600' });

        it('finds nothing before the task is posted', async () => {
          await store.ensurePhoneTask(task);
          expect(await store.findPhoneTaskByMessage(inOncall)).toBeNull();
        });

        it('finds the task by any of its messages', async () => {
          await store.ensurePhoneTask(task);
          await store.ensurePhoneTask(hospital);
          const posted = moved(withMessages(task, [inOncall, inBackup], new Date(at(60))));
          expect(await store.savePhoneTask(posted)).toBe(true);
          expect(await store.findPhoneTaskByMessage({ ...inOncall })).toStrictEqual(posted);
          expect(await store.findPhoneTaskByMessage({ ...inBackup })).toStrictEqual(posted);
        });

        it('does not match a ref that differs in any part', async () => {
          await store.ensurePhoneTask(task);
          expect(await store.savePhoneTask(moved(withMessages(task, [inOncall], new Date(at(60)))))).toBe(true);
          expect(await store.findPhoneTaskByMessage({ ...inOncall, messageId: '1775037600.000101' })).toBeNull();
          expect(await store.findPhoneTaskByMessage({ ...inOncall, channelId: 'C0ELSEWHERE' })).toBeNull();
          expect(await store.findPhoneTaskByMessage({ ...inOncall, platform: 'teams' })).toBeNull();
        });

        it('follows the messages as they change, and finds the latest version', async () => {
          await store.ensurePhoneTask(task);
          const replaced = aMessage({ channelId: 'C0ONCALL', messageId: 'reposted' });
          const v1 = moved(withMessages(task, [inOncall], new Date(at(60))));
          const v2 = moved(claim(v1, oncall, new Date(at(61))));
          const v3 = moved(withMessages(v2, [replaced], new Date(at(62))));
          expect(await store.savePhoneTask(v1)).toBe(true);
          expect(await store.savePhoneTask(v2)).toBe(true);
          expect(await store.findPhoneTaskByMessage(inOncall)).toStrictEqual(v2);
          expect(await store.savePhoneTask(v3)).toBe(true);
          expect(await store.findPhoneTaskByMessage(inOncall)).toBeNull();
          expect(await store.findPhoneTaskByMessage(replaced)).toStrictEqual(v3);
          const v4 = moved(withMessages(v3, [], new Date(at(63))));
          expect(await store.savePhoneTask(v4)).toBe(true);
          expect(await store.findPhoneTaskByMessage(replaced)).toBeNull();
        });

        it('keeps the refs as they were when a stale write is refused', async () => {
          await store.ensurePhoneTask(task);
          const v1 = moved(withMessages(task, [inOncall], new Date(at(60))));
          expect(await store.savePhoneTask(v1)).toBe(true);
          const stale = moved(withMessages(task, [inBackup], new Date(at(60))));
          expect(await store.savePhoneTask(stale)).toBe(false);
          expect(await store.findPhoneTaskByMessage(inBackup)).toBeNull();
          expect(await store.findPhoneTaskByMessage(inOncall)).toStrictEqual(v1);
        });

        it('finds a task whose messages were set when it was first ensured', async () => {
          const withMessage = { ...task, messages: [inOncall] };
          await store.ensurePhoneTask(withMessage);
          expect(await store.findPhoneTaskByMessage(inOncall)).toStrictEqual(withMessage);
        });

        it('tells tasks and deliveries apart: a delivery’s message is not a task’s', async () => {
          const delivery = aDelivery();
          const memberMsg = aMessage({ channelId: 'C0MEMBER', messageId: 'member-post' });
          await store.ensureDeliveries([delivery]);
          expect(await store.saveDelivery(bumped(delivery, { state: 'posted', messages: [memberMsg] }))).toBe(true);
          await store.ensurePhoneTask(task);
          expect(await store.savePhoneTask(moved(withMessages(task, [inOncall], new Date(at(60)))))).toBe(true);
          expect(await store.findPhoneTaskByMessage(memberMsg)).toBeNull();
          expect(await store.findDeliveryByMessage(inOncall)).toBeNull();
        });

        it('tells the tasks of different members apart', async () => {
          await store.ensurePhoneTask(task);
          await store.ensurePhoneTask(hospital);
          const theirMsg = aMessage({ channelId: 'C0ONCALL', messageId: 'hospital' });
          const mine = moved(withMessages(task, [inOncall], new Date(at(60))));
          const theirs = moved(withMessages(hospital, [theirMsg], new Date(at(60))));
          expect(await store.savePhoneTask(mine)).toBe(true);
          expect(await store.savePhoneTask(theirs)).toBe(true);
          expect(await store.findPhoneTaskByMessage(inOncall)).toStrictEqual(mine);
          expect(await store.findPhoneTaskByMessage(theirMsg)).toStrictEqual(theirs);
        });
      });

      describe('listing', () => {
        it('lists the open and claimed tasks, oldest first, and none that are done or cancelled', async () => {
          const late = aPhoneTask({ memberId: 'late', channel: { channelId: 'C0LATE' }, minutes: 30 });
          const done = aPhoneTask({ memberId: 'done', channel: { channelId: 'C0DONE' }, minutes: 0 });
          const cancelled = aPhoneTask({ memberId: 'cancelled', channel: { channelId: 'C0CANCELLED' }, minutes: 0 });
          for (const t of [late, otherAdvisory, done, hospital, cancelled, task, pharma]) await store.ensurePhoneTask(t);
          const claimedHospital = moved(claim(hospital, oncall, new Date(at(40))));
          expect(await store.savePhoneTask(claimedHospital)).toBe(true);
          expect(await store.savePhoneTask(moved(recordReached(done, oncall, new Date(at(41)))))).toBe(true);
          expect(await store.savePhoneTask(moved(closeAcknowledged(cancelled, new Date(at(42)))))).toBe(true);
          // Created at minute 0, 1, 2, 3 and 30; the claim does not change where a task stands.
          expect(await store.listOpenPhoneTasks()).toStrictEqual([task, pharma, claimedHospital, otherAdvisory, late]);
        });

        it('breaks a tie in creation time by task id', async () => {
          const b = aPhoneTask({ memberId: 'b', channel: { channelId: 'C0B' } });
          const a = aPhoneTask({ memberId: 'a', channel: { channelId: 'C0A' } });
          for (const t of [b, task, a]) await store.ensurePhoneTask(t);
          const expected = [a, b, task].sort((x, y) => cmp(x.id, y.id));
          expect(await store.listOpenPhoneTasks()).toStrictEqual(expected);
          expect(await store.listPhoneTasks(task.advisoryId)).toStrictEqual(expected);
        });

        it('lists nothing open when there are no tasks', async () => {
          expect(await store.listOpenPhoneTasks()).toEqual([]);
        });

        it('lists one advisory’s tasks by creation time, closed ones included', async () => {
          for (const t of [otherAdvisory, hospital, task, pharma]) await store.ensurePhoneTask(t);
          const reached = moved(recordReached(pharma, oncall, new Date(at(41))));
          expect(await store.savePhoneTask(reached)).toBe(true);
          expect(await store.listPhoneTasks('ADV-2026-0001')).toStrictEqual([task, reached, hospital]);
          expect(await store.listPhoneTasks('ADV-2026-0002')).toStrictEqual([otherAdvisory]);
          expect(await store.listPhoneTasks('ADV-2026-0404')).toEqual([]);
        });
      });
    });

    describe('conversations', () => {
      it('stores a record and gives back exactly what was stored', async () => {
        const record = aConversation();
        await store.saveConversation(record);
        const got = await store.getConversation('teams', record.conversationId);
        expect(got).toStrictEqual(record);
        // An absent optional field stays absent (not null, not undefined-valued).
        expect(got && 'teamId' in got).toBe(false);

        const inTeam = aConversation({ conversationId: '19:team-ops@thread.tacv2', teamId: '19:team@thread.tacv2' });
        await store.saveConversation(inTeam);
        expect(await store.getConversation('teams', inTeam.conversationId)).toStrictEqual(inTeam);
      });

      it('does not change the object it was given', async () => {
        const record = aConversation();
        const copy = structuredClone(record);
        await store.saveConversation(record);
        expect(record).toStrictEqual(copy);
      });

      it('replaces the record of the same conversation, keeping one', async () => {
        const first = aConversation({ teamId: '19:team@thread.tacv2' });
        await store.saveConversation(first);
        const second = aConversation({
          serviceUrl: 'https://smba.trafficmanager.net/apac/',
          removed: true,
          updatedAt: at(5),
        });
        await store.saveConversation(second);
        await store.saveConversation(second);
        // Replaced whole: the teamId the new record lacks is gone.
        expect(await store.getConversation('teams', first.conversationId)).toStrictEqual(second);
        expect(await store.latestConversationInTenant('teams', first.tenantId)).toStrictEqual(second);
      });

      it('keeps one record under concurrent saves', async () => {
        const records = Array.from({ length: 5 }, (_, i) => aConversation({ updatedAt: at(i) }));
        await Promise.all(records.map((r) => store.saveConversation(r)));
        const got = await store.getConversation('teams', records[0]!.conversationId);
        expect(records).toContainEqual(got);
      });

      it('gives null for an unknown conversation, platform or tenant', async () => {
        const record = aConversation();
        expect(await store.getConversation('teams', record.conversationId)).toBeNull();
        expect(await store.latestConversationInTenant('teams', record.tenantId)).toBeNull();
        await store.saveConversation(record);
        expect(await store.getConversation('teams', '19:unknown@thread.tacv2')).toBeNull();
        expect(await store.getConversation('slack', record.conversationId)).toBeNull();
        expect(await store.latestConversationInTenant('teams', 'tenant-unknown')).toBeNull();
        expect(await store.latestConversationInTenant('slack', record.tenantId)).toBeNull();
      });

      it('keeps the same conversation id on two platforms apart', async () => {
        const teams = aConversation({ conversationId: 'C0SAME' });
        const local = aConversation({ platform: 'local', conversationId: 'C0SAME', botId: 'local-bot' });
        await store.saveConversation(teams);
        await store.saveConversation(local);
        expect(await store.getConversation('teams', 'C0SAME')).toStrictEqual(teams);
        expect(await store.getConversation('local', 'C0SAME')).toStrictEqual(local);
      });

      it('latestConversationInTenant picks the newest of that tenant and platform', async () => {
        const older = aConversation({ conversationId: '19:a-older@thread.tacv2', updatedAt: at(1) });
        const newest = aConversation({ conversationId: '19:m-newest@thread.tacv2', updatedAt: at(3) });
        const middle = aConversation({ conversationId: '19:z-middle@thread.tacv2', updatedAt: at(2) });
        const otherTenant = aConversation({
          conversationId: '19:other-tenant@thread.tacv2',
          tenantId: 'tenant-other',
          updatedAt: at(9),
        });
        const otherPlatform = aConversation({ platform: 'local', conversationId: 'local-chan', updatedAt: at(9) });
        for (const r of [older, otherTenant, newest, otherPlatform, middle]) await store.saveConversation(r);
        expect(await store.latestConversationInTenant('teams', 'tenant-member')).toStrictEqual(newest);
        expect(await store.latestConversationInTenant('teams', 'tenant-other')).toStrictEqual(otherTenant);
        expect(await store.latestConversationInTenant('local', 'tenant-member')).toStrictEqual(otherPlatform);

        // Saving an older conversation again with a newer time makes it the latest.
        const touched = { ...older, updatedAt: at(4) };
        await store.saveConversation(touched);
        expect(await store.latestConversationInTenant('teams', 'tenant-member')).toStrictEqual(touched);
      });

      it('latestConversationInTenant counts removed conversations and breaks ties by conversation id', async () => {
        const removed = aConversation({ conversationId: '19:b@thread.tacv2', removed: true, updatedAt: at(7) });
        const tiedLater = aConversation({ conversationId: '19:c@thread.tacv2', updatedAt: at(7) });
        const older = aConversation({ conversationId: '19:a@thread.tacv2', updatedAt: at(6) });
        for (const r of [tiedLater, older, removed]) await store.saveConversation(r);
        expect(await store.latestConversationInTenant('teams', 'tenant-member')).toStrictEqual(removed);
      });
    });

    describe('audit', () => {
      it('stores an event and gives back exactly what was stored', async () => {
        const event = anEvent();
        await store.appendAudit(event);
        expect(await store.listAudit(event.advisoryId as string)).toStrictEqual([event]);
      });

      it('ignores an event whose id is already stored; the first one stays', async () => {
        const first = anEvent({ id: 'evt-dup', detail: { n: 1 } });
        await store.appendAudit(first);
        await store.appendAudit({ ...first, detail: { n: 2 }, at: at(1) });
        await store.appendAudit(first);
        expect(await store.listAudit('ADV-2026-0001')).toStrictEqual([first]);
      });

      it('ignores concurrent duplicates too', async () => {
        const event = anEvent({ id: 'evt-race' });
        await Promise.all([store.appendAudit(event), store.appendAudit(event), store.appendAudit(event)]);
        expect(await store.listAudit('ADV-2026-0001')).toStrictEqual([event]);
      });

      it('lists only the events of the advisory asked for', async () => {
        const mine = anEvent({ id: 'evt-mine' });
        const theirs = anEvent({ id: 'evt-theirs', advisoryId: 'ADV-2026-0002' });
        const none = anEvent({ id: 'evt-none', action: 'advisory.form_opened', advisoryId: undefined });
        for (const e of [mine, theirs, none]) await store.appendAudit(e);
        expect(await store.listAudit('ADV-2026-0001')).toStrictEqual([mine]);
        expect(await store.listAudit('ADV-2026-0002')).toStrictEqual([theirs]);
        expect(await store.listAudit('ADV-2026-0404')).toEqual([]);
      });

      it('orders by time, then by the order they were appended', async () => {
        const e3 = anEvent({ id: 'z-3', at: at(3), action: 'delivery.acknowledged' });
        const e1 = anEvent({ id: 'm-1', at: at(1) });
        const e2a = anEvent({ id: 'b-2a', at: at(2), action: 'delivery.posted', deliveryId: 'd1' });
        const e2b = anEvent({ id: 'a-2b', at: at(2), action: 'delivery.posted', deliveryId: 'd2' });
        for (const e of [e3, e2a, e1, e2b]) await store.appendAudit(e);
        expect(await store.listAudit('ADV-2026-0001')).toStrictEqual([e1, e2a, e2b, e3]);
      });

      it('keeps an event by the system itself (no actor)', async () => {
        const system = anEvent({ id: 'evt-system', action: 'delivery.failed' });
        delete system.actor;
        await store.appendAudit(system);
        expect(await store.listAudit('ADV-2026-0001')).toStrictEqual([system]);
      });
    });
  });
}

/** The next state of a domain transition that must change something. */
function moved(t: TaskTransition): PhoneTask {
  if (!t.changed) throw new Error(`expected a change, got ${t.reason}`);
  return t.next;
}

function step(t: { changed: true; next: Delivery } | { changed: false; reason: string }): Delivery {
  if (!t.changed) throw new Error(`expected a change, got ${t.reason}`);
  return t.next;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
