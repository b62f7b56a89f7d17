/**
 * The local workspace in a real browser, as a newcomer would use it: issue an advisory from the
 * secretariat's form, acknowledge it as one member, check the status, let another member stay
 * silent until the escalation ladder turns it into a phone task, and record the phone outcome as
 * on-call staff. Asserts on what the page shows.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBot, type RunningBot } from '../../../src/main.js';
import { CT } from '../../../src/i18n/chat-text.js';
import { both } from '../../../src/i18n/text.js';
import { createLogger } from '../../../src/log.js';
import { REDIS_URL } from '../../support/bot-harness.js';
import { launchBrowser } from '../../support/browser.js';
import { writeFastPolicies } from '../../support/fast-policies.js';

let bot: RunningBot;
let browser: Browser;
let page: Page;
let dir: string;
const prefix = `t-${randomUUID().slice(0, 8)}`;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ceptoar-local-'));
  bot = await startBot({
    env: {
      LOCAL_WORKSPACE: 'on',
      PORT: '0',
      REDIS_URL,
      QUEUE_PREFIX: prefix,
      DATA_DIR: join(dir, 'data'),
      MEMBERS_FILE: 'config/members.example.yaml',
      ESCALATION_FILE: await writeFastPolicies(join(dir, 'escalation.yaml')),
    },
    log: createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'),
  });
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1280, height: 800 }, locale: 'ja-JP' });
  await page.goto(`${bot.url}/`);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await bot?.close();
  const redis = new Redis(REDIS_URL);
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
  await rm(dir, { recursive: true, force: true });
});

async function actAs(userId: string): Promise<void> {
  await page.getByTestId('user-select').selectOption(userId);
}

async function open(channelId: string): Promise<void> {
  await page.getByTestId(`channel-${channelId}`).click();
}

let advisoryId = '';

describe('the local workspace in a browser', () => {
  it('binds to 127.0.0.1 and serves the page', async () => {
    expect(bot.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    await expect(page.title()).resolves.toMatch(/CEPTOAR|セプター/);
  });

  it('lets the secretariat issue an advisory through the form', async () => {
    await actAs('sec-1');
    await open('secretariat');
    const form = page.getByTestId('issue-form');
    await form.getByTestId('form-title').fill('ブラウザ試験: VPN 装置の脆弱性');
    await form.getByTestId('form-body').fill('該当製品を直ちに更新してください。<script>alert(1)</script>');
    await form.getByTestId('form-tlp').selectOption('TLP:AMBER');
    await form.getByTestId('form-severity').selectOption('level3');
    await form.getByTestId('form-member-jma').check();
    await form.getByTestId('form-member-jda').check();
    await form.getByTestId('form-submit').click();
    const result = page.getByTestId('form-result');
    await expect.poll(async () => (await result.textContent()) ?? '', { timeout: 15_000 }).toMatch(/ADV-\d{4}-\d{4}/);
    advisoryId = /ADV-\d{4}-\d{4}/.exec((await result.textContent()) ?? '')![0];
  });

  it('shows the advisory in the member channel, and a member acknowledges it', async () => {
    await actAs('jma-1');
    await open('member-jma');
    const advisory = page.locator('[data-kind="advisory"]').filter({ hasText: 'ブラウザ試験' });
    await expect.poll(() => advisory.count(), { timeout: 15_000 }).toBe(1);
    const text = (await advisory.textContent()) ?? '';
    expect(text).toContain('TLP:AMBER');
    expect(text).toContain('<script>alert(1)</script>'); // shown as text, never run
    await advisory.getByTestId('ack-button').click();
    await expect.poll(async () => (await advisory.textContent()) ?? '', { timeout: 15_000 }).toMatch(/受領確認[\s\S]*(佐藤|jma-1)/);
    await expect.poll(() => advisory.getByTestId('ack-button').count()).toBe(0);
    // README's picture of the workspace: `UPDATE_SCREENSHOT=1 npx vitest run test/adapters/local`.
    if (process.env.UPDATE_SCREENSHOT) await page.screenshot({ path: 'docs/local-workspace.png' });
  });

  it('does not let a member of another organisation into that channel', async () => {
    await actAs('jda-1');
    await open('member-jma');
    await expect.poll(async () => (await page.locator('main').textContent()) ?? '').toContain('メンバーではありません');
  });

  it('shows the status to the secretariat: one acknowledged, one not', async () => {
    await actAs('sec-1');
    await open('secretariat');
    await page.getByTestId('status-id').fill(advisoryId);
    await page.getByTestId('status-submit').click();
    await expect.poll(async () => (await page.getByTestId('status-row-jma').textContent()) ?? '', { timeout: 10_000 }).toContain('受領確認済み');
    expect(await page.getByTestId('status-row-jda').textContent()).not.toContain('受領確認済み');
  });

  it('turns the silent member into a phone task, and on-call staff record that they reached them', async () => {
    await actAs('oncall-1');
    await open('oncall');
    const task = page.locator('[data-kind="phone_task"]').filter({ hasText: '日本歯科医師会' });
    await expect.poll(() => task.count(), { timeout: 30_000 }).toBe(1);
    expect(await task.getByTestId('tel-link').first().getAttribute('href')).toMatch(/^tel:\+81/);
    // The words come from the shared tables (src/i18n), the templated ones filled in on the page.
    expect(await task.getByTestId('phone-claim').textContent()).toBe(both(CT.phoneClaim));
    const script = (await task.getByTestId('phone-script').textContent()) ?? '';
    expect(script).toContain(advisoryId);
    expect(script).not.toMatch(/[{}]/);
    await task.getByTestId('phone-claim').click();
    await expect.poll(async () => (await task.textContent()) ?? '', { timeout: 10_000 }).toMatch(/電話当番 A/);
    await task.getByTestId('phone-reached').click();
    await expect.poll(() => task.getByTestId('phone-reached').count(), { timeout: 10_000 }).toBe(0);

    await actAs('sec-1');
    await open('secretariat');
    await page.getByTestId('status-id').fill(advisoryId);
    await page.getByTestId('status-submit').click();
    await expect.poll(async () => (await page.getByTestId('status-row-jda').textContent()) ?? '', { timeout: 10_000 }).toMatch(/受領確認済み[\s\S]*電話|電話[\s\S]*受領確認済み/);
    if (process.env.UPDATE_SCREENSHOT) await page.screenshot({ path: 'docs/local-workspace-secretariat.png' });
  });
});
