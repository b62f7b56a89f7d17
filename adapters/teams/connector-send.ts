import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { text } from 'node:stream/consumers';
import type { Activity } from 'botbuilder';

/** A Bot Connector token for the bot's app (cached and renewed by botbuilder's credentials); absent when unauthenticated. */
export type ConnectorToken = () => Promise<string>;

/** Posts an activity into a conversation, or replaces one; failures are thrown shaped as botbuilder's (toChatError). */
export interface ConnectorSend {
  /** sendToConversation: a new message in the conversation (a `…;messageid=<root>` id: in that thread). The id Teams gave. */
  send(serviceUrl: string, conversationId: string, activity: Partial<Activity>): Promise<string | undefined>;
  /** updateActivity: the card of an earlier message replaced in place. */
  update(serviceUrl: string, conversationId: string, activityId: string, activity: Partial<Activity>): Promise<void>;
}

export interface ConnectorSendOptions {
  token?: ConnectorToken | undefined;
  /** Per request; default 15 s (botbuilder sets none: a hung connection would hang the job). */
  timeoutMs?: number;
  /** Sockets kept open per service URL's host; default 64 (the workers' concurrency, with room). */
  maxSockets?: number;
}

/**
 * The failure of one request, with the fields botbuilder's RestError carries and toChatError reads: `statusCode`,
 * `details` (Teams' `{ error: { code, message } }`), `response.headers.get('retry-after')`.
 */
export class ConnectorHttpError extends Error {
  readonly statusCode: number;
  readonly details: unknown;
  readonly response: { status: number; headers: { get(name: string): string | undefined }; bodyAsText: string };

  constructor(res: IncomingMessage, body: string) {
    super(`Bot Connector answered ${res.statusCode ?? 0}`);
    this.name = 'ConnectorHttpError';
    this.statusCode = res.statusCode ?? 0;
    // Teams' `{ error: { code } }` as text; toChatError reads the code from it (an HTML page from a proxy has none: the status decides).
    this.details = body;
    const headers = res.headers;
    this.response = {
      status: this.statusCode,
      headers: { get: (name) => first(headers[name.toLowerCase()]) },
      bodyAsText: body,
    };
  }
}

/**
 * The two calls a fan-out makes thousands of times on Teams, as one JSON request each on kept-alive sockets. Why not
 * through botbuilder's ConnectorClient as the other calls go: measured on a 2,000-member fan-out and on 2,000
 * reminders due at once, its path (a proactive turn per post, a new client and @azure/core-client pipeline per turn,
 * serialisation through the model mappers) was ~12 % of the bot's CPU, several times a plain request's cost. What
 * that path did for us is kept: one attempt per request (the workflow retries; a hidden retry after a lost answer
 * would post a copy we never learn of), a timeout, the bot's token from botbuilder's own credentials, and every
 * failure shaped as botbuilder's, so toChatError classifies it the same way.
 */
export function createConnectorSend(opts: ConnectorSendOptions = {}): ConnectorSend {
  const timeoutMs = opts.timeoutMs ?? 15_000;
  const maxSockets = opts.maxSockets ?? 64;
  const agents = { http: new HttpAgent({ keepAlive: true, maxSockets }), https: new HttpsAgent({ keepAlive: true, maxSockets }) };

  const call = async (method: 'POST' | 'PUT', serviceUrl: string, path: string, activity: Partial<Activity>): Promise<unknown> => {
    const base = new URL(serviceUrl);
    if (!base.pathname.endsWith('/')) base.pathname += '/';
    const url = new URL(path, base);
    const secure = url.protocol === 'https:';
    const authorization = opts.token ? `Bearer ${await opts.token()}` : undefined;
    const payload = Buffer.from(JSON.stringify(activity), 'utf8');
    return new Promise((resolve, reject) => {
      const req = (secure ? httpsRequest : httpRequest)(
        url,
        {
          method,
          agent: secure ? agents.https : agents.http,
          headers: {
            'content-type': 'application/json; charset=utf-8',
            'content-length': payload.length,
            ...(authorization === undefined ? {} : { authorization }),
          },
          signal: AbortSignal.timeout(timeoutMs),
        },
        (res) => {
          text(res).then(
            (body) => {
              const status = res.statusCode ?? 0;
              if (status < 200 || status >= 300) return reject(new ConnectorHttpError(res, body));
              // 200/201 with the resource's id; Teams has been seen to answer 202 without a body.
              if (body.trim() === '') return resolve(undefined);
              try {
                resolve(JSON.parse(body) as unknown);
              } catch (err) {
                // The action happened (2xx) but its answer cannot be read: toChatError makes it invalid_response.
                reject(Object.assign(new Error('Bot Connector answer is not JSON', { cause: err }), { code: 'PARSE_ERROR' }));
              }
            },
            // The answer broke off mid-body: the request was sent, so it may have been done (a socket error's code).
            (err: unknown) => reject(err),
          );
        },
      );
      // A timeout (AbortError, its cause the TimeoutError) or a socket error (ECONNRESET, ECONNREFUSED…): its own code.
      req.on('error', reject);
      req.end(payload);
    });
  };

  // As botbuilder's ConnectorClient builds them: every id percent-encoded as one path segment (Teams ids hold ':' '@' ';' '=').
  const activities = (conversationId: string) => `v3/conversations/${encodeURIComponent(conversationId)}/activities`;
  return {
    async send(serviceUrl, conversationId, activity) {
      const answer = await call('POST', serviceUrl, activities(conversationId), activity);
      const id = (answer as { id?: unknown } | undefined)?.id;
      return typeof id === 'string' ? id : undefined;
    },
    async update(serviceUrl, conversationId, activityId, activity) {
      await call('PUT', serviceUrl, `${activities(conversationId)}/${encodeURIComponent(activityId)}`, activity);
    },
  };
}

function first(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}
