/**
 * A member's view of the local workspace on a phone (390 × 844) and on a laptop (1,366 × 900): on the phone the
 * channel fills the screen, the channel list waits behind the "チャンネル / Channels" button, and the advisory and
 * its Acknowledge button fit without sideways scrolling; on both, the member's list holds only their own channels
 * and direct messages, as on Slack and Teams, because the server sends nothing else.
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
  local = await startLocalBrowser({ dirName: 'mobile', fastLadder: true });
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

async function openAs(viewport: { width: number; height: number }, user: string, channel: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await local.browser.newContext({ viewport, locale: 'ja-JP' });
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
