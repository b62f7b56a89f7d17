/**
 * The secretariat's live status card in the local workspace, in a real browser:
 * - the page's renderer (public/js/render-notice.js, the module the page runs, with its words loaded) lays out
 *   the server's worded live part (local-live-lines.ts): a bar of segments per state, the counts, on the phone,
 *   the round, time since issue, the next step, how it closed; without a live part, the notice as issued;
 * - end to end: the secretariat has the status panel of an advisory open, a member acknowledges, and the panel's
 *   acknowledged count and the card in the secretariat channel change without a reload (the card's update
 *   arrives on the secretariat's event stream and the open panel of that advisory fetches again).
 */
import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalMessage } from '../../../adapters/local/local-api.js';
import { liveLines } from '../../../adapters/local/local-live-lines.js';
import type { LiveStatusView, NoticeView, StatusView } from '../../../src/view/views.js';
import { eventually } from '../../support/eventually.js';
import { closeLocalBrowser, openLocalPage, startLocalBrowser, type LocalApi, type LocalBrowser } from '../../support/local-browser.js';

let local: LocalBrowser;
let api: LocalApi;
let page: Page;

beforeAll(async () => {
  local = await startLocalBrowser({ dirName: 'local-live' });
  api = local.api;
  page = await openLocalPage(local, { width: 1366, height: 900 });
}, 60_000);

afterAll(() => closeLocalBrowser(local));

type Issued = Extract<NoticeView, { kind: 'advisory_issued' }>;

const issued: Issued = {
  kind: 'advisory_issued',
  advisoryId: 'ADV-2026-0042',
  title: '電子カルテシステムの脆弱性について',
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

type Rendered = { text: string; segments: { state: string; count: string; grow: string; width: number }[]; testids: string[] };

/** Render the notice with the page's own module, as the page would with the server's body. */
async function rendered(view: Issued): Promise<Rendered> {
  const body = { kind: 'notice' as const, view };
  const args = JSON.stringify([view, liveLines(body)]);
  // As a string: vitest would rewrite an import() written here into its own loader, which the page does not have.
  return page.evaluate(`(async () => {
    const m = await import('/local/static/js/render-notice.js');
    const box = document.createElement('div');
    box.style.width = '600px';
    document.body.append(box);
    box.append(...m.noticeBody(...${args}));
    const out = {
      text: box.textContent ?? '',
      segments: [...box.querySelectorAll('.live-seg')].map((s) => ({
        state: s.getAttribute('data-state'),
        count: s.getAttribute('data-count'),
        grow: getComputedStyle(s).flexGrow,
        width: s.getBoundingClientRect().width,
      })),
      testids: [...box.querySelectorAll('.live-status [data-testid]')].map((n) => n.getAttribute('data-testid')),
    };
    box.remove();
    return out;
  })()`) as Promise<Rendered>;
}

describe("the page's renderer of the live status card", () => {
  it('without a live part: the notice as issued, no bar', async () => {
    const out = await rendered(issued);
    expect(out.text).toContain('注意喚起を発信しました');
    expect(out.segments).toEqual([]);
    expect(out.testids).toEqual([]);
    expect(out.text).not.toContain('発信から');
  });

  it('live: a segment per state as wide as its count (a lone failure still shows), the counts and the time since issue', async () => {
    const out = await rendered({ ...issued, live });
    expect(out.segments.map((s) => [s.state, s.count, s.grow])).toEqual([
      ['acknowledged', '12', '12'],
      ['posted', '3', '3'],
      ['failed', '1', '1'],
      ['queued', '1', '1'],
    ]);
    const [ack, silent, failed] = out.segments;
    expect(ack!.width).toBeGreaterThan(silent!.width);
    expect(silent!.width).toBeGreaterThan(failed!.width);
    expect(failed!.width).toBeGreaterThanOrEqual(6);
    expect(out.text).toContain('受領確認 12/17 · 未確認 3 · 失敗 1 · 配信待ち 1');
    expect(out.text).toContain('acknowledged 12 of 17 · silent 3 · failed 1 · queued 1');
    expect(out.text).toContain('🕒 発信から 12分（2026/11/25 09:40 JST 時点） / 12 min since issue (as of 2026/11/25 09:40 JST)');
    expect(out.testids).toEqual(['live-bar', 'live-seg-acknowledged', 'live-seg-posted', 'live-seg-failed', 'live-seg-queued', 'live-progress', 'live-since']);
  });

  it('live: on the phone, the round and the next step', async () => {
    const out = await rendered({
      ...issued,
      live: { ...live, onPhone: 2, round: { n: 2, followup: 1, since: '2026-11-25T00:35:00.000Z' }, nextStep: { kind: 'reminder', at: '2026-11-25T00:45:00.000Z', members: 3 } },
    });
    expect(out.text).toContain('📞 電話対応中 2 / on the phone 2');
    expect(out.text).toContain('🔁 第2回受領確認（続報 #1、2026/11/25 09:35 JSTから） / Acknowledgement round 2 (follow-up #1, since 2026/11/25 09:35 JST)');
    expect(out.text).toContain('⏭️ 次の段階: リマインド 2026/11/25 09:45 JST（3名） / next: reminder at 2026/11/25 09:45 JST (3 members)');
    expect(out.testids).toContain('live-on-phone');
    expect(out.testids).not.toContain('live-closed');
  });

  it('closed: the closing line, no next step', async () => {
    const out = await rendered({
      ...issued,
      live: {
        ...live,
        counts: { total: 17, acknowledged: 17, posted: 0, failed: 0, queued: 0, cancelled: 0 },
        nextStep: { kind: 'phone', at: '2026-11-25T01:10:00.000Z', members: 1 },
        closed: { cause: 'all_acknowledged', at: '2026-11-25T01:05:00.000Z' },
      },
    });
    expect(out.segments.map((s) => s.state)).toEqual(['acknowledged']);
    expect(out.text).toContain('🏁 2026/11/25 10:05 JST 注意喚起を終了しました（全構成員が受領確認）');
    expect(out.text).toContain('Advisory closed: every member acknowledged (2026/11/25 10:05 JST)');
    expect(out.text).not.toContain('次の段階');
  });
});

describe('the status panel and the card update live for the secretariat', () => {
  it('a member acknowledges while the secretariat has the status open: the count and the card change without a reload', async () => {
    const title = `ライブ状況 ${randomUUID().slice(0, 8)}`;
    const input = { title, body: '該当製品を直ちに更新してください。', tlp: 'TLP:AMBER', severity: 'level3', category: 'vulnerability', source: 'nisc', targets: { members: ['jma', 'jda'] } };
    const res = await api<{ advisoryId: string }>('POST', '/local/api/advisories', 'sec-1', { requestKey: randomUUID(), input });
    expect(res.status).toBe(201);
    const advisoryId = res.json.advisoryId;
    await eventually(async () => (await api<StatusView>('GET', `/local/api/advisories/${advisoryId}/status`, 'sec-1')).json.counts.posted === 2, { description: `${advisoryId} posted` });

    // The secretariat: its channel, the card, the status panel of this advisory.
    await page.getByTestId('user-select').selectOption('sec-1');
    await page.getByTestId('channel-secretariat').click();
    const card = page.locator('article').filter({ hasText: advisoryId }).filter({ has: page.getByTestId('live-status') });
    await expect.poll(async () => (await card.getByTestId('live-progress').textContent()) ?? '', { timeout: 15_000 }).toContain('受領確認 0/2 · 未確認 2');
    await page.getByTestId('status-id').fill(advisoryId);
    await page.getByTestId('status-submit').click();
    await expect.poll(() => page.getByTestId('status-view').getAttribute('data-advisory-id'), { timeout: 10_000 }).toBe(advisoryId);
    expect(await page.getByTestId('status-count-acknowledged').textContent()).toBe('0');
    // A marker on the page: a reload would lose it.
    await page.evaluate(() => ((globalThis as unknown as { __noReload?: boolean }).__noReload = true));

    // A member acknowledges (through the API the page uses, as that member).
    const messages = await api<{ messages: LocalMessage[] }>('GET', '/local/api/channels/member-jma/messages', 'jma-1');
    const copy = messages.json.messages.find((m) => m.body.kind === 'advisory' && m.body.view.advisoryId === advisoryId);
    if (!copy || copy.body.kind !== 'advisory') throw new Error(`${advisoryId} is not in member-jma`);
    const press = await api('POST', '/local/api/press', 'jma-1', { channelId: 'member-jma', messageId: copy.id, action: 'advisory_ack', value: copy.body.view.deliveryId });
    expect(press.status).toBe(200);

    // The panel's count and the card change by themselves.
    await expect.poll(() => page.getByTestId('status-count-acknowledged').textContent(), { timeout: 20_000 }).toBe('1');
    expect(await page.getByTestId('status-count-posted').textContent()).toBe('1');
    expect(await page.getByTestId('status-row-jma').getAttribute('data-state')).toBe('acknowledged');
    await expect.poll(async () => (await card.getByTestId('live-progress').textContent()) ?? '', { timeout: 20_000 }).toContain('受領確認 1/2 · 未確認 1');
    expect(await card.getByTestId('live-seg-acknowledged').getAttribute('data-count')).toBe('1');
    expect(await page.evaluate(() => (globalThis as unknown as { __noReload?: boolean }).__noReload)).toBe(true);
  });
});
