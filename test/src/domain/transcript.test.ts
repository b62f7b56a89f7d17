import { describe, expect, it } from 'vitest';
import type { Advisory, Correction } from '../../../src/domain/advisory.js';
import { buildTranscript, REDACTED, redactRed, TRANSCRIPT_SCHEMA, versionsOf, type Transcript } from '../../../src/domain/transcript.js';
import { aReply } from '../store/archive-contract.js';
import { aDelivery, anAck, anActor, anAdvisory, anEvent, aPhoneTask, at } from '../store/fixtures.js';

const CORRECTOR = anActor({ userId: 'U0SEC0002', name: '事務局 次郎' });
const LATER = anActor({ userId: 'U0SEC0003', name: '事務局 三郎' });

/** Issued as AMBER, corrected twice: first the title, then TLP:GREEN with a new body. */
function corrected(): Advisory {
  const asIssued = { title: '題名 (誤)', body: '本文 1', tlp: 'TLP:AMBER' as const, severity: 'level3' as const, category: 'vulnerability' as const };
  const second = { ...asIssued, title: '題名' };
  const corrections: Correction[] = [
    { revision: 2, at: at(10), by: CORRECTOR, note: '件名の誤り', previous: asIssued },
    { revision: 3, at: at(20), by: LATER, note: '公開範囲の変更', previous: second },
  ];
  return anAdvisory({ ...second, tlp: 'TLP:GREEN', body: '本文 2', corrections });
}

describe('versionsOf', () => {
  it('an advisory never corrected: revision 1 as issued, by whom and when, and no note', () => {
    const a = anAdvisory();
    const versions = versionsOf(a);
    expect(versions).toEqual([{ revision: 1, at: a.issuedAt, by: a.issuedBy, title: a.title, body: a.body, tlp: a.tlp, severity: a.severity, category: a.category }]);
    expect(Object.keys(versions[0]!)).not.toContain('note');
  });

  it('one version per correction, oldest first, each with the time, author and note of the correction that made it', () => {
    const a = corrected();
    const versions = versionsOf(a);
    expect(versions.map((v) => [v.revision, v.at, v.by.userId, v.title, v.body, v.tlp, v.note])).toEqual([
      [1, a.issuedAt, a.issuedBy.userId, '題名 (誤)', '本文 1', 'TLP:AMBER', undefined],
      [2, at(10), CORRECTOR.userId, '題名', '本文 1', 'TLP:AMBER', '件名の誤り'],
      [3, at(20), LATER.userId, '題名', '本文 2', 'TLP:GREEN', '公開範囲の変更'],
    ]);
    expect(Object.keys(versions[0]!)).not.toContain('note');
    // Only the advisory's content is carried, not the rest of its record.
    expect(Object.keys(versions[2]!).sort()).toEqual(['at', 'body', 'by', 'category', 'note', 'revision', 'severity', 'title', 'tlp']);
  });
});

describe('buildTranscript', () => {
  const advisory = corrected();
  const jma = aDelivery({ memberId: 'jma', channel: { channelId: 'C-jma' } });
  const jda = aDelivery({ memberId: 'jda', channel: { channelId: 'C-jda' } });
  const jdaDm = aDelivery({ memberId: 'jda', channel: { channelId: 'D-jda' } });
  const parts = {
    advisory,
    scope: 'u-scope',
    deliveries: [jma, jda, jdaDm],
    acknowledgements: [anAck({ deliveryId: jma.id })],
    phoneTasks: [aPhoneTask({ memberId: 'jda' })],
    threads: [aReply(advisory.id, jma.id, at(30))],
    audit: [anEvent(), anEvent({ id: 'evt-2', action: 'advisory.archived' })],
    head: { seq: 2, hash: 'h'.repeat(64), eventId: 'evt-2' },
    memberNames: { jma: { ja: '日本医師会', en: 'JMA' }, jda: { ja: '日本歯科医師会', en: 'JDA' } },
    at: new Date(at(90)),
  };

  it('keeps the whole record, searchable by its classification and by member', () => {
    const t = buildTranscript(parts);
    expect(t).toEqual({
      schema: TRANSCRIPT_SCHEMA,
      advisoryId: advisory.id,
      scope: 'u-scope',
      archivedAt: at(90),
      issuedAt: advisory.issuedAt,
      issuedBy: advisory.issuedBy,
      tlp: 'TLP:GREEN',
      severity: 'level3',
      category: 'vulnerability',
      source: 'nisc',
      drill: false,
      // One each, sorted, whatever order the deliveries came in.
      members: ['jda', 'jma'],
      memberNames: parts.memberNames,
      closure: undefined,
      ackDeadline: advisory.ackDeadline,
      versions: versionsOf(advisory),
      followups: [],
      deliveries: parts.deliveries,
      acknowledgements: parts.acknowledgements,
      phoneTasks: parts.phoneTasks,
      threads: parts.threads,
      audit: { events: parts.audit, head: parts.head },
    } satisfies Transcript);
    expect(TRANSCRIPT_SCHEMA).toBe(1);
    expect(t.versions).toHaveLength(3);
  });

  it('carries the follow-ups, the closure and a drill as they are', () => {
    const closure = { cause: 'command' as const, at: at(60), by: anActor(), told: { at: at(61), ok: true } };
    const followups = [{ n: 1, at: at(15), by: anActor(), body: '続報' }];
    const t = buildTranscript({ ...parts, advisory: { ...advisory, state: 'closed', closure, followups, drill: true, source: 'jpcert' }, head: null });
    expect([t.closure, t.followups, t.drill, t.source, t.audit.head]).toEqual([closure, followups, true, 'jpcert', null]);
  });
});

describe('redactRed', () => {
  const when = new Date(at(10_000));
  const red = (over: Partial<Advisory> = {}): Transcript =>
    buildTranscript({
      advisory: anAdvisory({ tlp: 'TLP:RED', state: 'closed', followups: [{ n: 1, at: at(5), by: anActor(), body: '続報の本文' }], ...over }),
      scope: 'u1',
      deliveries: [aDelivery()],
      acknowledgements: [anAck()],
      phoneTasks: [],
      threads: [{ ...aReply('ADV-2026-0001', aDelivery().id, at(30)), deleted: { at: at(40), recordedAt: at(41) } }],
      audit: [anEvent()],
      head: null,
      memberNames: { jma: { ja: '日本医師会', en: 'JMA' } },
      at: new Date(at(90)),
    });

  it('removes every text of a TLP:RED advisory and keeps who, when and how', () => {
    const t = red();
    const r = redactRed(t, when);
    expect(r.versions.map((v) => [v.revision, v.title, v.body])).toEqual([[1, t.versions[0]!.title, REDACTED]]);
    expect(r.followups).toEqual([{ ...t.followups[0]!, body: REDACTED }]);
    const [m] = r.threads;
    expect(m).toEqual({ ...t.threads[0]!, text: REDACTED, edits: [{ ...t.threads[0]!.edits[0]!, text: REDACTED }] });
    expect(m?.deleted).toEqual({ at: at(40), recordedAt: at(41) });
    expect(r.redacted).toEqual({ at: when.toISOString() });
    // What stands in for a text says why it is gone.
    expect(REDACTED).toContain('TLP:RED');
    // The rest of the record stays as it was.
    const { versions: _v, followups: _f, threads: _t, redacted: _r, ...rest } = r;
    const { versions: _v2, followups: _f2, threads: _t2, ...before } = t;
    expect(rest).toEqual(before);
    // The record given is not changed.
    expect(t.versions[0]!.body).not.toBe(REDACTED);
    expect(t.redacted).toBeUndefined();
  });

  it('also when only an earlier version was TLP:RED (corrected to a wider level since)', () => {
    const asIssued = { title: '題名', body: '赤の本文', tlp: 'TLP:RED' as const, severity: 'level3' as const, category: 'vulnerability' as const };
    const t = red({ tlp: 'TLP:AMBER', body: '琥珀の本文', corrections: [{ revision: 2, at: at(3), by: anActor(), note: '範囲', previous: asIssued }] });
    const r = redactRed(t, when);
    expect(r.versions.map((v) => [v.tlp, v.body])).toEqual([
      ['TLP:RED', REDACTED],
      ['TLP:AMBER', REDACTED],
    ]);
    expect(r.redacted).toEqual({ at: when.toISOString() });
  });

  it('also when the advisory is TLP:RED now but every version says otherwise (the record as stored)', () => {
    const t = red({ tlp: 'TLP:AMBER' });
    const r = redactRed({ ...t, tlp: 'TLP:RED' }, when);
    expect(r.versions.map((v) => v.body)).toEqual([REDACTED]);
  });

  it('leaves an advisory that never was TLP:RED as it is', () => {
    for (const tlp of ['TLP:AMBER+STRICT', 'TLP:AMBER', 'TLP:GREEN', 'TLP:CLEAR'] as const) {
      const t = red({ tlp });
      const r = redactRed(t, when);
      expect(r).toBe(t);
      expect([r.redacted, r.versions[0]!.body, r.threads[0]!.text]).toEqual([undefined, t.versions[0]!.body, '最初の返信']);
    }
  });
});
