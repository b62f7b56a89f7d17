/** Pieces every kind of message uses: the TLP label and envelope, the field list, the action button. */

import { both, lab, Tx } from './i18n.js';
import { el } from './dom.js';

export const TLP_LEVELS = ['TLP:RED', 'TLP:AMBER+STRICT', 'TLP:AMBER', 'TLP:GREEN', 'TLP:CLEAR'];

export function tlpClass(tlp) {
  return TLP_LEVELS.includes(tlp) ? `tlp-${tlp.slice(4).toLowerCase().replace('+', '-')}` : 'tlp-unknown';
}

/** The TLP label, in FIRST's colour on black: always the first thing in a message. */
export function tlpLabel(tlp) {
  return el('span', { class: `tlp-label ${tlpClass(tlp)}`, testid: 'tlp-label' }, String(tlp ?? 'TLP:?'));
}

export function envelope(tlp, drill) {
  const parts = [
    el(
      'div',
      { class: 'envelope' },
      tlpLabel(tlp),
      el('span', { class: 'tlp-text' }, both(lab('TLP_TEXT', tlp))),
    ),
  ];
  if (drill) parts.push(el('div', { class: 'drill-banner', testid: 'drill-banner' }, `🚧 ${both(Tx('drillBanner'))} 🚧`));
  return parts;
}

export function fields(rows) {
  return el(
    'dl',
    { class: 'fields' },
    rows.filter(Boolean).map(([label, value, testid]) => el('div', { class: 'field', testid: testid ?? null }, el('dt', null, both(label)), el('dd', null, value))),
  );
}

export function actionButton(testid, label, primary, onClick) {
  return el('button', { type: 'button', class: `btn act${primary ? ' primary' : ''}`, testid, on: { click: onClick } }, both(label));
}
