import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { coreFixture, SECRETARIAT, type CoreFixture } from '../../support/core-fixture.js';
import { advisoryMessage, issueAndPost, JMA_STAFF, minutes } from './helpers.js';

let f: CoreFixture;

beforeEach(async () => {
  f = await coreFixture();
});

afterEach(async () => {
  await f.close();
});

/** Close the advisory and run what its end owes (syncs, the summary), but not the archiving itself. */
async function endIt(advisoryId: string): Promise<void> {
  await f.core.closeAdvisory({ actor: SECRETARIAT, advisoryId });
  await f.core.syncAdvisory(advisoryId);
  for (const w of f.jobs.of('sync')) await f.core.syncDelivery(w.deliveryId);
  await f.core.tellClosing(advisoryId);
  await f.core.syncAdvisory(advisoryId);
}

describe('archiving an ended advisory', () => {
  it('writes one transcript: every version, the follow-ups, who acknowledged how, and the audit trail to its head', async () => {
    const { advisory, deliveries } = await issueAndPost(f, ['jma', 'jda']);
    f.clock.set(minutes(2));
    await f.core.correctAdvisory({ actor: SECRETARIAT, advisoryId: advisory.id, input: { title: '訂正後', note: '件名の誤り' } });
    await f.core.postFollowUp({ actor: SECRETARIAT, advisoryId: advisory.id, input: { body: '続報です' } });
    f.clock.set(minutes(5));
    await f.core.acknowledgeFromMessage({ actor: JMA_STAFF, message: advisoryMessage(f, deliveries[0]!.channel.channelId) });
    f.clock.set(minutes(30));
    await endIt(advisory.id);
    expect(f.jobs.of('archive').map((w) => [w.advisoryId, w.attempt])).toEqual([[advisory.id, 0]]);

    expect(await f.core.archiveAdvisory(advisory.id)).toBe('archived');
    const t = (await f.store.getTranscript(advisory.id))!;
    expect(t.versions.map((v) => [v.revision, v.title, v.note])).toEqual([
      [1, advisory.title, undefined],
      [2, '訂正後', '件名の誤り'],
    ]);
    expect(t.followups.map((x) => x.body)).toEqual(['続報です']);
    expect(t.members).toEqual(['jda', 'jma']);
    expect(t.acknowledgements.map((a) => [a.memberId, a.actor.userId, a.via])).toEqual([['jma', JMA_STAFF.userId, 'button']]);
    expect(t.deliveries.map((d) => d.state).sort()).toEqual(['acknowledged', 'posted']);
    expect(t.closure).toMatchObject({ cause: 'command', by: SECRETARIAT });
    // The audit trail to the last link, which is the archiving itself.
    const head = await f.store.auditChainHead(advisory.id);
    expect(t.audit.head).toEqual(head);
    expect(t.audit.events.map((e) => e.action)).toEqual(expect.arrayContaining(['advisory.issued', 'advisory.corrected', 'advisory.followed_up', 'delivery.acknowledged', 'advisory.closed', 'advisory.archived']));
    expect((await f.store.getAdvisory(advisory.id))?.archived).toEqual({ at: minutes(30), auditSeq: head!.seq });
    // Once.
    expect(await f.core.archiveAdvisory(advisory.id)).toBe('not-due');
  });

  it('is not due while the advisory is open, nor before the secretariat has its summary', async () => {
    const { advisory } = await issueAndPost(f);
    expect(await f.core.archiveAdvisory(advisory.id)).toBe('not-due');
    await f.core.closeAdvisory({ actor: SECRETARIAT, advisoryId: advisory.id });
    expect(await f.core.archiveAdvisory(advisory.id)).toBe('not-due');
    expect(await f.store.getTranscript(advisory.id)).toBeNull();
  });

  it('that gives up is counted, and the next reconciler pass tries again with a job of its own', async () => {
    const { advisory } = await issueAndPost(f);
    await endIt(advisory.id);
    await f.core.giveUp({ kind: 'archive', scope: 'x', advisoryId: advisory.id, attempt: 0 }, 'disk full');
    expect((await f.store.getAdvisory(advisory.id))?.archiveFailures).toBe(1);
    expect(f.lines.some((l) => l.level === 'error' && l.msg?.includes('could not be archived'))).toBe(true);
    f.jobs.ensured.length = 0;
    await f.core.reconcile();
    expect(f.jobs.of('archive').map((w) => w.attempt)).toEqual([1]);
    expect(await f.core.archiveAdvisory(advisory.id)).toBe('archived');
  });
});
