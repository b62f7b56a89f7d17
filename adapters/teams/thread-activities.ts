import type { TurnContext } from 'botbuilder';
import { MessageFactory } from 'botbuilder';
import type { Core } from '../../src/core.js';
import type { ThreadEvent } from '../../src/domain/thread-message.js';
import type { MessageRef } from '../../src/domain/platform.js';
import { stacked } from '../../src/i18n/text.js';
import { THREAD_TEXT } from '../../src/i18n/thread-text.js';
import type { Logger } from '../../src/log.js';
import { cardAttachment, type BotApp } from './bot-app.js';
import { actorOf, channelOf } from './teams-edge.js';
import { teamsErrorText } from './teams-reply.js';
import { threadCard } from './thread-card.js';

/** Typed commands are `advisory …`; anything else a person writes in a thread is a reply. */
const COMMAND = /^\s*advisory\b/i;
const THREAD_COMMAND = /^\s*advisory\s+thread\b\s*(\S*)\s*(\S*)/i;

/**
 * `advisory thread ADV-2026-0001 <member>` (or a delivery id): the member's whole thread as a card,
 * secretariat only (the core decides). Registered before the other commands, whose route takes
 * every `advisory …`.
 */
export function registerThreadCommand(app: BotApp, core: Core, log: Logger): void {
  app.message(THREAD_COMMAND, async (context) => {
    const actor = actorOf(context);
    const [, first = '', member = ''] = THREAD_COMMAND.exec(context.activity.text ?? '') ?? [];
    try {
      if (first === '') {
        await context.sendActivity(MessageFactory.text(stacked(THREAD_TEXT.usage)));
        return;
      }
      const view = await core.threadOf(actor, member === '' ? { deliveryId: first } : { advisoryId: first, memberId: member });
      await context.sendActivity({ summary: `💬 ${view.advisoryId} ${view.memberId}`, attachments: [cardAttachment(threadCard(view))] });
    } catch (err) {
      await context.sendActivity(MessageFactory.text(teamsErrorText(err, log, { command: 'advisory thread', user: actor.userId })));
    }
  });
}

/**
 * Replies that reach the bot, and their edits and deletions. In a team's channel Teams sends the bot a
 * message only when it is @mentioned, unless the team granted the app's resource-specific consent
 * ChannelMessage.Read.Group (teams/manifest.template.json asks for it): then every message of the
 * channels the app is in arrives, and only those in the thread of one of the bot's posts are kept. A
 * 1:1 chat delivers every message; there a message is a reply when it answers one of the bot's
 * messages (replyToId). Registered after every other route, so commands and card submissions stay
 * what they are.
 */
export function registerThreadActivities(app: BotApp, core: Core, log: Logger): void {
  const record = async (context: TurnContext, event: ThreadEvent | null) => {
    if (!event) {
      log.debug({ type: context.activity.type, conversation: context.activity.conversation?.conversationType }, 'Teams activity not recorded: not in a thread');
      return;
    }
    try {
      await core.recordThreadMessage(event);
    } catch (err) {
      // The person is not waiting for an answer: the log is where this goes.
      log.error({ err, kind: event.kind, message: event.message }, 'Teams thread message not recorded');
    }
  };

  app.activity(
    async (context) => context.activity.type === 'message' && !COMMAND.test(context.activity.text ?? '') && context.activity.value === undefined,
    async (context) => record(context, postedOf(context)),
  );
  app.messageEventUpdate('editMessage', async (context) => record(context, editedOf(context)));
  app.messageEventUpdate('softDeleteMessage', async (context) => record(context, deletedOf(context)));
}

/** The message the activity is in the thread of: the root in a channel thread's conversation id, else replyToId. */
export function threadRootOf(context: TurnContext): MessageRef | null {
  const a = context.activity;
  const conversation = a.conversation?.id;
  if (!conversation) return null;
  const root = /;messageid=([^;]+)/.exec(conversation)?.[1] ?? a.replyToId;
  if (!root) return null;
  return { platform: 'teams', channelId: channelOf(conversation), messageId: root };
}

const timeOf = (context: TurnContext): string => {
  const t = context.activity.timestamp;
  return (t instanceof Date && !Number.isNaN(t.getTime()) ? t : new Date(String(t ?? ''))).toISOString();
};

function messageOf(context: TurnContext): MessageRef | null {
  const a = context.activity;
  if (!a.id || !a.conversation?.id) return null;
  return { platform: 'teams', channelId: channelOf(a.conversation.id), messageId: a.id };
}

function postedOf(context: TurnContext): ThreadEvent | null {
  const root = threadRootOf(context);
  const message = messageOf(context);
  // The root of a thread is not a reply to itself.
  if (!root || !message || root.messageId === message.messageId || !hasTime(context)) return null;
  return { kind: 'posted', message, root, author: actorOf(context), text: context.activity.text ?? '', at: timeOf(context) };
}

function editedOf(context: TurnContext): ThreadEvent | null {
  const message = messageOf(context);
  if (!message || !hasTime(context)) return null;
  const at = timeOf(context);
  // Teams gives an edit no id of its own: the time it was made tells the same edit delivered twice.
  return { kind: 'edited', message, root: threadRootOf(context) ?? undefined, author: actorOf(context), text: context.activity.text ?? '', at, editId: at };
}

function deletedOf(context: TurnContext): ThreadEvent | null {
  const message = messageOf(context);
  if (!message || !hasTime(context)) return null;
  return { kind: 'deleted', message, root: threadRootOf(context) ?? undefined, at: timeOf(context) };
}

/** An activity without a usable timestamp cannot be placed in the thread. */
function hasTime(context: TurnContext): boolean {
  const t = context.activity.timestamp;
  if (t instanceof Date) return !Number.isNaN(t.getTime());
  return typeof t === 'string' && !Number.isNaN(Date.parse(t));
}
