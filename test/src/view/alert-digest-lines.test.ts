/**
 * A grouped alert's lines (src/view/alert-digest-lines.ts), worded once for Slack and Teams: the heading of each
 * kind (one member or many, the wave), resolved r of t, a member's line (silent: state, calls, who holds the task;
 * failed: the code, the phone side only once someone is on it; resolved: who, when, how), wrong numbers, each
 * failure reason once, and N more, as of, in Japan time.
 */
import { describe, expect, it } from 'vitest';
import { alertDigestLines, alertRowLine } from '../../../src/view/alert-digest-lines.js';
import { ALERT_DIGEST, alertMember, manyMembers } from '../../support/alert-digest-fixture.js';

describe('the heading', () => {
  it('escalation: the count and the wave; one member is "member", more are "members", counts grouped', () => {
    expect(alertDigestLines(ALERT_DIGEST).heading).toEqual({ ja: '⚠ 受領確認のない構成員 1名（第1波）', en: '⚠ 1 member without acknowledgement (wave 1)' });
    expect(alertDigestLines({ ...manyMembers(50, 1_800), wave: 3 }).heading).toEqual({
      ja: '⚠ 受領確認のない構成員 1,800名（第3波）',
      en: '⚠ 1,800 members without acknowledgement (wave 3)',
    });
  });

  it('failed: no wave', () => {
    expect(alertDigestLines({ ...ALERT_DIGEST, alert: 'failed', total: 3, wave: 2 }).heading).toEqual({
      ja: '⚠ 配信できなかった構成員 3名',
      en: '⚠ 3 members the advisory could not be delivered to',
    });
  });
});

describe('the rest of the message', () => {
  it('resolved r of t, as of in Japan time, no "more" when all are listed, the summary for notifications', () => {
    const l = alertDigestLines({ ...ALERT_DIGEST, resolved: 0 });
    expect(l.resolved).toEqual({ ja: '解決 0/1', en: 'resolved 0 of 1' });
    expect(l.asOf).toEqual({ ja: '2026/11/25 10:06 JST 時点', en: 'as of 2026/11/25 10:06 JST' });
    expect(l.more).toBeUndefined();
    expect(l.summary).toBe('⚠ 受領確認のない構成員 1名（第1波） / ⚠ 1 member without acknowledgement (wave 1): ADV-2026-0042 電子カルテシステムの脆弱性について (解決 0/1 / resolved 0 of 1)');
  });

  it('50 listed of 1,800: fifty lines and 1,750 more', () => {
    const l = alertDigestLines({ ...manyMembers(50, 1_800), resolved: 12 });
    expect(l.rows).toHaveLength(50);
    expect(l.more).toEqual({ ja: 'ほか 1,750名', en: 'and 1,750 more' });
    expect(l.resolved).toEqual({ ja: '解決 12/1,800', en: 'resolved 12 of 1,800' });
  });

  it('each failure reason once, in the order first listed; an unknown code gets the unexpected-error words; the directory to fix', () => {
    const l = alertDigestLines({
      ...ALERT_DIGEST,
      alert: 'failed',
      total: 4,
      members: [
        alertMember(1, { state: 'failed', reason: 'not_in_channel' }),
        alertMember(2, { state: 'failed', reason: 'channel_gone', wrongNumbers: ['佐藤'] }),
        alertMember(3, { state: 'failed', reason: 'not_in_channel' }),
        alertMember(4, { state: 'failed', reason: 'constructor' }),
      ],
    });
    expect(l.reasons.map((r) => r.code)).toEqual(['not_in_channel', 'channel_gone', 'constructor']);
    expect(l.reasons[0]!.text.ja).toContain('ボットがチャンネル');
    expect(l.reasons[2]!.text).toEqual({ ja: '想定外のエラーです。ログを確認してください。', en: 'Unexpected error. Check the logs.' });
    expect(l.fixDirectory).toBe(true);
    expect(alertDigestLines(ALERT_DIGEST).fixDirectory).toBe(false);
    expect(alertDigestLines(ALERT_DIGEST).reasons).toEqual([]);
  });
});

describe("a member's line", () => {
  it('silent: the state, calls made, nobody holding the task', () => {
    expect(alertRowLine('escalation', alertMember(1))).toEqual({
      mark: '⏳',
      name: '構成員01 / Member 01',
      resolved: false,
      code: undefined,
      parts: [
        { ja: '未確認', en: 'Not acknowledged' },
        { ja: '電話の試行回数: 0', en: 'Call attempts: 0' },
        { ja: '電話連絡の担当: なし', en: 'Phone task held by: nobody' },
      ],
      wrongNumbers: [],
    });
  });

  it('silent and being called: the calls and who is calling; wrong numbers kept', () => {
    const r = alertRowLine('escalation', alertMember(1, { attempts: 3, claimedBy: '当番 花子', wrongNumbers: ['佐藤 健一'] }));
    expect(r.parts.slice(1)).toEqual([
      { ja: '電話の試行回数: 3', en: 'Call attempts: 3' },
      { ja: '電話連絡の担当: 当番 花子', en: 'Phone task held by: 当番 花子' },
    ]);
    expect(r.wrongNumbers).toEqual(['佐藤 健一']);
  });

  it('failed: the code instead of the state, no phone side until someone is on it', () => {
    const bare = alertRowLine('failed', alertMember(1, { state: 'failed', reason: 'archived' }));
    expect(bare).toMatchObject({ mark: '⚠️', code: 'archived', parts: [] });
    const called = alertRowLine('failed', alertMember(1, { state: 'failed', reason: 'archived', attempts: 1 }));
    expect(called.parts.map((p) => p.en)).toEqual(['Call attempts: 1', 'Phone task held by: nobody']);
    // A failed delivery without a code says its state.
    expect(alertRowLine('failed', alertMember(1, { state: 'failed' })).parts[0]).toEqual({ ja: '配信失敗', en: 'Delivery failed' });
  });

  it('resolved: ✅, who, when in Japan time, and how', () => {
    const button = alertRowLine('escalation', alertMember(1, { state: 'acknowledged', resolved: { by: '山田', at: '2026-11-25T01:05:00.000Z', via: 'button' } }));
    expect(button).toMatchObject({ mark: '✅', resolved: true });
    expect(button.code).toBeUndefined();
    expect(button.parts).toEqual([{ ja: '山田 が 2026/11/25 10:05 JST に受領確認（ボタン）', en: 'acknowledged by 山田 at 2026/11/25 10:05 JST (button)' }]);
    const phone = alertRowLine('failed', alertMember(1, { state: 'acknowledged', reason: 'channel_gone', resolved: { by: '当番', at: '2026-11-25T01:05:00.000Z', via: 'phone' } }));
    expect(phone.parts[0]!.en).toBe('acknowledged by 当番 at 2026/11/25 10:05 JST (phone)');
    expect(phone.code).toBeUndefined();
  });
});

describe('what the platform said', () => {
  it('is kept beside a failed member\'s code, never for a silent one', () => {
    const failed = alertRowLine('failed', alertMember(1, { state: 'failed', reason: 'channel_gone', detail: 'channel_not_found' }));
    expect(failed).toMatchObject({ code: 'channel_gone', detail: 'channel_not_found' });
    expect(alertRowLine('escalation', alertMember(2, { detail: 'ignored' })).detail).toBeUndefined();
    expect(alertRowLine('failed', alertMember(3, { state: 'failed', reason: 'channel_gone' })).detail).toBeUndefined();
  });
});
