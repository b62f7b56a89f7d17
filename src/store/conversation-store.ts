import type { Clock } from '../clock.js';
import type { Platform } from '../domain/platform.js';
import type { ConversationStore } from '../ports/platform-adapter.js';
import type { Store } from '../ports/store.js';

/** A platform adapter's conversation records, kept in the bot's store (one table, keyed by platform). */
export function conversationStoreOf(store: Store, platform: Platform, clock: Clock): ConversationStore {
  return {
    save: (record) => store.saveConversation({ ...record, platform, updatedAt: clock.now().toISOString() }),
    get: (conversationId) => store.getConversation(platform, conversationId),
    latestInTenant: (tenantId) => store.latestConversationInTenant(platform, tenantId),
  };
}
