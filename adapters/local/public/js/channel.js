/** Opening a channel: its title and description, the locked notice, and loading its messages. */

import { currentChannel, isMember, state } from './state.js';
import { both, P } from './i18n.js';
import { count } from './format.js';
import { $, el, fill, sentence } from './dom.js';
import { CHANNEL_KEY, storage } from './storage.js';
import { api, errorBox } from './api.js';
import { markCurrentInSidebar, updateBadge } from './sidebar.js';
import { mergeMessage, renderAllMessages, upsertMessage } from './messages.js';
import { renderSidePanel } from './side-panel.js';
import { pageActions } from './page-actions.js';

function channelKindText(kind) {
  return { secretariat: P.kindSecretariat, oncall: P.kindOncall, member: P.kindMember, direct: P.kindDirect }[kind] ?? { ja: kind, en: kind };
}

export async function openChannel(id) {
  const ch = state.channels.get(id);
  if (!ch) return;
  state.channelId = id;
  state.chanGen += 1;
  const token = state.chanGen;
  const gen = state.gen;
  const member = isMember(ch);
  if (member) storage.set(CHANNEL_KEY(state.user.id), id);
  state.unread.set(id, 0);
  updateBadge(id);
  markCurrentInSidebar();

  const name = ch.name ? both(ch.name) : ch.id;
  $('channel-title').replaceChildren(el('span', { 'aria-hidden': 'true', class: 'ch-icon' }, member ? (ch.kind === 'direct' ? '@' : '#') : '🔒'), ' ', name);
  const desc = [both(channelKindText(ch.kind))];
  if (Array.isArray(ch.members)) desc.push(`${count(ch.members.length)} 人 / ${count(ch.members.length)} ${ch.members.length === 1 ? 'member' : 'members'}`);
  fill(
    $('channel-desc'),
    desc.join(' · '),
    ch.sharedOutside ? el('span', { class: 'tag shared', testid: 'shared-outside' }, both(P.sharedOutside)) : null,
  );
  document.title = `${name} — ${state.session?.sector?.name ? both(state.session.sector.name) : 'ceptoar-bot'}`;

  state.messages = new Map();
  state.msgEls = new Map();
  state.renderedFrom = null;
  const list = $('messages');
  list.setAttribute('data-channel-id', id);
  renderSidePanel(ch);

  if (!member) {
    state.loading = false;
    list.replaceChildren(
      el(
        'div',
        { class: 'locked-notice', testid: 'locked-notice', role: 'note' },
        el('p', { class: 'lock-big', 'aria-hidden': 'true' }, '🔒'),
        el('p', null, sentence(P.locked)),
        el('p', { class: 'muted' }, sentence(P.lockedHint)),
      ),
    );
    return;
  }

  state.loading = true;
  list.replaceChildren(el('p', { class: 'muted loading' }, both(P.loading)));
  let data;
  try {
    data = await api(`/local/api/channels/${encodeURIComponent(id)}/messages`);
  } catch (err) {
    if (token !== state.chanGen || gen !== state.gen) return;
    state.loading = false;
    list.replaceChildren(errorBox(err, 'channel-error'));
    return;
  }
  if (token !== state.chanGen || gen !== state.gen) return;
  state.loading = false;
  // Events that arrived while loading are already in the map; keep whichever copy is newer.
  for (const m of Array.isArray(data?.messages) ? data.messages : []) mergeMessage(m);
  renderAllMessages();
}

/** Reload the open channel without losing what is typed: upsert what the server has now. */
export async function refreshOpenChannel() {
  const ch = currentChannel();
  if (!ch || !isMember(ch) || state.loading) return;
  const token = state.chanGen;
  const gen = state.gen;
  try {
    const data = await api(`/local/api/channels/${encodeURIComponent(ch.id)}/messages`);
    if (token !== state.chanGen || gen !== state.gen) return;
    for (const m of Array.isArray(data?.messages) ? data.messages : []) upsertMessage(m, false);
  } catch (err) {
    console.warn('refresh failed', err);
  }
}

pageActions.openChannel = openChannel;
pageActions.refreshOpenChannel = refreshOpenChannel;
