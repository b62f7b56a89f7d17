import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { compareReach } from '../../../src/domain/reach-compare.js';
import { DEFAULT_POLICIES } from '../../../src/domain/escalation.js';
import { reachReport, type ReachReport } from '../../../src/domain/reach.js';
import { comparisonCsv, reachCsv, reachJson } from '../../../src/view/reach-export.js';
import { jst } from '../../../src/view/transcript-export.js';
import { drillTranscript } from '../domain/reach-fixture.js';
import { at } from '../store/fixtures.js';

const asOf = new Date(at(200));
const report = reachReport(drillTranscript(), { asOf, policy: DEFAULT_POLICIES.level3, contacts: 2 });

/** The CSV as Excel reads it: BOM off, CRLF rows, blank lines kept as empty records. */
function rowsOf(csv: string): string[][] {
  expect(csv.startsWith('\uFEFF')).toBe(true);
  expect(csv).toContain('\r\n');
  expect(csv.replace(/\r\n/g, '')).not.toContain('\n');
  return parse(csv.slice(1), { relax_column_count: true, skip_empty_lines: false }) as string[][];
}

describe('the reach report as CSV', () => {
  const rows = rowsOf(reachCsv(report));
  const blank = rows.findIndex((r) => r.length === 1 && r[0] === '');

  it('starts with the figures: the advisory, the rates (count and percent) and the times (seconds)', () => {
    expect(rows.slice(0, blank)).toEqual([
      ['指標 / measure', '件数 / count', '割合 (%) / percent', '秒 / seconds'],
      ['注意喚起ID / advisory id', 'ADV-2026-0001', '', ''],
      ['訓練 / drill', 'yes', '', ''],
      ['集計時点 / as of', jst(at(200)), '', ''],
      ['対象の構成員 / Members targeted', '10', '100', ''],
      ['リマインド前に受領確認 / Acknowledged before the reminder', '3', '30', ''],
      ['期限内に受領確認 / Acknowledged by the deadline', '6', '60', ''],
      ['電話段階の後に受領確認 / Acknowledged after the phone step', '3', '30', ''],
      ['うち電話で連絡 / of which reached by phone', '2', '20', ''],
      ['受領確認 計 / Acknowledged in all', '8', '80', ''],
      ['未確認 / Never acknowledged', '2', '20', ''],
      ['配信失敗あり / With a failed delivery', '2', '20', ''],
      ['受領確認までの時間（中央値） / Median time to acknowledgement', '8', '', '2250'],
      ['受領確認までの時間（90パーセンタイル） / 90th percentile time to acknowledgement', '8', '', '3990'],
    ]);
  });

  it('then one row per member: how, the stage, when, the contact reached, the steps and the failures', () => {
    const [header, ...members] = rows.slice(blank + 1);
    expect(header?.[0]).toBe('注意喚起ID / advisory id');
    expect(header).toHaveLength(13);
    expect(members).toHaveLength(10);
    const byId = Object.fromEntries(members.map((r) => [r[2], r]));
    expect(byId['m01']).toEqual(['ADV-2026-0001', 'yes', 'm01', '会員m01', 'ボタン / button', 'リマインド前 / before the reminder', jst(at(5)), '300', '', '', '', '', '']);
    expect(byId['m06']).toEqual(['ADV-2026-0001', 'yes', 'm06', '会員m06', '電話 / phone', '電話で連絡 / by phone', jst(at(70)), '4200', '#2 佐藤 健一', jst(at(40)), jst(at(60)), '', '']);
    expect(byId['m10']).toEqual([
      'ADV-2026-0001',
      'yes',
      'm10',
      '会員m10',
      '未確認 / never',
      '未確認 / never',
      '',
      '',
      '',
      '',
      jst(at(1)),
      jst(at(90)),
      `TLP_SHARED_CHANNEL (shared with another organisation) ${jst(at(1))}`,
    ]);
    expect(byId['m08']?.[12]).toBe(`channel_not_found ${jst(at(1))}`);
    // Every stage in words.
    expect([byId['m04']?.[5], byId['m07']?.[5], byId['m09']?.[5]]).toEqual(['リマインド後 / after the reminder', '電話段階の後（ボタン） / after the phone step (button)', '未確認 / never']);
  });

  it('a contact with a role says it; nobody acknowledged leaves the times empty; a real advisory says no', () => {
    const withRole: ReachReport = { ...report, drill: false, members: [{ ...report.members[5]!, contact: { index: 0, name: '佐藤 健一', role: '課長' } }] };
    withRole.members[0]!.failures = [
      { code: 'not_in_channel', at: at(1) },
      { code: 'RETRIES_EXHAUSTED', at: at(3), detail: '429' },
    ];
    const r = rowsOf(reachCsv(withRole));
    expect(r.at(-1)?.[8]).toBe('#1 佐藤 健一 (課長)');
    expect(r.at(-1)?.[1]).toBe('no');
    expect(r.at(-1)?.[12]).toBe(`not_in_channel ${jst(at(1))}; RETRIES_EXHAUSTED (429) ${jst(at(3))}`);
    expect(r[2]).toEqual(['訓練 / drill', 'no', '', '']);
    const silent = reachReport(drillTranscript({ plan: [] }), { asOf });
    const s = rowsOf(reachCsv(silent));
    expect(s[4]).toEqual(['対象の構成員 / Members targeted', '0', '0', '']);
    expect(s[12]).toEqual(['受領確認までの時間（中央値） / Median time to acknowledgement', '0', '', '']);
  });
});

describe('the comparison as CSV', () => {
  it('one row per measure: this one, the last and the difference', () => {
    const previous = reachReport(drillTranscript({ plan: [{ id: 'm01', ack: { minutes: 20, via: 'button' } }, { id: 'm02' }], advisory: { id: 'ADV-2026-0000', drill: false } }), { asOf });
    const rows = rowsOf(comparisonCsv(compareReach(report, previous)));
    expect(rows[0]).toEqual(['指標 / measure', '今回 / this one ADV-2026-0001 [DRILL]', '前回 / the last ADV-2026-0000', '差 / difference']);
    expect(rows[1]).toEqual(['対象の構成員 / Members targeted', '10', '2', '8']);
    expect(rows[2]).toEqual(['リマインド前に受領確認 / Acknowledged before the reminder (%)', '30', '50', '-20']);
    expect(rows.at(-2)).toEqual(['受領確認までの時間（中央値） / Median time to acknowledgement (秒 / seconds)', '2250', '1200', '1050']);
    expect(rows.at(-1)).toEqual(['受領確認までの時間（90パーセンタイル） / 90th percentile time to acknowledgement (秒 / seconds)', '3990', '1200', '2790']);
    expect(rows).toHaveLength(2 + 7 + 2);
    const none = reachReport(drillTranscript({ plan: [{ id: 'm01' }] }), { asOf });
    expect(rowsOf(comparisonCsv(compareReach(none, previous))).at(-1)).toEqual(['受領確認までの時間（90パーセンタイル） / 90th percentile time to acknowledgement (秒 / seconds)', '', '1200', '']);
  });
});

describe('the reach report as JSON', () => {
  it('is the report as built, pretty-printed, ending with a newline', () => {
    const json = reachJson(report);
    expect(json.endsWith('}\n')).toBe(true);
    expect(json).toContain('\n  "advisoryId": "ADV-2026-0001",');
    expect(JSON.parse(json)).toEqual(JSON.parse(JSON.stringify(report)));
    expect(JSON.parse(json).rates.beforeReminder).toEqual({ count: 3, percent: 30 });
  });
});
