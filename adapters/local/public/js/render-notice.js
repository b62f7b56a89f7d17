/** Notices to the secretariat (delivery failed, escalation alert, a step that could not run, advisory issued), and a drill's announcement to a member. */

import { both, C, failureExplanation, lab, P, Tx } from './i18n.js';
import { count } from './format.js';
import { el, sentence, timeEl } from './dom.js';
import { envelope, fields } from './render-parts.js';
import { viewStatusFrom } from './status-panel.js';
import { alertDigestParts } from './render-alert-digest.js';

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

/**
 * The live part of the secretariat's status card: a bar of segments per delivery state (each as wide as its count),
 * then the counts, who is on the phone, the round, time since issue, the next step, how it closed. The words come
 * worded from the server (body.live, adapters/local/local-live-lines.ts); this only lays them out.
 */
export function liveBlock(l) {
  const segments = Array.isArray(l.segments) ? l.segments : [];
  const bar = el(
    'div',
    { class: 'live-bar', role: 'img', 'aria-label': `${both(l.label)}: ${both(l.progress)}`, testid: 'live-bar' },
    segments.map((s) =>
      el('span', {
        class: `live-seg live-seg-${String(s.state)}`,
        style: `flex-grow: ${Number(s.count) || 0}`,
        title: both(s.text),
        'data-state': String(s.state),
        'data-count': String(Number(s.count) || 0),
        testid: `live-seg-${String(s.state)}`,
      }),
    ),
  );
  const line = (mark, t, testid, cls = 'live-note') => (t ? el('p', { class: cls, testid }, `${mark} `, both(t)) : null);
  return el(
    'div',
    { class: 'live-status', testid: 'live-status' },
    segments.length > 0 ? bar : null,
    el('p', { class: 'live-progress', testid: 'live-progress' }, sentence(l.progress)),
    line('📞', l.onPhone, 'live-on-phone', 'live-phone'),
    line('🔁', l.round, 'live-round'),
    line('🕒', l.since, 'live-since'),
    line('⏭️', l.next, 'live-next'),
    l.closed ? el('p', { class: 'live-closed', testid: 'live-closed' }, '🏁 ', sentence(l.closed)) : null,
  );
}

/**
 * A notice; `live`: the status card's worded live part, when the server sent one; `drill`: a drill announcement's
 * worded lines (adapters/local/local-drill-lines.ts).
 */
export function noticeBody(n, live, drill) {
  const out = [...envelope(n.tlp, n.drill)];
  const card = el('div', { class: `card notice notice-${n.kind}`, 'data-notice-kind': n.kind });
  if (n.kind === 'alert_digest') {
    card.append(...alertDigestParts(n));
  } else if (n.kind === 'delivery_failed') {
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
        // The current round's deadline once the card is live (a follow-up may ask again).
        [Tx('ackDeadline'), timeEl(live?.ackDeadline ?? n.live?.ackDeadline ?? n.ackDeadline)],
        [C('issuedBy'), String(n.issuedBy ?? '')],
      ]),
    );
    if (live && typeof live === 'object' && live.progress) card.append(liveBlock(live));
  } else if (n.kind === 'drill_announcement' && drill && typeof drill === 'object') {
    // In a member's channel, ahead of an announced drill: nothing to press, and no status to open (members have none).
    card.append(
      el('p', { class: 'notice-head drill', testid: 'drill-notice-heading' }, '📅 ', el('strong', null, both(drill.heading))),
      fields([
        [drill.windowLabel, both(drill.window), 'drill-notice-window'],
        [C('advisoryId'), String(n.advisoryId ?? ''), 'notice-advisory-id'],
        [C('member'), both(n.memberName)],
      ]),
      el('p', { class: 'drill-notice-body', testid: 'drill-notice-body' }, sentence(drill.body)),
      el('p', { class: 'drill-notice-ask' }, sentence(drill.ask)),
      el('p', { class: 'small muted' }, sentence(drill.notReal)),
    );
    out.push(card);
    return out;
  } else {
    card.append(el('p', { class: 'muted' }, `${both(P.unknownKind)}: ${String(n.kind)}`));
  }
  if (n.advisoryId) card.append(viewStatusButton(n.advisoryId));
  out.push(card);
  return out;
}
