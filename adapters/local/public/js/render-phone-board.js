/**
 * A page of an advisory's phone-task board in the on-call channel (message kind 'phone_board'), redrawn in place as
 * its tasks change: the heading and page, the advisory, on page 1 the whole board's counts, one line per task with
 * its mark, and the claim control (a choice of the page's open tasks and a 「担当する / Claim」 button; none when
 * nothing is left to claim or the advisory has ended). The same content as Slack and Teams: the lines come worded
 * from the server by the function they use (body.board, adapters/local/local-board-lines.ts); this only lays them
 * out. Every string reaches the page as a Text node (dom.js el()).
 */

import { both, isBilingual, P, Tx } from './i18n.js';
import { announce, el, sentence } from './dom.js';
import { envelope, tlpClass } from './render-parts.js';
import { press } from './press.js';
import { state } from './state.js';
import { pageActions } from './page-actions.js';

/** BOARD_CLAIM_ACTION (src/view/buttons.ts). */
export const BOARD_CLAIM_ACTION = 'phone_board_claim';

const text = (t) => (isBilingual(t) ? t : { ja: String(t ?? ''), en: String(t ?? '') });
const rowsOf = (l) => (Array.isArray(l?.rows) ? l.rows.filter((r) => r && typeof r.taskId === 'string') : []);

/** "⚪ 名前 / Name — 架電 0/3 件 / tried 0 of 3 · 15:04 から / due 15:04", as Slack and Teams lay a row out. */
function rowItem(r, stateOf) {
  const parts = Array.isArray(r.parts) ? r.parts.map((p) => both(text(p))) : [];
  return el(
    'li',
    {
      class: `board-row${r.ended ? ' ended' : ''}${r.claimable ? ' claimable' : ''}`,
      testid: 'board-row',
      'data-task-id': r.taskId,
      'data-state': stateOf.get(r.taskId) ?? null,
      'data-claimable': r.claimable ? 'true' : 'false',
    },
    el('span', { class: 'board-mark', testid: 'board-mark' }, String(r.mark ?? '')),
    ' ',
    el(r.ended ? 's' : 'strong', { class: 'board-name', testid: 'board-name' }, String(r.name ?? '')),
    parts.length > 0 ? el('span', { class: 'board-parts', testid: 'board-parts' }, ` — ${parts.join(' · ')}`) : null,
  );
}

/** The page's open tasks to claim: a choice and a button; the chosen task's id is what the press sends. */
function claimControl(l, m) {
  const rows = rowsOf({ rows: l.claimable });
  if (rows.length === 0) return null;
  const id = `board-claim-${m.id}`;
  const placeholder = text(l.claimPlaceholder);
  // Two tasks of one member on a page (two of its channels) read the same: number the second and later.
  const seen = new Map();
  const select = el(
    'select',
    { id, class: 'board-select', testid: 'board-claim-select' },
    el('option', { value: '', selected: true }, both(placeholder)),
    rows.map((r) => {
      const label = `${String(r.mark ?? '')} ${String(r.name ?? '')}`;
      const k = (seen.get(label) ?? 0) + 1;
      seen.set(label, k);
      return el('option', { value: r.taskId }, k > 1 ? `${label} (${k})` : label);
    }),
  );
  const button = el(
    'button',
    {
      type: 'button',
      class: 'btn act primary board-claim',
      testid: 'board-claim',
      disabled: true,
      on: {
        click: () => {
          if (select.value === '') return;
          press(m.id, m.channelId, BOARD_CLAIM_ACTION, select.value, { onOk: openDirectButton });
        },
      },
    },
    both(text(l.claim)),
  );
  select.addEventListener('change', () => {
    button.disabled = select.value === '';
  });
  return el(
    'div',
    { class: 'board-claim-row', role: 'group', 'aria-label': both(text(l.claim)), testid: 'board-claim-control' },
    el('label', { class: 'sr-only', for: id }, both(placeholder)),
    select,
    button,
  );
}

/** After a claim: the task comes to the claimer's direct conversation; a way there (the list hides on a phone). */
function openDirectButton(out) {
  out.append(
    ' ',
    el(
      'button',
      {
        type: 'button',
        class: 'btn small',
        testid: 'board-open-direct',
        on: {
          click: () => {
            const mine = [...state.channels.values()].find((c) => c.kind === 'direct' && Array.isArray(c.members) && state.user && c.members.includes(state.user.id));
            if (mine) pageActions.openChannel(mine.id);
            else announce(both(P.directNotYet));
          },
        },
      },
      `@ ${both(P.openDirect)}`,
    ),
  );
}

/**
 * The board page's body. `lines`: body.board as the server worded it; without them (a message stored by an older
 * server) the page says it cannot show it.
 */
export function phoneBoardBody(v, lines, m) {
  if (!lines || typeof lines !== 'object' || !isBilingual(lines.heading)) {
    return [el('p', { class: 'muted' }, `${both(P.unknownKind)}: phone_board`)];
  }
  const out = [...envelope(v.tlp, v.drill)];
  const heading = text(lines.heading);
  // A drill says so in the heading too, as on Slack and Teams.
  const drill = v.drill ? Tx('drillTag') : null;
  out.push(
    el(
      'h3',
      { class: 'msg-title board-head', testid: 'board-heading' },
      both(drill ? { ja: `${drill.ja}${heading.ja}`, en: `${drill.en} ${heading.en}` } : heading),
      el('span', { class: 'board-page', testid: 'board-page' }, ` — ${both(text(lines.page))}`),
    ),
  );
  const card = el('div', { class: `card board ${tlpClass(v.tlp)}`, testid: 'phone-board', 'data-advisory-id': String(v.advisoryId ?? ''), 'data-page': String(Number(v.page) || 0) });
  card.append(
    el('p', { class: 'board-title', testid: 'board-title' }, el('strong', null, String(v.title ?? ''))),
    el('p', { class: 'board-advisory muted', testid: 'board-advisory' }, String(lines.advisory ?? '')),
  );
  if (isBilingual(lines.counts)) card.append(el('p', { class: 'board-counts', testid: 'board-counts' }, '📊 ', sentence(lines.counts)));
  const stateOf = new Map((Array.isArray(v.rows) ? v.rows : []).map((r) => [r?.taskId, r?.state]));
  card.append(el('ul', { class: 'board-rows', testid: 'board-rows' }, rowsOf(lines).map((r) => rowItem(r, stateOf))));
  const claim = claimControl(lines, m);
  if (claim) card.append(claim);
  const note = text(lines.note);
  card.append(
    v.closed
      ? el('p', { class: 'board-note closed', testid: 'board-note' }, '🏁 ', sentence(note))
      : el('p', { class: 'board-note muted', testid: 'board-note' }, sentence(note)),
    el('p', { class: 'muted small', testid: 'board-as-of' }, `🕒 ${both(text(lines.asOf))}`),
  );
  out.push(card);
  return out;
}

/**
 * A redrawn page keeps the choice its reader had made, while that task can still be claimed: someone else's claim
 * redraws the page, and must not take the reader's choice away.
 */
export function keepBoardChoice(before, after) {
  const old = before?.querySelector('[data-testid="board-claim-select"]');
  const now = after?.querySelector('[data-testid="board-claim-select"]');
  if (!old || !now || old.value === '') return;
  if (![...now.options].some((o) => o.value === old.value)) return;
  now.value = old.value;
  const button = after.querySelector('[data-testid="board-claim"]');
  if (button) button.disabled = false;
  if (old.ownerDocument?.activeElement === old) now.focus({ preventScroll: true });
}
