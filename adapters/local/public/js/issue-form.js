/** The secretariat's form for issuing an advisory, and its submission. */

import { state } from './state.js';
import { both, C, isBilingual, lab, P, Tx } from './i18n.js';
import { count } from './format.js';
import { el, fill, sentence } from './dom.js';
import { api, ApiError, errorText } from './api.js';
import { TLP_LEVELS, tlpLabel } from './render-parts.js';
import { pickList } from './pick-list.js';
import { clearFieldErrors, showFieldErrors } from './issue-form-errors.js';
import { viewStatusFrom } from './status-panel.js';

const SEVERITIES = ['level4', 'level3', 'level2', 'level1', 'level0'];
const CATEGORIES = ['vulnerability', 'threat', 'incident', 'outage', 'notice'];
const SOURCES = ['nisc', 'jpcert', 'ipa', 'mhlw', 'police', 'member', 'other'];
const DEFAULT_TLP = 'TLP:AMBER';
const DEFAULT_SEVERITY = 'level2';
const DEFAULT_CATEGORY = 'notice';
const DEFAULT_SOURCE = 'nisc';
const TITLE_MAX = 150;
const BODY_MAX = 12000;

/** A v4 UUID; crypto.randomUUID exists only in secure contexts, so fall back to getRandomValues. */
function newUuid() {
  if (typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = new Uint8Array(16);
  crypto.getRandomValues(b);
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function field(labelText, control, id, fieldName, hint) {
  return el(
    'div',
    { class: `form-row row-${fieldName}` },
    el('label', { for: id }, both(labelText)),
    control,
    hint ?? null,
    el('div', { class: 'error-slot', 'data-field': fieldName }),
  );
}

function selectEl(id, testid, options, { placeholder, value } = {}) {
  const s = el('select', { id, name: id, testid, required: true });
  if (placeholder) s.append(el('option', { value: '' }, both(placeholder)));
  for (const [v, text] of options) s.append(el('option', { value: v }, text));
  s.value = value ?? (placeholder ? '' : options[0]?.[0] ?? '');
  return s;
}

/** The form's words that depend on its options (durations, levels), from GET /local/api/form (LocalFormOptions). */
function formText(opts) {
  const text = opts.text && typeof opts.text === 'object' ? opts.text : {};
  const of = (table, key) => {
    const t = text[table] && typeof text[table] === 'object' ? text[table] : {};
    return Object.hasOwn(t, key) && isBilingual(t[key]) ? t[key] : null;
  };
  return {
    deadlineChoices: (Array.isArray(text.deadlineChoices) ? text.deadlineChoices : []).filter((c) => Number.isInteger(c?.minutes) && isBilingual(c.text)),
    defaultDeadline: (severity) => of('defaultDeadline', severity),
    severityDefault: (severity) => of('severityDefault', severity),
    noEscalate: isBilingual(text.noEscalate) ? text.noEscalate : null,
  };
}

export function buildIssueForm(opts) {
  const text = formText(opts);
  const optional = Array.isArray(opts.escalationOptional) ? opts.escalationOptional : [];
  const groups = Array.isArray(opts.groups) ? opts.groups : [];
  const orgs = Array.isArray(opts.organisations) ? opts.organisations : [];

  const title = el('input', { id: 'f-title', name: 'title', type: 'text', testid: 'form-title', maxLength: TITLE_MAX, required: true, autocomplete: 'off' });
  const body = el('textarea', { id: 'f-body', name: 'body', testid: 'form-body', rows: '6', maxLength: BODY_MAX, required: true });
  const bodyCount = el('span', { class: 'char-count', id: 'f-body-count' });
  const updateBodyCount = () => {
    bodyCount.textContent = `${count(body.value.length)} / ${count(BODY_MAX)}`;
  };
  body.addEventListener('input', updateBodyCount);
  updateBodyCount();

  const tlp = selectEl('f-tlp', 'form-tlp', TLP_LEVELS.map((l) => [l, `${l} — ${both(lab('TLP_TEXT', l))}`]), { value: DEFAULT_TLP });
  const tlpPreview = el('div', { class: 'tlp-preview', 'aria-hidden': 'true' });
  const tlpNote = el('p', { class: 'hint', id: 'f-tlp-note' });
  const updateTlp = () => {
    tlpPreview.replaceChildren(tlpLabel(tlp.value), ' ', both(lab('TLP_TEXT', tlp.value)));
    tlpNote.replaceChildren(tlp.value === 'TLP:RED' ? sentence(P.tlpRedNote) : '');
  };
  tlp.addEventListener('change', updateTlp);
  updateTlp();

  const severity = selectEl(
    'f-severity',
    'form-severity',
    SEVERITIES.map((s) => {
      const note = text.severityDefault(s);
      return [s, `${both(lab('SEVERITY_TEXT', s))}${note ? ` (${both(note)})` : ''}`];
    }),
    { value: DEFAULT_SEVERITY },
  );
  // Defaults like the TLP and severity ones: most of what a CEPTOAR secretariat relays is a NISC 注意喚起.
  const category = selectEl('f-category', 'form-category', CATEGORIES.map((c) => [c, both(lab('CATEGORY_TEXT', c))]), { value: DEFAULT_CATEGORY });
  const source = selectEl('f-source', 'form-source', SOURCES.map((s) => [s, both(lab('SOURCE_TEXT', s))]), { value: DEFAULT_SOURCE });

  const allMembers = el('input', { type: 'checkbox', id: 'f-all-members', testid: 'form-all-members' });
  const observers = el('input', { type: 'checkbox', id: 'f-observers', testid: 'form-observers' });
  const groupPick = groups.length > 0 ? pickList({ legend: C('groups'), items: groups, testidPrefix: 'form-group-', field: 'groups', filter: true }) : null;
  const orgPick = orgs.length > 0 ? pickList({ legend: C('organisations'), items: orgs, testidPrefix: 'form-member-', field: 'members', filter: true }) : null;

  const deadline = el('select', { id: 'f-deadline', name: 'ackDeadlineMinutes', testid: 'form-deadline' });
  const defaultOption = el('option', { value: '' });
  deadline.append(defaultOption, ...text.deadlineChoices.map((c) => el('option', { value: String(c.minutes) }, both(c.text))));
  const drill = el('input', { type: 'checkbox', id: 'f-drill', testid: 'form-drill' });
  const noEscalate = el('input', { type: 'checkbox', id: 'f-no-escalate', testid: 'form-no-escalate' });
  const escalateRow = el(
    'div',
    { class: 'form-row row-escalate' },
    el('span', { class: 'row-label' }, both(C('escalation'))),
    el('label', { class: 'inline' }, noEscalate, ` ${both(text.noEscalate)}`),
    el('p', { class: 'hint' }, sentence(C('escalationHint'))),
    el('div', { class: 'error-slot', 'data-field': 'escalate' }),
  );
  const updateSeverity = () => {
    const dt = text.defaultDeadline(severity.value);
    defaultOption.textContent = dt ? `${C('severityDefault').ja}（${dt.ja}） / ${C('severityDefault').en} (${dt.en})` : both(C('severityDefault'));
    const canSkip = optional.includes(severity.value);
    escalateRow.hidden = !canSkip;
    if (!canSkip) noEscalate.checked = false;
  };
  severity.addEventListener('change', updateSeverity);
  updateSeverity();

  const submit = el('button', { type: 'submit', class: 'btn primary', testid: 'form-submit' }, `📣 ${both(C('modalSubmit'))}`);
  const result = el('div', { class: 'form-result', testid: 'form-result', role: 'status', 'aria-live': 'polite' });
  const generalErrors = el('div', { class: 'error-slot', 'data-field': '_general' });

  const form = el(
    'form',
    { class: 'issue-form', testid: 'issue-form', novalidate: true, 'aria-labelledby': 'issue-heading' },
    field(C('title'), title, 'f-title', 'title'),
    field(C('body'), body, 'f-body', 'body', bodyCount),
    el('div', { class: 'grid2' }, field(C('tlp'), tlp, 'f-tlp', 'tlp', [tlpPreview, tlpNote]), field(Tx('severity'), severity, 'f-severity', 'severity')),
    el('div', { class: 'grid2' }, field(Tx('category'), category, 'f-category', 'category'), field(Tx('source'), source, 'f-source', 'source')),
    el(
      'fieldset',
      { class: 'targets' },
      el('legend', null, both(C('targets'))),
      el('p', { class: 'hint' }, sentence(C('targetsHint'))),
      el(
        'div',
        { class: 'target-flags' },
        el('label', { class: 'inline' }, allMembers, ` ${both(C('allMembers'))}`),
        el('label', { class: 'inline' }, observers, ` ${both(C('observers'))}`),
      ),
      el('div', { class: 'error-slot', 'data-field': 'targets' }),
      groupPick?.fieldset,
      orgPick?.fieldset,
    ),
    el(
      'div',
      { class: 'grid2' },
      field(Tx('ackDeadline'), deadline, 'f-deadline', 'ackDeadlineMinutes'),
      el(
        'div',
        { class: 'form-row row-drill' },
        el('span', { class: 'row-label' }, both(C('drill'))),
        el('label', { class: 'inline' }, drill, ` ${both(C('drillOption'))}`),
        el('div', { class: 'error-slot', 'data-field': 'drill' }),
      ),
    ),
    escalateRow,
    generalErrors,
    el('div', { class: 'form-actions' }, submit),
    result,
  );

  const controls = {
    title,
    body,
    tlp,
    severity,
    category,
    source,
    targets: allMembers,
    groups: groupPick,
    members: orgPick,
    ackDeadlineMinutes: deadline,
    drill,
    escalate: noEscalate,
  };

  const read = () => {
    const input = {
      title: title.value,
      body: body.value,
      source: source.value || undefined,
      tlp: tlp.value || undefined,
      severity: severity.value || undefined,
      category: category.value || undefined,
      drill: drill.checked,
      targets: {
        allMembers: allMembers.checked,
        observers: observers.checked,
        groups: groupPick ? groupPick.values() : [],
        members: orgPick ? orgPick.values() : [],
      },
      escalate: !(noEscalate.checked && !escalateRow.hidden),
    };
    if (deadline.value !== '') input.ackDeadlineMinutes = Number(deadline.value);
    return input;
  };

  const reset = () => {
    title.value = '';
    body.value = '';
    updateBodyCount();
    tlp.value = DEFAULT_TLP;
    updateTlp();
    severity.value = DEFAULT_SEVERITY;
    category.value = DEFAULT_CATEGORY;
    source.value = DEFAULT_SOURCE;
    allMembers.checked = false;
    observers.checked = false;
    groupPick?.reset();
    orgPick?.reset();
    deadline.value = '';
    drill.checked = false;
    noEscalate.checked = false;
    updateSeverity();
  };

  const handle = { form, controls, read, reset, result, submit };
  form.addEventListener('submit', (ev) => submitIssue(ev, handle));
  return handle;
}

async function submitIssue(ev, f) {
  ev.preventDefault();
  if (f.submit.disabled) return;
  const input = f.read();
  const json = JSON.stringify(input);
  // A fresh key per submission; the same key again only when the last attempt got no answer and nothing changed,
  // so a retry after a lost response cannot issue the advisory twice.
  const requestKey = state.pendingIssue && state.pendingIssue.json === json ? state.pendingIssue.key : newUuid();
  const gen = state.gen;
  clearFieldErrors(f);
  f.result.className = 'form-result';
  f.result.setAttribute('data-state', 'pending');
  f.result.textContent = both(P.sending);
  f.submit.disabled = true;
  try {
    const res = await api('/local/api/advisories', { method: 'POST', body: { requestKey, input } });
    if (gen !== state.gen) return;
    state.pendingIssue = null;
    f.reset();
    const n = Array.isArray(res?.deliveries) ? res.deliveries.length : typeof res?.deliveries === 'number' ? res.deliveries : null;
    const id = String(res?.advisoryId ?? '');
    f.result.className = 'form-result ok';
    f.result.setAttribute('data-state', 'ok');
    f.result.setAttribute('data-advisory-id', id);
    fill(
      f.result,
      '✅ ',
      el('strong', null, both(P.issuedOk)),
      ': ',
      el('code', { class: 'adv-id', testid: 'form-result-id' }, id),
      n !== null ? ` · ${both(C('deliveries'))}: ${count(n)}` : '',
      ' ',
      el('button', { type: 'button', class: 'btn small', testid: 'form-result-status', on: { click: () => viewStatusFrom(id, null) } }, `📊 ${both(P.viewStatus)}`),
      res?.created === false ? el('p', { class: 'small', testid: 'form-result-repeat' }, sentence(P.alreadyIssued)) : null,
      res?.queued === false ? el('p', { class: 'warn small', testid: 'form-result-queue-pending' }, sentence(C('issuedQueuePending'))) : null,
      Array.isArray(res?.withoutChannel) && res.withoutChannel.length > 0
        ? el(
            'p',
            { class: 'warn small', testid: 'form-result-without-channel' },
            `⚠️ ${both(P.withoutChannel)}: `,
            res.withoutChannel.map((o) => both(o?.name ?? { ja: String(o?.id ?? ''), en: String(o?.id ?? '') })).join(', '),
          )
        : null,
    );
  } catch (err) {
    if (gen !== state.gen) return;
    const unanswered = err instanceof ApiError && (err.status === 0 || err.status >= 500);
    state.pendingIssue = unanswered ? { key: requestKey, json } : null;
    f.result.className = 'form-result error';
    f.result.setAttribute('data-state', 'error');
    f.result.replaceChildren('⚠️ ', sentence(errorText(err)));
    if (err instanceof ApiError && err.fields && Object.keys(err.fields).length > 0) {
      f.result.append(' ', sentence(P.formInvalid));
      showFieldErrors(f, err.fields);
    }
  } finally {
    f.submit.disabled = false;
  }
}
