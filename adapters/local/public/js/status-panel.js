/** The status box: an advisory's deliveries, acknowledgements, escalation and phone tasks. */

import { state } from './state.js';
import { both, C, contactOfText, failureExplanation, lab, P, phoneStateText, tpl, Tx } from './i18n.js';
import { count, formatTokyo } from './format.js';
import { debounce, el, sentence, timeEl } from './dom.js';
import { api, errorBox } from './api.js';
import { tlpLabel } from './render-parts.js';
import { contactText } from './render-phone-task.js';

const DELIVERY_STATES = ['acknowledged', 'posted', 'queued', 'failed', 'cancelled'];
const STATE_MARK = { queued: '🕒', posted: '⏳', acknowledged: '✅', failed: '⚠️', cancelled: '⛔' };

export function statusSection() {
  const input = el('input', { id: 'status-id', type: 'text', testid: 'status-id', placeholder: 'ADV-2026-0001', autocomplete: 'off', spellcheck: 'false' });
  const out = el('div', { class: 'status-out', id: 'status-out', testid: 'status-out' });
  const form = el(
    'form',
    {
      class: 'status-form',
      testid: 'status-form',
      on: {
        submit: (ev) => {
          ev.preventDefault();
          const id = input.value.trim();
          if (id === '') {
            out.replaceChildren(el('p', { class: 'error-box', role: 'alert' }, sentence(P.statusIdMissing)));
            input.focus();
            return;
          }
          showStatus(id);
        },
      },
    },
    el('label', { for: 'status-id' }, both(C('advisoryId'))),
    input,
    el('button', { type: 'submit', class: 'btn', testid: 'status-submit' }, both(P.statusShow)),
  );
  return el('section', { class: 'panel status-box', 'aria-labelledby': 'status-heading' }, el('h3', { id: 'status-heading' }, `📊 ${both(P.statusTitle)}`), form, out);
}

/** "View status" on a notice: into the status box when the secretariat panel is on screen, else under the notice. */
export function viewStatusFrom(advisoryId, article) {
  const box = document.getElementById('status-out');
  if (box && box.isConnected) {
    showStatus(advisoryId);
    box.closest('.status-box')?.scrollIntoView({ block: 'start' });
    return;
  }
  const extra = article?.querySelector(':scope > .msg-extra');
  if (extra) showStatus(advisoryId, extra);
}

async function showStatus(advisoryId, container) {
  const input = document.getElementById('status-id');
  const target = container ?? document.getElementById('status-out');
  if (!target) return;
  if (!container && input) input.value = advisoryId;
  // Only one status view on the page at a time, so its test ids stay unique.
  for (const old of document.querySelectorAll('.status-view, .status-loading, .status-error')) old.remove();
  state.status = { advisoryId, container: target };
  const loading = el('p', { class: 'muted status-loading' }, both(P.loading));
  target.append(loading);
  await loadStatusInto(advisoryId, target);
}

async function loadStatusInto(advisoryId, target) {
  const gen = state.gen;
  let view;
  try {
    view = await api(`/local/api/advisories/${encodeURIComponent(advisoryId)}/status`);
  } catch (err) {
    if (gen !== state.gen || state.status?.advisoryId !== advisoryId) return;
    for (const old of target.querySelectorAll('.status-view, .status-loading, .status-error')) old.remove();
    const box = errorBox(err, 'status-error');
    box.classList.add('status-error');
    target.append(box);
    return;
  }
  if (gen !== state.gen || state.status?.advisoryId !== advisoryId) return;
  for (const old of document.querySelectorAll('.status-view, .status-loading, .status-error')) old.remove();
  target.append(renderStatus(view ?? {}));
  // The server answers with the canonical id ("adv-2026-42" → "ADV-2026-0042"): events match on that.
  if (typeof view?.advisoryId === 'string') state.status = { advisoryId: view.advisoryId, container: target };
}

export const scheduleStatusRefresh = debounce(() => {
  const s = state.status;
  if (!s || !s.container.isConnected) return;
  loadStatusInto(s.advisoryId, s.container);
}, 400);

function ladderCell(row) {
  if (row.state === 'acknowledged') return [];
  const parts = [];
  const l = row.ladder;
  const t = row.phoneTask;
  if (l?.kind === 'reminder' && !t) parts.push(el('div', null, `⏰ ${both(C('reminderSent'))} (${formatTokyo(l.at)})`));
  if (!t && l && (l.kind === 'phone' || l.kind === 'next-contact')) parts.push(el('div', null, `📞 ${both(C('phoneStep'))} (${formatTokyo(l.at)})`));
  if (l?.kind === 'alert') parts.push(el('div', { class: 'warn' }, `🚨 ${both(C('secretariatAlerted'))} (${formatTokyo(l.at)})`));
  return parts;
}

function phoneCell(row) {
  const t = row.phoneTask;
  if (!t) return [];
  return [
    el('div', null, `📞 ${both(phoneStateText(t.state, t.claimedBy))}`),
    el('div', null, both(contactOfText(t.contactIndex + 1, t.contacts))),
    t.exhausted ? el('div', { class: 'warn' }, `⚠️ ${both(C('allTried'))}`) : null,
  ];
}

function renderStatus(view) {
  const c = view.counts ?? {};
  const rows = Array.isArray(view.rows) ? view.rows : [];
  const root = el('div', { class: 'status-view', testid: 'status-view', 'data-advisory-id': String(view.advisoryId ?? '') });
  root.append(
    el(
      'div',
      { class: 'envelope' },
      tlpLabel(view.tlp),
      el('span', { class: 'tlp-text' }, both(lab('TLP_TEXT', view.tlp))),
      view.drill ? el('span', { class: 'drill-tag' }, both(Tx('drillTag'))) : null,
    ),
    el('h4', { class: 'status-title' }, el('code', null, String(view.advisoryId ?? '')), ' ', String(view.title ?? '')),
    el(
      'p',
      { class: 'muted small' },
      `${both(lab('SEVERITY_TEXT', view.severity))} · ${both(C('issued'))}: ${formatTokyo(view.issuedAt)} · ${both(Tx('ackDeadline'))}: ${formatTokyo(view.ackDeadline)}`,
    ),
  );
  const countCells = [
    ['total', C('total'), c.total],
    ...DELIVERY_STATES.map((s) => [s, lab('STATE_TEXT', s), c[s]]),
  ];
  root.append(
    el(
      'table',
      { class: 'counts', testid: 'status-counts' },
      el('thead', null, el('tr', null, countCells.map(([k, label]) => el('th', { scope: 'col', 'data-col': k }, `${k === 'total' ? '' : STATE_MARK[k] + ' '}${both(label)}`)))),
      el('tbody', null, el('tr', null, countCells.map(([k, , n]) => el('td', { 'data-col': k, testid: `status-count-${k}` }, count(n ?? 0))))),
    ),
    el(
      'div',
      { class: 'status-actions' },
      el('button', { type: 'button', class: 'btn small', testid: 'status-refresh', on: { click: () => scheduleStatusRefresh() } }, `↻ ${both(P.refresh)}`),
      el(
        'button',
        {
          type: 'button',
          class: 'btn small',
          testid: 'panel-wide',
          'aria-pressed': document.body.classList.contains('wide-panel') ? 'true' : 'false',
          on: {
            click: (ev) => {
              const wide = document.body.classList.toggle('wide-panel');
              ev.currentTarget.setAttribute('aria-pressed', wide ? 'true' : 'false');
            },
          },
        },
        `↔ ${both(P.widePanel)}`,
      ),
    ),
  );
  const tbody = el('tbody');
  if (rows.length === 0) {
    tbody.append(el('tr', null, el('td', { colspan: '6', class: 'muted' }, both(C('noRows')))));
  }
  for (const row of rows) {
    const ackParts = [];
    if (row.acknowledgedBy !== undefined || row.acknowledgedAt !== undefined) {
      ackParts.push(el('div', { class: 'who' }, String(row.acknowledgedBy ?? '')));
      if (row.acknowledgedAt) ackParts.push(el('div', null, timeEl(row.acknowledgedAt)));
      if (row.via) ackParts.push(el('div', null, `via ${both(lab('VIA_TEXT', row.via))}`));
      // Via phone: who called (above) and whom they reached.
      if (row.via === 'phone' && row.reachedContact) {
        const text = tpl('phoneAck', { caller: String(row.acknowledgedBy ?? '?'), contact: contactText(row.reachedContact) });
        ackParts.push(el('div', { class: 'reached', testid: 'status-reached' }, '📞 ', sentence(text)));
      }
    }
    tbody.append(
      el(
        'tr',
        { testid: `status-row-${row.memberId}`, 'data-state': row.state, 'data-delivery-id': row.deliveryId, class: `st-${row.state}` },
        el('th', { scope: 'row', 'data-col': 'member' }, both(row.memberName ?? { ja: row.memberId, en: row.memberId })),
        el('td', { 'data-col': 'state' }, `${STATE_MARK[row.state] ?? ''} ${both(lab('STATE_TEXT', row.state))}`),
        el('td', { 'data-col': 'acknowledged' }, ackParts),
        el('td', { 'data-col': 'failure' }, row.failure ? [el('code', null, String(row.failure)), el('div', { class: 'small' }, sentence(failureExplanation(row.failure)))] : null),
        el('td', { 'data-col': 'ladder' }, ladderCell(row)),
        el('td', { 'data-col': 'phone' }, phoneCell(row)),
      ),
    );
  }
  root.append(
    el(
      'div',
      { class: 'table-wrap' },
      el(
        'table',
        { class: 'status-table', testid: 'status-table' },
        el('caption', { class: 'sr-only' }, `${both(P.statusTitle)}: ${String(view.advisoryId ?? '')}`),
        el(
          'thead',
          null,
          el(
            'tr',
            null,
            [C('member'), P.state, P.acknowledged, P.failure, C('escalation'), C('phoneTask')].map((t) => el('th', { scope: 'col' }, both(t))),
          ),
        ),
        tbody,
      ),
    ),
  );
  return root;
}
