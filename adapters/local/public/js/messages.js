/** The open channel's messages: merging what the server and the event stream send, in order, into the list. */

import { state } from './state.js';
import { both, P } from './i18n.js';
import { count } from './format.js';
import { $, announce, el, sentence } from './dom.js';
import { buildTopLevel, replaceMessage, summary } from './render-message.js';
import { attachReply } from './render-thread.js';
import { compareMessages, mergeMessage, rootOf, validMessage } from './message-store.js';
import { pageActions } from './page-actions.js';

export { compareMessages, mergeMessage, rootOf, validMessage };

/** Top-level messages drawn when a channel opens; older ones behind a button, to keep the DOM light. */
const RENDER_LIMIT = 200;

function isThreaded(m) {
  return !!m.threadOf && state.messages.has(m.threadOf) && rootOf(m).id !== m.id;
}

function nearBottom(list) {
  return list.scrollHeight - list.scrollTop - list.clientHeight < 120;
}

function scrollToBottom(list) {
  list.scrollTop = list.scrollHeight;
}

export function renderAllMessages(showAll = false) {
  const list = $('messages');
  state.msgEls = new Map();
  const all = [...state.messages.values()].sort(compareMessages);
  const tops = all.filter((m) => !isThreaded(m));
  // A secretariat channel can hold thousands of notices: draw the newest ones, the rest on request.
  const hidden = showAll ? 0 : Math.max(0, tops.length - RENDER_LIMIT);
  const shown = tops.slice(hidden);
  state.renderedFrom = hidden > 0 ? shown[0] : null;
  const frag = document.createDocumentFragment();
  if (hidden > 0) {
    frag.append(
      el(
        'div',
        { class: 'older' },
        el(
          'button',
          { type: 'button', class: 'btn small', testid: 'show-older', on: { click: () => renderAllMessages(true) } },
          `⬆ 古いメッセージを表示（${count(hidden)} 件） / Show ${count(hidden)} older ${hidden === 1 ? 'message' : 'messages'}`,
        ),
      ),
    );
  }
  for (const m of shown) frag.append(buildTopLevel(m));
  // Replies attach to elements still in the fragment; replies of undrawn messages stay undrawn.
  for (const m of all) if (isThreaded(m)) attachReply(m, false);
  if (all.length === 0) frag.append(emptyState());
  list.replaceChildren(frag);
  if (!showAll) scrollToBottom(list);
}

function emptyState() {
  return el('p', { class: 'muted empty', testid: 'no-messages' }, sentence(P.noMessages));
}

/** Insert or replace a message in the open channel. */
export function upsertMessage(m, fromEvent) {
  if (!mergeMessage(m)) return;
  if (state.loading) return;
  const list = $('messages');
  const stick = nearBottom(list);
  const existing = state.msgEls.get(m.id);
  const stored = state.messages.get(m.id);
  if (existing) {
    replaceMessage(existing, stored);
    return;
  }
  list.querySelector(':scope > .empty')?.remove();
  // Older than what is drawn (the channel is shown from its newest messages): keep it for "show older".
  if (!isThreaded(stored) && state.renderedFrom && compareMessages(stored, state.renderedFrom) < 0) return;
  if (isThreaded(stored)) {
    attachReply(stored, true);
  } else {
    const node = buildTopLevel(stored);
    const tops = [...list.querySelectorAll(':scope > article.msg')];
    const after = tops.findLast((a) => {
      const other = state.messages.get(a.getAttribute('data-message-id'));
      return other && compareMessages(other, stored) <= 0;
    });
    if (after) after.after(node);
    else if (list.querySelector(':scope > .older')) list.querySelector(':scope > .older').after(node);
    else list.prepend(node);
    // A reply that arrived before its parent can now move into the thread.
    for (const r of state.messages.values()) {
      if (r.threadOf === stored.id && state.msgEls.has(r.id) && !state.msgEls.get(r.id).closest('.thread')) {
        state.msgEls.get(r.id).remove();
        state.msgEls.delete(r.id);
        attachReply(r, false);
      }
    }
  }
  if (fromEvent) announce(`${both(P.newMessage)}: ${summary(stored)}`);
  if (stick) scrollToBottom(list);
}

pageActions.upsertMessage = upsertMessage;
