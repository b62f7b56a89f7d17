/**
 * Grouped alerts in the local workspace, end to end in Chromium at 1,366 × 900: the secretariat issues an advisory
 * to 50 members from the form, all 50 stay silent to the end of a ladder measured in seconds (real BullMQ delayed
 * jobs on Redis), and the secretariat channel shows ONE alert message naming all 50, not 50; then a member presses
 * 受領確認 in their own channel and that same message, in the open page, shows 1 of 50 resolved without a reload.
 * The Slack twin is test/adapters/slack/grouped-alerts.e2e.test.ts. Every count is read from the page's DOM.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalMessage } from '../../../adapters/local/local-api.js';
import { REDIS_URL } from '../../support/bot-harness.js';
import { writeLargeDirectory } from '../../support/large-directory.js';
import { closeLocalBrowser, openLocalPage, startLocalBrowser, type LocalBrowser } from '../../support/local-browser.js';
import { watchQueues, type QueueWatch } from '../../support/queue-watch.js';

const MEMBERS = 50;
const VIEWPORT = { width: 1366, height: 900 };

let local: LocalBrowser;
let page: Page;
let queues: QueueWatch;

beforeAll(async () => {
  local = await startLocalBrowser({
    dirName: 'local-grouped',
    // The generated sector's Slack channels and users become local ones (adapters/local/local-directory.ts):
    // member-lg-0001 … member-lg-0050, each with one member-staff user lg-00NN-1.
    membersFile: (dir) => writeLargeDirectory(join(dir, 'members.yaml'), MEMBERS),
    fastLadder: true,
    env: { DELIVERY_RATE_PER_SECOND: '1000', STATUS_CARD_INTERVAL_SECONDS: '1' },
  });
  queues = watchQueues(REDIS_URL, local.prefix);
  page = await openLocalPage(local, VIEWPORT, { user: 'sec-1', channel: 'secretariat' });
}, 60_000);

afterAll(async () => {
  await queues?.close();
  await closeLocalBrowser(local);
});

/** The secretariat channel's grouped alerts of this advisory, as the page drew them. */
const alertsOf = (advisoryId: string): Locator =>
  page.locator('#messages > article.msg').filter({ has: page.locator('[data-notice-kind="alert_digest"]') }).filter({ hasText: advisoryId });

/** What one drawn alert says, read in one task of the page (an update may redraw it between two reads). */
type DrawnAlert = { heading: string; resolved: string; names: string[]; flags: (string | null)[]; more: number; messageId: string | null };
const drawn = (alert: Locator): Promise<DrawnAlert> =>
  alert.evaluate((a) => ({
    heading: a.querySelector('[data-testid="alert-heading"]')?.textContent ?? '',
    resolved: a.querySelector('[data-testid="alert-resolved"]')?.textContent ?? '',
    names: [...a.querySelectorAll('[data-testid="alert-member-name"]')].map((n) => n.textContent ?? ''),
    flags: [...a.querySelectorAll('[data-testid="alert-member"]')].map((r) => r.getAttribute('data-resolved')),
    more: a.querySelectorAll('[data-testid="alert-more"]').length,
    messageId: a.getAttribute('data-message-id'),
  }));

describe('alerts for 50 silent members in the local workspace', () => {
  it('arrive as one grouped message in the secretariat channel, which then shows a member who acknowledges, live', async () => {
    // The secretariat issues to every member from the form: preview, then Send.
    const title = `グループ化された通知 ${randomUUID().slice(0, 8)}`;
    const form = page.getByTestId('issue-form');
    await form.getByTestId('form-title').fill(title);
    await form.getByTestId('form-body').fill('該当製品を直ちに更新してください。');
    await form.getByTestId('form-severity').selectOption('level3');
    await form.getByTestId('form-all-members').check();
    await form.getByTestId('form-submit').click();
    await expect.poll(() => page.getByTestId('issue-preview').isVisible(), { timeout: 15_000 }).toBe(true);
    await page.getByTestId('preview-send').click();
    const result = page.getByTestId('form-result');
    await expect.poll(async () => (await result.textContent()) ?? '', { timeout: 15_000 }).toMatch(/ADV-\d{4}-\d{4}/);
    const advisoryId = /ADV-\d{4}-\d{4}/.exec((await result.textContent()) ?? '')![0];

    // Every member reaches the end of the ladder: one alert ends up naming all fifty.
    const alerts = alertsOf(advisoryId);
    await expect
      .poll(async () => ((await alerts.count()) === 1 ? (await drawn(alerts.first())).names.length : -(await alerts.count())), { timeout: 60_000 })
      .toBe(MEMBERS);
    // Nothing left to post or update: "only one" means something once every job has run, the ladder's included.
    await queues.waitIdle({ queues: ['deliver', 'refresh', 'notify', 'escalate'], timeoutMs: 60_000, description: 'ladder and alert updates finished' });

    // ONE message in the channel for this advisory's silent members, not fifty; no per-member alert either.
    expect(await alerts.count()).toBe(1);
    expect(await page.locator('#messages [data-notice-kind="escalation_alert"]').count()).toBe(0);
    const before = await drawn(alerts.first());
    expect(before.heading).toBe(`⚠ 受領確認のない構成員 ${MEMBERS}名（第1波） / ⚠ ${MEMBERS} members without acknowledgement (wave 1)`);
    expect(before.resolved).toBe(`📊 解決 0/${MEMBERS} / resolved 0 of ${MEMBERS}`);
    expect(before.names).toHaveLength(MEMBERS);
    expect(new Set(before.names).size).toBe(MEMBERS);
    expect(before.names).toContain('横浜市 / Yokohama City');
    expect(before.names).toContain('自治体0050 / Municipality 0050');
    expect(before.flags.every((f) => f === 'false')).toBe(true);
    expect(before.more).toBe(0);
    // The page drew what the channel holds: the server has one alert message for it too.
    const stored = await fetch(`${local.bot.url}/local/api/channels/secretariat/messages`, { headers: { 'x-local-user': 'sec-1' } });
    const held = ((await stored.json()) as { messages: LocalMessage[] }).messages.filter((m) => m.key?.startsWith(`${advisoryId}.alerts.`));
    expect(held.map((m) => m.id)).toEqual([before.messageId]);

    // Mark this page and this very element: a reload or a new element would lose the marks.
    await page.evaluate(() => ((globalThis as unknown as { __noReload?: boolean }).__noReload = true));
    await alerts.first().evaluate((a) => ((a as unknown as { __same?: boolean }).__same = true));

    // 横浜市's staff press 受領確認 in their own channel, in another browser window.
    const member = await local.browser.newContext({ viewport: VIEWPORT, locale: 'ja-JP' });
    try {
      const mp = await member.newPage();
      await mp.goto(`${local.bot.url}/?user=lg-0001-1&channel=member-lg-0001`);
      const copy = mp.locator('#messages > article[data-kind="advisory"]').filter({ hasText: title });
      await expect.poll(() => copy.count(), { timeout: 15_000 }).toBe(1);
      await copy.getByTestId('ack-button').click();
      await expect.poll(() => copy.getByTestId('acknowledged').count(), { timeout: 15_000 }).toBe(1);
    } finally {
      await member.close();
    }

    // The same message, in the open page, shows 1 of 50 resolved.
    await expect.poll(async () => (await drawn(alerts.first())).resolved, { timeout: 20_000 }).toBe(`📊 解決 1/${MEMBERS} / resolved 1 of ${MEMBERS}`);
    await queues.waitIdle({ timeoutMs: 30_000, description: 'alert update finished' });
    expect(await alerts.count()).toBe(1);
    const after = await drawn(alerts.first());
    expect(after.messageId).toBe(before.messageId);
    expect(after.names).toHaveLength(MEMBERS);
    expect(after.flags.filter((f) => f === 'true')).toHaveLength(1);
    // 横浜市 is the one resolved, after the silent ones.
    expect(after.names.at(-1)).toBe('横浜市 / Yokohama City');
    expect(after.flags.at(-1)).toBe('true');
    const yokohama = alerts.first().locator('[data-testid="alert-member"][data-resolved="true"]');
    expect(await yokohama.textContent()).toMatch(/^✅ 横浜市 \/ Yokohama City — .+ が .+ に受領確認（ボタン） \/ acknowledged by .+ \(button\)$/);
    // Without a reload, in the element that was there: updated in place.
    expect(await page.evaluate(() => (globalThis as unknown as { __noReload?: boolean }).__noReload)).toBe(true);
    expect(await alerts.first().evaluate((a) => (a as unknown as { __same?: boolean }).__same)).toBe(true);
  }, 150_000);
});
