import { describe, expect, it } from 'vitest';
import { barCells, barText, liveLineList, liveStatusLines } from '../../../src/view/live-status-lines.js';
import type { LiveStatusView } from '../../../src/view/views.js';

const counts = (c: Partial<LiveStatusView['counts']>): LiveStatusView['counts'] => {
  const base = { queued: 0, posted: 0, acknowledged: 0, failed: 0, cancelled: 0, ...c };
  return { ...base, total: base.queued + base.posted + base.acknowledged + base.failed + base.cancelled };
};

const live = (extra: Partial<LiveStatusView> = {}): LiveStatusView => ({
  issuedAt: '2026-11-25T00:28:00.000Z',
  counts: counts({ acknowledged: 12, posted: 3, failed: 1, queued: 1 }),
  onPhone: 0,
  ackDeadline: '2026-11-25T01:00:00.000Z',
  asOf: '2026-11-25T00:40:00.000Z',
  ...extra,
});

describe('liveStatusLines', () => {
  it('counts per state, acknowledged of total first, states with none left out', () => {
    const l = liveStatusLines(live());
    expect(l.progress).toEqual({ ja: '受領確認 12/17 · 未確認 3 · 失敗 1 · 配信待ち 1', en: 'acknowledged 12 of 17 · silent 3 · failed 1 · queued 1' });
    const done = liveStatusLines(live({ counts: counts({ acknowledged: 1800 }) }));
    expect(done.progress).toEqual({ ja: '受領確認 1,800/1,800', en: 'acknowledged 1,800 of 1,800' });
    expect(liveStatusLines(live({ counts: counts({ posted: 2, cancelled: 3 }) })).progress.en).toBe('acknowledged 0 of 5 · silent 2 · not sent (withdrawn) 3');
  });

  it('time since issue from the card\'s own times (issuedAt to asOf), in Japan time', () => {
    expect(liveStatusLines(live()).since).toEqual({ ja: '発信から 12分（2026/11/25 09:40 JST 時点）', en: '12 min since issue (as of 2026/11/25 09:40 JST)' });
    expect(liveStatusLines(live({ asOf: '2026-11-25T01:33:00.000Z' })).since.en).toBe('1 h 5 min since issue (as of 2026/11/25 10:33 JST)');
  });

  it('who is on the phone, the round and the next step only when there are', () => {
    const none = liveStatusLines(live());
    expect([none.onPhone, none.round, none.next, none.closed]).toEqual([undefined, undefined, undefined, undefined]);
    expect(liveLineList(none)).toEqual([none.progress, none.since]);
    const busy = liveStatusLines(
      live({ onPhone: 2, round: { n: 2, followup: 1, since: '2026-11-25T00:30:00.000Z' }, nextStep: { kind: 'reminder', at: '2026-11-25T00:40:00.000Z', members: 3 } }),
    );
    expect(busy.onPhone).toEqual({ ja: '電話対応中 2', en: 'on the phone 2' });
    expect(busy.round).toEqual({ ja: '第2回受領確認（続報 #1、2026/11/25 09:30 JSTから）', en: 'Acknowledgement round 2 (follow-up #1, since 2026/11/25 09:30 JST)' });
    expect(busy.next).toEqual({ ja: '次の段階: リマインド 2026/11/25 09:40 JST（3名）', en: 'next: reminder at 2026/11/25 09:40 JST (3 members)' });
    expect(liveStatusLines(live({ nextStep: { kind: 'phone', at: '2026-11-25T01:00:00.000Z', members: 1 } })).next?.en).toBe('next: phone task at 2026/11/25 10:00 JST (1 member)');
    expect(liveLineList(busy)).toEqual([busy.progress, busy.onPhone, busy.round, busy.since, busy.next]);
  });

  it('closed: the closing words of lifecycle-text and when; no next step after closing', () => {
    const l = liveStatusLines(
      live({ closed: { cause: 'all_acknowledged', at: '2026-11-25T01:05:00.000Z' }, nextStep: { kind: 'reminder', at: '2026-11-25T01:10:00.000Z', members: 1 } }),
    );
    expect(l.closed).toEqual({ ja: '2026/11/25 10:05 JST 注意喚起を終了しました（全構成員が受領確認）', en: 'Advisory closed: every member acknowledged (2026/11/25 10:05 JST)' });
    expect(l.next).toBeUndefined();
    expect(liveStatusLines(live({ closed: { cause: 'command', at: '2026-11-25T01:05:00.000Z' } })).closed?.en).toContain('Advisory closed by the secretariat');
  });
});

describe('barCells', () => {
  it('one cell per delivery up to the width, in the order acknowledged, silent, failed, queued', () => {
    expect(barCells(counts({ acknowledged: 2, posted: 1, failed: 1, queued: 1 }))).toEqual(['acknowledged', 'acknowledged', 'posted', 'failed', 'queued']);
    expect(barText(counts({ acknowledged: 2, posted: 1, failed: 1, queued: 1, cancelled: 1 }))).toBe('🟩🟩🟨🟥⬜⬛');
    expect(barCells(counts({}))).toEqual([]);
  });

  it('scaled to the width by share, and a state with any delivery keeps a cell', () => {
    const cells = barCells(counts({ acknowledged: 1790, failed: 1, posted: 9 }), 20);
    expect(cells).toHaveLength(20);
    expect(cells.filter((c) => c === 'failed')).toHaveLength(1);
    expect(cells.filter((c) => c === 'posted')).toHaveLength(1);
    expect(cells.filter((c) => c === 'acknowledged')).toHaveLength(18);
    const half = barCells(counts({ acknowledged: 900, posted: 900 }), 10);
    expect(half.filter((c) => c === 'acknowledged')).toHaveLength(5);
    expect(half.filter((c) => c === 'posted')).toHaveLength(5);
    // Largest remainder: 2/3 of 10 is 6.67 → 7, 1/3 is 3.33 → 3.
    const thirds = barCells(counts({ acknowledged: 200, posted: 100 }), 10);
    expect(thirds.filter((c) => c === 'acknowledged')).toHaveLength(7);
    expect(thirds).toHaveLength(10);
  });
});
