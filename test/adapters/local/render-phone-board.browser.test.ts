/**
 * The phone-task board in the local workspace, in a real browser: the page's renderer (public/js/render-phone-board.js,
 * the module the page runs, with its words loaded from the server) lays out a board page from the view and the lines
 * the server words with the function Slack and Teams use (adapters/local/local-board-lines.ts): the heading and page,
 * the advisory, the counts on page 1, one line per task with its mark (ended ones struck through), and the claim
 * control: a choice of exactly the page's open tasks and a 「担当する / Claim」 button, none when nothing is left to
 * claim or the advisory has ended. A redrawn page keeps its reader's choice while it can still be claimed. A hostile
 * member name stays text.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boardLines } from '../../../adapters/local/local-board-lines.js';
import { BT } from '../../../src/i18n/board-text.js';
import { both } from '../../../src/i18n/text.js';
import type { PhoneBoardRowView, PhoneBoardView } from '../../../src/view/views.js';
import { closeLocalBrowser, openLocalPage, startLocalBrowser, type LocalBrowser } from '../../support/local-browser.js';

let local: LocalBrowser;
let page: Page;

beforeAll(async () => {
  local = await startLocalBrowser({ dirName: 'local-board' });
  page = await openLocalPage(local, { width: 1366, height: 900 });
}, 60_000);

afterAll(() => closeLocalBrowser(local));

const row = (i: number, extra: Partial<PhoneBoardRowView> = {}): PhoneBoardRowView => ({
  taskId: `dlv-${String(i).padStart(4, '0')}.phone`,
  memberName: { ja: `構成員${String(i).padStart(2, '0')}`, en: `Member ${String(i).padStart(2, '0')}` },
  state: 'open',
  tried: 0,
  contacts: 2,
  dueAt: '2026-11-25T01:00:00.000Z',
  exhausted: false,
  ...extra,
});

const view: PhoneBoardView = {
  advisoryId: 'ADV-2026-0042',
  title: '電子カルテシステムの脆弱性について',
  tlp: 'TLP:AMBER',
  severity: 'level3',
  drill: false,
  page: 1,
  pages: 2,
  rows: [
    row(1),
    row(2, { overdueSince: '2026-11-25T01:02:00.000Z' }),
    row(3, { state: 'claimed', claimedBy: '当番 花子', tried: 1 }),
    row(4, { state: 'done', tried: 1, resolution: { kind: 'reached', by: '当番 太郎' } }),
    row(5, { state: 'cancelled', resolution: { kind: 'acknowledged_elsewhere' } }),
    row(6, { exhausted: true, tried: 2 }),
  ],
  counts: { open: 3, claimed: 1, overdue: 1, reached: 1, acknowledged: 1, cancelled: 0 },
  closed: false,
  asOf: '2026-11-25T01:06:00.000Z',
};

type Rendered = {
  text: string;
  heading: string;
  advisory: string;
  counts: string | null;
  rows: { text: string; taskId: string | null; claimable: string | null; struck: boolean }[];
  options: { value: string; text: string }[];
  button: { text: string; disabled: boolean } | null;
  note: string;
  noteClosed: boolean;
  elements: number;
};

/** Render the board page with the page's own module, as the page would with the server's body. */
async function rendered(v: PhoneBoardView): Promise<Rendered> {
  const args = JSON.stringify([v, boardLines({ kind: 'phone_board', view: v }), { id: 'm-board', channelId: 'oncall' }]);
  // As a string: vitest would rewrite an import() written here into its own loader, which the page does not have.
  return page.evaluate(`(async () => {
    const m = await import('/local/static/js/render-phone-board.js');
    const box = document.createElement('div');
    document.body.append(box);
    box.append(...m.phoneBoardBody(...${args}));
    const q = (id) => box.querySelector('[data-testid="' + id + '"]');
    const button = q('board-claim');
    const out = {
      text: box.textContent ?? '',
      heading: q('board-heading')?.textContent ?? '',
      advisory: q('board-advisory')?.textContent ?? '',
      counts: q('board-counts')?.textContent ?? null,
      rows: [...box.querySelectorAll('[data-testid="board-row"]')].map((r) => ({
        text: r.textContent,
        taskId: r.getAttribute('data-task-id'),
        claimable: r.getAttribute('data-claimable'),
        struck: r.querySelector('s') !== null,
      })),
      options: [...box.querySelectorAll('[data-testid="board-claim-select"] option')].map((o) => ({ value: o.value, text: o.textContent })),
      button: button ? { text: button.textContent, disabled: button.disabled } : null,
      note: q('board-note')?.textContent ?? '',
      noteClosed: q('board-note')?.classList.contains('closed') ?? false,
      elements: box.querySelectorAll('*').length,
    };
    box.remove();
    return out;
  })()`) as Promise<Rendered>;
}

/** A row as Slack lays it out (adapters/slack/phone-board-blocks.ts boardRowText), without the markup. */
function slackRow(v: PhoneBoardView, i: number): string {
  const r = boardLines({ kind: 'phone_board', view: v })!.rows[i]!;
  return `${r.mark} ${r.name} — ${r.parts.map(both).join(' · ')}`;
}

describe("the page's renderer of the phone-task board", () => {
  it('page 1: heading and page of pages, the advisory, the counts, each task with its mark as Slack and Teams word it', async () => {
    const out = await rendered(view);
    expect(out.heading).toBe('📞 電話連絡ボード / Phone-task board — ページ 1/2 / page 1 of 2');
    expect(out.text).toContain('TLP:AMBER');
    expect(out.text).toContain('電子カルテシステムの脆弱性について');
    expect(out.advisory).toBe('ADV-2026-0042 · 深刻度 / Severity: レベル3 高 / Level 3 High');
    expect(out.counts).toBe(`📊 ${BT.counts(view.counts!).ja}${BT.counts(view.counts!).en}`);
    expect(out.rows.map((r) => r.taskId)).toEqual(view.rows.map((r) => r.taskId));
    expect(out.rows.map((r) => r.text)).toEqual(view.rows.map((_, i) => slackRow(view, i)));
    expect(out.rows[0]!.text).toBe('⚪ 構成員01 / Member 01 — 架電 0/2 件 / tried 0 of 2 · 2026/11/25 10:00 JST から / due 2026/11/25 10:00 JST');
    expect(out.rows.map((r) => r.text.slice(0, 2).trim())).toEqual(['⚪', '⚠', '📞', '✅', '☑️', '⚪']);
    expect(out.rows[2]!.text).toContain('当番 花子 が対応中 / 当番 花子 on it');
    expect(out.rows[3]!.text).toContain('当番 太郎 が電話で連絡済 / reached by 当番 太郎');
    expect(out.rows.map((r) => r.struck)).toEqual([false, false, false, true, true, false]);
    expect(out.rows.map((r) => r.claimable)).toEqual(['true', 'true', 'false', 'false', 'false', 'true']);
    expect(out.note).toBe(`${BT.howTo.ja}${BT.howTo.en}`);
    expect(out.text).toContain('🕒 2026/11/25 10:06 JST 時点 / as of 2026/11/25 10:06 JST');
    expect(out.text).not.toMatch(/[{}]/);
  });

  it('the claim control offers exactly the open tasks, after an empty first choice; the button waits for a choice', async () => {
    const out = await rendered(view);
    expect(out.options).toEqual([
      { value: '', text: both(BT.claimPlaceholder) },
      { value: 'dlv-0001.phone', text: '⚪ 構成員01 / Member 01' },
      { value: 'dlv-0002.phone', text: '⚠ 構成員02 / Member 02' },
      { value: 'dlv-0006.phone', text: '⚪ 構成員06 / Member 06' },
    ]);
    expect(out.button).toEqual({ text: '担当する / Claim', disabled: true });
  });

  it('page 2 says its number only and has no counts; a page with nothing left to claim, or an ended advisory, has no control', async () => {
    const second = await rendered({ ...view, page: 2, counts: undefined, rows: [row(41)] });
    expect(second.heading).toBe('📞 電話連絡ボード / Phone-task board — ページ 2 / page 2');
    expect(second.counts).toBeNull();
    expect(second.options).toHaveLength(2);

    const taken = await rendered({ ...view, rows: [row(3, { state: 'claimed', claimedBy: '当番 花子' })] });
    expect(taken.options).toEqual([]);
    expect(taken.button).toBeNull();
    expect(taken.note).toBe(`${BT.nothingToClaim.ja}${BT.nothingToClaim.en}`);

    const ended = await rendered({ ...view, closed: true });
    expect(ended.button).toBeNull();
    expect(ended.options).toEqual([]);
    expect(ended.note).toBe(`🏁 ${BT.closed.ja}${BT.closed.en}`);
    expect(ended.noteClosed).toBe(true);
    // The rows are still listed, as they are.
    expect(ended.rows).toHaveLength(view.rows.length);
  });

  it('a drill says so in the heading; two tasks of one member read apart in the choice', async () => {
    const out = await rendered({ ...view, drill: true, rows: [row(1), { ...row(1), taskId: 'dlv-0099.phone' }] });
    expect(out.heading).toBe('【訓練】📞 電話連絡ボード / [DRILL] Phone-task board — ページ 1/2 / page 1 of 2');
    expect(out.text).toContain('これは訓練です');
    expect(out.options.map((o) => o.text)).toEqual([both(BT.claimPlaceholder), '⚪ 構成員01 / Member 01', '⚪ 構成員01 / Member 01 (2)']);
  });

  it("a redrawn page keeps its reader's choice while that task can still be claimed", async () => {
    const args = JSON.stringify({
      v: view,
      lines: boardLines({ kind: 'phone_board', view }),
      taken: boardLines({ kind: 'phone_board', view: { ...view, rows: view.rows.map((r) => (r.taskId === 'dlv-0002.phone' ? { ...r, state: 'claimed' as const, claimedBy: '当番 次郎' } : r)) } }),
    });
    const out = (await page.evaluate(`(async () => {
      const m = await import('/local/static/js/render-phone-board.js');
      const a = ${args};
      const body = (lines) => { const d = document.createElement('div'); d.append(...m.phoneBoardBody(a.v, lines, { id: 'm-b', channelId: 'oncall' })); return d; };
      const choose = (d, id) => { const s = d.querySelector('[data-testid="board-claim-select"]'); s.value = id; s.dispatchEvent(new Event('change')); return d; };
      const read = (d) => ({ value: d.querySelector('[data-testid="board-claim-select"]').value, disabled: d.querySelector('[data-testid="board-claim"]').disabled });
      const before = choose(body(a.lines), 'dlv-0006.phone');
      const chosen = read(before);
      const kept = body(a.taken);
      m.keepBoardChoice(before, kept);
      const gone = body(a.taken);
      m.keepBoardChoice(choose(body(a.lines), 'dlv-0002.phone'), gone);
      return { chosen, kept: read(kept), gone: read(gone) };
    })()`)) as Record<string, { value: string; disabled: boolean }>;
    expect(out['chosen']).toEqual({ value: 'dlv-0006.phone', disabled: false });
    expect(out['kept']).toEqual({ value: 'dlv-0006.phone', disabled: false });
    // The chosen task was claimed by someone else meanwhile: no choice, and the button waits again.
    expect(out['gone']).toEqual({ value: '', disabled: true });
  });

  it('a hostile member name stays text: no element from it, the markup shown as typed', async () => {
    const hostile = '<img src=x onerror="window.__pwned=1"><b>悪意</b>';
    const plain = await rendered({ ...view, rows: [row(1)] });
    const out = await rendered({ ...view, rows: [row(1, { memberName: { ja: hostile, en: '<script>alert(1)</script>' } })] });
    expect(out.rows[0]!.text).toContain(`${hostile} / <script>alert(1)</script>`);
    expect(out.options[1]!.text).toBe(`⚪ ${hostile} / <script>alert(1)</script>`);
    expect(out.elements).toBe(plain.elements);
    expect(await page.evaluate(() => (globalThis as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  });
});
