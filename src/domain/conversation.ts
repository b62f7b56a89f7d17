import type { Platform } from './platform.js';

/**
 * What a platform told us about a conversation the bot was added to, kept so the bot can post
 * into it later on its own initiative (Teams: proactive messages need the service URL and tenant).
 */
export interface ConversationRecord {
  platform: Platform;
  /** Teams: the channel or chat id (19:…@thread.tacv2, a:…). */
  conversationId: string;
  /** Teams tenant id. */
  tenantId: string;
  /** Where the platform's connector for this conversation lives (Teams: a regional smba URL). */
  serviceUrl: string;
  /** The team, when the conversation is a team's channel. */
  teamId?: string | undefined;
  kind: 'channel' | 'personal' | 'groupChat';
  /** The bot's own id in that conversation (Teams: 28:…). */
  botId: string;
  /** The bot was removed: posting there will fail until it is added again. */
  removed: boolean;
  updatedAt: string;
}
