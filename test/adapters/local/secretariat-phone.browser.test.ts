/**
 * The secretariat on a phone (390 × 844), in Chromium, with a generated sector of 150 members part way through a
 * fast escalation ladder: the live status card in the secretariat channel and the status view (the list of
 * advisories, the counts, filters, pages and the members' rows) fit the screen's width. Nothing makes the page or
 * any of its boxes scroll sideways; each member's row is a card whose name spans the card (a phone is too narrow
 * for four columns: a 110 px member column broke names into one word a line); the counts stay whole.
 */
import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalMessage } from '../../../adapters/local/local-api.js';
import { REDIS_URL } from '../../support/bot-harness.js';
import { eventually } from '../../support/eventually.js';
import { largeDirectory } from '../../support/large-directory.js';
import { closeLocalBrowser, openLocalPage, startLocalBrowser, type LocalApi, type LocalBrowser } from '../../support/local-browser.js';
import { watchQueues } from '../../support/queue-watch.js';

const MEMBERS = 150;
const PHONE = { width: 390, height: 844 };
/** lg-0003: a long name in both languages, the hardest to fit. */
const LONG_NAME = { ja: '公益社団法人 全国自治体情報セキュリティ連絡協議会', en: 'National Association of Local Government Information Security Coordinators' };
/** A group whose name is longer than the screen is wide: the group filter's select must not widen the panel. */
const LONG_GROUP = {
  id: 'tokyo-tama',
  name: { ja: '東京都の特別区（23区）および多摩地域・島しょ部の市町村', en: 'The special wards of Tokyo and the municipalities of the Tama area and the islands' },
  members: ['lg-0002'],
};

let local: LocalBrowser;
let api: LocalApi;
let page: Page;
let advisoryId: string;

beforeAll(async () => {
  local = await startLocalBrowser({
    dirName: 'sec-phone',
    membersFile: async (dir) => {
      const directory = largeDirectory(MEMBERS) as { organisations: { name: unknown }[]; groups: unknown[] };
      directory.organisations[2]!.name = LONG_NAME;
      directory.groups.push(LONG_GROUP);
      const membersFile = join(dir, 'members.yaml');
      await writeFile(membersFile, stringify(directory));
      return membersFile;
    },
    fastLadder: true,
    env: { DELIVERY_RATE_PER_SECOND: '1000', STATUS_CARD_INTERVAL_SECONDS: '1' },
  });
  api = local.api;

  // An advisory to everyone. 港区 (lg-0002) acknowledges and writes in the thread; the rest stay silent to the
  // ladder's end, so their rows carry the reminder, the phone task and the alert: the longest a row gets.
  const input = { title: `スマホで見る状況 ${randomUUID().slice(0, 6)}`, body: '該当製品を直ちに更新してください。', tlp: 'TLP:AMBER', severity: 'level3', category: 'vulnerability', source: 'nisc', targets: { allMembers: true } };
  const issued = await api<{ advisoryId: string }>('POST', '/local/api/advisories', 'sec-1', { requestKey: randomUUID(), input });
  expect(issued.status).toBe(201);
  advisoryId = issued.json.advisoryId;
  const copy = await eventually(async () => {
    const res = await api<{ messages: LocalMessage[] }>('GET', '/local/api/channels/member-lg-0002/messages', 'lg-0002-1');
    return res.json.messages.find((m) => m.body.kind === 'advisory' && m.body.view.advisoryId === advisoryId);
  }, { description: 'the advisory in member-lg-0002' });
  if (copy.body.kind !== 'advisory') throw new Error('not an advisory');
  const press = await api('POST', '/local/api/press', 'lg-0002-1', { channelId: 'member-lg-0002', messageId: copy.id, action: 'advisory_ack', value: copy.body.view.deliveryId });
  expect(press.status).toBe(200);
  const reply = await api('POST', '/local/api/channels/member-lg-0002/replies', 'lg-0002-1', { threadOf: copy.id, text: '対応済みです。全端末を更新しました。' });
  expect(reply.status).toBe(201);
  const queues = watchQueues(REDIS_URL, local.prefix);
  try {
    await queues.waitIdle({ queues: ['deliver', 'refresh', 'notify', 'escalate'], timeoutMs: 60_000, description: 'the ladder ran to its end' });
  } finally {
    await queues.close();
  }

  page = await openLocalPage(local, PHONE, { user: 'sec-1', channel: 'secretariat' });
}, 120_000);

afterAll(() => closeLocalBrowser(local));

/**
 * What sticks out sideways, read in one task of the page: the document, then each box (selector) whose content is
 * wider than it, or that reaches past the screen. Empty when everything fits.
 */
function sideways(selectors: string[]): Promise<string[]> {
  // As a string: the project's TypeScript has no DOM types (the page's own code is plain JavaScript).
  return page.evaluate<string[]>(`((sels) => {
    const width = innerWidth;
    const out = [];
    if (document.documentElement.scrollWidth > width) out.push('document ' + document.documentElement.scrollWidth + ' > ' + width);
    for (const sel of sels) {
      const boxes = [...document.querySelectorAll(sel)];
      if (boxes.length === 0) out.push(sel + ': missing');
      for (const e of boxes) {
        if (e.scrollWidth > e.clientWidth) out.push(sel + ' scrolls: ' + e.scrollWidth + ' > ' + e.clientWidth);
        const r = e.getBoundingClientRect();
        if (r.left < 0 || r.right > width) out.push(sel + ' off screen: ' + Math.round(r.left) + '–' + Math.round(r.right));
      }
    }
    return out;
  })(${JSON.stringify(selectors)})`);
}

/** The status view's member rows and counts as a phone shows them: what is too narrow, cut or off its card. */
function unreadable(): Promise<string[]> {
  return page.evaluate<string[]>(`(() => {
    const out = [];
    const wrap = document.querySelector('[data-testid="status-table-wrap"]');
    if (!wrap) return ['no table'];
    const box = wrap.getBoundingClientRect();
    const members = [...wrap.querySelectorAll('tbody th[data-col="member"]')];
    if (members.length === 0) out.push('no member cell');
    for (const th of members) {
      const r = th.getBoundingClientRect();
      const name = th.textContent;
      // Across its card: at least 90 % of the table's width, inside it, nothing cut, text as large as the page's.
      if (r.width < 0.9 * wrap.clientWidth) out.push(name + ': member cell ' + Math.round(r.width) + ' of ' + wrap.clientWidth + ' px');
      if (r.left < box.left || r.right > box.right) out.push(name + ': member cell outside the table');
      if (th.scrollWidth > th.clientWidth) out.push(name + ': cut');
      if (parseFloat(getComputedStyle(th).fontSize) < 12) out.push(name + ': font ' + getComputedStyle(th).fontSize);
    }
    // Every other cell of a row stays in the table's box too.
    for (const td of wrap.querySelectorAll('tbody td')) {
      const r = td.getBoundingClientRect();
      if (r.width > 0 && (r.left < box.left || r.right > box.right)) out.push(td.getAttribute('data-col') + ' cell outside the table');
      if (td.scrollWidth > td.clientWidth) out.push(td.getAttribute('data-col') + ' cell cut');
    }
    // The counts: each whole, its number not cut, each language's label on one line.
    const counts = document.querySelector('[data-testid="status-counts"]');
    if (!counts) return [...out, 'no counts'];
    const cbox = counts.getBoundingClientRect();
    for (const c of counts.querySelectorAll('.count')) {
      const r = c.getBoundingClientRect();
      const dd = c.querySelector('dd');
      const key = c.getAttribute('data-col');
      if (r.left < cbox.left || r.right > cbox.right) out.push('count ' + key + ' outside the counts');
      if (!dd || dd.scrollWidth > dd.clientWidth || parseFloat(getComputedStyle(dd).fontSize) < 14) out.push('count ' + key + ': number cut or small');
      for (const s of c.querySelectorAll('dt .bi > span')) if (s.getClientRects().length !== 1 || s.offsetHeight > 20) out.push('count ' + key + ': label "' + s.textContent + '" broken');
    }
    return out;
  })()`);
}

const STATUS_BOXES = [
  '#side-panel',
  '[data-testid="advisory-list"]',
  '[data-testid="status-view"]',
  '[data-testid="status-counts"]',
  '[data-testid="status-filters"]',
  '[data-testid="status-pager"]',
  '[data-testid="status-table-wrap"]',
];
const range = async (): Promise<string> => (await page.getByTestId('status-range').textContent()) ?? '';

describe('the secretariat on a phone (390 × 844)', () => {
  it('reads the live status card in the channel without sideways scrolling', async () => {
    const card = page.locator('#messages > article.msg').filter({ has: page.locator('[data-notice-kind="advisory_issued"]') }).filter({ hasText: advisoryId });
    await expect.poll(() => card.getByTestId('live-progress').textContent(), { timeout: 15_000 }).toContain(`1/${MEMBERS}`);
    await card.scrollIntoViewIfNeeded();
    const id = await card.getAttribute('data-message-id');
    const card$ = `#messages > article[data-message-id="${id}"]`;
    expect(await sideways(['#messages', card$, `${card$} [data-testid="live-status"]`, `${card$} [data-testid="live-bar"]`, `${card$} [data-testid="live-progress"]`])).toEqual([]);
    // The counts line is whole and as large as the page's text.
    const progressFont = await page.evaluate<number>(`parseFloat(getComputedStyle(document.querySelector('${card$} [data-testid="live-progress"]')).fontSize)`);
    expect(progressFont).toBeGreaterThanOrEqual(13);
    const bar = await card.getByTestId('live-bar').boundingBox();
    const cardBox = await card.boundingBox();
    expect(bar && cardBox && bar.width > 0.6 * cardBox.width).toBe(true);
  });

  it('reads the phone-task board in the on-call channel: every page, the longest name and the claim control fit the width', async () => {
    const oncall = await openLocalPage(local, PHONE, { user: 'sec-1', channel: 'oncall' });
    try {
      const boards = oncall.locator('#messages > article.msg[data-kind="phone_board"]').filter({ hasText: advisoryId });
      // Every silent member (all but 港区) has a task: pages of 40.
      const tasks = MEMBERS - 1;
      await expect.poll(() => boards.count(), { timeout: 15_000 }).toBe(Math.ceil(tasks / 40));
      await expect.poll(() => boards.getByTestId('board-row').count(), { timeout: 15_000 }).toBe(tasks);
      const ids = await boards.evaluateAll((els) => els.map((e) => e.getAttribute('data-message-id')));
      const selectors = ids.flatMap((id) => {
        const b = `#messages > article[data-message-id="${id}"]`;
        return [b, `${b} [data-testid="phone-board"]`, `${b} [data-testid="board-rows"]`, `${b} [data-testid="board-claim-control"]`, `${b} [data-testid="board-claim-select"]`, `${b} [data-testid="board-claim"]`];
      });
      const sidewaysOn = (p: Page, sels: string[]) =>
        p.evaluate<string[]>(`((sels) => {
          const width = innerWidth;
          const out = [];
          if (document.documentElement.scrollWidth > width) out.push('document ' + document.documentElement.scrollWidth + ' > ' + width);
          for (const sel of sels) {
            const boxes = [...document.querySelectorAll(sel)];
            if (boxes.length === 0) out.push(sel + ': missing');
            for (const e of boxes) {
              if (e.tagName !== 'SELECT' && e.scrollWidth > e.clientWidth) out.push(sel + ' scrolls: ' + e.scrollWidth + ' > ' + e.clientWidth);
              const r = e.getBoundingClientRect();
              if (r.left < 0 || r.right > width) out.push(sel + ' off screen: ' + Math.round(r.left) + '–' + Math.round(r.right));
            }
          }
          return out;
        })(${JSON.stringify(sels)})`);
      expect(await sidewaysOn(oncall, ['#messages', ...selectors])).toEqual([]);
      // The longest name: its row whole on its page, and a choice in that page's control.
      const long = boards.getByTestId('board-row').filter({ hasText: LONG_NAME.en });
      expect(await long.count()).toBe(1);
      const box = await long.boundingBox();
      expect(box && box.x >= 0 && box.x + box.width <= PHONE.width).toBe(true);
      const page1 = boards.filter({ has: oncall.getByTestId('board-row').filter({ hasText: LONG_NAME.en }) });
      const taskId = (await long.getAttribute('data-task-id')) ?? '';
      expect(await page1.getByTestId('board-claim-select').locator(`option[value="${taskId}"]`).textContent()).toContain(LONG_NAME.en);
    } finally {
      await oncall.close();
    }
  });

  it('reads the status: list, counts, filters, pages and every member row fit the width; each name spans its card', async () => {
    const card = page.locator('#messages > article.msg').filter({ has: page.locator('[data-notice-kind="advisory_issued"]') }).filter({ hasText: advisoryId });
    await card.getByTestId('view-status').click();
    await expect.poll(() => page.getByTestId('status-view').getAttribute('data-advisory-id'), { timeout: 10_000 }).toBe(advisoryId);
    expect(await range()).toBe(`1–100 / ${MEMBERS}件 / 1–100 of ${MEMBERS}`);
    expect(await page.getByTestId('status-table').locator('tbody tr').count()).toBe(100);
    expect(await page.getByTestId('status-count-total').textContent()).toBe(String(MEMBERS));
    expect(await page.getByTestId('status-count-acknowledged').textContent()).toBe('1');
    expect(await sideways(STATUS_BOXES)).toEqual([]);
    expect(await unreadable()).toEqual([]);
    // The long name is there, whole, on its own card.
    const long = page.getByTestId('status-row-lg-0003').locator('th[data-col="member"]');
    expect(await long.textContent()).toContain(LONG_NAME.en);
    // On a phone the panel already spans the screen: no "wider table" button that would do nothing.
    expect(await page.getByTestId('panel-wide').isVisible()).toBe(false);

    // The next page.
    await page.getByTestId('status-next').click();
    await expect.poll(range, { timeout: 10_000 }).toBe(`101–${MEMBERS} / ${MEMBERS}件 / 101–${MEMBERS} of ${MEMBERS}`);
    expect(await sideways(STATUS_BOXES)).toEqual([]);
    expect(await unreadable()).toEqual([]);

    // A group, then the acknowledged: 港区's card with who acknowledged and the thread, opened.
    await page.getByTestId('status-filter-group').selectOption('kanagawa');
    await expect.poll(range, { timeout: 10_000 }).toBe('1–1 / 1件 / 1–1 of 1');
    expect(await sideways(STATUS_BOXES)).toEqual([]);
    await page.getByTestId('status-filter-group').selectOption('');
    await page.getByTestId('status-filter-acknowledged').click();
    await expect.poll(range, { timeout: 10_000 }).toBe('1–1 / 1件 / 1–1 of 1');
    const minato = page.getByTestId('status-row-lg-0002');
    expect(await minato.locator('td[data-col="acknowledged"]').textContent()).toContain('担当者0002');
    await minato.getByTestId('status-thread-lg-0002').click();
    await expect.poll(() => page.getByTestId('thread-view').textContent(), { timeout: 10_000 }).toContain('全端末を更新しました');
    expect(await sideways([...STATUS_BOXES, '[data-testid="thread-view"]'])).toEqual([]);
    expect(await unreadable()).toEqual([]);
  });
});
