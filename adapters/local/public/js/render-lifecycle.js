/**
 * What an advisory's life after issue adds to a message: correction lines, the withdrawal or removal that
 * replaces a copy, a follow-up in the thread, the closing summary. The words come from the server
 * (body.lifecycle, see adapters/local/local-lifecycle-lines.ts); this only lays them out.
 */

import { both, lab, tpl, Tx } from './i18n.js';
import { formatTokyo } from './format.js';
import { el, sentence } from './dom.js';
import { actionButton, envelope, tlpClass } from './render-parts.js';
import { press } from './press.js';

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

/**
 * A follow-up (続報), shown in the thread of the copy it follows (m: its message). One that asks for acknowledgement
 * has the advisory's own button (the server finds the delivery from the message pressed, this one), then who
 * acknowledged, or that the round ended.
 */
export function followUpBody(v, l, m) {
  const card = el('div', { class: `card followup ${tlpClass(v.tlp)}`, testid: 'followup' });
  card.append(
    el('p', { class: 'notice-head' }, el('strong', null, `📣 ${both(l?.heading ?? { ja: '続報', en: 'Follow-up' })}`), ` · ${v.advisoryId} ${v.title}`),
    el('div', { class: 'advisory-body', testid: 'followup-body' }, String(v.body ?? '')),
  );
  if (v.ack) card.append(...followUpAck(v, m));
  return [...envelope(v.tlp, v.drill), card];
}

function followUpAck(v, m) {
  const a = v.ack;
  if (a.acknowledged) {
    return [
      el(
        'p',
        { class: 'acked', testid: 'followup-acknowledged' },
        '✅ ',
        el('strong', null, both(Tx('acknowledgedBy'))),
        ': ',
        el('span', { class: 'who' }, String(a.acknowledged.by ?? '')),
        ` (${formatTokyo(a.acknowledged.at)}, via ${both(lab('VIA_TEXT', a.acknowledged.via))})`,
      ),
    ];
  }
  if (a.ended) return [el('p', { class: 'muted', testid: 'followup-ended' }, '⏹️ ', sentence(lab('ROUND_TEXT', 'ackEnded')))];
  const ask = el('p', { class: 'hint', testid: 'followup-ask' }, '🙏 ', el('strong', null, sentence(tpl('roundPleaseAckBy', { deadline: formatTokyo(a.deadline) }))));
  if (!m) return [ask];
  return [ask, el('div', { class: 'actions' }, actionButton('ack-button', Tx('ackButton'), true, () => press(m.id, m.channelId, 'advisory_ack', v.deliveryId)))];
}

/** The closing summary and the "could not update a copy" notice. */
export function lifecycleNoticeBody(n, l) {
  const card = el('div', { class: `card notice notice-${n.kind}`, 'data-notice-kind': n.kind, testid: `notice-${n.kind}` });
  const mark = n.kind === 'sync_failed' ? '⚠️' : n.summary?.cause === 'withdrawn' ? '⛔' : '🏁';
  card.append(el('p', { class: 'notice-head' }, el('strong', null, `${mark} ${both(l.heading)}`)), el('p', null, `${n.advisoryId} ${n.title}`), ...lines(l));
  return [...envelope(n.tlp, n.drill), card];
}
