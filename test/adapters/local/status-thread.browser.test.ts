/**
 * Members' replies in the local workspace, in a real browser: a member replies in the thread of the
 * advisory on the page; the secretariat's status panel shows how many replies and the latest, and opens
 * the whole thread under the member's row (and keeps it open when the status is drawn again). The reply
 * box keeps a paste over the limit as pasted and refuses it with the count, as the issue form does.
 */
import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalMessage } from '../../../adapters/local/local-api.js';
import type { StatusView } from '../../../src/view/views.js';
import { eventually } from '../../support/eventually.js';
import { closeLocalBrowser, openLocalPage, startLocalBrowser, type LocalApi, type LocalBrowser } from '../../support/local-browser.js';

let local: LocalBrowser;
let api: LocalApi;
let page: Page;

beforeAll(async () => {
  local = await startLocalBrowser({ dirName: 'local-thread' });
  api = local.api;
  page = await openLocalPage(local, { width: 1400, height: 900 });
}, 60_000);

afterAll(() => closeLocalBrowser(local));

describe('replies in the status panel', () => {
  it('a member replies on the page; the secretariat sees the count and the latest, and opens the thread', async () => {
    const title = `返信の確認 ${randomUUID().slice(0, 8)}`;
    const input = { title, body: '該当製品を直ちに更新してください。', tlp: 'TLP:AMBER', severity: 'level3', category: 'vulnerability', source: 'nisc', targets: { members: ['jma'] } };
    const issued = await api<{ advisoryId: string }>('POST', '/local/api/advisories', 'sec-1', { requestKey: randomUUID(), input });
    expect(issued.status).toBe(201);
    const advisoryId = issued.json.advisoryId;
    const copy = await eventually(async () => {
      const res = await api<{ messages: LocalMessage[] }>('GET', '/local/api/channels/member-jma/messages', 'jma-1');
      return res.json.messages.find((m) => m.body.kind === 'advisory' && m.body.view.advisoryId === advisoryId);
    });

    // The member replies in the advisory's thread, on the page.
    await page.getByTestId('user-select').selectOption('jma-1');
    await page.getByTestId('channel-member-jma').click();
    const message = page.getByTestId(`message-${copy.id}`);
    // One line (the page's reply box is a single line), longer than the status shows of it.
    const reply = `当院では該当機器なし。${'念のため確認を続けます。'.repeat(10)}`;
    await message.getByTestId('reply-input').fill(reply);
    await message.getByTestId('reply-submit').click();
    await eventually(async () => (await api<StatusView>('GET', `/local/api/advisories/${advisoryId}/status`, 'sec-1')).json.rows[0]?.replies?.count === 1, {
      description: 'the reply in the record',
    });

    // The secretariat's status: the count, who replied last and the first line.
    await page.getByTestId('user-select').selectOption('sec-1');
    await page.getByTestId('channel-secretariat').click();
    await page.getByTestId('status-id').fill(advisoryId);
    await page.getByTestId('status-submit').click();
    await expect.poll(() => page.getByTestId('status-view').getAttribute('data-advisory-id'), { timeout: 10_000 }).toBe(advisoryId);
    await expect.poll(() => page.getByTestId('status-replies-jma').textContent()).toBe('💬 返信 1 件 / 1 reply');
    const latest = (await page.getByTestId('status-latest-reply-jma').textContent()) ?? '';
    expect(latest).toContain('佐藤 健一');
    expect(latest).toContain(`${reply.slice(0, 99)}…`);
    expect(latest).not.toContain(reply);

    // The whole thread under the row, and still open after the status is drawn again.
    await page.getByTestId('status-thread-jma').click();
    await expect.poll(() => page.getByTestId('thread-view').textContent(), { timeout: 10_000 }).toContain(reply);
    expect(await page.getByTestId('status-thread-jma').getAttribute('aria-expanded')).toBe('true');
    await page.getByTestId('status-refresh').click();
    await expect.poll(() => page.getByTestId('thread-view').textContent(), { timeout: 10_000 }).toContain('当院では該当機器なし。');
    expect(await page.getByTestId('thread-view').count()).toBe(1);
    // And closed again.
    await page.getByTestId('status-thread-jma').click();
    await expect.poll(() => page.getByTestId('thread-view').count()).toBe(0);
  });
});

describe('the reply box', () => {
  it('keeps a 20,000-character paste as pasted, refuses it with the count without sending, shows what the server refuses, and sends 4,000', async () => {
    const title = `返信の上限 ${randomUUID().slice(0, 8)}`;
    const input = { title, body: '該当製品を直ちに更新してください。', tlp: 'TLP:AMBER', severity: 'level3', category: 'vulnerability', source: 'nisc', targets: { members: ['jda'] } };
    const issued = await api<{ advisoryId: string }>('POST', '/local/api/advisories', 'sec-1', { requestKey: randomUUID(), input });
    expect(issued.status).toBe(201);
    const advisoryId = issued.json.advisoryId;
    const copy = await eventually(async () => {
      const res = await api<{ messages: LocalMessage[] }>('GET', '/local/api/channels/member-jda/messages', 'jda-1');
      return res.json.messages.find((m) => m.body.kind === 'advisory' && m.body.view.advisoryId === advisoryId);
    });
    await page.getByTestId('user-select').selectOption('jda-1');
    await page.getByTestId('channel-member-jda').click();
    const message = page.getByTestId(`message-${copy.id}`);
    const box = message.getByTestId('reply-input');
    const counter = message.getByTestId('reply-count');
    const status = message.getByTestId('reply-status');
    const replies = message.locator('.thread > .replies > li');
    await box.waitFor({ timeout: 10_000 });
    // Every reply the page sends.
    const sent: string[] = [];
    page.on('request', (r) => {
      if (r.method() === 'POST' && r.url().includes('/replies')) sent.push(r.url());
    });

    // A short reply shows no counter.
    await box.fill('確認しました。');
    expect(await counter.isVisible()).toBe(false);

    // 20,000 characters: all of them in the box, the counter over the limit.
    await box.fill('あ'.repeat(20_000));
    expect((await box.inputValue()).length).toBe(20_000);
    expect(await counter.isVisible()).toBe(true);
    expect(await counter.textContent()).toBe('20,000 / 4,000');
    expect(await counter.getAttribute('class')).toContain('over');
    // Send: refused here with the count, nothing sent, the text kept to be shortened.
    await message.getByTestId('reply-submit').click();
    await expect.poll(() => status.textContent(), { timeout: 5_000 }).toContain('返信は4,000文字以内です（20,000文字入力されています）。');
    expect(await status.textContent()).toContain('The reply must be at most 4,000 characters (20,000 entered).');
    expect(await box.getAttribute('aria-invalid')).toBe('true');
    expect((await box.inputValue()).length).toBe(20_000);
    // One over is over too.
    await box.fill('う'.repeat(4_001));
    expect(await counter.textContent()).toBe('4,001 / 4,000');
    await message.getByTestId('reply-submit').click();
    await expect.poll(() => status.textContent(), { timeout: 5_000 }).toContain('（4,001文字入力されています）');
    expect(sent).toEqual([]);
    expect(await replies.count()).toBe(0);

    // Shortened to fit, the refusal goes. Should the server still refuse (its limit is its own), the page shows what
    // it answered: here the server's real answer to a longer text than the one typed.
    await box.fill('え'.repeat(4_000));
    expect(await status.textContent()).toBe('');
    expect(await box.getAttribute('aria-invalid')).toBeNull();
    expect(await counter.getAttribute('class')).not.toContain('over');
    let answered: { error?: { fields?: { text?: { ja: string; en: string } } } } = {};
    await page.route(
      '**/local/api/channels/member-jda/replies',
      async (route) => {
        const body = JSON.parse(route.request().postData() ?? '{}') as Record<string, unknown>;
        const response = await route.fetch({ postData: JSON.stringify({ ...body, text: 'a'.repeat(20_000) }) });
        answered = (await response.json()) as typeof answered;
        expect(response.status()).toBe(400);
        await route.fulfill({ response });
      },
      { times: 1 },
    );
    await message.getByTestId('reply-submit').click();
    await expect.poll(() => status.getAttribute('data-refused'), { timeout: 5_000 }).toBe('server');
    const server = answered.error?.fields?.text;
    expect(server).toEqual({ ja: '返信は4,000文字以内です（20,000文字入力されています）。', en: 'The reply must be at most 4,000 characters (20,000 entered).' });
    expect(await status.textContent()).toContain(server!.ja);
    expect(await status.textContent()).toContain(server!.en);
    expect((await box.inputValue()).length).toBe(4_000);
    await page.unrouteAll();

    // Exactly the limit goes through: the page and the server count alike.
    await message.getByTestId('reply-submit').click();
    await expect.poll(() => replies.count(), { timeout: 10_000 }).toBe(1);
    expect(await replies.first().locator('.reply-text').textContent()).toBe('え'.repeat(4_000));
    expect(await box.inputValue()).toBe('');
    expect(await counter.isVisible()).toBe(false);
    expect(sent).toHaveLength(2);
  });
});
