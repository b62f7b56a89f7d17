/**
 * What the secretariat sees (status, the advisory form's options), and that nobody else sees it:
 * every refusal is audited with the actor and what was attempted.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_POLICIES } from '../../../src/domain/escalation.js';
import { isBotError } from '../../../src/errors.js';
import { coreFixture, ONCALL, SECRETARIAT, T0, refusal, type CoreFixture } from '../../support/core-fixture.js';
import { advisoryMessage, issueAndPost, JMA_STAFF, minutes, OUTSIDER, untilPhoneTask } from './helpers.js';

let f: CoreFixture;
beforeEach(async () => {
  f = await coreFixture();
});
afterEach(async () => {
  await f.close();
});

async function refused(p: Promise<unknown>): Promise<Record<string, unknown>> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isBotError(err, 'AUTH.NOT_SECRETARIAT')).toBe(true);
  return (err as { detail: Record<string, unknown> }).detail;
}

describe('/advisory status', () => {
  it('shows counts and each member, failed and unacknowledged first, with who acknowledged and the phone task', async () => {
    f.chat.failPosts = (target) => (target.channelId === 'C0JPA00001' ? refusal('channel_gone') : undefined);
    const { advisory, deliveries } = await issueAndPost(f, ['jma', 'jda', 'jpa']);
    f.chat.failPosts = undefined;
    f.clock.set(minutes(3));
    await f.core.acknowledgeFromMessage({ actor: JMA_STAFF, message: advisoryMessage(f, 'C0JMA00001') });
    const jda = deliveries.find((d) => d.memberId === 'jda')!;
    await untilPhoneTask(f, jda.id);
    const status = await f.core.statusOf(SECRETARIAT, advisory.id.toLowerCase().replace('-0001', '-1'));
    expect(status).toMatchObject({ advisoryId: advisory.id, title: advisory.title, tlp: 'TLP:AMBER', severity: 'level3', drill: false, issuedAt: T0, ackDeadline: minutes(60) });
    expect(status.counts).toEqual({ total: 3, queued: 0, posted: 1, acknowledged: 1, failed: 1, cancelled: 0 });
    expect(status.rows.map((r) => [r.memberId, r.state])).toEqual([
      ['jpa', 'failed'],
      ['jda', 'posted'],
      ['jma', 'acknowledged'],
    ]);
    expect(status.rows[0]).toMatchObject({ failure: 'channel_gone' });
    expect(status.rows[1]).toMatchObject({ ladder: { kind: 'phone' }, phoneTask: { state: 'open', contactIndex: 0, contacts: 2, exhausted: false } });
    expect(status.rows[2]).toMatchObject({ acknowledgedBy: JMA_STAFF.name, acknowledgedAt: minutes(3), via: 'button', memberName: { en: 'Japan Medical Association' } });
  });

  it('says ADVISORY.NOT_FOUND for an unknown or unreadable id', async () => {
    for (const text of ['ADV-2026-0404', 'status please']) {
      const err = await f.core.statusOf(SECRETARIAT, text).catch((e: unknown) => e);
      expect(isBotError(err, 'ADVISORY.NOT_FOUND')).toBe(true);
      expect((err as { detail: unknown }).detail).toEqual({ advisoryId: text });
    }
  });

  it('refuses anyone but the secretariat, even on-call staff, and audits it', async () => {
    const { advisory } = await issueAndPost(f);
    f.clock.set(minutes(7));
    for (const actor of [ONCALL, JMA_STAFF]) expect(await refused(f.core.statusOf(actor, advisory.id))).toEqual({ actor, attempted: 'advisory.status' });
    const audit = f.audit.filter((e) => e.action === 'advisory.refused');
    expect(audit.map((e) => [e.actor, e.detail, e.at])).toEqual([
      [ONCALL, { attempted: 'advisory.status' }, minutes(7)],
      [JMA_STAFF, { attempted: 'advisory.status' }, minutes(7)],
    ]);
  });
});

describe('the advisory form', () => {
  it('offers the secretariat the directory\'s groups and organisations and the severity defaults', async () => {
    const options = await f.core.openAdvisoryForm(SECRETARIAT);
    expect(options.groups.map((g) => g.id)).toEqual(['shishikai', 'shibyokyo', 'nichibyokyo']);
    expect(options.groups[0]).toEqual({ id: 'shishikai', name: { ja: '四師会', en: 'The four medical professional associations' } });
    expect(options.organisations).toHaveLength(18);
    expect(options.organisations[0]).toEqual({ id: 'jma', name: { ja: '公益社団法人 日本医師会', en: 'Japan Medical Association' }, kind: 'member' });
    expect(options.organisations.filter((o) => o.kind === 'observer').map((o) => o.id)).toEqual(['jahis']);
    expect(options.defaultDeadlineSeconds).toEqual({ level4: 15 * 60, level3: 3600, level2: 4 * 3600, level1: 24 * 3600, level0: 72 * 3600 });
    expect(options.escalationOptional).toEqual(['level1', 'level0']);
  });

  it('keeps a policy deadline in seconds as it is (90 seconds is not 2 minutes)', async () => {
    await f.close();
    f = await coreFixture({ policies: { ...DEFAULT_POLICIES, level4: { ...DEFAULT_POLICIES.level4, deadline: 90 } } });
    expect((await f.core.openAdvisoryForm(SECRETARIAT)).defaultDeadlineSeconds.level4).toBe(90);
  });

  it('refuses anyone else and audits the attempt', async () => {
    expect(await refused(f.core.openAdvisoryForm(OUTSIDER))).toEqual({ actor: OUTSIDER, attempted: 'advisory.form' });
    expect(f.audit).toEqual([{ id: expect.stringMatching(/^refused\./), at: T0, actor: OUTSIDER, action: 'advisory.refused', detail: { attempted: 'advisory.form' } }]);
  });
});
