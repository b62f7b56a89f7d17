import { describe, expect, it } from 'vitest';
import type { KnownBlock } from '@slack/types';
import {
  ACK_ACTION_ID,
  MAX_BLOCKS,
  renderAdvisoryMessage,
  renderError,
  renderNotice,
  renderStatus,
} from '../../../adapters/slack/slack-blocks.js';
import { TLP_COLOUR, TLP_LEVELS } from '../../../src/domain/classification.js';
import { BODY_MAX } from '../../../src/domain/advisory.js';
import type { AdvisoryView, StatusRow, StatusView } from '../../../src/view/views.js';

const HOSTILE = '<!channel> @here <@U0ATTACK> <#C0ATTACK> <https://evil.example|銀行> & co';

function advisory(over: Partial<AdvisoryView> = {}): AdvisoryView {
  return {
    advisoryId: 'ADV-2026-0042',
    deliveryId: 'dlv-0001',
    title: '電子カルテシステムの脆弱性について',
    body: '厚生労働省より、以下の脆弱性について注意喚起がありました。\n対象製品をご確認ください。',
    tlp: 'TLP:AMBER',
    severity: 'level3',
    category: 'vulnerability',
    source: 'mhlw',
    drill: false,
    issuedAt: '2026-11-25T09:00:00.000Z',
    ackDeadline: '2026-11-25T10:00:00.000Z',
    memberName: { ja: '日本病院会', en: 'Japan Hospital Association' },
    audience: 'channel',
    alsoSeenBy: [],
    ...over,
  };
}

/** Every text Slack would parse as mrkdwn, wherever it sits in the blocks. */
function mrkdwnTexts(value: unknown): string[] {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v !== null && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (o.type === 'mrkdwn' && typeof o.text === 'string') out.push(o.text);
      Object.values(o).forEach(walk);
    }
  };
  walk(value);
  return out;
}

function allBlocks(msg: ReturnType<typeof renderAdvisoryMessage>): KnownBlock[] {
  return [...msg.blocks, ...msg.attachments.flatMap((a) => (a.blocks ?? []) as KnownBlock[])];
}

function buttons(msg: ReturnType<typeof renderAdvisoryMessage>): unknown[] {
  return allBlocks(msg).flatMap((b) => (b.type === 'actions' ? b.elements : []));
}

function expectInert(texts: string[]): void {
  for (const t of texts) {
    expect(t).not.toMatch(/<[!@#]/);
    expect(t).not.toMatch(/<https?:/);
    expect(t).not.toMatch(/@(channel|here|everyone)/i);
    expect(t).not.toMatch(/&(?!amp;|lt;|gt;)/);
  }
}

describe('renderAdvisoryMessage', () => {
  it('puts the TLP label first in the notification text and the first block', () => {
    const msg = renderAdvisoryMessage(advisory());
    expect(msg.text).toBe('[TLP:AMBER] 電子カルテシステムの脆弱性について');
    const first = mrkdwnTexts(msg.blocks[0])[0];
    expect(first).toMatch(/^🟧 \*TLP:AMBER\* — 限定公開 \/ Organisation and its clients, need to know$/);
  });

  it('colours the attachment with the TLP colour, for every label', () => {
    const squares = { 'TLP:RED': '🟥', 'TLP:AMBER+STRICT': '🟧', 'TLP:AMBER': '🟧', 'TLP:GREEN': '🟩', 'TLP:CLEAR': '⬜' };
    for (const tlp of TLP_LEVELS) {
      const msg = renderAdvisoryMessage(advisory({ tlp }));
      expect(msg.attachments).toHaveLength(1);
      expect(msg.attachments[0]?.color).toBe(TLP_COLOUR[tlp]);
      expect(msg.text.startsWith(`[${tlp}] `)).toBe(true);
      expect(mrkdwnTexts(msg.blocks[0])[0]?.startsWith(`${squares[tlp]} *${tlp}*`)).toBe(true);
    }
  });

  it('shows the drill banner and tags the notification text', () => {
    const msg = renderAdvisoryMessage(advisory({ drill: true }));
    expect(msg.text).toBe('[TLP:AMBER] 【訓練】[DRILL] 電子カルテシステムの脆弱性について');
    expect(mrkdwnTexts(msg.blocks[1]).join()).toContain('【訓練】これは訓練です / [DRILL] This is a drill');
    expect(JSON.stringify(renderAdvisoryMessage(advisory()))).not.toContain('訓練');
  });

  it('lays out header, fields, body and the acknowledge button', () => {
    const msg = renderAdvisoryMessage(advisory());
    const inner = msg.attachments[0]?.blocks as KnownBlock[];
    expect(inner[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: advisory().title, emoji: true } });
    const fields = mrkdwnTexts(inner[1]).join('\n');
    expect(fields).toContain('レベル3 高 / Level 3 High');
    expect(fields).toContain('脆弱性情報 / Vulnerability');
    expect(fields).toContain('厚生労働省 / MHLW');
    expect(fields).toContain('日本病院会 / Japan Hospital Association');
    expect(fields).toContain('2026/11/25 19:00 JST');
    expect(buttons(msg)).toEqual([
      {
        type: 'button',
        action_id: ACK_ACTION_ID,
        text: { type: 'plain_text', text: '受領確認 / Acknowledge', emoji: true },
        value: 'dlv-0001',
        style: 'primary',
      },
    ]);
    expect(msg.metadata).toEqual({
      event_type: 'ceptoar_delivery',
      event_payload: { delivery_id: 'dlv-0001', advisory_id: 'ADV-2026-0042' },
    });
  });

  it('renders the body as verbatim mrkdwn sections', () => {
    const inner = renderAdvisoryMessage(advisory()).attachments[0]?.blocks as KnownBlock[];
    const body = inner.find((b) => b.type === 'section' && b.text?.text.includes('厚生労働省より'));
    expect(body).toMatchObject({ type: 'section', text: { type: 'mrkdwn', verbatim: true } });
  });

  it('escapes everything user-typed: title, body, member name, acknowledger, also-seen names', () => {
    const msg = renderAdvisoryMessage(
      advisory({
        title: HOSTILE,
        body: `${HOSTILE}\n@everyone`,
        memberName: { ja: '<!here>病院', en: '<@U999> Hospital' },
        acknowledged: { by: '<!channel>山田', at: '2026-11-25T09:05:00.000Z', via: 'button' },
        alsoSeenBy: [{ by: '<@U0ALSO> & <!everyone>', at: '2026-11-25T09:06:00.000Z' }],
      }),
    );
    expectInert([msg.text, ...mrkdwnTexts(msg)]);
    expect(msg.text).toContain('&lt;!channel&gt;');
    const texts = mrkdwnTexts(msg).join('\n');
    expect(texts).toContain('&lt;https://evil.example|銀行&gt;');
    expect(texts).toContain('&lt;@U0ALSO&gt; &amp; &lt;!everyone&gt;');
    expect(texts).toContain('&lt;!here&gt;病院');
    // The header is plain_text: Slack does not parse it, so it keeps the title as typed (only truncated).
    expect((msg.attachments[0]?.blocks as KnownBlock[])[0]).toMatchObject({ type: 'header', text: { text: HOSTILE } });
  });

  it('once acknowledged shows who, when and how, with no button', () => {
    const msg = renderAdvisoryMessage(
      advisory({
        acknowledged: { by: '佐藤 花子', at: '2026-11-25T09:05:00.000Z', via: 'phone' },
        alsoSeenBy: [
          { by: '鈴木 一郎', at: '2026-11-25T09:07:00.000Z' },
          { by: 'Tanaka', at: '2026-11-25T09:08:00.000Z' },
        ],
      }),
    );
    expect(buttons(msg)).toEqual([]);
    expect(JSON.stringify(msg)).not.toContain(ACK_ACTION_ID);
    const texts = mrkdwnTexts(msg).join('\n');
    expect(texts).toContain('✅ *受領確認 / Acknowledged by*: 佐藤 花子 (2026/11/25 18:05 JST, via 電話 / phone)');
    expect(texts).toContain('*他の確認者 / Also seen by*: 鈴木 一郎 (2026/11/25 18:07 JST), Tanaka (2026/11/25 18:08 JST)');
  });

  it('adds the do-not-forward line to direct messages only', () => {
    const direct = mrkdwnTexts(renderAdvisoryMessage(advisory({ tlp: 'TLP:RED', audience: 'direct' }))).join('\n');
    expect(direct).toContain('転送・共有しないでください');
    expect(direct).toContain('Do not forward or share.');
    const channel = mrkdwnTexts(renderAdvisoryMessage(advisory())).join('\n');
    expect(channel).not.toContain('転送・共有しないでください');
  });

  it('stays within 50 blocks and 3,000 characters per section for the longest body', () => {
    for (const body of ['脆弱性'.repeat(BODY_MAX / 3), '&'.repeat(BODY_MAX), `${'a'.repeat(50)}\n`.repeat(BODY_MAX / 51)]) {
      const msg = renderAdvisoryMessage(advisory({ body, drill: true, audience: 'direct' }));
      const blocks = allBlocks(msg);
      expect(blocks.length).toBeLessThanOrEqual(MAX_BLOCKS);
      for (const t of mrkdwnTexts(msg)) expect(t.length).toBeLessThanOrEqual(3000);
      expectInert(mrkdwnTexts(msg));
    }
    const joined = mrkdwnTexts(renderAdvisoryMessage(advisory({ body: '脆弱性'.repeat(BODY_MAX / 3) }))).join('');
    expect(joined).toContain('脆弱性'.repeat(900));
  });
});

function row(i: number, state: StatusRow['state']): StatusRow {
  const base: StatusRow = {
    memberId: `m-${i}`,
    memberName: { ja: `市町村${i}`, en: `Municipality ${i}` },
    deliveryId: `d-${i}`,
    state,
  };
  if (state === 'acknowledged') {
    return { ...base, acknowledgedBy: `担当者${i}`, acknowledgedAt: '2026-11-25T09:30:00.000Z', via: 'button' };
  }
  if (state === 'failed') return { ...base, failure: 'channel_not_found' };
  return base;
}

function status(rows: StatusRow[]): StatusView {
  const counts = { queued: 0, posted: 0, acknowledged: 0, failed: 0, total: rows.length };
  for (const r of rows) counts[r.state] += 1;
  return {
    advisoryId: 'ADV-2026-0042',
    title: '庁内ネットワークへの攻撃について',
    tlp: 'TLP:GREEN',
    severity: 'level4',
    drill: true,
    issuedAt: '2026-11-25T09:00:00.000Z',
    ackDeadline: '2026-11-25T09:15:00.000Z',
    counts,
    rows,
  };
}

describe('renderStatus', () => {
  it('shows the header, the counts and one line per member', () => {
    const out = renderStatus(status([row(1, 'posted'), row(2, 'failed'), row(3, 'queued'), row(4, 'acknowledged')]));
    expect(out.text.startsWith('[TLP:GREEN] 【訓練】[DRILL] ADV-2026-0042')).toBe(true);
    expect(out.blocks[0]).toMatchObject({ type: 'header', text: { text: 'ADV-2026-0042 庁内ネットワークへの攻撃について' } });
    const texts = mrkdwnTexts(out.blocks).join('\n');
    expect(texts).toContain('🟩 *TLP:GREEN*');
    expect(texts).toContain('レベル4 危機 / Level 4 Critical');
    for (const label of ['合計 / Total', '受領確認済み / Acknowledged', '未確認 / Not acknowledged', '配信待ち / Queued', '配信失敗 / Delivery failed']) {
      expect(texts).toContain(`*${label}*`);
    }
    const lines = texts.split('\n');
    expect(lines).toContain('⏳ *市町村1 / Municipality 1* — 未確認 / Not acknowledged');
    expect(lines).toContain('⚠️ *市町村2 / Municipality 2* — 配信失敗 / Delivery failed — channel_not_found');
    expect(lines).toContain('✅ *市町村4 / Municipality 4* — 受領確認済み / Acknowledged — 担当者4 (2026/11/25 18:30 JST, via ボタン / button)');
    // The given order (unacknowledged first) is kept.
    expect(texts.indexOf('市町村1 ')).toBeLessThan(texts.indexOf('市町村4 '));
  });

  it('escapes member names and acknowledger names', () => {
    const out = renderStatus(
      status([{ ...row(1, 'acknowledged'), memberName: { ja: '<!channel>', en: '@here' }, acknowledgedBy: '<@U1> & co' }]),
    );
    expectInert(mrkdwnTexts(out.blocks));
  });

  it('fits 1,800 members into 50 blocks and says how many are not shown', () => {
    const rows = [
      ...Array.from({ length: 300 }, (_, i) => row(i, 'posted')),
      ...Array.from({ length: 20 }, (_, i) => row(300 + i, 'failed')),
      ...Array.from({ length: 1480 }, (_, i) => row(320 + i, 'acknowledged')),
    ];
    const out = renderStatus(status(rows));
    expect(out.blocks.length).toBeLessThanOrEqual(MAX_BLOCKS);
    const texts = mrkdwnTexts(out.blocks);
    for (const t of texts) expect(t.length).toBeLessThanOrEqual(3000);
    const shown = texts.join('\n').split('\n').filter((l) => /^(⏳|⚠️|✅|🕒) \*市町村/.test(l)).length;
    const last = texts[texts.length - 1] ?? '';
    expect(last).toContain(`ほか ${(1800 - shown).toLocaleString('en-US')} 件`);
    expect(last).toContain(`${(1800 - shown).toLocaleString('en-US')} more not shown`);
    // Every unacknowledged member is on screen: those are the ones to chase.
    expect(shown).toBeGreaterThanOrEqual(320);
    for (const s of out.blocks.filter((b) => b.type === 'section' && b.text)) {
      expect(((s as { text: { text: string } }).text.text.match(/\n/g) ?? []).length).toBeLessThan(10);
    }
  });

  it('needs no truncation line when everything fits', () => {
    const out = renderStatus(status(Array.from({ length: 17 }, (_, i) => row(i, 'posted'))));
    expect(JSON.stringify(out)).not.toContain('more not shown');
    expect(out.blocks.length).toBe(4 + 2);
  });
});

describe('renderNotice', () => {
  it('explains a known failure code in both languages', () => {
    const out = renderNotice({
      kind: 'delivery_failed',
      advisoryId: 'ADV-2026-0042',
      title: 'タイトル',
      tlp: 'TLP:AMBER+STRICT',
      drill: false,
      memberName: { ja: '日本看護協会', en: 'Japanese Nursing Association' },
      reason: 'TLP_SHARED_CHANNEL',
    });
    expect(out.text.startsWith('[TLP:AMBER+STRICT] ⚠️ 配信失敗 / Delivery failed: ADV-2026-0042')).toBe(true);
    const texts = mrkdwnTexts(out.blocks).join('\n');
    expect(texts).toContain('組織外と共有されたチャンネルには投稿できません');
    expect(texts).toContain('cannot be posted to a channel shared outside the organisation');
    expect(texts).toContain('日本看護協会 / Japanese Nursing Association');
  });

  it.each(['channel_not_found', 'not_in_channel', 'is_archived', 'invalid_auth', 'account_inactive', 'RED_NO_RECIPIENTS'])(
    'has an explanation for %s',
    (reason) => {
      const out = renderNotice({
        kind: 'delivery_failed',
        advisoryId: 'ADV-2026-0001',
        title: 't',
        tlp: 'TLP:RED',
        drill: true,
        memberName: { ja: 'a', en: 'b' },
        reason,
      });
      expect(JSON.stringify(out)).not.toContain('想定外のエラー');
    },
  );

  it('falls back for unknown codes (including prototype names) and escapes them', () => {
    for (const reason of ['constructor', '<!channel>']) {
      const out = renderNotice({
        kind: 'delivery_failed',
        advisoryId: 'ADV-2026-0001',
        title: '<@U1>',
        tlp: 'TLP:GREEN',
        drill: false,
        memberName: { ja: 'a', en: 'b' },
        reason,
      });
      expect(JSON.stringify(out)).toContain('想定外のエラー');
      expectInert([out.text, ...mrkdwnTexts(out.blocks)]);
    }
  });

  it('confirms an issued advisory with the delivery count and deadline', () => {
    const out = renderNotice({
      kind: 'advisory_issued',
      advisoryId: 'ADV-2026-0042',
      title: '注意喚起',
      tlp: 'TLP:CLEAR',
      drill: true,
      deliveries: 1788,
      ackDeadline: '2026-11-25T10:00:00.000Z',
      issuedBy: '<!here> 事務局',
    });
    expect(out.text.startsWith('[TLP:CLEAR] 【訓練】[DRILL] ✅')).toBe(true);
    const texts = mrkdwnTexts(out.blocks).join('\n');
    expect(texts).toContain('1788');
    expect(texts).toContain('2026/11/25 19:00 JST');
    expect(texts).toContain('【訓練】これは訓練です');
    expectInert(mrkdwnTexts(out.blocks));
  });
});

describe('renderError', () => {
  it('shows the coded error in Japanese, then English', () => {
    expect(renderError('AUTH.NOT_SECRETARIAT').text).toBe(
      '⚠️ この操作は事務局のみが行えます。記録されました。\nOnly the secretariat can do this. The attempt has been recorded.',
    );
  });
});
