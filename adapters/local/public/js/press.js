/** Pressing a button on a message (acknowledge, phone outcomes): the request and its inline result. */

import { state } from './state.js';
import { both, isBilingual, P } from './i18n.js';
import { el, sentence } from './dom.js';
import { api, errorText } from './api.js';
import { pageActions } from './page-actions.js';

function eventsLive() {
  return !!state.es && state.es.readyState === EventSource.OPEN;
}

export async function press(messageId, channelId, action, value) {
  const art = state.msgEls.get(messageId);
  if (!art) return;
  const gen = state.gen;
  // A follow-up in a thread (an <li>) has its button in its own content and gets a result slot of its own.
  const reply = art.tagName === 'LI';
  let extra = art.querySelector(':scope > .msg-extra');
  if (!extra) {
    extra = el('div', { class: 'msg-extra' });
    art.append(extra);
  }
  extra.querySelector('[data-testid="notice-text"]')?.remove();
  const out = el('p', { class: 'press-result', role: 'status', testid: 'notice-text', 'data-state': 'pending' });
  extra.prepend(out);
  const buttons = [...art.querySelectorAll(reply ? 'button.act' : ':scope > .msg-body button.act')];
  for (const b of buttons) b.disabled = true;
  out.textContent = both(P.sending);
  try {
    const res = await api('/local/api/press', { method: 'POST', body: { channelId, messageId, action, value } });
    if (gen !== state.gen) return;
    out.setAttribute('data-state', 'ok');
    out.replaceChildren(isBilingual(res?.notice) ? sentence(res.notice) : sentence(P.done));
    if (!eventsLive()) pageActions.refreshOpenChannel();
  } catch (err) {
    if (gen !== state.gen) return;
    out.setAttribute('data-state', 'error');
    out.replaceChildren('⚠️ ', sentence(errorText(err)));
  } finally {
    for (const b of buttons) b.disabled = false;
  }
}
