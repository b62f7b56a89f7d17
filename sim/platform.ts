/**
 * The emulated chat platform: a Slack-like workspace in memory. It implements the core's ChatPort as every real
 * adapter does (post, find an own post by key, update, open a direct conversation) and keeps each message's latest
 * view, so the simulated people read what the bot posted: a member their advisory and reminder, the on-call staff
 * the phone-task board and the copy of a task they claimed. No rendering (the views are what the core gave), no
 * HTTP: the people call the core's commands as an adapter's handlers do once a request is verified.
 *
 * Its limits are 'unlimited', as the local workspace's: the bot's pace (workflows/redis-pace.ts) still takes every
 * call's turn in Redis, but never waits. Platform rate limits run in real time, and the simulated clock does not:
 * at 60× one message a second per channel would be one a clock minute, and the board would look 60 times slower
 * than it is. The bench (docs/BENCHMARKS.md) measures the bot under the platforms' limits instead.
 */
import type { Clock } from '../src/clock.js';
import type { ChannelAddress } from '../src/domain/delivery.js';
import type { MessageRef } from '../src/domain/platform.js';
import { ChatError, type ChatCapabilities, type ChatPort, type OutboundView, type PostedImage, type PostTarget, type ThreadReply } from '../src/ports/chat.js';
import type { PlatformLimits } from '../src/ports/pace.js';
import type { PlatformAdapter } from '../src/ports/platform-adapter.js';

export interface SimMessage {
  ref: MessageRef;
  channelId: string;
  key: string;
  view: OutboundView;
  threadOf?: string | undefined;
  /** Clock times (ISO) of the post and of the last edit. */
  postedAt: string;
  updatedAt: string;
  edits: number;
}

interface Waiter {
  check: () => boolean;
  resolve: () => void;
}

export class SimChat implements ChatPort {
  readonly platform = 'slack' as const;
  /**
   * Finds its own posts by key (as Slack does by message metadata); no shared channels; no thread listing; no pictures
   * (the closing's chart is drawn beside each run's figures by the simulator itself, not posted).
   */
  readonly capabilities: ChatCapabilities = { findOwnPost: true, detectSharedChannel: false, readThreads: false, postImage: false };
  readonly limits: PlatformLimits = { conversation: 'unlimited', search: 'unlimited', workspace: 'unlimited' };
  readonly #messages = new Map<string, SimMessage>();
  readonly #byChannel = new Map<string, SimMessage[]>();
  readonly #waiters = new Map<string, Set<Waiter>>();
  #n = 0;
  /** Calls made, by kind: what the bot asked of the platform during the run. */
  readonly calls = { post: 0, update: 0, findPost: 0, openDirect: 0 };

  constructor(private readonly clock: Clock) {}

  async post(target: PostTarget, message: OutboundView, key: string): Promise<MessageRef> {
    this.calls.post += 1;
    const ref: MessageRef = { platform: 'slack', channelId: target.channelId, messageId: `${++this.#n}` };
    const at = this.clock.now().toISOString();
    const m: SimMessage = { ref, channelId: target.channelId, key, view: message, threadOf: target.threadOf?.messageId, postedAt: at, updatedAt: at, edits: 0 };
    this.#messages.set(ref.messageId, m);
    const list = this.#byChannel.get(target.channelId) ?? [];
    list.push(m);
    this.#byChannel.set(target.channelId, list);
    this.#changed(target.channelId);
    return ref;
  }

  async findPost(target: PostTarget, key: string, since: Date): Promise<MessageRef | null> {
    this.calls.findPost += 1;
    const found = (this.#byChannel.get(target.channelId) ?? []).find((m) => m.key === key && m.postedAt >= since.toISOString());
    return found?.ref ?? null;
  }

  async update(ref: MessageRef, message: OutboundView, _key: string): Promise<void> {
    this.calls.update += 1;
    const m = this.#messages.get(ref.messageId);
    if (!m || m.channelId !== ref.channelId) throw new ChatError('permanent', 'message_not_found', { reason: 'message_gone' });
    m.view = message;
    m.updatedAt = this.clock.now().toISOString();
    m.edits += 1;
    this.#changed(m.channelId);
  }

  async openDirectConversation(workspaceId: string, userId: string): Promise<PostTarget> {
    this.calls.openDirect += 1;
    return { workspaceId, channelId: directChannel(userId) };
  }

  async threadReplies(_root: MessageRef, _since: Date): Promise<ThreadReply[]> {
    throw new Error('the emulated platform does not list threads (capabilities.readThreads is false)');
  }

  async postImage(): Promise<PostedImage> {
    throw new Error('the emulated platform posts no pictures (capabilities.postImage is false)');
  }

  async isSharedOutside(channel: ChannelAddress): Promise<boolean> {
    return channel.sharedOutside;
  }

  async checkCredentials(): Promise<void> {}

  // ---- what the simulated people read --------------------------------------------------------

  messagesIn(channelId: string): readonly SimMessage[] {
    return this.#byChannel.get(channelId) ?? [];
  }

  /**
   * Resolves once `check` holds for what the channel shows (checked now and after every post or edit in it);
   * resolves false when `timeoutMs` of real time pass first.
   */
  waitFor(channelId: string, check: () => boolean, timeoutMs: number): Promise<boolean> {
    if (check()) return Promise.resolve(true);
    return new Promise<boolean>((resolve) => {
      const set = this.#waiters.get(channelId) ?? new Set<Waiter>();
      this.#waiters.set(channelId, set);
      const waiter: Waiter = {
        check,
        resolve: () => {
          clearTimeout(timer);
          set.delete(waiter);
          resolve(true);
        },
      };
      const timer = setTimeout(() => {
        set.delete(waiter);
        resolve(false);
      }, timeoutMs);
      set.add(waiter);
    });
  }

  #changed(channelId: string): void {
    const set = this.#waiters.get(channelId);
    if (!set) return;
    for (const w of [...set]) if (w.check()) w.resolve();
  }
}

export function directChannel(userId: string): string {
  return `D-${userId}`;
}

/** The emulated platform as the composition root takes it: a chat port, no endpoints, nothing to start. */
export function simPlatform(chat: SimChat): PlatformAdapter {
  return {
    platform: 'slack',
    chat,
    mount: () => undefined,
    start: async () => undefined,
    stop: async () => undefined,
  };
}
