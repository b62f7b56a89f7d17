/**
 * The reach chart in the local workspace, in a real browser:
 * - the page's renderer (public/js/render-image.js, the module the page runs) lays out a picture the bot posted: the
 *   label, the drill banner for a drill, the heading with the advisory, the picture drawn from its bytes with its alt
 *   text; bytes that are not base64 draw nothing;
 * - end to end: the secretariat closes an advisory, and its channel shows the closing summary and, after it, the chart
 *   (the bot's own drawing, decoded by the browser).
 */
import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StatusView } from '../../../src/view/views.js';
import { ONE_PIXEL_PNG } from '../chat-port-contract.js';
import { eventually } from '../../support/eventually.js';
import { closeLocalBrowser, openLocalPage, startLocalBrowser, type LocalApi, type LocalBrowser } from '../../support/local-browser.js';

let local: LocalBrowser;
let api: LocalApi;
let page: Page;

beforeAll(async () => {
  local = await startLocalBrowser({ dirName: 'local-chart' });
  api = local.api;
  page = await openLocalPage(local, { width: 1366, height: 900 });
}, 60_000);

afterAll(() => closeLocalBrowser(local));

type Rendered = { text: string; alt: string | null; width: number; hasSrc: boolean; banner: boolean; classes: string[] };

/** Render a picture's body with the page's own module, as the page would with the server's body. */
async function rendered(body: unknown): Promise<Rendered> {
  // As a string: vitest would rewrite an import() written here into its own loader, which the page does not have.
  return page.evaluate(`(async () => {
    const m = await import('/local/static/js/render-image.js');
    const box = document.createElement('div');
    document.body.append(box);
    box.append(...m.imageBody(${JSON.stringify(body)}).filter(Boolean));
    const img = box.querySelector('[data-testid="chart-image"]');
    if (img && img.getAttribute('src')) await img.decode().catch(() => undefined);
    const out = {
      text: box.textContent ?? '',
      alt: img?.getAttribute('alt') ?? null,
      width: img?.naturalWidth ?? 0,
      hasSrc: Boolean(img?.getAttribute('src')),
      banner: box.querySelector('[data-testid="drill-banner"]') !== null,
      classes: [...box.children].map((c) => c.className),
    };
    box.remove();
    return out;
  })()`) as Promise<Rendered>;
}

const body = (patch: Record<string, unknown> = {}) => ({
  kind: 'image',
  view: { kind: 'reach_chart', advisoryId: 'DRL-2026-0003', title: '訓練 <b>太字</b>', tlp: 'TLP:GREEN', severity: 'level2', drill: true },
  lines: {
    tlpText: { ja: 'コミュニティ内', en: 'Within the community' },
    drill: { ja: '【訓練】これは訓練です', en: '[DRILL] This is a drill' },
    heading: { ja: '受領確認の推移', en: 'Share acknowledged over time' },
    altText: { ja: '受領確認 1件（50%）', en: '1 (50%) acknowledged' },
  },
  filename: 'DRL-2026-0003-reach.png',
  png: Buffer.from(ONE_PIXEL_PNG).toString('base64'),
  ...patch,
});

describe("the page's renderer of a picture", () => {
  it('lays out the label, the drill banner, the heading with the advisory (as text), and the picture with its alt text', async () => {
    const out = await rendered(body());
    expect(out.classes).toEqual(['envelope', 'drill-banner', 'chart-heading', 'chart-figure']);
    expect(out.text).toContain('TLP:GREEN');
    expect(out.text).toContain('🚧 【訓練】これは訓練です / [DRILL] This is a drill 🚧');
    expect(out.text).toContain('📈 受領確認の推移 / Share acknowledged over time: DRL-2026-0003 訓練 <b>太字</b>');
    expect(out.banner).toBe(true);
    expect(out.alt).toBe('受領確認 1件（50%） / 1 (50%) acknowledged');
    expect(out.hasSrc).toBe(true);
    expect(out.width).toBe(1);
  });

  it('a real advisory has no banner; bytes that are not base64 draw nothing', async () => {
    const out = await rendered(body({ lines: { ...body().lines, drill: undefined }, png: 'not base64 <script>' }));
    expect(out.banner).toBe(false);
    expect(out.hasSrc).toBe(false);
    expect(out.classes).toEqual(['envelope', 'chart-heading', 'chart-figure']);
  });
});

describe('closing an advisory in the local workspace', () => {
  it('the secretariat channel shows the closing summary, then the reach chart drawn from its record', async () => {
    const title = `グラフ ${randomUUID().slice(0, 8)}`;
    const input = { title, body: '該当製品を直ちに更新してください。', tlp: 'TLP:AMBER', severity: 'level3', category: 'vulnerability', source: 'nisc', targets: { members: ['jma', 'jda'] } };
    const res = await api<{ advisoryId: string }>('POST', '/local/api/advisories', 'sec-1', { requestKey: randomUUID(), input });
    expect(res.status).toBe(201);
    const advisoryId = res.json.advisoryId;
    await eventually(async () => (await api<StatusView>('GET', `/local/api/advisories/${advisoryId}/status`, 'sec-1')).json.counts.posted === 2, { description: `${advisoryId} posted` });
    expect((await api('POST', `/local/api/advisories/${advisoryId}/close`, 'sec-1', {})).status).toBe(200);

    await page.getByTestId('user-select').selectOption('sec-1');
    await page.getByTestId('channel-secretariat').click();
    const chart = page.locator('article[data-kind="image"]').filter({ hasText: advisoryId });
    await chart.waitFor({ timeout: 30_000 });
    const image = chart.getByTestId('chart-image');
    // The bot's drawing at two pixels per unit of a 640-unit-wide chart: decoded by the browser, wider than the chart.
    await expect.poll(() => image.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth), { timeout: 10_000 }).toBeGreaterThan(640);
    expect(await image.getAttribute('alt')).toContain('受領確認の推移のグラフ。対象 2 構成員のうち受領確認 0件（0%）');
    expect(await chart.getByTestId('chart-heading').textContent()).toBe(`📈 受領確認の推移 / Share acknowledged over time: ${advisoryId} ${title}`);
    expect(await chart.getByTestId('tlp-label').textContent()).toBe('TLP:AMBER');

    // After the summary of the same advisory, in the channel's order.
    const order = await page.locator('#messages article').evaluateAll(
      (nodes, id) => nodes.filter((n) => (n.textContent ?? '').includes(id as string)).map((n) => n.getAttribute('data-kind')),
      advisoryId,
    );
    expect(order.slice(-2)).toEqual(['notice', 'image']);
  });
});
