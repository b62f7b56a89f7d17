/**
 * A picture the bot posted: the reach chart (疎通確認率) after the closing summary, in the secretariat's channel. The
 * label first (and the drill banner for a drill), the heading with the advisory's id and title, then the picture. The
 * words come worded from the server (body.lines, adapters/local/local-image-lines.ts). The PNG arrives as base64 and is
 * shown as an image from a blob, as the status view's chart is: it is drawn, never parsed into the page.
 */

import { both } from './i18n.js';
import { el } from './dom.js';
import { tlpLabel } from './render-parts.js';

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** The picture's bytes as an image/png blob URL, or null when what came is not base64. */
function pictureUrl(base64) {
  if (typeof base64 !== 'string' || !BASE64.test(base64)) return null;
  const binary = window.atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return window.URL.createObjectURL(new window.Blob([bytes], { type: 'image/png' }));
}

export function imageBody(b) {
  const v = b.view ?? {};
  const l = b.lines ?? {};
  const url = pictureUrl(b.png);
  const img = el('img', { class: 'chart-image', testid: 'chart-image', alt: l.altText ? both(l.altText) : '', width: '100%' });
  if (url) {
    img.addEventListener('load', () => window.URL.revokeObjectURL(url), { once: true });
    img.src = url;
  }
  return [
    el('div', { class: 'envelope' }, tlpLabel(v.tlp), l.tlpText ? el('span', { class: 'tlp-text' }, both(l.tlpText)) : null),
    l.drill ? el('div', { class: 'drill-banner', testid: 'drill-banner' }, `🚧 ${both(l.drill)} 🚧`) : null,
    el('p', { class: 'chart-heading', testid: 'chart-heading' }, `📈 ${l.heading ? both(l.heading) : ''}: ${String(v.advisoryId ?? '')} ${String(v.title ?? '')}`),
    el('figure', { class: 'chart-figure', testid: 'chart-figure', 'data-filename': String(b.filename ?? '') }, img),
  ];
}
