/**
 * A drill end to end in the local workspace, in a real browser: the secretariat fills the form from the drill
 * template (訓練テンプレート), chooses to announce it now for a window, reviews and sends. The members' channels show the
 * announcement, then the drill numbered DRL-…; the silent member's task shows on the phone-task board; every one of
 * them carries the drill banner; the drill is listed apart from real advisories.
 */
import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_DRILL_TEMPLATE } from '../../../src/domain/drill-template.js';
import { tokyoParts } from '../../../src/domain/drill-plan.js';
import { T } from '../../../src/i18n/text.js';
import type { AdvisorySummaryView, StatusView } from '../../../src/view/views.js';
import { closeLocalBrowser, openLocalPage, startLocalBrowser, type LocalApi, type LocalBrowser } from '../../support/local-browser.js';
import { kindOf, runDrill } from '../../support/drill-run.js';
import type { OutboundView } from '../../../src/ports/chat.js';
import { lifecycleLines } from '../../../adapters/local/local-lifecycle-lines.js';
import { liveLines } from '../../../adapters/local/local-live-lines.js';
import { boardLines } from '../../../adapters/local/local-board-lines.js';
import { drillNoticeLines } from '../../../adapters/local/local-drill-lines.js';

let local: LocalBrowser;
let api: LocalApi;
let page: Page;

beforeAll(async () => {
  local = await startLocalBrowser({ dirName: 'local-drill', fastLadder: true, env: { STATUS_CARD_INTERVAL_SECONDS: '1' } });
  api = local.api;
  page = await openLocalPage(local, { width: 1280, height: 900 });
}, 60_000);

afterAll(() => closeLocalBrowser(local));

async function actAs(userId: string): Promise<void> {
  await page.getByTestId('user-select').selectOption(userId);
}

async function open(channelId: string): Promise<void> {
  await page.getByTestId(`channel-${channelId}`).click();
}

/** "2026-03-02T10:00" as a datetime-local input holds an instant in Japan time. */
const local16 = (at: Date) => {
  const p = tokyoParts(at.toISOString());
  return `${p.date}T${p.time}`;
};

describe('a drill in the local workspace', () => {
  it('is filled from the template, announced now, sent numbered DRL-…, and labelled in every channel', async () => {
    await actAs('sec-1');
    await open('secretariat');
    const form = page.getByTestId('issue-form');
    await form.getByTestId('form-drill-template').click();
    await expect.poll(() => form.getByTestId('form-title').inputValue(), { timeout: 10_000 }).toBe(DEFAULT_DRILL_TEMPLATE.title);
    expect(await form.getByTestId('form-body').inputValue()).toBe(DEFAULT_DRILL_TEMPLATE.body);
    expect(await form.getByTestId('form-tlp').inputValue()).toBe('TLP:GREEN');
    expect(await form.getByTestId('form-drill').isChecked()).toBe(true);
    expect(await form.getByTestId('form-all-members').isChecked()).toBe(true);
    expect(await form.getByTestId('form-drill-intro').isVisible()).toBe(true);
    // The schedule: unannounced by the template; announcing shows the window, filled with the template's.
    expect(await form.getByTestId('form-drill-plan').isVisible()).toBe(true);
    expect(await form.getByTestId('form-drill-unannounced').isChecked()).toBe(true);
    expect(await form.getByTestId('form-drill-from').isVisible()).toBe(false);
    await form.getByTestId('form-drill-announce').check();
    expect(await form.getByTestId('form-drill-from').isVisible()).toBe(true);
    expect(await form.getByTestId('form-drill-from').inputValue()).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/);

    // To two members, a window that began this minute (the drill goes out right after its announcement), level 3.
    const title = `【訓練】ブラウザ訓練 ${randomUUID().slice(0, 8)}`;
    await form.getByTestId('form-title').fill(title);
    await form.getByTestId('form-severity').selectOption('level3');
    await form.getByTestId('form-all-members').uncheck();
    await form.getByTestId('form-member-jma').check();
    await form.getByTestId('form-member-jda').check();
    const now = new Date();
    await form.getByTestId('form-drill-from').fill(local16(new Date(Math.floor(now.getTime() / 60_000) * 60_000)));
    await form.getByTestId('form-drill-to').fill(local16(new Date(now.getTime() + 3_600_000)));

    // A window that ends before it starts is refused on its field, and nothing is previewed.
    const to = await form.getByTestId('form-drill-to').inputValue();
    await form.getByTestId('form-drill-to').fill(local16(new Date(now.getTime() - 3_600_000)));
    await form.getByTestId('form-submit').click();
    await expect.poll(() => form.getByTestId('field-error-drillTo').count(), { timeout: 10_000 }).toBe(1);
    expect(await page.getByTestId('issue-preview').count()).toBe(0);
    await form.getByTestId('form-drill-to').fill(to);

    await form.getByTestId('form-submit').click();
    const preview = page.getByTestId('issue-preview');
    await expect.poll(() => preview.isVisible(), { timeout: 15_000 }).toBe(true);
    const facts = (await preview.getByTestId('preview-facts').textContent()) ?? '';
    expect(facts).toContain('今すぐ予告し');
    expect((await preview.getByTestId('preview-message').textContent()) ?? '').toContain('DRL-');
    await page.getByTestId('preview-send').click();
    const result = page.getByTestId('form-result');
    await expect.poll(async () => (await result.textContent()) ?? '', { timeout: 15_000 }).toMatch(/DRL-\d{4}-\d{4}/);
    const advisoryId = /DRL-\d{4}-\d{4}/.exec((await result.textContent()) ?? '')![0];
    expect(await page.getByTestId('form-result-drill-scheduled').textContent()).toContain('を予告しました');

    // A member's channel: the announcement, then the drill; both with the banner.
    await actAs('jma-1');
    await open('member-jma');
    const notice = page.locator('[data-kind="notice"]').filter({ hasText: advisoryId });
    const drill = page.locator('[data-kind="advisory"]').filter({ hasText: title });
    await expect.poll(() => drill.count(), { timeout: 20_000 }).toBe(1);
    expect(await notice.count()).toBe(1);
    expect(await notice.getByTestId('drill-banner').textContent()).toContain(T.drillBanner.ja);
    expect(await notice.getByTestId('drill-notice-heading').textContent()).toContain('【訓練】訓練の予告');
    expect(await notice.getByTestId('drill-notice-window').textContent()).toContain('〜');
    expect(await notice.getByTestId('drill-notice-body').textContent()).toContain(advisoryId);
    expect(await drill.getByTestId('drill-banner').count()).toBe(1);
    expect(await drill.textContent()).toContain(advisoryId);
    // The announcement came first.
    const kinds = await page.locator('#messages article').evaluateAll((els, id) => els.filter((e) => e.textContent?.includes(id as string)).map((e) => e.getAttribute('data-kind')), advisoryId);
    expect(kinds.slice(0, 2)).toEqual(['notice', 'advisory']);

    // Nobody acknowledges: the phone-task board in the on-call channel says 【訓練】 too.
    await actAs('oncall-1');
    await open('oncall');
    const board = page.locator('[data-kind="phone_board"]').filter({ hasText: advisoryId });
    await expect.poll(() => board.count(), { timeout: 30_000 }).toBe(1);
    expect(await board.getByTestId('drill-banner').count()).toBe(1);
    expect(await board.textContent()).toContain(T.drillTag.ja);

    // Listed apart from real advisories: a real one issued after the drill is in the one list, the drill in the other.
    const realInput = { title: `実際 ${randomUUID().slice(0, 8)}`, body: '本文', tlp: 'TLP:AMBER', severity: 'level1', category: 'notice', source: 'nisc', escalate: false, targets: { members: ['jma'] } };
    const issued = await api<{ advisoryId: string }>('POST', '/local/api/advisories', 'sec-1', { requestKey: randomUUID(), input: realInput });
    expect(issued.json.advisoryId).toMatch(/^ADV-\d{4}-\d{4}$/);
    const ids = async (query: string) => (await api<AdvisorySummaryView[]>('GET', `/local/api/advisories${query}`, 'sec-1')).json.map((a) => a.advisoryId);
    expect(await ids('?drill=true')).toEqual([advisoryId]);
    expect(await ids('?drill=false')).toEqual([issued.json.advisoryId]);
    expect((await ids('')).sort()).toEqual([advisoryId, issued.json.advisoryId].sort());
    const status = await api<StatusView>('GET', `/local/api/advisories/${advisoryId.toLowerCase()}/status`, 'sec-1');
    expect(status.json).toMatchObject({ advisoryId, drill: true });
  }, 90_000);

  it('labels every kind of message a drill posts or edits, as the page draws it', async () => {
    const run = await runDrill();
    try {
      // Each message's body as the workspace stores it (local-chat.ts): the view, and the lines worded for the page.
      const body = (m: OutboundView) => ({ ...m, lifecycle: lifecycleLines(m), live: liveLines(m), board: boardLines(m), drillNotice: drillNoticeLines(m) });
      const messages = run.messages.map((m, i) => ({ kind: kindOf(m.message), message: { id: `drill-${i}`, channelId: m.channelId, body: body(m.message), createdAt: '2026-12-01T01:00:00.000Z', updatedAt: '2026-12-01T01:00:00.000Z' } }));
      expect(new Set(messages.map((m) => m.kind)).size).toBeGreaterThanOrEqual(8);
      // As a string: vitest would rewrite an import() written here into its own loader, which the page does not have.
      const unlabelled = (await page.evaluate(`(async () => {
        const { buildTopLevel } = await import('/local/static/js/render-message.js');
        const out = [];
        for (const m of ${JSON.stringify(messages)}) {
          const art = buildTopLevel(m.message);
          const banner = art.querySelector('[data-testid="drill-banner"]');
          if (!banner || !banner.textContent.includes(${JSON.stringify(T.drillBanner.ja)})) out.push(m.kind);
        }
        return out;
      })()`)) as string[];
      expect(unlabelled).toEqual([]);
    } finally {
      await run.f.close();
    }
  });
});
