/**
 * The chat port of the local workspace: the "platform" is a SQLite file and an in-process event
 * stream that the page's server-sent events listen to. The views are stored as the core gave them;
 * the page renders them.
 */
import { systemClock, type Clock } from '../../src/clock.js';
import { lifecycleLines } from './local-lifecycle-lines.js';
import { liveLines } from './local-live-lines.js';
import { boardLines } from './local-board-lines.js';
import { drillNoticeLines } from './local-drill-lines.js';
import { imageLines } from './local-image-lines.js';
import type { ChannelAddress } from '../../src/domain/delivery.js';
import type { MessageRef } from '../../src/domain/platform.js';
import type { Logger } from '../../src/log.js';
import { ChatError, type ChatPort, type ImagePost, type OutboundView, type PostedImage, type PostTarget, type ThreadReply } from '../../src/ports/chat.js';
import type { PlatformLimits } from '../../src/ports/pace.js';
import type { LocalChannel, LocalMessage, LocalMessageBody, LocalUser } from './local-api.js';
import { directChannelId } from './local-directory.js';
import type { LocalMessages } from './local-messages.js';

export interface LocalChatOptions {
  messages: LocalMessages;
  users: LocalUser[];
  channels: LocalChannel[];
  clock?: Clock;
  log?: Logger;
}

export type MessageListener = (message: LocalMessage) => void;
export type ChannelListener = (channel: LocalChannel) => void;

/** Longest reply a person may type in the page. */
export const REPLY_MAX = 4_000;

/** Largest picture the page is given (base64 in the message's JSON, sent to every open page): a chart is far smaller. */
export const LOCAL_IMAGE_MAX_BYTES = 5_000_000;

/** The view as the core gave it, with the lines the page shows worded here (src/i18n), so the page keeps no copy. */
function bodyOf(message: OutboundView): LocalMessageBody {
  return { ...message, lifecycle: lifecycleLines(message), live: liveLines(message), board: boardLines(message), drillNotice: drillNoticeLines(message) };
}

export class LocalChat implements ChatPort {
  readonly platform = 'local' as const;
  /** Messages are ours (SQLite): found by key; channels say whether they are shared. */
  // Replies here reach the core as they are written (the reply route), so there is nothing to read back.
  // Pictures go to the page inline (the message holds the PNG).
  readonly capabilities = { findOwnPost: true, detectSharedChannel: true, readThreads: false, postImage: { maxBytes: LOCAL_IMAGE_MAX_BYTES } } as const;
  /** Our own server: nothing to pace. */
  readonly limits: PlatformLimits = { conversation: 'unlimited', search: 'unlimited', workspace: 'unlimited' };
  readonly #messages: LocalMessages;
  readonly #users: ReadonlyMap<string, LocalUser>;
  readonly #channels = new Map<string, LocalChannel>();
  readonly #clock: Clock;
  readonly #log: Logger | undefined;
  readonly #messageListeners = new Set<MessageListener>();
  readonly #channelListeners = new Set<ChannelListener>();
  readonly #closeListeners = new Set<() => void>();

  constructor(opts: LocalChatOptions) {
    this.#messages = opts.messages;
    this.#users = new Map(opts.users.map((u) => [u.id, u]));
    for (const c of opts.channels) this.#channels.set(c.id, c);
    // Direct conversations opened before a restart, for users who still exist.
    for (const c of opts.messages.directChannels()) {
      if (!this.#channels.has(c.id) && c.members.every((m) => this.#users.has(m))) this.#channels.set(c.id, c);
    }
    this.#clock = opts.clock ?? systemClock;
    this.#log = opts.log;
  }

  // ---- the ChatPort -------------------------------------------------------------------------

  async post(target: PostTarget, message: OutboundView, key: string): Promise<MessageRef> {
    this.#requireChannel(target.channelId);
    const body = bodyOf(message);
    // A follow-up goes into the thread of the copy it follows, as a reply does.
    const threadOf = target.threadOf?.messageId;
    const stored = this.#store(() =>
      this.#messages.insert({ channelId: target.channelId, key, body, at: this.#clock.now(), ...(threadOf === undefined ? {} : { threadOf }) }),
    );
    this.#emitMessage(stored);
    return { platform: 'local', channelId: stored.channelId, messageId: stored.id };
  }

  /** The picture as a message of its own (kind 'image'), which the page shows under its label (render-image.js). */
  async postImage(target: PostTarget, image: ImagePost, key: string): Promise<PostedImage> {
    this.#requireChannel(target.channelId);
    if (image.png.byteLength > LOCAL_IMAGE_MAX_BYTES) throw new ChatError('permanent', 'image_too_large', { reason: 'too_large' });
    const png = Buffer.from(image.png.buffer, image.png.byteOffset, image.png.byteLength).toString('base64');
    const threadOf = target.threadOf?.messageId;
    const stored = this.#store(() =>
      this.#messages.insert({
        channelId: target.channelId,
        key,
        body: { kind: 'image', view: image.view, lines: imageLines(image.view), filename: image.filename, png },
        at: this.#clock.now(),
        ...(threadOf === undefined ? {} : { threadOf }),
      }),
    );
    this.#emitMessage(stored);
    return { platform: 'local', channelId: stored.channelId, id: stored.id };
  }

  async findPost(target: PostTarget, key: string, since: Date): Promise<MessageRef | null> {
    this.#requireChannel(target.channelId);
    const found = this.#store(() => this.#messages.findByKey(target.channelId, key, since));
    return found ? { platform: 'local', channelId: found.channelId, messageId: found.id } : null;
  }

  /** Not a capability here (see `capabilities`): the core never asks. */
  async threadReplies(_root: MessageRef, _since: Date): Promise<ThreadReply[]> {
    throw new Error('LocalChat does not list threads (capabilities.readThreads is false)');
  }

  async update(ref: MessageRef, message: OutboundView, _key: string): Promise<void> {
    if (ref.platform !== 'local') throw new ChatError('permanent', 'wrong_platform', { reason: 'invalid_message' });
    const existing = this.#store(() => this.#messages.get(ref.messageId));
    if (!existing || existing.channelId !== ref.channelId) throw new ChatError('permanent', 'message_not_found', { reason: 'message_gone' });
    const updated = this.#store(() => this.#messages.updateBody(ref.messageId, bodyOf(message), this.#clock.now()));
    if (!updated) throw new ChatError('permanent', 'message_not_found', { reason: 'message_gone' });
    this.#emitMessage(updated);
  }

  async openDirectConversation(workspaceId: string, userId: string): Promise<PostTarget> {
    const user = this.#users.get(userId);
    if (!user) throw new ChatError('permanent', 'user_not_found', { reason: 'recipient_unreachable' });
    const id = directChannelId(userId);
    if (!this.#channels.has(id)) {
      const channel: LocalChannel = { id, kind: 'direct', name: { ja: `DM: ${user.name}`, en: `DM: ${user.name}` }, members: [userId] };
      this.#store(() => this.#messages.saveDirectChannel(channel));
      this.#channels.set(id, channel);
      this.#emit(this.#channelListeners, channel);
    }
    return { workspaceId, channelId: id };
  }

  async isSharedOutside(channel: ChannelAddress): Promise<boolean> {
    if (channel.sharedOutside) return true;
    return this.#requireChannel(channel.channelId).sharedOutside === true;
  }

  /** The local workspace has no credentials: it is this process. */
  async checkCredentials(): Promise<void> {}

  // ---- what the page's routes use ------------------------------------------------------------

  user(id: string): LocalUser | undefined {
    return this.#users.get(id);
  }

  users(): LocalUser[] {
    return [...this.#users.values()];
  }

  channel(id: string): LocalChannel | undefined {
    return this.#channels.get(id);
  }

  channels(): LocalChannel[] {
    return [...this.#channels.values()];
  }

  /** As in a private channel: only its members read and act in it. */
  isMember(userId: string, channelId: string): boolean {
    return this.#channels.get(channelId)?.members.includes(userId) ?? false;
  }

  messages(channelId: string): LocalMessage[] {
    return this.#messages.listByChannel(channelId);
  }

  message(id: string): LocalMessage | null {
    return this.#messages.get(id);
  }

  /**
   * A person's reply in a thread: this workspace's own copy, which the page shows (posts and updates
   * alike go out as events). The route then hands it to the core (recordThreadMessage), which keeps
   * it in the record when it is in the thread of one of the bot's posts to a member.
   */
  reply(channelId: string, threadOf: string, text: string, author: LocalUser): LocalMessage {
    this.#requireChannel(channelId);
    const stored = this.#messages.insert({
      channelId,
      threadOf,
      body: { kind: 'reply', text, author: { id: author.id, name: author.name } },
      at: this.#clock.now(),
    });
    this.#emitMessage(stored);
    return stored;
  }

  /** Every post and update, as stored. Returns the unsubscribe function. */
  onMessage(listener: MessageListener): () => void {
    this.#messageListeners.add(listener);
    return () => this.#messageListeners.delete(listener);
  }

  /** A channel that appeared (a direct conversation opened for TLP:RED). */
  onChannel(listener: ChannelListener): () => void {
    this.#channelListeners.add(listener);
    return () => this.#channelListeners.delete(listener);
  }

  /** Called once when the workspace closes (the event streams end). */
  onClose(listener: () => void): () => void {
    this.#closeListeners.add(listener);
    return () => this.#closeListeners.delete(listener);
  }

  close(): void {
    const listeners = [...this.#closeListeners];
    this.#closeListeners.clear();
    for (const listener of listeners) this.#safely(listener);
    this.#messageListeners.clear();
    this.#channelListeners.clear();
  }

  #requireChannel(channelId: string): LocalChannel {
    const channel = this.#channels.get(channelId);
    if (!channel) throw new ChatError('permanent', 'channel_not_found', { reason: 'channel_gone' });
    return channel;
  }

  /** The file failing is the platform being unwell: the workflow retries. */
  #store<T>(fn: () => T): T {
    try {
      return fn();
    } catch (err) {
      throw new ChatError('transient', 'local_store_error', { cause: err });
    }
  }

  #emitMessage(message: LocalMessage): void {
    this.#emit(this.#messageListeners, message);
  }

  /** A listener's failure (a closed socket) must not fail the core's post. */
  #emit<T>(listeners: Set<(value: T) => void>, value: T): void {
    for (const listener of [...listeners]) this.#safely(() => listener(value));
  }

  #safely(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.#log?.warn({ err }, 'local workspace listener failed');
    }
  }
}
