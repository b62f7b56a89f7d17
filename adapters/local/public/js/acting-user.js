/** The acting user: the "Acting as" select, switching users, and the channel each user starts in. */

import { applySession, isMember, state } from './state.js';
import { api, errorBox } from './api.js';
import { both, P } from './i18n.js';
import { $, el } from './dom.js';
import { CHANNEL_KEY, storage, USER_KEY } from './storage.js';
import { connectEvents } from './events.js';
import { renderSidebar } from './sidebar.js';
import { openChannel } from './channel.js';

export function defaultUser() {
  const users = [...state.users.values()];
  return users.find((u) => u.role === 'secretariat') ?? users[0];
}

export function buildUserSelect() {
  const select = $('user-select');
  const users = [...state.users.values()];
  const groups = [];
  const secretariat = users.filter((u) => u.role === 'secretariat');
  const oncall = users.filter((u) => u.role === 'oncall');
  if (secretariat.length > 0) groups.push([both(P.roleSecretariat), secretariat]);
  if (oncall.length > 0) groups.push([both(P.roleOncall), oncall]);
  const byOrg = new Map();
  for (const u of users.filter((x) => x.role !== 'secretariat' && x.role !== 'oncall')) {
    const key = u.orgId ?? '';
    if (!byOrg.has(key)) byOrg.set(key, { name: u.orgName, users: [] });
    byOrg.get(key).users.push(u);
  }
  for (const [orgId, g] of byOrg) {
    const org = g.name ? both(g.name) : orgId;
    groups.push([org ? `${both(P.roleMembers)} — ${org}` : both(P.roleMembers), g.users]);
  }
  const frag = document.createDocumentFragment();
  for (const [label, list] of groups) {
    frag.append(el('optgroup', { label }, list.map((u) => el('option', { value: u.id }, u.name))));
  }
  select.replaceChildren(frag);
  select.disabled = users.length === 0;
  select.addEventListener('change', () => {
    if (select.value && state.users.has(select.value)) setUser(select.value, null);
  });
}

export async function setUser(userId, preferredChannel) {
  const user = state.users.get(userId);
  if (!user) return;
  state.user = user;
  state.gen += 1;
  const gen = state.gen;
  storage.set(USER_KEY, user.id);
  $('user-select').value = user.id;
  state.unread.clear();
  state.counted.clear();
  state.unknownChannels.clear();
  state.panels.clear();
  state.form = null;
  state.status = null;
  state.pendingIssue = null;
  // The server lists only this user's channels: nothing of the previous user's stays on screen meanwhile.
  state.channels = new Map();
  state.channelId = null;
  $('channel-title').textContent = '…';
  $('messages').replaceChildren();
  renderSidebar();
  connectEvents();
  try {
    const session = await api('/local/api/session');
    if (gen !== state.gen) return;
    applySession(session);
    state.user = state.users.get(user.id) ?? user;
  } catch (err) {
    if (gen !== state.gen) return;
    $('channel-title').textContent = both(P.noChannel);
    $('messages').replaceChildren(errorBox(err, 'session-error'));
    return;
  }
  renderSidebar();
  const remembered = storage.get(CHANNEL_KEY(user.id));
  const pick =
    [preferredChannel, remembered].map((id) => (id ? state.channels.get(id) : undefined)).find((c) => c && isMember(c)) ??
    defaultChannel();
  if (pick) openChannel(pick.id);
  else {
    $('channel-title').textContent = both(P.noChannel);
    $('messages').replaceChildren();
  }
}

function defaultChannel() {
  const channels = [...state.channels.values()];
  const mine = channels.filter(isMember);
  const role = state.user.role;
  const prefer = role === 'secretariat' ? 'secretariat' : role === 'oncall' ? 'oncall' : 'member';
  return mine.find((c) => c.kind === prefer) ?? mine[0] ?? channels[0];
}
