import type { KnownBlock } from '@slack/types';
import { CT, reminderText } from '../../src/i18n/chat-text.js';
import { both, formatTokyo, stacked, T } from '../../src/i18n/text.js';
import type { ReminderView } from '../../src/view/views.js';
import { boldStacked, context, drillBanner, fallback, mrkdwnSection, name, tlpLine, type RenderedMessage } from './block-elements.js';
import { escapeMrkdwn } from './mrkdwn.js';
import { RT } from '../../src/i18n/round-text.js';

const e = escapeMrkdwn;

/** Slack user ids as the directory holds them; anything else is not ours to turn into a mention. */
const SLACK_USER_ID = /^[UW][A-Z0-9]+$/;

/** A reminder in the member's channel (or TLP:RED direct message) before the deadline. */
export function renderReminder(view: ReminderView): RenderedMessage {
  if (view.acknowledged) return renderAcknowledgedReminder(view, view.acknowledged);
  const mentions = [...new Set(view.mention.filter((id) => SLACK_USER_ID.test(id)))].map((id) => `<@${id}>`);
  const heading = both(CT.reminderHeading);
  const text = fallback(
    view.tlp,
    view.drill,
    `⏰ ${e(heading)}: ${e(view.advisoryId)} ${e(view.title)}${mentions.length > 0 ? ` ${mentions.join(' ')}` : ''}`,
  );
  const envelope: KnownBlock[] = [context(tlpLine(view.tlp))];
  if (view.drill) envelope.push(drillBanner());
  const deadline = formatTokyo(view.ackDeadline);
  // A later round's reminder is about its follow-up, whose button is in the thread.
  const ask =
    view.followup === undefined
      ? [e(stacked(reminderText(view.advisoryId, view.title, deadline))), e(stacked(CT.reminderPressAbove))]
      : [boldStacked(RT.reminderFollowUp(view.followup, deadline)), e(`${view.advisoryId} ${view.title}`), e(stacked(RT.reminderPressFollowUp(view.followup)))];
  const body = [`⏰ *${e(heading)}*`, ...(mentions.length > 0 ? [mentions.join(' ')] : []), ...ask];
  return {
    text,
    blocks: [
      ...envelope,
      // The mentions must survive: the title is cut before they would be (a title is at most 150 characters anyway).
      mrkdwnSection(body.join('\n')),
      context(`${e(both(T.recipient))}: ${name(view.memberName)} · ${e(both(T.ackDeadline))}: ${e(deadline)}`),
    ],
  };
}

/** The reminder once the member acknowledged: no mention, no request, who acknowledged and when. */
function renderAcknowledgedReminder(view: ReminderView, ack: { by: string; at: string }): RenderedMessage {
  const line = `✅ ${e(both(T.acknowledgedBy))}: ${e(ack.by)} (${e(formatTokyo(ack.at))})`;
  const envelope: KnownBlock[] = [context(tlpLine(view.tlp))];
  if (view.drill) envelope.push(drillBanner());
  return {
    text: fallback(view.tlp, view.drill, `${line} · ${e(view.advisoryId)} ${e(view.title)}`),
    blocks: [...envelope, mrkdwnSection(`~⏰ ${e(both(CT.reminderHeading))}~\n${line}`), context(`${e(view.advisoryId)} ${e(view.title)} · ${name(view.memberName)}`)],
  };
}
