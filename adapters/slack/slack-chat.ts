import { WebClient, type ChatPostMessageArguments, type ChatUpdateArguments, type Logger, type LogLevel } from '@slack/web-api';
import type { ChannelAddress } from '../../src/domain/delivery.js';
import type { MessageRef } from '../../src/domain/platform.js';
import { ChatError, type ChatPort, type ImagePost, type OutboundView, type PostedImage, type PostTarget, type ThreadReply } from '../../src/ports/chat.js';
import type { PlatformLimits } from '../../src/ports/pace.js';
import { toChatError } from './slack-errors.js';
import type { SendResult, SlackSend } from './slack-send.js';
import { POST_EVENT_TYPE, postMetadata, renderMessage, type SlackMessage } from './slack-blocks.js';
import { chartCaption } from './chart-caption.js';

/**
 * Turns any view the core posts into Block Kit. Injected so this adapter stays about talking to Slack; the
 * metadata (key, kind, ids) is added here, not by the renderer, so every kind is findable the same way.
 */
export type SlackRender = (message: OutboundView) => SlackMessage;

export interface SlackChatOptions {
  client: WebClient;
  /** chat.postMessage and chat.update; default: through `client`. The platform passes the lean one (slack-send.ts). */
  send?: SlackSend;
  /** Default: renderMessage from slack-blocks.ts. */
  render?: SlackRender;
  /** conversations.history page size when looking for an earlier post; default 200. */
  historyPageSize?: number;
  /** Pages read before giving up the search; default 10. */
  historyMaxPages?: number;
  /**
   * How much earlier than `since` the search starts; default 60 s. `since` comes from our clock and the ts from
   * Slack's: if ours runs ahead, a post made just after `since` would carry an earlier ts and be missed, and missing
   * it means posting the advisory twice.
   */
  clockSkewMs?: number;
}

export interface SlackWebClientOptions {
  token: string;
  slackApiUrl?: string;
  logger?: Logger;
  logLevel?: LogLevel;
  /** Per-request timeout; default 10 s. */
  timeoutMs?: number;
}

/**
 * A WebClient whose failures all reach our workflow: no client-side retries and 429s rejected at once, because the
 * workflow decides when to retry (and delays only the throttled delivery). A hidden retry after a lost response
 * would also post a second copy that the workflow never learns about.
 */
export function createSlackWebClient(opts: SlackWebClientOptions): WebClient {
  return new WebClient(opts.token, {
    ...(opts.slackApiUrl === undefined ? {} : { slackApiUrl: opts.slackApiUrl }),
    ...(opts.logger === undefined ? {} : { logger: opts.logger }),
    ...(opts.logLevel === undefined ? {} : { logLevel: opts.logLevel }),
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: opts.timeoutMs ?? 10_000,
  });
}

// Everything a message says is ours and already escaped by the renderer: Slack must not add links, mentions or
// previews (a preview could fetch a URL from a TLP:AMBER advisory). The reminder's mentions are written as <@U…>
// from directory ids, which Slack honours without link_names.
const NO_AUTOFORMAT = { unfurl_links: false, unfurl_media: false, link_names: false, parse: 'none' } as const;

type PostMessageBlocks = Extract<ChatPostMessageArguments, { blocks: unknown }>['blocks'];
type PostMessageAttachments = Extract<ChatPostMessageArguments, { attachments: unknown }>['attachments'];
type MessageMetadata = NonNullable<ChatUpdateArguments['metadata']>;

/** Slack's "1775034000.000100" as an ISO time. */
function tsToIso(ts: string): string {
  return new Date(Math.round(Number(ts) * 1000)).toISOString();
}

function secondsTs(d: Date): string {
  return (Math.max(0, d.getTime()) / 1000).toFixed(6);
}

/** Slack takes files up to 1 GB (files.getUploadURLExternal); a chart is a few hundred kilobytes at most. */
export const SLACK_FILE_MAX_BYTES = 1_000_000_000;

export class SlackChat implements ChatPort {
  /** Message metadata finds our own posts in history; conversations.info says whether a channel is shared. */
  readonly platform = 'slack' as const;
  readonly capabilities = { findOwnPost: true, detectSharedChannel: true, readThreads: true, postImage: { maxBytes: SLACK_FILE_MAX_BYTES } } as const;
  /**
   * chat.postMessage: about one message a second per channel, short bursts allowed; conversations.history (the
   * search for an earlier post): Tier 3, about 50 a minute (api.slack.com/apis/rate-limits).
   */
  readonly limits: PlatformLimits = { conversation: { perSecond: 1, burst: 3 }, search: { perSecond: 50 / 60, burst: 3 }, workspace: 'paced' };
  private readonly client: WebClient;
  private readonly send: SlackSend;
  private readonly render: SlackRender;
  private readonly historyPageSize: number;
  private readonly historyMaxPages: number;
  private readonly clockSkewMs: number;

  constructor(opts: SlackChatOptions) {
    this.client = opts.client;
    this.send = opts.send ?? ((method, body) => opts.client.apiCall(method, body) as Promise<SendResult>);
    this.render = opts.render ?? renderMessage;
    this.historyPageSize = opts.historyPageSize ?? 200;
    this.historyMaxPages = opts.historyMaxPages ?? 10;
    this.clockSkewMs = opts.clockSkewMs ?? 60_000;
  }

  async post(target: PostTarget, message: OutboundView, key: string): Promise<MessageRef> {
    const m = this.render(message);
    const res = await this.call(() =>
      this.send('chat.postMessage', {
        channel: target.channelId,
        text: m.text,
        blocks: m.blocks as PostMessageBlocks,
        ...(m.attachments === undefined ? {} : { attachments: m.attachments as PostMessageAttachments }),
        metadata: postMetadata(message, key) as MessageMetadata,
        ...(target.threadOf === undefined ? {} : { thread_ts: target.threadOf.messageId }),
        ...NO_AUTOFORMAT,
      }),
    );
    return this.ref(res.channel ?? target.channelId, res.ts);
  }

  /**
   * files.uploadV2 through @slack/web-api (filesUploadV2): files.getUploadURLExternal (name, length, alt text), the
   * bytes to the upload URL it answers, then files.completeUploadExternal, which shares the file into the channel as
   * a message whose text is the caption (`initial_comment`), in the thread of `threadOf` if given. The client's
   * settings hold (no retry, 429 rejected at once), and every failure is classified as any other call's.
   *
   * The key is not sent: files.completeUploadExternal takes no message metadata, so the shared message cannot be
   * found by it (ChatCapabilities.postImage). Nor does it answer the message's ts (Slack shares the file after it
   * answers): the reference is the file's id.
   */
  async postImage(target: PostTarget, image: ImagePost, _key: string): Promise<PostedImage> {
    if (image.png.byteLength > this.capabilities.postImage.maxBytes) throw new ChatError('permanent', 'image_too_large', { reason: 'too_large' });
    const caption = chartCaption(image.view);
    const upload = {
      file: Buffer.from(image.png.buffer, image.png.byteOffset, image.png.byteLength),
      filename: image.filename,
      title: caption.title,
      alt_text: caption.altText,
      initial_comment: caption.comment,
    };
    const thread = target.threadOf?.messageId;
    const res = await this.call(() =>
      this.client.filesUploadV2(
        thread === undefined ? { ...upload, channel_id: target.channelId } : { ...upload, channel_id: target.channelId, thread_ts: thread },
      ),
    );
    const id = res.files[0]?.files?.[0]?.id;
    // ok:true without the file: it is shared, but we cannot say which.
    if (id === undefined || id === '') throw new ChatError('transient', 'invalid_response');
    return { platform: 'slack', channelId: target.channelId, id };
  }

  async findPost(target: PostTarget, key: string, since: Date): Promise<MessageRef | null> {
    const oldest = secondsTs(new Date(since.getTime() - this.clockSkewMs));
    let cursor: string | undefined;
    for (let page = 0; page < this.historyMaxPages; page++) {
      const page = {
        channel: target.channelId,
        oldest,
        inclusive: true,
        include_all_metadata: true,
        limit: this.historyPageSize,
        ...(cursor === undefined ? {} : { cursor }),
      };
      // A reply lives in its thread, which the channel's history does not list.
      const threadTs = target.threadOf?.messageId;
      const res = await this.call(() =>
        threadTs === undefined ? this.client.conversations.history(page) : this.client.conversations.replies({ ...page, ts: threadTs }),
      );
      for (const msg of res.messages ?? []) {
        const meta = msg.metadata as { event_type?: unknown; event_payload?: { key?: unknown } } | undefined;
        if (meta?.event_type === POST_EVENT_TYPE && meta.event_payload?.key === key && typeof msg.ts === 'string') {
          return { platform: 'slack', channelId: target.channelId, messageId: msg.ts };
        }
      }
      cursor = res.response_metadata?.next_cursor;
      if (!res.has_more || cursor === undefined || cursor === '') return null;
    }
    // Bounded because `since` is the first attempt's start: thousands of newer messages mean something else is wrong.
    return null;
  }

  /**
   * conversations.replies, page by page: people's messages only (a bot's have a bot_id), never the root. Slack limits this method hard for apps outside the Marketplace;
   * a 429 is a ChatError the job waits out (Retry-After).
   */
  async threadReplies(root: MessageRef, since: Date): Promise<ThreadReply[]> {
    const oldest = secondsTs(new Date(since.getTime() - this.clockSkewMs));
    const replies: ThreadReply[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < this.historyMaxPages; page++) {
      const res = await this.call(() =>
        this.client.conversations.replies({ channel: root.channelId, ts: root.messageId, oldest, inclusive: true, limit: this.historyPageSize, ...(cursor === undefined ? {} : { cursor }) }),
      );
      for (const msg of res.messages ?? []) {
        if (typeof msg.ts !== 'string' || msg.ts === root.messageId || typeof msg.user !== 'string') continue;
        // A bot's message (ours or another app's) has a bot_id; a person's has only a user.
        if (msg.bot_id !== undefined) continue;
        const edited = msg.edited?.ts;
        replies.push({
          message: { platform: 'slack', channelId: root.channelId, messageId: msg.ts },
          author: { platform: 'slack', userId: msg.user },
          text: msg.text ?? '',
          at: tsToIso(msg.ts),
          ...(typeof edited === 'string' ? { edited: { id: edited, at: tsToIso(edited) } } : {}),
        });
      }
      cursor = res.response_metadata?.next_cursor;
      if (!res.has_more || cursor === undefined || cursor === '') break;
    }
    return replies;
  }

  async update(ref: MessageRef, message: OutboundView, key: string): Promise<void> {
    if (ref.platform !== 'slack') throw new ChatError('permanent', 'wrong_platform', { reason: 'invalid_message' });
    const m = this.render(message);
    await this.call(() =>
      this.send('chat.update', {
        channel: ref.channelId,
        ts: ref.messageId,
        text: m.text,
        blocks: m.blocks as PostMessageBlocks,
        // Always sent: Slack keeps the old attachments of a message when the update leaves them out.
        attachments: (m.attachments ?? []) as PostMessageAttachments,
        // Sent again so the updated message can still be found by its key.
        metadata: postMetadata(message, key) as MessageMetadata,
        link_names: false,
        parse: 'none',
      }),
    );
  }

  async openDirectConversation(workspaceId: string, userId: string): Promise<PostTarget> {
    const res = await this.call(() => this.client.conversations.open({ users: userId }));
    const channelId = res.channel?.id;
    if (channelId === undefined || channelId === '') throw new ChatError('transient', 'invalid_response');
    return { workspaceId, channelId };
  }

  /**
   * True when the directory says so, or when Slack reports the channel as shared with any other workspace:
   * is_ext_shared (Slack Connect with another organisation), is_pending_ext_shared (an invitation that, once
   * accepted, exposes the history), is_shared, or is_org_shared (another workspace of the same Enterprise Grid).
   * Slack cannot tell us whether another workspace belongs to the same member organisation, and a sector's grid
   * typically gives each member its own workspace, so any sharing counts as outside. A false alarm withholds a
   * channel post (the classified advisory can still go by direct message); a miss leaks it.
   */
  async checkCredentials(): Promise<void> {
    try {
      await this.client.auth.test();
    } catch (err) {
      throw toChatError(err);
    }
  }

  async isSharedOutside(channel: ChannelAddress): Promise<boolean> {
    if (channel.sharedOutside) return true;
    const res = await this.call(() => this.client.conversations.info({ channel: channel.channelId }));
    const c = res.channel;
    if (c === undefined) throw new ChatError('transient', 'invalid_response');
    return c.is_ext_shared === true || c.is_pending_ext_shared === true || c.is_shared === true || c.is_org_shared === true;
  }

  private ref(channelId: string, ts: string | undefined): MessageRef {
    // ok:true without a ts: the post exists but we cannot point at it; a retry will find it by its metadata.
    if (ts === undefined || ts === '') throw new ChatError('transient', 'invalid_response');
    return { platform: 'slack', channelId, messageId: ts };
  }

  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw toChatError(err);
    }
  }
}
