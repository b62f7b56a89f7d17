/** Pressing a button on a message (acknowledge, phone outcomes): the request and its inline result. */

import { state } from './state.js';
import { both, isBilingual, P } from './i18n.js';
import { el, sentence } from './dom.js';
import { api, errorText } from './api.js';
import { pageActions } from './page-actions.js';

function eventsLive() {
  return !!state.es && state.es.readyState === EventSource.OPEN;
}

/** The message's slot for a press result; a follow-up in a thread (an <li>) gets one of its own. */
function extraOf(art) {
  let extra = art.querySelector(':scope > .msg-extra');
  if (!extra) {
    extra = el('div', { class: 'msg-extra' });
    art.append(extra);
  }
  return extra;
}

/** Show the result under the message as it is drawn now: the update the press caused may have come first. */
function settle(out, messageId) {
  if (out.isConnected) return;
  const now = state.msgEls.get(messageId);
  if (!now) return;
  const extra = extraOf(now);
  extra.querySelector('[data-testid="notice-text"]')?.remove();
  extra.prepend(out);
}

/** `onOk(out)`: after the press went through, may add to its result (out, the result's element). */
export async function press(messageId, channelId, action, value, { onOk } = {}) {
  const art = state.msgEls.get(messageId);
  if (!art) return;
  const gen = state.gen;
  const reply = art.tagName === 'LI';
  const extra = extraOf(art);
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
    if (onOk) onOk(out);
    settle(out, messageId);
    if (!eventsLive()) pageActions.refreshOpenChannel();
  } catch (err) {
    if (gen !== state.gen) return;
    out.setAttribute('data-state', 'error');
    out.replaceChildren('⚠️ ', sentence(errorText(err)));
    settle(out, messageId);
  } finally {
    for (const b of buttons) b.disabled = false;
  }
}
