/**
 * The secretariat's lifecycle commands for one advisory: a follow-up, a correction, the withdrawal, closing
 * (POST /local/api/advisories/:id/{followup,correct,withdraw,close}). The server checks who may; the forms show
 * each field's problem under it and the server's answer when it is done.
 */

import { both, lab, Tx } from './i18n.js';
import { el, sentence } from './dom.js';
import { api, errorBox } from './api.js';

const L = (key) => lab('LF', key);
const F = (key) => lab('LIFECYCLE_FIELDS', key);
const R = (key) => lab('ROUND_TEXT', key);
const TLP_LEVELS = ['TLP:RED', 'TLP:AMBER+STRICT', 'TLP:AMBER', 'TLP:GREEN', 'TLP:CLEAR'];
const SEVERITIES = ['level4', 'level3', 'level2', 'level1', 'level0'];
const CATEGORIES = ['vulnerability', 'threat', 'incident', 'outage', 'notice'];

export function lifecycleSection() {
  const input = el('input', { id: 'lifecycle-id', type: 'text', testid: 'lifecycle-id', placeholder: 'ADV-2026-0001', autocomplete: 'off', spellcheck: 'false' });
  const out = el('div', { class: 'lifecycle-out', testid: 'lifecycle-out' });
  const form = el(
    'form',
    {
      class: 'status-form',
      testid: 'lifecycle-form',
      on: {
        submit: (ev) => {
          ev.preventDefault();
          const id = input.value.trim();
          if (id !== '') load(id, out);
        },
      },
    },
    el('label', { for: 'lifecycle-id' }, 'ID'),
    input,
    el('button', { type: 'submit', class: 'btn', testid: 'lifecycle-load' }, `✏️ ${both(L('correctTitle'))} · ${both(L('followUpTitle'))}`),
  );
  return el('section', { class: 'panel lifecycle-box', 'aria-labelledby': 'lifecycle-heading' }, el('h3', { id: 'lifecycle-heading' }, `🗂️ ${both(L('withdrawTitle'))} / ${both(L('closeTitle'))}`), form, out);
}

async function load(id, out) {
  out.replaceChildren();
  let view;
  try {
    view = await api(`/local/api/advisories/${encodeURIComponent(id)}/lifecycle`);
  } catch (err) {
    out.append(errorBox(err, 'lifecycle-error'));
    return;
  }
  out.append(
    el('p', { class: 'msg-foot', testid: 'lifecycle-advisory' }, `${view.advisoryId} ${view.title}`),
    followUpForm(view),
    correctionForm(view),
    withdrawForm(view),
    closeForm(view),
    exportButtons(view),
  );
}

/** CSV (opens in Excel) or JSON of the advisory's record, through a short-lived link the server signs. */
function exportButtons(view) {
  const out = el('div', { class: 'lifecycle-result', role: 'status' });
  const button = (format) =>
    el(
      'button',
      {
        type: 'button',
        class: 'btn',
        testid: `lifecycle-export-${format}`,
        on: {
          click: async () => {
            out.replaceChildren();
            try {
              const link = await api(`/local/api/advisories/${encodeURIComponent(view.advisoryId)}/export`, { method: 'POST', body: { format } });
              const a = el('a', { href: link.path, download: `${view.advisoryId}.${format}`, testid: `lifecycle-export-link-${format}` }, `⬇️ ${view.advisoryId}.${format}`);
              out.append(a);
              a.click();
            } catch (err) {
              out.append(errorBox(err, 'lifecycle-export-error'));
            }
          },
        },
      },
      `⬇️ ${format.toUpperCase()}`,
    );
  return el('div', { class: 'lifecycle-command', testid: 'lifecycle-export' }, el('h4', null, both(L('exportTitle'))), el('div', { class: 'actions' }, button('csv'), button('json')), out);
}

function field(name, label, control) {
  return el('div', { class: 'field-row' }, el('label', null, both(label), control), el('div', { class: 'error-slot', 'data-field': name, testid: `lifecycle-error-${name}` }));
}

function choice(name, values, text, current) {
  const select = el('select', { name, testid: `lifecycle-${name}` }, values.map((v) => el('option', { value: v }, text(v))));
  select.value = current;
  return select;
}

/** One command's form: sends its values, shows each field's problem, then the server's answer. */
function commandForm(kind, view, title, submit, controls, values, warning) {
  const result = el('div', { class: 'lifecycle-result', testid: `lifecycle-result-${kind}`, role: 'status' });
  const button = el('button', { type: 'submit', class: `btn${kind === 'withdraw' ? ' danger' : ' primary'}`, testid: `lifecycle-${kind}-submit` }, both(submit));
  const form = el(
    'form',
    {
      class: 'lifecycle-command',
      testid: `lifecycle-${kind}`,
      // The server's words under each field, as on the issue form, not the browser's own bubbles.
      novalidate: true,
      on: {
        submit: async (ev) => {
          ev.preventDefault();
          for (const slot of form.querySelectorAll('.error-slot')) slot.replaceChildren();
          result.replaceChildren();
          button.disabled = true;
          try {
            const answer = await api(`/local/api/advisories/${encodeURIComponent(view.advisoryId)}/${kind}`, { method: 'POST', body: values() });
            result.append(el('p', { class: 'ok' }, '✅ ', sentence(answer.message)));
            if (!answer.queued) result.append(el('p', { class: 'muted' }, sentence(L('queuedLater'))));
          } catch (err) {
            const fields = err && err.fields && typeof err.fields === 'object' ? err.fields : {};
            let shown = false;
            for (const [name, message] of Object.entries(fields)) {
              const slot = form.querySelector(`.error-slot[data-field="${name}"]`);
              if (!slot) continue;
              slot.replaceChildren(el('span', { class: 'field-error', role: 'alert' }, sentence(message)));
              shown = true;
            }
            if (!shown) result.append(errorBox(err, `lifecycle-${kind}-error`));
          } finally {
            button.disabled = false;
          }
        },
      },
    },
    el('h4', null, both(title)),
    warning ? el('p', { class: 'hint' }, sentence(warning)) : null,
    ...controls,
    el('div', { class: 'actions' }, button),
    result,
  );
  return form;
}

/** The follow-up, and whether members are asked to acknowledge it, by how many minutes (empty: the advisory's own length). */
function followUpForm(view) {
  const body = el('textarea', { name: 'body', rows: '4', testid: 'lifecycle-followup-body' });
  const acknowledge = el('input', { type: 'checkbox', name: 'acknowledge', testid: 'lifecycle-followup-acknowledge' });
  const minutes = el('input', { type: 'number', name: 'ackDeadlineMinutes', min: '1', max: '10080', step: '1', inputmode: 'numeric', testid: 'lifecycle-followup-minutes' });
  const ackField = el(
    'div',
    { class: 'field-row' },
    el('label', { class: 'inline' }, acknowledge, ` ${both(R('askAck'))}`),
    el('p', { class: 'hint' }, sentence(R('askAckHint'))),
    el('div', { class: 'error-slot', 'data-field': 'acknowledge', testid: 'lifecycle-error-acknowledge' }),
  );
  const minutesField = field('ackDeadlineMinutes', R('ackDeadlineMinutes'), minutes);
  minutesField.insertBefore(el('p', { class: 'hint' }, sentence(R('ackDeadlineHint'))), minutesField.lastChild);
  return commandForm('followup', view, L('followUpTitle'), L('followUpSubmit'), [field('body', L('followUpBody'), body), ackField, minutesField], () => ({
    body: body.value,
    acknowledge: acknowledge.checked,
    // As typed; the server reads the digits and the core says what is wrong with them. What the browser could not
    // read as a number at all goes as such, not as "nothing typed".
    ...(minutes.validity.badInput ? { ackDeadlineMinutes: 'NaN' } : minutes.value.trim() === '' ? {} : { ackDeadlineMinutes: minutes.value }),
  }));
}

function correctionForm(view) {
  const title = el('input', { type: 'text', name: 'title', testid: 'lifecycle-title' });
  title.value = view.title;
  const body = el('textarea', { name: 'body', rows: '6', testid: 'lifecycle-body' });
  body.value = view.body;
  const tlp = choice('tlp', TLP_LEVELS, (v) => v, view.tlp);
  const severity = choice('severity', SEVERITIES, (v) => both(lab('SEVERITY_TEXT', v)), view.severity);
  const category = choice('category', CATEGORIES, (v) => both(lab('CATEGORY_TEXT', v)), view.category);
  const note = el('textarea', { name: 'note', rows: '2', testid: 'lifecycle-note' });
  return commandForm(
    'correct',
    view,
    L('correctTitle'),
    L('correctSubmit'),
    [field('title', F('title'), title), field('body', F('body'), body), field('tlp', F('tlp'), tlp), field('severity', Tx('severity'), severity), field('category', Tx('category'), category), field('note', L('note'), note)],
    () => ({ title: title.value, body: body.value, tlp: tlp.value, severity: severity.value, category: category.value, note: note.value }),
    L('correctHint'),
  );
}

function withdrawForm(view) {
  const reason = el('textarea', { name: 'reason', rows: '2', testid: 'lifecycle-reason' });
  return commandForm('withdraw', view, L('withdrawTitle'), L('withdrawSubmit'), [field('reason', L('reason'), reason)], () => ({ reason: reason.value }), L('withdrawWarning'));
}

function closeForm(view) {
  return commandForm('close', view, L('closeTitle'), L('closeSubmit'), [], () => ({}), L('closeWarning'));
}
