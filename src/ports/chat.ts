import type { ChannelAddress } from '../domain/delivery.js';
import type { Actor, MessageRef, Platform } from '../domain/platform.js';
import type { PlatformLimits } from './pace.js';
import type { AdvisoryView, FollowUpView, ImageView, NoticeView, PhoneBoardView, PhoneTaskView, ReminderView } from '../view/views.js';

/** A conversation to post into: a channel, or a direct-message conversation. */
export interface PostTarget {
  workspaceId: string;
  channelId: string;
  /**
   * Post as a reply to this message (Slack: thread_ts; Teams channels: a reply to the post). Where
   * the conversation has no threads (a Teams 1:1 chat) the platform posts it as the next message.
   */
  threadOf?: MessageRef | undefined;
}

/** Everything the bot posts, as platform-neutral views; the adapter renders each kind. */
export type OutboundView =
  | { kind: 'advisory'; view: AdvisoryView }
  | { kind: 'notice'; view: NoticeView }
  | { kind: 'reminder'; view: ReminderView }
  | { kind: 'phone_task'; view: PhoneTaskView }
  /** A page of an advisory's phone-task board in the on-call channel, updated in place. */
  | { kind: 'phone_board'; view: PhoneBoardView }
  /** Posted as a reply in the thread of `PostTarget.threadOf` where the platform has threads. */
  | { kind: 'followup'; view: FollowUpView };

/**
 * What a platform can do beyond posting and updating. Declared, never discovered by a null: the core
 * chooses its strategy from them.
 */
export interface ChatCapabilities {
  /**
   * The platform can find a message this bot posted, by the key it was posted with (Slack: message
   * metadata in the channel's history). Without it, a post whose response was lost cannot be told
   * from one never made: a retry posts again, and the core says so (a possible duplicate is logged
   * and audited, never silent); the step ledger's lease keeps two runs from posting at once.
   */
  findOwnPost: boolean;
  /**
   * The platform can tell whether a channel is shared beyond its organisation (Slack Connect).
   * Without it, only the directory's `sharedOutside` flag protects TLP:AMBER+STRICT and TLP:RED.
   */
  detectSharedChannel: boolean;
  /**
   * The platform can list the replies in a thread (Slack: conversations.replies). At closing the core
   * reads each thread of the advisory to catch what the events missed. Without it, the thread record is
   * what the platform delivered as it happened (Teams: the bot sees channel replies only as they arrive).
   */
  readThreads: boolean;
  /**
   * The platform can post a picture (postImage: Slack files.uploadV2, Teams an inline image in a card, the local page),
   * no larger than `maxBytes` of PNG. false: it cannot, and the core posts none there (the chart stays in the status
   * view). The core never looks for a picture by its key (findPost): Slack's file share carries no message metadata,
   * Teams keeps none at all. A picture is posted once by the post ledger alone; after an attempt of unknown outcome it
   * is posted again, and the core says so (commands/chart-post.ts).
   */
  postImage: false | { maxBytes: number };
}

/** A picture to post (the reach chart with the closing summary): its bytes, its file name, and what it is. */
export interface ImagePost {
  /** The picture as PNG, no larger than capabilities.postImage.maxBytes. */
  png: Uint8Array;
  /** Its file name where the platform shows one (Slack), e.g. "ADV-2026-0042-reach.png". */
  filename: string;
  /** What it shows, labelled as every message is (the TLP first, 【訓練】/[DRILL]); the adapter renders it. */
  view: ImageView;
}

/** Where a picture was posted: the platform's own id for it (Slack: the file F…; Teams: the activity; local: the message). */
export interface PostedImage {
  platform: Platform;
  channelId: string;
  id: string;
}

/** A person's message in a thread, as the platform lists it now (current text; edited ones say when). */
export interface ThreadReply {
  message: MessageRef;
  author: Actor;
  text: string;
  /** When it was posted (the platform's clock, ISO). */
  at: string;
  /** Its last edit, when it was edited: the platform's id of that edit and when. */
  edited?: { id: string; at: string } | undefined;
}

/**
 * What the core asks of a chat platform. The platform's adapter implements it and renders the
 * views; it translates the platform's failures into ChatError with one of the core's reasons.
 * test/adapters/chat-port-contract.ts is the behaviour every implementation shows.
 */
export interface ChatPort {
  readonly platform: Platform;
  readonly capabilities: ChatCapabilities;
  /** The platform's published limits on what the bot sends; the shared pace keeps every call within them. */
  readonly limits: PlatformLimits;
  /**
   * Post a message. `key` travels with the message where the platform can carry it (Slack: message
   * metadata) so that findPost can tell whether an earlier attempt, whose response was lost, posted it.
   */
  post(target: PostTarget, message: OutboundView, key: string): Promise<MessageRef>;
  /** The message posted with this key since `since`, if any. Only with capabilities.findOwnPost. */
  findPost(target: PostTarget, key: string, since: Date): Promise<MessageRef | null>;
  /**
   * Post a picture with its caption into a conversation. Only with capabilities.postImage; a picture larger than its
   * maxBytes is refused as a permanent ChatError (too_large) before anything is sent. `key` goes with it where the
   * platform keeps one (the local workspace); the core does not look for a picture by it (see ChatCapabilities.postImage).
   */
  postImage(target: PostTarget, image: ImagePost, key: string): Promise<PostedImage>;
  /** Replace a posted message's content (after an acknowledgement, a claim, …); the key stays. */
  update(ref: MessageRef, message: OutboundView, key: string): Promise<void>;
  /** The direct-message conversation with a user, opened if need be. */
  openDirectConversation(workspaceId: string, userId: string): Promise<PostTarget>;
  /** People's replies in the thread of `root` posted since `since`, oldest first; never the bot's own. Only with capabilities.readThreads. */
  threadReplies(root: MessageRef, since: Date): Promise<ThreadReply[]>;
  /** The platform says the channel is shared beyond its own organisation. Only with capabilities.detectSharedChannel. */
  isSharedOutside(channel: ChannelAddress): Promise<boolean>;
  /**
   * Checks that the bot's credentials work (Slack: auth.test; Teams: a token from Entra ID).
   * Resolves when they do or the platform needs none (the local workspace, Teams in unauthenticated
   * development mode); rejects with a ChatError saying why not. Run at start and for /readyz.
   */
  checkCredentials(): Promise<void>;
}

export type ChatErrorKind = 'rate_limited' | 'permanent' | 'transient';

/**
 * Why a platform refused or failed, in the core's words: one closed set, whatever the platform.
 * The platform's own code stays on the error (`code`) for the log and the record's detail.
 */
export const FAILURE_REASONS = [
  /** The channel or conversation does not exist (deleted, or invisible to the bot). */
  'channel_gone',
  /** The bot is not a member of the channel (removed from the team, never added). */
  'not_in_channel',
  /** The channel is archived. */
  'archived',
  /** The bot's credentials are not valid (revoked, expired, wrong). */
  'auth',
  /** The bot may not do this (scope, policy, an administrator disabled it). */
  'forbidden',
  /** The app is not installed where the message should go. */
  'not_installed',
  /** The person cannot be reached (left, deactivated, blocked the bot). */
  'recipient_unreachable',
  /** The message is larger than the platform allows. */
  'too_large',
  /** The platform refused the message's content or the request as malformed. */
  'invalid_message',
  /** The message to update is gone or can no longer be edited. */
  'message_gone',
  /** The platform asked us to slow down. */
  'rate_limited',
  /** No answer in time. */
  'timeout',
  /** The platform or the network failed; worth retrying. */
  'unavailable',
  /** Anything else. */
  'unknown',
] as const;
export type FailureReason = (typeof FAILURE_REASONS)[number];

const DEFAULT_REASON: Record<ChatErrorKind, FailureReason> = { rate_limited: 'rate_limited', transient: 'unavailable', permanent: 'unknown' };

/** A platform failure, classified so the workflow knows whether to wait, retry or give up. */
export class ChatError extends Error {
  readonly kind: ChatErrorKind;
  /** The platform's own code (channel_not_found, BotNotInConversationRoster, http_503, …), for the log. */
  readonly code: string;
  readonly reason: FailureReason;
  readonly retryAfterMs: number | undefined;
  /**
   * Whether the platform may have done what was asked although the call failed (a timeout, a connection lost after
   * the request went out, a 5xx): a retry must then look for an earlier post before posting. False when the failure
   * proves nothing happened (a 429, a refusal, a connection never made), so the retry posts at once instead of
   * searching a rate-limited history. By default only a transient failure may have been done.
   */
  readonly maybeDone: boolean;
  constructor(kind: ChatErrorKind, code: string, options?: { retryAfterMs?: number; cause?: unknown; reason?: FailureReason; maybeDone?: boolean }) {
    super(`chat ${kind}: ${code}`, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ChatError';
    this.kind = kind;
    this.code = code;
    this.reason = options?.reason ?? DEFAULT_REASON[kind];
    this.retryAfterMs = options?.retryAfterMs;
    this.maybeDone = options?.maybeDone ?? kind === 'transient';
  }
}

/** The chat ports the process has, by platform. */
export type ChatPorts = Partial<Record<Platform, ChatPort>>;
