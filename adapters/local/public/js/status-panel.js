/** The status box: an advisory's deliveries, acknowledgements, escalation and phone tasks. */

import { state } from './state.js';
import { both, C, failureExplanation, lab, P, phoneStateText, PW, tpl, triedOfText, Tx } from './i18n.js';
import { count, formatTokyo } from './format.js';
import { debounce, el, sentence, timeEl } from './dom.js';
import { api, errorBox } from './api.js';
import { tlpLabel } from './render-parts.js';
import { contactText } from './render-phone-task.js';
import { reachSection } from './reach-panel.js';

const DELIVERY_STATES = ['acknowledged', 'posted', 'queued', 'failed', 'cancelled'];
const STATE_MARK = { queued: '🕒', posted: '⏳', acknowledged: '✅', failed: '⚠️', cancelled: '⛔' };

/** The status's own stylesheet (status-view.css), added once with the panel. */
function ensureStyles() {
  if (document.querySelector('link[data-status-view]')) return;
  document.head.append(el('link', { rel: 'stylesheet', href: '/local/static/status-view.css', 'data-status-view': '' }));
}

const SV = (key) => lab('STATUS_VIEW', key);
const STATE_FILTERS = ['silent', 'failed', 'phone', 'acknowledged'];
const PLATFORMS = ['slack', 'teams', 'local'];

export function statusSection() {
  ensureStyles();
  const input = el('input', { id: 'status-id', type: 'text', testid: 'status-id', placeholder: 'ADV-2026-0001', autocomplete: 'off', spellcheck: 'false' });
  const out = el('div', { class: 'status-out', id: 'status-out', testid: 'status-out' });
  const list = el('div', { class: 'advisory-list', id: 'advisory-list', testid: 'advisory-list' }, el('p', { class: 'muted' }, both(P.loading)));
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
  const section = el(
    'section',
    { class: 'panel status-box', 'aria-labelledby': 'status-heading' },
    el('h3', { id: 'status-heading' }, `📊 ${both(P.statusTitle)}`),
    el('h4', { class: 'advisory-list-title' }, both(SV('advisories'))),
    list,
    form,
    out,
  );
  loadAdvisoryList(list);
  return section;
}

/** The latest advisories, newest first, each with its progress; a click opens its status. */
async function loadAdvisoryList(box) {
  const gen = state.gen;
  let items;
  try {
    items = await api('/local/api/advisories');
  } catch (err) {
    if (gen !== state.gen) return;
    box.replaceChildren(errorBox(err, 'advisory-list-error'));
    return;
  }
  if (gen !== state.gen) return;
  box.replaceChildren(renderAdvisoryList(Array.isArray(items) ? items : []));
}

function renderAdvisoryList(items) {
  if (items.length === 0) return el('p', { class: 'muted' }, sentence(SV('noAdvisories')));
  return el(
    'ol',
    { class: 'adv-list' },
    items.map((a) => {
      const c = a.counts ?? {};
      const total = Number(c.total ?? 0);
      const pct = (k) => (total > 0 ? `${(100 * Number(c[k] ?? 0)) / total}%` : '0%');
      const mark = a.withdrawn ? ` · ${both(SV('withdrawn'))}` : a.state === 'closed' ? ` · ${both(SV('closed'))}` : '';
      return el(
        'li',
        null,
        el(
          'button',
          {
            type: 'button',
            class: 'adv-item',
            testid: `advisory-item-${a.advisoryId}`,
            'data-advisory-id': String(a.advisoryId ?? ''),
            'aria-current': state.status?.advisoryId === a.advisoryId ? 'true' : null,
            on: { click: () => showStatus(String(a.advisoryId)) },
          },
          el('span', { class: 'adv-item-head' }, tlpLabel(a.tlp), ' ', el('code', null, String(a.advisoryId ?? '')), a.drill ? el('span', { class: 'drill-tag' }, both(Tx('drillTag'))) : null),
          el('span', { class: 'adv-item-title' }, String(a.title ?? '')),
          el(
            'span',
            { class: 'adv-progress', 'aria-hidden': 'true' },
            el('span', { class: 'seg seg-acknowledged', style: `width:${pct('acknowledged')}` }),
            el('span', { class: 'seg seg-failed', style: `width:${pct('failed')}` }),
          ),
          el('span', { class: 'adv-item-meta small muted', testid: `advisory-progress-${a.advisoryId}` }, `${both(tpl('statusProgress', { k: count(c.acknowledged ?? 0), n: count(total) }))} · ${formatTokyo(a.issuedAt)}${mark}`),
        ),
      );
    }),
  );
}

export const scheduleAdvisoryListRefresh = debounce(() => {
  const box = document.getElementById('advisory-list');
  if (box && box.isConnected) loadAdvisoryList(box);
}, 600);

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

/** An advisory's status from its first page with no filter (the filters and page are kept while it stays open). */
async function showStatus(advisoryId, container) {
  const input = document.getElementById('status-id');
  const target = container ?? document.getElementById('status-out');
  if (!target) return;
  if (!container && input) input.value = advisoryId;
  // Only one status view on the page at a time, so its test ids stay unique.
  for (const old of document.querySelectorAll('.status-view, .status-loading, .status-error')) old.remove();
  state.status = { advisoryId, container: target, query: {} };
  for (const b of document.querySelectorAll('.adv-item')) b.toggleAttribute('aria-current', b.getAttribute('data-advisory-id') === advisoryId);
  const loading = el('p', { class: 'muted status-loading' }, both(P.loading));
  target.append(loading);
  await loadStatusInto(advisoryId, target);
}

/** The open status with some of its filters changed: back to the first page unless a page is asked for. */
function setQuery(patch) {
  const s = state.status;
  if (!s) return;
  s.query = { ...s.query, offset: 0, ...patch };
  for (const k of Object.keys(s.query)) if (s.query[k] === undefined || s.query[k] === '' || s.query[k] === 0) delete s.query[k];
  loadStatusInto(s.advisoryId, s.container);
}

function statusPath(advisoryId, query) {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== '') params.set(k, String(v));
  const qs = params.toString();
  return `/local/api/advisories/${encodeURIComponent(advisoryId)}/status${qs === '' ? '' : `?${qs}`}`;
}

async function loadStatusInto(advisoryId, target) {
  const gen = state.gen;
  const query = { ...(state.status?.query ?? {}) };
  const asked = JSON.stringify(query);
  let view;
  try {
    view = await api(statusPath(advisoryId, query));
  } catch (err) {
    if (gen !== state.gen || state.status?.advisoryId !== advisoryId || JSON.stringify(state.status?.query ?? {}) !== asked) return;
    for (const old of target.querySelectorAll('.status-view, .status-loading, .status-error')) old.remove();
    const box = errorBox(err, 'status-error');
    box.classList.add('status-error');
    target.append(box);
    return;
  }
  // An answer to filters or a page no longer asked for is dropped (the newer request draws).
  if (gen !== state.gen || state.status?.advisoryId !== advisoryId || JSON.stringify(state.status?.query ?? {}) !== asked) return;
  for (const old of document.querySelectorAll('.status-view, .status-loading, .status-error')) old.remove();
  target.append(renderStatus(view ?? {}));
  // The server answers with the canonical id ("adv-2026-42" → "ADV-2026-0042"): events match on that.
  if (typeof view?.advisoryId === 'string') state.status = { advisoryId: view.advisoryId, container: target, query };
}

export const scheduleStatusRefresh = debounce(() => {
  scheduleAdvisoryListRefresh();
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
  const cell = el('td', { colspan: '4' }, el('p', { class: 'muted' }, both(P.loading)));
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
  // The counts of everyone, whatever the filter: each a unit that wraps whole, never in the middle of a word.
  const countCells = [['total', C('total'), c.total], ...DELIVERY_STATES.map((s) => [s, lab('STATE_TEXT', s), c[s]])];
  root.append(
    el(
      'dl',
      { class: 'counts', testid: 'status-counts' },
      countCells.map(([k, label, n]) =>
        el(
          'div',
          { class: 'count', 'data-col': k },
          el('dt', null, k === 'total' ? null : `${STATE_MARK[k]} `, sentence(label)),
          el('dd', { testid: `status-count-${k}` }, count(n ?? 0)),
        ),
      ),
    ),
    el(
      'div',
      { class: 'status-actions' },
      el('button', { type: 'button', class: 'btn small', testid: 'status-refresh', on: { click: () => scheduleStatusRefresh() } }, `↻ ${both(P.refresh)}`),
      csvButton(String(view.advisoryId ?? '')),
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
    // The reach report (疎通確認率): rates, times and the chart.
    reachSection(String(view.advisoryId ?? '')),
    filters(view),
  );
  const pager = pagerOf(view, rows.length);
  root.append(pager);
  const tbody = el('tbody');
  if (rows.length === 0) {
    const none = view.page && (view.counts?.total ?? 0) > 0 ? SV('noMatch') : C('noRows');
    tbody.append(el('tr', null, el('td', { colspan: '4', class: 'muted' }, both(none))));
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
    // One column for where the member is: the state, why it failed, the ladder, the phone task.
    const stateParts = [
      el('div', { class: 'state-name' }, `${STATE_MARK[row.state] ?? ''} ${both(lab('STATE_TEXT', row.state))}`),
      row.platform ? el('div', { class: 'small muted' }, both(lab('PLATFORM_TEXT', row.platform))) : null,
      row.failure ? [el('code', { class: 'failure-code' }, String(row.failure)), el('div', { class: 'small' }, sentence(failureExplanation(row.failure)))] : null,
      ladderCell(row),
      phoneCell(row),
    ];
    const tr = el(
      'tr',
      { testid: `status-row-${row.memberId}`, 'data-state': row.state, 'data-delivery-id': row.deliveryId, class: `st-${row.state}` },
      el('th', { scope: 'row', 'data-col': 'member' }, sentence(row.memberName ?? { ja: row.memberId, en: row.memberId })),
      el('td', { 'data-col': 'state' }, stateParts),
      el('td', { 'data-col': 'acknowledged' }, ackParts),
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
      { class: 'table-wrap status-wrap', testid: 'status-table-wrap' },
      el(
        'table',
        { class: 'status-table', testid: 'status-table' },
        el('caption', { class: 'sr-only' }, `${both(P.statusTitle)}: ${String(view.advisoryId ?? '')}`),
        el('colgroup', null, ['member', 'state', 'acknowledged', 'replies'].map((k) => el('col', { class: `col-${k}` }))),
        el(
          'thead',
          null,
          el(
            'tr',
            null,
            [
              ['member', C('member')],
              ['state', P.state],
              ['acknowledged', P.acknowledged],
              ['replies', TH('thread')],
            ].map(([k, t]) => el('th', { scope: 'col', 'data-col': k }, sentence(t))),
          ),
        ),
        tbody,
      ),
    ),
  );
  return root;
}

/** State chips (すべて and the four), a group and a platform: each change asks the server for its first page. */
function filters(view) {
  const q = view.page?.query ?? {};
  const chip = (key, label) =>
    el(
      'button',
      {
        type: 'button',
        class: 'chip',
        testid: `status-filter-${key}`,
        'aria-pressed': (q.state ?? 'all') === key ? 'true' : 'false',
        on: { click: () => setQuery({ state: key === 'all' ? undefined : key }) },
      },
      both(label),
    );
  const groups = Array.isArray(view.groups) ? view.groups : [];
  const select = (name, label, allLabel, options, value) =>
    el(
      'label',
      { class: 'filter-select' },
      el('span', { class: 'sr-only' }, both(label)),
      el(
        'select',
        { testid: `status-filter-${name}`, 'aria-label': both(label), on: { change: (ev) => setQuery({ [name]: ev.currentTarget.value || undefined }) } },
        el('option', { value: '' }, both(allLabel)),
        options.map(([v, t]) => el('option', { value: v, selected: v === value }, both(t))),
      ),
    );
  return el(
    'div',
    { class: 'status-filters', testid: 'status-filters' },
    el('div', { class: 'chips', role: 'group', 'aria-label': both(SV('filterState')) }, chip('all', SV('all')), STATE_FILTERS.map((k) => chip(k, lab('STATUS_FILTER_TEXT', k)))),
    groups.length > 0 ? select('group', SV('filterGroup'), SV('allGroups'), groups.map((g) => [String(g.id), g.name]), q.group) : null,
    select('platform', SV('filterPlatform'), SV('allPlatforms'), PLATFORMS.map((p) => [p, lab('PLATFORM_TEXT', p)]), q.platform),
  );
}

/** 前へ / 次へ and "1–100 / 1,800件": the rows of this page among all that match. */
function pagerOf(view, shown) {
  const page = view.page ?? { offset: 0, limit: shown, matching: shown };
  const offset = Number(page.offset ?? 0);
  const limit = Number(page.limit ?? 100);
  const matching = Number(page.matching ?? shown);
  const range = matching === 0 ? SV('noMatch') : tpl('statusRange', { from: count(offset + 1), to: count(offset + shown), total: count(matching) });
  return el(
    'div',
    { class: 'pager', testid: 'status-pager' },
    el('button', { type: 'button', class: 'btn small', testid: 'status-prev', disabled: offset <= 0, on: { click: () => setQuery({ ...page.query, offset: Math.max(0, offset - limit) }) } }, `◀ ${both(SV('previous'))}`),
    el('span', { class: 'range', testid: 'status-range', role: 'status' }, both(range)),
    el('button', { type: 'button', class: 'btn small', testid: 'status-next', disabled: offset + shown >= matching, on: { click: () => setQuery({ ...page.query, offset: offset + limit }) } }, `${both(SV('next'))} ▶`),
  );
}

/** Everyone's rows as CSV: a short-lived export link made by the core (the same as /advisory export). */
function csvButton(advisoryId) {
  const out = el('span', { class: 'csv-out' });
  const button = el(
    'button',
    {
      type: 'button',
      class: 'btn small',
      testid: 'status-csv',
      on: {
        click: async () => {
          out.replaceChildren();
          try {
            const link = await api(`/local/api/advisories/${encodeURIComponent(advisoryId)}/export`, { method: 'POST', body: { format: 'csv' } });
            const a = el('a', { href: String(link.path), download: `${advisoryId}.csv`, testid: 'status-csv-link' }, `⬇️ ${advisoryId}.csv`);
            out.append(a);
            a.click();
          } catch (err) {
            out.append(errorBox(err, 'status-csv-error'));
          }
        },
      },
    },
    `⬇️ ${both(SV('csv'))}`,
  );
  return el('span', { class: 'csv' }, button, out);
}
