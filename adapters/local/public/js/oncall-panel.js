/** The on-call panel: the open phone tasks, and jumping to a task's message. */

import { state } from './state.js';
import { both, C, contactOfText, lab, openTasksText, P, phoneStateText, Tx } from './i18n.js';
import { formatTokyo, ms } from './format.js';
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
  const tasks = (Array.isArray(view?.tasks) ? view.tasks : []).slice().sort((a, b) => ms(a.createdAt) - ms(b.createdAt));
  panel.querySelector('[data-testid="oncall-count"]').textContent = `(${both(openTasksText(tasks.length))})`;
  if (tasks.length === 0) {
    list.replaceChildren(el('li', { class: 'empty muted', testid: 'oncall-empty' }, `✅ ${both(C('oncallEmpty'))}`));
  } else {
    list.replaceChildren(
      ...tasks.map((t) => {
        const stateText = phoneStateText(t.state, t.claimedBy);
        return el(
          'li',
          { class: `oncall-task st-${t.state}`, testid: `oncall-task-${t.taskId}`, 'data-task-id': t.taskId, 'data-state': t.state },
          el(
            'div',
            { class: 'line1' },
            tlpLabel(t.tlp),
            t.drill ? el('span', { class: 'drill-tag' }, both(Tx('drillTag'))) : null,
            ' ',
            el('strong', null, both(t.memberName)),
          ),
          el('div', { class: 'line2' }, el('code', null, String(t.advisoryId ?? '')), ' ', String(t.title ?? '')),
          el(
            'div',
            { class: 'line3 small' },
            [
              both(lab('SEVERITY_TEXT', t.severity)),
              `📞 ${both(stateText)}`,
              both(contactOfText(t.contactIndex + 1, t.contacts)),
              t.exhausted ? `⚠️ ${both(C('allTried'))}` : null,
              formatTokyo(t.createdAt),
            ]
              .filter(Boolean)
              .join(' · '),
          ),
          el('button', { type: 'button', class: 'btn small', testid: 'oncall-goto', on: { click: () => gotoTask(t.taskId) } }, both(P.showMessage)),
        );
      }),
    );
  }
  list.removeAttribute('aria-busy');
}

export const scheduleOncallRefresh = debounce(() => refreshOncall(), 300);

function gotoTask(taskId) {
  const found = [...state.messages.values()]
    .filter((m) => m.body?.kind === 'phone_task' && m.body.view?.taskId === taskId)
    .sort(compareMessages)
    .pop();
  const node = found ? state.msgEls.get(found.id) : null;
  if (!node) {
    announce(both(P.messageNotHere));
    return;
  }
  node.scrollIntoView({ block: 'center' });
  node.classList.remove('flash');
  // Restart the highlight animation.
  void node.offsetWidth;
  node.classList.add('flash');
  const first = node.querySelector('button.act');
  if (first) first.focus({ preventScroll: true });
}
