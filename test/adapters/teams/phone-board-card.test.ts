/**
 * A page of the phone-task board on Teams (adapters/teams/phone-board-card.ts, the 'phone_board' kind through
 * renderTeamsMessage): TLP first, the heading with the page, the advisory, the counts on page 1, one line per task
 * with its mark, the claim control listing exactly the open tasks (none when nothing is open or the advisory ended),
 * a drill said so, under Teams' size limit at 40 rows with long names, and user text escaped.
 */
import { describe, expect, it } from 'vitest';
import { BOARD_CLAIM_INPUT, BOARD_CLAIM_VERB, boardRowText, phoneBoardCard } from '../../../adapters/teams/phone-board-card.js';
import { CARD_MAX_CHARS, CARD_SCHEMA, jsonLength, type AdaptiveCard } from '../../../adapters/teams/card-elements.js';
import { renderTeamsMessage } from '../../../adapters/teams/teams-cards.js';
import { TLP_LEVELS } from '../../../src/domain/classification.js';
import { BOARD_CLAIM_ACTION } from '../../../src/view/buttons.js';
import { boardRowLine } from '../../../src/view/phone-board-lines.js';
import type { PhoneBoardRowView, PhoneBoardView } from '../../../src/view/views.js';
import { assertInert, elements, markdownTexts, unescapeCardText } from './card-helpers.js';

const DUE = '2026-11-25T01:06:00.000Z';
const DUE_TEXT = '2026/11/25 10:06 JST';

function row(i: number, over: Partial<PhoneBoardRowView> = {}): PhoneBoardRowView {
  const nn = String(i).padStart(2, '0');
  return {
    taskId: `ADV-2026-0042.m${nn}.phone`,
    memberName: { ja: `構成員${nn}`, en: `Member ${nn}` },
    state: 'open',
    tried: 0,
    contacts: 2,
    dueAt: DUE,
    exhausted: false,
    ...over,
  };
}

function board(over: Partial<PhoneBoardView> = {}): PhoneBoardView {
  return {
    advisoryId: 'ADV-2026-0042',
    title: '電子カルテシステムの脆弱性について',
    tlp: 'TLP:AMBER',
    severity: 'level3',
    drill: false,
    page: 1,
    pages: 1,
    rows: [row(1)],
    counts: { open: 1, claimed: 0, overdue: 0, reached: 0, acknowledged: 0, cancelled: 0 },
    closed: false,
    asOf: '2026-11-25T01:10:00.000Z',
    ...over,
  };
}

/** One row of every kind: open, overdue, claimed, reached, acknowledged, cancelled, open again (a later round). */
const MIXED: PhoneBoardRowView[] = [
  row(1),
  row(2, { overdueSince: '2026-11-25T01:08:00.000Z', tried: 0 }),
  row(3, { state: 'claimed', claimedBy: '当番 鈴木', tried: 1 }),
  row(4, { state: 'done', tried: 2, resolution: { kind: 'reached', by: '当番 鈴木' } }),
  row(5, { state: 'done', resolution: { kind: 'acknowledged_elsewhere' } }),
  row(6, { state: 'cancelled' }),
  row(7, { round: 2, exhausted: true, tried: 2 }),
];
const MIXED_COUNTS = { open: 3, claimed: 1, overdue: 1, reached: 1, acknowledged: 1, cancelled: 1 };

const texts = (c: AdaptiveCard): string[] => markdownTexts(c).map(unescapeCardText);
const ROW = /^(⚪|⚠|📞|✅|☑️|✖️) (?!電話連絡ボード)/;
/** The task lines as a reader sees them (the heading starts with 📞 too). */
const rowLines = (c: AdaptiveCard): string[] =>
  texts(c)
    .flatMap((t) => t.split('\n'))
    .filter((l) => ROW.test(l));
/** The TextBlocks of task lines, as the card has them. */
const rowBlocks = (c: AdaptiveCard) => elements(c.body).filter((x) => x.type === 'TextBlock' && ROW.test(String(x['text'])));
const choiceSets = (c: AdaptiveCard) => elements(c.body).filter((x) => x.type === 'Input.ChoiceSet');
const choices = (c: AdaptiveCard) => (choiceSets(c)[0]?.['choices'] ?? []) as { title: string; value: string }[];
const executes = (c: AdaptiveCard) => elements(c.body).filter((x) => x.type === 'Action.Execute');

describe('a phone-task board page on Teams', () => {
  it('TLP first, the heading with the page, the title, the advisory, the counts, one line per task with its mark, as of', () => {
    const c = phoneBoardCard(board({ rows: MIXED, counts: MIXED_COUNTS, pages: 3 }));
    expect(c.$schema).toBe(CARD_SCHEMA);
    expect(c.version).toBe('1.5');
    expect(JSON.parse(JSON.stringify(c))).toEqual(c);
    const t = texts(c);
    expect(t[0]).toBe('🟧 **TLP:AMBER** — 限定公開 / Organisation and its clients, need to know');
    expect(t[1]).toBe('📞 電話連絡ボード\u3000ページ 1/3\nPhone-task board — page 1 of 3');
    expect(t).toContain('**電子カルテシステムの脆弱性について**');
    expect(t).toContain('ADV-2026-0042 · 深刻度 / Severity: レベル3 高 / Level 3 High');
    expect(t).toContain(
      '📊 未着手 3・対応中 1・期限超過 1・電話で連絡済 1・ボタンで受領 1・取消 1\nopen 3 · claimed 1 · overdue 1 · reached by phone 1 · acknowledged 1 · cancelled 1',
    );
    expect(rowLines(c)).toEqual([
      `⚪ **構成員01 / Member 01** — 架電 0/2 件 / tried 0 of 2 · ${DUE_TEXT} から / due ${DUE_TEXT}`,
      `⚠ **構成員02 / Member 02** — 期限超過 / overdue · 架電 0/2 件 / tried 0 of 2 · ${DUE_TEXT} から / due ${DUE_TEXT}`,
      `📞 **構成員03 / Member 03** — 当番 鈴木 が対応中 / 当番 鈴木 on it · 架電 1/2 件 / tried 1 of 2 · ${DUE_TEXT} から / due ${DUE_TEXT}`,
      '✅ 構成員04 / Member 04 — 当番 鈴木 が電話で連絡済 / reached by 当番 鈴木',
      '☑️ 構成員05 / Member 05 — ボタンで受領確認 / acknowledged',
      '✖️ 構成員06 / Member 06 — 取消（注意喚起の終了） / cancelled (advisory ended)',
      `⚪ **構成員07 / Member 07** — 第2回 / round 2 · 架電 2/2 件 / tried 2 of 2 · 全連絡先に架電済 / every contact tried · ${DUE_TEXT} から / due ${DUE_TEXT}`,
    ]);
    // Ended rows are shown quietly: their block is subtle, the working ones' not.
    const blocks = rowBlocks(c);
    expect(blocks.map((b) => b['isSubtle'] === true)).toEqual([false, true, false]);
    expect(t.at(-2)).toBe('担当する依頼を選ぶと、その依頼の連絡先と結果ボタンがあなた宛てに届きます。 / Claim a task and its contacts and outcome buttons come to you directly.');
    expect(t.at(-1)).toBe('🕒 2026/11/25 10:10 JST 時点 / as of 2026/11/25 10:10 JST');
  });

  it('later pages: the page number without the total, no counts', () => {
    const c = phoneBoardCard(board({ page: 2, pages: 3, counts: undefined, rows: [row(41)] }));
    expect(texts(c)[1]).toBe('📞 電話連絡ボード\u3000ページ 2\nPhone-task board — page 2');
    expect(texts(c).some((x) => x.startsWith('📊'))).toBe(false);
  });

  it('the claim control lists exactly the open tasks, by name, with their ids, and one Claim button', () => {
    const c = phoneBoardCard(board({ rows: MIXED, counts: MIXED_COUNTS }));
    expect(choiceSets(c)).toHaveLength(1);
    const set = choiceSets(c)[0]!;
    expect(set).toMatchObject({ id: BOARD_CLAIM_INPUT, style: 'compact', placeholder: '担当する依頼を選ぶ / Claim a task…', isRequired: true });
    expect(BOARD_CLAIM_INPUT).toBe('taskId');
    expect(choices(c)).toEqual([
      { title: '⚪ 構成員01 / Member 01', value: 'ADV-2026-0042.m01.phone' },
      { title: '⚠ 構成員02 / Member 02', value: 'ADV-2026-0042.m02.phone' },
      { title: '⚪ 構成員07 / Member 07', value: 'ADV-2026-0042.m07.phone' },
    ]);
    expect(executes(c)).toEqual([{ type: 'Action.Execute', title: '担当する / Claim', verb: BOARD_CLAIM_ACTION, data: {}, style: 'positive' }]);
    expect(BOARD_CLAIM_VERB).toBe('phone_board_claim');
    // The choice comes before its button.
    const order = elements(c.body).map((x) => x.type);
    expect(order.indexOf('Input.ChoiceSet')).toBeLessThan(order.indexOf('Action.Execute'));
    expect(c.actions).toBeUndefined();
  });

  it('nothing open on the page: no control, and it says so', () => {
    const rows = MIXED.filter((r) => r.state !== 'open');
    const c = phoneBoardCard(board({ rows }));
    expect(choiceSets(c)).toEqual([]);
    expect(executes(c)).toEqual([]);
    expect(texts(c)).toContain('このページに未着手の依頼はありません。 / Nothing left to claim on this page.');
  });

  it('the advisory ended: no control even with open rows, and it says no more calls are needed', () => {
    const c = phoneBoardCard(board({ rows: MIXED, closed: true }));
    expect(choiceSets(c)).toEqual([]);
    expect(executes(c)).toEqual([]);
    expect(texts(c)).toContain('🏁 この注意喚起は終了しました。電話連絡は不要です。\nThis advisory has ended; no more calls are needed.');
  });

  it('the label first for every TLP, a drill in the banner and the heading, and a label-first notification', () => {
    for (const tlp of TLP_LEVELS) {
      const first = phoneBoardCard(board({ tlp })).body[0] as { type: string; items: { text: string }[] };
      expect(first.type).toBe('Container');
      expect(first.items[0]?.text).toContain(`**${tlp}**`);
    }
    const drill = phoneBoardCard(board({ drill: true }));
    expect(texts(drill)[1]).toBe('🚧 【訓練】これは訓練です / [DRILL] This is a drill 🚧');
    expect(texts(drill)).toContain('【訓練】📞 電話連絡ボード\u3000ページ 1/1\n[DRILL] Phone-task board — page 1 of 1');
    const m = renderTeamsMessage({ kind: 'phone_board', view: board({ drill: true, pages: 2 }) });
    expect(m.text).toBe('[TLP:AMBER] 【訓練】[DRILL] 📞 電話連絡ボード / Phone-task board — ADV-2026-0042 電子カルテシステムの脆弱性について (ページ 1/2 / page 1 of 2)');
    expect(m.card).toEqual({ ...phoneBoardCard(board({ drill: true, pages: 2 })), fallbackText: m.text });
    expect(m.entities).toBeUndefined();
    expect(renderTeamsMessage({ kind: 'phone_board', view: board() }).text.startsWith('[TLP:AMBER] 📞 電話連絡ボード')).toBe(true);
  });

  it('40 rows: all listed ten to a TextBlock, all open ones claimable, under the size limit', () => {
    const rows = Array.from({ length: 40 }, (_, i) => row(i + 1, i % 4 === 1 ? { state: 'claimed', claimedBy: `当番 ${i}` } : {}));
    const c = phoneBoardCard(board({ rows }));
    expect(jsonLength(renderTeamsMessage({ kind: 'phone_board', view: board({ rows }) }).card)).toBeLessThanOrEqual(CARD_MAX_CHARS);
    expect(rowLines(c)).toHaveLength(40);
    expect(rowBlocks(c).map((b) => unescapeCardText(String(b['text'])).split('\n').length)).toEqual([10, 10, 10, 10]);
    expect(choices(c).map((x) => x.value)).toEqual(rows.filter((r) => r.state === 'open').map((r) => r.taskId));
  });

  it('40 rows with very long names and callers: cut, never dropped, every open task still claimable, under the limit', () => {
    const name = (i: number) => ({ ja: `${'長'.repeat(600)}${i}`, en: `${'L'.repeat(600)}${i}` });
    const rows = Array.from({ length: 40 }, (_, i) =>
      row(i + 1, {
        memberName: name(i),
        taskId: `ADV-2026-0042.${'m'.repeat(120)}${i}.phone`,
        ...(i % 2 === 0 ? { state: 'claimed' as const, claimedBy: `${'当'.repeat(500)}${i}` } : { overdueSince: DUE, round: 3, exhausted: true }),
      }),
    );
    const view = board({ rows, counts: { open: 20, claimed: 20, overdue: 20, reached: 0, acknowledged: 0, cancelled: 0 } });
    const c = phoneBoardCard(view);
    expect(jsonLength(renderTeamsMessage({ kind: 'phone_board', view }).card)).toBeLessThanOrEqual(CARD_MAX_CHARS);
    expect(rowLines(c)).toHaveLength(40);
    expect(texts(c).join('\n')).not.toContain('ほか');
    expect(choices(c).map((x) => x.value)).toEqual(rows.filter((r) => r.state === 'open').map((r) => r.taskId));
    for (const ch of choices(c)) expect(ch.title.length).toBeLessThanOrEqual(80);
    // Cut with an ellipsis, never inside an escape.
    for (const t of markdownTexts(c)) assertInert(t.replace(/\*\*/g, ''));
  });

  it('rows too big even cut: the last rows are left out with their choices, and counted', () => {
    // Task ids as long as a claim may carry, every part a row can have, a title as long as allowed: only leaving rows out fits.
    const rows = Array.from({ length: 40 }, (_, i) =>
      row(i + 1, { taskId: `${'t'.repeat(196)}${String(i).padStart(4, '0')}`, memberName: { ja: '長'.repeat(600), en: 'L'.repeat(600) }, overdueSince: DUE, round: 2, exhausted: true }),
    );
    const c = phoneBoardCard(board({ rows, title: '題'.repeat(150) }));
    expect(jsonLength(c)).toBeLessThanOrEqual(CARD_MAX_CHARS);
    const shown = rowLines(c).length;
    expect(shown).toBeGreaterThan(0);
    expect(shown).toBeLessThan(40);
    // Whatever is shown can be claimed, and what is not is counted.
    expect(choices(c).map((x) => x.value)).toEqual(rows.slice(0, shown).map((r) => r.taskId));
    expect(texts(c).join('\n')).toContain(`➕ ほか ${40 - shown} 名 / ${40 - shown} more`);
  });

  it('hostile member names, callers and titles: escaped in the text, plain in the choices, no mention, no JSON break-out', () => {
    const hostile = '**太字** [銀行](https://evil.example) <at>全員</at> _x_ \\';
    const rows = [row(1, { memberName: { ja: hostile, en: '- list' } }), row(2, { state: 'claimed', claimedBy: '<at>U1</at> *x*' })];
    const title = '"}],"actions":[{"type":"Action.OpenUrl","url":"https://evil.example"}]} <at>x</at>';
    const c = phoneBoardCard(board({ rows, title }));
    const line = boardRowText(boardRowLine(rows[0]!));
    assertInert(line.slice(line.indexOf('**') + 2, line.lastIndexOf('**')));
    expect(rowLines(c)[0]).toBe(`⚪ **${hostile} / - list** — 架電 0/2 件 / tried 0 of 2 · ${DUE_TEXT} から / due ${DUE_TEXT}`);
    const claimed = boardRowText(boardRowLine(rows[1]!));
    assertInert(claimed.slice(claimed.indexOf(' — ') + 3));
    expect(rowLines(c)[1]).toContain('<at>U1</at> *x* が対応中 / <at>U1</at> *x* on it');
    expect(choices(c)).toEqual([{ title: `⚪ ${hostile} / - list`, value: 'ADV-2026-0042.m01.phone' }]);
    for (const t of markdownTexts(c)) expect(t).not.toMatch(/<\s*\/?\s*at/i);
    expect(JSON.parse(JSON.stringify(c))).toEqual(c);
    expect(c.actions).toBeUndefined();
    expect(elements(c.body).filter((x) => x.type === 'Action.OpenUrl')).toEqual([]);
    expect(texts(c)).toContain(`**${title}**`);
  });
});
