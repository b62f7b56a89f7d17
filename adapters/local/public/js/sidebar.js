/** The channel list on the left: groups by kind, lock icons, unread badges and the filter. */

import { isMember, state } from './state.js';
import { both, P } from './i18n.js';
import { count, normalise } from './format.js';
import { $, el } from './dom.js';
import { pageActions } from './page-actions.js';

const CHANNEL_GROUPS = [
  ['secretariat', P.chSecretariat],
  ['oncall', P.chOncall],
  ['member', P.chMembers],
  ['direct', P.chDirect],
];

export function renderSidebar() {
  const root = $('channel-groups');
  state.sidebarItems.clear();
  const frag = document.createDocumentFragment();
  const all = [...state.channels.values()];
  for (const [kind, label] of CHANNEL_GROUPS) {
    const list = all.filter((c) => c.kind === kind);
    if (list.length === 0) continue;
    const headingId = `chgroup-${kind}`;
    const ul = el('ul', { class: 'channel-list', 'aria-labelledby': headingId });
    for (const ch of list) ul.append(channelItem(ch));
    frag.append(el('section', { class: 'channel-group' }, el('h2', { id: headingId }, both(label)), ul));
  }
  // Channels of a kind this page does not know still get listed, last.
  const known = new Set(CHANNEL_GROUPS.map(([k]) => k));
  const other = all.filter((c) => !known.has(c.kind));
  if (other.length > 0) {
    const ul = el('ul', { class: 'channel-list' });
    for (const ch of other) ul.append(channelItem(ch));
    frag.append(el('section', { class: 'channel-group' }, ul));
  }
  root.replaceChildren(frag);
  applySidebarFilter();
}

function channelItem(ch) {
  const locked = !isMember(ch);
  const name = ch.name ? both(ch.name) : ch.id;
  const icon = locked ? '🔒' : ch.kind === 'direct' ? '@' : '#';
  const button = el(
    'button',
    {
      type: 'button',
      class: `channel${locked ? ' locked' : ''}`,
      testid: `channel-${ch.id}`,
      'data-channel-id': ch.id,
      'data-locked': locked ? 'true' : 'false',
      title: locked ? `${name} — ${both(P.locked)}` : name,
      'aria-current': ch.id === state.channelId ? 'page' : null,
      on: { click: () => pageActions.openChannel(ch.id) },
    },
    el('span', { class: 'ch-icon', 'aria-hidden': 'true' }, icon),
    el('span', { class: 'ch-name' }, name),
    locked ? el('span', { class: 'sr-only' }, ` (${both(P.locked)})`) : null,
  );
  const li = el('li', null, button);
  const item = { li, button, badge: null, key: normalise(`${ch.id} ${ch.name?.ja ?? ''} ${ch.name?.en ?? ''}`), locked };
  state.sidebarItems.set(ch.id, item);
  updateBadge(ch.id);
  return li;
}

export function updateBadge(channelId) {
  const item = state.sidebarItems.get(channelId);
  if (!item) return;
  const n = state.unread.get(channelId) ?? 0;
  if (n <= 0) {
    if (item.badge) {
      item.badge.remove();
      item.badge = null;
    }
    item.button.classList.remove('has-unread');
    return;
  }
  if (!item.badge) {
    item.badge = el('span', { class: 'badge', testid: `unread-${channelId}` });
    item.button.append(item.badge);
  }
  item.badge.replaceChildren(el('span', { 'aria-hidden': 'true' }, count(n)), el('span', { class: 'sr-only' }, ` ${both(P.unread)} ${count(n)}`));
  item.button.classList.add('has-unread');
}

export function applySidebarFilter() {
  const q = normalise($('channel-filter').value.trim());
  for (const item of state.sidebarItems.values()) item.li.hidden = q !== '' && !item.key.includes(q);
  for (const section of $('channel-groups').querySelectorAll('.channel-group')) {
    section.hidden = section.querySelector('li:not([hidden])') === null;
  }
}

export function markCurrentInSidebar() {
  for (const [id, item] of state.sidebarItems) {
    if (id === state.channelId) item.button.setAttribute('aria-current', 'page');
    else item.button.removeAttribute('aria-current');
  }
}
