/**
 * The reach report (疎通確認率) in the local workspace: its routes (the worded report, the chart as SVG, the CSV and
 * JSON as attachments, for the secretariat only) and, in a real browser, the secretariat's status view showing the
 * rates, the chart drawn from the server's SVG, and the CSV downloaded from the page.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { XMLValidator } from 'fast-xml-parser';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalError, LocalMessage } from '../../../adapters/local/local-api.js';
import type { ReachView } from '../../../src/view/reach-view.js';
import { eventually } from '../../support/eventually.js';
import { closeLocalBrowser, openLocalPage, startLocalBrowser, type LocalApi, type LocalBrowser } from '../../support/local-browser.js';

let local: LocalBrowser;
let api: LocalApi;
let advisoryId = '';
let other = '';

async function issue(members: string[]): Promise<string> {
  const input = { title: `疎通確認 ${randomUUID().slice(0, 8)}`, body: '訓練です。受領確認を押してください。', tlp: 'TLP:GREEN', severity: 'level3', category: 'notice', source: 'other', drill: true, targets: { members } };
  const issued = await api<{ advisoryId: string }>('POST', '/local/api/advisories', 'sec-1', { requestKey: randomUUID(), input });
  expect(issued.status).toBe(201);
  return issued.json.advisoryId;
}

/** jma's staff presses 受領確認 on the copy in jma's channel. */
async function jmaAcknowledges(id: string): Promise<void> {
  const copy = await eventually(async () => {
    const res = await api<{ messages: LocalMessage[] }>('GET', '/local/api/channels/member-jma/messages', 'jma-1');
    return res.json.messages.find((m) => m.body.kind === 'advisory' && m.body.view.advisoryId === id);
  });
  const deliveryId = copy.body.kind === 'advisory' ? copy.body.view.deliveryId : undefined;
  const press = await api('POST', '/local/api/press', 'jma-1', { channelId: 'member-jma', messageId: copy.id, action: 'advisory_ack', value: deliveryId });
  expect(press.status).toBe(200);
}

async function raw(path: string, user: string): Promise<Response> {
  return fetch(`${local.bot.url}${path}`, { headers: { 'x-local-user': user } });
}

beforeAll(async () => {
  local = await startLocalBrowser({ dirName: 'local-reach' });
  api = local.api;
  advisoryId = await issue(['jma', 'jda', 'jpa']);
  other = await issue(['jma']);
  await jmaAcknowledges(advisoryId);
}, 60_000);

afterAll(() => closeLocalBrowser(local));

describe('the reach routes', () => {
  it('the worded report, for the secretariat only', async () => {
    const res = await api<ReachView>('GET', `/local/api/advisories/${advisoryId}/reach`, 'sec-1');
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ advisoryId, drill: true, targeted: 3, state: 'open' });
    expect(res.json.rates.find((r) => r.key === 'acknowledged')?.text).toEqual({ ja: '1件（33.3%）', en: '1 (33.3%)' });
    expect(res.json.rates.find((r) => r.key === 'beforeReminder')?.count).toBe(1);
    const member = await api<LocalError>('GET', `/local/api/advisories/${advisoryId}/reach`, 'jma-1');
    expect(member.status).toBe(403);
    expect(member.json.error.code).toBe('AUTH.NOT_SECRETARIAT');
    const unknown = await api<LocalError>('GET', '/local/api/advisories/ADV-2026-9999/reach', 'sec-1');
    expect(unknown.status).toBe(404);
  });

  it('the chart as SVG, for the secretariat only', async () => {
    const res = await raw(`/local/api/advisories/${advisoryId}/reach/chart.svg`, 'sec-1');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
    const svg = await res.text();
    expect(XMLValidator.validate(svg)).toBe(true);
    expect(svg).toContain('reach_series_marks');
    expect(svg).toContain(`【訓練】 TLP:GREEN · レベル3 高 · ${advisoryId} 受領確認の推移`);
    const member = await raw(`/local/api/advisories/${advisoryId}/reach/chart.svg`, 'jma-1');
    expect(member.status).toBe(403);
    expect(((await member.json()) as LocalError).error.code).toBe('AUTH.NOT_SECRETARIAT');
  });

  it('the CSV and JSON as attachments (also beside another advisory); another format is refused naming it', async () => {
    const csv = await raw(`/local/api/advisories/${advisoryId}/reach/file?format=csv`, 'sec-1');
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toBe(`attachment; filename="${advisoryId}-reach.csv"`);
    const bytes = Buffer.from(await csv.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.toString('utf8')).toContain('受領確認 計 / Acknowledged in all,1,33.3,');

    const json = await raw(`/local/api/advisories/${advisoryId}/reach/file?format=json&compare=${other}`, 'sec-1');
    expect(json.headers.get('content-disposition')).toBe(`attachment; filename="${advisoryId}-reach-vs-${other}.json"`);
    const both = (await json.json()) as { comparison: { previous: { advisoryId: string; targeted: number } } };
    expect(both.comparison.previous).toMatchObject({ advisoryId: other, targeted: 1 });

    const pdf = await api<LocalError>('GET', `/local/api/advisories/${advisoryId}/reach/file?format=pdf`, 'sec-1');
    expect(pdf.status).toBe(400);
    expect(pdf.json.error).toMatchObject({ code: 'ADVISORY.INVALID', fields: { format: { ja: '形式は csv・json・svg・png のいずれかです。' } } });
    const member = await api<LocalError>('GET', `/local/api/advisories/${advisoryId}/reach/file?format=csv`, 'jma-1');
    expect(member.status).toBe(403);
  });
});

describe('the status view in a browser', () => {
  let page: Page;

  beforeAll(async () => {
    page = await openLocalPage(local, { width: 1400, height: 900 });
  });

  it('shows the report\'s rates and the chart drawn from the server\'s SVG, and downloads the CSV', async () => {
    await page.getByTestId('user-select').selectOption('sec-1');
    await page.getByTestId('channel-secretariat').click();
    await page.getByTestId('status-id').fill(advisoryId);
    await page.getByTestId('status-submit').click();
    await expect.poll(() => page.getByTestId('status-view').getAttribute('data-advisory-id'), { timeout: 10_000 }).toBe(advisoryId);

    const section = page.getByTestId('reach-section');
    expect(await section.getAttribute('open')).not.toBeNull();
    await expect.poll(() => page.getByTestId('reach-rate-acknowledged').textContent(), { timeout: 10_000 }).toBe('受領確認 計Acknowledged in all1件（33.3%） / 1 (33.3%)');
    expect(await page.getByTestId('reach-rate-never').textContent()).toContain('2件（66.7%）');
    expect(await page.getByTestId('reach-time-median').textContent()).toContain('受領確認までの時間（中央値）');
    // The local workspace's demo ladder (config/escalation.demo.yaml), level 3: minutes, not hours.
    expect(await page.getByTestId('reach-ladder').textContent()).toBe(
      'エスカレーション / Escalation: リマインド / Reminder 1分 / 1 minute · 電話 / Phone 2分 / 2 minutes · 事務局へ通知 / Alert 4分 / 4 minutes (エスカレーション設定の時刻 / the escalation policy\'s times)',
    );
    expect(await page.getByTestId('reach-state').textContent()).toContain('受付中（途中の集計） / open (figures so far)');

    // The chart: an image of the server's SVG, drawn (not parsed into the page).
    const chart = page.getByTestId('reach-chart');
    await expect.poll(() => chart.evaluate((e) => { const img = e as unknown as { complete: boolean; naturalWidth: number }; return img.complete ? img.naturalWidth : 0; }), { timeout: 10_000 }).toBeGreaterThan(600);
    expect(await chart.getAttribute('alt')).toBe('受領確認の推移のグラフ / Chart of the share acknowledged over time');
    expect(await page.locator('.status-view svg').count()).toBe(0);
    const box = await chart.boundingBox();
    expect(box?.width).toBeGreaterThan(300);

    // The CSV, downloaded from the page as the acting user.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('reach-csv').click()]);
    expect(download.suggestedFilename()).toBe(`${advisoryId}-reach.csv`);
    const csv = await readFile((await download.path())!, 'utf8');
    expect(csv.startsWith('\uFEFF指標 / measure,')).toBe(true);
    expect(csv).toContain(`${advisoryId},yes,jma,`);
  });

  it('fits a phone (390 px): the figures wrap and the chart is as wide as the screen, nothing scrolls sideways', async () => {
    const phone = await openLocalPage(local, { width: 390, height: 844 }, { user: 'sec-1', channel: 'secretariat' });
    try {
      await phone.getByTestId('status-id').fill(advisoryId);
      await phone.getByTestId('status-submit').click();
      const chart = phone.getByTestId('reach-chart');
      await expect.poll(() => chart.evaluate((e) => (e as unknown as { naturalWidth: number }).naturalWidth), { timeout: 10_000 }).toBeGreaterThan(600);
      const box = await chart.boundingBox();
      expect(box!.width).toBeLessThanOrEqual(390);
      expect(box!.x).toBeGreaterThanOrEqual(0);
      expect(await phone.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      expect(await phone.getByTestId('reach-section').evaluate((e) => e.scrollWidth - e.clientWidth)).toBe(0);
    } finally {
      await phone.close();
    }
  });

  it('stays folded when the reader folds it, through the status being drawn again', async () => {
    await page.getByTestId('reach-summary').click();
    await expect.poll(() => page.getByTestId('reach-section').getAttribute('open')).toBeNull();
    // Marked, so that the section drawn again is told from this one.
    await page.getByTestId('reach-section').evaluate((e) => e.setAttribute('data-old', ''));
    await page.getByTestId('status-refresh').click();
    await expect.poll(() => page.locator('[data-testid="reach-section"]:not([data-old])').count(), { timeout: 10_000 }).toBe(1);
    expect(await page.getByTestId('reach-section').count()).toBe(1);
    expect(await page.getByTestId('reach-section').getAttribute('open')).toBeNull();
    // Folded, it asked for nothing: no figures inside.
    expect(await page.getByTestId('reach-rates').count()).toBe(0);
    await page.getByTestId('reach-summary').click();
    await expect.poll(() => page.getByTestId('reach-rate-acknowledged').textContent(), { timeout: 10_000 }).toContain('1件（33.3%）');
  });
});
