import type { TurnContext } from 'botbuilder';
import type { Actor, MessageRef } from '../../src/domain/platform.js';

/**
 * Who is acting: the secretariat and on-call staff are listed by their Entra ID (AAD) object id,
 * which is stable across tenants' Teams clients; the Teams user id (29:…) is the fallback.
 */
export function actorOf(context: TurnContext): Actor {
  const from = context.activity.from;
  return { platform: 'teams', userId: from.aadObjectId ?? from.id, name: from.name };
}

/** A channel thread's conversation id carries ";messageid=…"; the channel is what we posted to. */
export function channelOf(conversationId: string): string {
  return conversationId.split(';')[0] ?? conversationId;
}

/** The card message a button press came from. */
export function pressedMessage(context: TurnContext): MessageRef | null {
  const a = context.activity;
  if (!a.replyToId || !a.conversation?.id) return null;
  return { platform: 'teams', channelId: channelOf(a.conversation.id), messageId: a.replyToId };
}

export function tenantOf(context: TurnContext): string | undefined {
  const a = context.activity;
  return (a.channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id ?? a.conversation?.tenantId;
}
