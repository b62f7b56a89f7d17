import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../../src/domain/audit.js';
import {
  genesisHash,
  linkHash,
  nextLink,
  NO_ADVISORY_CHAIN,
  normaliseEvent,
  type ChainPosition,
  type ChainTip,
} from '../../../src/domain/audit-chain.js';
import { verifyAudit } from '../../../src/commands/verify-audit.js';
import type { AuditLog } from '../../../src/ports/audit-log.js';
import { anEvent, at } from './fixtures.js';

/**
 * Writing around the store, as someone with access to the database would: each store's test gives
 * the raw operations on its own tables or collections.
 */
export interface AuditTamper {
  /** Replace the event's content; its link stays as it was. */
  editEvent(id: string, edit: (event: AuditEvent) => AuditEvent): Promise<void>;
  /** Change fields of the event's link. */
  editLink(id: string, link: Partial<Omit<ChainPosition, 'chain'>>): Promise<void>;
  deleteEvent(id: string): Promise<void>;
  /** Store an event directly: with a link, or (undefined) without one. */
  insertRaw(event: AuditEvent, link: ChainPosition | undefined): Promise<void>;
  /** Set or (null) delete a chain's head record. */
  setHead(chain: string, tip: ChainTip | null): Promise<void>;
}

/** A store, or just its audit log, that can be closed. */
export type AuditStore = AuditLog & { close(): Promise<void> };

/** Two store instances on the same fresh data (two processes), and a way to write around them. */
export interface AuditFixture {
  a: AuditStore;
  b: AuditStore;
  tamper: AuditTamper;
  close: () => Promise<void>;
}

const CHAIN = 'ADV-2026-0001';

/** Acknowledgements of one advisory, as the acknowledge command writes them. */
const ack = (i: number, overrides: Partial<AuditEvent> = {}): AuditEvent =>
  anEvent({
    id: `d-${String(i).padStart(4, '0')}.acknowledged`,
    at: at(i),
    action: 'delivery.acknowledged',
    deliveryId: `d-${i}`,
    detail: { via: 'button' },
    ...overrides,
  });

/**
 * The audit log as hash chains (src/ports/audit-log.ts): what a store must keep, and that what
 * someone changes around it shows. Run by the SQLite store tests always and by the MongoDB ones
 * when MONGODB_URI is set.
 */
export function auditChainContract(name: string, open: () => Promise<AuditFixture>): void {
  describe(`Audit chain contract: ${name}`, () => {
    let fx: AuditFixture;
    let store: AuditStore;

    beforeEach(async () => {
      fx = await open();
      store = fx.a;
    });

    afterEach(async () => {
      await fx.close();
    });

    const appendAll = async (events: AuditEvent[], on: AuditStore = store) => {
      for (const e of events) await on.appendAudit(e);
    };
    const verify = (chains: string[] = [CHAIN]) => verifyAudit(store, { chains });
    const firstProblem = async (chains: string[] = [CHAIN]) => {
      const v = await verify(chains);
      expect(v.ok).toBe(false);
      return v.firstProblem;
    };

    it('links every event to the one before it, in the order appended, and keeps the event as given', async () => {
      const events = [ack(3), ack(1), ack(2)];
      await appendAll(events);
      const chain = await store.readAuditChain(CHAIN);
      expect(chain.links.map((l) => l.seq)).toEqual([1, 2, 3]);
      expect(chain.links.map((l) => l.event)).toStrictEqual(events);
      expect(chain.links[0]!.prev).toBe(genesisHash(CHAIN));
      expect(chain.links[1]!.prev).toBe(chain.links[0]!.hash);
      expect(chain.links[2]!.hash).toBe(linkHash(CHAIN, 3, chain.links[1]!.hash, events[2]!));
      expect(chain.head).toStrictEqual({ seq: 3, hash: chain.links[2]!.hash, eventId: events[2]!.id });
      expect(chain.unchained).toEqual([]);
      expect(await store.auditChainHead(CHAIN)).toStrictEqual(chain.head);
      expect(await verify()).toMatchObject({ ok: true, firstProblem: undefined });
      // listAudit still orders by time.
      expect(await store.listAudit(CHAIN)).toStrictEqual([ack(1), ack(2), ack(3)]);
    });

    it('keeps a chain per advisory and one for the events of no advisory, and lists them all', async () => {
      const refusal = anEvent({ id: 'evt-refused', action: 'advisory.refused', advisoryId: undefined });
      const other = anEvent({ id: 'evt-other', advisoryId: 'ADV-2026-0002' });
      await appendAll([ack(1), refusal, other, ack(2)]);
      expect(await store.listAuditChains()).toEqual([NO_ADVISORY_CHAIN, CHAIN, 'ADV-2026-0002'].sort());
      expect((await store.readAuditChain(CHAIN)).links.map((l) => [l.seq, l.event.id])).toEqual([
        [1, ack(1).id],
        [2, ack(2).id],
      ]);
      const none = await store.readAuditChain(NO_ADVISORY_CHAIN);
      expect(none.links.map((l) => [l.seq, l.event])).toStrictEqual([[1, normaliseEvent(refusal)]]);
      expect((await verifyAudit(store)).ok).toBe(true);
      expect((await verifyAudit(store)).chains.map((c) => [c.chain, c.links])).toEqual([
        ['(none)', 1],
        ['ADV-2026-0001', 2],
        ['ADV-2026-0002', 1],
      ]);
      expect(await store.auditChainHead('ADV-2026-0404')).toBeNull();
    });

    it('hashes an event with an undefined field as the store gives it back (absent)', async () => {
      const event = { ...ack(1), actor: undefined };
      await store.appendAudit(event);
      const [link] = (await store.readAuditChain(CHAIN)).links;
      expect(link!.event).not.toHaveProperty('actor');
      expect((await verify()).ok).toBe(true);
    });

    it('gives an event appended again no new place', async () => {
      await appendAll([ack(1), ack(2), ack(1), { ...ack(2), detail: { via: 'phone' } }, ack(3)]);
      expect((await store.readAuditChain(CHAIN)).links.map((l) => l.event.id)).toEqual([ack(1).id, ack(2).id, ack(3).id]);
      expect((await store.readAuditChain(CHAIN)).links[1]!.event).toStrictEqual(ack(2));
    });

    it('detects an edited event and names it', async () => {
      await appendAll([1, 2, 3, 4].map((i) => ack(i)));
      await fx.tamper.editEvent(ack(2).id, (e) => ({ ...e, at: at(30), detail: { via: 'phone' } }));
      expect(await firstProblem()).toMatchObject({ kind: 'edited', chain: CHAIN, seq: 2, eventId: ack(2).id });
    });

    it('detects an edited event whose hash was recomputed: the next link names it', async () => {
      await appendAll([1, 2, 3].map((i) => ack(i)));
      const [, second] = (await store.readAuditChain(CHAIN)).links;
      const forged = normaliseEvent({ ...ack(2), actor: { platform: 'slack', userId: 'U0FORGER' } });
      await fx.tamper.editEvent(ack(2).id, () => forged);
      await fx.tamper.editLink(ack(2).id, { hash: linkHash(CHAIN, 2, second!.prev, forged) });
      expect(await firstProblem()).toMatchObject({ kind: 'broken-prev', seq: 2, eventId: ack(2).id });
    });

    it('detects a deleted event in the middle', async () => {
      await appendAll([1, 2, 3, 4].map((i) => ack(i)));
      await fx.tamper.deleteEvent(ack(2).id);
      expect(await firstProblem()).toMatchObject({ kind: 'missing', seq: 2, toSeq: 2, eventId: ack(3).id });
    });

    it('detects an inserted event and names it', async () => {
      await appendAll([1, 2, 3].map((i) => ack(i)));
      const before = await store.readAuditChain(CHAIN);
      // Make room at place 2 (from the end, so no two share a place) and put a forged event there,
      // correctly linked to place 1; the head is moved along.
      for (const l of [...before.links].reverse().slice(0, 2)) await fx.tamper.editLink(l.event.id, { seq: l.seq + 1 });
      const forged = normaliseEvent(ack(99, { id: 'evt-forged', at: at(1) }));
      const link = nextLink(CHAIN, { seq: 1, hash: before.links[0]!.hash }, forged);
      await fx.tamper.insertRaw(forged, { chain: CHAIN, seq: link.seq, prev: link.prev, hash: link.hash });
      await fx.tamper.setHead(CHAIN, { ...before.head!, seq: 4 });
      expect(await firstProblem()).toMatchObject({ kind: 'inserted', seq: 2, toSeq: 2, eventId: 'evt-forged' });
    });

    it('detects an event stored without a link', async () => {
      await appendAll([ack(1)]);
      await fx.tamper.insertRaw(normaliseEvent(ack(2, { id: 'evt-sneaked' })), undefined);
      expect(await store.listAudit(CHAIN)).toHaveLength(2);
      expect(await firstProblem()).toMatchObject({ kind: 'unchained', eventId: 'evt-sneaked' });
      // Also when it is the only trace of its advisory: verifying everything finds it.
      await fx.tamper.insertRaw(normaliseEvent(ack(3, { id: 'evt-ghost', advisoryId: 'ADV-2026-0999' })), undefined);
      expect(await store.listAuditChains()).toContain('ADV-2026-0999');
      const all = await verifyAudit(store);
      expect(all.chains.find((c) => c.chain === 'ADV-2026-0999')?.problems).toMatchObject([{ kind: 'unchained', eventId: 'evt-ghost' }]);
      // Asked for by name: it has a trace (the unlinked event), which is reported.
      expect(await verifyAudit(store, { chains: ['ADV-2026-0999'] })).toMatchObject({ notFound: [], firstProblem: { kind: 'unchained', eventId: 'evt-ghost' } });
    });

    it('detects an event of no advisory stored without a link, also when it is that chain’s only trace', async () => {
      await fx.tamper.insertRaw(normaliseEvent(anEvent({ id: 'evt-loose', action: 'advisory.refused', advisoryId: undefined })), undefined);
      expect(await store.listAuditChains()).toEqual([NO_ADVISORY_CHAIN]);
      expect((await store.readAuditChain(NO_ADVISORY_CHAIN)).unchained.map((e) => e.id)).toEqual(['evt-loose']);
      expect((await verifyAudit(store)).firstProblem).toMatchObject({ kind: 'unchained', chain: NO_ADVISORY_CHAIN, eventId: 'evt-loose' });
    });

    it('says when an advisory asked for by name has no trace at all, and checks only what it was asked', async () => {
      await appendAll([ack(1)]);
      const v = await verifyAudit(store, { chains: ['ADV-2026-0404', CHAIN, CHAIN] });
      expect(v).toMatchObject({ ok: false, notFound: ['ADV-2026-0404'], firstProblem: undefined });
      expect(v.chains.map((c) => c.chain)).toEqual([CHAIN]);
      // Every chain: only those the store knows, and no advisory is "not found".
      expect(await verifyAudit(store)).toMatchObject({ ok: true, notFound: [] });
      expect((await verifyAudit(store, { chains: [] })).chains.map((c) => c.chain)).toEqual([CHAIN]);
      // A chain whose events were all deleted still has its head: not "no trace" but a deletion.
      await fx.tamper.deleteEvent(ack(1).id);
      const gone = await verifyAudit(store, { chains: [CHAIN] });
      expect(gone).toMatchObject({ ok: false, notFound: [], firstProblem: { kind: 'tail-missing' } });
    });

    it('detects the deletion of the last events through the head record', async () => {
      await appendAll([1, 2, 3, 4].map((i) => ack(i)));
      await fx.tamper.deleteEvent(ack(4).id);
      await fx.tamper.deleteEvent(ack(3).id);
      expect(await firstProblem()).toMatchObject({ kind: 'tail-missing', seq: 3, toSeq: 4, eventId: ack(4).id });
      // The next append goes on after the head, so the gap stays visible.
      await store.appendAudit(ack(5));
      expect(await firstProblem()).toMatchObject({ kind: 'missing', seq: 3, toSeq: 4, eventId: ack(5).id });
      expect((await store.readAuditChain(CHAIN)).links.map((l) => l.seq)).toEqual([1, 2, 5]);
    });

    it('detects the deletion of every event of a chain whose head remains', async () => {
      await appendAll([1, 2].map((i) => ack(i)));
      await fx.tamper.deleteEvent(ack(1).id);
      await fx.tamper.deleteEvent(ack(2).id);
      expect(await store.listAuditChains()).toContain(CHAIN);
      expect(await firstProblem()).toMatchObject({ kind: 'tail-missing', seq: 1, toSeq: 2, eventId: ack(2).id });
    });

    it('reports a deleted head record, and the next append puts one back after the last link', async () => {
      await appendAll([1, 2].map((i) => ack(i)));
      await fx.tamper.setHead(CHAIN, null);
      expect(await firstProblem()).toMatchObject({ kind: 'no-head', seq: 2, eventId: ack(2).id });
      await store.appendAudit(ack(3));
      expect(await verify()).toMatchObject({ ok: true });
      expect((await store.readAuditChain(CHAIN)).head).toMatchObject({ seq: 3, eventId: ack(3).id });
    });

    it('checks a chain against an outside anchor: a rewrite that fooled the head record shows', async () => {
      await appendAll([1, 2, 3].map((i) => ack(i)));
      const anchor = await store.auditChainHead(CHAIN);
      expect(anchor?.seq).toBe(3);
      const anchors = new Map([[CHAIN, [{ seq: anchor!.seq, hash: anchor!.hash }]]]);
      expect((await verifyAudit(store, { chains: [CHAIN], anchors })).ok).toBe(true);

      // Rewrite place 2 and everything after it, head included: the chain alone verifies.
      const { links } = await store.readAuditChain(CHAIN);
      let tip = { seq: 1, hash: links[0]!.hash };
      for (const l of links.slice(1)) {
        const event = l.seq === 2 ? normaliseEvent({ ...l.event, detail: { via: 'phone' } }) : l.event;
        const relinked = nextLink(CHAIN, tip, event);
        await fx.tamper.editEvent(l.event.id, () => event);
        await fx.tamper.editLink(l.event.id, { prev: relinked.prev, hash: relinked.hash });
        tip = { seq: relinked.seq, hash: relinked.hash };
      }
      await fx.tamper.setHead(CHAIN, { seq: 3, hash: tip.hash, eventId: ack(3).id });
      expect((await verify()).ok).toBe(true);
      const anchored = await verifyAudit(store, { chains: [CHAIN], anchors });
      expect(anchored.firstProblem).toMatchObject({ kind: 'anchor-mismatch', seq: 3, eventId: ack(3).id, expected: anchor!.hash });
    });

    it('stores the same event appended concurrently on two instances once', async () => {
      const event = ack(1);
      await Promise.all([fx.a.appendAudit(event), fx.b.appendAudit(event), fx.a.appendAudit(event), fx.b.appendAudit(event)]);
      const chain = await store.readAuditChain(CHAIN);
      expect(chain.links.map((l) => [l.seq, l.event])).toStrictEqual([[1, event]]);
      expect((await verify()).ok).toBe(true);
    });

    it('chains concurrent appends of different events on two instances without a fork, and each repeat once', async () => {
      const events = Array.from({ length: 40 }, (_, i) => ack(i + 1));
      // Every event twice, from both instances, all at once: an acknowledgement burst with retries.
      await Promise.all(events.flatMap((e, i) => [(i % 2 === 0 ? fx.a : fx.b).appendAudit(e), (i % 2 === 0 ? fx.b : fx.a).appendAudit(e)]));
      const chain = await fx.b.readAuditChain(CHAIN);
      expect(chain.links.map((l) => l.seq)).toEqual(events.map((_, i) => i + 1));
      expect(chain.links.map((l) => l.event.id).sort()).toEqual(events.map((e) => e.id).sort());
      expect(chain.head).toMatchObject({ seq: 40 });
      const v = await verify();
      expect(v.firstProblem).toBeUndefined();
      expect(v.chains[0]).toMatchObject({ ok: true, links: 40, unanchored: 0 });
    });

    it('a write that fails leaves no place taken', async () => {
      await appendAll([ack(1)]);
      await fx.a.close();
      await expect(fx.a.appendAudit(ack(2))).rejects.toBeDefined();
      await fx.b.appendAudit(ack(3));
      expect((await fx.b.readAuditChain(CHAIN)).links.map((l) => [l.seq, l.event.id])).toEqual([
        [1, ack(1).id],
        [2, ack(3).id],
      ]);
      expect((await verifyAudit(fx.b, { chains: [CHAIN] })).ok).toBe(true);
    });
  });
}
