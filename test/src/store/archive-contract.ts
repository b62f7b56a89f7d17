import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildTranscript, redactRed, REDACTED, type Transcript } from '../../../src/domain/transcript.js';
import type { Store } from '../../../src/ports/store.js';
import type { ThreadMessage } from '../../../src/domain/thread-message.js';
import { aDelivery, anActor, anAdvisory, anEvent, at, T0 } from './fixtures.js';

/** A member's reply in the thread of a copy, edited once. */
export function aReply(advisoryId: string, deliveryId: string, at: string): ThreadMessage {
  return {
    platform: 'slack',
    channelId: 'C-jma',
    messageId: '1775034100.000200',
    rootId: '1775034000.000100',
    deliveryId,
    advisoryId,
    memberId: 'jma',
    author: anActor({ userId: 'U0JMA00001', name: '佐藤' }),
    text: '最初の返信',
    at,
    recordedAt: at,
    from: 'message',
    edits: [{ id: 'e1', at, text: '返信です', recordedAt: at }],
    version: 2,
  };
}

/** A transcript as archiving builds it: `members` get a delivery each. */
export function aTranscript(over: { id: string; issuedAt: string; members?: string[]; tlp?: Transcript['tlp']; severity?: Transcript['severity']; category?: Transcript['category']; drill?: boolean }): Transcript {
  const advisory = anAdvisory({
    id: over.id,
    requestKey: `rk-${over.id}`,
    issuedAt: over.issuedAt,
    tlp: over.tlp ?? 'TLP:AMBER',
    severity: over.severity ?? 'level3',
    category: over.category ?? 'vulnerability',
    drill: over.drill ?? false,
    state: 'closed',
    closure: { cause: 'command', at: over.issuedAt, by: anActor() },
    followups: [{ n: 1, at: over.issuedAt, by: anActor(), body: '続報の本文' }],
  });
  const deliveries = (over.members ?? ['jma']).map((m) => aDelivery({ advisoryId: over.id, memberId: m, channel: { channelId: `C-${m}` } }));
  return buildTranscript({
    advisory,
    scope: `u-${over.id}`,
    deliveries,
    acknowledgements: [],
    phoneTasks: [],
    threads: [aReply(over.id, deliveries[0]!.id, over.issuedAt)],
    audit: [anEvent({ advisoryId: over.id })],
    head: { seq: 1, hash: 'h'.repeat(64), eventId: anEvent().id },
    memberNames: Object.fromEntries((over.members ?? ['jma']).map((m) => [m, { ja: `${m} 会`, en: `${m} association` }])),
    at: new Date(Date.parse(over.issuedAt) + 3_600_000),
  });
}

/** The archive in a store: transcripts kept whole, searched, redacted and deleted by their issue time. */
export function archiveContract(name: string, open: () => Promise<Store>): void {
  describe(`Store contract, archive: ${name}`, () => {
    let store: Store;

    beforeEach(async () => {
      store = await open();
    });

    afterEach(async () => {
      await store.close();
    });

    it('keeps a transcript whole and replaces it when the advisory is archived again', async () => {
      const t = aTranscript({ id: 'ADV-2026-0001', issuedAt: at(0), members: ['jma', 'jda'] });
      await store.saveTranscript(t);
      expect(await store.getTranscript(t.advisoryId)).toEqual(t);
      const again = { ...t, archivedAt: at(500), members: ['jma'] };
      await store.saveTranscript(again);
      expect(await store.getTranscript(t.advisoryId)).toEqual(again);
      // The member index follows the replacement.
      expect((await store.searchTranscripts({ memberId: 'jda', limit: 10 })).transcripts).toEqual([]);
      expect(await store.getTranscript('ADV-2026-0099')).toBeNull();
    });

    it('searches by issue time, member, TLP, severity, category and drill, newest first', async () => {
      const ts = [
        aTranscript({ id: 'ADV-2026-0001', issuedAt: at(0), members: ['jma'], tlp: 'TLP:RED' }),
        aTranscript({ id: 'ADV-2026-0002', issuedAt: at(10), members: ['jma', 'jda'], severity: 'level4' }),
        aTranscript({ id: 'ADV-2026-0003', issuedAt: at(20), members: ['jda'], category: 'incident', drill: true }),
        aTranscript({ id: 'ADV-2026-0004', issuedAt: at(30), members: ['jpa'] }),
      ];
      for (const t of ts) await store.saveTranscript(t);
      const ids = async (q: Parameters<Store['searchTranscripts']>[0]) => (await store.searchTranscripts(q)).transcripts.map((s) => s.advisoryId);
      expect(await ids({ limit: 10 })).toEqual(['ADV-2026-0004', 'ADV-2026-0003', 'ADV-2026-0002', 'ADV-2026-0001']);
      expect(await ids({ since: at(10), until: at(30), limit: 10 })).toEqual(['ADV-2026-0003', 'ADV-2026-0002']);
      expect(await ids({ memberId: 'jma', limit: 10 })).toEqual(['ADV-2026-0002', 'ADV-2026-0001']);
      expect(await ids({ memberId: 'jda', drill: false, limit: 10 })).toEqual(['ADV-2026-0002']);
      expect(await ids({ tlp: 'TLP:RED', limit: 10 })).toEqual(['ADV-2026-0001']);
      expect(await ids({ severity: 'level4', limit: 10 })).toEqual(['ADV-2026-0002']);
      expect(await ids({ category: 'incident', limit: 10 })).toEqual(['ADV-2026-0003']);
      expect(await ids({ drill: true, limit: 10 })).toEqual(['ADV-2026-0003']);
      const [line] = (await store.searchTranscripts({ tlp: 'TLP:RED', limit: 1 })).transcripts;
      expect(line).toEqual({
        advisoryId: 'ADV-2026-0001',
        issuedAt: at(0),
        archivedAt: at(60),
        title: anAdvisory().title,
        tlp: 'TLP:RED',
        severity: 'level3',
        category: 'vulnerability',
        drill: false,
        members: 1,
        cause: 'command',
        redacted: false,
      });
    });

    it('pages through results, also across transcripts issued at the same instant', async () => {
      for (let i = 1; i <= 5; i++) await store.saveTranscript(aTranscript({ id: `ADV-2026-000${i}`, issuedAt: i <= 3 ? at(0) : at(i) }));
      const seen: string[] = [];
      let after: string | undefined;
      let pages = 0;
      do {
        const page = await store.searchTranscripts({ limit: 2, after });
        seen.push(...page.transcripts.map((t) => t.advisoryId));
        after = page.next;
        pages += 1;
      } while (after !== undefined);
      expect(seen).toEqual(['ADV-2026-0005', 'ADV-2026-0004', 'ADV-2026-0003', 'ADV-2026-0002', 'ADV-2026-0001']);
      expect(pages).toBe(3);
    });

    it('redacts the TLP:RED texts of transcripts issued before the cutoff, once, and only those', async () => {
      const oldRed = aTranscript({ id: 'ADV-2026-0001', issuedAt: at(0), tlp: 'TLP:RED' });
      const newRed = aTranscript({ id: 'ADV-2026-0002', issuedAt: at(100), tlp: 'TLP:RED' });
      const oldAmber = aTranscript({ id: 'ADV-2026-0003', issuedAt: at(0) });
      for (const t of [oldRed, newRed, oldAmber]) await store.saveTranscript(t);
      const when = new Date(T0.getTime() + 86_400_000);
      expect(await store.redactTranscripts(at(50), (t) => redactRed(t, when))).toEqual(['ADV-2026-0001']);
      const red = (await store.getTranscript(oldRed.advisoryId))!;
      expect(red.versions.map((v) => v.body)).toEqual([REDACTED]);
      expect(red.followups.map((f) => f.body)).toEqual([REDACTED]);
      expect(red.threads.map((m) => [m.text, m.edits.map((e) => [e.id, e.text])])).toEqual([[REDACTED, [['e1', REDACTED]]]]);
      expect(red.threads[0]?.author).toEqual(oldRed.threads[0]?.author);
      expect(red.redacted).toEqual({ at: when.toISOString() });
      // Who and when stay.
      expect(red.deliveries).toEqual(oldRed.deliveries);
      expect(red.audit).toEqual(oldRed.audit);
      expect(await store.getTranscript(oldAmber.advisoryId)).toEqual(oldAmber);
      expect(await store.getTranscript(newRed.advisoryId)).toEqual(newRed);
      // Done once.
      expect(await store.redactTranscripts(at(50), (t) => redactRed(t, when))).toEqual([]);
      expect((await store.searchTranscripts({ tlp: 'TLP:RED', limit: 5 })).transcripts.map((s) => [s.advisoryId, s.redacted])).toEqual([
        ['ADV-2026-0002', false],
        ['ADV-2026-0001', true],
      ]);
    });

    it('deletes the transcripts of advisories issued before a time', async () => {
      await store.saveTranscript(aTranscript({ id: 'ADV-2026-0001', issuedAt: at(0), members: ['jma'] }));
      await store.saveTranscript(aTranscript({ id: 'ADV-2026-0002', issuedAt: at(10), members: ['jma'] }));
      expect(await store.deleteTranscripts(at(5))).toBe(1);
      expect(await store.getTranscript('ADV-2026-0001')).toBeNull();
      expect((await store.searchTranscripts({ memberId: 'jma', limit: 5 })).transcripts.map((s) => s.advisoryId)).toEqual(['ADV-2026-0002']);
    });

    it('refuses a transcript of a newer shape rather than misread it', async () => {
      await store.saveTranscript({ ...aTranscript({ id: 'ADV-2026-0001', issuedAt: at(0) }), schema: 99 as 1 });
      await expect(store.getTranscript('ADV-2026-0001')).rejects.toThrow(/newer release/);
    });
  });
}
