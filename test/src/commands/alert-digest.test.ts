import { afterEach, describe, expect, it } from 'vitest';
import { DirectoryFile } from '../../../src/directory/schema.js';
import { DIGEST_ROWS } from '../../../src/commands/alert-digest.js';
import type { OutboundView } from '../../../src/ports/chat.js';
import type { AlertDigestView } from '../../../src/view/views.js';
import { largeDirectory } from '../../support/large-directory.js';
import { coreFixture, refusal, SECRETARIAT, type CoreFixture } from '../../support/core-fixture.js';
import { minutes } from './helpers.js';

/** Grouped alerts: one message per advisory and wave listing its members, updated as they resolve. */

let f: CoreFixture;

afterEach(async () => {
  await f.close();
});

const digests = () => f.chat.in('C0SEC00001', 'notice').filter((p) => p.message.kind === 'notice' && p.message.view.kind === 'alert_digest');
const updatesOf = (messageId: string): AlertDigestView[] =>
  f.chat.updates.filter((u) => u.ref.messageId === messageId).map((u) => (u.message as Extract<OutboundView, { kind: 'notice' }>).view as AlertDigestView);

/** An advisory to `n` generated members, posted; every member silent. */
async function silent(n: number) {
  f = await coreFixture({ directory: DirectoryFile.parse(largeDirectory(n)) });
  const members = Array.from({ length: n }, (_, i) => `lg-${String(i + 1).padStart(4, '0')}`);
  const { advisory, deliveries } = await f.core.issueAdvisory({
    actor: { platform: 'slack', userId: 'U0SEC00001', name: '事務局 担当A' },
    requestKey: `r-${n}`,
    input: { title: '注意喚起', body: '本文', source: 'jpcert', tlp: 'TLP:AMBER', severity: 'level3', category: 'vulnerability', targets: { allMembers: false, observers: false, groups: [], members } },
  });
  for (const d of deliveries) await f.core.deliver(d.id);
  return { advisory, deliveries: await Promise.all(deliveries.map(async (d) => (await f.store.getDelivery(d.id))!)) };
}

/** Run every member's ladder up to its alert, at the alert's time. */
async function toAlerts(ids: string[]): Promise<void> {
  for (;;) {
    let ran = 0;
    for (const id of ids) {
      const d = (await f.store.getDelivery(id))!;
      if (!d.nextStep || d.ladder?.kind === 'alert') continue;
      f.clock.set(d.nextStep.at);
      await f.core.runEscalationStep({ deliveryId: id, token: d.escalationToken, kind: d.nextStep.kind, index: d.nextStep.index });
      ran += 1;
    }
    if (ran === 0) return;
  }
}

describe('grouped alerts', () => {
  it('50 members silent at the end of the ladder are one message listing them all, updated as they resolve', async () => {
    const { advisory, deliveries } = await silent(50);
    await toAlerts(deliveries.map((d) => d.id));
    const posted = digests();
    expect(posted).toHaveLength(1);
    expect(posted[0]!.key).toBe(`${advisory.id}.alerts.escalation.w1`);
    const stored = (await f.store.getAdvisory(advisory.id))!;
    expect(stored.alertWaves).toEqual([{ kind: 'escalation', n: 1, openedAt: expect.any(String), openedBy: expect.any(String), messages: [posted[0]!.ref] }]);
    for (const d of deliveries) expect((await f.store.getDelivery(d.id))!.alertWaves).toEqual({ escalation: 1 });

    // The interval's update lists every member, in Japanese name order, none resolved yet.
    expect(await f.core.refreshAlertDigest(advisory.id, 'escalation', 1)).toBe(1);
    const full = updatesOf(posted[0]!.ref.messageId).at(-1)!;
    expect(full).toMatchObject({ total: 50, resolved: 0, more: 0, wave: 1, alert: 'escalation' });
    expect(full.members).toHaveLength(50);
    const names = full.members.map((m) => m.memberName.ja);
    expect(names).toEqual([...names].sort(new Intl.Collator('ja').compare));

    // One member acknowledges by phone: the same message says so, the resolved listed last.
    const first = deliveries[0]!;
    await f.core.acknowledgeDelivery({ deliveryId: first.id, actor: SECRETARIAT, via: 'phone' });
    const asked = f.jobs.of('alert-digest');
    expect(asked.at(-1)).toMatchObject({ advisoryId: advisory.id, alert: 'escalation', wave: 1 });
    await f.core.refreshAlertDigest(advisory.id, 'escalation', 1);
    const after = updatesOf(posted[0]!.ref.messageId).at(-1)!;
    expect(after.resolved).toBe(1);
    expect(after.members.at(-1)).toMatchObject({ memberName: { ja: '横浜市' }, state: 'acknowledged', resolved: { by: SECRETARIAT.name, via: 'phone' } });
    expect(digests()).toHaveLength(1);
  });

  it('1,800 failures are one message naming the first members and counting the rest', async () => {
    f = await coreFixture({ directory: DirectoryFile.parse(largeDirectory(1_800)) });
    f.chat.failPosts = () => refusal('channel_gone');
    const members = Array.from({ length: 1_800 }, (_, i) => `lg-${String(i + 1).padStart(4, '0')}`);
    const { advisory, deliveries } = await f.core.issueAdvisory({
      actor: SECRETARIAT,
      requestKey: 'r-1800',
      input: { title: '注意喚起', body: '本文', source: 'jpcert', tlp: 'TLP:AMBER', severity: 'level3', category: 'vulnerability', targets: { allMembers: false, observers: false, groups: [], members } },
    });
    for (const d of deliveries) await f.core.deliver(d.id);
    f.chat.failPosts = undefined;
    for (const d of deliveries) await f.core.alertDeliveryFailed(d.id);
    const posted = digests();
    expect(posted).toHaveLength(1);
    await f.core.refreshAlertDigest(advisory.id, 'failed', 1);
    const view = updatesOf(posted[0]!.ref.messageId).at(-1)!;
    expect(view).toMatchObject({ alert: 'failed', total: 1_800, more: 1_800 - DIGEST_ROWS });
    expect(view.members).toHaveLength(DIGEST_ROWS);
    expect(view.members.every((m) => m.reason === 'channel_gone' && m.state === 'failed')).toBe(true);
    expect((await f.store.getDelivery(deliveries[1_799]!.id))!.failure?.alerted?.ok).toBe(true);
  });

  it('members alerted later than the window are a new wave with a message of its own', async () => {
    const { advisory, deliveries } = await silent(2);
    const [a, b] = deliveries as [(typeof deliveries)[0], (typeof deliveries)[0]];
    await toAlerts([a.id]);
    // b's ladder is late by more than the window (say its record was repaired): its alert opens wave 2.
    f.clock.set(minutes(60 * 6));
    const late = (await f.store.getDelivery(b.id))!;
    await f.store.saveDelivery({ ...late, version: late.version + 1, nextStep: { kind: 'alert', index: 0, at: minutes(60 * 6) } });
    await f.core.runEscalationStep({ deliveryId: b.id, token: late.escalationToken, kind: 'alert', index: 0 });
    expect(digests().map((p) => p.key)).toEqual([`${advisory.id}.alerts.escalation.w1`, `${advisory.id}.alerts.escalation.w2`]);
    expect((await f.store.getDelivery(b.id))!.alertWaves).toEqual({ escalation: 2 });
  });

  it('a member whose alert comes while another opened the wave is in its next update, not a message of its own', async () => {
    const { advisory, deliveries } = await silent(3);
    await toAlerts(deliveries.map((d) => d.id));
    expect(digests()).toHaveLength(1);
    // The members after the opener asked for the wave's update at the end of the interval.
    const asked = f.jobs.of('alert-digest').filter((w) => w.advisoryId === advisory.id && w.wave === 1);
    expect(asked.length).toBeGreaterThanOrEqual(2);
    expect(await f.core.refreshAlertDigest(advisory.id, 'escalation', 1)).toBe(1);
    expect(await f.core.refreshAlertDigest(advisory.id, 'escalation', 2)).toBe(0);
    expect(await f.core.refreshAlertDigest('ADV-2026-9999', 'escalation', 1)).toBe(0);
  });
});

describe('a member\'s alert, retried', () => {
  it('the opener\'s retry finds its own post by key and posts nothing more; another member\'s asks only for the update', async () => {
    const { advisory, deliveries } = await silent(2);
    const [a, b] = deliveries as [(typeof deliveries)[0], (typeof deliveries)[0]];
    const { alertInWave } = await import('../../../src/commands/alert-digest.js');
    const fresh = async () => (await f.store.getAdvisory(advisory.id))!;
    const first = (await alertInWave(f.deps, await fresh(), (await f.store.getDelivery(a.id))!, 'escalation')).posted;
    expect(first).toHaveLength(1);
    expect(digests()).toHaveLength(1);
    // The opener's job runs again (its worker died after posting): the same message, no second post.
    const again = (await alertInWave(f.deps, await fresh(), (await f.store.getDelivery(a.id))!, 'escalation')).posted;
    expect(again).toEqual(first);
    expect(digests()).toHaveLength(1);
    f.jobs.ensured.length = 0;
    // Another member joins the posted wave: no post, the update asked for, the message given back.
    expect((await alertInWave(f.deps, await fresh(), (await f.store.getDelivery(b.id))!, 'escalation')).posted).toEqual(first);
    expect(digests()).toHaveLength(1);
    expect(f.jobs.of('alert-digest').map((w) => [w.advisoryId, w.alert, w.wave])).toEqual([[advisory.id, 'escalation', 1]]);
    expect((await fresh()).alertWaves).toHaveLength(1);
  });

  it('a member joining a wave whose opener has not posted yet waits for the update: nothing posted by it', async () => {
    const { advisory, deliveries } = await silent(2);
    const [a, b] = deliveries as [(typeof deliveries)[0], (typeof deliveries)[0]];
    const { alertInWave } = await import('../../../src/commands/alert-digest.js');
    const { joinWave } = await import('../../../src/domain/alert-wave.js');
    // a opened the wave (its job stopped before posting).
    const opened = joinWave((await f.store.getAdvisory(advisory.id))!, 'escalation', a.id, f.clock.now());
    if (!opened.changed) throw new Error('no change');
    expect(await f.store.saveAdvisory(opened.next)).toBe(true);
    f.jobs.ensured.length = 0;
    expect((await alertInWave(f.deps, opened.next, (await f.store.getDelivery(b.id))!, 'escalation')).posted).toEqual([]);
    expect(digests()).toEqual([]);
    expect(f.jobs.of('alert-digest')).toHaveLength(1);
    expect((await f.store.getDelivery(b.id))!.alertWaves).toEqual({ escalation: 1 });
    // The opener's retry posts it, listing both.
    const posted = (await alertInWave(f.deps, (await f.store.getAdvisory(advisory.id))!, (await f.store.getDelivery(a.id))!, 'escalation')).posted;
    expect(posted).toHaveLength(1);
    const view = digests()[0]!.message;
    expect(view.kind === 'notice' && view.view.kind === 'alert_digest' && view.view.total).toBe(2);
  });
});
