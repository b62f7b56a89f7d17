/**
 * A grouped alert on Teams (adapters/teams/alert-digest-card.ts, the 'alert_digest' notice through noticeCard and
 * renderTeams): the heading, the advisory, resolved r of t, the members ten lines to a TextBlock, and N more, the
 * reasons, as of; under the card size limit with 50 members of 1,800 and with names too long to fit (the rows left
 * out are counted); member names escaped (no Markdown, no mention).
 */
import { describe, expect, it } from 'vitest';
import { alertDigestCard, alertRowText } from '../../../adapters/teams/alert-digest-card.js';
import { CARD_MAX_CHARS, jsonLength, type AdaptiveCard } from '../../../adapters/teams/card-elements.js';
import { noticeCard } from '../../../adapters/teams/notice-card.js';
import { renderTeamsMessage } from '../../../adapters/teams/teams-cards.js';
import { alertRowLine } from '../../../src/view/alert-digest-lines.js';
import { ALERT_DIGEST, alertMember, manyMembers } from '../../support/alert-digest-fixture.js';
import { assertInert, markdownTexts, unescapeCardText } from './card-helpers.js';

const text = (card: unknown): string => markdownTexts(card).map(unescapeCardText).join('\n');

/** The member lines as a reader sees them. */
function memberLines(card: AdaptiveCard): string[] {
  return markdownTexts(card)
    .map(unescapeCardText)
    .flatMap((t) => t.split('\n'))
    .filter((l) => /^(⏳|✅|⚠️) \*\*/.test(l));
}

describe('a grouped alert on Teams', () => {
  it('one silent member: TLP first, the heading, the advisory, resolved 0 of 1, the line, as of; the notification text', () => {
    const card = noticeCard(ALERT_DIGEST);
    const texts = markdownTexts(card).map(unescapeCardText);
    expect(texts[0]).toContain('TLP:AMBER');
    expect(texts).toContain('⚠ 受領確認のない構成員 1名（第1波） / ⚠ 1 member without acknowledgement (wave 1)');
    expect(text(card)).toContain('ADV-2026-0042');
    expect(text(card)).toContain('電子カルテシステムの脆弱性について');
    expect(texts).toContain('📊 **解決 0/1 / resolved 0 of 1**');
    expect(memberLines(card)).toEqual([
      '⏳ **構成員01 / Member 01** — 未確認 / Not acknowledged · 電話の試行回数: 0 / Call attempts: 0 · 電話連絡の担当: なし / Phone task held by: nobody',
    ]);
    expect(texts.at(-1)).toBe('🕒 2026/11/25 10:06 JST 時点 / as of 2026/11/25 10:06 JST');
    expect(text(card)).not.toContain('ほか');
    const message = renderTeamsMessage({ kind: 'notice', view: ALERT_DIGEST });
    expect(message.text).toBe(
      '[TLP:AMBER] ⚠ 受領確認のない構成員 1名（第1波） / ⚠ 1 member without acknowledgement (wave 1): ADV-2026-0042 電子カルテシステムの脆弱性について (解決 0/1 / resolved 0 of 1)',
    );
    expect(message.card.body).toEqual(card.body);
  });

  it('a drill says so in the heading', () => {
    expect(text(noticeCard({ ...ALERT_DIGEST, drill: true }))).toContain('【訓練】⚠ 受領確認のない構成員 1名（第1波） / [DRILL] ⚠ 1 member without acknowledgement (wave 1)');
  });

  it('50 members of 1,800: all listed, ten lines to a TextBlock, and 1,750 more, under the size limit', () => {
    const card = alertDigestCard(manyMembers(50, 1_800));
    expect(jsonLength(card)).toBeLessThanOrEqual(CARD_MAX_CHARS);
    const lines = memberLines(card);
    expect(lines).toHaveLength(50);
    expect(lines[49]).toContain('**構成員49 / Member 49**');
    const blocks = markdownTexts(card).filter((t) => t.startsWith('⏳'));
    expect(blocks.map((t) => unescapeCardText(t).split('\n').length)).toEqual([10, 10, 10, 10, 10]);
    expect(text(card)).toContain('➕ ほか 1,750名 / and 1,750 more');
  });

  it('names too long for the card: rows are left out until it fits, and counted', () => {
    const long = (i: number) => alertMember(i, { memberName: { ja: `${'長'.repeat(600)}${i}`, en: `${'L'.repeat(600)}${i}` } });
    const card = alertDigestCard({ ...ALERT_DIGEST, members: Array.from({ length: 50 }, (_, i) => long(i)), total: 1_800, more: 1_750 });
    expect(jsonLength(card)).toBeLessThanOrEqual(CARD_MAX_CHARS);
    const shown = memberLines(card).length;
    expect(shown).toBeGreaterThan(0);
    expect(shown).toBeLessThan(50);
    expect(text(card)).toContain(`➕ ほか ${(1_800 - shown).toLocaleString('en-US')}名 / and ${(1_800 - shown).toLocaleString('en-US')} more`);
  });

  it('resolved members: ✅ with who, when and how', () => {
    const card = noticeCard({
      ...ALERT_DIGEST,
      total: 2,
      resolved: 2,
      members: [
        alertMember(1, { state: 'acknowledged', resolved: { by: '山田 太郎', at: '2026-11-25T01:05:00.000Z', via: 'button' } }),
        alertMember(2, { state: 'acknowledged', resolved: { by: '当番 花子', at: '2026-11-25T01:04:00.000Z', via: 'phone' } }),
      ],
    });
    expect(memberLines(card)).toEqual([
      '✅ **構成員01 / Member 01** — 山田 太郎 が 2026/11/25 10:05 JST に受領確認（ボタン） / acknowledged by 山田 太郎 at 2026/11/25 10:05 JST (button)',
      '✅ **構成員02 / Member 02** — 当番 花子 が 2026/11/25 10:04 JST に受領確認（電話） / acknowledged by 当番 花子 at 2026/11/25 10:04 JST (phone)',
    ]);
    expect(text(card)).toContain('解決 2/2 / resolved 2 of 2');
  });

  it('failed: each member its code, each reason explained once, wrong numbers and the directory to fix', () => {
    const card = noticeCard({
      ...ALERT_DIGEST,
      alert: 'failed',
      total: 3,
      members: [
        alertMember(1, { state: 'failed', reason: 'channel_gone' }),
        alertMember(2, { state: 'failed', reason: 'not_in_channel', wrongNumbers: ['佐藤 健一'] }),
        alertMember(3, { state: 'failed', reason: 'channel_gone' }),
      ],
    });
    const all = text(card);
    expect(all).toContain('⚠ 配信できなかった構成員 3名 / ⚠ 3 members the advisory could not be delivered to');
    expect(memberLines(card)).toEqual([
      '⚠️ **構成員01 / Member 01** — channel_gone',
      '⚠️ **構成員02 / Member 02** — not_in_channel · 📵 番号違い / Wrong numbers: 佐藤 健一',
      '⚠️ **構成員03 / Member 03** — channel_gone',
    ]);
    expect(all.split('channel_gone: ').length - 1).toBe(1);
    expect(all).toContain('channel_gone: チャンネルが見つかりません');
    expect(all).toContain('not_in_channel: ボットがチャンネル');
    expect(all).toContain('📵 名簿の電話番号を修正してください。 / Fix these numbers in the directory.');
  });

  it('a hostile member name and caller: escaped, no mention, read back as typed', () => {
    const hostile = '**太字** [銀行](https://evil.example) <at>全員</at> _x_ \\';
    const row = alertRowText(alertRowLine('escalation', alertMember(1, { memberName: { ja: hostile, en: '- list' }, claimedBy: '<at>U1</at>', wrongNumbers: ['*x*'] })));
    const name = row.slice(row.indexOf('**') + 2, row.indexOf('** — '));
    assertInert(name);
    const rest = row.slice(row.indexOf('** — ') + 5);
    assertInert(rest);
    expect(unescapeCardText(row)).toBe(
      `⏳ **${hostile} / - list** — 未確認 / Not acknowledged · 電話の試行回数: 0 / Call attempts: 0 · 電話連絡の担当: <at>U1</at> / Phone task held by: <at>U1</at> · 📵 番号違い / Wrong numbers: *x*`,
    );
    const card = noticeCard({ ...ALERT_DIGEST, title: '<at>x</at> **t**', members: [alertMember(1, { memberName: { ja: hostile, en: 'x' } })] });
    expect(JSON.stringify(card)).not.toMatch(/<at>/i);
  });
});
