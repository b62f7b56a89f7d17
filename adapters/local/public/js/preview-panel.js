/**
 * The preview the issue form shows before anything is sent (POST /local/api/advisories/preview): what would be
 * sent, to whom, who would not get it and why, and the message as members will see it, with Back and Send.
 * Every word comes from the server: the lines are worded by src/view/preview-view.ts, the labels are
 * PREVIEW_TEXT of src/i18n (GET /local/api/i18n).
 */

import { both, isBilingual, lab } from './i18n.js';
import { el, sentence } from './dom.js';
import { advisoryBody } from './render-advisory.js';

/** A word of PREVIEW_TEXT (src/i18n/preview-text.ts). */
export const PT = (key) => lab('PREVIEW_TEXT', key);

const bilinguals = (v) => (Array.isArray(v) ? v.filter(isBilingual) : []);

/** The panel, and its buttons and status line (the form wires them). `changed`: shown again instead of sending. */
export function previewPanel(answer, { changed, onBack, onSend }) {
  const lines = answer && typeof answer.lines === 'object' && answer.lines ? answer.lines : {};
  const preview = answer && typeof answer.preview === 'object' && answer.preview ? answer.preview : {};
  const problems = Array.isArray(preview.problems) ? preview.problems : [];
  const facts = (Array.isArray(lines.facts) ? lines.facts : []).filter((f) => Array.isArray(f) && isBilingual(f[0]) && isBilingual(f[1]));

  // The member's message as the delivery renders it; its acknowledge button is taken out, nothing here was sent.
  const message = el('div', { class: 'msg msg-advisory preview-message', testid: 'preview-message', 'data-kind': 'preview' });
  if (preview.message && typeof preview.message === 'object') message.append(...advisoryBody(preview.message, { id: '', channelId: '' }));
  for (const actions of message.querySelectorAll('.actions')) actions.remove();

  const back = el('button', { type: 'button', class: 'btn', testid: 'preview-back', on: { click: onBack } }, `↩ ${both(PT('back'))}`);
  const send = el('button', { type: 'button', class: 'btn primary', testid: 'preview-send', on: { click: onSend } }, `📣 ${both(PT('send'))}`);
  const status = el('div', { class: 'form-result', testid: 'preview-status', role: 'status', 'aria-live': 'polite' });

  const panel = el(
    'div',
    { class: 'issue-preview', testid: 'issue-preview', 'data-digest': typeof preview.digest === 'string' ? preview.digest : '', tabindex: '-1', 'aria-labelledby': 'preview-heading' },
    changed ? el('p', { class: 'preview-changed', testid: 'preview-changed', role: 'alert' }, '⚠️ ', sentence(PT('changed'))) : null,
    el('h4', { id: 'preview-heading' }, `🔍 ${both(isBilingual(lines.heading) ? lines.heading : PT('heading'))}`),
    isBilingual(lines.intro) ? el('p', { class: 'hint' }, sentence(lines.intro)) : null,
    el('dl', { class: 'preview-facts', testid: 'preview-facts' }, ...facts.flatMap(([k, v]) => [el('dt', null, both(k)), el('dd', null, both(v))])),
    el('h5', null, both(PT('recipients'))),
    el('ul', { class: 'preview-recipients', testid: 'preview-recipients' }, ...bilinguals(lines.recipients).map((t) => el('li', null, both(t)))),
    el('h5', null, both(PT('problems'))),
    el(
      'ul',
      { class: `preview-problems ${problems.length > 0 ? 'has-problems' : ''}`.trim(), testid: 'preview-problems' },
      ...bilinguals(lines.problems).map((t) => el('li', { testid: problems.length > 0 ? 'preview-problem' : null }, `${problems.length > 0 ? '⚠️' : '✅'} ${both(t)}`)),
    ),
    isBilingual(lines.sample) ? el('p', { class: 'hint' }, `👁 ${both(lines.sample)}`) : null,
    message,
    isBilingual(lines.numberOnSend) ? el('p', { class: 'hint' }, sentence(lines.numberOnSend)) : null,
    status,
    el('div', { class: 'form-actions preview-actions' }, back, send),
  );
  return { panel, back, send, status };
}
