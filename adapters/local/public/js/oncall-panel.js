/** The on-call panel: the open phone tasks, and jumping to a task's message. */

import { state } from './state.js';
import { both, C, lab, openTasksText, P, phoneStateText, PW, tpl, triedOfText, Tx } from './i18n.js';
import { count, formatTokyo } from './format.js';
import { announce, debounce, el } from './dom.js';
import { api, errorBox } from './api.js';
import { compareMessages } from './message-store.js';
import { tlpLabel } from './render-parts.js';

export function oncallPanel() {
  const list = el('ol', { class: 'oncall-list', testid: 'oncall-list', 'aria-busy': 'true' });
  const counter = el('span', { class: 'pick-count', testid: 'oncall-count' });
  return el(
    'section',
    { class: 'panel oncall', 'aria-labelledby': 'oncall-heading' },
    el(
      'div',
      { class: 'panel-head' },
      el('h3', { id: 'oncall-heading' }, `📞 ${both(C('oncallTitle'))} `, counter),
      el('button', { type: 'button', class: 'btn small', testid: 'oncall-refresh', on: { click: () => refreshOncall() } }, `↻ ${both(P.refresh)}`),
    ),
    el('div', { class: 'oncall-error' }),
    list,
  );
}

let oncallSeq = 0;

export async function refreshOncall() {
  const panel = state.panels.get('oncall');
  if (!panel || !panel.isConnected) return;
  const list = panel.querySelector('.oncall-list');
  const errSlot = panel.querySelector('.oncall-error');
  const gen = state.gen;
  const seq = ++oncallSeq;
  let view;
  try {
    view = await api('/local/api/oncall');
  } catch (err) {
    if (gen !== state.gen || seq !== oncallSeq) return;
    errSlot.replaceChildren(errorBox(err, 'oncall-error'));
    list.removeAttribute('aria-busy');
    return;
  }
  if (gen !== state.gen || seq !== oncallSeq) return;
  errSlot.replaceChildren();
  // The server's order: the most severe advisory first, then the one due first; within one, the task due first.
  const groups = Array.isArray(view?.groups) ? view.groups : [];
  const total = groups.reduce((n, g) => n + (Array.isArray(g.tasks) ? g.tasks.length : 0), 0);
  panel.querySelector('[data-testid="oncall-count"]').textContent = `(${both(openTasksText(total))})`;
  if (total === 0) {
    list.replaceChildren(el('li', { class: 'empty muted', testid: 'oncall-empty' }, `✅ ${both(C('oncallEmpty'))}`));
  } else {
    list.replaceChildren(...groups.map(groupItem));
  }
  list.removeAttribute('aria-busy');
}

/** One advisory: its label, severity and title, then its open tasks. */
function groupItem(g) {
  const tasks = Array.isArray(g.tasks) ? g.tasks : [];
  const head = tasks.length === 1 ? tpl('oncallGroupOne', { advisoryId: g.advisoryId, title: g.title }) : tpl('oncallGroup', { advisoryId: g.advisoryId, title: g.title, n: count(tasks.length) });
  return el(
    'li',
    { class: 'oncall-group', testid: `oncall-group-${g.advisoryId}`, 'data-advisory-id': g.advisoryId, 'data-severity': g.severity },
    el(
      'div',
      { class: 'line1' },
      tlpLabel(g.tlp),
      g.drill ? el('span', { class: 'drill-tag' }, both(Tx('drillTag'))) : null,
      ' ',
      el('span', { class: 'severity' }, both(lab('SEVERITY_TEXT', g.severity))),
    ),
    el('div', { class: 'group-head', testid: 'oncall-group-head' }, both(head)),
    el('ol', { class: 'oncall-tasks' }, tasks.map(taskItem)),
  );
}

function taskItem(t) {
  const stateText = phoneStateText(t.state, t.claimedBy);
  return el(
    'li',
    { class: `oncall-task st-${t.state}`, testid: `oncall-task-${t.taskId}`, 'data-task-id': t.taskId, 'data-state': t.state },
    el('div', { class: 'line1' }, el('strong', null, both(t.memberName))),
    el(
      'div',
      { class: 'line3 small' },
      `📞 ${both(stateText)} · ${both(triedOfText(t.tried ?? 0, t.contacts))}`,
      t.overdueSince ? el('span', { class: 'overdue-tag', testid: 'oncall-overdue' }, ` · ${both(PW('overdue'))} (${formatTokyo(t.overdueSince)})`) : null,
      t.exhausted ? ` · ⚠️ ${both(C('allTried'))}` : null,
      ` · ${formatTokyo(t.dueAt ?? t.createdAt)}`,
    ),
    el('button', { type: 'button', class: 'btn small', testid: 'oncall-goto', on: { click: () => gotoTask(t.taskId) } }, both(P.showMessage)),
  );
}

export const scheduleOncallRefresh = debounce(() => refreshOncall(), 300);

/**
 * The task's own message when it is in this channel; otherwise its row on the advisory's phone-task board, chosen in
 * the page's claim control when it can still be claimed (a task comes to its claimer's direct messages; the on-call
 * channel has only the board).
 */
function gotoTask(taskId) {
  const found = [...state.messages.values()]
    .filter((m) => m.body?.kind === 'phone_task' && m.body.view?.taskId === taskId)
    .sort(compareMessages)
    .pop();
  const node = found ? state.msgEls.get(found.id) : null;
  if (node) {
    flash(node);
    const first = node.querySelector('button.act');
    if (first) first.focus({ preventScroll: true });
    return;
  }
  const row = boardRowOf(taskId);
  if (!row) {
    announce(both(P.messageNotHere));
    return;
  }
  flash(row);
  const board = row.closest('[data-testid="phone-board"]');
  const select = board?.querySelector('[data-testid="board-claim-select"]');
  if (select && [...select.options].some((o) => o.value === taskId)) {
    select.value = taskId;
    select.dispatchEvent(new window.Event('change'));
    select.focus({ preventScroll: true });
  }
}

/** The newest board page in this channel that lists the task. */
function boardRowOf(taskId) {
  const boards = [...state.messages.values()]
    .filter((m) => m.body?.kind === 'phone_board' && Array.isArray(m.body.view?.rows) && m.body.view.rows.some((r) => r?.taskId === taskId))
    .sort(compareMessages);
  for (const m of boards.reverse()) {
    const art = state.msgEls.get(m.id);
    const row = art ? [...art.querySelectorAll('[data-testid="board-row"]')].find((li) => li.getAttribute('data-task-id') === taskId) : null;
    if (row) return row;
  }
  return null;
}

function flash(node) {
  node.scrollIntoView({ block: 'center' });
  node.classList.remove('flash');
  // Restart the highlight animation.
  void node.offsetWidth;
  node.classList.add('flash');
}
