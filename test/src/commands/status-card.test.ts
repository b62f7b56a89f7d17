import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OutboundView } from '../../../src/ports/chat.js';
import type { Work } from '../../../src/ports/jobs.js';
import { liveStatus, statusCardWork, STATUS_CARD_INTERVAL_MS } from '../../../src/commands/status-card.js';
import type { LiveStatusView } from '../../../src/view/views.js';
import { coreFixture, ISSUE_INPUT, SECRETARIAT, T0, type CoreFixture } from '../../support/core-fixture.js';
import { aDelivery, anAdvisory, aPhoneTask, at } from '../store/fixtures.js';
import { advisoryMessage, issueAndPost, JMA_STAFF, minutes, untilPhoneTask } from './helpers.js';

/** The "issued" notice is the advisory's live status card: updated in place, at most once per interval. */

let f: CoreFixture;

beforeEach(async () => {
  f = await coreFixture();
});

afterEach(async () => {
  await f.close();
});

const cards = (): Work[] => f.jobs.ensured.filter((w) => w.kind === 'status-card');

/** Every version of the card the secretariat channel has seen (the post, then each update), as its live status. */
function cardVersions(): (LiveStatusView | undefined)[] {
  const post = f.chat.in('C0SEC00001', 'notice').filter((p) => p.message.kind === 'notice' && p.message.view.kind === 'advisory_issued');
  const updates = f.chat.updates.filter((u) => u.ref.channelId === 'C0SEC00001' && u.message.kind === 'notice');
  return [...post.map((p) => p.message), ...updates.map((u) => u.message)].map((m) => {
    const v = (m as Extract<OutboundView, { kind: 'notice' }>).view;
    return v.kind === 'advisory_issued' ? v.live : undefined;
  });
}

async function announced(members = ['jma', 'jda']) {
  const { advisory, deliveries } = await issueAndPost(f, members);
  await f.core.announceIssued(advisory.id);
  f.jobs.ensured.length = 0;
  return { advisory, deliveries };
}

describe('the live status card', () => {
  it('a delivery posted after the card is up asks for its update; a delivery found already posted does not', async () => {
    const { advisory, deliveries } = await f.core.issueAdvisory({
      actor: SECRETARIAT,
      requestKey: 'card-after-post',
      input: { ...ISSUE_INPUT, targets: { allMembers: false, observers: false, groups: [], members: ['jma'] } },
    });
    await f.core.announceIssued(advisory.id);
    f.jobs.ensured.length = 0;
    expect(await f.core.deliver(deliveries[0]!.id)).toEqual({ outcome: 'posted' });
    expect(cards().map((w) => w.kind === 'status-card' && w.advisoryId)).toEqual([advisory.id]);
    f.jobs.ensured.length = 0;
    expect(await f.core.deliver(deliveries[0]!.id)).toEqual({ outcome: 'already' });
    expect(cards()).toEqual([]);
  });

  it('asks for one update per interval however many members answer within it, at the interval\'s end', async () => {
    const { advisory, deliveries } = await announced();
    f.clock.set(new Date(Date.parse(T0) + 7_000).toISOString());
    for (const d of deliveries) await f.core.acknowledgeFromMessage({ actor: JMA_STAFF, message: advisoryMessage(f, d.channel.channelId) });
    const asked = cards();
    // Two acknowledgements (and the closing they caused) ask for the same job: the interval ending at 10 s.
    expect(asked.length).toBeGreaterThan(1);
    expect(new Set(asked.map((w) => w.kind === 'status-card' && w.at.getTime()))).toEqual(new Set([Date.parse(T0) + 10_000]));
    expect(asked.every((w) => w.kind === 'status-card' && w.advisoryId === advisory.id)).toBe(true);

    f.clock.set(new Date(Date.parse(T0) + 10_000).toISOString());
    expect(await f.core.refreshStatusCard(advisory.id)).toBe(1);
    const last = cardVersions().at(-1)!;
    expect(last.counts).toEqual({ total: 2, queued: 0, posted: 0, acknowledged: 2, failed: 0, cancelled: 0 });
    expect(last.closed).toEqual({ cause: 'all_acknowledged', at: new Date(Date.parse(T0) + 7_000).toISOString() });
    expect(last.nextStep).toBeUndefined();
    expect(last.asOf).toBe(new Date(Date.parse(T0) + 10_000).toISOString());
  });

  it('a change exactly at an interval\'s end belongs to the next one', () => {
    const advisory = anAdvisory();
    const deps = { clock: { now: () => new Date(Date.parse(T0) + 5_000) }, settings: f.deps.settings };
    const w = statusCardWork(deps, advisory);
    expect(w).toEqual({ kind: 'status-card', scope: advisory.uid ?? expect.any(String), advisoryId: advisory.id, at: new Date(Date.parse(T0) + 10_000) });
    const slower = statusCardWork({ clock: deps.clock, settings: { ...f.deps.settings, statusCardIntervalMs: 60_000 } }, advisory);
    expect(slower.kind === 'status-card' && slower.at.toISOString()).toBe(new Date(Date.parse(T0) + 60_000).toISOString());
    expect(STATUS_CARD_INTERVAL_MS).toBe(5_000);
  });

  it('shows the next ladder step due and who is on the phone', async () => {
    const { advisory, deliveries } = await announced();
    await untilPhoneTask(f, deliveries[0]!.id);
    await f.core.refreshStatusCard(advisory.id);
    const live = cardVersions().at(-1)!;
    expect(live.onPhone).toBe(1);
    expect(live.counts).toMatchObject({ posted: 2, acknowledged: 0 });
    // jda's reminder (40 min) is the earliest step owed; jma is past it (its next contact comes later).
    expect(live.nextStep).toEqual({ kind: 'reminder', at: minutes(40), members: 1 });
  });

  it('is not asked for before the card exists, nor updated without one', async () => {
    const { advisory, deliveries } = await issueAndPost(f, ['jma']);
    await f.core.acknowledgeFromMessage({ actor: JMA_STAFF, message: advisoryMessage(f, deliveries[0]!.channel.channelId) });
    expect(cards()).toEqual([]);
    expect(await f.core.refreshStatusCard(advisory.id)).toBe(0);
    expect(f.chat.updates.filter((u) => u.message.kind === 'notice')).toEqual([]);
  });

  it('the reconciler asks for it every pass while the advisory is open, and not once it is closed', async () => {
    const { advisory } = await announced(['jma']);
    await f.core.reconcile();
    expect(cards().map((w) => w.kind === 'status-card' && w.advisoryId)).toEqual([advisory.id]);
    f.jobs.ensured.length = 0;
    await f.core.closeAdvisory({ actor: SECRETARIAT, advisoryId: advisory.id });
    f.jobs.ensured.length = 0;
    await f.core.reconcile();
    expect(cards()).toEqual([]);
  });
});

describe('liveStatus', () => {
  it('counts by state, earliest step owed by silent members only, the round and the closing', () => {
    const a = anAdvisory();
    const step = (kind: 'reminder' | 'phone', minute: number) => ({ kind, index: 0, at: at(minute) });
    const deliveries = [
      aDelivery({ memberId: 'a', channel: { channelId: 'Ca' } }, { state: 'posted', nextStep: step('phone', 60) }),
      aDelivery({ memberId: 'b', channel: { channelId: 'Cb' } }, { state: 'posted', nextStep: step('reminder', 40) }),
      aDelivery({ memberId: 'c', channel: { channelId: 'Cc' } }, { state: 'failed', nextStep: step('reminder', 40) }),
      // An acknowledged record never owes a step, even one left behind.
      aDelivery({ memberId: 'd', channel: { channelId: 'Cd' } }, { state: 'acknowledged', nextStep: step('reminder', 10) }),
      aDelivery({ memberId: 'e', channel: { channelId: 'Ce' } }, { state: 'queued' }),
    ];
    const tasks = [{ ...aPhoneTask({ memberId: 'a' }), state: 'claimed' as const }, { ...aPhoneTask({ memberId: 'b' }), state: 'done' as const }];
    const live = liveStatus(a, deliveries, tasks, new Date(at(30)));
    expect(live).toEqual({
      issuedAt: at(0),
      counts: { total: 5, queued: 1, posted: 2, acknowledged: 1, failed: 1, cancelled: 0 },
      onPhone: 1,
      round: undefined,
      ackDeadline: at(60),
      nextStep: { kind: 'reminder', at: at(40), members: 2 },
      closed: undefined,
      asOf: at(30),
    });
    const closed = liveStatus({ ...a, state: 'closed', closure: { cause: 'command', at: at(50) } }, deliveries, tasks, new Date(at(50)));
    expect(closed.closed).toEqual({ cause: 'command', at: at(50) });
    expect(closed.nextStep).toBeUndefined();
  });
});
