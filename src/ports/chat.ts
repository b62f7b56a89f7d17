import type { ChannelAddress } from '../domain/delivery.js';
import type { MessageRef, Platform } from '../domain/platform.js';
import type { AdvisoryView, NoticeView } from '../view/views.js';

/** A conversation to post into: a channel, or a direct-message conversation. */
export interface PostTarget {
  workspaceId: string;
  channelId: string;
}

/**
 * What the core asks of a chat platform. The platform's adapter implements it and renders the
 * platform-neutral views; it translates the platform's failures into ChatError.
 */
export interface ChatPort {
  readonly platform: Platform;
  /** Post an advisory; the message carries the delivery id so it can be found again. */
  postAdvisory(target: PostTarget, view: AdvisoryView): Promise<MessageRef>;
  /** An advisory post for this delivery made since `since`, if one exists (a retry after a lost response). */
  findAdvisoryPost(target: PostTarget, deliveryId: string, since: Date): Promise<MessageRef | null>;
  updateAdvisory(ref: MessageRef, view: AdvisoryView): Promise<void>;
  /** The direct-message conversation with a user, opened if need be. */
  openDirectConversation(workspaceId: string, userId: string): Promise<PostTarget>;
  /** The platform says the channel is shared beyond its own organisation. */
  isSharedOutside(channel: ChannelAddress): Promise<boolean>;
  postNotice(target: PostTarget, notice: NoticeView): Promise<MessageRef>;
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
