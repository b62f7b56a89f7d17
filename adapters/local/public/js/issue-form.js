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
import { loadDrillTemplate, submitPreview } from './issue-submit.js';

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
    drill: (key) => {
      const d = text.drill && typeof text.drill === 'object' ? text.drill : {};
      return Object.hasOwn(d, key) && isBilingual(d[key]) ? d[key] : { ja: key, en: key };
    },
  };
}

/** "2026-03-10T10:00" (a datetime-local input, read as Japan time) → an instant the core takes; '' → undefined. */
export function tokyoLocalToInstant(value) {
  const v = String(value ?? '').trim();
  if (v === '') return undefined;
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(v) ? `${v}:00+09:00` : v;
}

/** An instant → the datetime-local value in Japan time ("2026-03-10T10:00"); '' when it is not one. */
export function instantToTokyoLocal(iso) {
  const ms = Date.parse(String(iso ?? ''));
  if (!Number.isFinite(ms)) return '';
  return new Date(ms + 9 * 3600 * 1000).toISOString().slice(0, 16);
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
  // The drill's announcement: shown while 訓練 is ticked. Announce now with a window (Japan time), or not at all.
  const unannounced = el('input', { type: 'radio', name: 'drillAnnounce', value: 'unannounced', id: 'f-drill-unannounced', testid: 'form-drill-unannounced', checked: true });
  const announce = el('input', { type: 'radio', name: 'drillAnnounce', value: 'announce', id: 'f-drill-announce', testid: 'form-drill-announce' });
  const drillFrom = el('input', { type: 'datetime-local', id: 'f-drill-from', name: 'drillFrom', testid: 'form-drill-from' });
  const drillTo = el('input', { type: 'datetime-local', id: 'f-drill-to', name: 'drillTo', testid: 'form-drill-to' });
  const windowRows = el(
    'div',
    { class: 'grid2 drill-window' },
    field(text.drill('windowFrom'), drillFrom, 'f-drill-from', 'drillFrom'),
    field(text.drill('windowTo'), drillTo, 'f-drill-to', 'drillTo'),
  );
  const planRow = el(
    'fieldset',
    { class: 'drill-plan', testid: 'form-drill-plan', hidden: true },
    el('legend', null, both(text.drill('plan'))),
    el('label', { class: 'inline' }, unannounced, ` ${both(text.drill('unannounced'))}`),
    el('label', { class: 'inline' }, announce, ` ${both(text.drill('announce'))}`),
    el('p', { class: 'hint' }, sentence(text.drill('planHint'))),
    el('div', { class: 'error-slot', 'data-field': 'drillAnnounce' }),
    windowRows,
  );
  const updateDrill = () => {
    planRow.hidden = !drill.checked;
    windowRows.hidden = !announce.checked;
  };
  drill.addEventListener('change', updateDrill);
  unannounced.addEventListener('change', updateDrill);
  announce.addEventListener('change', updateDrill);
  updateDrill();

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
  // Fills the form from the drill template (GET /local/api/form/drill); the drill then goes through Review and Send.
  const templateButton = el('button', { type: 'button', class: 'btn small', testid: 'form-drill-template', title: both(text.drill('templateHint')) }, `🚧 ${both(text.drill('template'))}`);
  const templateNote = el('p', { class: 'hint drill-intro', testid: 'form-drill-intro', hidden: true }, sentence(text.drill('formIntro')));
  const result = el('div', { class: 'form-result', testid: 'form-result', role: 'status', 'aria-live': 'polite' });
  const generalErrors = el('div', { class: 'error-slot', 'data-field': '_general' });
  // The entries and the preview take turns; the entries stay in the page, so Back shows them as they were.
  const preview = el('div', { class: 'preview-slot', hidden: true });

  const fields = el(
    'div',
    { class: 'issue-fields' },
    el('div', { class: 'form-tools' }, templateButton, el('div', { class: 'error-slot', 'data-field': '_template' })),
    templateNote,
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
    planRow,
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
    drillAnnounce: announce,
    drillFrom,
    drillTo,
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
    if (drill.checked) input.drillPlan = { announce: announce.checked, from: tokyoLocalToInstant(drillFrom.value), to: tokyoLocalToInstant(drillTo.value) };
    return input;
  };

  /** The entries of an AdvisoryInput (the drill template's), into the inputs. */
  const fill = (input) => {
    const v = input && typeof input === 'object' ? input : {};
    title.value = String(v.title ?? '');
    body.value = String(v.body ?? '');
    updateBodyCount();
    if (v.tlp) tlp.value = v.tlp;
    updateTlp();
    if (v.severity) severity.value = v.severity;
    if (v.category) category.value = v.category;
    if (v.source) source.value = v.source;
    const t = v.targets && typeof v.targets === 'object' ? v.targets : {};
    allMembers.checked = t.allMembers === true;
    observers.checked = t.observers === true;
    groupPick?.set(Array.isArray(t.groups) ? t.groups : []);
    orgPick?.set(Array.isArray(t.members) ? t.members : []);
    deadline.value = Number.isInteger(v.ackDeadlineMinutes) && text.deadlineChoices.some((c) => c.minutes === v.ackDeadlineMinutes) ? String(v.ackDeadlineMinutes) : '';
    drill.checked = v.drill === true;
    const plan = v.drillPlan && typeof v.drillPlan === 'object' ? v.drillPlan : {};
    announce.checked = plan.announce === true;
    unannounced.checked = plan.announce !== true;
    drillFrom.value = instantToTokyoLocal(plan.from);
    drillTo.value = instantToTokyoLocal(plan.to);
    updateSeverity();
    noEscalate.checked = v.escalate === false && !escalateRow.hidden;
    updateDrill();
    templateNote.hidden = v.drill !== true;
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
    unannounced.checked = true;
    announce.checked = false;
    drillFrom.value = '';
    drillTo.value = '';
    updateDrill();
    templateNote.hidden = true;
    noEscalate.checked = false;
    updateSeverity();
  };

  const handle = { form, fields, preview, controls, read, reset, result, submit };
  templateButton.addEventListener('click', () => loadDrillTemplate(handle, fill, templateButton));
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
