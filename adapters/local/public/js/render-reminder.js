/** The reminder posted to a member that has not acknowledged yet. */

import { state } from './state.js';
import { both, C, P, tpl, Tx } from './i18n.js';
import { formatTokyo } from './format.js';
import { el, sentence } from './dom.js';
import { envelope } from './render-parts.js';

export function reminderBody(v) {
  const out = [...envelope(v.tlp, v.drill)];
  if (v.acknowledged) {
    // Acknowledged since: no mention and no request left, who acknowledged and when.
    const card = el('div', { class: 'card reminder done', testid: 'reminder-acknowledged' });
    card.append(
      el('p', { class: 'notice-head' }, '⏰ ', el('s', null, both(C('reminderHeading')))),
      el('p', { class: 'acked' }, '✅ ', el('strong', null, both(Tx('acknowledgedBy'))), `: ${v.acknowledged.by} (${formatTokyo(v.acknowledged.at)})`),
      el('p', { class: 'msg-foot' }, `${v.advisoryId} ${v.title} · ${both(v.memberName)}`),
    );
    out.push(card);
    return out;
  }
  const mentions = [...new Set(Array.isArray(v.mention) ? v.mention : [])];
  const mine = state.user && mentions.includes(state.user.id);
  const deadline = formatTokyo(v.ackDeadline);
  const text = tpl('reminder', { advisoryId: v.advisoryId, title: v.title, deadline });
  const card = el('div', { class: `card reminder${mine ? ' mine' : ''}` });
  card.append(el('p', { class: 'notice-head' }, '⏰ ', el('strong', null, both(C('reminderHeading')))));
  if (mentions.length > 0) {
    card.append(
      el(
        'p',
        { class: 'mentions', testid: 'mentions' },
        mentions.map((id) => el('span', { class: `mention${state.user && id === state.user.id ? ' me' : ''}` }, `@${state.users.get(id)?.name ?? id}`)),
        mine ? el('span', { class: 'tag' }, both(P.mentionsYou)) : null,
      ),
    );
  }
  // A later round's reminder is about its follow-up, whose button is in the thread.
  const ask =
    v.followup === undefined || v.followup === null
      ? [el('p', null, sentence(text)), el('p', null, sentence(C('reminderPressAbove')))]
      : [
          el('p', { testid: 'reminder-followup' }, el('strong', null, sentence(tpl('roundReminder', { followup: v.followup, deadline })))),
          el('p', null, `${v.advisoryId} ${v.title}`),
          el('p', null, sentence(tpl('roundReminderPress', { followup: v.followup }))),
        ];
  card.append(
    ...ask,
    el('p', { class: 'msg-foot' }, `${both(Tx('recipient'))}: ${both(v.memberName)} · ${both(Tx('ackDeadline'))}: ${deadline}`),
  );
  out.push(card);
  return out;
}
