/**
 * The live status card on Slack (adapters/slack/notice-blocks.ts, the 'advisory_issued' notice): as issued
 * without a live part, and with one (the bar, the counts, on the phone, the round, time since issue, the next
 * step, how it closed), and the notification text kept short.
 */
import { describe, expect, it } from 'vitest';
import { renderNotice } from '../../../adapters/slack/notice-blocks.js';
import type { LiveStatusView, NoticeView } from '../../../src/view/views.js';

type Issued = Extract<NoticeView, { kind: 'advisory_issued' }>;

const issued: Issued = {
  kind: 'advisory_issued',
  advisoryId: 'ADV-2026-0042',
  title: '電子カルテシステムの脆弱性について <!channel>',
  tlp: 'TLP:AMBER',
  drill: false,
  deliveries: 17,
  ackDeadline: '2026-11-25T01:00:00.000Z',
  issuedBy: '事務局 田中',
};

const live: LiveStatusView = {
  issuedAt: '2026-11-25T00:28:00.000Z',
  counts: { total: 17, acknowledged: 12, posted: 3, failed: 1, queued: 1, cancelled: 0 },
  onPhone: 0,
  ackDeadline: '2026-11-25T01:00:00.000Z',
  asOf: '2026-11-25T00:40:00.000Z',
};

/** Every mrkdwn text of the blocks, in order. */
function texts(blocks: unknown): string {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v !== null && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (o.type === 'mrkdwn' && typeof o.text === 'string') out.push(o.text);
      Object.values(o).forEach(walk);
    }
  };
  walk(blocks);
  return out.join('\n');
}

describe('the issued notice as a live status card', () => {
  it('without a live part: as issued, no bar, no counts', () => {
    const out = renderNotice(issued);
    const all = texts(out.blocks);
    expect(all).toContain('注意喚起を発信しました / Advisory issued');
    expect(all).not.toContain('受領確認 ');
    expect(all).not.toContain('🟩');
    expect(all).not.toContain('発信から');
    expect(out.text).toBe('[TLP:AMBER] ✅ 注意喚起を発信しました / Advisory issued: ADV-2026-0042 電子カルテシステムの脆弱性について &lt;!channel&gt;');
  });

  it('live: the bar, the counts in both languages, time since issue as of the card; the title still escaped', () => {
    const out = renderNotice({ ...issued, live });
    const all = texts(out.blocks);
    expect(all).toContain('🟩🟩🟩🟩🟩🟩🟩🟩🟩🟩🟩🟩🟨🟨🟨🟥⬜');
    expect(all).toContain('*受領確認 12/17 · 未確認 3 · 失敗 1 · 配信待ち 1*\nacknowledged 12 of 17 · silent 3 · failed 1 · queued 1');
    expect(all).toContain('🕒 発信から 12分（2026/11/25 09:40 JST 時点） / 12 min since issue (as of 2026/11/25 09:40 JST)');
    expect(all).not.toContain('電話対応中');
    expect(all).not.toContain('次の段階');
    expect(all).not.toContain('第2回受領確認');
    expect(all).not.toContain('🏁');
    expect(all).not.toMatch(/<!channel>/);
    // The notification: short, with how far it got.
    expect(out.text).toBe('[TLP:AMBER] ✅ 注意喚起を発信しました / Advisory issued: ADV-2026-0042 電子カルテシステムの脆弱性について &lt;!channel&gt; (受領確認 12/17 / acknowledged 12 of 17)');
    expect(out.text).not.toContain('\n');
  });

  it('live: on the phone, the round, the next step and the round\'s deadline', () => {
    const out = renderNotice({
      ...issued,
      live: {
        ...live,
        onPhone: 2,
        round: { n: 2, followup: 1, since: '2026-11-25T00:35:00.000Z' },
        ackDeadline: '2026-11-25T02:00:00.000Z',
        nextStep: { kind: 'reminder', at: '2026-11-25T00:45:00.000Z', members: 3 },
      },
    });
    const all = texts(out.blocks);
    expect(all).toContain('📞 電話対応中 2 / on the phone 2');
    expect(all).toContain('🔁 第2回受領確認（続報 #1、2026/11/25 09:35 JSTから） / Acknowledgement round 2 (follow-up #1, since 2026/11/25 09:35 JST)');
    expect(all).toContain('⏭️ 次の段階: リマインド 2026/11/25 09:45 JST（3名） / next: reminder at 2026/11/25 09:45 JST (3 members)');
    // The deadline shown is the current round's.
    expect(all).toContain('2026/11/25 11:00 JST');
    expect(all).not.toContain('2026/11/25 10:00 JST');
  });

  it('closed: the closing line, the final counts, no next step', () => {
    const out = renderNotice({
      ...issued,
      live: {
        ...live,
        counts: { total: 17, acknowledged: 17, posted: 0, failed: 0, queued: 0, cancelled: 0 },
        asOf: '2026-11-25T01:05:00.000Z',
        nextStep: { kind: 'phone', at: '2026-11-25T01:10:00.000Z', members: 1 },
        closed: { cause: 'all_acknowledged', at: '2026-11-25T01:05:00.000Z' },
      },
    });
    const all = texts(out.blocks);
    expect(all).toContain('🏁 *2026/11/25 10:05 JST 注意喚起を終了しました（全構成員が受領確認）*\nAdvisory closed: every member acknowledged (2026/11/25 10:05 JST)');
    expect(all).toContain('*受領確認 17/17*\nacknowledged 17 of 17');
    expect(all).toContain('🟩'.repeat(17));
    expect(all).not.toContain('🟨');
    expect(all).not.toContain('次の段階');
    expect(out.text.startsWith('[TLP:AMBER] 🏁 ')).toBe(true);
  });
});
