/** The status box: an advisory's deliveries, acknowledgements, escalation and phone tasks. */

import { state } from './state.js';
import { both, C, failureExplanation, lab, P, phoneStateText, PW, tpl, triedOfText, Tx } from './i18n.js';
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
    el('div', { testid: 'status-tried' }, both(triedOfText(t.tried ?? 0, t.contacts))),
    t.overdue ? el('div', { class: 'warn', testid: 'status-overdue' }, both(PW('overdue'))) : null,
    t.exhausted ? el('div', { class: 'warn' }, `⚠️ ${both(C('allTried'))}`) : null,
  ];
}

/** Delivery ids whose thread is open under its row: kept open when the status is drawn again. */
const openThreads = new Set();

const TH = (key) => lab('THREAD_TEXT', key);

/** "返信 2 件（削除 1 件） / 2 replies (1 deleted)", as Slack and Teams say it. */
function repliesText(n, deleted) {
  if (deleted > 0) return n === 1 ? tpl('repliesOneDeleted', { k: count(deleted) }) : tpl('repliesDeleted', { n: count(n), k: count(deleted) });
  return n === 1 ? lab('TEMPLATE_TEXT', 'repliesOne') : tpl('replies', { n: count(n) });
}

/** A member's replies: how many, the latest (who, when, its first line), and the whole thread on demand. */
function repliesCell(row, tr) {
  const r = row.replies;
  if (!r) return [];
  const latest = r.latest;
  return [
    el('div', { testid: `status-replies-${row.memberId}` }, `💬 ${both(repliesText(r.count ?? 0, r.deleted ?? 0))}`),
    latest
      ? el(
          'div',
          { class: 'small latest-reply', testid: `status-latest-reply-${row.memberId}` },
          el('span', { class: 'who' }, String(latest.by ?? '')),
          ' ',
          timeEl(latest.at),
          latest.edited ? ` (${both(TH('edited'))})` : '',
          el('div', { class: 'reply-line' }, String(latest.firstLine ?? '')),
        )
      : null,
    el(
      'button',
      {
        type: 'button',
        class: 'btn small',
        testid: `status-thread-${row.memberId}`,
        'aria-expanded': openThreads.has(row.deliveryId) ? 'true' : 'false',
        on: { click: (ev) => toggleThread(row, tr, ev.currentTarget) },
      },
      `💬 ${both(TH('readThread'))}`,
    ),
  ];
}

function toggleThread(row, tr, button) {
  const next = tr.nextElementSibling;
  if (next?.classList.contains('thread-row')) {
    next.remove();
    openThreads.delete(row.deliveryId);
    button.setAttribute('aria-expanded', 'false');
    return;
  }
  openThreads.add(row.deliveryId);
  button.setAttribute('aria-expanded', 'true');
  showThread(row, tr);
}

/** The member's whole thread in a row under theirs (secretariat only: the server decides). */
async function showThread(row, tr) {
  const cell = el('td', { colspan: '7' }, el('p', { class: 'muted' }, both(P.loading)));
  const threadRow = el('tr', { class: 'thread-row', testid: `status-thread-row-${row.memberId}` }, cell);
  tr.after(threadRow);
  try {
    const view = await api(`/local/api/deliveries/${encodeURIComponent(row.deliveryId)}/thread`);
    cell.replaceChildren(renderThreadView(view ?? {}));
  } catch (err) {
    cell.replaceChildren(errorBox(err, 'status-error'));
  }
}

function renderThreadView(view) {
  const messages = Array.isArray(view.messages) ? view.messages : [];
  if (messages.length === 0) return el('p', { class: 'muted' }, sentence(TH('noReplies')));
  return el(
    'ol',
    { class: 'thread-view', testid: 'thread-view' },
    messages.map((m) => {
      const marks = [
        m.edited ? el('span', { class: 'mark' }, `✏️ ${both(TH('edited'))} `, timeEl(m.edited.at)) : null,
        m.deleted ? el('span', { class: 'mark warn' }, `🗑️ ${both(TH('deleted'))} `, timeEl(m.deleted.at)) : null,
        m.missedOriginal ? el('span', { class: 'mark' }, `⚠️ ${both(TH('missedOriginal'))}`) : null,
      ];
      const earlier = (m.edited?.earlier ?? []).filter((x) => x.text !== '');
      return el(
        'li',
        { class: `thread-message${m.deleted ? ' deleted' : ''}`, testid: `thread-message-${m.messageId}`, 'data-deleted': m.deleted ? 'true' : 'false' },
        el('div', { class: 'msg-meta' }, el('span', { class: 'who' }, String(m.by ?? '')), ' ', timeEl(m.at), ' ', marks),
        el('div', { class: 'reply-text' }, String(m.text ?? '')),
        earlier.length > 0
          ? el(
              'details',
              { class: 'earlier' },
              el('summary', null, both(TH('before'))),
              earlier.map((x) => el('div', { class: 'small' }, timeEl(x.at), ' ', el('span', { class: 'reply-text' }, String(x.text)))),
            )
          : null,
      );
    }),
  );
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
  // A follow-up asks for acknowledgement now: the counts, the rows and the deadline above are its round's.
  if (view.round) {
    const round = tpl('round', { n: view.round.n, followup: view.round.followup, since: formatTokyo(view.round.since) });
    root.append(el('p', { class: 'round-line', testid: 'status-round' }, '📣 ', el('strong', null, sentence(round))));
  }
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
    tbody.append(el('tr', null, el('td', { colspan: '7', class: 'muted' }, both(C('noRows')))));
  }
  const reopen = [];
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
    const tr = el(
      'tr',
      { testid: `status-row-${row.memberId}`, 'data-state': row.state, 'data-delivery-id': row.deliveryId, class: `st-${row.state}` },
      el('th', { scope: 'row', 'data-col': 'member' }, both(row.memberName ?? { ja: row.memberId, en: row.memberId })),
      el('td', { 'data-col': 'state' }, `${STATE_MARK[row.state] ?? ''} ${both(lab('STATE_TEXT', row.state))}`),
      el('td', { 'data-col': 'acknowledged' }, ackParts),
      el('td', { 'data-col': 'failure' }, row.failure ? [el('code', null, String(row.failure)), el('div', { class: 'small' }, sentence(failureExplanation(row.failure)))] : null),
      el('td', { 'data-col': 'ladder' }, ladderCell(row)),
      el('td', { 'data-col': 'phone' }, phoneCell(row)),
    );
    tr.append(el('td', { 'data-col': 'replies' }, repliesCell(row, tr)));
    tbody.append(tr);
    if (row.replies && openThreads.has(row.deliveryId)) reopen.push([row, tr]);
  }
  // Threads that were open stay open when the status is drawn again (a new reply refreshes it).
  for (const [row, tr] of reopen) showThread(row, tr);
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
            [C('member'), P.state, P.acknowledged, P.failure, C('escalation'), C('phoneTask'), TH('thread')].map((t) => el('th', { scope: 'col' }, both(t))),
          ),
        ),
        tbody,
      ),
    ),
  );
  return root;
}
