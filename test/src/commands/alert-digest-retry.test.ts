import { afterEach, describe, expect, it } from 'vitest';
import { alertInWave } from '../../../src/commands/alert-digest.js';
import { WAVE_WINDOW_MS, waveMessages } from '../../../src/domain/alert-wave.js';
import type { Delivery } from '../../../src/domain/delivery.js';
import type { MessageRef } from '../../../src/domain/platform.js';
import type { OutboundView } from '../../../src/ports/chat.js';
import type { AlertDigestView } from '../../../src/view/views.js';
import { coreFixture, refusal, SECRETARIAT, type CoreFixture } from '../../support/core-fixture.js';
import { issueAndPost } from './helpers.js';

/**
 * Grouped alerts (alert-digest.ts) on the paths a queue takes them: a job run again, two runs at
 * once, a member joining while the opener posts, nowhere to post, and the update of a wave's message.
 */

let f: CoreFixture;

afterEach(async () => {
  await f.close();
});

const SEC = 'C0SEC00001';
const digests = () => f.chat.in(SEC, 'notice').filter((p) => p.message.kind === 'notice' && p.message.view.kind === 'alert_digest');
const viewOf = (m: OutboundView): AlertDigestView => {
  if (m.kind !== 'notice' || m.view.kind !== 'alert_digest') throw new Error(`not a grouped alert: ${m.kind}`);
  return m.view;
};
const digestJobs = () => f.jobs.of('alert-digest').map((w) => [w.advisoryId, w.alert, w.wave]);
const advisoryOf = async (id: string) => (await f.store.getAdvisory(id))!;
const deliveryOf = async (d: Delivery) => (await f.store.getDelivery(d.id))!;

/** jma and jda (in that Japanese name order), their copies posted and silent. */
async function twoSilent() {
  f = await coreFixture();
  const { advisory, deliveries } = await issueAndPost(f, ['jma', 'jda']);
  const byMember = (m: string) => deliveries.find((d) => d.memberId === m)!;
  return { advisory, jma: byMember('jma'), jda: byMember('jda') };
}

describe('the opener\'s alert', () => {
  it('shows the advisory as stored when it posts, not as the job loaded it (a correction came in between)', async () => {
    const { advisory, jma } = await twoSilent();
    const loaded = await advisoryOf(advisory.id);
    await f.core.correctAdvisory({ actor: SECRETARIAT, advisoryId: advisory.id, input: { title: '訂正後の件名', note: '件名の誤り' } });
    expect((await alertInWave(f.deps, loaded, await deliveryOf(jma), 'escalation')).posted).toHaveLength(1);
    expect(viewOf(digests()[0]!.message).title).toBe('訂正後の件名');
  });

  it('with no secretariat channel reachable keeps nothing as posted and asks for no update; its retry, once a platform is there, posts', async () => {
    const { advisory, jma } = await twoSilent();
    const nowhere = { ...f.deps, chats: {} };
    expect((await alertInWave(nowhere, await advisoryOf(advisory.id), await deliveryOf(jma), 'escalation')).posted).toEqual([]);
    expect((await advisoryOf(advisory.id)).alertWaves).toEqual([{ kind: 'escalation', n: 1, openedAt: f.clock.now().toISOString(), openedBy: jma.id }]);
    expect(digestJobs()).toEqual([]);

    const posted = (await alertInWave(f.deps, await advisoryOf(advisory.id), await deliveryOf(jma), 'escalation')).posted;
    expect(posted).toHaveLength(1);
    expect(digests().map((p) => p.ref)).toEqual(posted);
    expect((await advisoryOf(advisory.id)).alertWaves?.[0]?.messages).toEqual(posted);
  });

  it('a member joining while the opener\'s post is on its way, whose update ran too early, is in the update asked for after the post', async () => {
    const { advisory, jma, jda } = await twoSilent();
    let early = -1;
    f.chat.gate = async () => {
      f.chat.gate = undefined;
      // jda's alert comes now: it posts nothing (jma opened the wave) and asks for the update …
      expect((await alertInWave(f.deps, await advisoryOf(advisory.id), await deliveryOf(jda), 'escalation')).posted).toEqual([]);
      expect(digestJobs()).toEqual([[advisory.id, 'escalation', 1]]);
      // … which a worker runs before jma's post is kept: there is no message to edit yet.
      f.jobs.ensured.length = 0;
      early = await f.core.refreshAlertDigest(advisory.id, 'escalation', 1);
    };
    const posted = (await alertInWave(f.deps, await advisoryOf(advisory.id), await deliveryOf(jma), 'escalation')).posted;
    expect(early).toBe(0);
    expect(posted).toHaveLength(1);
    expect(digestJobs()).toEqual([[advisory.id, 'escalation', 1]]);
    expect(await f.core.refreshAlertDigest(advisory.id, 'escalation', 1)).toBe(1);
    expect(f.chat.updates.map((u) => u.ref)).toEqual(posted);
    expect(viewOf(f.chat.updates[0]!.message)).toMatchObject({ total: 2, members: [{ memberName: { en: 'Japan Medical Association' } }, { memberName: { en: 'Japan Dental Association' } }] });
  });

  it('when another run kept the wave\'s message while this one posted, the kept message stays and this run ends without error', async () => {
    const { advisory, jma } = await twoSilent();
    const other: MessageRef = { platform: 'slack', channelId: SEC, messageId: 'm-other-run' };
    f.chat.gate = async () => {
      f.chat.gate = undefined;
      const current = await advisoryOf(advisory.id);
      const kept = waveMessages(current, 'escalation', 1, [other]);
      if (!kept) throw new Error('the wave already had its message');
      expect(await f.store.saveAdvisory(kept)).toBe(true);
    };
    expect((await alertInWave(f.deps, await advisoryOf(advisory.id), await deliveryOf(jma), 'escalation')).posted).toHaveLength(1);
    expect((await advisoryOf(advisory.id)).alertWaves?.[0]?.messages).toEqual([other]);
    expect(await f.core.refreshAlertDigest(advisory.id, 'escalation', 1)).toBe(1);
    expect(f.chat.updates.map((u) => u.ref)).toEqual([other]);
  });
});

describe('a member\'s alert retried after the window', () => {
  it('stays in the wave that listed it: no second wave, no second message', async () => {
    const { advisory, jma, jda } = await twoSilent();
    const first = (await alertInWave(f.deps, await advisoryOf(advisory.id), await deliveryOf(jma), 'escalation')).posted;
    expect((await alertInWave(f.deps, await advisoryOf(advisory.id), await deliveryOf(jda), 'escalation')).posted).toEqual(first);
    // jda's job runs again long after (its worker died before it finished).
    f.clock.advance(WAVE_WINDOW_MS * 5);
    f.jobs.ensured.length = 0;
    expect((await alertInWave(f.deps, await advisoryOf(advisory.id), await deliveryOf(jda), 'escalation')).posted).toEqual(first);
    expect(digests()).toHaveLength(1);
    expect((await advisoryOf(advisory.id)).alertWaves?.map((w) => w.n)).toEqual([1]);
    expect((await deliveryOf(jda)).alertWaves).toEqual({ escalation: 1 });
    expect(digestJobs()).toEqual([[advisory.id, 'escalation', 1]]);
  });
});

describe('the update of a wave\'s message', () => {
  it('edits the messages on platforms this process has, each with the key the post was found by', async () => {
    const { advisory, jma } = await twoSilent();
    const [slack] = (await alertInWave(f.deps, await advisoryOf(advisory.id), await deliveryOf(jma), 'escalation')).posted;
    // The secretariat's channel on Teams has it too (posted by a process with Teams configured).
    const stored = await advisoryOf(advisory.id);
    const teams: MessageRef = { platform: 'teams', channelId: '19:sec@thread.tacv2', messageId: 'a1' };
    const waves = stored.alertWaves!.map((w) => ({ ...w, messages: [...(w.messages ?? []), teams] }));
    expect(await f.store.saveAdvisory({ ...stored, alertWaves: waves, version: (stored.version ?? 0) + 1 })).toBe(true);
    expect(await f.core.refreshAlertDigest(advisory.id, 'escalation', 1)).toBe(1);
    expect(f.chat.updates.map((u) => [u.ref, u.key])).toEqual([[slack, `${advisory.id}.alerts.escalation.w1`]]);
  });

  it('lists only the wave\'s own members', async () => {
    const { advisory, jma, jda } = await twoSilent();
    await alertInWave(f.deps, await advisoryOf(advisory.id), await deliveryOf(jma), 'escalation');
    f.clock.advance(WAVE_WINDOW_MS);
    await alertInWave(f.deps, await advisoryOf(advisory.id), await deliveryOf(jda), 'escalation');
    expect(digests().map((p) => p.key)).toEqual([`${advisory.id}.alerts.escalation.w1`, `${advisory.id}.alerts.escalation.w2`]);
    expect(await f.core.refreshAlertDigest(advisory.id, 'escalation', 2)).toBe(1);
    expect(await f.core.refreshAlertDigest(advisory.id, 'escalation', 1)).toBe(1);
    const [second, first] = f.chat.updates.map((u) => viewOf(u.message));
    expect(second).toMatchObject({ wave: 2, total: 1, members: [{ memberName: { en: 'Japan Dental Association' } }] });
    expect(first).toMatchObject({ wave: 1, total: 1, members: [{ memberName: { en: 'Japan Medical Association' } }] });
  });

  it('lists the resolved after the unresolved, even one whose name comes first', async () => {
    const { advisory, jma, jda } = await twoSilent();
    for (const d of [jma, jda]) await alertInWave(f.deps, await advisoryOf(advisory.id), await deliveryOf(d), 'escalation');
    await f.core.acknowledgeDelivery({ deliveryId: jma.id, actor: SECRETARIAT, via: 'phone' });
    await f.core.refreshAlertDigest(advisory.id, 'escalation', 1);
    const view = viewOf(f.chat.updates.at(-1)!.message);
    expect(view.members.map((m) => [m.memberName.en, m.resolved?.via])).toEqual([
      ['Japan Dental Association', undefined],
      ['Japan Medical Association', 'phone'],
    ]);
    expect(view.resolved).toBe(1);
  });
});

describe('an acknowledgement of a member listed in a wave', () => {
  it('asks for the update of that wave only (an escalation)', async () => {
    const { advisory, jma, jda } = await twoSilent();
    for (const d of [jma, jda]) await alertInWave(f.deps, await advisoryOf(advisory.id), await deliveryOf(d), 'escalation');
    f.jobs.ensured.length = 0;
    await f.core.acknowledgeDelivery({ deliveryId: jda.id, actor: SECRETARIAT, via: 'phone' });
    expect(digestJobs()).toEqual([[advisory.id, 'escalation', 1]]);
  });

  it('asks for the update of that wave only (a failure, reached by phone later)', async () => {
    f = await coreFixture();
    f.chat.failPosts = (target) => (target.channelId === SEC ? undefined : refusal('channel_not_found'));
    const { advisory, deliveries } = await issueAndPost(f, ['jma', 'jda']);
    f.chat.failPosts = undefined;
    for (const d of deliveries) expect(await f.core.alertDeliveryFailed(d.id)).toBe(1);
    expect((await deliveryOf(deliveries[0]!)).alertWaves).toEqual({ failed: 1 });
    f.jobs.ensured.length = 0;
    await f.core.acknowledgeDelivery({ deliveryId: deliveries[0]!.id, actor: SECRETARIAT, via: 'phone' });
    expect(digestJobs()).toEqual([[advisory.id, 'failed', 1]]);
  });
});
