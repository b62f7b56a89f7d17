/**
 * What an advisory's life after issue adds to a message: correction lines, the withdrawal or removal that
 * replaces a copy, a follow-up in the thread, the closing summary. The words come from the server
 * (body.lifecycle, see adapters/local/local-lifecycle-lines.ts); this only lays them out.
 */

import { both } from './i18n.js';
import { el, sentence } from './dom.js';
import { envelope, tlpClass } from './render-parts.js';

function lines(l) {
  return (Array.isArray(l?.lines) ? l.lines : []).map((t) => el('p', { class: 'lifecycle-line' }, sentence(t)));
}

/** Correction lines under an advisory's heading. */
export function correctionBlock(l) {
  const items = lines(l);
  return items.length > 0 ? el('div', { class: 'corrections', testid: 'corrections' }, '✏️ ', ...items) : null;
}

/** A copy replaced whole (withdrawn, or removed by a stricter TLP): no content, no button. */
export function replacedBody(v, l) {
  const card = el('div', { class: `card replaced ${tlpClass(v.tlp)}`, testid: 'replaced-copy' });
  card.append(el('p', { class: 'notice-head' }, el('strong', null, `${v.withdrawn ? '⛔' : '🗑️'} ${both(l.heading)}`)));
  if (v.withdrawn) card.append(el('p', { class: 'struck' }, el('s', null, String(v.title ?? ''))));
  card.append(...lines(l), el('p', { class: 'msg-foot' }, String(v.advisoryId ?? '')));
  return [...envelope(v.tlp, v.drill), card];
}

/** A follow-up (続報), shown in the thread of the copy it follows. */
export function followUpBody(v, l) {
  const card = el('div', { class: `card followup ${tlpClass(v.tlp)}`, testid: 'followup' });
  card.append(
    el('p', { class: 'notice-head' }, el('strong', null, `📣 ${both(l?.heading ?? { ja: '続報', en: 'Follow-up' })}`), ` · ${v.advisoryId} ${v.title}`),
    el('div', { class: 'advisory-body', testid: 'followup-body' }, String(v.body ?? '')),
  );
  return [...envelope(v.tlp, v.drill), card];
}

/** The closing summary and the "could not update a copy" notice. */
export function lifecycleNoticeBody(n, l) {
  const card = el('div', { class: `card notice notice-${n.kind}`, 'data-notice-kind': n.kind, testid: `notice-${n.kind}` });
  const mark = n.kind === 'sync_failed' ? '⚠️' : n.summary?.cause === 'withdrawn' ? '⛔' : '🏁';
  card.append(el('p', { class: 'notice-head' }, el('strong', null, `${mark} ${both(l.heading)}`)), el('p', null, `${n.advisoryId} ${n.title}`), ...lines(l));
  return [...envelope(n.tlp, n.drill), card];
}
