import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Delivery } from '../../../src/domain/delivery.js';
import type { Store } from '../../../src/ports/store.js';
import { aDelivery, aMessage, anAck, anActor, anAdvisory, anEvent, at, bumped } from './fixtures.js';

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

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
