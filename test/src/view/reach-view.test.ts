import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICIES } from '../../../src/domain/escalation.js';
import { reachReport } from '../../../src/domain/reach.js';
import { reachView } from '../../../src/view/reach-view.js';
import { drillTranscript } from '../domain/reach-fixture.js';
import { at } from '../store/fixtures.js';

const asOf = new Date(at(200));

describe('the reach report worded for a page or a chat', () => {
  const view = reachView(reachReport(drillTranscript(), { asOf, policy: DEFAULT_POLICIES.level3, contacts: 2 }));

  it('each rate with its label and its count and percent in both languages', () => {
    expect(view.rates.map((r) => [r.key, r.text.ja, r.text.en])).toEqual([
      ['beforeReminder', '3件（30%）', '3 (30%)'],
      ['beforeDeadline', '6件（60%）', '6 (60%)'],
      ['afterPhoneStep', '3件（30%）', '3 (30%)'],
      ['byPhone', '2件（20%）', '2 (20%)'],
      ['acknowledged', '8件（80%）', '8 (80%)'],
      ['never', '2件（20%）', '2 (20%)'],
      ['failed', '2件（20%）', '2 (20%)'],
    ]);
    expect(view.rates[0]).toMatchObject({ label: { ja: 'リマインド前に受領確認', en: 'Acknowledged before the reminder' }, count: 3, percent: 30 });
  });

  it('the stages, the times in minutes and seconds, and the ladder as the policy sets it', () => {
    expect(view.stages.map((s) => [s.stage, s.count])).toEqual([
      ['before-reminder', 3],
      ['after-reminder', 2],
      ['after-phone-step', 1],
      ['by-phone', 2],
      ['never', 2],
    ]);
    expect(view.times).toEqual([
      { key: 'median', label: { ja: '受領確認までの時間（中央値）', en: 'Median time to acknowledgement' }, seconds: 2250, text: { ja: '37分30秒', en: '37 minutes 30 seconds' } },
      { key: 'p90', label: { ja: '受領確認までの時間（90パーセンタイル）', en: '90th percentile time to acknowledgement' }, seconds: 3990, text: { ja: '1時間6分30秒', en: '1 hour 6 minutes 30 seconds' } },
    ]);
    expect(view.ladder.map((l) => [l.kind, l.label.ja, l.text.ja, l.reached])).toEqual([
      ['reminder', 'リマインド', '40分', 5],
      ['phone', '電話', '1時間', 5],
      ['alert', '事務局へ通知', '1時間40分', 2],
    ]);
    expect(view.ladderSource).toEqual({ ja: 'エスカレーション設定の時刻', en: "the escalation policy's times" });
  });

  it('says whether the figures are final, and for what', () => {
    expect(view).toMatchObject({ advisoryId: 'ADV-2026-0001', drill: true, tlp: 'TLP:AMBER', severity: 'level3', targeted: 10, state: 'closed', asOf: at(200) });
    expect(view.stateText).toEqual({ ja: '終了', en: 'closed' });
    expect(view.heading).toEqual({ ja: '疎通確認率', en: 'Reach report' });
    const open = reachView(reachReport(drillTranscript({ advisory: { closure: undefined, state: 'open' } }), { asOf }));
    expect(open.state).toBe('open');
    expect(open.stateText).toEqual({ ja: '受付中（途中の集計）', en: 'open (figures so far)' });
    expect(open.ladderSource).toEqual({ ja: '記録上の最初の実行時刻', en: 'when each step first ran' });
    const quiet = reachView(reachReport(drillTranscript({ plan: [{ id: 'm01' }] }), { asOf }));
    expect(quiet.ladderSource).toBeUndefined();
    expect(quiet.times.map((t) => t.text)).toEqual([
      { ja: '受領確認なし', en: 'nobody acknowledged' },
      { ja: '受領確認なし', en: 'nobody acknowledged' },
    ]);
  });
});
