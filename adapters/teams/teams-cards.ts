import { drillNoticeSummary } from '../../src/i18n/drill-text.js';
import { CT } from '../../src/i18n/chat-text.js';
import { both } from '../../src/i18n/text.js';
import type { OutboundView } from '../../src/ports/chat.js';
import { advisoryCard } from './advisory-card.js';
import { fallback, name, type AdaptiveCard, type MentionEntity } from './card-elements.js';
import { noticeCard } from './notice-card.js';
import { alertDigestSummary } from './alert-digest-card.js';
import { phoneTaskCard } from './phone-task-card.js';
import { phoneBoardCard, phoneBoardSummary } from './phone-board-card.js';
import { reminderCard } from './reminder-card.js';
import { followUpCard, lifecycleNoticeText } from './lifecycle-cards.js';
import { LT } from '../../src/i18n/lifecycle-text.js';

/**
 * What the Teams chat port posts, by kind: each kind's card is built by its own file (advisory-card.ts,
 * reminder-card.ts, phone-task-card.ts, phone-board-card.ts, notice-card.ts) from the elements of card-elements.ts. The answers
 * to commands are in status-cards.ts and advisory-form-card.ts.
 */

export interface TeamsMessage {
  /**
   * Short plain-text summary for notifications, label first: "[TLP:AMBER] …" (see summaryText: no escapes to
   * show, yet inert as Markdown). For the activity's `summary`; as its `text` Teams would repeat it above the card.
   */
  text: string;
  card: AdaptiveCard;
  /**
   * Activity-level entities. Always absent: a reminder's mentions live in card.msteams.entities, where Teams
   * reads Adaptive Card mentions. Putting them on the activity as well, with no `<at>` text in the activity,
   * makes the Bot Connector refuse the message ("Invalid mention entity").
   */
  entities?: MentionEntity[];
}

/**
 * Everything the chat port posts, by kind: the one render dependency of the Teams chat port (TeamsRender).
 * The card carries its summary as fallbackText too, for clients that cannot show it.
 */
export function renderTeamsMessage(message: OutboundView): TeamsMessage {
  const m = renderKind(message);
  return { ...m, card: { ...m.card, fallbackText: m.text } };
}

function renderKind(message: OutboundView): TeamsMessage {
  switch (message.kind) {
    case 'advisory': {
      const v = message.view;
      return { text: fallback(v.tlp, v.drill, v.title), card: advisoryCard(v) };
    }
    case 'reminder': {
      const v = message.view;
      const text = fallback(v.tlp, v.drill, `⏰ ${both(CT.reminderHeading)}: ${v.advisoryId} ${v.title}`);
      // The directory's names inside the mentions: Teams shows the mention's text, not the person's profile name.
      return { text, card: reminderCard(v, (id) => v.mentionNames?.[id]).card };
    }
    case 'phone_task': {
      const v = message.view;
      const text = fallback(v.tlp, v.drill, `📞 ${both(CT.phoneTask)}: ${name(v.memberName)} — ${v.advisoryId} ${v.title}`);
      return { text, card: phoneTaskCard(v) };
    }
    case 'phone_board': {
      const v = message.view;
      return { text: phoneBoardSummary(v), card: phoneBoardCard(v) };
    }
    case 'followup': {
      const v = message.view;
      return { text: fallback(v.tlp, v.drill, `📣 ${both(LT.followUp(v.n))}: ${v.advisoryId} ${v.title}`), card: followUpCard(v) };
    }
    case 'notice': {
      const n = message.view;
      if (n.kind === 'alert_digest') return { text: fallback(n.tlp, n.drill, alertDigestSummary(n)), card: noticeCard(n) };
      if (n.kind === 'drill_announcement') return { text: fallback(n.tlp, n.drill, drillNoticeSummary(n.advisoryId, n.window)), card: noticeCard(n) };
      const what =
        lifecycleNoticeText(n) ??
        (n.kind === 'delivery_failed'
          ? `⚠️ ${both(CT.deliveryFailed)}: ${n.advisoryId} ${n.title} → ${name(n.memberName)} (${n.reason})`
          : n.kind === 'escalation_alert'
            ? `⚠️ ${both(CT.escalationAlert)}: ${n.advisoryId} ${n.title} → ${name(n.memberName)}`
            : n.kind === 'step_failed'
              ? `⚠️ ${both(CT.stepFailed)}: ${n.advisoryId} ${n.title} → ${name(n.memberName)}`
              : `✅ ${both(CT.advisoryIssued)}: ${n.advisoryId} ${n.title}`);
      return { text: fallback(n.tlp, n.drill, what), card: noticeCard(n) };
    }
  }
}
