/**
 * The local workspace in a real browser, as a newcomer would use it: issue an advisory from the
 * secretariat's form, acknowledge it as one member, check the status, let another member stay
 * silent until the escalation ladder puts a phone task on the board in the on-call channel, claim it
 * there as on-call staff, and record the phone outcome on the task in their direct messages. Asserts on what the page shows. The bot and the browser are shared; every test
 * issues (through the workspace's HTTP API, as the page does) the advisory it needs.
 */
import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalMessage } from '../../../adapters/local/local-api.js';
import { CT } from '../../../src/i18n/chat-text.js';
import { both, STATE_TEXT } from '../../../src/i18n/text.js';
import { BT } from '../../../src/i18n/board-text.js';
import type { StatusView } from '../../../src/view/views.js';
import { eventually } from '../../support/eventually.js';
import { canConnect, listeningAddresses, nonLoopbackAddresses } from '../../support/listening.js';
import { closeLocalBrowser, openLocalPage, startLocalBrowser, type LocalApi, type LocalBrowser } from '../../support/local-browser.js';

let local: LocalBrowser;
let api: LocalApi;
let page: Page;

beforeAll(async () => {
  // The board is drawn at the end of each interval: a second here, so a test waits for it no longer than that.
  local = await startLocalBrowser({ dirName: 'local', fastLadder: true, env: { STATUS_CARD_INTERVAL_SECONDS: '1' } });
  api = local.api;
  page = await openLocalPage(local, { width: 1280, height: 800 });
}, 60_000);

afterAll(() => closeLocalBrowser(local));

async function actAs(userId: string): Promise<void> {
  await page.getByTestId('user-select').selectOption(userId);
}

async function open(channelId: string): Promise<void> {
  await page.getByTestId(`channel-${channelId}`).click();
}

/** Issue an advisory as the secretariat for this test, and wait until every delivery is posted. */
async function issue(title: string, members: string[]): Promise<string> {
  const input = { title, body: '該当製品を直ちに更新してください。', tlp: 'TLP:AMBER', severity: 'level3', category: 'vulnerability', source: 'nisc', targets: { members } };
  const res = await api<{ advisoryId: string }>('POST', '/local/api/advisories', 'sec-1', { requestKey: randomUUID(), input });
  expect(res.status).toBe(201);
  const id = res.json.advisoryId;
  await eventually(async () => (await statusOf(id)).counts.posted === members.length, { description: `${id} posted` });
  return id;
}

async function statusOf(advisoryId: string): Promise<StatusView> {
  const res = await api<StatusView>('GET', `/local/api/advisories/${advisoryId}/status`, 'sec-1');
  expect(res.status).toBe(200);
  return res.json;
}

/** Press 受領確認 through the API as `user` of `member`, on this advisory's message in their channel. */
async function acknowledge(advisoryId: string, member: string, user: string): Promise<void> {
  const channelId = `member-${member}`;
  const res = await api<{ messages: LocalMessage[] }>('GET', `/local/api/channels/${channelId}/messages`, user);
  const m = res.json.messages.find((x) => x.body.kind === 'advisory' && x.body.view.advisoryId === advisoryId);
  if (!m || m.body.kind !== 'advisory') throw new Error(`${advisoryId} is not in ${channelId}`);
  const press = await api('POST', '/local/api/press', user, { channelId, messageId: m.id, action: 'advisory_ack', value: m.body.view.deliveryId });
  expect(press.status).toBe(200);
}

/** Show this advisory's status in the secretariat's panel, and wait until the panel shows that one. */
async function showStatus(advisoryId: string): Promise<void> {
  await actAs('sec-1');
  await open('secretariat');
  await page.getByTestId('status-id').fill(advisoryId);
  await page.getByTestId('status-submit').click();
  await expect.poll(() => page.getByTestId('status-view').getAttribute('data-advisory-id'), { timeout: 10_000 }).toBe(advisoryId);
}

describe('the local workspace in a browser', () => {
  it('binds to 127.0.0.1 and serves the page', async () => {
    // The URL says 127.0.0.1 for a server on 0.0.0.0 too (src/main.ts), so ask the system where it listens.
    const port = Number(new URL(local.bot.url).port);
    expect(port).toBeGreaterThan(0);
    expect(listeningAddresses(port)).toEqual(['127.0.0.1']);
    expect(await canConnect('127.0.0.1', port)).toBe(true);
    // Nobody on the network reaches it: each of this machine's other addresses refuses the connection.
    for (const address of nonLoopbackAddresses()) expect({ address, connected: await canConnect(address, port) }).toEqual({ address, connected: false });
    await expect(page.title()).resolves.toMatch(/CEPTOAR|セプター/);
  });

  it('lets the secretariat issue an advisory through the form: preview, Back with every entry kept, then Send', async () => {
    const title = `ブラウザ試験 発信 ${randomUUID().slice(0, 8)}`;
    await actAs('sec-1');
    await open('secretariat');
    const form = page.getByTestId('issue-form');
    await form.getByTestId('form-title').fill(title);
    await form.getByTestId('form-body').fill('該当製品を直ちに更新してください。');
    await form.getByTestId('form-tlp').selectOption('TLP:AMBER+STRICT');
    await form.getByTestId('form-severity').selectOption('level3');
    await form.getByTestId('form-member-jma').check();
    await form.getByTestId('form-member-jda').check();
    await form.getByTestId('form-observers').check();
    await form.getByTestId('form-submit').click();

    // The preview, in place of the entries: recipients, the observer's shared channel refused, the message.
    const preview = page.getByTestId('issue-preview');
    await expect.poll(() => preview.isVisible(), { timeout: 15_000 }).toBe(true);
    expect(await form.getByTestId('form-title').isVisible()).toBe(false);
    const recipients = await preview.getByTestId('preview-recipients').locator('li').allTextContents();
    expect(recipients[0]).toBe('配信 3 件（3 団体） / 3 deliveries (3 organisations)');
    expect(recipients).toContain('ローカルワークスペース: チャンネルへの投稿 2 件（3 配信） / local workspace: 2 channel posts (3 deliveries)');
    const problems = await preview.getByTestId('preview-problem').allTextContents();
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('保健医療福祉情報システム工業会');
    expect(await preview.getByTestId('preview-facts').textContent()).toContain('TLP:AMBER+STRICT');
    const message = preview.getByTestId('preview-message');
    expect(await message.getByTestId('advisory-title').textContent()).toBe(title);
    expect(await message.getByTestId('ack-button').count()).toBe(0);
    expect(await page.getByTestId('form-result').textContent()).toBe('');

    // Back: every entry as it was.
    await preview.getByTestId('preview-back').click();
    expect(await preview.count()).toBe(0);
    expect(await form.getByTestId('form-title').inputValue()).toBe(title);
    expect(await form.getByTestId('form-body').inputValue()).toBe('該当製品を直ちに更新してください。');
    expect(await form.getByTestId('form-tlp').inputValue()).toBe('TLP:AMBER+STRICT');
    expect(await form.getByTestId('form-severity').inputValue()).toBe('level3');
    expect(await form.getByTestId('form-member-jma').isChecked()).toBe(true);
    expect(await form.getByTestId('form-member-jda').isChecked()).toBe(true);
    expect(await form.getByTestId('form-observers').isChecked()).toBe(true);

    // Change one thing, review again, send.
    await form.getByTestId('form-observers').uncheck();
    await form.getByTestId('form-submit').click();
    await expect.poll(() => page.getByTestId('issue-preview').isVisible(), { timeout: 15_000 }).toBe(true);
    expect(await page.getByTestId('preview-problem').count()).toBe(0);
    await page.getByTestId('preview-send').click();
    const result = page.getByTestId('form-result');
    await expect.poll(async () => (await result.textContent()) ?? '', { timeout: 15_000 }).toMatch(/ADV-\d{4}-\d{4}/);
    const advisoryId = /ADV-\d{4}-\d{4}/.exec((await result.textContent()) ?? '')![0];
    // What the form sent is what was issued: this title, to the two members ticked; the form is empty again.
    const status = await statusOf(advisoryId);
    expect(status.title).toBe(title);
    expect(status.tlp).toBe('TLP:AMBER+STRICT');
    expect(status.rows.map((r) => r.memberId).sort()).toEqual(['jda', 'jma']);
    expect(await form.getByTestId('form-title').inputValue()).toBe('');
  });

  it('never sends on Enter: not in the title, not in any one-line field; Enter in the body is a newline', async () => {
    const title = `ブラウザ試験 Enter ${randomUUID().slice(0, 8)}`;
    await actAs('sec-1');
    await open('secretariat');
    const form = page.getByTestId('issue-form');
    // Every request the page makes from here on, as it makes it.
    await page.evaluate(() => {
      const w = globalThis as unknown as { __requests: string[]; fetch: typeof fetch };
      w.__requests = [];
      const real = w.fetch.bind(w);
      w.fetch = (url: Parameters<typeof fetch>[0], init?: RequestInit) => {
        w.__requests.push(`${init?.method ?? 'GET'} ${String(url)}`);
        return real(url, init);
      };
    });
    const requests = () => page.evaluate(() => (globalThis as unknown as { __requests: string[] }).__requests.filter((r) => r.startsWith('POST')));
    await form.getByTestId('form-title').fill(title);
    await form.getByTestId('form-body').fill('一行目');
    await form.getByTestId('form-member-jma').check();
    await form.getByTestId('form-title').press('Enter');
    await form.getByTestId('form-tlp').press('Enter');
    await form.getByTestId('form-member-jma').press('Enter');
    await form.getByTestId('form-body').press('End');
    await form.getByTestId('form-body').press('Enter');
    await form.getByTestId('form-body').pressSequentially('二行目');
    // Key presses are handled before they return: a submit would have asked the server already.
    expect(await requests()).toEqual([]);
    expect(await page.getByTestId('issue-preview').count()).toBe(0);
    expect(await form.getByTestId('form-body').inputValue()).toBe('一行目\n二行目');
    // The control: the button does submit, to the preview (not to issuing).
    await form.getByTestId('form-submit').click();
    await expect.poll(() => page.getByTestId('issue-preview').isVisible(), { timeout: 15_000 }).toBe(true);
    expect(await requests()).toEqual(['POST /local/api/advisories/preview']);
    await page.getByTestId('preview-back').click();
    await form.getByTestId('form-title').fill('');
    await form.getByTestId('form-member-jma').uncheck();
  });

  it('shows problems on the form, not on a preview', async () => {
    await actAs('sec-1');
    await open('secretariat');
    const form = page.getByTestId('issue-form');
    await form.getByTestId('form-title').fill('');
    await form.getByTestId('form-body').fill('本文');
    await form.getByTestId('form-submit').click();
    await expect.poll(() => form.getByTestId('field-error-title').count(), { timeout: 15_000 }).toBe(1);
    expect(await form.getByTestId('field-error-targets').count()).toBe(1);
    expect(await page.getByTestId('issue-preview').count()).toBe(0);
    expect(await form.getByTestId('form-title').getAttribute('aria-invalid')).toBe('true');
    await form.getByTestId('form-body').fill('');
  });

  it('shows the new preview instead of sending when what was shown no longer matches', async () => {
    const title = `ブラウザ試験 変更 ${randomUUID().slice(0, 8)}`;
    await actAs('sec-1');
    await open('secretariat');
    const form = page.getByTestId('issue-form');
    await form.getByTestId('form-title').fill(title);
    await form.getByTestId('form-body').fill('本文');
    await form.getByTestId('form-member-jma').check();
    await form.getByTestId('form-submit').click();
    await expect.poll(() => page.getByTestId('issue-preview').isVisible(), { timeout: 15_000 }).toBe(true);
    const digest = await page.getByTestId('issue-preview').getAttribute('data-digest');
    // The directory changes between the preview and Send: the server sees another digest than the page's.
    let sends = 0;
    await page.route('**/local/api/advisories/send', async (route) => {
      sends += 1;
      const body = JSON.parse(route.request().postData() ?? '{}') as Record<string, unknown>;
      await route.continue({ postData: JSON.stringify({ ...body, digest: sends === 1 ? 'not-what-the-server-has' : body['digest'] }) });
    });
    await page.getByTestId('preview-send').click();
    await expect.poll(() => page.getByTestId('preview-changed').count(), { timeout: 15_000 }).toBe(1);
    expect(await page.getByTestId('issue-preview').getAttribute('data-digest')).toBe(digest);
    expect(await page.getByTestId('form-result').textContent()).toBe('');
    // Send on the new preview issues.
    await page.getByTestId('preview-send').click();
    await expect.poll(async () => (await page.getByTestId('form-result').textContent()) ?? '', { timeout: 15_000 }).toMatch(/ADV-\d{4}-\d{4}/);
    await page.unroute('**/local/api/advisories/send');
    expect(sends).toBe(2);
    const advisoryId = /ADV-\d{4}-\d{4}/.exec((await page.getByTestId('form-result').textContent()) ?? '')![0];
    expect((await statusOf(advisoryId)).title).toBe(title);
  });

  it('shows the advisory in the member channel, and a member acknowledges it', async () => {
    const title = `ブラウザ試験 受領 ${randomUUID().slice(0, 8)}`;
    const advisoryId = await issue(title, ['jma']);
    await actAs('jma-1');
    await open('member-jma');
    const advisory = page.locator('[data-kind="advisory"]').filter({ hasText: title });
    await expect.poll(() => advisory.count(), { timeout: 15_000 }).toBe(1);
    const text = (await advisory.textContent()) ?? '';
    expect(text).toContain('TLP:AMBER');
    expect(text).toContain(advisoryId);
    await advisory.getByTestId('ack-button').click();
    await expect.poll(async () => (await advisory.textContent()) ?? '', { timeout: 15_000 }).toMatch(/受領確認[\s\S]*佐藤 健一/);
    await expect.poll(() => advisory.getByTestId('ack-button').count()).toBe(0);
    expect((await statusOf(advisoryId)).rows[0]).toMatchObject({ memberId: 'jma', state: 'acknowledged', acknowledgedBy: '佐藤 健一', via: 'button' });
    // README's picture of the workspace: `UPDATE_SCREENSHOT=1 npx vitest run test/adapters/local`.
    if (process.env.UPDATE_SCREENSHOT) await page.screenshot({ path: 'docs/local-workspace.png' });
  });

  it('shows user text as text: markup in the body is never run', async () => {
    const title = `ブラウザ試験 表示 ${randomUUID().slice(0, 8)}`;
    const res = await api<{ advisoryId: string }>('POST', '/local/api/advisories', 'sec-1', {
      requestKey: randomUUID(),
      input: { title, body: '直ちに更新してください。<script>window.__ran = 1</script><img src=x onerror="window.__ran = 2">', tlp: 'TLP:AMBER', severity: 'level3', category: 'vulnerability', source: 'nisc', targets: { members: ['jma'] } },
    });
    expect(res.status).toBe(201);
    await actAs('jma-1');
    await open('member-jma');
    const advisory = page.locator('[data-kind="advisory"]').filter({ hasText: title });
    await expect.poll(() => advisory.count(), { timeout: 15_000 }).toBe(1);
    expect(await advisory.textContent()).toContain('<script>window.__ran = 1</script>');
    expect(await advisory.locator('script, img').count()).toBe(0);
    expect(await page.evaluate(() => (globalThis as unknown as { __ran?: number }).__ran)).toBeUndefined();
  });

  it('does not let a member of another organisation into that channel', async () => {
    const title = `ブラウザ試験 非公開 ${randomUUID().slice(0, 8)}`;
    await issue(title, ['jma']);
    await actAs('jda-1');
    // The channel is not even listed (the server sends only the user's channels), and asking for it by address does not open it.
    await expect.poll(() => page.locator('#messages').getAttribute('data-channel-id')).toBe('member-jda');
    expect(await page.getByTestId('channel-member-jma').count()).toBe(0);
    await page.goto(`${local.bot.url}/?user=jda-1&channel=member-jma`);
    await expect.poll(() => page.locator('#messages').getAttribute('data-channel-id')).toBe('member-jda');
    expect(await page.locator('main').textContent()).not.toContain(title);
  });

  it('shows the status to the secretariat: one acknowledged, one not', async () => {
    const advisoryId = await issue(`ブラウザ試験 状況 ${randomUUID().slice(0, 8)}`, ['jma', 'jda']);
    await acknowledge(advisoryId, 'jma', 'jma-1');
    await showStatus(advisoryId);
    await expect.poll(() => page.getByTestId('status-row-jma').getAttribute('data-state'), { timeout: 10_000 }).toBe('acknowledged');
    expect(await page.getByTestId('status-row-jma').textContent()).toContain(STATE_TEXT.acknowledged.ja);
    expect(await page.getByTestId('status-row-jda').getAttribute('data-state')).toBe('posted');
    expect(await page.getByTestId('status-row-jda').textContent()).toContain(STATE_TEXT.posted.ja);
    expect(await page.getByTestId('status-row-jda').textContent()).not.toContain(STATE_TEXT.acknowledged.ja);
    expect(await page.getByTestId('status-count-total').textContent()).toBe('2');
    expect(await page.getByTestId('status-count-acknowledged').textContent()).toBe('1');
    expect(await page.getByTestId('status-count-posted').textContent()).toBe('1');
  });

  it('turns the silent member into a task on the phone board; on-call staff claim it there, and record in their direct messages that they reached them', async () => {
    const advisoryId = await issue(`ブラウザ試験 電話 ${randomUUID().slice(0, 8)}`, ['jda']);
    await actAs('oncall-1');
    await open('oncall');
    // The phone step puts the task on the advisory's board: one message, no message per task.
    const board = page.locator('[data-kind="phone_board"]').filter({ hasText: advisoryId });
    await expect.poll(() => board.count(), { timeout: 30_000 }).toBe(1);
    const row = board.getByTestId('board-row');
    expect(await row.count()).toBe(1);
    expect(await row.textContent()).toContain('日本歯科医師会');
    expect(await row.getByTestId('board-mark').textContent()).toBe('⚪');
    expect(await page.locator('[data-kind="phone_task"]').count()).toBe(0);
    // The words come from the shared tables (src/i18n), worded on the server as for Slack and Teams.
    expect(await board.getByTestId('board-heading').textContent()).toBe(`${both(BT.heading)} — ${both(BT.page(1, 1))}`);
    expect(await board.getByTestId('board-claim').textContent()).toBe(both(BT.claim));
    expect(await board.textContent()).not.toMatch(/[{}]/);
    const taskId = (await row.getAttribute('data-task-id')) ?? '';
    // Claim: choose the task, press 担当する.
    expect(await board.getByTestId('board-claim').isDisabled()).toBe(true);
    await board.getByTestId('board-claim-select').selectOption(taskId);
    await board.getByTestId('board-claim').click();
    await expect.poll(() => board.getByTestId('notice-text').getAttribute('data-state'), { timeout: 10_000 }).toBe('ok');
    // The board says who is on it, and offers nothing more to claim.
    await expect.poll(() => row.getByTestId('board-mark').textContent(), { timeout: 10_000 }).toBe('📞');
    expect(await row.textContent()).toContain('電話当番 A が対応中 / 電話当番 A on it');
    expect(await board.getByTestId('board-claim').count()).toBe(0);
    expect(await board.getByTestId('board-note').textContent()).toBe(`${BT.nothingToClaim.ja}${BT.nothingToClaim.en}`);

    // The task, with its contacts and outcome buttons, is in the claimer's direct messages: the button under the press goes there.
    await expect.poll(() => page.getByTestId('channel-dm-oncall-1').count(), { timeout: 10_000 }).toBe(1);
    await board.getByTestId('board-open-direct').click();
    await expect.poll(() => page.locator('#messages').getAttribute('data-channel-id'), { timeout: 10_000 }).toBe('dm-oncall-1');
    const task = page.locator('[data-kind="phone_task"]').filter({ hasText: advisoryId });
    await expect.poll(() => task.count(), { timeout: 15_000 }).toBe(1);
    expect(await task.textContent()).toContain('日本歯科医師会');
    expect(await task.getByTestId('phone-state').textContent()).toContain('電話当番 A');
    expect(await task.getByTestId('tel-link').first().getAttribute('href')).toMatch(/^tel:\+81/);
    const script = (await task.getByTestId('phone-script').textContent()) ?? '';
    expect(script).toContain(advisoryId);
    expect(script).not.toMatch(/[{}]/);
    // One "reached" choice per contact, the one being called now first; the caller picks who answered.
    const choices = task.getByTestId('phone-reached-choices').locator('button');
    await expect.poll(() => choices.allTextContents(), { timeout: 10_000 }).toEqual(['✅ 1. 高橋 誠 (情報管理課 課長)', '✅ 2. 田中 由美 (総務課 係長)']);
    expect(await task.getByTestId('phone-reached-1').getAttribute('class')).toContain('primary');
    expect(await task.getByTestId('phone-reached-2').getAttribute('class')).not.toContain('primary');
    expect(await task.getByTestId('phone-release').textContent()).toBe(both(CT.phoneRelease));
    await task.getByTestId('phone-reached-2').click();
    await expect.poll(() => task.getByTestId('phone-reached-choices').count(), { timeout: 10_000 }).toBe(0);
    const done = (await task.getByTestId('phone-state').textContent()) ?? '';
    expect(done).toContain('完了：田中 由美 (総務課 係長) に連絡がつきました（電話当番 A、');
    expect(done).toContain('Done: reached 田中 由美 (総務課 係長) by 電話当番 A at ');
    expect(done).not.toMatch(/[{}]/);

    // Back on the board: the row is reached, by whom.
    await open('oncall');
    const reachedRow = page.locator('[data-kind="phone_board"]').filter({ hasText: advisoryId }).getByTestId('board-row');
    await expect.poll(() => reachedRow.getByTestId('board-mark').textContent(), { timeout: 10_000 }).toBe('✅');
    expect(await reachedRow.textContent()).toContain('電話当番 A が電話で連絡済 / reached by 電話当番 A');

    await showStatus(advisoryId);
    await expect.poll(() => page.getByTestId('status-row-jda').getAttribute('data-state'), { timeout: 10_000 }).toBe('acknowledged');
    expect(await page.getByTestId('status-row-jda').textContent()).toMatch(/受領確認済み[\s\S]*電話|電話[\s\S]*受領確認済み/);
    expect((await statusOf(advisoryId)).rows[0]).toMatchObject({
      state: 'acknowledged',
      via: 'phone',
      acknowledgedBy: '電話当番 A',
      reachedContact: { index: 1, name: '田中 由美', role: '総務課 係長' },
    });
    // The status says who called and whom they reached.
    const reached = (await page.getByTestId('status-row-jda').getByTestId('status-reached').textContent()) ?? '';
    expect(reached).toContain('電話当番 A が電話で 田中 由美 (総務課 係長) に連絡');
    expect(reached).toContain('電話当番 A reached 田中 由美 (総務課 係長) by phone');
    if (process.env.UPDATE_SCREENSHOT) await page.screenshot({ path: 'docs/local-workspace-secretariat.png' });
  });
});

describe('an honest phone ladder in a browser', () => {
  it('a task whose next-contact time passed with nobody calling: overdue on the board and in the status, tried 0 of 2; claimed, contact 1 still 未架電 and called now', async () => {
    const advisoryId = await issue(`ブラウザ試験 期限超過 ${randomUUID().slice(0, 8)}`, ['jda']);
    // The ladder (fast policies): phone task at 4 s, contact 2 callable at 6 s; nobody claims it.
    await eventually(async () => (await statusOf(advisoryId)).rows[0]?.phoneTask?.overdue === true, { timeoutMs: 30_000, description: `${advisoryId} overdue` });
    await actAs('oncall-1');
    await open('oncall');
    // Marked on the board (not raised again as a new post): ⚠, overdue, nobody has called.
    const board = page.locator('[data-kind="phone_board"]').filter({ hasText: advisoryId });
    await expect.poll(() => board.count(), { timeout: 20_000 }).toBe(1);
    const row = board.getByTestId('board-row');
    await expect.poll(() => row.getByTestId('board-mark').textContent(), { timeout: 10_000 }).toBe('⚠');
    const line = (await row.textContent()) ?? '';
    expect(line).toContain(`— ${both(BT.overdue)} · 架電 0/2 件 / tried 0 of 2 · `);
    expect(line).not.toMatch(/[{}]|連絡先 \d\/\d|contact \d of \d/);
    expect(await page.locator('[data-kind="phone_task"]').filter({ hasText: advisoryId }).count()).toBe(0);
    const taskId = (await row.getAttribute('data-task-id')) ?? '';

    // The on-call panel: the task under its advisory's heading, overdue, tried 0 of 2.
    const group = page.getByTestId(`oncall-group-${advisoryId}`);
    await expect.poll(() => group.count(), { timeout: 10_000 }).toBe(1);
    expect(await group.getByTestId('oncall-group-head').textContent()).toContain(`${advisoryId} ブラウザ試験 期限超過`);
    expect(await group.getByTestId('oncall-overdue').textContent()).toContain('⚠ 期限超過 / overdue');
    expect(await group.textContent()).toContain('架電 0/2 件 / tried 0 of 2');

    // The secretariat's status says the same: tried 0 of 2, overdue.
    await showStatus(advisoryId);
    const statusRow = page.getByTestId('status-row-jda');
    await expect.poll(async () => (await statusRow.getByTestId('status-tried').textContent()) ?? '', { timeout: 10_000 }).toBe('架電 0/2 件 / tried 0 of 2');
    expect(await statusRow.getByTestId('status-overdue').textContent()).toBe('⚠ 期限超過 / overdue');

    // The panel's "show" goes to the task's row on the board and chooses it to claim.
    await actAs('oncall-1');
    await open('oncall');
    await expect.poll(() => page.getByTestId(`oncall-group-${advisoryId}`).count(), { timeout: 10_000 }).toBe(1);
    await expect.poll(() => board.count(), { timeout: 10_000 }).toBe(1);
    await page.getByTestId(`oncall-group-${advisoryId}`).getByTestId('oncall-goto').click();
    expect(await board.getByTestId('board-claim-select').inputValue()).toBe(taskId);
    expect(await board.getByTestId('board-claim').isDisabled()).toBe(false);
    await board.getByTestId('board-claim').click();
    await expect.poll(() => board.getByTestId('notice-text').getAttribute('data-state'), { timeout: 10_000 }).toBe('ok');

    // In the claimer's direct messages: contact 1 (the 課長) was passed by the clock, not by a call: not tried, and
    // still the one to call now; contact 2 callable too, not tried, no "later" mark.
    await open('dm-oncall-1');
    const task = page.locator('[data-kind="phone_task"]').filter({ hasText: advisoryId });
    await expect.poll(() => task.count(), { timeout: 15_000 }).toBe(1);
    const items = task.getByTestId('phone-contacts').locator('li');
    expect(await items.count()).toBe(2);
    const first = items.nth(0);
    expect(await first.getAttribute('data-contact-state')).toBe('not_tried');
    expect(await first.getAttribute('data-testid')).toBe('phone-current');
    expect(await first.getByTestId('contact-state').textContent()).toBe(' — ⚪ 未架電 / not tried');
    expect(await first.getByTestId('contact-call-now').textContent()).toBe(' — ▶ 今かける / call now');
    expect(await first.textContent()).toContain('高橋 誠');
    const second = items.nth(1);
    expect(await second.getAttribute('data-contact-state')).toBe('not_tried');
    expect(await second.getAttribute('data-testid')).toBe('phone-contact');
    expect(await second.getByTestId('contact-later').count()).toBe(0);
    expect(await task.textContent()).not.toMatch(/[{}]|連絡先 \d\/\d|contact \d of \d/);
  });
});

describe('acknowledgement rounds in a browser', () => {
  it('the secretariat asks for acknowledgement with a follow-up; a member presses its button in the thread', async () => {
    const title = `ブラウザ試験 続報確認 ${randomUUID().slice(0, 8)}`;
    const advisoryId = await issue(title, ['jma']);
    await actAs('sec-1');
    await open('secretariat');
    await page.getByTestId('lifecycle-id').fill(advisoryId);
    await page.getByTestId('lifecycle-load').click();
    const form = page.getByTestId('lifecycle-followup');
    await form.getByTestId('lifecycle-followup-body').fill('修正版 2.0.2 を適用し、受領確認をお願いします。');
    await form.getByTestId('lifecycle-followup-acknowledge').check();
    // Out of range: the problem under the minutes, nothing sent.
    await form.getByTestId('lifecycle-followup-minutes').fill('0');
    await form.getByTestId('lifecycle-followup-submit').click();
    await expect.poll(async () => (await form.getByTestId('lifecycle-error-ackDeadlineMinutes').textContent()) ?? '', { timeout: 10_000 }).not.toBe('');
    await form.getByTestId('lifecycle-followup-minutes').fill('45');
    await form.getByTestId('lifecycle-followup-submit').click();
    await expect.poll(async () => (await form.getByTestId('lifecycle-result-followup').textContent()) ?? '', { timeout: 10_000 }).toContain(`${advisoryId} の続報`);
    expect(await form.getByTestId('lifecycle-error-ackDeadlineMinutes').textContent()).toBe('');

    await actAs('jma-1');
    await open('member-jma');
    const advisory = page.locator('article[data-kind="advisory"]').filter({ hasText: title });
    await expect.poll(() => advisory.count(), { timeout: 15_000 }).toBe(1);
    const followUp = advisory.locator('li').filter({ has: page.getByTestId('followup') });
    await expect.poll(() => followUp.getByTestId('followup-ask').count(), { timeout: 15_000 }).toBe(1);
    expect(await followUp.getByTestId('followup-ask').textContent()).toContain('受領確認をお願いします（期限');
    // The copy points to the follow-up, without a button of its own.
    const ownButton = advisory.locator(':scope > .msg-body [data-testid="ack-button"]');
    await expect.poll(() => advisory.getByTestId('later-round').count(), { timeout: 15_000 }).toBe(1);
    expect(await ownButton.count()).toBe(0);
    expect(await advisory.getByTestId('later-round').textContent()).toContain('受領確認は続報 #1 で行ってください');

    await followUp.getByTestId('ack-button').click();
    await expect.poll(async () => (await followUp.getByTestId('followup-acknowledged').textContent()) ?? '', { timeout: 15_000 }).toContain('佐藤 健一');
    expect(await followUp.getByTestId('ack-button').count()).toBe(0);
    // The press's answer stays under the follow-up it was pressed on.
    expect(await followUp.getByTestId('notice-text').textContent()).toContain('受領確認を記録しました。');
    const status = await statusOf(advisoryId);
    expect(status.round).toMatchObject({ n: 2, followup: 1 });
    expect(status.rows[0]).toMatchObject({ memberId: 'jma', state: 'acknowledged', acknowledgedBy: '佐藤 健一', via: 'button' });

    await showStatus(advisoryId);
    await expect.poll(async () => (await page.getByTestId('status-round').textContent()) ?? '', { timeout: 10_000 }).toContain('第2回受領確認（続報 #1、');
  });
});

describe("the page's renderers of rounds (the page's own modules, in the page)", () => {
  /** Render with one of the page's modules and read the text: the modules are the ones the page runs, with its words loaded. */
  async function rendered(module: string, fn: string, view: Record<string, unknown>, message?: Record<string, unknown>): Promise<{ text: string; buttons: number }> {
    await actAs('jma-1');
    // As a string: vitest would rewrite an import() written here into its own loader, which the page does not have.
    const args = JSON.stringify(fn === 'followUpBody' ? [view, undefined, message] : [view, message]);
    return page.evaluate(`(async () => {
      const m = await import('/local/static/js/${module}');
      const box = document.createElement('div');
      box.append(...m.${fn}(...${args}));
      return { text: box.textContent ?? '', buttons: box.querySelectorAll('button').length };
    })()`) as Promise<{ text: string; buttons: number }>;
  }

  const base = { advisoryId: 'ADV-2026-0042', deliveryId: 'dlv-0001', title: '電子カルテシステムの脆弱性について', tlp: 'TLP:AMBER', drill: false };

  it("a later round's reminder asks for its follow-up by the round's deadline, and points to the follow-up's button", async () => {
    const out = await rendered('render-reminder.js', 'reminderBody', { ...base, ackDeadline: '2026-11-25T11:00:00.000Z', memberName: { ja: '日本医師会', en: 'JMA' }, mention: [], followup: 3 });
    expect(out.text).toContain('続報 #3 の受領確認をお願いします（期限 2026/11/25 20:00 JST）。');
    expect(out.text).toContain('Press "Acknowledge" on follow-up #3 in the thread.');
    expect(out.text).not.toContain('上の注意喚起メッセージ');
    const first = await rendered('render-reminder.js', 'reminderBody', { ...base, ackDeadline: '2026-11-25T11:00:00.000Z', memberName: { ja: '日本医師会', en: 'JMA' }, mention: [] });
    expect(first.text).toContain('上の注意喚起メッセージ');
    expect(first.text).not.toContain('続報 #');
  });

  it('a phone task of a later round asks to tell them about the follow-up too', async () => {
    const task = {
      ...base,
      taskId: 'dlv-0001.phone',
      severity: 'level3',
      ackDeadline: '2026-11-25T11:00:00.000Z',
      memberName: { ja: '日本医師会', en: 'JMA' },
      script: 'standard',
      secretariatName: { ja: '医療セプター事務局', en: 'the secretariat' },
      contacts: [],
      state: 'open',
      exhausted: false,
      reachedChoices: [],
    };
    const message = { id: 'm-1', channelId: 'oncall' };
    expect((await rendered('render-phone-task.js', 'phoneTaskBody', { ...task, round: { n: 2, followup: 3 } }, message)).text).toContain(
      '続報 #3（第2回受領確認）についても伝えてください',
    );
    expect((await rendered('render-phone-task.js', 'phoneTaskBody', task, message)).text).not.toContain('についても伝えてください');
  });

  it('a follow-up: the request and button, who acknowledged, or that it ended', async () => {
    const followUp = { ...base, n: 2, at: '2026-11-25T10:00:00.000Z', body: '続報本文', audience: 'channel' };
    const message = { id: 'm-2', channelId: 'member-jma' };
    const asking = await rendered('render-lifecycle.js', 'followUpBody', { ...followUp, ack: { round: 2, deadline: '2026-11-25T10:30:00.000Z' } }, message);
    expect(asking.text).toContain('受領確認をお願いします（期限 2026/11/25 19:30 JST）');
    expect(asking.buttons).toBe(1);
    const done = await rendered('render-lifecycle.js', 'followUpBody', { ...followUp, ack: { round: 2, deadline: '2026-11-25T10:30:00.000Z', acknowledged: { by: '佐藤', at: '2026-11-25T10:05:00.000Z', via: 'phone' } } }, message);
    expect(done.buttons).toBe(0);
    expect(done.text).toContain('佐藤 (2026/11/25 19:05 JST, via 電話 / phone)');
    const ended = await rendered('render-lifecycle.js', 'followUpBody', { ...followUp, ack: { round: 2, deadline: '2026-11-25T10:30:00.000Z', ended: true } }, message);
    expect(ended.buttons).toBe(0);
    expect(ended.text).toContain('この受領確認は終了しました');
    const plain = await rendered('render-lifecycle.js', 'followUpBody', followUp, message);
    expect(plain.buttons).toBe(0);
    expect(plain.text).not.toContain('受領確認');
  });
});
