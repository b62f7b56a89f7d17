/**
 * A grouped alert on Slack (adapters/slack/alert-digest-blocks.ts, the 'alert_digest' notice through renderNotice):
 * the heading, the advisory, resolved r of t, the members a few lines to a section, and N more, the reasons, as of;
 * within Slack's limits (50 blocks, 3,000 characters a section) with 50 members of 1,800 and with names too long
 * to fit; member names and titles escaped.
 */
import type { KnownBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import { alertRowText } from '../../../adapters/slack/alert-digest-blocks.js';
import { renderNotice } from '../../../adapters/slack/notice-blocks.js';
import { alertRowLine } from '../../../src/view/alert-digest-lines.js';
import { ALERT_DIGEST, alertMember, manyMembers } from '../../support/alert-digest-fixture.js';

/** Every mrkdwn text of the blocks, in order. */
function texts(blocks: unknown): string[] {
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
  return out;
}

/** Section texts (not fields), the member lines among them. */
const sectionTexts = (blocks: KnownBlock[]): string[] =>
  blocks.flatMap((b) => (b.type === 'section' && b.text !== undefined ? [b.text.text] : []));
const memberLines = (blocks: KnownBlock[]): string[] => sectionTexts(blocks).flatMap((t) => t.split('\n').filter((l) => /^(⏳|✅|⚠️|🕒|⛔) \*/.test(l)));

describe('a grouped alert on Slack', () => {
  it('one silent member: TLP first, the heading in both languages, the advisory, resolved 0 of 1, the line, as of', () => {
    const out = renderNotice(ALERT_DIGEST);
    const all = texts(out.blocks);
    expect(all[0]).toContain('*TLP:AMBER*');
    expect(all).toContain('*⚠ 受領確認のない構成員 1名（第1波）*\n*⚠ 1 member without acknowledgement (wave 1)*');
    expect(all).toContain('*注意喚起 ID / Advisory id*\nADV-2026-0042');
    expect(all).toContain('*件名 / Title*\n電子カルテシステムの脆弱性について');
    expect(all).toContain('📊 *解決 0/1 / resolved 0 of 1*');
    expect(memberLines(out.blocks)).toEqual([
      '⏳ *構成員01 / Member 01* — 未確認 / Not acknowledged · 電話の試行回数: 0 / Call attempts: 0 · 電話連絡の担当: なし / Phone task held by: nobody',
    ]);
    expect(all.at(-1)).toBe('🕒 2026/11/25 10:06 JST 時点 / as of 2026/11/25 10:06 JST');
    expect(all.join('\n')).not.toContain('ほか');
    expect(all.join('\n')).not.toContain('訓練');
    expect(out.text).toBe(
      '[TLP:AMBER] ⚠ 受領確認のない構成員 1名（第1波） / ⚠ 1 member without acknowledgement (wave 1): ADV-2026-0042 電子カルテシステムの脆弱性について (解決 0/1 / resolved 0 of 1)',
    );
  });

  it('a drill says so in the banner, the heading and the notification', () => {
    const out = renderNotice({ ...ALERT_DIGEST, drill: true, wave: 2 });
    const all = texts(out.blocks);
    expect(all).toContain('*【訓練】⚠ 受領確認のない構成員 1名（第2波）*\n*[DRILL] ⚠ 1 member without acknowledgement (wave 2)*');
    expect(all.join('\n')).toContain('これは訓練です');
    expect(out.text.startsWith('[TLP:AMBER] 【訓練】[DRILL] ⚠')).toBe(true);
  });

  it('50 members of 1,800: every one listed in sections of ten lines, and 1,750 more, within 50 blocks', () => {
    const out = renderNotice(manyMembers(50, 1_800));
    expect(out.blocks.length).toBeLessThanOrEqual(50);
    const lines = memberLines(out.blocks);
    expect(lines).toHaveLength(50);
    expect(lines[0]).toContain('*構成員00 / Member 00*');
    expect(lines[49]).toContain('*構成員49 / Member 49*');
    for (const t of sectionTexts(out.blocks)) expect(t.length).toBeLessThanOrEqual(3_000);
    const sectionsWithMembers = sectionTexts(out.blocks).filter((t) => t.startsWith('⏳'));
    expect(sectionsWithMembers.map((t) => t.split('\n').length)).toEqual([10, 10, 10, 10, 10]);
    expect(texts(out.blocks)).toContain('➕ ほか 1,750名 / and 1,750 more');
    expect(texts(out.blocks)).toContain('📊 *解決 0/1,800 / resolved 0 of 1,800*');
  });

  it('names too long for Slack: the message still fits (50 blocks, 3,000 a section), and who is left out is counted', () => {
    const long = (i: number) => alertMember(i, { memberName: { ja: `${'長'.repeat(2_500)}${i}`, en: `${'L'.repeat(2_500)}${i}` } });
    const view = { ...ALERT_DIGEST, members: Array.from({ length: 50 }, (_, i) => long(i)), total: 1_800, more: 1_750 };
    const out = renderNotice(view);
    expect(out.blocks.length).toBeLessThanOrEqual(50);
    for (const t of texts(out.blocks)) expect(t.length).toBeLessThanOrEqual(3_000);
    const shown = sectionTexts(out.blocks).filter((t) => t.startsWith('⏳')).length;
    expect(shown).toBeGreaterThan(0);
    expect(shown).toBeLessThan(50);
    expect(texts(out.blocks)).toContain(`➕ ほか ${(1_800 - shown).toLocaleString('en-US')}名 / and ${(1_800 - shown).toLocaleString('en-US')} more`);
    // The time is still the last thing said.
    expect(texts(out.blocks).at(-1)).toContain('時点');
  });

  it('resolved members: ✅ with who, when and how; resolved 2 of 3', () => {
    const out = renderNotice({
      ...ALERT_DIGEST,
      total: 3,
      resolved: 2,
      members: [
        alertMember(1, { attempts: 2, claimedBy: '当番 花子' }),
        alertMember(2, { state: 'acknowledged', resolved: { by: '山田 太郎', at: '2026-11-25T01:05:00.000Z', via: 'button' } }),
        alertMember(3, { state: 'acknowledged', attempts: 1, resolved: { by: '当番 花子', at: '2026-11-25T01:04:00.000Z', via: 'phone' } }),
      ],
    });
    expect(memberLines(out.blocks)).toEqual([
      '⏳ *構成員01 / Member 01* — 未確認 / Not acknowledged · 電話の試行回数: 2 / Call attempts: 2 · 電話連絡の担当: 当番 花子 / Phone task held by: 当番 花子',
      '✅ *構成員02 / Member 02* — 山田 太郎 が 2026/11/25 10:05 JST に受領確認（ボタン） / acknowledged by 山田 太郎 at 2026/11/25 10:05 JST (button)',
      '✅ *構成員03 / Member 03* — 当番 花子 が 2026/11/25 10:04 JST に受領確認（電話） / acknowledged by 当番 花子 at 2026/11/25 10:04 JST (phone)',
    ]);
    expect(texts(out.blocks)).toContain('📊 *解決 2/3 / resolved 2 of 3*');
  });

  it('failed: the heading, each member its code, each reason explained once, wrong numbers and the directory to fix', () => {
    const out = renderNotice({
      ...ALERT_DIGEST,
      alert: 'failed',
      total: 3,
      members: [
        alertMember(1, { state: 'failed', reason: 'channel_gone' }),
        alertMember(2, { state: 'failed', reason: 'not_in_channel', wrongNumbers: ['佐藤 健一'] }),
        alertMember(3, { state: 'failed', reason: 'channel_gone' }),
      ],
    });
    const all = texts(out.blocks).join('\n');
    expect(all).toContain('*⚠ 配信できなかった構成員 3名*\n*⚠ 3 members the advisory could not be delivered to*');
    expect(memberLines(out.blocks)).toEqual([
      '⚠️ *構成員01 / Member 01* — `channel_gone`',
      '⚠️ *構成員02 / Member 02* — `not_in_channel` · 📵 番号違い / Wrong numbers: 佐藤 健一',
      '⚠️ *構成員03 / Member 03* — `channel_gone`',
    ]);
    expect(all.split('`channel_gone`: ').length - 1).toBe(1);
    expect(all).toContain('`channel_gone`: チャンネルが見つかりません（削除されたか、ボットから見えません）。');
    expect(all).toContain('`not_in_channel`: ボットがチャンネル（チーム・チャット）に参加していません。');
    expect(all).toContain('📵 名簿の電話番号を修正してください。\nFix these numbers in the directory.');
  });

  it('a hostile member name, caller and title: no mention, no link, no broken code span', () => {
    const hostile = '<!channel> <@U0HOSTILE> <https://evil.example|銀行> @here & `x';
    const out = renderNotice({
      ...ALERT_DIGEST,
      title: `<!everyone> ${hostile}`,
      members: [alertMember(1, { memberName: { ja: hostile, en: '<!here>' }, claimedBy: '<@U0CALLER>', wrongNumbers: ['<!subteam^S1>'] })],
    });
    const all = [...texts(out.blocks), out.text].join('\n');
    expect(all).not.toMatch(/<[!@#]/);
    expect(all).not.toContain('<https://');
    expect(all).toContain('&lt;!channel&gt; &lt;@U0HOSTILE&gt; &lt;https://evil.example|銀行&gt; @\u2060here &amp; `x');
    expect(all).toContain('電話連絡の担当: &lt;@U0CALLER&gt;');
    expect(all).toContain('&lt;!subteam^S1&gt;');
    // The failure code is ours, but escaped all the same.
    expect(alertRowText(alertRowLine('failed', alertMember(1, { state: 'failed', reason: '<!channel>' })))).toContain('`&lt;!channel&gt;`');
  });
});

describe('a failed member on Slack', () => {
  it('shows what the platform said beside the code, escaped', () => {
    const text = alertRowText(alertRowLine('failed', alertMember(1, { state: 'failed', reason: 'channel_gone', detail: '<!channel> gone' })));
    expect(text).toContain('`channel_gone` (&lt;!channel&gt; gone)');
  });
});
