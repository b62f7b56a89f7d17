/** Threads under a message: the replies, and the reply box. */

import { followUpBody } from './render-lifecycle.js';
import { state } from './state.js';
import { both, isBilingual, P } from './i18n.js';
import { el, sentence, timeEl } from './dom.js';
import { api, ApiError, errorText } from './api.js';
import { compareMessages, rootOf, validMessage } from './message-store.js';
import { pageActions } from './page-actions.js';

const REPLY_MAX = 4000;

export function threadBlock(m) {
  const input = el('input', {
    type: 'text',
    class: 'reply-input',
    name: 'text',
    testid: 'reply-input',
    maxLength: REPLY_MAX,
    placeholder: both(P.replyPlaceholder),
    autocomplete: 'off',
  });
  const button = el('button', { type: 'submit', class: 'btn small', testid: 'reply-submit' }, both(P.send));
  const out = el('p', { class: 'reply-status', role: 'status', testid: 'reply-status' });
  const form = el(
    'form',
    { class: 'reply-form', testid: 'reply-form', on: { submit: (ev) => sendReply(ev, m.id, m.channelId, input, button, out) } },
    el('label', { class: 'reply-label' }, el('span', { class: 'sr-only' }, both(P.reply)), input),
    button,
  );
  return el('div', { class: 'thread', testid: 'thread' }, el('ol', { class: 'replies' }), form, out);
}

export function replyContent(m) {
  const b = m.body;
  if (b.kind === 'followup') return [el('div', { class: 'msg-meta' }, el('span', { class: 'author' }, '🤖'), ' ', timeEl(m.createdAt, 'posted')), ...followUpBody(b.view, b.lifecycle, m)];
  return [
    el(
      'div',
      { class: 'msg-meta' },
      el('span', { class: 'author' }, b.author?.name ?? '?'),
      ' ',
      timeEl(m.createdAt, 'posted'),
    ),
    el('div', { class: 'reply-text' }, String(b.text ?? '')),
  ];
}

export function attachReply(m, announceIt) {
  const root = rootOf(m);
  const parent = state.msgEls.get(root.id);
  const ol = parent?.querySelector(':scope > .thread > .replies');
  if (!ol) return;
  const li = el('li', { class: 'msg msg-reply', testid: `message-${m.id}`, 'data-kind': 'reply', 'data-message-id': m.id }, ...replyContent(m));
  const after = [...ol.children].findLast((x) => {
    const other = state.messages.get(x.getAttribute('data-message-id'));
    return other && compareMessages(other, m) <= 0;
  });
  if (after) after.after(li);
  else ol.prepend(li);
  state.msgEls.set(m.id, li);
  if (announceIt) li.classList.add('fresh');
}

async function sendReply(ev, threadOf, channelId, input, button, out) {
  ev.preventDefault();
  const text = input.value.trim();
  if (text === '') {
    out.replaceChildren(sentence(P.replyEmpty));
    out.className = 'reply-status error';
    input.focus();
    return;
  }
  const gen = state.gen;
  button.disabled = true;
  out.className = 'reply-status';
  out.textContent = both(P.sending);
  try {
    const m = await api(`/local/api/channels/${encodeURIComponent(channelId)}/replies`, { method: 'POST', body: { threadOf, text } });
    if (gen !== state.gen) return;
    input.value = '';
    out.textContent = '';
    if (validMessage(m) && m.channelId === state.channelId) pageActions.upsertMessage(m, false);
  } catch (err) {
    if (gen !== state.gen) return;
    out.className = 'reply-status error';
    const detail = err instanceof ApiError && err.fields && isBilingual(err.fields.text) ? err.fields.text : errorText(err);
    out.replaceChildren('⚠️ ', sentence(detail));
  } finally {
    button.disabled = false;
  }
}
