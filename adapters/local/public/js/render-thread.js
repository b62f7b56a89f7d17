/** Threads under a message: the replies, and the reply box. */

import { followUpBody } from './render-lifecycle.js';
import { state } from './state.js';
import { both, isBilingual, P } from './i18n.js';
import { count } from './format.js';
import { el, sentence, timeEl } from './dom.js';
import { api, ApiError, errorText } from './api.js';
import { compareMessages, rootOf, validMessage } from './message-store.js';
import { pageActions } from './page-actions.js';

/** The server's limit (REPLY_MAX in adapters/local/local-chat.ts), counted as it counts: the trimmed text's length. */
const REPLY_MAX = 4000;
/** The counter shows from here on: a reply of a few words needs no "12 / 4,000". */
const COUNT_FROM = Math.floor(REPLY_MAX * 0.9);

/** "返信は4,000文字以内です（20,000文字入力されています）。", in the words of the issue form's body (FIELD_ERROR.tooLong). */
function tooLongText(entered) {
  return {
    ja: `返信は${count(REPLY_MAX)}文字以内です（${count(entered)}文字入力されています）。`,
    en: `The reply must be at most ${count(REPLY_MAX)} characters (${count(entered)} entered).`,
  };
}

export function threadBlock(m) {
  // No maxLength: the browser would cut a longer paste without a word. The counter shows it over the limit and
  // Send refuses it with the count (the server refuses it too, without the count: 400, or 413 past 32 KB).
  const input = el('input', {
    type: 'text',
    class: 'reply-input',
    name: 'text',
    testid: 'reply-input',
    placeholder: both(P.replyPlaceholder),
    autocomplete: 'off',
  });
  const counter = el('span', { class: 'char-count reply-count', testid: 'reply-count', 'aria-live': 'polite', hidden: true });
  const button = el('button', { type: 'submit', class: 'btn small', testid: 'reply-submit' }, both(P.send));
  const out = el('p', { class: 'reply-status', role: 'status', testid: 'reply-status' });
  input.addEventListener('input', () => updateCount(input, counter, out));
  const form = el(
    'form',
    { class: 'reply-form', testid: 'reply-form', on: { submit: (ev) => sendReply(ev, m.id, m.channelId, input, button, out) } },
    el('label', { class: 'reply-label' }, el('span', { class: 'sr-only' }, both(P.reply)), input),
    counter,
    button,
  );
  return el('div', { class: 'thread', testid: 'thread' }, el('ol', { class: 'replies' }), form, out);
}

/** The counter near and over the limit; a refusal for length goes once the text fits again. */
function updateCount(input, counter, out) {
  const n = input.value.trim().length;
  counter.hidden = n < COUNT_FROM;
  counter.textContent = `${count(n)} / ${count(REPLY_MAX)}`;
  counter.classList.toggle('over', n > REPLY_MAX);
  if (n <= REPLY_MAX && out.getAttribute('data-refused') === 'too-long') {
    out.replaceChildren();
    out.className = 'reply-status';
    out.removeAttribute('data-refused');
    input.removeAttribute('aria-invalid');
  }
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
  out.removeAttribute('data-refused');
  input.removeAttribute('aria-invalid');
  if (text === '') {
    out.replaceChildren(sentence(P.replyEmpty));
    out.className = 'reply-status error';
    input.focus();
    return;
  }
  // Too long: refused here, with the count, and kept as typed so it can be shortened.
  if (text.length > REPLY_MAX) {
    refuse(input, out, tooLongText(text.length), 'too-long');
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
    input.dispatchEvent(new window.Event('input'));
    out.textContent = '';
    if (validMessage(m) && m.channelId === state.channelId) pageActions.upsertMessage(m, false);
  } catch (err) {
    if (gen !== state.gen) return;
    // What the server said about the text (its limit may differ from this page's), else its error.
    const detail = err instanceof ApiError && err.fields && isBilingual(err.fields.text) ? err.fields.text : errorText(err);
    refuse(input, out, detail, err instanceof ApiError && err.fields?.text ? 'server' : null);
  } finally {
    button.disabled = false;
  }
}

function refuse(input, out, text, why) {
  out.className = 'reply-status error';
  if (why) out.setAttribute('data-refused', why);
  out.replaceChildren('⚠️ ', sentence(text));
  if (!why) return;
  input.setAttribute('aria-invalid', 'true');
  input.focus();
}
