/** Notices to the secretariat: delivery failed, escalation alert, a step that could not run, advisory issued. */

import { both, C, failureExplanation, lab, P, Tx } from './i18n.js';
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
      el('p', { class: 'notice-head warn' }, '⚠️ ', el('strong', null, both(C('deliveryFailed')))),
      fields([
        [C('advisoryId'), String(n.advisoryId ?? '')],
        [C('title'), String(n.title ?? '')],
        [C('member'), both(n.memberName)],
      ]),
      el(
        'p',
        { class: 'reason', testid: 'failure-reason' },
        el('strong', null, both(C('reason'))),
        ': ',
        el('code', null, String(n.reason ?? '')),
        n.detail ? [' (', el('code', null, String(n.detail)), ')'] : null,
        el('br'),
        sentence(failureExplanation(n.reason)),
      ),
    );
  } else if (n.kind === 'escalation_alert') {
    card.append(
      el('p', { class: 'notice-head alert' }, '🚨 ', el('strong', null, both(C('escalationAlert')))),
      fields([
        [C('member'), both(n.memberName)],
        [C('advisoryId'), String(n.advisoryId ?? '')],
        [C('title'), String(n.title ?? '')],
        [C('deliveryState'), both(lab('STATE_TEXT', n.deliveryState))],
        [C('attempts'), count(n.attempts ?? 0)],
        [C('heldBy'), n.claimedBy !== undefined && n.claimedBy !== null ? String(n.claimedBy) : both(C('nobody'))],
      ]),
    );
    const wrong = Array.isArray(n.wrongNumbers) ? n.wrongNumbers : [];
    if (wrong.length > 0) {
      card.append(
        el('p', { class: 'wrong-numbers', testid: 'wrong-numbers' }, '📵 ', el('strong', null, both(C('wrongNumbers'))), ': ', wrong.join(', '), el('br'), sentence(C('fixDirectory'))),
      );
    }
  } else if (n.kind === 'step_failed') {
    card.append(
      el('p', { class: 'notice-head warn' }, '⚠️ ', el('strong', null, both(C('stepFailed')))),
      fields([
        [C('member'), both(n.memberName)],
        [C('advisoryId'), String(n.advisoryId ?? '')],
        [C('title'), String(n.title ?? '')],
        [C('step'), both(lab('STEP_TEXT', n.step))],
      ]),
      el('p', { class: 'reason', testid: 'step-failure-reason' }, el('strong', null, both(C('reason'))), ': ', el('code', null, String(n.reason ?? '')), el('br'), sentence(C('stepFailedAction'))),
    );
  } else if (n.kind === 'advisory_issued') {
    card.append(
      el('p', { class: 'notice-head ok' }, '✅ ', el('strong', null, both(C('advisoryIssued')))),
      fields([
        [C('advisoryId'), String(n.advisoryId ?? ''), 'notice-advisory-id'],
        [C('title'), String(n.title ?? '')],
        [C('deliveries'), count(n.deliveries ?? 0)],
        [Tx('ackDeadline'), timeEl(n.ackDeadline)],
        [C('issuedBy'), String(n.issuedBy ?? '')],
      ]),
    );
  } else {
    card.append(el('p', { class: 'muted' }, `${both(P.unknownKind)}: ${String(n.kind)}`));
  }
  if (n.advisoryId) card.append(viewStatusButton(n.advisoryId));
  out.push(card);
  return out;
}
