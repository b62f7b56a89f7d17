import { describe, expect, it } from 'vitest';
import { lifecycleLines } from '../../../adapters/local/local-lifecycle-lines.js';
import { aClosedNotice, aClosingSummary, aRoundFollowUp, ROUND_2 } from '../../support/round-fixtures.js';

describe('lifecycleLines: acknowledgement rounds', () => {
  it("the closing summary of a later round says first which round, its follow-up and since when", () => {
    const l = lifecycleLines({ kind: 'notice', view: aClosedNotice(aClosingSummary({ round: ROUND_2 })) })!;
    expect(l.lines[0]).toEqual({ ja: '第2回受領確認（続報 #2、2026/11/25 19:00 JSTから）', en: 'Acknowledgement round 2 (follow-up #2, since 2026/11/25 19:00 JST)' });
    expect(l.lines[1]).toEqual({ ja: '配信対象：18', en: 'Targeted: 18' });
  });

  it('round 1 has no round line', () => {
    const l = lifecycleLines({ kind: 'notice', view: aClosedNotice(aClosingSummary()) })!;
    expect(l.lines[0]).toEqual({ ja: '配信対象：18', en: 'Targeted: 18' });
  });

  it('a follow-up keeps its heading (the page draws the request and the button from the view)', () => {
    expect(lifecycleLines({ kind: 'followup', view: aRoundFollowUp() })).toEqual({ heading: { ja: '続報 2', en: 'Follow-up 2' }, lines: [] });
  });
});
