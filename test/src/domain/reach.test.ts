import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICIES } from '../../../src/domain/escalation.js';
import { reachReport } from '../../../src/domain/reach.js';
import { at, T0 } from '../store/fixtures.js';
import { deliveryOf, drillTranscript, stepEvents, type MemberPlan } from './reach-fixture.js';

const LEVEL3 = DEFAULT_POLICIES.level3;
const asOf = new Date(at(200));

describe('the reach report of a drill with known presses and phone outcomes', () => {
  const report = reachReport(drillTranscript(), { asOf, policy: LEVEL3, contacts: 2 });

  it('says of each member how and when they acknowledged, and which rung had reached them', () => {
    expect(report.members.map((m) => [m.memberId, m.how, m.stage, m.seconds ?? null])).toEqual([
      ['m01', 'button', 'before-reminder', 300],
      ['m02', 'button', 'before-reminder', 600],
      ['m03', 'button', 'before-reminder', 1800],
      ['m04', 'button', 'after-reminder', 2700],
      ['m05', 'button', 'after-reminder', 3300],
      ['m06', 'phone', 'by-phone', 4200],
      ['m07', 'button', 'after-phone-step', 3900],
      ['m08', 'phone', 'by-phone', 1200],
      ['m09', 'never', 'never', null],
      ['m10', 'never', 'never', null],
    ]);
    const m = (id: string) => report.members.find((x) => x.memberId === id)!;
    expect(m('m01').acknowledgedAt).toBe(at(5));
    expect(m('m01').name).toEqual({ ja: '会員m01', en: 'Member m01' });
    // The contact reached: from the acknowledgement, or (older records) from the phone task's resolution.
    expect(m('m06').contact).toEqual({ index: 1, name: '佐藤 健一' });
    expect(m('m08').contact).toEqual({ index: 0, name: '山田 花子' });
    expect(m('m07').contact).toBeUndefined();
    // When each step reached them; failures with their reason.
    expect(m('m09').steps).toStrictEqual({ reminder: at(40), phone: at(60), alert: at(100) });
    // Steps that never reached a member are absent, not undefined (JSON and the CSV say nothing of them).
    expect(m('m01').steps).toStrictEqual({});
    expect(m('m04').steps).toStrictEqual({ reminder: at(40) });
    expect(m('m10').failures).toStrictEqual([{ code: 'TLP_SHARED_CHANNEL', at: at(1), detail: 'shared with another organisation' }]);
    expect(m('m08').failures).toStrictEqual([{ code: 'channel_not_found', at: at(1) }]);
    expect(m('m09').failures).toEqual([]);
    expect(m('m09').acknowledgedAt).toBeUndefined();
  });

  it('counts the rates per stage over the ten targeted members', () => {
    expect(report.targeted).toBe(10);
    expect(report.rates).toEqual({
      beforeReminder: { count: 3, percent: 30 },
      beforeDeadline: { count: 6, percent: 60 },
      afterPhoneStep: { count: 3, percent: 30 },
      byPhone: { count: 2, percent: 20 },
      acknowledged: { count: 8, percent: 80 },
      never: { count: 2, percent: 20 },
      failed: { count: 2, percent: 20 },
    });
    expect(report.stages).toEqual({ 'before-reminder': 3, 'after-reminder': 2, 'after-phone-step': 1, 'by-phone': 2, never: 2 });
  });

  it('gives the median and 90th percentile time to acknowledgement', () => {
    expect(report.times).toEqual({ acknowledged: 8, medianSeconds: 2250, p90Seconds: 3990 });
  });

  it('carries the drill flag and the classification, and ends the measure at the closure', () => {
    expect(report).toMatchObject({ advisoryId: 'ADV-2026-0001', drill: true, tlp: 'TLP:AMBER', severity: 'level3', category: 'vulnerability', issuedAt: at(0), ackDeadline: at(60) });
    expect(report.closed).toEqual({ at: at(120), cause: 'command' });
    expect(report.asOf).toBe(asOf.toISOString());
    expect(report.endSeconds).toBe(7200);
    expect(reachReport(drillTranscript({ advisory: { drill: false } }), { asOf }).drill).toBe(false);
  });

  it('draws the cumulative share: at issue, one step per acknowledgement, then flat to the end', () => {
    expect(report.series.map((p) => [p.seconds, p.acknowledged])).toEqual([
      [0, 0],
      [300, 1],
      [600, 2],
      [1200, 3],
      [1800, 4],
      [2700, 5],
      [3300, 6],
      [3900, 7],
      [4200, 8],
      [7200, 8],
    ]);
    expect(report.series.map((p) => p.share)).toEqual([0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.8]);
  });

  it('marks the ladder at the policy\'s times, with when each first ran and whom it reached', () => {
    expect(report.ladder).toStrictEqual([
      { kind: 'reminder', seconds: 2400, source: 'policy', firstRanAt: at(40), reached: 5 },
      { kind: 'phone', seconds: 3600, source: 'policy', firstRanAt: at(1), reached: 5 },
      // Two contacts: the next contact at 80 min, the alert one interval later.
      { kind: 'alert', seconds: 6000, source: 'policy', firstRanAt: at(90), reached: 2 },
    ]);
    // One contact: the alert one interval after the phone step; the default is one.
    expect(reachReport(drillTranscript(), { asOf, policy: LEVEL3 }).ladder.find((m) => m.kind === 'alert')?.seconds).toBe(4800);
    expect(reachReport(drillTranscript(), { asOf, policy: LEVEL3, contacts: 0 }).ladder.find((m) => m.kind === 'alert')?.seconds).toBe(4800);
    expect(reachReport(drillTranscript(), { asOf, policy: LEVEL3, contacts: 9 }).ladder.find((m) => m.kind === 'alert')?.seconds).toBe(10800);
  });
});

describe('the ladder marks without the policy', () => {
  it('come from the record: the first reminder and alert that ran, the phone step first run', () => {
    const report = reachReport(drillTranscript(), { asOf });
    expect(report.ladder).toEqual([
      { kind: 'reminder', seconds: 2400, source: 'record', firstRanAt: at(40), reached: 5 },
      { kind: 'phone', seconds: 60, source: 'record', firstRanAt: at(1), reached: 5 },
      { kind: 'alert', seconds: 5400, source: 'record', firstRanAt: at(90), reached: 2 },
    ]);
  });

  it('leave out a step that never ran; a ladder the policy switched off has no marks', () => {
    const quiet = drillTranscript({ plan: [{ id: 'm01', ack: { minutes: 5, via: 'button' } }] });
    expect(reachReport(quiet, { asOf }).ladder).toEqual([]);
    expect(reachReport(quiet, { asOf, policy: { ...LEVEL3, enabled: false } }).ladder).toEqual([]);
    // A policy without a reminder: the phone step and the alert only, though nobody needed them.
    expect(reachReport(quiet, { asOf, policy: { ...LEVEL3, reminderBefore: 0 } }).ladder).toStrictEqual([
      { kind: 'phone', seconds: 3600, source: 'policy', reached: 0 },
      { kind: 'alert', seconds: 4800, source: 'policy', reached: 0 },
    ]);
  });
});

describe('what counts as reaching a member', () => {
  it('a step that did not run for them (stale, skipped) did not reach them', () => {
    const plan: MemberPlan[] = [
      { id: 'm01', steps: { reminder: 40, outcome: 'stale' }, ack: { minutes: 41, via: 'button' } },
      { id: 'm02', steps: { reminder: 40, outcome: 'skipped' }, ack: { minutes: 41, via: 'button' } },
      { id: 'm03', steps: { reminder: 40 }, ack: { minutes: 41, via: 'button' } },
    ];
    const report = reachReport(drillTranscript({ plan }), { asOf });
    expect(report.members.map((m) => m.stage)).toEqual(['before-reminder', 'before-reminder', 'after-reminder']);
    expect(report.ladder).toEqual([{ kind: 'reminder', seconds: 2400, source: 'record', firstRanAt: at(40), reached: 1 }]);
  });

  it('a step recorded before the outcome was kept (older records) reached them; the earliest run of a step counts', () => {
    const t = drillTranscript({ plan: [{ id: 'm01', steps: { reminder: 40 }, ack: { minutes: 50, via: 'button' } }] });
    const e = t.audit.events[0]!;
    // Older record: no outcome. Then the same step again later (a repeated run), listed after it.
    t.audit.events = [{ ...e, detail: {} }, { ...e, id: 'again', at: at(45) }];
    expect(reachReport(t, { asOf }).members[0]?.steps).toEqual({ reminder: at(40) });
    t.audit.events.reverse();
    const [m] = reachReport(t, { asOf }).members;
    expect(m).toMatchObject({ stage: 'after-reminder', steps: { reminder: at(40) } });
  });

  it('a step at the very moment of the press had reached them; one after it had not', () => {
    const plan: MemberPlan[] = [
      { id: 'm01', steps: { reminder: 40 }, ack: { minutes: 40, via: 'button' } },
      { id: 'm02', steps: { reminder: 40, phone: 60 }, ack: { minutes: 60, via: 'button' } },
      { id: 'm03', steps: { reminder: 40, phone: 61 }, ack: { minutes: 60, via: 'button' } },
    ];
    expect(reachReport(drillTranscript({ plan }), { asOf }).members.map((m) => m.stage)).toEqual(['after-reminder', 'after-phone-step', 'after-reminder']);
  });

  it('acknowledged exactly at the deadline is before it; a second later is not', () => {
    const plan: MemberPlan[] = [
      { id: 'm01', ack: { minutes: 60, via: 'button' } },
      { id: 'm02', ack: { minutes: 60 + 1 / 60, via: 'button' } },
    ];
    expect(reachReport(drillTranscript({ plan }), { asOf }).rates.beforeDeadline).toEqual({ count: 1, percent: 50 });
  });

  it('a later round (a follow-up asking again) is not mixed in: round 1 as the delivery kept it', () => {
    const t = drillTranscript({ plan: [{ id: 'm01', steps: { reminder: 40 } }] });
    const d = t.deliveries[0]!;
    const round1 = { actor: d.acknowledged?.actor ?? { platform: 'slack' as const, userId: 'U1' }, at: at(50), via: 'button' as const };
    t.deliveries[0] = { ...d, round: 2, state: 'acknowledged', acknowledged: { ...round1, at: at(150) }, earlierRounds: [{ round: 1, state: 'acknowledged', acknowledged: round1 }] };
    // Round 2 begins at 130: its reminder and phone step are not round 1's.
    t.audit.events.push(
      { id: 'r2', at: at(130), action: 'delivery.round_started', advisoryId: d.advisoryId, deliveryId: d.id, detail: { round: 2 } },
      ...stepEvents(d, { id: 'm01', steps: { phone: 140 } }).map((e) => ({ ...e, id: 'r2-phone' })),
    );
    // A step at the very moment round 2 began is round 2's.
    t.audit.events.push({ ...stepEvents(d, { id: 'm01', steps: { alert: 130 } })[0]!, id: 'r2-alert' });
    const [m] = reachReport(t, { asOf }).members;
    expect(m).toMatchObject({ how: 'button', stage: 'after-reminder', acknowledgedAt: at(50), seconds: 3000, steps: { reminder: at(40) } });
    expect(m?.steps.alert).toBeUndefined();
    expect(m?.steps.phone).toBeUndefined();
    // Silent in round 1 (earlier round without an acknowledgement): never, whatever round 2 brought.
    t.deliveries[0] = { ...t.deliveries[0]!, earlierRounds: [{ round: 1, state: 'posted' }] };
    expect(reachReport(t, { asOf }).members[0]?.how).toBe('never');
    // Round 3: round 1 is found among the earlier rounds, not round 2's.
    t.deliveries[0] = { ...t.deliveries[0]!, round: 3, earlierRounds: [{ round: 1, state: 'acknowledged', acknowledged: round1 }, { round: 2, state: 'acknowledged', acknowledged: { ...round1, at: at(140) } }] };
    expect(reachReport(t, { asOf }).members[0]?.acknowledgedAt).toBe(at(50));
    t.deliveries[0] = { ...t.deliveries[0]!, earlierRounds: [{ round: 2, state: 'acknowledged', acknowledged: { ...round1, at: at(140) } }, { round: 1, state: 'posted' }] };
    expect(reachReport(t, { asOf }).members[0]?.how).toBe('never');
    // Earlier rounds kept, but not round 1's: nothing of round 1 is known.
    t.deliveries[0] = { ...t.deliveries[0]!, earlierRounds: [{ round: 2, state: 'acknowledged', acknowledged: { ...round1, at: at(140) } }] };
    expect(reachReport(t, { asOf }).members[0]?.how).toBe('never');
    // A record with no earlier rounds kept: nothing of round 1 is known.
    t.deliveries[0] = { ...t.deliveries[0]!, earlierRounds: undefined };
    expect(reachReport(t, { asOf }).members[0]?.how).toBe('never');
  });

  it('by phone in round 1, the contact from the task\'s round 1 when the task has moved on to a later round', () => {
    const t = drillTranscript({ plan: [{ id: 'm01', steps: { phone: 60 }, ack: { minutes: 62, via: 'phone' }, taskContact: { index: 1, name: '鈴木 美咲' } }] });
    const task = t.phoneTasks[0]!;
    t.phoneTasks[0] = { ...task, round: 2, state: 'open', resolution: { kind: 'reached', at: at(150), contact: { index: 0, name: '後の回' } }, earlierRounds: [{ round: 1, state: 'done', attempts: [], resolution: task.resolution }] };
    expect(reachReport(t, { asOf }).members[0]?.contact).toEqual({ index: 1, name: '鈴木 美咲' });
    // Round 3's task: round 1's resolution among the earlier rounds, whatever their order.
    const round2 = { round: 2, state: 'done' as const, attempts: [], resolution: { kind: 'reached' as const, at: at(140), contact: { index: 0, name: '二回目' } } };
    t.phoneTasks[0] = { ...t.phoneTasks[0], round: 3, earlierRounds: [round2, { round: 1, state: 'done', attempts: [], resolution: task.resolution }] };
    expect(reachReport(t, { asOf }).members[0]?.contact).toEqual({ index: 1, name: '鈴木 美咲' });
    t.phoneTasks[0] = { ...t.phoneTasks[0], earlierRounds: [round2] };
    expect(reachReport(t, { asOf }).members[0]?.contact).toBeUndefined();
    t.phoneTasks[0] = { ...t.phoneTasks[0], earlierRounds: undefined };
    expect(reachReport(t, { asOf }).members[0]?.contact).toBeUndefined();
  });

  it('a member with two channels: the first acknowledgement of either, the earliest step, every failure', () => {
    const t = drillTranscript({ plan: [{ id: 'm01', steps: { reminder: 40 }, ack: { minutes: 50, via: 'button' } }] });
    const other = { ...deliveryOf(t.advisoryId, { id: 'm01', ack: { minutes: 30, via: 'button' } }), id: 'ADV-2026-0001.m01.teams-19_x', channel: { platform: 'teams' as const, workspaceId: 'T', channelId: '19:x', sharedOutside: false } };
    const third = { ...deliveryOf(t.advisoryId, { id: 'm01', failed: { code: 'not_in_channel', minutes: 2 } }), id: 'ADV-2026-0001.m01.slack-C3' };
    t.deliveries.push(other, third);
    t.audit.events.push(...stepEvents(other, { id: 'm01', steps: { reminder: 25 } }));
    const report = reachReport(t, { asOf });
    expect(report.targeted).toBe(1);
    expect(report.members[0]).toMatchObject({ acknowledgedAt: at(30), seconds: 1800, stage: 'after-reminder', steps: { reminder: at(25) } });
    // Whichever order the channels come in, the first acknowledgement; at the same instant, the first channel's.
    t.deliveries.reverse();
    expect(reachReport(t, { asOf }).members[0]).toMatchObject({ acknowledgedAt: at(30), steps: { reminder: at(25) } });
    const phoneAtOnce = { ...other, id: 'ADV-2026-0001.m01.teams-19_y', acknowledged: { ...other.acknowledged!, via: 'phone' as const } };
    t.deliveries = [other, phoneAtOnce];
    expect(reachReport(t, { asOf }).members[0]?.how).toBe('button');
    t.deliveries = [phoneAtOnce, other];
    expect(reachReport(t, { asOf }).members[0]?.how).toBe('phone');
    expect(report.members[0]?.failures.map((f) => f.code)).toEqual(['not_in_channel']);
    expect(report.rates.failed).toEqual({ count: 1, percent: 100 });
  });

  it('an acknowledgement by phone with no contact anywhere names none', () => {
    const plan: MemberPlan[] = [{ id: 'm01', steps: { phone: 60 }, ack: { minutes: 62, via: 'phone' } }];
    const [m] = reachReport(drillTranscript({ plan }), { asOf }).members;
    expect(m?.stage).toBe('by-phone');
    expect(m && 'contact' in m).toBe(false);
    // Nor with no phone task on record at all.
    const bare = drillTranscript({ plan: [{ id: 'm01', ack: { minutes: 62, via: 'phone' } }] });
    expect(bare.phoneTasks).toEqual([]);
    expect(reachReport(bare, { asOf }).members[0]).toMatchObject({ how: 'phone', stage: 'by-phone' });
    expect(reachReport(bare, { asOf }).members[0]?.contact).toBeUndefined();
  });

  it('lists the members in id order, whatever order the record holds their deliveries in', () => {
    const t = drillTranscript();
    t.deliveries.reverse();
    expect(reachReport(t, { asOf }).members.map((m) => m.memberId)).toEqual(['m01', 'm02', 'm03', 'm04', 'm05', 'm06', 'm07', 'm08', 'm09', 'm10']);
  });

  it('a member with no name in the record is shown by id', () => {
    const t = drillTranscript({ plan: [{ id: 'm01' }] });
    t.memberNames = {};
    expect(reachReport(t, { asOf }).members[0]?.name).toEqual({ ja: 'm01', en: 'm01' });
  });
});

describe('an open advisory, and nobody yet', () => {
  it('measures up to asOf while open; nobody acknowledged: no times, a flat series, 0 %', () => {
    const t = drillTranscript({ plan: [{ id: 'm01' }, { id: 'm02' }, { id: 'm03' }], advisory: { closure: undefined, state: 'open' } });
    const report = reachReport(t, { asOf: new Date(at(30)) });
    expect(report.closed).toBeUndefined();
    expect(report.endSeconds).toBe(1800);
    expect(report.times).toEqual({ acknowledged: 0, medianSeconds: null, p90Seconds: null });
    expect(report.series).toEqual([
      { seconds: 0, acknowledged: 0, share: 0 },
      { seconds: 1800, acknowledged: 0, share: 0 },
    ]);
    expect(report.rates.never).toEqual({ count: 3, percent: 100 });
  });

  it('no deliveries at all: zero of nobody, and a report made before issue ends at issue', () => {
    const t = drillTranscript({ plan: [], advisory: { closure: undefined, state: 'open' } });
    const report = reachReport(t, { asOf: new Date(T0.getTime() - 1000) });
    expect(report.targeted).toBe(0);
    expect(report.rates.acknowledged).toEqual({ count: 0, percent: 0 });
    expect(report.endSeconds).toBe(0);
    expect(report.series).toEqual([{ seconds: 0, acknowledged: 0, share: 0 }]);
  });

  it('an acknowledgement at the end of the measure adds no flat point after it', () => {
    const t = drillTranscript({ plan: [{ id: 'm01', ack: { minutes: 120, via: 'button' } }] });
    expect(reachReport(t, { asOf }).series.map((p) => p.seconds)).toEqual([0, 7200]);
  });
});
