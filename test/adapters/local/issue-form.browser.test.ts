/**
 * The issue form's small truths in a real browser (adapters/local/public/js/issue-form.js): a paste over the
 * limit stays as pasted and is refused with its count, a title of zero-width spaces is refused like an empty
 * one, and the demo's 90-second level-4 default reads "90秒", not "2分".
 */
import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeLocalBrowser, openLocalPage, startLocalBrowser, type LocalBrowser } from '../../support/local-browser.js';

let local: LocalBrowser;
let page: Page;

beforeAll(async () => {
  local = await startLocalBrowser({
    dirName: 'issue-form',
    // The demo ladder: level 4 is due 90 seconds after issue.
    env: { ESCALATION_FILE: 'config/escalation.demo.yaml' },
  });
  page = await openLocalPage(local, { width: 1366, height: 900 });
  await page.getByTestId('user-select').selectOption('sec-1');
  await page.getByTestId('channel-secretariat').click();
}, 60_000);

afterAll(() => closeLocalBrowser(local));

const errorText = async (page: Page, field: string): Promise<string> => (await page.getByTestId('issue-form').getByTestId(`field-error-${field}`).textContent()) ?? '';

describe('the issue form in a browser', () => {
  it('keeps a 20,000-character paste as pasted and refuses it with the count; a title of zero-width spaces is refused as empty', async () => {
    const form = page.getByTestId('issue-form');
    const body = 'あ'.repeat(20_000);
    await form.getByTestId('form-title').fill('\u200B\u200B\u200B');
    await form.getByTestId('form-body').fill(body);
    // Not cut to 12,000: the whole paste is in the field, and the counter shows it over the limit.
    expect((await form.getByTestId('form-body').inputValue()).length).toBe(20_000);
    expect(await form.getByTestId('form-body-count').textContent()).toBe('20,000 / 12,000');
    expect(await form.getByTestId('form-body-count').getAttribute('class')).toContain('over');
    await form.getByTestId('form-member-jma').check();
    await form.getByTestId('form-submit').click();
    await expect.poll(() => form.getByTestId('field-error-body').count(), { timeout: 15_000 }).toBe(1);
    expect(await errorText(page, 'body')).toContain('本文は12,000文字以内です（20,000文字入力されています）。');
    expect(await errorText(page, 'body')).toContain('The body must be at most 12,000 characters (20,000 entered).');
    expect(await errorText(page, 'title')).toContain('件名を入力してください。');
    expect(await page.getByTestId('issue-preview').count()).toBe(0);

    // Cut down to the limit and given a title, the same form gets its preview.
    await form.getByTestId('form-title').fill(`ブラウザ試験 上限 ${randomUUID().slice(0, 8)}`);
    await form.getByTestId('form-body').fill('あ'.repeat(12_000));
    expect(await form.getByTestId('form-body-count').getAttribute('class')).not.toContain('over');
    await form.getByTestId('form-submit').click();
    await expect.poll(() => page.getByTestId('issue-preview').isVisible(), { timeout: 15_000 }).toBe(true);
    await page.getByTestId('preview-back').click();
  });

  it("names the demo's level-4 default deadline in seconds", async () => {
    const form = page.getByTestId('issue-form');
    const level4 = (await form.getByTestId('form-severity').locator('option[value="level4"]').textContent()) ?? '';
    expect(level4).toContain('既定の期限 90秒 / default deadline 90 seconds');
    await form.getByTestId('form-severity').selectOption('level4');
    expect(await form.getByTestId('form-deadline').locator('option[value=""]').textContent()).toContain('（90秒）');
    const level3 = (await form.getByTestId('form-severity').locator('option[value="level3"]').textContent()) ?? '';
    expect(level3).toContain('既定の期限 2分 / default deadline 2 minutes');
  });
});
