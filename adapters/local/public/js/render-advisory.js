/** An advisory as its recipients see it, with the acknowledge button. */

import { both, C, lab, tpl, Tx } from './i18n.js';
import { count, formatTokyo } from './format.js';
import { el, sentence, timeEl } from './dom.js';
import { actionButton, envelope, fields, tlpClass } from './render-parts.js';
import { press } from './press.js';

const ALSO_SEEN_MAX = 20;

export function advisoryBody(v, m, corrections = null) {
  const out = [...envelope(v.tlp, v.drill)];
  const card = el('div', { class: `card ${tlpClass(v.tlp)}` });
  card.append(
    el('h3', { class: 'msg-title', testid: 'advisory-title' }, String(v.title ?? '')),
    fields([
      [Tx('severity'), both(lab('SEVERITY_TEXT', v.severity)), 'severity'],
      [Tx('category'), both(lab('CATEGORY_TEXT', v.category)), 'category'],
      [Tx('source'), both(lab('SOURCE_TEXT', v.source)), 'source'],
      [Tx('recipient'), both(v.memberName), 'recipient'],
      [Tx('ackDeadline'), timeEl(v.ackDeadline), 'deadline'],
    ]),
  );
  if (corrections) card.append(corrections);
  card.append(
    el('div', { class: 'advisory-body', testid: 'advisory-body' }, String(v.body ?? '')),
  );
  if (v.audience === 'direct') {
    card.append(el('p', { class: 'dnf', testid: 'do-not-forward' }, el('span', { 'aria-hidden': 'true' }, '🔒 '), sentence(Tx('doNotForward'))));
  }
  if (v.acknowledged) {
    const a = v.acknowledged;
    card.append(
      el(
        'p',
        { class: 'acked', testid: 'acknowledged' },
        '✅ ',
        el('strong', null, both(Tx('acknowledgedBy'))),
        ': ',
        el('span', { class: 'who' }, String(a.by ?? '')),
        ` (${formatTokyo(a.at)}, via ${both(lab('VIA_TEXT', a.via))})`,
      ),
    );
    const seen = Array.isArray(v.alsoSeenBy) ? v.alsoSeenBy : [];
    if (seen.length > 0) {
      const shown = seen.slice(0, ALSO_SEEN_MAX).map((s) => `${s.by} (${formatTokyo(s.at)})`);
      if (seen.length > ALSO_SEEN_MAX) shown.push(both(tpl('moreNames', { n: count(seen.length - ALSO_SEEN_MAX) })));
      card.append(el('p', { class: 'also-seen', testid: 'also-seen' }, '👀 ', el('strong', null, both(Tx('alsoSeenBy'))), ': ', shown.join(', ')));
    }
  }
  if (v.laterRound) {
    // A follow-up asks for acknowledgement now: its button is in the thread, none here (what is shown above is the first round's).
    card.append(el('p', { class: 'round-line', testid: 'later-round' }, '👉 ', el('strong', null, sentence(tpl('roundLaterRound', { followup: v.laterRound.followup })))));
  } else if (!v.acknowledged) {
    card.append(
      el('p', { class: 'hint' }, sentence(Tx('pleaseAck'))),
      el('div', { class: 'actions' }, actionButton('ack-button', Tx('ackButton'), true, () => press(m.id, m.channelId, 'advisory_ack', v.deliveryId))),
    );
  }
  card.append(el('p', { class: 'msg-foot' }, `${v.advisoryId} · ${both(C('issued'))}: ${formatTokyo(v.issuedAt)}`));
  out.push(card);
  return out;
}
