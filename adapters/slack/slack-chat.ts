import { WebClient, type ChatPostMessageArguments, type ChatUpdateArguments, type Logger, type LogLevel } from '@slack/web-api';
import type { ChannelAddress } from '../../src/domain/delivery.js';
import type { MessageRef } from '../../src/domain/platform.js';
import { ChatError, type ChatPort, type PostTarget } from '../../src/ports/chat.js';
import type { AdvisoryView, NoticeView } from '../../src/view/views.js';
import { toChatError } from './slack-errors.js';
import { DELIVERY_EVENT_TYPE } from './slack-blocks.js';

export interface SlackAdvisoryMessage {
  text: string;
  blocks: unknown[];
  attachments: unknown[];
  metadata: { event_type: string; event_payload: Record<string, unknown> };
}

export interface SlackNoticeMessage {
  text: string;
  blocks: unknown[];
}

/** Block Kit renderers, injected so this adapter stays about talking to Slack. */
export interface SlackRenderer {
  advisory(view: AdvisoryView): SlackAdvisoryMessage;
  notice(n: NoticeView): SlackNoticeMessage;
}

export interface SlackChatOptions {
  client: WebClient;
  render: SlackRenderer;
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

// Everything an advisory or notice says is ours and already escaped by the renderer: Slack must not add links,
// mentions or previews (a preview could fetch a URL from a TLP:AMBER advisory).
const NO_AUTOFORMAT = { unfurl_links: false, unfurl_media: false, link_names: false, parse: 'none' } as const;

type PostMessageBlocks = Extract<ChatPostMessageArguments, { blocks: unknown }>['blocks'];
type PostMessageAttachments = Extract<ChatPostMessageArguments, { attachments: unknown }>['attachments'];
type MessageMetadata = NonNullable<ChatUpdateArguments['metadata']>;

function secondsTs(d: Date): string {
  return (Math.max(0, d.getTime()) / 1000).toFixed(6);
}

export class SlackChat implements ChatPort {
  readonly platform = 'slack' as const;
  private readonly client: WebClient;
  private readonly render: SlackRenderer;
  private readonly historyPageSize: number;
  private readonly historyMaxPages: number;
  private readonly clockSkewMs: number;

  constructor(opts: SlackChatOptions) {
    this.client = opts.client;
    this.render = opts.render;
    this.historyPageSize = opts.historyPageSize ?? 200;
    this.historyMaxPages = opts.historyMaxPages ?? 10;
    this.clockSkewMs = opts.clockSkewMs ?? 60_000;
  }

  async postAdvisory(target: PostTarget, view: AdvisoryView): Promise<MessageRef> {
    const m = this.render.advisory(view);
    const res = await this.call(() =>
      this.client.chat.postMessage({
        channel: target.channelId,
        text: m.text,
        blocks: m.blocks as PostMessageBlocks,
        attachments: m.attachments as PostMessageAttachments,
        metadata: m.metadata as MessageMetadata,
        ...NO_AUTOFORMAT,
      }),
    );
    return this.ref(res.channel ?? target.channelId, res.ts);
  }

  async findAdvisoryPost(target: PostTarget, deliveryId: string, since: Date): Promise<MessageRef | null> {
    const oldest = secondsTs(new Date(since.getTime() - this.clockSkewMs));
    let cursor: string | undefined;
    for (let page = 0; page < this.historyMaxPages; page++) {
      const res = await this.call(() =>
        this.client.conversations.history({
          channel: target.channelId,
          oldest,
          inclusive: true,
          include_all_metadata: true,
          limit: this.historyPageSize,
          ...(cursor === undefined ? {} : { cursor }),
        }),
      );
      for (const msg of res.messages ?? []) {
        const meta = msg.metadata as { event_type?: unknown; event_payload?: { delivery_id?: unknown } } | undefined;
        if (meta?.event_type === DELIVERY_EVENT_TYPE && meta.event_payload?.delivery_id === deliveryId && typeof msg.ts === 'string') {
          return { platform: 'slack', channelId: target.channelId, messageId: msg.ts };
        }
      }
      cursor = res.response_metadata?.next_cursor;
      if (!res.has_more || cursor === undefined || cursor === '') return null;
    }
    // Bounded because `since` is the first attempt's start: thousands of newer messages mean something else is wrong.
    return null;
  }

  async updateAdvisory(ref: MessageRef, view: AdvisoryView): Promise<void> {
    if (ref.platform !== 'slack') throw new ChatError('permanent', 'wrong_platform');
    const m = this.render.advisory(view);
    await this.call(() =>
      this.client.chat.update({
        channel: ref.channelId,
        ts: ref.messageId,
        text: m.text,
        blocks: m.blocks as PostMessageBlocks,
        attachments: m.attachments as PostMessageAttachments,
        // Sent again so the updated message can still be found by its delivery id.
        metadata: m.metadata as MessageMetadata,
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
  async isSharedOutside(channel: ChannelAddress): Promise<boolean> {
    if (channel.sharedOutside) return true;
    const res = await this.call(() => this.client.conversations.info({ channel: channel.channelId }));
    const c = res.channel;
    if (c === undefined) throw new ChatError('transient', 'invalid_response');
    return c.is_ext_shared === true || c.is_pending_ext_shared === true || c.is_shared === true || c.is_org_shared === true;
  }

  async postNotice(target: PostTarget, notice: NoticeView): Promise<MessageRef> {
    const m = this.render.notice(notice);
    const res = await this.call(() =>
      this.client.chat.postMessage({
        channel: target.channelId,
        text: m.text,
        blocks: m.blocks as PostMessageBlocks,
        ...NO_AUTOFORMAT,
      }),
    );
    return this.ref(res.channel ?? target.channelId, res.ts);
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
