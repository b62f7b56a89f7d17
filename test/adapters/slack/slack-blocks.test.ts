import { FAILURE_REASONS } from '../../../src/ports/chat.js';
import { describe, expect, it } from 'vitest';
import type { KnownBlock } from '@slack/types';
import { ACK_ACTION_ID, renderAdvisoryMessage } from '../../../adapters/slack/advisory-blocks.js';
import { MAX_BLOCKS } from '../../../adapters/slack/block-elements.js';
import { renderError, renderNotice } from '../../../adapters/slack/notice-blocks.js';
import {
  PHONE_CLAIM_ACTION_ID,
  PHONE_NO_ANSWER_ACTION_ID,
  PHONE_RELEASE_ACTION_ID,
  PHONE_WRONG_NUMBER_ACTION_ID,
  renderPhoneTask,
} from '../../../adapters/slack/phone-task-blocks.js';
import { renderReminder } from '../../../adapters/slack/reminder-blocks.js';
import { postMetadata, renderMessage } from '../../../adapters/slack/slack-blocks.js';
import { renderOncallList, renderStatus } from '../../../adapters/slack/status-blocks.js';
import { TLP_COLOUR, TLP_LEVELS } from '../../../src/domain/classification.js';
import { BODY_MAX } from '../../../src/domain/advisory.js';
import type { OncallListView, PhoneTaskView, ReminderView, StatusRow, StatusView } from '../../../src/view/views.js';
import { anAdvisoryView } from '../../support/view-fixtures.js';

const HOSTILE = '<!channel> @here <@U0ATTACK> <#C0ATTACK> <https://evil.example|銀行> & co';

const advisory = anAdvisoryView;

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

type WithAttachments = { blocks: KnownBlock[]; attachments: { blocks?: unknown[] }[] };

function allBlocks(msg: WithAttachments): KnownBlock[] {
  return [...msg.blocks, ...msg.attachments.flatMap((a) => (a.blocks ?? []) as KnownBlock[])];
}

function buttons(msg: WithAttachments): unknown[] {
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
    // The metadata is SlackChat's job (postMetadata), the same for every kind.
    expect(msg).not.toHaveProperty('metadata');
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
    platform: 'slack',
    state,
  };
  if (state === 'acknowledged') {
    return { ...base, acknowledgedBy: `担当者${i}`, acknowledgedAt: '2026-11-25T09:30:00.000Z', via: 'button' };
  }
  if (state === 'failed') return { ...base, failure: 'channel_not_found' };
  return base;
}

function status(rows: StatusRow[]): StatusView {
  const counts = { queued: 0, posted: 0, acknowledged: 0, failed: 0, cancelled: 0, total: rows.length };
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

  it('a phone acknowledgement says who called and whom they reached; an older one without the contact says via phone', () => {
    const phone = { ...row(5, 'acknowledged'), acknowledgedBy: '当番 A', via: 'phone' as const, reachedContact: { index: 1, name: '佐藤 花子', role: '<!here> 部長' } };
    const older = { ...row(6, 'acknowledged'), acknowledgedBy: '当番 B', via: 'phone' as const };
    const lines = mrkdwnTexts(renderStatus(status([phone, older])).blocks).join('\n').split('\n');
    expect(lines).toContain(
      '✅ *市町村5 / Municipality 5* — 受領確認済み / Acknowledged — 📞 当番 A が電話で 佐藤 花子 (&lt;!here&gt; 部長) に連絡 / 当番 A reached 佐藤 花子 (&lt;!here&gt; 部長) by phone (2026/11/25 18:30 JST)',
    );
    expect(lines).toContain('✅ *市町村6 / Municipality 6* — 受領確認済み / Acknowledged — 当番 B (2026/11/25 18:30 JST, via 電話 / phone)');
  });

  it('escapes member names and acknowledger names', () => {
    const out = renderStatus(
      status([{ ...row(1, 'acknowledged'), memberName: { ja: '<!channel>', en: '@here' }, acknowledgedBy: '<@U1> & co' }]),
    );
    expectInert(mrkdwnTexts(out.blocks));
  });

  it('one page of a larger status: the rows beyond the page count as not shown', () => {
    const page = Array.from({ length: 5 }, (_, i) => row(i, 'posted'));
    const out = renderStatus({ ...status(page), page: { query: {}, offset: 0, limit: 5, matching: 1_800 } });
    const texts = mrkdwnTexts(out.blocks);
    expect(texts.join('\n').split('\n').filter((l) => /市町村/.test(l))).toHaveLength(5);
    expect(texts.at(-1)).toContain('ほか 1,795 件');
    // The whole of a small advisory: no such line.
    expect(mrkdwnTexts(renderStatus({ ...status(page), page: { query: {}, offset: 0, limit: 100, matching: 5 } }).blocks).join()).not.toContain('ほか');
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

  it.each([...FAILURE_REASONS.filter((r) => r !== 'unknown'), 'TLP_SHARED_CHANNEL', 'RED_NO_RECIPIENTS', 'PLATFORM_NOT_CONFIGURED', 'RETRIES_EXHAUSTED'])(
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

describe('renderStatus: escalation ladder', () => {
  it('shows where each unacknowledged member is on the ladder, and nothing for acknowledged rows', () => {
    const out = renderStatus(
      status([
        { ...row(1, 'posted'), ladder: { kind: 'reminder', index: 0, at: '2026-11-25T09:10:00.000Z' } },
        {
          ...row(2, 'posted'),
          ladder: { kind: 'phone', index: 0, at: '2026-11-25T09:15:00.000Z' },
          phoneTask: { state: 'open', contactIndex: 0, contacts: 3, tried: 0, overdue: false, exhausted: false },
        },
        {
          ...row(3, 'posted'),
          ladder: { kind: 'next-contact', index: 1, at: '2026-11-25T09:25:00.000Z' },
          phoneTask: { state: 'claimed', claimedBy: '<!here> 当番 鈴木', contactIndex: 1, contacts: 3, tried: 1, overdue: false, exhausted: false },
        },
        {
          ...row(4, 'posted'),
          ladder: { kind: 'alert', index: 0, at: '2026-11-25T09:45:00.000Z' },
          phoneTask: { state: 'claimed', claimedBy: '当番 鈴木', contactIndex: 2, contacts: 3, tried: 3, overdue: false, exhausted: true },
        },
        { ...row(5, 'acknowledged'), ladder: { kind: 'phone', index: 0, at: '2026-11-25T09:15:00.000Z' } },
      ]),
    );
    const lines = mrkdwnTexts(out.blocks).join('\n').split('\n');
    const line = (n: number) => lines.find((l) => l.includes(`市町村${n} `)) ?? '';
    expect(line(1)).toContain('⏰ リマインド送信済み / reminder sent (2026/11/25 18:10 JST)');
    expect(line(2)).toContain('📞 電話連絡: 未着手、架電 0/3 件 / phone task: open, tried 0 of 3');
    expect(line(3)).toContain('が対応中（電話中）、架電 1/3 件 / phone task: claimed by');
    expect(line(3)).toContain('&lt;!here&gt; 当番 鈴木');
    expect(line(4)).toContain('当番 鈴木 が対応中（電話中）、架電 3/3 件、⚠️ 全連絡先に架電済み');
    expect(line(4)).toContain('tried 3 of 3, ⚠️ all contacts tried');
    expect(lines.join('\n')).not.toMatch(/連絡先 \d\/\d|contact \d of \d/);
    expect(line(4)).toContain('🚨 事務局に通知済み / secretariat alerted (2026/11/25 18:45 JST)');
    expect(line(5)).not.toContain('📞');
    expectInert(mrkdwnTexts(out.blocks));
  });
});

describe('renderNotice: escalation_alert', () => {
  const alert = {
    kind: 'escalation_alert' as const,
    advisoryId: 'ADV-2026-0042',
    title: '電子カルテの脆弱性',
    tlp: 'TLP:AMBER' as const,
    drill: false,
    memberName: { ja: '日本病院会', en: 'Japan Hospital Association' },
    deliveryState: 'posted' as const,
    wrongNumbers: ['山田 太郎', '<!channel> 佐藤'],
    attempts: 4,
    claimedBy: '当番 鈴木',
  };

  it('names the member, the advisory, the state, the attempts, who holds the task and the wrong numbers', () => {
    const out = renderNotice(alert);
    expect(out.text.startsWith('[TLP:AMBER] ⚠️ エスカレーション後も受領確認がありません / Still not acknowledged after escalation: ADV-2026-0042')).toBe(true);
    expect(mrkdwnTexts(out.blocks[0])[0]?.startsWith('🟧 *TLP:AMBER*')).toBe(true);
    const texts = mrkdwnTexts(out.blocks).join('\n');
    expect(texts).toContain('日本病院会 / Japan Hospital Association');
    expect(texts).toContain('電子カルテの脆弱性');
    expect(texts).toContain('*配信状態 / Delivery state*\n未確認 / Not acknowledged');
    expect(texts).toContain('*電話の試行回数 / Call attempts*\n4');
    expect(texts).toContain('*電話連絡の担当 / Phone task held by*\n当番 鈴木');
    expect(texts).toContain('*番号違い / Wrong numbers*: 山田 太郎, &lt;!channel&gt; 佐藤');
    expect(texts).toContain('名簿の電話番号を修正してください。');
    expectInert([out.text, ...mrkdwnTexts(out.blocks)]);
  });

  it('says nobody holds the task, and leaves the wrong-number line out when there are none', () => {
    const out = renderNotice({ ...alert, wrongNumbers: [], claimedBy: undefined, drill: true });
    const texts = mrkdwnTexts(out.blocks).join('\n');
    expect(texts).toContain('*電話連絡の担当 / Phone task held by*\nなし / nobody');
    expect(texts).not.toContain('番号違い');
    expect(texts).toContain('【訓練】これは訓練です');
  });
});

function reminder(over: Partial<ReminderView> = {}): ReminderView {
  return {
    advisoryId: 'ADV-2026-0042',
    deliveryId: 'dlv-0001',
    title: '電子カルテシステムの脆弱性について',
    tlp: 'TLP:AMBER',
    drill: false,
    ackDeadline: '2026-11-25T10:00:00.000Z',
    memberName: { ja: '日本病院会', en: 'Japan Hospital Association' },
    mention: ['U0CONTACT1', 'W0CONTACT2'],
    ...over,
  };
}

describe('renderReminder', () => {
  it('puts the TLP label first, then asks for the acknowledgement with id, title and deadline', () => {
    const out = renderReminder(reminder());
    expect(out.text).toBe('[TLP:AMBER] ⏰ 受領確認のお願い / Please acknowledge: ADV-2026-0042 電子カルテシステムの脆弱性について <@U0CONTACT1> <@W0CONTACT2>');
    expect(mrkdwnTexts(out.blocks[0])[0]).toBe('🟧 *TLP:AMBER* — 限定公開 / Organisation and its clients, need to know');
    const texts = mrkdwnTexts(out.blocks).join('\n');
    expect(texts).toContain('⏰ *受領確認のお願い / Please acknowledge*');
    expect(texts).toContain('注意喚起 ADV-2026-0042「電子カルテシステムの脆弱性について」の受領確認がまだありません。期限は 2026/11/25 19:00 JST です。');
    expect(texts).toContain('Advisory ADV-2026-0042 "電子カルテシステムの脆弱性について" has not been acknowledged yet. It is due by 2026/11/25 19:00 JST.');
    expect(texts).toContain('上の注意喚起メッセージの「受領確認」ボタンを押してください。');
    expect(texts).toContain('Press the "Acknowledge" button on the advisory message above.');
    // The reminder has no button of its own: the advisory above has it.
    expect(out.blocks.some((b) => b.type === 'actions')).toBe(false);
  });

  it('mentions only Slack user ids from the directory; anything else is dropped, never escaped into text', () => {
    const out = renderReminder(
      reminder({ mention: ['U0CONTACT1', '<!channel>', 'u0lower', 'U0A|B', '!here', 'C0CHANNEL1', 'S0GROUP', 'U0CONTACT1', '', 'W0CONTACT2> <!everyone'] }),
    );
    const texts = [out.text, ...mrkdwnTexts(out.blocks)].join('\n');
    expect(texts.match(/<@[^>]*>/g)).toEqual(['<@U0CONTACT1>', '<@U0CONTACT1>']);
    expect(texts).not.toContain('channel');
    expect(texts).not.toContain('here');
    expect(texts).not.toContain('everyone');
    expect(texts).not.toContain('C0CHANNEL1');
    expect(texts).not.toContain('u0lower');
  });

  it('escapes the title and member name, and tags a drill', () => {
    const out = renderReminder(reminder({ title: HOSTILE, memberName: { ja: '<!here>', en: '@channel' }, drill: true, mention: [] }));
    expect(out.text.startsWith('[TLP:AMBER] 【訓練】[DRILL] ⏰')).toBe(true);
    expect(mrkdwnTexts(out.blocks[1]).join()).toContain('【訓練】これは訓練です');
    expectInert([out.text, ...mrkdwnTexts(out.blocks)]);
  });

  it('is what renderMessage gives for a reminder', () => {
    expect(renderMessage({ kind: 'reminder', view: reminder() })).toEqual(renderReminder(reminder()));
  });
});

function phoneTask(over: Partial<PhoneTaskView> = {}): PhoneTaskView {
  return {
    taskId: 'dlv-0001.phone',
    advisoryId: 'ADV-2026-0042',
    title: '電子カルテシステムの脆弱性について',
    tlp: 'TLP:AMBER',
    severity: 'level4',
    drill: false,
    ackDeadline: '2026-11-25T10:00:00.000Z',
    memberName: { ja: '日本病院会', en: 'Japan Hospital Association' },
    script: 'standard',
    excerpt: '対象製品をご利用の場合は直ちに更新してください。',
    secretariatName: { ja: '医療セプター事務局', en: 'the Medical CEPTOAR secretariat' },
    contacts: [
      { name: '山田 太郎', role: '情報システム部長', phoneE164: '+81355550101', phoneDisplay: '03-5555-0101', current: false, callable: true, state: 'no_answer', tried: ['no_answer'] },
      { name: '佐藤 花子', phoneE164: '+819012345678', phoneDisplay: '090-1234-5678', current: true, callable: true, state: 'not_tried', tried: [] },
      { name: '鈴木 次郎', role: '副院長', phoneE164: '+81355550199', phoneDisplay: '03-5555-0199', current: false, callable: false, state: 'not_tried', tried: [] },
    ],
    state: 'open',
    exhausted: false,
    tried: 1,
    // The contact being called now first.
    reachedChoices: [
      { index: 1, name: '佐藤 花子', current: true, choice: '1:kb' },
      { index: 0, name: '山田 太郎', role: '情報システム部長', current: false, choice: '0:ka' },
      { index: 2, name: '鈴木 次郎', role: '副院長', current: false, choice: '2:kc' },
    ],
    ...over,
  };
}

function actionIds(msg: WithAttachments): string[] {
  return buttons(msg).map((b) => (b as { action_id: string }).action_id);
}

describe('renderPhoneTask', () => {
  it('has the TLP label first, a clear header, the TLP colour, severity, advisory and deadline', () => {
    const out = renderPhoneTask(phoneTask());
    expect(out.text).toBe('[TLP:AMBER] 📞 電話連絡 / Phone task: 日本病院会 / Japan Hospital Association — ADV-2026-0042 電子カルテシステムの脆弱性について');
    expect(mrkdwnTexts(out.blocks[0])[0]?.startsWith('🟧 *TLP:AMBER*')).toBe(true);
    expect(out.blocks[1]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: '📞 電話連絡 / Phone task: 日本病院会 / Japan Hospital Association', emoji: true },
    });
    expect(out.attachments).toHaveLength(1);
    expect(out.attachments[0]?.color).toBe(TLP_COLOUR['TLP:AMBER']);
    const texts = mrkdwnTexts(out).join('\n');
    expect(texts).toContain('レベル4 危機 / Level 4 Critical');
    expect(texts).toContain('ADV-2026-0042');
    expect(texts).toContain('2026/11/25 19:00 JST');
  });

  it('lists the contacts in order as tap-to-call links, marks the current one and shows earlier outcomes', () => {
    const out = renderPhoneTask(phoneTask());
    const lines = mrkdwnTexts(out).join('\n').split('\n');
    const contacts = lines.filter((l) => /<tel:/.test(l));
    expect(contacts).toEqual([
      '・ 1. 山田 太郎 (情報システム部長) <tel:+81355550101|03-5555-0101> — 📵 不在 / no answer',
      '▶ *2. 佐藤 花子* <tel:+819012345678|090-1234-5678> — ⚪ 未架電 / not tried — *▶ 今かける / call now*',
      '・ 3. 鈴木 次郎 (副院長) <tel:+81355550199|03-5555-0199> — ⚪ 未架電 / not tried — （まだかけません） / (not yet)',
    ]);
    const wrong = renderPhoneTask(phoneTask({ contacts: [{ ...phoneTask().contacts[0]!, state: 'wrong_number', tried: ['no_answer', 'wrong_number'] }] }));
    expect(mrkdwnTexts(wrong).join('\n')).toContain('— ❌ 番号違い / wrong number (2回 / 2 calls)');
  });

  it('overdue: a banner says since when nobody has called; a later contact says from when the ladder makes them callable', () => {
    const contacts = phoneTask().contacts.map((c, i) => (i === 2 ? { ...c, callableFrom: '2026-11-25T10:20:00.000Z' } : c));
    const out = renderPhoneTask(phoneTask({ contacts, overdue: { since: '2026-11-25T10:10:00.000Z' } }));
    const top = mrkdwnTexts(out.blocks);
    expect(top).toContain('*⚠ 期限超過：まだ誰も架電していません（2026/11/25 19:10 JSTから）*\n*⚠ Overdue: nobody has called yet (since 2026/11/25 19:10 JST)*');
    expect(mrkdwnTexts(out).join('\n')).toContain('・ 3. 鈴木 次郎 (副院長) <tel:+81355550199|03-5555-0199> — ⚪ 未架電 / not tried — （2026/11/25 19:20 JSTから） / (from 2026/11/25 19:20 JST)');
    expect(mrkdwnTexts(renderPhoneTask(phoneTask())).join('\n')).not.toContain('期限超過');
    // Once the task has ended, nobody is "not yet" callable: nothing is to be called.
    const done = mrkdwnTexts(renderPhoneTask(phoneTask({ state: 'cancelled', contacts: contacts.map((c) => ({ ...c, current: false, callable: false })) }))).join('\n');
    expect(done).not.toMatch(/から）|まだかけません|今かける/);
  });

  it('never builds a link from a number that could break out of it', () => {
    const out = renderPhoneTask(
      phoneTask({
        contacts: [
          { name: '<!channel>', role: '<@U0X>', phoneE164: '+81355550101|evil>', phoneDisplay: '03-5555-0101', current: true, callable: true, state: 'not_tried', tried: [] },
          { name: 'B', phoneE164: '+81355550102', phoneDisplay: '03|<https://evil.example>', current: false, callable: false, state: 'not_tried', tried: [] },
        ],
      }),
    );
    const texts = mrkdwnTexts(out);
    const joined = texts.join('\n');
    expect(joined).not.toContain('<tel:+81355550101|evil');
    expect(joined).toContain('<tel:+81355550102|+81355550102>');
    expectInert(texts.map((t) => t.replace(/<tel:\+\d+\|[0-9+\- ()]+>/g, '')));
    expect(joined.match(/<tel:/g)).toHaveLength(1);
  });

  it('gives the standard call script in Japanese then English, with the escaped excerpt', () => {
    const out = renderPhoneTask(phoneTask({ excerpt: '対象製品 <!channel> & 更新\n2行目', title: 'VPN <@U0X>' }));
    const texts = mrkdwnTexts(out).join('\n');
    const ja = texts.indexOf('「医療セプター事務局です。注意喚起 ADV-2026-0042「VPN &lt;@U0X&gt;」を貴組織のチャンネルに投稿しました。内容をご確認のうえ、「受領確認」ボタンを押してください。」');
    const en = texts.indexOf('"This is the Medical CEPTOAR secretariat. We have posted advisory ADV-2026-0042 "VPN &lt;@U0X&gt;" to your channel. Please read it and press the 受領確認 (Acknowledge) button."');
    expect(ja).toBeGreaterThan(0);
    expect(en).toBeGreaterThan(ja);
    expect(texts).toContain('*要旨 / Summary*\n対象製品 &lt;!channel&gt; &amp; 更新\n2行目');
    expectInert([out.text, ...mrkdwnTexts(out)]);
  });

  it('TLP:RED: the script gives only the title and asks for a call back, and no body text appears even if the view has some', () => {
    const out = renderPhoneTask(phoneTask({ tlp: 'TLP:RED', script: 'red', excerpt: '極秘の本文 SECRET BODY' }));
    const all = JSON.stringify(out);
    expect(all).not.toContain('極秘の本文');
    expect(all).not.toContain('SECRET BODY');
    expect(all).not.toContain('要旨');
    const texts = mrkdwnTexts(out).join('\n');
    expect(texts).toContain('「医療セプター事務局です。「電子カルテシステムの脆弱性について」の件で、事務局までお電話をお願いします。」');
    expect(texts).toContain('please call the secretariat (事務局) back');
    expect(texts).toContain('件名以外は電話で伝えないでください');
    expect(texts).not.toContain('チャンネルに投稿しました');
    expect(out.attachments[0]?.color).toBe(TLP_COLOUR['TLP:RED']);
    expect(out.text.startsWith('[TLP:RED] ')).toBe(true);
  });

  const REACHED_IDS = ['phone_reached.1', 'phone_reached.2', 'phone_reached.3'];

  it('open: claim (primary), no answer, wrong number, then one "reached" choice per contact, the current one first', () => {
    const out = renderPhoneTask(phoneTask());
    expect(actionIds(out)).toEqual([PHONE_CLAIM_ACTION_ID, PHONE_NO_ANSWER_ACTION_ID, PHONE_WRONG_NUMBER_ACTION_ID, ...REACHED_IDS]);
    expect(actionIds(out)).toEqual(['phone_claim', 'phone_no_answer', 'phone_wrong_number', ...REACHED_IDS]);
    const b = buttons(out) as { value: string; style?: string; text: { text: string } }[];
    expect(b.map((x) => x.value)).toEqual([...Array(3).fill('dlv-0001.phone'), 'dlv-0001.phone#1:kb', 'dlv-0001.phone#0:ka', 'dlv-0001.phone#2:kc']);
    // Nothing is the obvious "reached" before anyone claimed the task and called.
    expect(b.map((x) => x.style)).toEqual(['primary', undefined, undefined, undefined, undefined, undefined]);
    for (const x of b.slice(0, 3)) expect(x.text.text).toMatch(/^\S.* \/ [A-Z]/);
    expect(b.slice(3).map((x) => x.text.text)).toEqual(['✅ 2. 佐藤 花子', '✅ 1. 山田 太郎 (情報システム部長)', '✅ 3. 鈴木 次郎 (副院長)']);
    const texts = mrkdwnTexts(out).join('\n');
    expect(texts).toContain('未着手 / open');
    expect(texts).toContain('*連絡がついた — 応答した方を選んでください（受領確認を記録します）*\n*Reached — choose who answered (records the acknowledgement)*');
    // Action ids are unique within each actions block, as Slack requires.
    for (const block of allBlocks(out).filter((x) => x.type === 'actions')) {
      const ids = (block as { elements: { action_id: string }[] }).elements.map((e) => e.action_id);
      expect(new Set(ids).size).toBe(ids.length);
    }
  });

  it('claimed: the "reached" choices first (the contact being called now primary), then no answer, wrong number, release', () => {
    const out = renderPhoneTask(phoneTask({ state: 'claimed', claimedBy: '<!here> 当番 鈴木' }));
    expect(actionIds(out)).toEqual([...REACHED_IDS, PHONE_NO_ANSWER_ACTION_ID, PHONE_WRONG_NUMBER_ACTION_ID, PHONE_RELEASE_ACTION_ID]);
    expect((buttons(out) as { style?: string }[]).map((x) => x.style)).toEqual(['primary', undefined, undefined, undefined, undefined, undefined]);
    const texts = mrkdwnTexts(out).join('\n');
    expect(texts).toContain('&lt;!here&gt; 当番 鈴木 が対応中（電話中） / claimed by &lt;!here&gt; 当番 鈴木 (calling now)');
    expectInert(mrkdwnTexts(out));
  });

  it('keeps a hostile contact name out of mrkdwn: button labels are plain text, cut to Slack\'s limit', () => {
    const out = renderPhoneTask(
      phoneTask({ state: 'claimed', claimedBy: 'A', reachedChoices: [{ index: 0, name: `${HOSTILE}${'長'.repeat(100)}`, role: '<@U0X>', current: true, choice: '0:k' }] }),
    );
    const b = (buttons(out) as { type: string; text: { type: string; text: string }; value: string }[])[0]!;
    expect(b.text.type).toBe('plain_text');
    expect(b.text.text.length).toBeLessThanOrEqual(75);
    expect(b.text.text).toMatch(/^✅ 1\. <!channel> @here .*…$/);
    expect(b.value).toBe('dlv-0001.phone#0:k');
    expectInert(mrkdwnTexts(out));
  });

  it('no contacts: no "reached" choice at all (nobody could have answered)', () => {
    const out = renderPhoneTask(phoneTask({ contacts: [], reachedChoices: [] }));
    expect(actionIds(out)).toEqual(['phone_claim', 'phone_no_answer', 'phone_wrong_number']);
    expect(mrkdwnTexts(out).join('\n')).not.toContain('応答した方を選んでください');
  });

  it('done: no buttons, says whom the caller reached, who called and when', () => {
    const out = renderPhoneTask(
      phoneTask({
        state: 'done',
        claimedBy: '当番 鈴木',
        reachedChoices: [],
        resolution: { kind: 'reached', by: '当番 鈴木', at: '2026-11-25T10:05:00.000Z', contact: { index: 0, name: '山田 太郎', role: '情報<!here>部長' } },
      }),
    );
    expect(buttons(out)).toEqual([]);
    expect(JSON.stringify(out)).not.toContain('phone_');
    const texts = mrkdwnTexts(out).join('\n');
    expect(texts).toContain('完了：*山田 太郎 (情報&lt;!here&gt;部長)* に連絡がつきました（当番 鈴木、2026/11/25 19:05 JST）。受領確認を記録しました。');
    expect(texts).toContain('Done: reached *山田 太郎 (情報&lt;!here&gt;部長)* by 当番 鈴木 at 2026/11/25 19:05 JST; acknowledgement recorded.');
    expect(texts.indexOf('完了：')).toBeLessThan(texts.indexOf('Done:'));
  });

  it('done before the bot asked which contact answered: says who reached the member and when', () => {
    const out = renderPhoneTask(
      phoneTask({ state: 'done', claimedBy: '当番 鈴木', reachedChoices: [], resolution: { kind: 'reached', by: '当番 鈴木', at: '2026-11-25T10:05:00.000Z' } }),
    );
    expect(buttons(out)).toEqual([]);
    const texts = mrkdwnTexts(out).join('\n');
    expect(texts).toContain('完了：当番 鈴木 が 2026/11/25 19:05 JST に連絡し、受領確認を記録しました。');
    expect(texts).toContain('Done: reached by 当番 鈴木 at 2026/11/25 19:05 JST');
  });

  it('cancelled: no buttons, says it was acknowledged in the channel', () => {
    const out = renderPhoneTask(phoneTask({ state: 'cancelled', resolution: { kind: 'acknowledged_elsewhere', at: '2026-11-25T10:01:00.000Z' } }));
    expect(buttons(out)).toEqual([]);
    const texts = mrkdwnTexts(out).join('\n');
    expect(texts).toContain('チャンネルで受領確認されたため');
    expect(texts).toContain('Cancelled: acknowledged in the channel');
  });

  it('exhausted: warns that every contact has been tried, while the task is still open', () => {
    const exhausted = mrkdwnTexts(renderPhoneTask(phoneTask({ state: 'claimed', claimedBy: 'A', exhausted: true }))).join('\n');
    expect(exhausted).toContain('すべての連絡先に電話しましたが、つながっていません');
    expect(exhausted).toContain('Every contact has been tried without reaching anyone');
    expect(mrkdwnTexts(renderPhoneTask(phoneTask())).join('\n')).not.toContain('Every contact has been tried');
  });

  it('shows the drill banner, and stays within Block Kit limits with many long contacts and a long excerpt', () => {
    const many = Array.from({ length: 60 }, (_, i) => ({
      name: `連絡先${i} ${'長'.repeat(300)}`,
      role: '役職'.repeat(200),
      phoneE164: '+81355550101',
      phoneDisplay: '03-5555-0101',
      current: i === 59,
      callable: i <= 59,
      state: i === 59 ? ('not_tried' as const) : ('wrong_number' as const),
      tried: ['no_answer' as const, 'wrong_number' as const],
    }));
    const choices = many.map((c, i) => ({ index: i, name: c.name, role: c.role, current: c.current, choice: `${i}:k${i}` }));
    const out = renderPhoneTask(
      phoneTask({ drill: true, contacts: many, reachedChoices: choices, excerpt: '本文'.repeat(6000), exhausted: true, state: 'claimed', claimedBy: 'x'.repeat(500) }),
    );
    expect(mrkdwnTexts(out.blocks[1]).join()).toContain('【訓練】これは訓練です');
    expect(allBlocks(out).length).toBeLessThanOrEqual(MAX_BLOCKS);
    for (const t of mrkdwnTexts(out)) expect(t.length).toBeLessThanOrEqual(3000);
    const headerBlock = out.blocks.find((b) => b.type === 'header') as { text: { text: string } };
    expect(headerBlock.text.text.length).toBeLessThanOrEqual(150);
    for (const b of buttons(out) as { text: { text: string }; value: string }[]) {
      expect(b.text.text.length).toBeLessThanOrEqual(75);
      expect(b.value.length).toBeLessThanOrEqual(2000);
    }
    // Every shown contact keeps its whole link.
    expect(mrkdwnTexts(out).join('\n')).toContain('<tel:+81355550101|03-5555-0101>');
    // As many "reached" choices as contact lines shown, within an actions block's 25 elements.
    expect(actionIds(out).filter((id) => id.startsWith('phone_reached.'))).toHaveLength(20);
    for (const block of allBlocks(out).filter((x) => x.type === 'actions')) expect((block as { elements: unknown[] }).elements.length).toBeLessThanOrEqual(25);
  });

  it('says so when the directory has no phone contact', () => {
    const texts = mrkdwnTexts(renderPhoneTask(phoneTask({ contacts: [] }))).join('\n');
    expect(texts).toContain('名簿に電話の連絡先がありません');
  });

  it('is what renderMessage gives for a phone task', () => {
    expect(renderMessage({ kind: 'phone_task', view: phoneTask() })).toEqual(renderPhoneTask(phoneTask()));
  });
});

describe('renderOncallList', () => {
  const task = (i: number, over: Partial<OncallListView['tasks'][number]> = {}): OncallListView['tasks'][number] => ({
    taskId: `d-${i}.phone`,
    advisoryId: 'ADV-2026-0042',
    title: `件名`,
    tlp: 'TLP:AMBER',
    severity: 'level3',
    drill: false,
    memberName: { ja: `市町村${i}`, en: `Municipality ${i}` },
    state: 'open',
    contactIndex: 0,
    contacts: 2,
    tried: 0,
    exhausted: false,
    createdAt: `2026-11-25T09:${String(10 + i).padStart(2, '0')}:00.000Z`,
    dueAt: `2026-11-25T09:${String(10 + i).padStart(2, '0')}:00.000Z`,
    ...over,
  });
  /** A view as the core builds it: groups in the given order, `tasks` flattened. */
  const list = (groups: OncallListView['tasks'][]): OncallListView => ({
    groups: groups.map((tasks) => ({ advisoryId: tasks[0]!.advisoryId, title: tasks[0]!.title, tlp: tasks[0]!.tlp, severity: tasks[0]!.severity, drill: tasks[0]!.drill, tasks })),
    tasks: groups.flat(),
  });

  it("keeps the core's order, one heading per advisory, each task with state, tried N of M, overdue and the exhausted flag", () => {
    const red = { advisoryId: 'ADV-2026-0050', title: '至急 <!channel>', tlp: 'TLP:RED' as const, severity: 'level4' as const, drill: true };
    const out = renderOncallList(
      list([
        [task(3, { ...red, state: 'claimed', claimedBy: '当番 鈴木', contactIndex: 1, tried: 2, exhausted: true })],
        [task(1, { contactIndex: 1, overdueSince: '2026-11-25T09:30:00.000Z' }), task(2, { state: 'claimed', claimedBy: '<!channel>', tried: 1 })],
      ]),
    );
    expect(out.blocks[0]).toMatchObject({ type: 'header', text: { text: '📞 未完了の電話連絡 / Open phone tasks (3 件 / 3 tasks)' } });
    const texts = mrkdwnTexts(out.blocks);
    // Heading of the level-4 advisory, its task, then the level-3 advisory's heading and its two tasks.
    expect(texts[0]).toBe('🟥 *TLP:RED* 【訓練】[DRILL] · *レベル4 危機 / Level 4 Critical*\n*ADV-2026-0050 至急 &lt;!channel&gt;（1 件）*\nADV-2026-0050 至急 &lt;!channel&gt; (1 task)');
    expect(texts[1]).toContain('・ *市町村3 / Municipality 3* — 当番 鈴木 が対応中（電話中） / claimed by 当番 鈴木 (calling now) — 架電 2/2 件 / tried 2 of 2 — ⚠️ 全連絡先に架電済み / all contacts tried');
    expect(texts[2]).toContain('*ADV-2026-0042 件名（2 件）*\nADV-2026-0042 件名 (2 tasks)');
    expect(texts[2]).toContain('🟧 *TLP:AMBER* · *レベル3 高 / Level 3 High*');
    const lines = texts[3]!.split('\n');
    expect(lines.map((l) => /市町村(\d)/.exec(l)?.[1])).toEqual(['1', '2']);
    expect(lines[0]).toContain('未着手 / open — 架電 0/2 件 / tried 0 of 2 — *⚠ 期限超過 / overdue* (2026/11/25 18:30 JST) — 2026/11/25 18:11 JST');
    expect(lines[1]).toContain('&lt;!channel&gt; が対応中（電話中）');
    expect(lines[1]).toContain('架電 1/2 件 / tried 1 of 2');
    expect(lines[1]).not.toContain('期限超過');
    expect(texts.join('\n')).not.toMatch(/連絡先 \d\/\d|contact \d of \d/);
    expectInert(texts);
  });

  it('says clearly when there is nothing to call', () => {
    const out = renderOncallList({ groups: [], tasks: [] });
    expect(out.text).toBe('未完了の電話連絡はありません。 / No open phone tasks.');
    expect(mrkdwnTexts(out.blocks).join('\n')).toContain('未完了の電話連絡はありません。\nNo open phone tasks.');
  });

  it('fits hundreds of tasks into 50 blocks and says how many are not shown', () => {
    const one = renderOncallList(list([Array.from({ length: 900 }, (_, i) => task(i % 50, { taskId: `t-${i}` }))]));
    const many = renderOncallList(list(Array.from({ length: 900 }, (_, i) => [task(i % 50, { taskId: `t-${i}`, advisoryId: `ADV-2026-${String(i).padStart(4, '0')}` })])));
    for (const out of [one, many]) {
      expect(out.blocks.length).toBeLessThanOrEqual(MAX_BLOCKS);
      for (const t of mrkdwnTexts(out.blocks)) expect(t.length).toBeLessThanOrEqual(3000);
      const more = /(\d[\d,]*) more not shown/.exec(mrkdwnTexts(out.blocks).at(-1) ?? '');
      const shown = mrkdwnTexts(out.blocks).join('\n').split('\n').filter((l) => l.startsWith('・ ')).length;
      expect(Number(more?.[1]?.replace(/,/g, ''))).toBe(900 - shown);
    }
  });

  it('needs no "more" line when every task fits', () => {
    const out = renderOncallList(list([[task(1)], [task(2, { advisoryId: 'ADV-2026-0043' })]]));
    expect(mrkdwnTexts(out.blocks).join('\n')).not.toContain('more not shown');
    expect(out.blocks).toHaveLength(5);
  });
});

describe('renderMessage and postMetadata', () => {
  it('dispatches advisories and notices to their renderers', () => {
    expect(renderMessage({ kind: 'advisory', view: advisory() })).toEqual(renderAdvisoryMessage(advisory()));
    const notice = { kind: 'advisory_issued' as const, advisoryId: 'A', title: 't', tlp: 'TLP:CLEAR' as const, drill: false, deliveries: 1, ackDeadline: '2026-11-25T10:00:00.000Z', issuedBy: 'x' };
    expect(renderMessage({ kind: 'notice', view: notice })).toEqual(renderNotice(notice));
  });

  it('carries the key, the kind and the ids', () => {
    expect(postMetadata({ kind: 'advisory', view: advisory() }, 'k1')).toEqual({
      event_type: 'ceptoar_post',
      event_payload: { key: 'k1', kind: 'advisory', advisory_id: 'ADV-2026-0042', delivery_id: 'dlv-0001' },
    });
    expect(postMetadata({ kind: 'phone_task', view: phoneTask() }, 'k2').event_payload).toEqual({
      key: 'k2',
      kind: 'phone_task',
      advisory_id: 'ADV-2026-0042',
      task_id: 'dlv-0001.phone',
    });
  });
});

describe('acknowledgement rounds: reminder, phone task, status', () => {
  it('a reminder of a later round asks for its follow-up, by the round\'s deadline, and points to the follow-up\'s button', () => {
    const out = renderReminder(reminder({ followup: 3, ackDeadline: '2026-11-25T11:00:00.000Z' }));
    const texts = mrkdwnTexts(out.blocks).join('\n');
    expect(texts).toContain('*続報 #3 の受領確認をお願いします（期限 2026/11/25 20:00 JST）。*\n*Please acknowledge follow-up #3 (by 2026/11/25 20:00 JST).*');
    expect(texts).toContain('スレッド内の続報 #3 の「受領確認」ボタンを押してください。\nPress "Acknowledge" on follow-up #3 in the thread.');
    expect(texts).toContain('ADV-2026-0042 電子カルテシステムの脆弱性について');
    // Not the advisory's own request, which points at the advisory's button.
    expect(texts).not.toContain('上の注意喚起メッセージ');
    expect(texts).not.toContain('の受領確認がまだありません');
    // The mentions stay.
    expect(texts).toContain('<@U0CONTACT1> <@W0CONTACT2>');
    expect(out.blocks.some((b) => b.type === 'actions')).toBe(false);
  });

  it('a later round\'s reminder escapes the title', () => {
    const out = renderReminder(reminder({ followup: 2, title: HOSTILE, mention: [] }));
    expectInert(mrkdwnTexts(out.blocks));
  });

  it('an acknowledged reminder of a later round reads as any acknowledged one', () => {
    const out = renderReminder(reminder({ followup: 2, acknowledged: { by: '山田', at: '2026-11-25T10:05:00.000Z' } }));
    expect(mrkdwnTexts(out.blocks).join('\n')).not.toContain('続報 #2 の受領確認をお願いします');
  });

  it('a phone task of a later round asks to tell them about the follow-up too, with the script (standard and TLP:RED)', () => {
    for (const script of ['standard', 'red'] as const) {
      const out = renderPhoneTask(phoneTask({ script, round: { n: 2, followup: 3 } }));
      const scriptText = mrkdwnTexts(out).find((t) => t.startsWith('🗒️'))!;
      expect(scriptText).toContain('\n📣 *続報 #3（第2回受領確認）についても伝えてください*\n*Also tell them about follow-up #3 (acknowledgement round 2)*');
    }
    expect(mrkdwnTexts(renderPhoneTask(phoneTask())).join('\n')).not.toContain('についても伝えてください');
  });

  it('the status of a later round says which round, its follow-up and since when, before the counts', () => {
    const out = renderStatus({ ...status([row(1, 'posted'), row(2, 'acknowledged')]), round: { n: 2, followup: 3, since: '2026-11-25T09:30:00.000Z' } });
    const at = out.blocks.findIndex((b) => mrkdwnTexts(b).includes('📣 *第2回受領確認（続報 #3、2026/11/25 18:30 JSTから）*\n*Acknowledgement round 2 (follow-up #3, since 2026/11/25 18:30 JST)*'));
    const counts = out.blocks.findIndex((b) => mrkdwnTexts(b).some((t) => t.includes('合計 / Total')));
    expect(at).toBeGreaterThan(0);
    expect(counts).toBe(at + 1);
    expect(mrkdwnTexts(renderStatus(status([row(1, 'posted')])).blocks).join('\n')).not.toContain('受領確認（続報');
  });
});
