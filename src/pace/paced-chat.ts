import type { ChannelAddress } from '../domain/delivery.js';
import type { MessageRef } from '../domain/platform.js';
import { ChatError, type ChatPort, type ImagePost, type OutboundView, type PostedImage, type PostTarget, type ThreadReply } from '../ports/chat.js';
import { PRIORITY, type Pace, type PacedCall, type PlatformLimits, type Priority } from '../ports/pace.js';

export interface PacedChatOptions {
  pace: Pace;
  /** Real time (never the core's clock, which a drill may scale): the platform's limits are in real seconds. */
  sleep?: (ms: number) => Promise<void>;
  /**
   * Longest a call waits in the worker for its turn. Past it the call gives up its worker slot: it is thrown as
   * rate_limited, and the job waits in Redis as for a 429, freeing the slot for work that can go now.
   */
  maxHoldMs?: number;
  /** A call that has waited this long counts as one priority higher, so a status card is late, never starved. */
  ageStepMs?: number;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The priority of a post: a member's first copy or a phone task first, then the ladder's messages and notices. */
function postPriority(message: OutboundView): Priority {
  return message.kind === 'advisory' || message.kind === 'phone_task' ? PRIORITY.first : PRIORITY.step;
}

/** Of an edit: a phone task's (who is on it) as a step, a status card or an alert digest last, any other as a refresh. */
function updatePriority(message: OutboundView): Priority {
  if (message.kind === 'phone_task') return PRIORITY.step;
  if (message.kind === 'notice') return PRIORITY.status;
  return PRIORITY.refresh;
}

/**
 * The platform's chat port, paced: every post (a picture too), edit and search first takes its turn from the shared pace (the
 * workspace's rate, the conversation's limit, its priority), and a 429 that comes anyway slows the pace down.
 * Everything else passes straight through.
 */
export class PacedChat implements ChatPort {
  readonly platform: ChatPort['platform'];
  readonly capabilities: ChatPort['capabilities'];
  readonly limits: PlatformLimits;
  readonly #inner: ChatPort;
  readonly #pace: Pace;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #maxHoldMs: number;
  readonly #ageStepMs: number;

  constructor(inner: ChatPort, options: PacedChatOptions) {
    this.#inner = inner;
    this.platform = inner.platform;
    this.capabilities = inner.capabilities;
    this.#pace = options.pace;
    this.limits = inner.limits;
    this.#sleep = options.sleep ?? realSleep;
    this.#maxHoldMs = options.maxHoldMs ?? 5_000;
    this.#ageStepMs = options.ageStepMs ?? 2_000;
  }

  post(target: PostTarget, message: OutboundView, key: string): Promise<MessageRef> {
    return this.#paced({ lane: 'send', conversation: target.channelId, priority: postPriority(message) }, () => this.#inner.post(target, message, key));
  }

  /** A picture is a post into the conversation (Slack shares the file as a message there), at a step's priority. */
  postImage(target: PostTarget, image: ImagePost, key: string): Promise<PostedImage> {
    return this.#paced({ lane: 'send', conversation: target.channelId, priority: PRIORITY.step }, () => this.#inner.postImage(target, image, key));
  }

  findPost(target: PostTarget, key: string, since: Date): Promise<MessageRef | null> {
    return this.#paced({ lane: 'search', priority: PRIORITY.step }, () => this.#inner.findPost(target, key, since));
  }

  update(ref: MessageRef, message: OutboundView, key: string): Promise<void> {
    return this.#paced({ lane: 'send', conversation: ref.channelId, priority: updatePriority(message) }, () => this.#inner.update(ref, message, key));
  }

  openDirectConversation(workspaceId: string, userId: string): Promise<PostTarget> {
    return this.#inner.openDirectConversation(workspaceId, userId);
  }

  threadReplies(root: MessageRef, since: Date): Promise<ThreadReply[]> {
    return this.#inner.threadReplies(root, since);
  }

  isSharedOutside(channel: ChannelAddress): Promise<boolean> {
    return this.#inner.isSharedOutside(channel);
  }

  checkCredentials(): Promise<void> {
    return this.#inner.checkCredentials();
  }

  /** Whether a call in this lane has any limit to keep (none: no trip to the pace at all). */
  #limited(lane: PacedCall['lane']): boolean {
    if (lane === 'search') return this.limits.search !== 'unlimited';
    return this.limits.workspace === 'paced' || this.limits.conversation !== 'unlimited';
  }

  async #paced<T>(what: Omit<PacedCall, 'platform' | 'limits'>, call: () => Promise<T>): Promise<T> {
    if (!this.#limited(what.lane)) return call();
    let waited = 0;
    for (;;) {
      const priority = Math.max(0, what.priority - Math.floor(waited / this.#ageStepMs)) as Priority;
      const wait = await this.#pace.take({ ...what, priority, platform: this.platform, limits: this.limits });
      if (wait <= 0) break;
      if (waited + wait > this.#maxHoldMs) throw new ChatError('rate_limited', 'paced', { retryAfterMs: wait });
      await this.#sleep(wait);
      waited += wait;
    }
    try {
      return await call();
    } catch (err) {
      // Teams' 429 without Retry-After is transient (backed off with jitter), a 429 all the same.
      if (err instanceof ChatError && (err.kind === 'rate_limited' || err.reason === 'rate_limited')) {
        await this.#pace.throttled({ ...what, platform: this.platform, limits: this.limits }, err.retryAfterMs);
      }
      throw err;
    }
  }
}
