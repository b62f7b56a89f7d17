import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { transcriptOf, sourcesOf } from '../../../src/commands/archive.js';
import { advisoryScope } from '../../../src/domain/advisory.js';
import { isBotError } from '../../../src/errors.js';
import { coreFixture, SECRETARIAT, type CoreFixture } from '../../support/core-fixture.js';
import { advisoryMessage, issueAndPost, JMA_STAFF, minutes, untilPhoneTask } from './helpers.js';

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
    await f.core.giveUp({ kind: 'archive', scope: 'x', advisoryId: advisory.id, attempt: 0, closing: 1 }, 'disk full');
    expect((await f.store.getAdvisory(advisory.id))?.archiveFailures).toBe(1);
    expect(f.lines.some((l) => l.level === 'error' && l.msg?.includes('could not be archived'))).toBe(true);
    f.jobs.ensured.length = 0;
    await f.core.reconcile();
    expect(f.jobs.of('archive').map((w) => w.attempt)).toEqual([1]);
    expect(await f.core.archiveAdvisory(advisory.id)).toBe('archived');
  });
});

describe('a sector-sized advisory', () => {
  it('of 1,800 members is archived and exported whole: one CSV row per member, the acknowledgements where they were', async () => {
    const { DirectoryFile } = await import('../../../src/directory/schema.js');
    const { largeDirectory } = await import('../../support/large-directory.js');
    const big = await coreFixture({ directory: DirectoryFile.parse(largeDirectory(1_800)) });
    try {
      const { advisory, deliveries } = await big.core.issueAdvisory({
        actor: SECRETARIAT,
        requestKey: 'sector-1',
        input: { title: '全自治体への注意喚起', body: '本文', source: 'nisc', tlp: 'TLP:GREEN', severity: 'level2', category: 'notice', targets: { allMembers: true, observers: false, groups: [], members: [] } },
      });
      expect(deliveries).toHaveLength(1_800);
      for (const d of deliveries) await big.core.deliver(d.id);
      // Every tenth member acknowledges.
      for (const d of deliveries.filter((_, i) => i % 10 === 0)) {
        const post = big.chat.in(d.channel.channelId, 'advisory')[0]!;
        await big.core.acknowledgeFromMessage({ actor: { platform: 'slack', userId: `U-${d.memberId}`, name: d.memberId }, message: post.ref });
      }
      await big.core.closeAdvisory({ actor: SECRETARIAT, advisoryId: advisory.id });
      await big.core.syncAdvisory(advisory.id);
      for (const w of big.jobs.of('sync')) await big.core.syncDelivery(w.deliveryId);
      await big.core.tellClosing(advisory.id);
      await big.core.syncAdvisory(advisory.id);
      expect(await big.core.archiveAdvisory(advisory.id)).toBe('archived');

      const link = await big.core.exportLink({ actor: SECRETARIAT, advisoryId: advisory.id, format: 'csv' });
      const file = await big.core.redeemExportLink(link.path.replace('/export/', ''));
      expect(file.archived).toBe(true);
      const rows = file.body.slice(1).split('\r\n').filter((l) => l.startsWith(`${advisory.id},`));
      expect(rows).toHaveLength(1_800);
      expect(rows.filter((r) => r.includes(',acknowledged,'))).toHaveLength(180);
      expect(rows[0]).toContain(',lg-0001,横浜市,slack,C0LG0001,acknowledged,');
      const summary = big.chat.posts.map((p) => p.message).find((m) => m.kind === 'notice' && m.view.kind === 'advisory_closed');
      expect(summary?.kind === 'notice' && summary.view.kind === 'advisory_closed' && summary.view.summary).toMatchObject({ targeted: 1_800, byButton: 180, never: 1_620 });
    } finally {
      await big.close();
    }
  });
});

describe('archiving, in detail', () => {
  const JDA_STAFF = { platform: 'slack' as const, userId: 'U0JDA00001', name: '歯科 太郎' };

  it('appends its own audit event first, so the transcript ends with it and its head is that event', async () => {
    const { advisory } = await issueAndPost(f);
    f.clock.set(minutes(40));
    await endIt(advisory.id);
    f.clock.set(minutes(45));
    expect(await f.core.archiveAdvisory(advisory.id)).toBe('archived');
    const event = f.audit.find((e) => e.action === 'advisory.archived');
    expect(event).toEqual({ id: `${advisory.id}.archived.${advisoryScope(advisory)}`, at: minutes(45), action: 'advisory.archived', advisoryId: advisory.id, detail: {} });
    const t = (await f.store.getTranscript(advisory.id))!;
    expect(t.archivedAt).toBe(minutes(45));
    expect(t.audit.events.at(-1)?.id).toBe(event!.id);
    expect(t.audit.head?.eventId).toBe(event!.id);
    expect((await f.store.getAdvisory(advisory.id))?.archived).toEqual({ at: minutes(45), auditSeq: t.audit.head!.seq });
    expect(f.lines.filter((l) => l.msg === 'advisory archived').map((l) => l.obj)).toEqual([{ advisoryId: advisory.id, deliveries: 1, auditSeq: t.audit.head!.seq }]);
  });

  it('of an advisory that does not exist is refused, naming it', async () => {
    const failure = await f.core.archiveAdvisory('ADV-2026-0999').then(
      () => undefined,
      (err: unknown) => (isBotError(err) ? [err.code, err.detail] : err),
    );
    expect(failure).toEqual(['ADVISORY.NOT_FOUND', { advisoryId: 'ADV-2026-0999' }]);
  });

  it('is not due while the copies are still being brought in step after closing', async () => {
    const { advisory } = await issueAndPost(f);
    await f.core.closeAdvisory({ actor: SECRETARIAT, advisoryId: advisory.id });
    await f.core.tellClosing(advisory.id);
    expect((await f.store.getAdvisory(advisory.id))?.syncing).toBe(true);
    expect(await f.core.archiveAdvisory(advisory.id)).toBe('not-due');
    expect(f.audit.filter((e) => e.action === 'advisory.archived')).toEqual([]);
  });

  it('gathers every member: their names as the directory has them, the acknowledgements of each delivery, the phone tasks and the threads', async () => {
    const { advisory, deliveries } = await issueAndPost(f, ['jma', 'jda']);
    const [jma, jda] = deliveries;
    await f.core.acknowledgeFromMessage({ actor: JMA_STAFF, message: advisoryMessage(f, jma!.channel.channelId) });
    const copy = advisoryMessage(f, jda!.channel.channelId);
    await f.core.recordThreadMessage({ kind: 'posted', message: { ...copy, messageId: 'reply-1' }, root: copy, author: JDA_STAFF, text: '確認中', at: minutes(3) });
    const { task } = await untilPhoneTask(f, jda!.id);
    await f.core.acknowledgeFromMessage({ actor: JDA_STAFF, message: copy });

    const t = await transcriptOf(sourcesOf(f.deps), (await f.store.getAdvisory(advisory.id))!);
    expect(t.scope).toBe(advisoryScope(advisory));
    expect(t.members).toEqual(['jda', 'jma']);
    expect(t.memberNames).toEqual({ jma: f.deps.directory.memberName('jma'), jda: f.deps.directory.memberName('jda') });
    expect(t.memberNames['jma']?.ja).not.toBe('jma');
    expect(t.acknowledgements.map((a) => [a.memberId, a.actor.userId]).sort()).toEqual([
      ['jda', JDA_STAFF.userId],
      ['jma', JMA_STAFF.userId],
    ]);
    expect(t.phoneTasks.map((p) => [p.id, p.memberId])).toEqual([[task.id, 'jda']]);
    expect(t.threads.map((m) => [m.messageId, m.memberId, m.text])).toEqual([['reply-1', 'jda', '確認中']]);
    expect(t.audit.events).toEqual(await f.store.listAudit(advisory.id));
    expect(t.audit.head).toEqual(await f.store.auditChainHead(advisory.id));
    expect(t.archivedAt).toBe(f.clock.now().toISOString());
  });

  it('that gives up after it was archived changes nothing and says nothing; each give-up before is counted and said', async () => {
    const { advisory } = await issueAndPost(f);
    await endIt(advisory.id);
    const work = f.jobs.of('archive')[0]!;
    await f.core.giveUp(work, 'disk full');
    await f.core.giveUp({ ...work, attempt: 1 }, 'still full');
    const errors = () => f.lines.filter((l) => l.level === 'error' && l.msg === 'the transcript could not be archived after every attempt; the reconciler tries again');
    expect(errors().map((l) => l.obj)).toEqual([
      { advisoryId: advisory.id, reason: 'disk full', failures: 1 },
      { advisoryId: advisory.id, reason: 'still full', failures: 2 },
    ]);
    expect(await f.core.archiveAdvisory(advisory.id)).toBe('archived');
    const archived = await f.store.getAdvisory(advisory.id);
    await f.core.giveUp({ ...work, attempt: 2 }, 'late');
    expect(await f.store.getAdvisory(advisory.id)).toEqual(archived);
    expect(errors()).toHaveLength(2);
  });
});
