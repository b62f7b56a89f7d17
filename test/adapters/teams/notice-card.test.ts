/**
 * The live status card on Teams (adapters/teams/notice-card.ts, the 'advisory_issued' notice): as issued without
 * a live part, and with one: a ColumnSet bar (a column per state, as wide as its cells, in its state's style), the
 * counts, on the phone, the round, time since issue, the next step, how it closed.
 */
import { describe, expect, it } from 'vitest';
import { noticeCard } from '../../../adapters/teams/notice-card.js';
import type { LiveStatusView, NoticeView } from '../../../src/view/views.js';
import { markdownTexts, unescapeCardText } from './card-helpers.js';

type Issued = Extract<NoticeView, { kind: 'advisory_issued' }>;

const issued: Issued = {
  kind: 'advisory_issued',
  advisoryId: 'ADV-2026-0042',
  title: '電子カルテシステムの脆弱性について',
  tlp: 'TLP:AMBER',
  drill: false,
  deliveries: 1800,
  ackDeadline: '2026-11-25T01:00:00.000Z',
  issuedBy: '事務局 田中',
};

const live: LiveStatusView = {
  issuedAt: '2026-11-25T00:28:00.000Z',
  counts: { total: 1800, acknowledged: 1790, posted: 9, failed: 1, queued: 0, cancelled: 0 },
  onPhone: 0,
  ackDeadline: '2026-11-25T01:00:00.000Z',
  asOf: '2026-11-25T00:40:00.000Z',
};

const text = (card: unknown): string => markdownTexts(card).map(unescapeCardText).join('\n');

type Column = { type: string; width: number; style: string; items: { text: string }[] };
function columns(card: { body: unknown[] }): Column[] {
  const set = card.body.find((b) => (b as { type: string }).type === 'ColumnSet') as { columns: Column[] } | undefined;
  return set?.columns ?? [];
}

describe('the issued notice as a live status card on Teams', () => {
  it('without a live part: as issued, no bar, no counts', () => {
    const card = noticeCard(issued);
    expect(columns(card)).toEqual([]);
    const all = text(card);
    expect(all).toContain('注意喚起を発信しました / Advisory issued');
    expect(all).not.toContain('受領確認 ');
    expect(all).not.toContain('発信から');
  });

  it('live: a segment per state with deliveries, one failed among 1,800 still visible, and the counts', () => {
    const card = noticeCard({ ...issued, live });
    const cols = columns(card);
    expect(cols.map((c) => c.style)).toEqual(['good', 'warning', 'attention']);
    expect(cols.map((c) => c.width)).toEqual([18, 1, 1]);
    expect(cols.map((c) => unescapeCardText(c.items[0]!.text))).toEqual(['🟩 1,790', '🟨 9', '🟥 1']);
    const all = text(card);
    expect(all).toContain('受領確認 1,790/1,800 · 未確認 9 · 失敗 1');
    expect(all).toContain('acknowledged 1,790 of 1,800 · silent 9 · failed 1');
    expect(all).toContain('🕒 発信から 12分（2026/11/25 09:40 JST 時点） / 12 min since issue (as of 2026/11/25 09:40 JST)');
    expect(all).not.toContain('電話対応中');
    expect(all).not.toContain('次の段階');
    expect(all).not.toContain('🏁');
  });

  it('live: on the phone, the round and the next step', () => {
    const all = text(
      noticeCard({
        ...issued,
        live: { ...live, onPhone: 9, round: { n: 2, followup: 1, since: '2026-11-25T00:35:00.000Z' }, nextStep: { kind: 'next-contact', at: '2026-11-25T00:50:00.000Z', members: 9 } },
      }),
    );
    expect(all).toContain('📞 電話対応中 9 / on the phone 9');
    expect(all).toContain('🔁 第2回受領確認（続報 #1、2026/11/25 09:35 JSTから） / Acknowledgement round 2 (follow-up #1, since 2026/11/25 09:35 JST)');
    expect(all).toContain('⏭️ 次の段階: 次の連絡先へ 2026/11/25 09:50 JST（9名） / next: next contact at 2026/11/25 09:50 JST (9 members)');
  });

  it('closed: the closing line and the final counts, no next step', () => {
    const card = noticeCard({
      ...issued,
      live: {
        ...live,
        counts: { total: 1800, acknowledged: 1790, posted: 0, failed: 10, queued: 0, cancelled: 0 },
        nextStep: { kind: 'alert', at: '2026-11-25T02:00:00.000Z', members: 1 },
        closed: { cause: 'command', at: '2026-11-25T01:30:00.000Z' },
      },
    });
    expect(columns(card).map((c) => c.style)).toEqual(['good', 'attention']);
    const all = text(card);
    expect(all).toContain('🏁 **2026/11/25 10:30 JST 注意喚起を終了しました（事務局の操作）**');
    expect(all).toContain('Advisory closed by the secretariat (2026/11/25 10:30 JST)');
    expect(all).toContain('受領確認 1,790/1,800 · 失敗 10');
    expect(all).not.toContain('次の段階');
  });
});
