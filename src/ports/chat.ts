import type { ChannelAddress } from '../domain/delivery.js';
import type { MessageRef, Platform } from '../domain/platform.js';
import type { AdvisoryView, NoticeView, PhoneTaskView, ReminderView } from '../view/views.js';

/** A conversation to post into: a channel, or a direct-message conversation. */
export interface PostTarget {
  workspaceId: string;
  channelId: string;
}

/** Everything the bot posts, as platform-neutral views; the adapter renders each kind. */
export type OutboundView =
  | { kind: 'advisory'; view: AdvisoryView }
  | { kind: 'notice'; view: NoticeView }
  | { kind: 'reminder'; view: ReminderView }
  | { kind: 'phone_task'; view: PhoneTaskView };

/**
 * What the core asks of a chat platform. The platform's adapter implements it and renders the
 * views; it translates the platform's failures into ChatError.
 */
export interface ChatPort {
  readonly platform: Platform;
  /**
   * Post a message. `key` travels with the message (Slack: message metadata) so that findPost can
   * tell whether an earlier attempt, whose response was lost, already posted it.
   */
  post(target: PostTarget, message: OutboundView, key: string): Promise<MessageRef>;
  /** The message posted with this key since `since`, if any. */
  findPost(target: PostTarget, key: string, since: Date): Promise<MessageRef | null>;
  /** Replace a posted message's content (after an acknowledgement, a claim, …); the key stays. */
  update(ref: MessageRef, message: OutboundView, key: string): Promise<void>;
  /** The direct-message conversation with a user, opened if need be. */
  openDirectConversation(workspaceId: string, userId: string): Promise<PostTarget>;
  /** The platform says the channel is shared beyond its own organisation. */
  isSharedOutside(channel: ChannelAddress): Promise<boolean>;
  /**
   * Checks that the bot's credentials work (Slack: auth.test; Teams: a token from Entra ID).
   * Resolves when they do or the platform needs none (the local workspace, Teams in unauthenticated
   * development mode); rejects with a ChatError saying why not. Run at start and for /readyz.
   */
  checkCredentials(): Promise<void>;
}

export type ChatErrorKind = 'rate_limited' | 'permanent' | 'transient';

/** A platform failure, classified so the workflow knows whether to wait, retry or give up. */
export class ChatError extends Error {
  readonly kind: ChatErrorKind;
  readonly code: string;
  readonly retryAfterMs: number | undefined;
  constructor(kind: ChatErrorKind, code: string, options?: { retryAfterMs?: number; cause?: unknown }) {
    super(`chat ${kind}: ${code}`, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ChatError';
    this.kind = kind;
    this.code = code;
    this.retryAfterMs = options?.retryAfterMs;
  }
}

/** The chat ports the process has, by platform. */
export type ChatPorts = Partial<Record<Platform, ChatPort>>;
