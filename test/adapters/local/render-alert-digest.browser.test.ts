/**
 * Grouped alerts in the local workspace, in a real browser: the page's renderer (public/js/render-alert-digest.js
 * through render-notice.js, the modules the page runs, with its words loaded from the server) lays out an
 * alert_digest notice: the heading of each kind and wave, the advisory, resolved r of t, one line per member (state
 * or failure code, calls, who holds the task, wrong numbers; ✅ who acknowledged, when, how), and N more, each
 * failure reason once, as of; a hostile member name stays text.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertDigestView, AlertMemberView } from '../../../src/view/views.js';
import { closeLocalBrowser, openLocalPage, startLocalBrowser, type LocalBrowser } from '../../support/local-browser.js';

let local: LocalBrowser;
let page: Page;

beforeAll(async () => {
  local = await startLocalBrowser({ dirName: 'local-alerts' });
  page = await openLocalPage(local, { width: 1366, height: 900 });
}, 60_000);

afterAll(() => closeLocalBrowser(local));

const member = (i: number, extra: Partial<AlertMemberView> = {}): AlertMemberView => ({
  memberName: { ja: `構成員${String(i).padStart(2, '0')}`, en: `Member ${String(i).padStart(2, '0')}` },
  state: 'posted',
  attempts: 0,
  wrongNumbers: [],
  ...extra,
});

const view: AlertDigestView = {
  kind: 'alert_digest',
  alert: 'escalation',
  advisoryId: 'ADV-2026-0042',
  title: '電子カルテシステムの脆弱性について',
  tlp: 'TLP:AMBER',
  drill: false,
  wave: 1,
  openedAt: '2026-11-25T01:00:00.000Z',
  members: [member(1)],
  more: 0,
  total: 1,
  resolved: 0,
  asOf: '2026-11-25T01:06:00.000Z',
};

type Rendered = {
  text: string;
  kind: string | null;
  heading: string;
  resolved: string;
  rows: { text: string; name: string; resolved: string | null; state: string | null; code: string | null }[];
  more: string | null;
  reasons: string[];
  fix: boolean;
  asOf: string;
  elements: number;
};

/** Render the notice with the page's own modules, as the page would with the server's body. */
async function rendered(v: AlertDigestView): Promise<Rendered> {
  const args = JSON.stringify([v]);
  // As a string: vitest would rewrite an import() written here into its own loader, which the page does not have.
  return page.evaluate(`(async () => {
    const m = await import('/local/static/js/render-notice.js');
    const box = document.createElement('div');
    document.body.append(box);
    box.append(...m.noticeBody(...${args}));
    const q = (id) => box.querySelector('[data-testid="' + id + '"]');
    const out = {
      text: box.textContent ?? '',
      kind: box.querySelector('[data-notice-kind]')?.getAttribute('data-notice-kind') ?? null,
      heading: q('alert-heading')?.textContent ?? '',
      resolved: q('alert-resolved')?.textContent ?? '',
      rows: [...box.querySelectorAll('[data-testid="alert-member"]')].map((r) => ({
        text: r.textContent,
        name: r.querySelector('[data-testid="alert-member-name"]')?.textContent ?? '',
        resolved: r.getAttribute('data-resolved'),
        state: r.getAttribute('data-state'),
        code: r.querySelector('[data-testid="alert-member-reason"]')?.textContent ?? null,
      })),
      more: q('alert-more')?.textContent ?? null,
      reasons: [...box.querySelectorAll('[data-testid="alert-reason"]')].map((r) => r.getAttribute('data-code')),
      fix: q('alert-fix-directory') !== null,
      asOf: q('alert-as-of')?.textContent ?? '',
      elements: box.querySelectorAll('*').length,
    };
    box.remove();
    return out;
  })()`) as Promise<Rendered>;
}

describe("the page's renderer of a grouped alert", () => {
  it('one silent member: the heading says member, the line says state, calls and nobody on it; as of in Japan time', async () => {
    const out = await rendered(view);
    expect(out.kind).toBe('alert_digest');
    expect(out.heading).toBe('⚠ 受領確認のない構成員 1名（第1波） / ⚠ 1 member without acknowledgement (wave 1)');
    expect(out.text).toContain('ADV-2026-0042');
    expect(out.text).toContain('電子カルテシステムの脆弱性について');
    expect(out.text).toContain('TLP:AMBER');
    expect(out.resolved).toBe('📊 解決 0/1 / resolved 0 of 1');
    expect(out.rows).toHaveLength(1);
    expect(out.rows[0]!.text).toBe(
      '⏳ 構成員01 / Member 01 — 未確認 / Not acknowledged · 電話の試行回数: 0 / Call attempts: 0 · 電話連絡の担当: なし / Phone task held by: nobody',
    );
    expect(out.more).toBeNull();
    expect(out.reasons).toEqual([]);
    expect(out.fix).toBe(false);
    expect(out.asOf).toBe('🕒 2026/11/25 10:06 JST 時点 / as of 2026/11/25 10:06 JST');
    expect(out.text).toContain('状況を見る');
  });

  it('50 members of 1,800, wave 2, a drill: fifty lines, and 1,750 more; who is calling, wrong numbers, the directory to fix', async () => {
    const members = Array.from({ length: 50 }, (_, i) => member(i, i === 3 ? { attempts: 2, claimedBy: '当番 花子', wrongNumbers: ['佐藤 健一'] } : {}));
    const out = await rendered({ ...view, drill: true, wave: 2, members, total: 1_800, more: 1_750 });
    expect(out.heading).toBe('【訓練】⚠ 受領確認のない構成員 1,800名（第2波） / [DRILL] ⚠ 1,800 members without acknowledgement (wave 2)');
    expect(out.rows).toHaveLength(50);
    expect(out.more).toBe('➕ ほか 1,750名 / and 1,750 more');
    expect(out.resolved).toBe('📊 解決 0/1,800 / resolved 0 of 1,800');
    expect(out.rows[3]!.text).toBe(
      '⏳ 構成員03 / Member 03 — 未確認 / Not acknowledged · 電話の試行回数: 2 / Call attempts: 2 · 電話連絡の担当: 当番 花子 / Phone task held by: 当番 花子 · 📵 番号違い / Wrong numbers: 佐藤 健一',
    );
    expect(out.fix).toBe(true);
    expect(out.text).toContain('これは訓練です');
  });

  it('resolved members: ✅ with who, when and how (button, phone)', async () => {
    const members = [
      member(1),
      member(2, { state: 'acknowledged', resolved: { by: '山田 太郎', at: '2026-11-25T01:05:00.000Z', via: 'button' } }),
      member(3, { state: 'acknowledged', attempts: 1, resolved: { by: '当番 花子', at: '2026-11-25T01:04:00.000Z', via: 'phone' } }),
    ];
    const out = await rendered({ ...view, members, total: 3, resolved: 2 });
    expect(out.resolved).toBe('📊 解決 2/3 / resolved 2 of 3');
    expect(out.rows.map((r) => r.resolved)).toEqual(['false', 'true', 'true']);
    expect(out.rows[1]!.text).toBe('✅ 構成員02 / Member 02 — 山田 太郎 が 2026/11/25 10:05 JST に受領確認（ボタン） / acknowledged by 山田 太郎 at 2026/11/25 10:05 JST (button)');
    expect(out.rows[2]!.text).toBe('✅ 構成員03 / Member 03 — 当番 花子 が 2026/11/25 10:04 JST に受領確認（電話） / acknowledged by 当番 花子 at 2026/11/25 10:04 JST (phone)');
  });

  it('failed: the heading, each member its code, each reason explained once; an unknown code gets the unexpected-error words', async () => {
    const members = [
      member(1, { state: 'failed', reason: 'channel_gone' }),
      member(2, { state: 'failed', reason: 'not_in_channel' }),
      member(3, { state: 'failed', reason: 'channel_gone' }),
      member(4, { state: 'failed', reason: 'constructor' }),
    ];
    const out = await rendered({ ...view, alert: 'failed', members, total: 4 });
    expect(out.heading).toBe('⚠ 配信できなかった構成員 4名 / ⚠ 4 members the advisory could not be delivered to');
    expect(out.rows.map((r) => r.code)).toEqual(['channel_gone', 'not_in_channel', 'channel_gone', 'constructor']);
    expect(out.rows[0]!.text).toBe('⚠️ 構成員01 / Member 01 — channel_gone');
    expect(out.reasons).toEqual(['channel_gone', 'not_in_channel', 'constructor']);
    expect(out.text).toContain('チャンネルが見つかりません');
    expect(out.text).toContain('The bot is not in the channel');
    expect(out.text).toContain('想定外のエラーです');
  });

  it('a hostile member name stays text: no element from it, the markup shown as typed', async () => {
    const hostile = '<img src=x onerror="window.__pwned=1"><b>悪意</b>';
    const plain = await rendered({ ...view, members: [member(1, { memberName: { ja: 'ふつう', en: 'plain' } })] });
    const out = await rendered({ ...view, members: [member(1, { memberName: { ja: hostile, en: '<script>alert(1)</script>' }, claimedBy: '<i>x</i>' })] });
    expect(out.rows[0]!.name).toBe(`${hostile} / <script>alert(1)</script>`);
    expect(out.rows[0]!.text).toContain('電話連絡の担当: <i>x</i>');
    expect(out.elements).toBe(plain.elements);
    expect(await page.evaluate(() => (globalThis as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  });
});
