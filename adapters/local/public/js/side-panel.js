/** Side panels: the issue form and status box (secretariat channel), the open phone tasks (on-call channel). */

import { isMember, state } from './state.js';
import { both, C, P } from './i18n.js';
import { $, el, sentence } from './dom.js';
import { api, errorBox } from './api.js';
import { buildIssueForm } from './issue-form.js';
import { scheduleStatusRefresh, statusSection } from './status-panel.js';
import { oncallPanel, refreshOncall } from './oncall-panel.js';
import { lifecycleSection } from './lifecycle-panel.js';

export function renderSidePanel(ch) {
  const aside = $('side-panel');
  const kind = ch && isMember(ch) && (ch.kind === 'secretariat' || ch.kind === 'oncall') ? ch.kind : null;
  document.body.classList.toggle('with-panel', kind !== null);
  if (!kind) {
    aside.hidden = true;
    aside.replaceChildren();
    return;
  }
  let panel = state.panels.get(kind);
  if (!panel) {
    panel = kind === 'secretariat' ? secretariatPanel() : oncallPanel();
    state.panels.set(kind, panel);
  }
  aside.setAttribute('aria-label', both(kind === 'secretariat' ? P.issueTitle : C('oncallTitle')));
  aside.replaceChildren(panel);
  aside.hidden = false;
  if (kind === 'oncall') refreshOncall();
  if (kind === 'secretariat' && state.status) scheduleStatusRefresh();
}

function secretariatPanel() {
  const wrap = el('div', { class: 'panel-stack' });
  const formSection = el(
    'section',
    { class: 'panel issue', 'aria-labelledby': 'issue-heading' },
    el('h3', { id: 'issue-heading' }, `📣 ${both(P.issueTitle)}`),
    el('p', { class: 'muted loading' }, both(P.loading)),
  );
  wrap.append(formSection, statusSection(), lifecycleSection());
  const gen = state.gen;
  api('/local/api/form')
    .then((opts) => {
      if (gen !== state.gen) return;
      state.form = buildIssueForm(opts ?? {});
      formSection.querySelector('.loading')?.replaceWith(state.form.form);
    })
    .catch((err) => {
      if (gen !== state.gen) return;
      formSection.querySelector('.loading')?.replaceWith(el('div', null, el('p', null, sentence(P.formLoadFailed)), errorBox(err, 'form-error')));
    });
  return wrap;
}
