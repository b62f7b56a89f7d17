import { describe, expect, it } from 'vitest';
import { compareReach } from '../../../src/domain/reach-compare.js';
import { reachReport } from '../../../src/domain/reach.js';
import { at } from '../store/fixtures.js';
import { drillTranscript, type MemberPlan } from './reach-fixture.js';

const asOf = new Date(at(200));

/** The last drill: three members, two by button before the reminder, one never. */
const LAST: MemberPlan[] = [
  { id: 'm01', ack: { minutes: 20, via: 'button' } },
  { id: 'm02', ack: { minutes: 30, via: 'button' } },
  { id: 'm03', steps: { reminder: 40, phone: 60 } },
];

describe('compareReach: this drill against the last', () => {
  const current = reachReport(drillTranscript(), { asOf });
  const previous = reachReport(drillTranscript({ plan: LAST, advisory: { id: 'ADV-2026-0000', drill: false } }), { asOf });
  const c = compareReach(current, previous);

  it('names both sides', () => {
    expect(c.current).toEqual({ advisoryId: 'ADV-2026-0001', drill: true, issuedAt: at(0), targeted: 10 });
    expect(c.previous).toEqual({ advisoryId: 'ADV-2026-0000', drill: false, issuedAt: at(0), targeted: 3 });
  });

  it('puts each rate side by side with the difference in percentage points', () => {
    expect(c.rates.map((l) => [l.key, l.current.percent, l.previous.percent, l.points])).toEqual([
      ['beforeReminder', 30, 66.7, -36.7],
      ['beforeDeadline', 60, 66.7, -6.7],
      ['afterPhoneStep', 30, 0, 30],
      ['byPhone', 20, 0, 20],
      ['acknowledged', 80, 66.7, 13.3],
      ['never', 20, 33.3, -13.3],
      ['failed', 20, 0, 20],
    ]);
    expect(c.rates[0]).toMatchObject({ current: { count: 3 }, previous: { count: 2 } });
  });

  it('and the median and p90 with the difference in seconds', () => {
    expect(c.times).toEqual([
      { key: 'medianSeconds', current: 2250, previous: 1500, seconds: 750 },
      { key: 'p90Seconds', current: 3990, previous: 1740, seconds: 2250 },
    ]);
  });

  it('no difference of times when one side has nobody acknowledged', () => {
    const silent = reachReport(drillTranscript({ plan: [{ id: 'm01' }] }), { asOf });
    expect(compareReach(silent, previous).times.map((t) => t.seconds)).toEqual([null, null]);
    expect(compareReach(previous, silent).times.map((t) => [t.current, t.previous])).toEqual([
      [1500, null],
      [1740, null],
    ]);
  });
});
