import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isBotError } from '../../../src/errors.js';
import { ChatError, type OutboundView } from '../../../src/ports/chat.js';
import type { ClosingSummaryView } from '../../../src/view/views.js';
import { coreFixture, exampleDirectoryFile, ONCALL, SECRETARIAT, type CoreFixture } from '../../support/core-fixture.js';
import { advisoryMessage, issueAndPost, JMA_STAFF, minutes, OUTSIDER, reachedChoice, claimTask, untilPhoneTask } from './helpers.js';

/** What Stryker found no test for in the lifecycle: the forms, the summary's counts, the sync's edge cases. */

let f: CoreFixture;
beforeEach(async () => {
  f = await coreFixture();
});
afterEach(async () => {
  await f.close();
});

const codeOf = async (p: Promise<unknown>) => p.then(() => 'ok', (err: unknown) => (isBotError(err) ? err.code : String(err)));
const fieldsOf = async (p: Promise<unknown>) => p.then(() => [], (err: unknown) => (isBotError(err) ? (err.detail['fields'] as unknown[]) : []));

function summaryPosted(): ClosingSummaryView | undefined {
  const m = f.chat.posts.map((p) => p.message).find((x): x is Extract<OutboundView, { kind: 'notice' }> => x.kind === 'notice' && x.view.kind === 'advisory_closed');
  return m?.view.kind === 'advisory_closed' ? m.view.summary : undefined;
}

async function runSyncs(): Promise<void> {
  for (const w of f.jobs.ensured.splice(0)) {
    if (w.kind === 'sync') await f.core.syncDelivery(w.deliveryId);
    if (w.kind === 'sync-advisory') await f.core.syncAdvisory(w.advisoryId);
  }
}

describe('the lifecycle forms', () => {
  it('show the advisory as it is now, to the secretariat only', async () => {
    const { advisory } = await issueAndPost(f);
    expect(await f.core.lifecycleForm(SECRETARIAT, advisory.id)).toEqual({
      advisoryId: advisory.id,
      title: advisory.title,
      body: advisory.body,
      tlp: advisory.tlp,
      severity: advisory.severity,
      category: advisory.category,
      state: 'open',
      withdrawn: false,
      revision: 1,
      followups: 0,
    });
    await f.core.correctAdvisory({ actor: SECRETARIAT, advisoryId: advisory.id, input: { title: '新', note: 'n' } });
    await f.core.postFollowUp({ actor: SECRETARIAT, advisoryId: advisory.id, input: { body: 'a' } });
    await f.core.postFollowUp({ actor: SECRETARIAT, advisoryId: advisory.id, input: { body: 'b' } });
    await f.core.withdrawAdvisory({ actor: SECRETARIAT, advisoryId: advisory.id, input: { reason: 'r' } });
    expect(await f.core.lifecycleForm(SECRETARIAT, advisory.id)).toMatchObject({ title: '新', state: 'closed', withdrawn: true, revision: 2, followups: 2 });
    expect(await codeOf(f.core.lifecycleForm(OUTSIDER, advisory.id))).toBe('AUTH.NOT_SECRETARIAT');
    expect(f.audit.at(-1)).toMatchObject({ action: 'advisory.refused', detail: { attempted: 'advisory.lifecycle_form' } });
    expect(await codeOf(f.core.lifecycleForm(SECRETARIAT, 'ADV-2026-0999'))).toBe('ADVISORY.NOT_FOUND');
  });

  it('say what is wrong with each field: too long, not a level, missing', async () => {
    const { advisory } = await issueAndPost(f);
    expect(await fieldsOf(f.core.correctAdvisory({ actor: SECRETARIAT, advisoryId: advisory.id, input: { tlp: 'TLP:PURPLE' as never, note: 'x'.repeat(501) } }))).toEqual([
      { field: 'tlp', message: { ja: 'TLPの値が正しくありません。', en: 'The TLP is not valid.' } },
      { field: 'note', message: { ja: '訂正内容は500文字以内です（501文字入力されています）。', en: 'The note on what changed must be at most 500 characters (501 entered).' } },
    ]);
    expect(await fieldsOf(f.core.correctAdvisory({ actor: SECRETARIAT, advisoryId: advisory.id, input: { title: '新', note: '' } }))).toEqual([
      { field: 'note', message: { ja: '訂正内容を入力してください。', en: 'Enter the note on what changed.' } },
    ]);
    // Nothing visible is empty; a pasted body over the limit is refused with its count, never cut.
    expect(await fieldsOf(f.core.correctAdvisory({ actor: SECRETARIAT, advisoryId: advisory.id, input: { title: '\u200B\u200B', body: 'あ'.repeat(20_000), note: '\u2060' } }))).toEqual([
      { field: 'title', message: { ja: '件名を入力してください。', en: 'Enter the title.' } },
      { field: 'body', message: { ja: '本文は12,000文字以内です（20,000文字入力されています）。', en: 'The body must be at most 12,000 characters (20,000 entered).' } },
      { field: 'note', message: { ja: '訂正内容を入力してください。', en: 'Enter the note on what changed.' } },
    ]);
    expect(await fieldsOf(f.core.postFollowUp({ actor: SECRETARIAT, advisoryId: advisory.id, input: { body: '\u200B\n\u200B' } }))).toEqual([
      { field: 'body', message: { ja: '本文を入力してください。', en: 'Enter the body.' } },
    ]);
    expect(await fieldsOf(f.core.withdrawAdvisory({ actor: SECRETARIAT, advisoryId: advisory.id, input: { reason: 'x'.repeat(600) } }))).toEqual([
      { field: 'reason', message: { ja: '取り下げの理由は500文字以内です（600文字入力されています）。', en: 'The reason for withdrawal must be at most 500 characters (600 entered).' } },
    ]);
  });

  it('correct a closed advisory (its copies are still there), and the record names what changed', async () => {
    const { advisory } = await issueAndPost(f, ['jma', 'jda']);
    await f.core.closeAdvisory({ actor: SECRETARIAT, advisoryId: advisory.id });
    const r = await f.core.correctAdvisory({ actor: SECRETARIAT, advisoryId: advisory.id, input: { severity: 'level4', category: 'incident', note: '深刻度を上げる' } });
    expect(r.changed).toBe(true);
    expect(f.audit.find((e) => e.action === 'advisory.corrected')?.detail).toEqual({ revision: 2, note: '深刻度を上げる', changed: ['severity', 'category'], tlp: advisory.tlp });
    // Closing again by the bot changes nothing.
    const { closeAdvisoryBySystem } = await import('../../../src/commands/lifecycle.js');
    expect(await closeAdvisoryBySystem(f.deps, advisory.id, 'expired')).toBe(false);
    expect((await f.store.getAdvisory(advisory.id))?.closure?.cause).toBe('command');
  });
});

describe('the closing summary', () => {
  it('counts by button and by phone, names the failed, and takes the latest acknowledgement', async () => {
    const { advisory, deliveries } = await issueAndPost(f, ['jma', 'jda', 'jpa']);
    const [jma, jda, jpa] = deliveries;
    f.clock.set(minutes(20));
    await f.core.acknowledgeFromMessage({ actor: JMA_STAFF, message: advisoryMessage(f, jma!.channel.channelId) });
    // jda is reached by phone, later.
    const { task } = await untilPhoneTask(f, jda!.id);
    f.clock.set(minutes(70));
    const { message } = await claimTask(f, task, ONCALL);
    await f.core.phoneTaskAction({ actor: ONCALL, message, action: 'reached', choice: await reachedChoice(f, task.id, 0) } as never);
    // jpa's copy was lost for good.
    const stored = (await f.store.getDelivery(jpa!.id))!;
    await f.store.saveDelivery({ ...stored, state: 'failed', failure: { code: 'channel_gone', at: minutes(1), alerted: { at: minutes(1), ok: true } }, messages: [], nextStep: undefined, version: stored.version + 1 });
    await f.core.closeAdvisory({ actor: SECRETARIAT, advisoryId: advisory.id });
    await f.core.tellClosing(advisory.id);
    expect(summaryPosted()).toMatchObject({ targeted: 3, byButton: 1, byPhone: 1, never: 1, failed: 1, lastAckAt: minutes(70), failures: [{ reason: 'channel_gone', memberName: { ja: '公益社団法人 日本薬剤師会' } }], moreFailures: 0 });
  });

  it('with no secretariat channel to post to is recorded as not told, and the log says so', async () => {
    const file = await exampleDirectoryFile();
    const big = await coreFixture({ directory: { ...file, secretariat: { ...file.secretariat, channels: [] } } });
    try {
      const { advisory } = await issueAndPost(big);
      await big.core.closeAdvisory({ actor: SECRETARIAT, advisoryId: advisory.id });
      expect(await big.core.tellClosing(advisory.id)).toBe(0);
      expect((await big.store.getAdvisory(advisory.id))?.closure?.told).toMatchObject({ ok: false });
      expect(big.lines.some((l) => l.level === 'error' && l.msg === 'closing summary could not be told: no secretariat channel on a configured platform')).toBe(true);
      expect(big.audit.find((e) => e.action === 'advisory.summary_told')).toMatchObject({ id: `${advisory.id}.summary_told.command`, detail: { ok: false, cause: 'command', targeted: 1 } });
    } finally {
      await big.close();
    }
  });

  it('is told again after a closed advisory is withdrawn: the withdrawal is news', async () => {
    const { advisory } = await issueAndPost(f);
    await f.core.closeAdvisory({ actor: SECRETARIAT, advisoryId: advisory.id });
    await f.core.tellClosing(advisory.id);
    await f.core.withdrawAdvisory({ actor: SECRETARIAT, advisoryId: advisory.id, input: { reason: '誤報' } });
    await f.core.tellClosing(advisory.id);
    const told = f.audit.filter((e) => e.action === 'advisory.summary_told').map((e) => e.id);
    expect(told).toEqual([`${advisory.id}.summary_told.command`, `${advisory.id}.summary_told.withdrawn`]);
  });
});

describe('syncing the copies', () => {
  it('posts each follow-up once and in order, and none after a withdrawal', async () => {
    const { advisory, deliveries } = await issueAndPost(f, ['jma', 'jda']);
    const d = deliveries[0]!;
    await f.core.postFollowUp({ actor: SECRETARIAT, advisoryId: advisory.id, input: { body: '一' } });
    await f.core.syncDelivery(d.id);
    await f.core.postFollowUp({ actor: SECRETARIAT, advisoryId: advisory.id, input: { body: '二' } });
    await f.core.syncDelivery(d.id);
    const bodies = () => f.chat.in(d.channel.channelId, 'followup').map((p) => (p.message.kind === 'followup' ? p.message.view.body : ''));
    expect(bodies()).toEqual(['一', '二']);
    await f.core.postFollowUp({ actor: SECRETARIAT, advisoryId: advisory.id, input: { body: '三' } });
    await f.core.withdrawAdvisory({ actor: SECRETARIAT, advisoryId: advisory.id, input: { reason: '誤報' } });
    await f.core.syncDelivery(d.id);
    expect(bodies()).toEqual(['一', '二']);
    // The withdrawn copy shows the withdrawal; a follow-up never replaces the copy itself.
    expect(f.chat.updates.filter((u) => u.ref.channelId === d.channel.channelId).map((u) => u.message.kind === 'advisory' && u.message.view.withdrawn?.reason)).toEqual(['誤報']);
  });

  it('of a delivery on a platform this process does not serve fails, so the job retries and then tells the secretariat', async () => {
    const { advisory, deliveries } = await issueAndPost(f);
    await f.core.withdrawAdvisory({ actor: SECRETARIAT, advisoryId: advisory.id, input: { reason: '誤報' } });
    delete (f.deps.chats as Record<string, unknown>)['slack'];
    expect(await codeOf(f.core.syncDelivery(deliveries[0]!.id))).toBe('CHAT.UNAVAILABLE');
  });

  it('leaves a cancelled copy alone, and an advisory whose copies all show the latest owes nothing', async () => {
    const { advisory, deliveries } = await f.core.issueAdvisory({ actor: SECRETARIAT, requestKey: 'c1', input: { title: 't', body: 'b', source: 'nisc', tlp: 'TLP:GREEN', severity: 'level3', category: 'notice', targets: { allMembers: false, observers: false, groups: [], members: ['jma'] } } });
    await f.core.withdrawAdvisory({ actor: SECRETARIAT, advisoryId: advisory.id, input: { reason: '誤報' } });
    await f.core.deliver(deliveries[0]!.id);
    expect(await f.core.syncDelivery(deliveries[0]!.id)).toBe('already');
    f.jobs.ensured.length = 0;
    expect(await f.core.syncAdvisory(advisory.id)).toBe(0);
    expect(f.jobs.of('sync')).toEqual([]);
    expect((await f.store.getAdvisory(advisory.id))?.syncing).toBeUndefined();
    await runSyncs();
  });

  it('that the platform refuses now (not in the channel any more) is a ChatError the job gives up on', async () => {
    const { advisory, deliveries } = await issueAndPost(f);
    await f.core.correctAdvisory({ actor: SECRETARIAT, advisoryId: advisory.id, input: { title: '新', note: 'n' } });
    f.chat.update = async () => {
      throw new ChatError('permanent', 'not_in_channel', { reason: 'not_in_channel' });
    };
    expect(await f.core.syncDelivery(deliveries[0]!.id).catch((e: unknown) => (e instanceof ChatError ? e.reason : 'other'))).toBe('not_in_channel');
  });
});
