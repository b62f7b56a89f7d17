/** Notices to the secretariat: delivery failed, escalation alert, advisory issued. */

import { both, failureExplanation, lab, P, Tx } from './i18n.js';
import { count } from './format.js';
import { el, sentence, timeEl } from './dom.js';
import { envelope, fields } from './render-parts.js';
import { viewStatusFrom } from './status-panel.js';

function viewStatusButton(advisoryId) {
  return el(
    'div',
    { class: 'actions' },
    el(
      'button',
      {
        type: 'button',
        class: 'btn',
        testid: 'view-status',
        on: { click: (ev) => viewStatusFrom(advisoryId, ev.currentTarget.closest('article')) },
      },
      `📊 ${both(P.viewStatus)}`,
    ),
  );
}

export function noticeBody(n) {
  const out = [...envelope(n.tlp, n.drill)];
  const card = el('div', { class: `card notice notice-${n.kind}`, 'data-notice-kind': n.kind });
  if (n.kind === 'delivery_failed') {
    card.append(
      el('p', { class: 'notice-head warn' }, '⚠️ ', el('strong', null, both(P.deliveryFailed))),
      fields([
        [P.advisoryId, String(n.advisoryId ?? '')],
        [P.title, String(n.title ?? '')],
        [P.member, both(n.memberName)],
      ]),
      el(
        'p',
        { class: 'reason', testid: 'failure-reason' },
        el('strong', null, both(P.reason)),
        ': ',
        el('code', null, String(n.reason ?? '')),
        el('br'),
        sentence(failureExplanation(n.reason)),
      ),
    );
  } else if (n.kind === 'escalation_alert') {
    card.append(
      el('p', { class: 'notice-head alert' }, '🚨 ', el('strong', null, both(P.escalationAlert))),
      fields([
        [P.member, both(n.memberName)],
        [P.advisoryId, String(n.advisoryId ?? '')],
        [P.title, String(n.title ?? '')],
        [P.deliveryState, both(lab('STATE_TEXT', n.deliveryState))],
        [P.attempts, count(n.attempts ?? 0)],
        [P.heldBy, n.claimedBy !== undefined && n.claimedBy !== null ? String(n.claimedBy) : both(P.nobody)],
      ]),
    );
    const wrong = Array.isArray(n.wrongNumbers) ? n.wrongNumbers : [];
    if (wrong.length > 0) {
      card.append(
        el('p', { class: 'wrong-numbers', testid: 'wrong-numbers' }, '📵 ', el('strong', null, both(P.wrongNumbers)), ': ', wrong.join(', '), el('br'), sentence(P.fixDirectory)),
      );
    }
  } else if (n.kind === 'advisory_issued') {
    card.append(
      el('p', { class: 'notice-head ok' }, '✅ ', el('strong', null, both(P.advisoryIssued))),
      fields([
        [P.advisoryId, String(n.advisoryId ?? ''), 'notice-advisory-id'],
        [P.title, String(n.title ?? '')],
        [P.deliveries, count(n.deliveries ?? 0)],
        [Tx('ackDeadline'), timeEl(n.ackDeadline)],
        [P.issuedBy, String(n.issuedBy ?? '')],
      ]),
    );
  } else {
    card.append(el('p', { class: 'muted' }, `${both(P.unknownKind)}: ${String(n.kind)}`));
  }
  if (n.advisoryId) card.append(viewStatusButton(n.advisoryId));
  out.push(card);
  return out;
}
