/** A phone task for on-call staff: state, call script, contacts in order, and the outcome buttons. */

import { both, C, contactStateMark, contactStateText, lab, phoneStateText, PW, tpl, Tx } from './i18n.js';
import { count, formatTokyo } from './format.js';
import { el, sentence, timeEl } from './dom.js';
import { actionButton, envelope, fields, tlpClass } from './render-parts.js';
import { press } from './press.js';

const E164 = /^\+[1-9]\d{6,14}$/;

function telLink(c) {
  const display = String(c.phoneDisplay || c.phoneE164 || '');
  if (typeof c.phoneE164 === 'string' && E164.test(c.phoneE164)) {
    return el('a', { class: 'tel', href: `tel:${c.phoneE164}`, testid: 'tel-link' }, display);
  }
  return el('code', null, display);
}

function phoneStateLine(v) {
  switch (v.state) {
    case 'open':
      return el('p', { class: 'phone-state open', testid: 'phone-state' }, '🟡 ', el('strong', null, both(phoneStateText('open'))), ' — ', both(C('phoneOpen')));
    case 'claimed':
      return el(
        'p',
        { class: 'phone-state claimed', testid: 'phone-state' },
        '📞 ',
        el('strong', null, both(phoneStateText('claimed', v.claimedBy))),
      );
    case 'done': {
      const r = v.resolution;
      const who = r?.by ?? v.claimedBy ?? '?';
      const at = r ? formatTokyo(r.at) : '?';
      // Records from before the bot asked which contact answered name only the caller.
      const text = r?.contact ? tpl('reachedContact', { contact: contactText(r.contact), who, at }) : tpl('reached', { who, at });
      return el('p', { class: 'phone-state done', testid: 'phone-state' }, '✅ ', sentence(text));
    }
    case 'cancelled':
      return el(
        'p',
        { class: 'phone-state cancelled', testid: 'phone-state' },
        '☑️ ',
        sentence(C('phoneCancelled')),
        v.resolution ? ` (${formatTokyo(v.resolution.at)})` : null,
      );
    default:
      return el('p', { class: 'phone-state', testid: 'phone-state' }, String(v.state));
  }
}

/** Action, label (a key of CT), primary. "Reached" is one button per contact (reachedChoices). */
const PHONE_BUTTONS = {
  open: [
    ['phone_claim', 'phoneClaim', true],
    ['phone_no_answer', 'phoneNoAnswer', false],
    ['phone_wrong_number', 'phoneWrongNumber', false],
  ],
  claimed: [
    ['phone_no_answer', 'phoneNoAnswer', false],
    ['phone_wrong_number', 'phoneWrongNumber', false],
    ['phone_release', 'phoneRelease', false],
  ],
};

/** "佐藤 健一 (情報システム部長)", as src/i18n/phone-text.ts contactText says it. */
export function contactText(c) {
  const name = String(c?.name ?? '');
  return c?.role ? tpl('contactWithRole', { name, role: String(c.role) }).ja : name;
}

/**
 * "Reached": one button per contact, the one being called now first (the view's order). The value is the task id and
 * the contact the button names, as on Slack and Teams; the core checks it against the directory.
 */
function reachedChoices(v, m) {
  const choices = Array.isArray(v.reachedChoices) ? v.reachedChoices : [];
  if (choices.length === 0 || (v.state !== 'open' && v.state !== 'claimed')) return null;
  const heading = tpl('reachedChoose', {});
  return el(
    'div',
    { class: 'reached', testid: 'phone-reached-choices' },
    el('p', { class: 'label' }, `✅ ${both(heading)}`),
    el(
      'div',
      { class: 'actions', role: 'group', 'aria-label': both(heading) },
      choices.map((c, n) =>
        actionButton(
          `phone-reached-${n + 1}`,
          tpl('reachedChoice', { k: count(Number(c.index) + 1), contact: contactText(c) }),
          c.current && v.state === 'claimed',
          () => press(m.id, m.channelId, 'phone_reached', `${v.taskId}#${c.choice}`),
        ),
      ),
    ),
  );
}

function outcomeButtons(v, m) {
  const buttons = PHONE_BUTTONS[v.state];
  if (!buttons) return null;
  return el(
    'div',
    { class: 'actions' },
    buttons.map(([action, label, primary]) =>
      actionButton(action.replace('phone_', 'phone-'), C(label), primary, () => press(m.id, m.channelId, action, v.taskId)),
    ),
  );
}

/**
 * One contact: number, where calls to them stand (not tried, no answer, wrong number, reached), and whether to call
 * them now, later (from the ladder's time) or as they come, as on Slack and Teams. Passing time never marks a
 * contact as tried.
 */
function contactItem(c, working) {
  const st = typeof c.state === 'string' ? c.state : 'not_tried';
  const tried = Array.isArray(c.tried) ? c.tried.length : 0;
  const later = working && !c.current && c.callable === false;
  let when = null;
  if (c.current) when = el('strong', { class: 'now', testid: 'contact-call-now' }, ` — ${both(PW('callNow'))}`);
  else if (later) {
    const text = c.callableFrom ? tpl('callableFrom', { time: formatTokyo(c.callableFrom) }) : PW('notCallableYet');
    when = el('span', { class: 'later muted', testid: 'contact-later' }, ` — ${both(text)}`);
  }
  return el(
    'li',
    {
      class: [c.current ? 'current' : null, later ? 'later' : null].filter(Boolean).join(' ') || null,
      'aria-current': c.current ? 'step' : null,
      'data-contact-state': st,
      testid: c.current ? 'phone-current' : 'phone-contact',
    },
    el('span', { class: 'marker', 'aria-hidden': 'true' }, c.current ? '▶' : '・'),
    el('span', { class: 'cname' }, String(c.name ?? '')),
    c.role ? el('span', { class: 'crole' }, ` (${c.role})`) : null,
    ' ',
    telLink(c),
    el(
      'span',
      { class: `cstate st-${st}`, testid: 'contact-state' },
      ` — ${contactStateMark(st)} ${both(contactStateText(st))}${tried > 1 ? ` (${both(tpl('calls', { n: count(tried) }))})` : ''}`,
    ),
    when,
  );
}

export function phoneTaskBody(v, m) {
  const out = [...envelope(v.tlp, v.drill)];
  out.push(el('h3', { class: 'msg-title phone-head' }, `📞 ${both(C('phoneTask'))}: ${both(v.memberName)}`), phoneStateLine(v));
  if (v.overdue?.since) {
    const overdue = tpl('overdue', { since: formatTokyo(v.overdue.since) });
    out.push(el('p', { class: 'overdue', role: 'alert', testid: 'phone-overdue' }, el('strong', null, overdue.ja), el('br'), el('strong', null, `⚠ ${overdue.en}`)));
  }
  if (v.exhausted && (v.state === 'open' || v.state === 'claimed')) {
    out.push(el('p', { class: 'exhausted', testid: 'phone-exhausted' }, '⚠️ ', sentence(C('phoneExhausted'))));
  }
  const card = el('div', { class: `card ${tlpClass(v.tlp)}` });
  card.append(
    fields([
      [C('advisoryId'), String(v.advisoryId ?? '')],
      [C('title'), String(v.title ?? '')],
      [Tx('severity'), both(lab('SEVERITY_TEXT', v.severity))],
      [Tx('ackDeadline'), timeEl(v.ackDeadline)],
    ]),
  );
  const sec = v.secretariatName ?? { ja: '事務局', en: 'the secretariat' };
  const script = tpl(v.script === 'red' ? 'redScript' : 'standardScript', { secretariat: sec, advisoryId: v.advisoryId, title: v.title });
  card.append(el('div', { class: 'script', testid: 'phone-script' }, el('p', { class: 'label' }, `🗒️ ${both(C('phoneScript'))}`), el('p', null, sentence(script))));
  // A later round's call is about its follow-up too.
  if (v.round) card.append(el('p', { class: 'round-line', testid: 'phone-round' }, '📣 ', el('strong', null, sentence(tpl('roundPhone', { n: v.round.n, followup: v.round.followup })))));
  if (v.script === 'red') {
    card.append(el('p', { class: 'dnf' }, '🔒 ', sentence(C('phoneRedNote'))));
  } else if (typeof v.excerpt === 'string' && v.excerpt.trim() !== '') {
    card.append(el('div', { class: 'excerpt' }, el('p', { class: 'label' }, both(C('phoneExcerpt'))), el('p', { class: 'advisory-body' }, v.excerpt)));
  }
  card.append(el('p', { class: 'label' }, `☎️ ${both(C('phoneContacts'))}`));
  const contacts = Array.isArray(v.contacts) ? v.contacts : [];
  const working = v.state === 'open' || v.state === 'claimed';
  if (contacts.length === 0) {
    card.append(el('p', { class: 'warn' }, '⚠️ ', sentence(C('phoneNoContacts'))));
  } else {
    card.append(
      el(
        'ol',
        { class: 'contacts', testid: 'phone-contacts' },
        contacts.map((c) => contactItem(c, working)),
      ),
    );
  }
  // The next step on top, as on Slack: claim an open task; once claimed, say who answered.
  const outcomes = outcomeButtons(v, m);
  const reached = reachedChoices(v, m);
  for (const part of v.state === 'open' ? [outcomes, reached] : [reached, outcomes]) if (part) card.append(part);
  card.append(el('p', { class: 'msg-foot' }, `${v.taskId} · ${both(Tx('recipient'))}: ${both(v.memberName)}`));
  out.push(card);
  return out;
}
