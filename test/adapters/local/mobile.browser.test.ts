/**
 * A member's view of the local workspace on a phone (390 × 844) and on a laptop (1,366 × 900): on the phone the
 * channel fills the screen, the channel list waits behind the "チャンネル / Channels" button, and the advisory and
 * its Acknowledge button fit without sideways scrolling; on both, the member's list holds only their own channels
 * and direct messages, as on Slack and Teams, because the server sends nothing else. On-call staff on a phone claim a
 * task from the phone-task board (its choice and button wholly on screen, touch-sized, nothing sideways) and record
 * the call on the task that comes to their direct messages.
 */
import { randomUUID } from 'node:crypto';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalMessage, LocalSession } from '../../../adapters/local/local-api.js';
import { loadDirectoryFile } from '../../../src/directory/load.js';
import type { StatusView } from '../../../src/view/views.js';
import { eventually } from '../../support/eventually.js';
import { closeLocalBrowser, EXAMPLE_MEMBERS_FILE, startLocalBrowser, type LocalApi, type LocalBrowser } from '../../support/local-browser.js';

const PHONE = { width: 390, height: 844 };
const LAPTOP = { width: 1366, height: 900 };

let local: LocalBrowser;
let api: LocalApi;
/** Another organisation's channel name, both languages (the JDA: 日本歯科医師会). */
let jdaName: { ja: string; en: string };

beforeAll(async () => {
  // The phone-task board is drawn at the end of each interval: a second here.
  local = await startLocalBrowser({ dirName: 'mobile', fastLadder: true, env: { STATUS_CARD_INTERVAL_SECONDS: '1' } });
  api = local.api;
  const jda = (await loadDirectoryFile(EXAMPLE_MEMBERS_FILE)).organisations.find((o) => o.id === 'jda');
  if (!jda) throw new Error('the example directory has no jda');
  jdaName = jda.name;
}, 60_000);

afterAll(() => closeLocalBrowser(local));

async function statusOf(advisoryId: string): Promise<StatusView> {
  const res = await api<StatusView>('GET', `/local/api/advisories/${advisoryId}/status`, 'sec-1');
  expect(res.status).toBe(200);
  return res.json;
}

/** Issue as the secretariat and wait until every delivery is posted (RED: until every contact's DM is). */
async function issue(title: string, members: string[], tlp = 'TLP:AMBER'): Promise<string> {
  const input = { title, body: '該当製品を直ちに更新してください。https://example.jp/a/very/long/path/that/must/wrap/on/a/phone/without/scrolling/sideways', tlp, severity: 'level3', category: 'vulnerability', source: 'nisc', targets: { members } };
  const res = await api<{ advisoryId: string }>('POST', '/local/api/advisories', 'sec-1', { requestKey: randomUUID(), input });
  expect(res.status).toBe(201);
  const id = res.json.advisoryId;
  await eventually(async () => (await statusOf(id)).counts.posted === members.length, { description: `${id} posted` });
  return id;
}

async function openAs(viewport: { width: number; height: number }, user: string, channel: string, options: { hasTouch?: boolean } = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await local.browser.newContext({ viewport, locale: 'ja-JP', ...options });
  const page = await context.newPage();
  await page.goto(`${local.bot.url}/?user=${user}&channel=${channel}`);
  await expect.poll(() => page.locator('#messages').getAttribute('data-channel-id'), { timeout: 10_000 }).toBe(channel);
  return { context, page };
}

/** How wide the document scrolls (the viewport's width when nothing sticks out sideways). */
function scrollWidth(page: Page): Promise<number> {
  return page.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth);
}

describe('a member on a phone (390 × 844)', () => {
  it('gets the whole width: the channel list waits behind the button, the Acknowledge button fits and works', async () => {
    const title = `スマホ試験 ${randomUUID().slice(0, 8)}`;
    const advisoryId = await issue(title, ['jma']);
    const { context, page } = await openAs(PHONE, 'jma-1', 'member-jma');
    try {
      const advisory = page.locator('[data-kind="advisory"]').filter({ hasText: title });
      await expect.poll(() => advisory.count(), { timeout: 15_000 }).toBe(1);

      // The list is hidden until the button is pressed.
      const sidebar = page.locator('#sidebar');
      const toggle = page.getByTestId('nav-toggle');
      expect(await sidebar.isVisible()).toBe(false);
      expect(await toggle.isVisible()).toBe(true);
      expect(await toggle.textContent()).toContain('チャンネル / Channels');
      expect(await toggle.getAttribute('aria-expanded')).toBe('false');

      // Nothing scrolls sideways, and the channel's messages take the screen's width.
      expect(await scrollWidth(page)).toBeLessThanOrEqual(PHONE.width);
      const messages = await page.getByTestId('messages').boundingBox();
      expect(messages?.x).toBe(0);
      expect(messages?.width).toBe(PHONE.width);
      // The page itself clips (body overflow: hidden), so also: nothing in the channel sticks out of it sideways.
      expect(await page.getByTestId('messages').evaluate((e) => e.scrollWidth - e.clientWidth)).toBe(0);
      const card = await advisory.boundingBox();
      expect(card && card.x >= 0 && card.x + card.width <= PHONE.width).toBe(true);

      // The Acknowledge button is wholly on screen.
      const ack = advisory.getByTestId('ack-button');
      await ack.scrollIntoViewIfNeeded();
      const box = await ack.boundingBox();
      if (!box) throw new Error('the Acknowledge button has no box');
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.y).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(PHONE.width);
      expect(box.y + box.height).toBeLessThanOrEqual(PHONE.height);

      // And pressing it acknowledges.
      await ack.click();
      await expect.poll(async () => (await statusOf(advisoryId)).counts.acknowledged, { timeout: 15_000 }).toBe(1);
      const row = (await statusOf(advisoryId)).rows.find((r) => r.memberId === 'jma');
      expect(row?.state).toBe('acknowledged');
      await expect.poll(() => advisory.getByTestId('acknowledged').count(), { timeout: 10_000 }).toBe(1);
      expect(await advisory.getByTestId('ack-button').count()).toBe(0);

      // The button opens the list over the channel; choosing a channel closes it again.
      await toggle.click();
      expect(await sidebar.isVisible()).toBe(true);
      expect(await toggle.getAttribute('aria-expanded')).toBe('true');
      await page.getByTestId('channel-member-jma').click();
      expect(await sidebar.isVisible()).toBe(false);
      expect(await toggle.getAttribute('aria-expanded')).toBe('false');
      expect(await scrollWidth(page)).toBeLessThanOrEqual(PHONE.width);
    } finally {
      await context.close();
    }
  });
});

/** The element's box, scrolled into view: wholly on the phone's screen, and big enough for a finger. */
async function onScreen(page: Page, locator: ReturnType<Page['locator']>, what: string): Promise<void> {
  await locator.scrollIntoViewIfNeeded();
  const box = await locator.boundingBox();
  if (!box) throw new Error(`${what} has no box`);
  expect({ what, x: box.x >= 0, right: box.x + box.width <= PHONE.width, y: box.y >= 0, bottom: box.y + box.height <= PHONE.height }).toEqual({ what, x: true, right: true, y: true, bottom: true });
  expect(box.height, `${what} is touch-sized`).toBeGreaterThanOrEqual(36);
  // Nothing lies over its middle (the on-call panel, the channel list): a tap there reaches it.
  const hit = await locator.evaluate((e) => {
    const r = e.getBoundingClientRect();
    const top = e.ownerDocument.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
    return top === e || e.contains(top);
  });
  expect(hit, `${what} is not covered`).toBe(true);
}

describe('on-call staff on a phone (390 × 844)', () => {
  it('claim a task from the board with its choice and button, and record the call on the copy in their direct messages', async () => {
    // Long names on the board, as a municipality's can be: the choice must still fit. Two members, two rows.
    const title = `スマホ電話 ${randomUUID().slice(0, 8)}`;
    const advisoryId = await issue(title, ['jda', 'jna']);
    // A touch screen: the presses below are taps.
    const { context, page } = await openAs(PHONE, 'oncall-2', 'oncall', { hasTouch: true });
    try {
      const board = page.locator('[data-kind="phone_board"]').filter({ hasText: advisoryId });
      await expect.poll(() => board.count(), { timeout: 30_000 }).toBe(1);
      await expect.poll(() => board.getByTestId('board-row').count(), { timeout: 15_000 }).toBe(2);
      expect(await scrollWidth(page)).toBeLessThanOrEqual(PHONE.width);
      expect(await page.getByTestId('messages').evaluate((e) => e.scrollWidth - e.clientWidth)).toBe(0);
      const card = await board.boundingBox();
      expect(card && card.x >= 0 && card.x + card.width <= PHONE.width).toBe(true);

      const select = board.getByTestId('board-claim-select');
      const claim = board.getByTestId('board-claim');
      await onScreen(page, select, 'the choice');
      await onScreen(page, claim, 'the Claim button');
      const row = board.getByTestId('board-row').filter({ hasText: '日本歯科医師会' });
      const taskId = (await row.getAttribute('data-task-id')) ?? '';
      await select.selectOption(taskId);
      await claim.tap();
      await expect.poll(() => row.getByTestId('board-mark').textContent(), { timeout: 15_000 }).toBe('📞');
      expect(await row.textContent()).toContain('電話当番 B');
      // The other task is still offered; the claimed one is not.
      expect(await select.locator('option').evaluateAll((os) => os.map((o) => (o as unknown as { value: string }).value).filter(Boolean))).toHaveLength(1);
      expect(await scrollWidth(page)).toBeLessThanOrEqual(PHONE.width);

      // The way to the direct messages is right under the press (the channel list hides on a phone).
      const direct = board.getByTestId('board-open-direct');
      await onScreen(page, direct, 'the way to the direct messages');
      await direct.tap();
      await expect.poll(() => page.locator('#messages').getAttribute('data-channel-id'), { timeout: 10_000 }).toBe('dm-oncall-2');
      const task = page.locator('[data-kind="phone_task"]').filter({ hasText: advisoryId });
      await expect.poll(() => task.count(), { timeout: 15_000 }).toBe(1);
      expect(await scrollWidth(page)).toBeLessThanOrEqual(PHONE.width);
      const reached = task.getByTestId('phone-reached-1');
      await onScreen(page, reached, 'the first "reached" button');
      await reached.tap();
      await expect.poll(async () => (await statusOf(advisoryId)).rows.find((r) => r.memberId === 'jda')?.state, { timeout: 15_000 }).toBe('acknowledged');
      expect((await statusOf(advisoryId)).rows.find((r) => r.memberId === 'jda')).toMatchObject({ via: 'phone', acknowledgedBy: '電話当番 B' });
    } finally {
      await context.close();
    }
  });
});

describe('a member on a laptop (1,366 × 900)', () => {
  it('lists only their own channel and direct message: no other organisation, no one else’s TLP:RED conversation', async () => {
    // A RED advisory to the JDA opens direct conversations for its contacts; one to the JMA, for jma-1.
    await issue(`他組織 RED ${randomUUID().slice(0, 8)}`, ['jda'], 'TLP:RED');
    await issue(`自組織 RED ${randomUUID().slice(0, 8)}`, ['jma'], 'TLP:RED');

    const session = await api<LocalSession>('GET', '/local/api/session', 'jma-1');
    expect(session.status).toBe(200);
    expect(session.json.channels.map((c) => c.id).sort()).toEqual(['dm-jma-1', 'member-jma']);
    const sessionText = JSON.stringify(session.json.channels);
    for (const absent of ['member-jda', 'dm-jda-1', 'dm-jma-2', jdaName.ja, jdaName.en, '事務局', '電話当番']) expect(sessionText).not.toContain(absent);

    const { context, page } = await openAs(LAPTOP, 'jma-1', 'member-jma');
    try {
      // The list is there without the button, as before.
      expect(await page.locator('#sidebar').isVisible()).toBe(true);
      expect(await page.getByTestId('nav-toggle').isVisible()).toBe(false);
      await expect.poll(() => page.locator('#sidebar button.channel').count(), { timeout: 10_000 }).toBe(2);
      const listed = await page.locator('#sidebar button.channel').evaluateAll((els) => els.map((e) => e.getAttribute('data-channel-id')));
      expect(listed.sort()).toEqual(['dm-jma-1', 'member-jma']);
      const messages = await page.getByTestId('messages').boundingBox();
      expect(messages?.x).toBeGreaterThanOrEqual(264);
      expect(messages?.width).toBeGreaterThan(800);

      // No trace of the other organisation's channel or of anyone else's direct messages anywhere in the page
      // (its name is in the "acting as" list, which names every organisation: not in the channel list or the channel).
      const html = await page.content();
      for (const absent of ['member-jda', 'dm-jda-1', 'dm-jda-2', 'dm-jma-2', 'channel-secretariat', 'channel-oncall']) expect(html).not.toContain(absent);
      const visible = `${await page.locator('#sidebar').textContent()} ${await page.locator('#main').textContent()}`;
      for (const absent of [jdaName.ja, jdaName.en, '🔒']) expect(visible).not.toContain(absent);

      // A later RED to the JDA while the page is open reaches neither the list nor the page.
      const dmOfJda = await issue(`他組織 RED 2 ${randomUUID().slice(0, 8)}`, ['jda'], 'TLP:RED');
      const jdaDm = await api<{ messages: LocalMessage[] }>('GET', '/local/api/channels/dm-jda-1/messages', 'jda-1');
      expect(jdaDm.json.messages.some((m) => m.body.kind === 'advisory' && m.body.view.advisoryId === dmOfJda)).toBe(true);
      expect(await page.locator('#sidebar button.channel').count()).toBe(2);
      expect(await page.content()).not.toContain(dmOfJda);
    } finally {
      await context.close();
    }
  });
});
