/**
 * A grouped alert to the secretariat (notice kind 'alert_digest'): one message per advisory and wave, redrawn as
 * its members resolve. The same content as Slack and Teams (src/view/alert-digest-lines.ts), worded from the
 * templates the server sends (ALERT_TEXT, adapters/local/local-alert-text.ts) and the shared tables. Every string
 * from the server reaches the page as a Text node (dom.js el()).
 */

import { both, C, failureExplanation, I, isBilingual, lab, Tx } from './i18n.js';
import { count, formatTokyo } from './format.js';
import { el, sentence } from './dom.js';
import { fields } from './render-parts.js';

/** An ALERT_TEXT template with its {placeholders} filled in (one pass: a value with braces goes in as it is). */
function at(key, vars = {}) {
  const t = lab('ALERT_TEXT', key);
  const fill = (s) => s.replace(/\{(\w+)\}/g, (whole, name) => (Object.hasOwn(vars, name) ? String(vars[name] ?? '') : whole));
  return { ja: fill(t.ja), en: fill(t.en) };
}

function mark(stateName) {
  const t = I().ALERT_MARKS;
  return t && Object.hasOwn(t, stateName) && typeof t[stateName] === 'string' ? t[stateName] : '・';
}

const labelled = (label, value) => ({ ja: `${label.ja}: ${value}`, en: `${label.en}: ${value}` });

export function alertHeading(n) {
  const total = Number(n.total) || 0;
  const one = total === 1;
  if (n.alert === 'failed') return one ? at('failedHeadingOne') : at('failedHeading', { total: count(total) });
  return at(one ? 'escalationHeadingOne' : 'escalationHeading', { total: count(total), wave: count(Number(n.wave) || 0) });
}

/** One member's line: mark, name, then the state or failure code, calls, who holds the task, wrong numbers. */
export function alertMemberRow(alert, m) {
  const name = isBilingual(m.memberName) ? both(m.memberName) : String(m.memberName ?? '');
  const wrong = Array.isArray(m.wrongNumbers) ? m.wrongNumbers.map(String) : [];
  const parts = [];
  let code = null;
  const r = m.resolved;
  if (r && typeof r === 'object') {
    parts.push(both(at(r.via === 'phone' ? 'resolvedByPhone' : 'resolvedByButton', { by: String(r.by ?? ''), at: formatTokyo(r.at) })));
  } else {
    const failed = alert === 'failed' || m.state === 'failed';
    if (failed && m.reason !== undefined && m.reason !== null) code = String(m.reason);
    else parts.push(both(lab('STATE_TEXT', m.state)));
    const attempts = Number(m.attempts) || 0;
    const claimed = m.claimedBy !== undefined && m.claimedBy !== null;
    if (!failed || attempts > 0 || claimed) {
      parts.push(both(labelled(C('attempts'), count(attempts))));
      const nobody = C('nobody');
      const held = C('heldBy');
      parts.push(both(claimed ? labelled(held, String(m.claimedBy)) : { ja: `${held.ja}: ${nobody.ja}`, en: `${held.en}: ${nobody.en}` }));
    }
  }
  const pieces = [];
  if (code !== null) pieces.push(el('code', { testid: 'alert-member-reason' }, code));
  // What the platform itself said, beside the code.
  if (code !== null && typeof m.detail === 'string' && m.detail !== '') pieces.push(el('span', { testid: 'alert-member-detail' }, `(${m.detail})`));
  for (const p of parts) pieces.push(p);
  if (wrong.length > 0) pieces.push(el('span', { class: 'wrong-numbers', testid: 'alert-member-wrong' }, `📵 ${both(C('wrongNumbers'))}: ${wrong.join(', ')}`));
  const joined = pieces.flatMap((p, i) => (i === 0 ? [p] : [' · ', p]));
  return el(
    'li',
    {
      class: `alert-member${r ? ' resolved' : ''}`,
      testid: 'alert-member',
      'data-state': String(m.state ?? ''),
      'data-resolved': r ? 'true' : 'false',
    },
    `${r ? '✅' : mark(m.state)} `,
    el('strong', { testid: 'alert-member-name' }, name),
    ' — ',
    joined,
  );
}

/** What goes into the notice's card (render-notice.js adds the envelope and the status button). */
export function alertDigestParts(n) {
  const members = Array.isArray(n.members) ? n.members : [];
  const heading = alertHeading(n);
  const drill = n.drill ? Tx('drillTag') : null;
  const out = [
    el(
      'p',
      { class: 'notice-head alert', testid: 'alert-heading' },
      el('strong', null, drill ? both({ ja: `${drill.ja}${heading.ja}`, en: `${drill.en} ${heading.en}` }) : both(heading)),
    ),
    fields([
      [C('advisoryId'), String(n.advisoryId ?? ''), 'alert-advisory-id'],
      [C('title'), String(n.title ?? '')],
    ]),
    el('p', { class: 'alert-resolved', testid: 'alert-resolved' }, '📊 ', el('strong', null, both(at('resolvedOf', { resolved: count(Number(n.resolved) || 0), total: count(Number(n.total) || 0) })))),
    el('ul', { class: 'alert-members', testid: 'alert-members' }, members.map((m) => alertMemberRow(n.alert, m))),
  ];
  const more = Number(n.more) || 0;
  if (more > 0) out.push(el('p', { class: 'muted', testid: 'alert-more' }, `➕ ${both(at('more', { n: count(more) }))}`));
  const codes = [];
  for (const m of members) {
    const failed = n.alert === 'failed' || m.state === 'failed';
    if (m.resolved || !failed || m.reason === undefined || m.reason === null || codes.includes(String(m.reason))) continue;
    codes.push(String(m.reason));
  }
  if (codes.length > 0) {
    out.push(
      el(
        'div',
        { class: 'reason', testid: 'alert-reasons' },
        el('strong', null, both(C('reason'))),
        codes.map((c) => el('p', { testid: 'alert-reason', 'data-code': c }, el('code', null, c), ': ', sentence(failureExplanation(c)))),
      ),
    );
  }
  if (members.some((m) => Array.isArray(m.wrongNumbers) && m.wrongNumbers.length > 0)) {
    out.push(el('p', { class: 'wrong-numbers', testid: 'alert-fix-directory' }, '📵 ', sentence(C('fixDirectory'))));
  }
  out.push(el('p', { class: 'muted', testid: 'alert-as-of' }, `🕒 ${both(at('asOf', { at: formatTokyo(n.asOf) }))}`));
  return out;
}
