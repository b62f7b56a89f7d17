/**
 * The channel list on a narrow screen (mobile.css): hidden behind the header's "チャンネル / Channels" button, as
 * Slack's and Teams' phone apps do, so the open channel gets the whole width. The button opens and closes it;
 * choosing a channel, tapping the channel beside it, or Escape closes it. On a wide screen the button is not shown
 * and the list is always there (the class changes nothing).
 */

import { $ } from './dom.js';

const OPEN = 'nav-open';

function setOpen(open) {
  document.body.classList.toggle(OPEN, open);
  $('nav-toggle').setAttribute('aria-expanded', open ? 'true' : 'false');
}

export function setupNavToggle() {
  const toggle = $('nav-toggle');
  toggle.addEventListener('click', () => {
    const open = !document.body.classList.contains(OPEN);
    setOpen(open);
    if (open) $('sidebar').querySelector('button.channel[aria-current="page"], button.channel, input')?.focus();
  });
  $('channel-groups').addEventListener('click', (ev) => {
    if (typeof ev.target?.closest === 'function' && ev.target.closest('button.channel')) setOpen(false);
  });
  $('main').addEventListener('click', () => {
    if (document.body.classList.contains(OPEN)) setOpen(false);
  });
  document.addEventListener('keydown', (ev) => {
    if (ev.key !== 'Escape' || !document.body.classList.contains(OPEN)) return;
    setOpen(false);
    toggle.focus();
  });
}
