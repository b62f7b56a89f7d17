import { CT, reminderText } from '../../src/i18n/chat-text.js';
import { both, formatTokyo, stacked, T } from '../../src/i18n/text.js';
import type { ReminderView } from '../../src/view/views.js';
import { card, envelope, name, small, textBlock, type AdaptiveCard, type CardElement, type MentionEntity } from './card-elements.js';
import { RT } from '../../src/i18n/round-text.js';
import { escapeCardText } from './card-text.js';

/** Teams user ids (29:…), Entra ID object ids (8:orgid:… or a bare GUID): ids from the directory, never user text. */
const TEAMS_MENTION_ID = /^(?:29:|8:orgid:)?[0-9A-Za-z_:.-]+$/;
const MENTION_ID_MAX = 256;
const MENTION_NAME_MAX = 64;

const e = escapeCardText;

/** Letters, digits, spaces and a few joiners only: the text sits inside `<at>…</at>` and must match the entity. */
function mentionName(raw: string | undefined): string {
  if (raw === undefined) return '';
  const clean = raw
    .replace(/[^\p{L}\p{M}\p{N} .'-]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return [...clean].slice(0, MENTION_NAME_MAX).join('').trim();
}

/**
 * A reminder in the member's channel, mentioning the member's contacts. Each valid id becomes `<at>name</at>`
 * in the card and a mention entity in card.msteams.entities (the id shows where no name is known). The
 * returned `entities` are the same objects, for callers that want them; the card needs nothing else.
 */
export function reminderCard(
  view: ReminderView,
  nameOf: (id: string) => string | undefined = () => undefined,
): { card: AdaptiveCard; entities: MentionEntity[] } {
  if (view.acknowledged) {
    const ack = view.acknowledged;
    // No mentions and no request once acknowledged: an update must not ping the contacts again.
    return {
      card: card([
        ...envelope(view.tlp, view.drill),
        textBlock(`~~⏰ ${e(both(CT.reminderHeading))}~~`),
        textBlock(`✅ **${e(both(T.acknowledgedBy))}**: ${e(`${ack.by} (${formatTokyo(ack.at)})`)}`, { color: 'good' }),
        small(e(`${view.advisoryId} ${view.title} · ${name(view.memberName)}`)),
      ]),
      entities: [],
    };
  }
  const entities: MentionEntity[] = [];
  const texts = new Set<string>();
  for (const id of new Set(view.mention)) {
    if (id.length > MENTION_ID_MAX || !TEAMS_MENTION_ID.test(id)) continue;
    let label = mentionName(nameOf(id));
    // Two contacts with the same name would give two identical <at> texts Teams could not tell apart.
    if (label === '' || texts.has(label)) label = id;
    texts.add(label);
    entities.push({ type: 'mention', text: `<at>${label}</at>`, mentioned: { id, name: label } });
  }

  const deadline = formatTokyo(view.ackDeadline);
  const body: CardElement[] = [...envelope(view.tlp, view.drill), textBlock(`⏰ ${e(both(CT.reminderHeading))}`, { weight: 'bolder', size: 'medium' })];
  // Our own markup, from validated ids and cleaned names only.
  if (entities.length > 0) body.push(textBlock(entities.map((m) => m.text).join(' ')));
  // A later round's reminder is about its follow-up, whose button is in the thread.
  if (view.followup === undefined) body.push(textBlock(e(stacked(reminderText(view.advisoryId, view.title, deadline)))), textBlock(e(stacked(CT.reminderPressAbove))));
  else {
    body.push(
      textBlock(e(stacked(RT.reminderFollowUp(view.followup, deadline))), { weight: 'bolder' }),
      textBlock(e(`${view.advisoryId} ${view.title}`)),
      textBlock(e(stacked(RT.reminderPressFollowUp(view.followup)))),
    );
  }
  body.push(
    small(e(`${both(T.recipient)}: ${name(view.memberName)} · ${both(T.ackDeadline)}: ${deadline}`)),
  );
  return { card: card(body, undefined, entities), entities };
}
