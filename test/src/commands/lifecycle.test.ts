import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Advisory } from '../../../src/domain/advisory.js';
import { isBotError } from '../../../src/errors.js';
import { ChatError, type OutboundView } from '../../../src/ports/chat.js';
import type { Work } from '../../../src/ports/jobs.js';
import type { AdvisoryView, NoticeView } from '../../../src/view/views.js';
import { coreFixture, SECRETARIAT, type CoreFixture } from '../../support/core-fixture.js';
import { advisoryMessage, issueAndPost, JMA_STAFF, minutes, OUTSIDER, untilClaimed, boardShown, drainLifecycle } from './helpers.js';

let f: CoreFixture;

beforeEach(async () => {
  f = await coreFixture();
});

afterEach(async () => {
  await f.close();
});

const drain = (): Promise<Work[]> => drainLifecycle(f);

async function refusal(p: Promise<unknown>): Promise<{ code: string; detail: Record<string, unknown> }> {
  try {
    await p;
  } catch (err) {
    if (isBotError(err)) return { code: err.code, detail: err.detail };
    throw err;
  }
  throw new Error('expected a refusal');
}

const advisoryUpdates = (channelId: string): AdvisoryView[] =>
  f.chat.updates.filter((u) => u.ref.channelId === channelId && u.message.kind === 'advisory').map((u) => (u.message as Extract<OutboundView, { kind: 'advisory' }>).view);

const secretariatNotices = (): NoticeView[] =>
  f.chat.posts.filter((p) => p.message.kind === 'notice').map((p) => (p.message as Extract<OutboundView, { kind: 'notice' }>).view);

const stored = async (id: string): Promise<Advisory> => (await f.store.getAdvisory(id))!;

describe('withdrawal (取り下げ)', () => {
  it('replaces every copy with the withdrawal notice, stops every ladder and tells the secretariat with a summary', async () => {
    const { advisory, deliveries } = await issueAndPost(f, ['jma', 'jda']);
    f.clock.set(minutes(5));
    const r = await f.core.withdrawAdvisory({ actor: SECRETARIAT, advisoryId: advisory.id, input: { reason: '  対象製品の誤り ' } });
    expect(r.changed).toBe(true);
    expect(r.advisory.state).toBe('closed');
    expect(r.advisory.closure).toEqual({ cause: 'withdrawn', at: minutes(5), by: SECRETARIAT, reason: '対象製品の誤り' });
    expect(f.jobs.ensured.map((w) => w.kind).sort()).toEqual(['closing', 'sync-advisory']);

    await drain();
    for (const d of deliveries) {
      const views = advisoryUpdates(d.channel.channelId);
      expect(views).toHaveLength(1);
      expect(views[0]?.withdrawn).toEqual({ at: minutes(5), reason: '対象製品の誤り' });
      const after = (await f.store.getDelivery(d.id))!;
      expect(after.nextStep).toBeUndefined();
      expect(after.escalationToken).not.toBe(d.escalationToken);
      expect(after.syncedRev).toBe(r.advisory.syncRev);
    }
    // A step job scheduled before the withdrawal finds nothing to do.
    const d0 = deliveries[0]!;
    expect(await f.core.runEscalationStep({ deliveryId: d0.id, token: d0.escalationToken, kind: d0.nextStep!.kind, index: d0.nextStep!.index })).toBe('stale');
    const notice = secretariatNotices().find((n) => n.kind === 'advisory_closed');
    expect(notice?.kind === 'advisory_closed' && notice.summary).toMatchObject({ cause: 'withdrawn', reason: '対象製品の誤り', targeted: 2, never: 2, byButton: 0, closedBy: SECRETARIAT.name });
    expect((await stored(advisory.id)).closure?.told).toEqual({ at: minutes(5), ok: true });
    // Every copy synced, the secretariat told: the transcript went to the archive, and nothing more is owed.
    const ended = await stored(advisory.id);
    expect(ended.syncing).toBeUndefined();
    expect(ended.archived?.auditSeq).toBeGreaterThan(0);
    const transcript = (await f.store.getTranscript(advisory.id))!;
    expect(transcript.closure).toMatchObject({ cause: 'withdrawn', reason: '対象製品の誤り' });
    expect(transcript.audit.head?.seq).toBe(ended.archived?.auditSeq);
    expect(transcript.audit.events.at(-1)?.action).toBe('advisory.archived');
    expect(await f.store.listAdvisoriesOwingWork()).toEqual([]);
    await f.core.reconcile();
    // (The "issued" notice the fixture never posted is the only thing left.)
    expect(f.jobs.ensured.map((w) => w.kind)).toEqual(['announce']);
    expect(f.audit.map((e) => e.action)).toEqual(expect.arrayContaining(['advisory.withdrawn', 'delivery.synced', 'advisory.summary_told']));
  });

  it('is for the secretariat only, refused and audited for anyone else', async () => {
    const { advisory } = await issueAndPost(f);
    const r = await refusal(f.core.withdrawAdvisory({ actor: OUTSIDER, advisoryId: advisory.id, input: { reason: 'x' } }));
    expect(r.code).toBe('AUTH.NOT_SECRETARIAT');
    expect(f.audit.at(-1)).toMatchObject({ action: 'advisory.refused', actor: OUTSIDER, detail: { attempted: 'advisory.withdrawn' } });
    expect((await stored(advisory.id)).state).toBe('open');
  });

  it('needs a reason, and a blank one is refused with the field named', async () => {
    const { advisory } = await issueAndPost(f);
    const r = await refusal(f.core.withdrawAdvisory({ actor: SECRETARIAT, advisoryId: advisory.id, input: { reason: ' \n ' } }));
    expect(r.code).toBe('ADVISORY.INVALID');
    expect(r.detail['fields']).toEqual([{ field: 'reason', message: { ja: '取り下げの理由を入力してください。', en: 'Enter the reason for withdrawal.' } }]);
    expect((await stored(advisory.id)).state).toBe('open');
  });

  it('twice changes nothing; a follow-up or correction afterwards is refused as withdrawn', async () => {
    const { advisory } = await issueAndPost(f);
    await f.core.withdrawAdvisory({ actor: SECRETARIAT, advisoryId: advisory.id, input: { reason: '誤報' } });
    const version = (await stored(advisory.id)).version;
    const again = await f.core.withdrawAdvisory({ actor: SECRETARIAT, advisoryId: advisory.id, input: { reason: '誤報' } });
    expect(again.changed).toBe(false);
    expect((await stored(advisory.id)).version).toBe(version);
    expect((await refusal(f.core.postFollowUp({ actor: SECRETARIAT, advisoryId: advisory.id, input: { body: '続報' } }))).code).toBe('ADVISORY.WITHDRAWN');
    expect((await refusal(f.core.correctAdvisory({ actor: SECRETARIAT, advisoryId: advisory.id, input: { title: '新', note: 'n' } }))).code).toBe('ADVISORY.WITHDRAWN');
  });

  it('cancels a copy not yet posted: it never goes out and the summary counts it', async () => {
    const { advisory, deliveries } = await f.core.issueAdvisory({ actor: SECRETARIAT, requestKey: 'q1', input: { ...(await import('../../support/core-fixture.js')).ISSUE_INPUT } });
    await f.core.withdrawAdvisory({ actor: SECRETARIAT, advisoryId: advisory.id, input: { reason: '誤報' } });
    expect(await f.core.deliver(deliveries[0]!.id)).toEqual({ outcome: 'cancelled' });
    expect(f.chat.in(deliveries[0]!.channel.channelId)).toEqual([]);
    expect((await f.store.getDelivery(deliveries[0]!.id))?.state).toBe('cancelled');
    f.jobs.ensured.length = 0;
    await f.core.reconcile();
    await drain();
    expect(f.chat.posts.filter((p) => p.message.kind === 'advisory')).toEqual([]);
    const notice = secretariatNotices().find((n) => n.kind === 'advisory_closed');
    expect(notice?.kind === 'advisory_closed' && notice.summary).toMatchObject({ targeted: 2, cancelled: 2, never: 0 });
  });

  it('cancels a claimed phone task: its claimer\'s copy says so, and the board says the advisory ended', async () => {
    const { advisory, deliveries } = await issueAndPost(f);
    const { task, message } = await untilClaimed(f, deliveries[0]!.id);
    f.jobs.ensured.length = 0;
    await f.core.withdrawAdvisory({ actor: SECRETARIAT, advisoryId: advisory.id, input: { reason: '誤報' } });
    await drain();
    const after = (await f.store.getPhoneTask(task.id))!;
    expect(after.state).toBe('cancelled');
    expect(after.resolution?.kind).toBe('advisory_withdrawn');
    const shown = f.chat.updates.filter((u) => u.ref.messageId === message.messageId).at(-1);
    expect(shown?.message.kind === 'phone_task' && shown.message.view.state).toBe('cancelled');
    expect(f.audit.filter((e) => e.action === 'phone.cancelled').map((e) => e.detail['why'])).toEqual(['advisory_withdrawn']);
    expect(boardShown(f, advisory.id)).toMatchObject({ closed: true, rows: [{ taskId: task.id, state: 'cancelled' }], counts: { claimed: 0, cancelled: 1 } });
  });
});

describe('correction (訂正)', () => {
  it('edits every posted copy in place, saying what changed, and keeps the earlier text in the record', async () => {
    const { advisory, deliveries } = await issueAndPost(f, ['jma', 'jda']);
    f.clock.set(minutes(3));
    const r = await f.core.correctAdvisory({ actor: SECRETARIAT, advisoryId: advisory.id, input: { title: 'VPN 装置（型番訂正）の脆弱性', note: '型番を訂正' } });
    expect(r.advisory.title).toBe('VPN 装置（型番訂正）の脆弱性');
    expect(r.advisory.corrections).toEqual([
      { revision: 2, at: minutes(3), by: SECRETARIAT, note: '型番を訂正', previous: { title: advisory.title, body: advisory.body, tlp: advisory.tlp, severity: advisory.severity, category: advisory.category } },
    ]);
    await drain();
    for (const d of deliveries) {
      const [view] = advisoryUpdates(d.channel.channelId);
      expect(view).toMatchObject({ title: 'VPN 装置（型番訂正）の脆弱性', revision: 2, corrections: [{ revision: 2, at: minutes(3), note: '型番を訂正' }] });
      expect(view?.removed).toBeUndefined();
      // Still open: the ladder goes on.
      expect((await f.store.getDelivery(d.id))?.nextStep).toEqual(d.nextStep);
    }
    expect(f.audit.find((e) => e.action === 'advisory.corrected')?.detail).toMatchObject({ revision: 2, changed: ['title'] });
  });

  it('that changes nothing is refused', async () => {
    const { advisory } = await issueAndPost(f);
    const r = await refusal(f.core.correctAdvisory({ actor: SECRETARIAT, advisoryId: advisory.id, input: { title: advisory.title, note: '同じ' } }));
    expect(r.code).toBe('ADVISORY.INVALID');
    expect((await stored(advisory.id)).corrections).toBeUndefined();
  });

  it('to TLP:RED removes the channel copies, which then say only that they were removed', async () => {
    const { advisory, deliveries } = await issueAndPost(f);
    await f.core.correctAdvisory({ actor: SECRETARIAT, advisoryId: advisory.id, input: { tlp: 'TLP:RED', note: '共有範囲を限定' } });
    await drain();
    const [view] = advisoryUpdates(deliveries[0]!.channel.channelId);
    expect(view?.removed).toEqual({ tlp: 'TLP:RED' });
  });

  it('racing an acknowledgement keeps both: the copy shows the correction and who acknowledged', async () => {
    // Two members, so the acknowledgement does not close the advisory.
    const { advisory, deliveries } = await issueAndPost(f, ['jma', 'jda']);
    const d = deliveries[0]!;
    await f.core.correctAdvisory({ actor: SECRETARIAT, advisoryId: advisory.id, input: { body: '更新版を適用してください。', note: '手順を訂正' } });
    const { raceNext } = await import('../../support/core-fixture.js');
    const race = raceNext(f.store, 'saveDelivery');
    await Promise.all([
      f.core.syncDelivery(d.id),
      f.core.acknowledgeFromMessage({ actor: JMA_STAFF, message: advisoryMessage(f, d.channel.channelId) }),
    ]);
    await race.arrived;
    const after = (await f.store.getDelivery(d.id))!;
    expect(after.state).toBe('acknowledged');
    expect(after.syncedRev).toBe((await stored(advisory.id)).syncRev);
    await drain();
    const last = advisoryUpdates(d.channel.channelId).at(-1);
    expect(last).toMatchObject({ body: '更新版を適用してください。', revision: 2, acknowledged: { by: JMA_STAFF.name } });
  });
});

describe('follow-up (続報)', () => {
  it('is posted in the thread of every copy, once however often the sync runs', async () => {
    const { advisory, deliveries } = await issueAndPost(f, ['jma', 'jda']);
    await f.core.postFollowUp({ actor: SECRETARIAT, advisoryId: advisory.id, input: { body: '修正版が公開されました。' } });
    await drain();
    for (const d of deliveries) await f.core.syncDelivery(d.id);
    for (const d of deliveries) {
      const replies = f.chat.in(d.channel.channelId, 'followup');
      expect(replies).toHaveLength(1);
      expect(replies[0]?.target.threadOf).toEqual(advisoryMessage(f, d.channel.channelId));
      expect(replies[0]?.message.kind === 'followup' && replies[0].message.view).toMatchObject({ n: 1, body: '修正版が公開されました。', audience: 'channel' });
      expect((await f.store.getDelivery(d.id))?.followups).toEqual([{ n: 1, messages: [replies[0]!.ref] }]);
      // The copy itself did not change: a follow-up goes in the thread only.
      expect(advisoryUpdates(d.channel.channelId)).toEqual([]);
    }
  });

  it('waits for a copy not yet posted, and follows it once it is', async () => {
    const { ISSUE_INPUT } = await import('../../support/core-fixture.js');
    const { advisory, deliveries } = await f.core.issueAdvisory({ actor: SECRETARIAT, requestKey: 'q2', input: { ...ISSUE_INPUT, targets: { allMembers: false, observers: false, groups: [], members: ['jma'] } } });
    await f.core.postFollowUp({ actor: SECRETARIAT, advisoryId: advisory.id, input: { body: '続報です' } });
    const d = deliveries[0]!;
    expect(await f.core.syncDelivery(d.id)).toBe('waiting');
    expect(await f.core.syncAdvisory(advisory.id)).toBe(1);
    expect((await stored(advisory.id)).syncing).toBe(true);
    f.jobs.ensured.length = 0;
    await f.core.deliver(d.id);
    // Posting it queued its sync from the record.
    expect(f.jobs.of('sync').map((w) => w.deliveryId)).toEqual([d.id]);
    await drain();
    expect(f.chat.in(d.channel.channelId, 'followup')).toHaveLength(1);
    expect(await f.core.syncAdvisory(advisory.id)).toBe(0);
    expect((await stored(advisory.id)).syncing).toBeUndefined();
  });

  it('goes into each TLP:RED direct message', async () => {
    const { advisory, deliveries } = await issueAndPost(f, ['jma'], { tlp: 'TLP:RED' });
    await f.core.postFollowUp({ actor: SECRETARIAT, advisoryId: advisory.id, input: { body: '続報' } });
    await drain();
    const d = (await f.store.getDelivery(deliveries[0]!.id))!;
    expect(d.messages.length).toBeGreaterThan(0);
    const replies = f.chat.posts.filter((p) => p.message.kind === 'followup');
    expect(replies.map((p) => p.target.threadOf)).toEqual(d.messages);
    expect(replies.every((p) => p.message.kind === 'followup' && p.message.view.audience === 'direct')).toBe(true);
  });

  it('needs a body', async () => {
    const { advisory } = await issueAndPost(f);
    expect((await refusal(f.core.postFollowUp({ actor: SECRETARIAT, advisoryId: advisory.id, input: { body: '   ' } }))).detail['fields']).toMatchObject([{ field: 'body' }]);
  });
});

describe('closing', () => {
  it('by the secretariat stops the remaining ladders and posts a summary counted member by member', async () => {
    const { advisory, deliveries } = await issueAndPost(f, ['jma', 'jda']);
    f.clock.set(minutes(10));
    await f.core.acknowledgeFromMessage({ actor: JMA_STAFF, message: advisoryMessage(f, deliveries[0]!.channel.channelId) });
    f.clock.set(minutes(20));
    const r = await f.core.closeAdvisory({ actor: SECRETARIAT, advisoryId: advisory.id });
    expect(r.advisory.closure).toEqual({ cause: 'command', at: minutes(20), by: SECRETARIAT });
    await drain();
    const silent = (await f.store.getDelivery(deliveries[1]!.id))!;
    expect(silent.nextStep).toBeUndefined();
    const notice = secretariatNotices().find((n) => n.kind === 'advisory_closed');
    expect(notice?.kind === 'advisory_closed' && notice.summary).toEqual({
      advisoryId: advisory.id,
      title: advisory.title,
      tlp: advisory.tlp,
      severity: advisory.severity,
      drill: false,
      cause: 'command',
      closedAt: minutes(20),
      closedBy: SECRETARIAT.name,
      reason: undefined,
      issuedAt: advisory.issuedAt,
      targeted: 2,
      byButton: 1,
      byPhone: 0,
      never: 1,
      failed: 0,
      cancelled: 0,
      lastAckAt: minutes(10),
      failures: [],
      moreFailures: 0,
      auditHead: { seq: expect.any(Number), hash: expect.stringMatching(/^[0-9a-f]{64}$/) },
    });
    // The head the summary carries into the chat anchors the chain: verification against it passes, and
    // fails against any other hash.
    const anchor = notice?.kind === 'advisory_closed' ? notice.summary.auditHead! : { seq: 0, hash: '' };
    const { verifyAudit } = await import('../../../src/commands/verify-audit.js');
    expect((await verifyAudit(f.store, { chains: [advisory.id], anchors: new Map([[advisory.id, [anchor]]]) })).ok).toBe(true);
    expect((await verifyAudit(f.store, { chains: [advisory.id], anchors: new Map([[advisory.id, [{ ...anchor, hash: '0'.repeat(64) }]]]) })).ok).toBe(false);
    // Closing again changes nothing; a late acknowledgement is still recorded, with no ladder.
    expect((await f.core.closeAdvisory({ actor: SECRETARIAT, advisoryId: advisory.id })).changed).toBe(false);
    const late = await f.core.acknowledgeFromMessage({ actor: JMA_STAFF, message: advisoryMessage(f, deliveries[1]!.channel.channelId) });
    expect(late.outcome).toBe('acknowledged');
  });

  it('happens by itself when the last member acknowledges', async () => {
    const { advisory, deliveries } = await issueAndPost(f, ['jma', 'jda']);
    await f.core.acknowledgeFromMessage({ actor: JMA_STAFF, message: advisoryMessage(f, deliveries[0]!.channel.channelId) });
    expect((await stored(advisory.id)).state).toBe('open');
    await f.core.acknowledgeFromMessage({ actor: JMA_STAFF, message: advisoryMessage(f, deliveries[1]!.channel.channelId) });
    const after = await stored(advisory.id);
    expect(after.closure).toMatchObject({ cause: 'all_acknowledged' });
    expect(after.closure?.by).toBeUndefined();
    expect(f.jobs.of('closing').map((w) => w.advisoryId)).toEqual([advisory.id]);
    expect(f.audit.filter((e) => e.action === 'advisory.closed').map((e) => [e.actor, e.detail])).toEqual([[undefined, { cause: 'all_acknowledged' }]]);
  });

  it('happens by itself when its time runs out, at the reconciler pass after it', async () => {
    const { advisory } = await issueAndPost(f);
    // level3: deadline 60 min, alert 120 min after; closing after 72 h.
    f.clock.set(new Date(Date.parse(advisory.ackDeadline) + 72 * 3600_000 - 1000).toISOString());
    await f.core.reconcile();
    expect((await stored(advisory.id)).state).toBe('open');
    f.clock.set(new Date(Date.parse(advisory.ackDeadline) + 72 * 3600_000).toISOString());
    await f.core.reconcile();
    expect((await stored(advisory.id)).closure?.cause).toBe('expired');
  });

  it('when the summary cannot be posted after every attempt, the record stops owing it and the log says so', async () => {
    const { advisory } = await issueAndPost(f);
    await f.core.closeAdvisory({ actor: SECRETARIAT, advisoryId: advisory.id });
    await f.core.giveUp({ kind: 'closing', scope: 'x', advisoryId: advisory.id, closing: 1 }, 'http_503');
    expect((await stored(advisory.id)).closure?.told).toMatchObject({ ok: false });
    expect(f.lines.filter((l) => l.level === 'error').map((l) => l.msg)).toContain('closing summary could not be posted after every attempt');
  });
});

describe('a copy that cannot be brought up to date', () => {
  it('tells the secretariat which member, and the record stops owing the sync', async () => {
    const { advisory, deliveries } = await issueAndPost(f);
    const d = deliveries[0]!;
    await f.core.withdrawAdvisory({ actor: SECRETARIAT, advisoryId: advisory.id, input: { reason: '誤報' } });
    f.chat.update = async () => {
      throw new ChatError('permanent', 'message_not_found', { reason: 'message_gone' });
    };
    await expect(f.core.syncDelivery(d.id)).rejects.toThrow(ChatError);
    expect((await f.store.getDelivery(d.id))?.syncedRev ?? 0).toBe(0);
    await f.core.giveUp({ kind: 'sync', scope: 'x', deliveryId: d.id, rev: 1 }, 'message_gone');
    expect((await f.store.getDelivery(d.id))?.syncedRev).toBe((await stored(advisory.id)).syncRev);
    expect(secretariatNotices().filter((n) => n.kind === 'sync_failed')).toMatchObject([{ advisoryId: advisory.id, reason: 'message_gone' }]);
    expect(f.audit.filter((e) => e.action === 'delivery.sync_failed')).toHaveLength(1);
    // Said once.
    await f.core.giveUp({ kind: 'sync', scope: 'x', deliveryId: d.id, rev: 1 }, 'message_gone');
    expect(secretariatNotices().filter((n) => n.kind === 'sync_failed')).toHaveLength(1);
  });
});

describe('reminders', () => {
  it('already posted are updated when the member acknowledges: no stale request, no mention', async () => {
    const { deliveries } = await issueAndPost(f);
    const d = deliveries[0]!;
    f.clock.set(d.nextStep!.at);
    expect(d.nextStep?.kind).toBe('reminder');
    await f.core.runEscalationStep({ deliveryId: d.id, token: d.escalationToken, kind: 'reminder', index: 0 });
    const reminder = f.chat.in(d.channel.channelId, 'reminder')[0]!;
    expect((await f.store.getDelivery(d.id))?.reminders).toEqual([reminder.ref]);
    await f.core.acknowledgeFromMessage({ actor: JMA_STAFF, message: advisoryMessage(f, d.channel.channelId) });
    await drain();
    const updated = f.chat.updates.find((u) => u.ref.messageId === reminder.ref.messageId);
    expect(updated?.message.kind === 'reminder' && updated.message.view).toMatchObject({ acknowledged: { by: JMA_STAFF.name }, mention: [] });
  });
});

describe('the reconciler', () => {
  it('queues the sync of every delivery behind a changed advisory whose jobs were lost, and the closing summary', async () => {
    const { advisory, deliveries } = await issueAndPost(f, ['jma', 'jda']);
    await f.core.withdrawAdvisory({ actor: SECRETARIAT, advisoryId: advisory.id, input: { reason: '誤報' } });
    // Redis lost everything.
    f.jobs.ensured.length = 0;
    await f.core.reconcile();
    // (The same work may be asked for twice in a pass: its job id makes it one job.)
    expect([...new Set(f.jobs.of('sync').map((w) => w.deliveryId))].sort()).toEqual(deliveries.map((d) => d.id).sort());
    expect(f.jobs.of('closing').map((w) => w.advisoryId)).toEqual([advisory.id]);
    // No step of the closed advisory is queued again.
    expect(f.jobs.of('step')).toEqual([]);
  });
});
