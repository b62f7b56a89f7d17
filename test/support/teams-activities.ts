/**
 * Activities as the Teams service sends them to /api/messages, with serviceUrl pointing at the
 * fake Bot Connector, so every reply and proactive message of the bot lands there.
 */
import { randomUUID } from 'node:crypto';
import { TENANT } from './mixed-directory.js';

export const BOT_ID = '28:ceptoar-bot';

export interface TeamsPostResult {
  status: number;
  body: unknown;
}

export class TeamsSender {
  constructor(
    private readonly endpoint: string,
    private readonly serviceUrl: string,
    private readonly authorization?: string,
  ) {}

  async send(activity: Record<string, unknown>, headers: Record<string, string> = {}): Promise<TeamsPostResult> {
    const res = await fetch(this.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(this.authorization ? { authorization: this.authorization } : {}), ...headers },
      body: JSON.stringify(activity),
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = text; // not JSON: keep the raw text for the assertion message
    }
    return { status: res.status, body };
  }

  base(conversationId: string, from: { id: string; aadObjectId?: string; name?: string }, team?: string): Record<string, unknown> {
    return {
      id: `act-${randomUUID()}`,
      timestamp: new Date().toISOString(),
      serviceUrl: this.serviceUrl,
      channelId: 'msteams',
      from: { id: from.id, aadObjectId: from.aadObjectId, name: from.name ?? from.id },
      conversation: { id: conversationId, conversationType: team ? 'channel' : 'personal', tenantId: TENANT, isGroup: Boolean(team) },
      recipient: { id: BOT_ID, name: 'CEPTOAR Bot' },
      channelData: { tenant: { id: TENANT }, ...(team ? { team: { id: team }, channel: { id: conversationId } } : {}) },
      locale: 'ja-JP',
    };
  }

  install(conversationId: string, team: string) {
    return this.send({
      ...this.base(conversationId, { id: '29:installer', name: 'Installer' }, team),
      type: 'conversationUpdate',
      membersAdded: [{ id: BOT_ID }],
      channelData: { tenant: { id: TENANT }, team: { id: team }, eventType: 'teamMemberAdded' },
    });
  }

  message(conversationId: string, from: { id: string; aadObjectId?: string; name?: string }, text: string, team?: string) {
    return this.send({ ...this.base(conversationId, from, team), type: 'message', text });
  }

  /**
   * A person's reply in the thread of a channel post (`root`): the activity Teams sends the bot (every
   * message with resource-specific consent, else only an @mention), in the thread's conversation.
   */
  threadReply(channel: string, root: string, from: { id: string; aadObjectId?: string; name?: string }, text: string, options: { team: string; id?: string; timestamp?: string }) {
    return this.send({
      ...this.base(`${channel};messageid=${root}`, from, options.team),
      ...(options.id ? { id: options.id } : {}),
      ...(options.timestamp ? { timestamp: options.timestamp } : {}),
      type: 'message',
      text,
      replyToId: root,
    });
  }

  /** A message in a 1:1 chat that answers one of the bot's messages (`replyToId`). */
  chatReply(conversationId: string, from: { id: string; aadObjectId?: string; name?: string }, text: string, options: { replyToId?: string; id?: string; timestamp?: string } = {}) {
    return this.send({
      ...this.base(conversationId, from),
      ...(options.id ? { id: options.id } : {}),
      ...(options.timestamp ? { timestamp: options.timestamp } : {}),
      type: 'message',
      text,
      ...(options.replyToId ? { replyToId: options.replyToId } : {}),
    });
  }

  /** Teams' edit (messageUpdate / editMessage) or deletion (messageDelete / softDeleteMessage) of message `id`. */
  messageEvent(
    kind: 'edit' | 'delete',
    conversationId: string,
    from: { id: string; aadObjectId?: string; name?: string },
    options: { id: string; text?: string; timestamp: string; team?: string },
  ) {
    const base = this.base(conversationId, from, options.team);
    return this.send({
      ...base,
      id: options.id,
      timestamp: options.timestamp,
      type: kind === 'edit' ? 'messageUpdate' : 'messageDelete',
      ...(kind === 'edit' ? { text: options.text ?? '' } : {}),
      channelData: { ...(base['channelData'] as Record<string, unknown>), eventType: kind === 'edit' ? 'editMessage' : 'softDeleteMessage' },
    });
  }

  invoke(conversationId: string, from: { id: string; aadObjectId?: string; name?: string }, name: string, value: unknown, options: { team?: string; replyToId?: string } = {}) {
    return this.send({
      ...this.base(conversationId, from, options.team),
      type: 'invoke',
      name,
      value,
      ...(options.replyToId ? { replyToId: options.replyToId } : {}),
    });
  }

  /** An Action.Execute press on a card (Universal Actions). */
  execute(conversationId: string, from: { id: string; aadObjectId?: string; name?: string }, verb: string, data: Record<string, unknown>, replyToId: string, team?: string) {
    return this.invoke(conversationId, from, 'adaptiveCard/action', { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' }, { ...(team ? { team } : {}), replyToId });
  }
}

export const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';

/** The Adaptive Card in an activity (stored by the fake connector, or a call's body); undefined when it has none. */
export function adaptiveCardOf(activity: unknown): unknown {
  const attachments = (activity as { attachments?: { contentType?: string; content?: unknown }[] } | undefined)?.attachments;
  return attachments?.find((x) => x.contentType === ADAPTIVE_CARD)?.content;
}

/** The card an Action.Execute answered with (teams-ai: { statusCode, type, value }). */
export function answeredCard(body: unknown): unknown {
  return (body as { value?: unknown } | undefined)?.value;
}

/** Every Action.Execute in a card (or any JSON), with its verb and data. */
export function executes(node: unknown, out: { verb: string; data: Record<string, unknown> }[] = []): { verb: string; data: Record<string, unknown> }[] {
  if (Array.isArray(node)) node.forEach((n) => executes(n, out));
  else if (node && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    if (o['type'] === 'Action.Execute' && typeof o['verb'] === 'string') out.push({ verb: o['verb'], data: (o['data'] ?? {}) as Record<string, unknown> });
    Object.values(o).forEach((v) => executes(v, out));
  }
  return out;
}
