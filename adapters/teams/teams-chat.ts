import {
  ActivityTypes,
  CardFactory,
  type Activity,
  type ChannelAccount,
  type ConversationAccount,
  type ConversationParameters,
} from 'botbuilder';
import type { ConversationRecord } from '../../src/domain/conversation.js';
import type { ChannelAddress } from '../../src/domain/delivery.js';
import type { MessageRef } from '../../src/domain/platform.js';
import { ChatError, type ChatPort, type ImagePost, type OutboundView, type PostedImage, type PostTarget, type ThreadReply } from '../../src/ports/chat.js';
import type { PlatformLimits } from '../../src/ports/pace.js';
import { toChatError } from './teams-errors.js';
import { chartCard } from './chart-card.js';
import { createConnectorSend, type ConnectorSend, type ConnectorToken } from './connector-send.js';

/** What the renderer gives for one message: the Adaptive Card and the plain text Teams shows in notifications. */
export interface TeamsMessage {
  text: string;
  /** The Adaptive Card JSON; sent as an application/vnd.microsoft.card.adaptive attachment. */
  card: object;
  /** Activity entities (e.g. mentions the text refers to). */
  entities?: object[];
}

export type TeamsRender = (message: OutboundView) => TeamsMessage;

/** Where the bot is installed, from what Teams told it (see recordConversation). */
export interface TeamsConversationLookup {
  conversation(conversationId: string): Promise<ConversationRecord | null>;
  /** The latest conversation recorded in the tenant: its service URL and bot id serve for any of its conversations. */
  tenant(tenantId: string): Promise<ConversationRecord | null>;
  /** Keep a conversation the bot opened itself (a TLP:RED 1:1 chat), so any process can update its cards later. */
  remember(record: Omit<ConversationRecord, 'updatedAt'>): Promise<void>;
}

export interface TeamsChatOptions {
  /** The bot's Entra app id; '' when running without one (local development). */
  appId: string;
  lookup: TeamsConversationLookup;
  render: TeamsRender;
  /** Per request to the Bot Connector; default 15 s. botbuilder sets none, so a hung connection would hang the job. */
  requestTimeoutMs?: number;
  /** The bot's Bot Connector token (connectorToken); required with an app id, absent when running unauthenticated. */
  token?: ConnectorToken | undefined;
  /** Gets a token with the bot's credentials (teamsCredentialCheck); absent when running unauthenticated. */
  credentialCheck?: (() => Promise<void>) | undefined;
}

const TEAMS_CHANNEL_ID = 'msteams';

/**
 * The largest picture posted inline, in bytes of PNG. The Bot Connector refuses a request over 262,144 bytes
 * (413 MessageSizeTooBig, "The request content length exceeded limit of 262144 bytes": botframework-sdk#6669,
 * BotFramework-Services#341), and the picture travels in it as base64 (4/3 of its size): 150,000 bytes are 200,000
 * characters, which leaves room for the card and the activity around it. Teams' own 100 KB message limit does not count
 * base64 images (learn.microsoft.com, "Format your bot messages").
 */
export const TEAMS_IMAGE_MAX_BYTES = 150_000;
const KNOWN_CONVERSATIONS_MAX = 10_000;

type Kind = ConversationRecord['kind'];

interface Resolved {
  serviceUrl: string;
  tenantId: string;
  botId: string;
  kind: Kind;
}

/** What a Teams conversation id says about its kind, for conversations no record describes. */
export function kindFromConversationId(id: string): Kind {
  if (id.startsWith('a:') || id.includes('@unq.gbl.spaces')) return 'personal';
  if (id.includes('@thread.v2')) return 'groupChat';
  return 'channel';
}

/**
 * The chat port on Microsoft Teams, through the Bot Framework Connector (proactive messages).
 *
 * To post, the bot needs the conversation's service URL, tenant and its own bot id, which Teams gave when the bot was
 * added (ConversationRecord). A conversation without a record (a channel the directory names but no install event
 * recorded, a 1:1 chat) borrows them from the tenant's latest record; a tenant without any has not installed the app.
 *
 * Posts and updates go straight to the Bot Connector's REST API (connector-send.ts), each request tried once; the
 * workflow decides when to retry. Opening a 1:1 chat goes through botbuilder.
 */
export class TeamsChat implements ChatPort {
  readonly platform = 'teams' as const;
  /**
   * Neither, through the Bot Connector: it cannot read a conversation's messages, and Teams keeps no metadata we
   * could match a key against (Graph could, with admin consent member organisations will not grant); a shared
   * channel (Teams Connect) shows only through Graph. The directory's sharedOutside flag stands in.
   */
  // Listing a channel thread needs Microsoft Graph (ChannelMessage.Read.All): the bot records replies as they arrive.
  // A picture goes inline, in a card (chart-card.ts), within TEAMS_IMAGE_MAX_BYTES.
  readonly capabilities = { findOwnPost: false, detectSharedChannel: false, readThreads: false, postImage: { maxBytes: TEAMS_IMAGE_MAX_BYTES } } as const;
  /**
   * A bot in one conversation: 7 messages a second, 8 in 2 s, 60 in 30 s (learn.microsoft.com, "Optimize your bot:
   * rate limiting"); the 30-second window is the one that binds a sustained pace, so 2 a second with a burst of 7.
   * There is no search (findOwnPost is false).
   */
  readonly limits: PlatformLimits = { conversation: { perSecond: 2, burst: 7 }, search: 'unlimited', workspace: 'paced' };
  private readonly lookup: TeamsConversationLookup;
  private readonly render: TeamsRender;
  private readonly connector: ConnectorSend;
  private readonly credentialCheck: (() => Promise<void>) | undefined;
  /**
   * Conversations this process posted into or opened, for update(): a MessageRef carries no tenant, and a 1:1 chat
   * opened by openDirectConversation has no ConversationRecord. Bounded; another process falls back to the records.
   */
  private readonly known = new Map<string, Resolved>();

  constructor(opts: TeamsChatOptions) {
    this.lookup = opts.lookup;
    this.render = opts.render;
    // Without a token every post would be refused (401) and the members would hear nothing: a wiring mistake, said at start.
    if (opts.appId !== '' && opts.token === undefined) throw new Error('TeamsChat: an app id needs a Bot Connector token');
    this.connector = createConnectorSend({ token: opts.token, timeoutMs: opts.requestTimeoutMs ?? 15_000 });
    this.credentialCheck = opts.credentialCheck;
  }

  /**
   * The key is not sent: Teams has no message metadata, and drops channelData it does not know, so nothing we could
   * attach would come back to findPost.
   */
  async post(target: PostTarget, message: OutboundView, _key: string): Promise<MessageRef> {
    const where = await this.resolve(target.channelId, target.workspaceId);
    const id = await this.send(target, where, this.activity(message, where.tenantId));
    return { platform: 'teams', channelId: target.channelId, messageId: id };
  }

  /**
   * The picture inline, as an Image in an Adaptive Card under its label and heading (chart-card.ts). The key is not
   * sent, as for any post (see post).
   */
  async postImage(target: PostTarget, image: ImagePost, _key: string): Promise<PostedImage> {
    if (image.png.byteLength > TEAMS_IMAGE_MAX_BYTES) throw new ChatError('permanent', 'image_too_large', { reason: 'too_large' });
    const where = await this.resolve(target.channelId, target.workspaceId);
    const m = chartCard(image.view, image.png);
    const activity: Partial<Activity> = {
      type: ActivityTypes.Message,
      summary: m.text,
      attachments: [CardFactory.adaptiveCard(m.card)],
      channelData: { tenant: { id: where.tenantId } },
    };
    return { platform: 'teams', channelId: target.channelId, id: await this.send(target, where, activity) };
  }

  /** Send an activity into the conversation (or the thread of `threadOf`); the id Teams gave it. */
  private async send(target: PostTarget, where: Resolved, activity: Partial<Activity>): Promise<string> {
    // A reply in a channel post's thread goes to the thread's conversation (`<channel>;messageid=<root>`); chats
    // have no threads, so there it is the next message.
    const thread = target.threadOf !== undefined && where.kind === 'channel' ? `${target.channelId};messageid=${target.threadOf.messageId}` : target.channelId;
    const id = await this.request(target.channelId, where, () => this.connector.send(where.serviceUrl, thread, this.addressed(activity, thread, where)));
    // Teams has been seen to answer 202 without a body. The post likely exists, but without its id it cannot be
    // updated; the retry posts again (a duplicate, like a lost response).
    if (id === undefined || id === '') throw new ChatError('transient', 'invalid_response');
    return id;
  }

  /** Not a capability of Teams (see `capabilities`): the core never asks. */
  async threadReplies(_root: MessageRef, _since: Date): Promise<ThreadReply[]> {
    throw new Error('TeamsChat cannot list a thread (capabilities.readThreads is false)');
  }

  /** Not a capability of Teams (see `capabilities`): the core never asks, and asking is a programming error. */
  async findPost(_target: PostTarget, _key: string, _since: Date): Promise<MessageRef | null> {
    throw new Error('TeamsChat cannot find its own posts (capabilities.findOwnPost is false)');
  }

  async update(ref: MessageRef, message: OutboundView, _key: string): Promise<void> {
    if (ref.platform !== 'teams') throw new ChatError('permanent', 'wrong_platform', { reason: 'invalid_message' });
    const where = await this.resolve(ref.channelId, undefined);
    const activity: Partial<Activity> = { ...this.addressed(this.activity(message, where.tenantId), ref.channelId, where), id: ref.messageId };
    await this.request(ref.channelId, where, () => this.connector.update(where.serviceUrl, ref.channelId, ref.messageId, activity));
  }

  /**
   * Creates (or, as Teams answers for an existing pair, returns) the 1:1 chat between the bot and the user. The user
   * must be reachable by the bot in that tenant (the app installed for them or in a team they belong to), else Teams
   * answers 403/404 and this is a permanent ChatError.
   *
   * One request, as a post is (connector-send.ts), not CloudAdapter.createConversationAsync: its connector client
   * retried a 429 inside the job after the Retry-After (measured: 7 s, up to three times), holding the worker and
   * hiding the 429 from the pace, and had no timeout.
   */
  async openDirectConversation(workspaceId: string, userId: string): Promise<PostTarget> {
    const tenant = await this.lookup.tenant(workspaceId);
    if (tenant === null) throw new ChatError('permanent', 'TEAMS_NOT_INSTALLED', { reason: 'not_installed' });
    const parameters: ConversationParameters = {
      isGroup: false,
      bot: { id: tenant.botId } as ChannelAccount,
      members: [{ id: userId } as ChannelAccount],
      tenantId: workspaceId,
      channelData: { tenant: { id: workspaceId } },
    };
    let conversationId: string | undefined;
    try {
      conversationId = await this.connector.createConversation(tenant.serviceUrl, parameters);
    } catch (err) {
      throw toChatError(err);
    }
    if (conversationId === undefined || conversationId === '') throw new ChatError('transient', 'invalid_response');
    const where: Resolved = { serviceUrl: tenant.serviceUrl, tenantId: workspaceId, botId: tenant.botId, kind: 'personal' };
    // Stored before anything is posted there: after a restart, or in another process, an acknowledgement
    // must still find where to update the card. A store that cannot keep it makes the job retry.
    try {
      await this.lookup.remember({ platform: 'teams', conversationId, ...where, removed: false });
    } catch (err) {
      throw new ChatError('transient', 'conversation_not_recorded', { cause: err });
    }
    this.remember(conversationId, where);
    return { workspaceId, channelId: conversationId };
  }

  /** Not a capability of Teams (see `capabilities`): the core relies on the directory's flag. */
  async isSharedOutside(_channel: ChannelAddress): Promise<boolean> {
    throw new Error('TeamsChat cannot tell a shared channel (capabilities.detectSharedChannel is false)');
  }

  /** A token from Entra ID for the Bot Connector (see teamsCredentialCheck); none needed when running unauthenticated. */
  async checkCredentials(): Promise<void> {
    if (!this.credentialCheck) return;
    try {
      await this.credentialCheck();
    } catch (err) {
      throw new ChatError('permanent', 'invalid_credentials', { cause: err, reason: 'auth' });
    }
  }

  private activity(message: OutboundView, tenantId: string): Partial<Activity> {
    const m = this.render(message);
    return {
      type: ActivityTypes.Message,
      // summary, not text: Teams renders an activity's text as a message above the card, repeating it.
      summary: m.text,
      attachments: [CardFactory.adaptiveCard(m.card)],
      ...(m.entities === undefined ? {} : { entities: m.entities as Activity['entities'] }),
      channelData: { tenant: { id: tenantId } },
    };
  }

  /**
   * Where to reach a conversation: its own record, else what this process learnt, else the tenant's latest record.
   * A record in another tenant than the directory says is refused: posting a classified advisory to another
   * organisation's conversation is the one mistake we cannot take back.
   */
  private async resolve(conversationId: string, tenantId: string | undefined): Promise<Resolved> {
    const record = await this.lookup.conversation(conversationId);
    const found: Resolved | undefined =
      record !== null
        ? { serviceUrl: record.serviceUrl, tenantId: record.tenantId, botId: record.botId, kind: record.kind }
        : this.known.get(conversationId);
    if (found !== undefined) {
      if (tenantId !== undefined && found.tenantId !== tenantId) throw new ChatError('permanent', 'TEAMS_TENANT_MISMATCH', { reason: 'forbidden' });
      return found;
    }
    if (tenantId === undefined) throw new ChatError('permanent', 'TEAMS_CONVERSATION_UNKNOWN', { reason: 'channel_gone' });
    const tenant = await this.lookup.tenant(tenantId);
    if (tenant === null) throw new ChatError('permanent', 'TEAMS_NOT_INSTALLED', { reason: 'not_installed' });
    return { serviceUrl: tenant.serviceUrl, tenantId, botId: tenant.botId, kind: kindFromConversationId(conversationId) };
  }

  private remember(conversationId: string, where: Resolved): void {
    this.known.delete(conversationId);
    this.known.set(conversationId, where);
    if (this.known.size > KNOWN_CONVERSATIONS_MAX) {
      const oldest = this.known.keys().next().value;
      if (oldest !== undefined) this.known.delete(oldest);
    }
  }

  /** The activity as botbuilder addresses a proactive one: from the bot, into the conversation, through its service. */
  private addressed(activity: Partial<Activity>, conversationId: string, where: Resolved): Partial<Activity> {
    return {
      ...activity,
      channelId: TEAMS_CHANNEL_ID,
      serviceUrl: where.serviceUrl,
      from: { id: where.botId } as ChannelAccount,
      conversation: {
        id: conversationId,
        isGroup: where.kind !== 'personal',
        conversationType: where.kind,
        tenantId: where.tenantId,
      } as ConversationAccount,
    };
  }

  /** One request to the connector; a failure becomes the ChatError it means, a success teaches this process the conversation. */
  private async request<T>(conversationId: string, where: Resolved, call: () => Promise<T>): Promise<T> {
    let value: T;
    try {
      value = await call();
    } catch (err) {
      throw toChatError(err);
    }
    this.remember(conversationId, where);
    return value;
  }
}
