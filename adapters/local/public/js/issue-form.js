/**
 * The secretariat's form for issuing an advisory. Its submit shows the preview (preview-panel.js); only the
 * preview's Send issues. Enter in a one-line field never submits (Enter in the body is a newline).
 */

import { both, C, isBilingual, lab, P, Tx } from './i18n.js';
import { PT } from './preview-panel.js';
import { count } from './format.js';
import { el, sentence } from './dom.js';
import { TLP_LEVELS, tlpLabel } from './render-parts.js';
import { pickList } from './pick-list.js';
import { submitPreview } from './issue-submit.js';

const SEVERITIES = ['level4', 'level3', 'level2', 'level1', 'level0'];
const CATEGORIES = ['vulnerability', 'threat', 'incident', 'outage', 'notice'];
const SOURCES = ['nisc', 'jpcert', 'ipa', 'mhlw', 'police', 'member', 'other'];
const DEFAULT_TLP = 'TLP:AMBER';
const DEFAULT_SEVERITY = 'level2';
const DEFAULT_CATEGORY = 'notice';
const DEFAULT_SOURCE = 'nisc';
const BODY_MAX = 12000;

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

  // No maxLength: the browser would cut a longer paste without a word. The counter shows it over the limit and
  // the server refuses it with the count ("本文は12,000文字以内です（20,000文字入力されています）").
  const title = el('input', { id: 'f-title', name: 'title', type: 'text', testid: 'form-title', required: true, autocomplete: 'off' });
  const body = el('textarea', { id: 'f-body', name: 'body', testid: 'form-body', rows: '6', required: true });
  const bodyCount = el('span', { class: 'char-count', id: 'f-body-count', testid: 'form-body-count' });
  const updateBodyCount = () => {
    bodyCount.textContent = `${count(body.value.length)} / ${count(BODY_MAX)}`;
    bodyCount.classList.toggle('over', body.value.length > BODY_MAX);
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

  const submit = el('button', { type: 'submit', class: 'btn primary', testid: 'form-submit' }, `🔍 ${both(PT('review'))}`);
  const result = el('div', { class: 'form-result', testid: 'form-result', role: 'status', 'aria-live': 'polite' });
  const generalErrors = el('div', { class: 'error-slot', 'data-field': '_general' });
  // The entries and the preview take turns; the entries stay in the page, so Back shows them as they were.
  const preview = el('div', { class: 'preview-slot', hidden: true });

  const fields = el(
    'div',
    { class: 'issue-fields' },
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
  );
  const form = el('form', { class: 'issue-form', testid: 'issue-form', novalidate: true, 'aria-labelledby': 'issue-heading' }, fields, preview, result);

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

  const handle = { form, fields, preview, controls, read, reset, result, submit };
  form.addEventListener('keydown', (ev) => {
    // A browser submits a form on Enter in a one-line field; here only the button does. Not while an IME is
    // composing (Enter then confirms the conversion), and never in the body (a newline).
    if (ev.key !== 'Enter' || ev.isComposing || ev.keyCode === 229) return;
    const t = ev.target;
    if (t && (t.tagName === 'INPUT' || t.tagName === 'SELECT')) ev.preventDefault();
  });
  form.addEventListener('submit', (ev) => submitPreview(ev, handle));
  return handle;
}
