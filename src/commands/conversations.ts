import type { ConversationRecord } from '../domain/conversation.js';
import type { CoreDeps } from './deps.js';

/**
 * The bot was added to (or removed from) a conversation: remember where it is, so it can post
 * there on its own later. Idempotent: the same event twice leaves one record.
 */
export async function recordConversation(deps: CoreDeps, record: Omit<ConversationRecord, 'updatedAt'>): Promise<void> {
  const at = deps.clock.now().toISOString();
  const before = await deps.store.getConversation(record.platform, record.conversationId);
  await deps.store.saveConversation({ ...record, updatedAt: at });
  if (!before || before.removed !== record.removed) {
    await deps.store.appendAudit({
      id: `conversation.${record.platform}.${record.conversationId}.${record.removed ? 'removed' : 'added'}.${at}`,
      at,
      action: record.removed ? 'conversation.removed' : 'conversation.added',
      detail: { platform: record.platform, conversationId: record.conversationId, tenantId: record.tenantId, teamId: record.teamId, kind: record.kind },
    });
    deps.log.info({ platform: record.platform, conversationId: record.conversationId, removed: record.removed }, 'conversation recorded');
  }
}

export function findConversation(deps: CoreDeps, platform: ConversationRecord['platform'], conversationId: string): Promise<ConversationRecord | null> {
  return deps.store.getConversation(platform, conversationId);
}

export function conversationInTenant(deps: CoreDeps, platform: ConversationRecord['platform'], tenantId: string): Promise<ConversationRecord | null> {
  return deps.store.latestConversationInTenant(platform, tenantId);
}
