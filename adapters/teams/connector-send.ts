import type { Activity, ConversationParameters } from 'botbuilder';
import { headerValue, keepAliveJson, type JsonAnswer } from '../../src/lib/keep-alive-json.js';

/** A Bot Connector token for the bot's app (cached and renewed by botbuilder's credentials); absent when unauthenticated. */
export type ConnectorToken = () => Promise<string>;

/** Posts an activity into a conversation, or replaces one; failures are thrown shaped as botbuilder's (toChatError). */
export interface ConnectorSend {
  /** sendToConversation: a new message in the conversation (a `…;messageid=<root>` id: in that thread). The id Teams gave. */
  send(serviceUrl: string, conversationId: string, activity: Partial<Activity>): Promise<string | undefined>;
  /** updateActivity: the card of an earlier message replaced in place. */
  update(serviceUrl: string, conversationId: string, activityId: string, activity: Partial<Activity>): Promise<void>;
  /** createConversation: a 1:1 chat with a user (Teams answers the existing one for the same pair). Its id. */
  createConversation(serviceUrl: string, parameters: ConversationParameters): Promise<string | undefined>;
}

export interface ConnectorSendOptions {
  token?: ConnectorToken | undefined;
  /** Per request; default 15 s (botbuilder sets none: a hung connection would hang the job). */
  timeoutMs?: number;
}

/**
 * The failure of one request, with the fields botbuilder's RestError carries and toChatError reads: `statusCode`,
 * `details` (Teams' `{ error: { code, message } }`), `response.headers.get('retry-after')`.
 */
export class ConnectorHttpError extends Error {
  readonly statusCode: number;
  readonly details: unknown;
  readonly response: { status: number; headers: { get(name: string): string | undefined }; bodyAsText: string };

  constructor({ statusCode, headers, body }: JsonAnswer) {
    super(`Bot Connector answered ${statusCode}`);
    this.name = 'ConnectorHttpError';
    this.statusCode = statusCode;
    // Teams' `{ error: { code } }` as text; toChatError reads the code from it (an HTML page from a proxy has none: the status decides).
    this.details = body;
    this.response = { status: statusCode, headers: { get: (name) => headerValue(headers, name) }, bodyAsText: body };
  }
}

/**
 * The two calls a fan-out makes thousands of times on Teams, and the 1:1 chat a TLP:RED delivery opens for each
 * contact, as one JSON request each on kept-alive sockets (keep-alive-json.ts). Why not through botbuilder's
 * ConnectorClient: measured on a 2,000-member fan-out and on 2,000 reminders due at once, its path (a proactive turn
 * per post, a new client and @azure/core-client pipeline per turn, serialisation through the model mappers) was ~12 %
 * of the bot's CPU, several times a plain request's cost; and its client retried a 429 itself, inside the job. What
 * that path did for us is kept: a timeout, the bot's token from botbuilder's own credentials, and every failure shaped
 * as botbuilder's, so toChatError classifies it the same way; one attempt per request (the workflow retries; a hidden
 * retry after a lost answer would post a copy we never learn of).
 */
export function createConnectorSend(opts: ConnectorSendOptions = {}): ConnectorSend {
  const request = keepAliveJson({ timeoutMs: opts.timeoutMs ?? 15_000 });

  // The answer's body, for a 2xx. Rejects with the socket's own error (ECONNRESET, an AbortError for the timeout…) when
  // no whole answer came: the request was sent, so it may have been done; toChatError reads its code.
  const call = async (method: 'POST' | 'PUT', serviceUrl: string, path: string, body: Partial<Activity> | ConversationParameters): Promise<string> => {
    const base = new URL(serviceUrl);
    if (!base.pathname.endsWith('/')) base.pathname += '/';
    const headers: Record<string, string> = opts.token ? { authorization: `Bearer ${await opts.token()}` } : {};
    const answered = await request(method, new URL(path, base), body, headers);
    if (answered.statusCode < 200 || answered.statusCode >= 300) throw new ConnectorHttpError(answered);
    return answered.body;
  };

  // As botbuilder's ConnectorClient builds them: every id percent-encoded as one path segment (Teams ids hold ':' '@' ';' '=').
  const activities = (conversationId: string) => `v3/conversations/${encodeURIComponent(conversationId)}/activities`;
  return {
    async send(serviceUrl, conversationId, activity) {
      return idOf(await call('POST', serviceUrl, activities(conversationId), activity));
    },
    async update(serviceUrl, conversationId, activityId, activity) {
      await call('PUT', serviceUrl, `${activities(conversationId)}/${encodeURIComponent(activityId)}`, activity);
    },
    async createConversation(serviceUrl, parameters) {
      return idOf(await call('POST', serviceUrl, 'v3/conversations', parameters));
    },
  };
}

/**
 * The id in a post's or a new conversation's answer (200/201 `{ id }`). Teams has been seen to answer 202 with no
 * body, and a proxy may answer with a page: no id, though it happened — TeamsChat says so (invalid_response).
 */
function idOf(body: string): string | undefined {
  try {
    const id = (JSON.parse(body) as { id?: unknown } | null)?.id;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}
