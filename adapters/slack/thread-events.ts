import type { BlockAction, StaticSelectAction } from '@slack/bolt';
import type { Core } from '../../src/core.js';
import type { ThreadEvent } from '../../src/domain/thread-message.js';
import type { Actor, MessageRef } from '../../src/domain/platform.js';
import type { Logger } from '../../src/log.js';
import type { BoltApp } from './bolt-app.js';
import { messageForError } from './slack-edge.js';
import { renderThread, THREAD_ACTION_ID } from './thread-blocks.js';

/**
 * Members' replies, from the Events API: `message` events (message.channels / message.groups /
 * message.im) in the thread of one of the bot's posts. Bolt has verified the signature and answered
 * Slack (200) before the listener runs (processBeforeResponse: false), so a slow store never makes
 * Slack retry; a retry that comes anyway (X-Slack-Retry-Num, same event) is recorded once by the core.
 * Edits (message_changed) and deletions (message_deleted) arrive as subtypes of the same event.
 */
export function registerThreadEvents(app: BoltApp, core: Core, log: Logger): void {
  app.event('message', async ({ event, context }) => {
    const self = { botId: context.botId, botUserId: context.botUserId };
    const thread = threadEventOf(event as unknown as SlackMessageEvent, self);
    if (thread === 'skip') {
      // Not a reply in a thread (a channel message, the bot's own post, a thread's root updated):
      // counted, never kept.
      log.debug({ channel: (event as { channel?: string }).channel, subtype: (event as { subtype?: string }).subtype }, 'Slack message event not recorded');
      return;
    }
    try {
      await core.recordThreadMessage(thread);
    } catch (err) {
      // Slack has had its answer: nothing to tell anyone but the log (the closing pass fetches the thread again).
      log.error({ err, channel: thread.message.channelId, ts: thread.message.messageId, kind: thread.kind }, 'Slack thread message not recorded');
    }
  });

  // The status's "read a thread" menu (secretariat only; the core decides).
  app.action<BlockAction<StaticSelectAction>>(THREAD_ACTION_ID, async ({ ack, body, action, respond }) => {
    await ack();
    const actor: Actor = { platform: 'slack', userId: body.user.id, name: body.user.name ?? body.user.username };
    const deliveryId = action.selected_option.value;
    try {
      const view = await core.threadOf(actor, { deliveryId });
      await respond({ response_type: 'ephemeral', replace_original: false, ...renderThread(view) });
    } catch (err) {
      await respond({ response_type: 'ephemeral', replace_original: false, text: messageForError(err, log, { action: THREAD_ACTION_ID, user: body.user.id, deliveryId }) });
    }
  });
}

/** The fields of Slack's message events this reads (GenericMessageEvent, MessageChangedEvent, MessageDeletedEvent). */
export interface SlackMessageEvent {
  type: 'message';
  subtype?: string | undefined;
  channel: string;
  user?: string | undefined;
  bot_id?: string | undefined;
  text?: string | undefined;
  ts: string;
  thread_ts?: string | undefined;
  event_ts?: string | undefined;
  edited?: { user?: string; ts: string } | undefined;
  message?: SlackMessageEvent | undefined;
  previous_message?: SlackMessageEvent | undefined;
  deleted_ts?: string | undefined;
}

/** Subtypes of a person's own message: a plain reply, one also sent to the channel, a file with a comment, /me. */
const PERSON_SUBTYPES = new Set([undefined, 'thread_broadcast', 'file_share', 'me_message']);

/** "1775034000.000100" → its time. */
export function slackTime(ts: string): string {
  return new Date(Math.floor(Number(ts) * 1000)).toISOString();
}

const isReply = (m: SlackMessageEvent | undefined): m is SlackMessageEvent & { thread_ts: string } =>
  m !== undefined && typeof m.thread_ts === 'string' && m.thread_ts !== '' && m.thread_ts !== m.ts;

const fromBot = (m: SlackMessageEvent, self: { botId?: string | undefined; botUserId?: string | undefined }): boolean =>
  (self.botId !== undefined && m.bot_id === self.botId) || (self.botUserId !== undefined && m.user === self.botUserId);

/** What the event says happened in a thread, in the core's words; 'skip' for anything else. */
export function threadEventOf(event: SlackMessageEvent, self: { botId?: string | undefined; botUserId?: string | undefined }): ThreadEvent | 'skip' {
  const ref = (ts: string): MessageRef => ({ platform: 'slack', channelId: event.channel, messageId: ts });
  const author = (user: string | undefined): Actor | undefined => (user ? { platform: 'slack', userId: user } : undefined);

  if (event.subtype === 'message_changed') {
    const m = event.message;
    // Slack also sends message_changed when a link preview is added or a thread's root gets a reply:
    // only an `edited` stamp means someone changed the text.
    if (!isReply(m) || !m.edited || fromBot(m, self)) return 'skip';
    const before = event.previous_message;
    return {
      kind: 'edited',
      message: ref(m.ts),
      root: ref(m.thread_ts),
      author: author(m.user),
      text: m.text ?? '',
      at: slackTime(m.edited.ts),
      editId: m.edited.ts,
      previous: before?.text === undefined ? undefined : { text: before.text, at: slackTime(m.ts) },
    };
  }
  if (event.subtype === 'message_deleted') {
    const before = event.previous_message;
    if (!isReply(before) || fromBot(before, self)) return 'skip';
    return {
      kind: 'deleted',
      message: ref(event.deleted_ts ?? before.ts),
      root: ref(before.thread_ts),
      author: author(before.user),
      at: slackTime(event.event_ts ?? event.ts),
      previous: before.text === undefined ? undefined : { text: before.text, at: slackTime(before.ts) },
    };
  }
  if (!PERSON_SUBTYPES.has(event.subtype) || !isReply(event) || !event.user || fromBot(event, self)) return 'skip';
  return { kind: 'posted', message: ref(event.ts), root: ref(event.thread_ts), author: { platform: 'slack', userId: event.user }, text: event.text ?? '', at: slackTime(event.ts) };
}
