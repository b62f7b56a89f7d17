/**
 * The local workspace page: plays the secretariat channel, the on-call channel, every member channel and the
 * direct messages in one browser tab, against the contract in ../../local-api.ts. Plain DOM, no framework, no
 * build: native ES modules, loaded from index.html. This one boots the page.
 *
 * Safety rule: every string that came from the server reaches the page through textContent / Text nodes only
 * (see dom.js).
 */

import { applySession, state } from './state.js';
import { both, P } from './i18n.js';
import { $, debounce, el, sentence } from './dom.js';
import { storage, USER_KEY } from './storage.js';
import { api, errorText } from './api.js';
import { setConn } from './events.js';
import { buildUserSelect, defaultUser, setUser } from './acting-user.js';
import { applySidebarFilter } from './sidebar.js';
import { setupNavToggle } from './nav-toggle.js';

async function boot() {
  let session;
  let i18n;
  try {
    [session, i18n] = await Promise.all([
      api('/local/api/session', { anonymous: true }),
      api('/local/api/i18n', { anonymous: true }),
    ]);
  } catch (err) {
    const box = $('boot-error');
    box.replaceChildren(
      '⚠️ ',
      sentence(P.bootFailed),
      ' ',
      sentence(errorText(err)),
      ' ',
      el('button', { type: 'button', class: 'btn', on: { click: () => location.reload() } }, both(P.retry)),
    );
    box.hidden = false;
    setConn('closed');
    return;
  }
  state.i18n = i18n ?? {};
  applySession(session);

  const sector = session.sector && session.sector.name ? both(session.sector.name) : 'ceptoar-bot';
  $('sector-name').textContent = sector;
  document.title = `${sector} — ${both(P.workspace)}`;
  $('demo-note').hidden = !session.demoTimings;

  buildUserSelect();
  setupNavToggle();
  $('channel-filter').addEventListener('input', debounce(applySidebarFilter, 80));

  const params = new URLSearchParams(location.search);
  const wanted = params.get('user') ?? storage.get(USER_KEY);
  const user = (wanted && state.users.get(wanted)) || defaultUser();
  if (!user) {
    $('channel-title').textContent = both(P.noChannel);
    return;
  }
  setUser(user.id, params.get('channel'));
}

window.addEventListener('beforeunload', () => state.es?.close());
boot();
