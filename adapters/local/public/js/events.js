/** Live updates: the server-sent event stream, the connection indicator, and catching up after an outage. */

import { applySession, currentChannel, isMember, state } from './state.js';
import { both, P } from './i18n.js';
import { $, debounce } from './dom.js';
import { api } from './api.js';
import { markCurrentInSidebar, renderSidebar, updateBadge } from './sidebar.js';
import { openChannel } from './channel.js';
import { upsertMessage, validMessage } from './messages.js';
import { scheduleAdvisoryListRefresh, scheduleStatusRefresh } from './status-panel.js';
import { scheduleOncallRefresh } from './oncall-panel.js';

export function setConn(s) {
  const node = $('conn-state');
  node.setAttribute('data-state', s);
  node.textContent = s === 'live' ? `● ${both(P.live)}` : s === 'reconnecting' ? `○ ${both(P.reconnecting)}` : s === 'closed' ? `○ ${both(P.network)}` : `○ ${both(P.connecting)}`;
}

export function connectEvents() {
  if (state.esRetry !== null) {
    clearTimeout(state.esRetry);
    state.esRetry = null;
  }
  if (state.es) {
    state.es.close();
    state.es = null;
  }
  if (!state.user) return;
  const gen = state.gen;
  const es = new EventSource(`/local/events?user=${encodeURIComponent(state.user.id)}`);
  state.es = es;
  let hadError = false;
  setConn('connecting');
  es.addEventListener('open', () => {
    if (gen !== state.gen) return;
    setConn('live');
    if (hadError) {
      // Events may have been missed while away: catch up.
      hadError = false;
      resync();
    }
  });
  es.addEventListener('message', (ev) => {
    if (gen !== state.gen) return;
    let m;
    try {
      m = JSON.parse(ev.data);
    } catch {
      console.warn('event is not JSON', ev.data);
      return;
    }
    onEvent(m);
  });
  // A channel appeared or its members changed (e.g. a direct message opened for TLP:RED).
  es.addEventListener('channel', (ev) => {
    if (gen !== state.gen) return;
    let c;
    try {
      c = JSON.parse(ev.data);
    } catch {
      console.warn('channel event is not JSON', ev.data);
      return;
    }
    onChannel(c);
  });
  es.addEventListener('error', () => {
    if (gen !== state.gen) return;
    hadError = true;
    if (es.readyState === EventSource.CLOSED) {
      // The browser gave up (e.g. the server answered with an error): try again ourselves.
      setConn('closed');
      state.esRetry = setTimeout(() => {
        state.esRetry = null;
        if (gen === state.gen) connectEvents();
        if (gen === state.gen) resync();
      }, 3000);
    } else {
      setConn('reconnecting');
    }
  });
}

/**
 * After the event stream was down, anything may have changed on the server (even a restart with fresh data):
 * reload the open channel whole, keeping the replies people were typing, and the panels.
 */
async function resync() {
  const drafts = new Map();
  for (const input of $('messages').querySelectorAll('[data-testid="reply-input"]')) {
    const id = input.closest('article')?.getAttribute('data-message-id');
    if (id && input.value !== '') drafts.set(id, input.value);
  }
  if (state.channelId) await openChannel(state.channelId);
  for (const [id, value] of drafts) {
    const input = state.msgEls.get(id)?.querySelector(':scope > .thread [data-testid="reply-input"]');
    if (!input) continue;
    input.value = value;
    // Its counter, for a draft near or over the limit.
    input.dispatchEvent(new window.Event('input'));
  }
  scheduleOncallRefresh();
  scheduleStatusRefresh();
}

function advisoryIdOf(m) {
  const v = m.body?.view;
  return v && typeof v.advisoryId === 'string' ? v.advisoryId : undefined;
}

const refreshSession = debounce(async () => {
  const gen = state.gen;
  try {
    const session = await api('/local/api/session');
    if (gen !== state.gen) return;
    applySession(session);
    if (state.user && state.users.has(state.user.id)) state.user = state.users.get(state.user.id);
    renderSidebar();
    markCurrentInSidebar();
  } catch (err) {
    console.warn('session refresh failed', err);
  }
}, 300);

function onChannel(c) {
  if (!c || typeof c !== 'object' || typeof c.id !== 'string') return;
  const before = state.channels.get(c.id);
  const wasMember = isMember(before);
  state.channels.set(c.id, c);
  renderSidebar();
  markCurrentInSidebar();
  // Membership of the open channel changed: show it as the user now may (or may not) see it.
  if (c.id === state.channelId && wasMember !== isMember(c)) openChannel(c.id);
}

function onEvent(m) {
  if (!validMessage(m)) return;
  // A channel this page has not heard of (e.g. a direct message opened for TLP:RED): reload the channel list.
  if (!state.channels.has(m.channelId) && !state.unknownChannels.has(m.channelId)) {
    state.unknownChannels.add(m.channelId);
    refreshSession();
  }
  if (m.channelId === state.channelId && isMember(currentChannel())) {
    const isNewHere = !state.messages.has(m.id);
    upsertMessage(m, isNewHere);
  } else if (m.createdAt === m.updatedAt && !state.counted.has(m.id)) {
    state.counted.add(m.id);
    state.unread.set(m.channelId, (state.unread.get(m.channelId) ?? 0) + 1);
    updateBadge(m.channelId);
  }
  // Any change can close or move a phone task (an acknowledgement by button cancels it): refresh while on screen.
  if (state.panels.get('oncall')?.isConnected) scheduleOncallRefresh();
  const adv = advisoryIdOf(m);
  if (adv && state.status && state.status.advisoryId === adv) scheduleStatusRefresh();
  // The list of advisories shows each one's progress: keep it current while it is on screen.
  else if (adv) scheduleAdvisoryListRefresh();
}
