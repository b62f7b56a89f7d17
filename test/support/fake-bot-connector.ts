/**
 * A fake Bot Framework Connector (the Teams service behind an activity's serviceUrl) on loopback, for tests that
 * run the real botbuilder CloudAdapter / ConnectorClient against it.
 *
 * It implements the v3 REST routes botbuilder 4.23's ConnectorClient and TeamsConnectorClient call:
 *   POST   /v3/conversations                                        createConversation (1:1: id 'a:…' derived from the member)
 *   POST   /v3/conversations/{conversationId}/activities            sendToConversation
 *   POST   /v3/conversations/{conversationId}/activities/{id}       replyToActivity (what a proactive sendActivity uses)
 *   PUT    /v3/conversations/{conversationId}/activities/{id}       updateActivity (404 if the activity is unknown)
 *   DELETE /v3/conversations/{conversationId}/activities/{id}       deleteActivity
 *   GET    /v3/conversations/{conversationId}/members               getConversationMembers
 *   GET    /v3/conversations/{conversationId}/members/{memberId}    getConversationMember (TeamsInfo.getMember)
 *   GET    /v3/conversations/{conversationId}/pagedmembers          getConversationPagedMembers
 *   GET    /v3/teams/{teamId}                                       TeamsInfo.getTeamDetails
 *   GET    /v3/teams/{teamId}/conversations                         TeamsInfo.getTeamChannels
 * An invoke's answer (card action, task module) travels in the HTTP response to the inbound POST, not through the
 * connector, so it never reaches this fake; a card refreshed during an invoke is a PUT above.
 *
 * Path segments are URL-decoded: Teams ids contain ':' '@' ';' and '=' (19:…@thread.tacv2;messageid=…), which the
 * client percent-encodes. Errors come as Teams sends them: `{ error: { code, message } }` with the HTTP status.
 * Faults can be injected per conversation and HTTP method, including a lost response (the action happens, the
 * answer never arrives). Authorization headers are recorded, not checked.
 *
 * As the Bot Connector, a request body over 262,144 bytes is refused with 413 MessageSizeTooBig ("The request content
 * length exceeded limit of 262144 bytes"): a picture sent inline (a data URI in a card's Image or an image attachment)
 * counts. cardImages() reads such pictures back out of a stored activity.
 */
import { createHash } from 'node:crypto';
import { Waiters, type Found } from './waiters.js';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { teamsGate, type TeamsLimits } from './platform-limits.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export type ConnectorOperation =
  | 'createConversation'
  | 'sendToConversation'
  | 'replyToActivity'
  | 'updateActivity'
  | 'deleteActivity'
  | 'getConversationMembers'
  | 'getConversationMember'
  | 'getConversationPagedMembers'
  | 'getTeamDetails'
  | 'getTeamChannels'
  | 'unknown';

export interface RecordedConnectorCall {
  /** Order of arrival, from 1. */
  seq: number;
  method: string;
  /** The raw request path, still percent-encoded, without the query string. */
  path: string;
  operation: ConnectorOperation;
  /** Decoded: '19:abc@thread.tacv2', 'a:1…'. */
  conversationId?: string | undefined;
  activityId?: string | undefined;
  memberId?: string | undefined;
  teamId?: string | undefined;
  /** The parsed JSON body; the raw text when it is not JSON; undefined when empty. */
  body: unknown;
  headers: IncomingHttpHeaders;
  receivedAt: number;
  /** Filled in once the fake has answered; `dropped` when the connection was destroyed instead. */
  outcome?: { status: number; body: unknown } | 'dropped';
}

/** An activity as the conversation holds it, updates applied. */
export interface StoredActivity {
  id: string;
  /** The conversation it lives in, as addressed (a thread's ';messageid=…' included). */
  conversationId: string;
  type: string;
  text?: string | undefined;
  summary?: string | undefined;
  textFormat?: string | undefined;
  attachments?: Array<{ contentType: string; content?: unknown; [k: string]: unknown }> | undefined;
  entities?: unknown[] | undefined;
  channelData?: unknown;
  from?: unknown;
  recipient?: unknown;
  /** What the sender set as replyToId (botbuilder sets a fresh uuid on every proactive send). */
  replyToId?: string | undefined;
  /** The whole activity as last received (send or update). */
  raw: Record<string, unknown>;
  /** How many times it was updated. */
  updates: number;
  deleted?: boolean | undefined;
}

export interface ConnectorFault {
  /** Only requests about this conversation (decoded id; a thread's ';messageid=' suffix is ignored). */
  conversationId?: string;
  /** Only requests with this HTTP method. */
  method?: HttpMethod;
  /** Only this operation, for finer aim than the method. */
  operation?: ConnectorOperation;
  /** How many matching requests fail; default 1. */
  times?: number;
  /**
   * HTTP status to answer with, e.g. 429, 412, 502, 504, 404, 403, 400. Default: 429 when retryAfterSec is set,
   * else 500. Ignored when dropResponse is set.
   */
  status?: number;
  /** Retry-After (seconds) sent with the answer; no header when left out. */
  retryAfterSec?: number;
  /** Teams error code in the body; default by status (404 ConversationNotFound, 403 BotNotInConversationRoster, …). */
  code?: string;
  message?: string;
  /** Answer with this text body (not JSON), as a gateway's error page would. */
  rawBody?: string;
  /** Perform the action, then destroy the socket without answering: a lost response. */
  dropResponse?: boolean;
  /** Perform the action, begin the answer (status, headers, part of the body), then destroy the socket: an answer cut off. */
  cutResponse?: boolean;
  /** Answer (or drop) this late. */
  delayMs?: number;
}

export interface ConnectorMember {
  id: string;
  name?: string;
  aadObjectId?: string;
  email?: string;
  userPrincipalName?: string;
  givenName?: string;
  surname?: string;
  tenantId?: string;
  userRole?: string;
}

export interface ConversationConfig {
  /** false: every request about it answers 404 ConversationNotFound. Default true. */
  exists?: boolean;
  /** false: sends and updates answer 403 BotNotInConversationRoster (the bot was removed). Default true. */
  botMember?: boolean;
  members?: ConnectorMember[];
}

export interface WaitForOptions {
  timeoutMs?: number;
  /** Said in the rejection, to tell which wait failed. */
  description?: string;
}

export interface StartFakeConnectorOptions {
  /** Serve under this path, e.g. '/amer/' as smba.trafficmanager.net does; default '/'. */
  basePath?: string;
  /** Clock for activity ids (Teams channel message ids are epoch milliseconds). */
  now?: () => number;
  /** Enforce Teams' rate limits (429 Throttled with Retry-After past them). Off by default: tests see no limit. */
  limits?: TeamsLimits;
  /** Answer every request this much later, as a distant service would (the bench: 0 or 50 ms). Default 0. */
  latencyMs?: number;
}

export interface FakeConnector {
  /** What activities carry as serviceUrl; ends with '/'. */
  readonly serviceUrl: string;
  /** Every request received, in order of arrival (live array). */
  readonly calls: readonly RecordedConnectorCall[];
  callsTo(operation: ConnectorOperation): RecordedConnectorCall[];
  /** Activities of a conversation (a thread's ';messageid=' suffix ignored), oldest first, updates applied, deleted ones left out. */
  activities(conversationId: string): StoredActivity[];
  /** The 1:1 conversations created, by member id. */
  createdConversations(): Array<{ id: string; memberId: string; tenantId: string | undefined }>;
  /**
   * Resolves with the predicate's first truthy result, re-evaluated as requests arrive and are answered;
   * rejects after timeoutMs (default 5000) with a dump of the recorded calls.
   */
  waitFor<T>(
    predicate: (calls: readonly RecordedConnectorCall[], fake: FakeConnector) => T | false | null | undefined | 0 | '',
    options?: WaitForOptions,
  ): Promise<T>;
  failNext(fault: ConnectorFault): void;
  setConversation(id: string, config: ConversationConfig): void;
  /** Forget recorded calls; activities, conversations and faults stay. */
  clearCalls(): void;
  close(): Promise<void>;
}

const DEFAULT_CODES: Record<number, string> = {
  400: 'BadArgument',
  401: 'Unauthorized',
  403: 'BotNotInConversationRoster',
  404: 'ConversationNotFound',
  405: 'MethodNotAllowed',
  412: 'PreconditionFailed',
  413: 'MessageSizeTooBig',
  429: 'Throttled',
  500: 'InternalServerError',
  502: 'BadGateway',
  503: 'ServiceUnavailable',
  504: 'GatewayTimeout',
};

/** The Bot Connector refuses a request body larger than this (413 MessageSizeTooBig). */
export const CONNECTOR_MAX_REQUEST_BYTES = 262_144;

/** A picture sent inline in an activity: where it was, its bytes, its type and alt text. */
export interface InlineImage {
  where: 'card' | 'attachment';
  mimeType: string;
  png: Uint8Array;
  altText?: string | undefined;
}

const DATA_URI = /^data:(image\/(?:png|jpeg|gif));base64,([A-Za-z0-9+/]+={0,2})$/;

function decodeDataUri(url: unknown): { mimeType: string; bytes: Uint8Array } | undefined {
  if (typeof url !== 'string') return undefined;
  const m = DATA_URI.exec(url);
  if (m?.[1] === undefined || m[2] === undefined) return undefined;
  return { mimeType: m[1], bytes: Uint8Array.from(Buffer.from(m[2], 'base64')) };
}

function imagesIn(node: unknown, found: InlineImage[]): void {
  if (Array.isArray(node)) for (const n of node) imagesIn(n, found);
  else if (node !== null && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    if (o.type === 'Image') {
      const data = decodeDataUri(o.url);
      if (data) found.push({ where: 'card', mimeType: data.mimeType, png: data.bytes, altText: typeof o.altText === 'string' ? o.altText : undefined });
    }
    for (const v of Object.values(o)) imagesIn(v, found);
  }
}

/**
 * The pictures an activity carries inline: Image elements of its Adaptive Cards whose url is a data URI, and image
 * attachments whose contentUrl is one. Hosted URLs are not pictures the fake holds.
 */
export function cardImages(activity: Pick<StoredActivity, 'attachments'>): InlineImage[] {
  const found: InlineImage[] = [];
  for (const att of activity.attachments ?? []) {
    if (att.contentType === 'application/vnd.microsoft.card.adaptive') imagesIn(att.content, found);
    else if (att.contentType.startsWith('image/')) {
      const data = decodeDataUri(att['contentUrl']);
      if (data) found.push({ where: 'attachment', mimeType: data.mimeType, png: data.bytes, altText: typeof att['name'] === 'string' ? att['name'] : undefined });
    }
  }
  return found;
}

/** Teams threads a channel reply by suffixing the conversation id; the channel itself is the part before. */
export function baseConversationId(id: string): string {
  const i = id.indexOf(';messageid=');
  return i < 0 ? id : id.slice(0, i);
}

class ConnectorFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message?: string,
  ) {
    super(message ?? code);
  }
}

interface ActiveFault extends ConnectorFault {
  remaining: number;
}

interface Route {
  operation: ConnectorOperation;
  conversationId?: string;
  activityId?: string;
  memberId?: string;
  teamId?: string;
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function route(method: string, segments: string[]): Route {
  const [v3, coll, id, sub, subId, ...rest] = segments;
  if (v3 !== 'v3' || rest.length > 0) return { operation: 'unknown' };
  if (coll === 'conversations') {
    if (id === undefined) return method === 'POST' ? { operation: 'createConversation' } : { operation: 'unknown' };
    const conversationId = decode(id);
    if (sub === 'activities' && subId === undefined && method === 'POST') return { operation: 'sendToConversation', conversationId };
    if (sub === 'activities' && subId !== undefined) {
      const activityId = decode(subId);
      if (method === 'POST') return { operation: 'replyToActivity', conversationId, activityId };
      if (method === 'PUT') return { operation: 'updateActivity', conversationId, activityId };
      if (method === 'DELETE') return { operation: 'deleteActivity', conversationId, activityId };
    }
    if (sub === 'members' && method === 'GET') {
      return subId === undefined
        ? { operation: 'getConversationMembers', conversationId }
        : { operation: 'getConversationMember', conversationId, memberId: decode(subId) };
    }
    if (sub === 'pagedmembers' && subId === undefined && method === 'GET') return { operation: 'getConversationPagedMembers', conversationId };
    return { operation: 'unknown', conversationId };
  }
  if (coll === 'teams' && id !== undefined && method === 'GET') {
    const teamId = decode(id);
    if (sub === undefined) return { operation: 'getTeamDetails', teamId };
    if (sub === 'conversations' && subId === undefined) return { operation: 'getTeamChannels', teamId };
  }
  return { operation: 'unknown' };
}

function readBody(req: IncomingMessage): Promise<{ text: string; bytes: number }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const all = Buffer.concat(chunks);
      resolve({ text: all.toString('utf8'), bytes: all.length });
    });
    req.on('error', reject);
  });
}

function parseBody(raw: string): unknown {
  if (raw.length === 0) return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}

function asObject(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function summarise(call: RecordedConnectorCall): string {
  const bits: string[] = [];
  if (call.conversationId !== undefined) bits.push(`conversation=${call.conversationId}`);
  if (call.activityId !== undefined) bits.push(`activity=${call.activityId}`);
  if (call.memberId !== undefined) bits.push(`member=${call.memberId}`);
  if (call.teamId !== undefined) bits.push(`team=${call.teamId}`);
  let outcome = 'pending';
  if (call.outcome === 'dropped') outcome = 'dropped';
  else if (call.outcome !== undefined) {
    const err = asObject(asObject(call.outcome.body)?.error);
    outcome = `${call.outcome.status}${err?.code === undefined ? '' : ` ${String(err.code)}`}`;
  }
  return `#${call.seq} ${call.method} ${call.operation}(${bits.join(', ')}) → ${outcome}`;
}

export async function startFakeConnector(options: StartFakeConnectorOptions = {}): Promise<FakeConnector> {
  const now = options.now ?? Date.now;
  let basePath = options.basePath ?? '/';
  if (!basePath.startsWith('/')) basePath = `/${basePath}`;
  if (!basePath.endsWith('/')) basePath = `${basePath}/`;

  const calls: RecordedConnectorCall[] = [];
  const faults: ActiveFault[] = [];
  const conversations = new Map<string, ConversationConfig>();
  const activitiesByConversation = new Map<string, StoredActivity[]>();
  const created: Array<{ id: string; memberId: string; tenantId: string | undefined }> = [];
  const waiters = new Waiters<RecordedConnectorCall>('fake-bot-connector', calls, summarise);
  const gate = options.limits ? teamsGate(options.limits) : undefined;
  const latencyMs = options.latencyMs ?? 0;
  let seq = 0;
  let lastId = 0;

  const nextActivityId = (): string => {
    lastId = Math.max(Math.floor(now()), lastId + 1);
    return String(lastId);
  };

  const notify = (): void => {
    waiters.notify();
  };

  const config = (id: string): Required<Pick<ConversationConfig, 'exists' | 'botMember'>> & ConversationConfig => {
    const c = conversations.get(baseConversationId(id)) ?? {};
    return { ...c, exists: c.exists ?? true, botMember: c.botMember ?? true };
  };

  const requireConversation = (id: string | undefined, opts: { write?: boolean } = {}): string => {
    if (id === undefined || id === '') throw new ConnectorFailure(400, 'BadArgument', 'conversation id is required');
    const c = config(id);
    if (!c.exists) throw new ConnectorFailure(404, 'ConversationNotFound', 'Conversation not found.');
    if (opts.write && !c.botMember) throw new ConnectorFailure(403, 'BotNotInConversationRoster', 'The bot is not part of the conversation roster.');
    return baseConversationId(id);
  };

  const list = (base: string): StoredActivity[] => {
    let l = activitiesByConversation.get(base);
    if (l === undefined) {
      l = [];
      activitiesByConversation.set(base, l);
    }
    return l;
  };

  const requireActivity = (body: unknown): Record<string, unknown> => {
    const a = asObject(body);
    if (a === undefined || typeof a.type !== 'string' || a.type === '') throw new ConnectorFailure(400, 'BadSyntax', 'Activity is missing a type.');
    if (a.attachments !== undefined) {
      if (!Array.isArray(a.attachments)) throw new ConnectorFailure(400, 'BadSyntax', 'attachments must be an array.');
      for (const att of a.attachments) {
        if (typeof asObject(att)?.contentType !== 'string') throw new ConnectorFailure(400, 'BadSyntax', 'An attachment has no contentType.');
      }
    }
    return a;
  };

  const fill = (target: StoredActivity, a: Record<string, unknown>): void => {
    target.type = a.type as string;
    target.text = str(a.text);
    target.summary = str(a.summary);
    target.textFormat = str(a.textFormat);
    target.attachments = Array.isArray(a.attachments) ? (structuredClone(a.attachments) as StoredActivity['attachments']) : undefined;
    target.entities = Array.isArray(a.entities) ? structuredClone(a.entities) : undefined;
    target.channelData = a.channelData === undefined ? undefined : structuredClone(a.channelData);
    target.raw = structuredClone(a);
  };

  const post = (conversationId: string, body: unknown, replyToId: string | undefined): unknown => {
    const base = requireConversation(conversationId, { write: true });
    const a = requireActivity(body);
    const id = nextActivityId();
    // Typing indicators and the like are accepted but not kept: a member never sees them in the history.
    if (a.type !== 'message') return { id };
    const stored: StoredActivity = {
      id,
      conversationId,
      type: 'message',
      from: a.from,
      recipient: a.recipient,
      replyToId,
      raw: {},
      updates: 0,
    };
    fill(stored, a);
    list(base).push(stored);
    return { id };
  };

  const find = (conversationId: string, activityId: string | undefined): StoredActivity => {
    const base = baseConversationId(conversationId);
    const a = activitiesByConversation.get(base)?.find((x) => x.id === activityId && !x.deleted);
    if (a === undefined) throw new ConnectorFailure(404, 'ActivityNotFound', 'The activity was not found.');
    return a;
  };

  const member = (m: ConnectorMember): Record<string, unknown> => ({ name: m.id, ...m });

  const handlers: Record<ConnectorOperation, (r: Route, body: unknown) => unknown> = {
    createConversation: (_r, body) => {
      const p = asObject(body);
      if (p === undefined) throw new ConnectorFailure(400, 'BadSyntax', 'Body is required.');
      const members = Array.isArray(p.members) ? p.members.map(asObject) : [];
      const tenantId = str(p.tenantId) ?? str(asObject(asObject(p.channelData)?.tenant)?.id);
      if (tenantId === undefined || tenantId === '') throw new ConnectorFailure(400, 'BadArgument', 'Tenant id is required.');
      if (typeof asObject(p.bot)?.id !== 'string') throw new ConnectorFailure(400, 'BadArgument', 'Bot is required.');
      if (p.isGroup === true) throw new ConnectorFailure(400, 'BadArgument', 'Only 1:1 conversations can be created by this fake.');
      const only = members.length === 1 ? str(members[0]?.id) : undefined;
      if (only === undefined || only === '') throw new ConnectorFailure(400, 'BadArgument', 'Exactly one member is required for a 1:1 conversation.');
      // Deterministic, as on Teams: the same user (and bot) always gets the same 1:1 conversation back.
      const id = `a:1${createHash('sha256').update(`${tenantId}|${only}`).digest('base64url').slice(0, 40)}`;
      const existing = conversations.get(id);
      conversations.set(id, {
        ...existing,
        exists: true,
        botMember: true,
        members: existing?.members ?? [{ id: only, tenantId }],
      });
      if (!created.some((c) => c.id === id)) created.push({ id, memberId: only, tenantId });
      const activity = asObject(p.activity);
      const answer: Record<string, unknown> = { id };
      if (activity !== undefined) answer.activityId = (post(id, activity, undefined) as { id: string }).id;
      return answer;
    },
    sendToConversation: (r, body) => post(r.conversationId ?? '', body, undefined),
    replyToActivity: (r, body) => post(r.conversationId ?? '', body, r.activityId),
    updateActivity: (r, body) => {
      requireConversation(r.conversationId, { write: true });
      const a = requireActivity(body);
      const existing = find(r.conversationId ?? '', r.activityId);
      fill(existing, a);
      existing.updates += 1;
      return { id: existing.id };
    },
    deleteActivity: (r) => {
      requireConversation(r.conversationId, { write: true });
      find(r.conversationId ?? '', r.activityId).deleted = true;
      return {};
    },
    getConversationMembers: (r) => {
      const base = requireConversation(r.conversationId);
      return (config(base).members ?? []).map(member);
    },
    getConversationMember: (r) => {
      const base = requireConversation(r.conversationId);
      const m = (config(base).members ?? []).find((x) => x.id === r.memberId || x.aadObjectId === r.memberId);
      if (m === undefined) throw new ConnectorFailure(404, 'MemberNotFoundInConversation', 'The member was not found in the conversation.');
      return member(m);
    },
    getConversationPagedMembers: (r) => {
      const base = requireConversation(r.conversationId);
      return { members: (config(base).members ?? []).map(member) };
    },
    getTeamDetails: (r) => {
      requireConversation(r.teamId);
      return { id: r.teamId, name: `Team ${r.teamId ?? ''}`, aadGroupId: '00000000-0000-0000-0000-000000000000' };
    },
    getTeamChannels: (r) => {
      requireConversation(r.teamId);
      return { conversations: [{ id: r.teamId, name: 'General' }] };
    },
    unknown: () => {
      throw new ConnectorFailure(404, 'NotFound', 'No such route on the fake connector.');
    },
  };

  const takeFault = (method: string, r: Route): ActiveFault | undefined => {
    const conv = r.conversationId ?? r.teamId;
    const index = faults.findIndex(
      (f) =>
        (f.method === undefined || f.method === method) &&
        (f.operation === undefined || f.operation === r.operation) &&
        (f.conversationId === undefined || (conv !== undefined && baseConversationId(f.conversationId) === baseConversationId(conv))),
    );
    if (index < 0) return undefined;
    const fault = faults[index];
    if (fault === undefined) return undefined;
    fault.remaining -= 1;
    if (fault.remaining <= 0) faults.splice(index, 1);
    return fault;
  };

  const send = (res: ServerResponse, call: RecordedConnectorCall, status: number, body: unknown, headers: Record<string, string> = {}): void => {
    call.outcome = { status, body };
    if (typeof body === 'string') {
      res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', ...headers });
      res.end(body);
    } else {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      res.end(JSON.stringify(body ?? {}));
    }
    notify();
  };

  const run = (r: Route, body: unknown): { status: number; body: unknown } => {
    try {
      const answer = handlers[r.operation](r, body);
      return { status: r.operation === 'createConversation' ? 201 : 200, body: answer };
    } catch (err) {
      if (err instanceof ConnectorFailure) return { status: err.status, body: { error: { code: err.code, message: err.message } } };
      throw err;
    }
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const { text: raw, bytes } = await readBody(req);
    const method = (req.method ?? 'GET').toUpperCase();
    const path = url.pathname;
    const r: Route = path.startsWith(basePath) ? route(method, path.slice(basePath.length).split('/')) : { operation: 'unknown' };
    const call: RecordedConnectorCall = {
      seq: ++seq,
      method,
      path,
      operation: r.operation,
      conversationId: r.conversationId,
      activityId: r.activityId,
      memberId: r.memberId,
      teamId: r.teamId,
      body: parseBody(raw),
      headers: req.headers,
      receivedAt: Date.now(),
    };
    calls.push(call);
    notify();

    // Limits are judged when the request arrives; the answer, a refusal too, comes after the latency.
    const retryAfterSec = gate?.(r.operation, r.conversationId === undefined ? undefined : baseConversationId(r.conversationId));
    if (latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, latencyMs));
    if (retryAfterSec !== undefined) {
      send(res, call, 429, { error: { code: 'Throttled', message: 'Too many requests.' } }, { 'retry-after': String(retryAfterSec) });
      return;
    }

    if (bytes > CONNECTOR_MAX_REQUEST_BYTES) {
      send(res, call, 413, { error: { code: 'MessageSizeTooBig', message: `The request content length exceeded limit of ${CONNECTOR_MAX_REQUEST_BYTES} bytes.` } });
      return;
    }

    const fault = takeFault(method, r);
    if (fault?.delayMs !== undefined) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));

    if (fault?.dropResponse) {
      run(r, call.body);
      call.outcome = 'dropped';
      req.socket.destroy();
      notify();
      return;
    }
    if (fault?.cutResponse) {
      const done = run(r, call.body);
      call.outcome = 'dropped';
      const text = JSON.stringify(done.body ?? {});
      res.writeHead(done.status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text) + 100) });
      res.write(text.slice(0, Math.max(1, Math.floor(text.length / 2))), () => req.socket.destroy());
      notify();
      return;
    }
    if (fault !== undefined) {
      const status = fault.status ?? (fault.retryAfterSec !== undefined ? 429 : 500);
      const headers: Record<string, string> = fault.retryAfterSec === undefined ? {} : { 'retry-after': String(fault.retryAfterSec) };
      const body =
        fault.rawBody ?? { error: { code: fault.code ?? DEFAULT_CODES[status] ?? `Http${status}`, message: fault.message ?? `Injected fault ${status}` } };
      send(res, call, status, body, headers);
      return;
    }
    const { status, body } = run(r, call.body);
    send(res, call, status, body);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      // A bug in the fake must show up in the test, not look like a Teams outage the code under test tolerates.
      console.error('fake-bot-connector handler crashed', err);
      if (!res.headersSent) {
        res.writeHead(599, { 'content-type': 'text/plain' });
        res.end(`fake-bot-connector crashed: ${String(err)}`);
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  const fake: FakeConnector = {
    serviceUrl: `http://127.0.0.1:${port}${basePath}`,
    calls,
    callsTo: (operation) => calls.filter((c) => c.operation === operation),
    activities: (conversationId) => structuredClone((activitiesByConversation.get(baseConversationId(conversationId)) ?? []).filter((a) => !a.deleted)),
    createdConversations: () => structuredClone(created),

    waitFor<T>(predicate: (calls: readonly RecordedConnectorCall[], fake: FakeConnector) => Found<T>, opts: WaitForOptions = {}): Promise<T> {
      return waiters.waitFor(() => predicate(calls, fake), opts);
    },

    failNext(fault) {
      const times = fault.times ?? 1;
      if (times > 0) faults.push({ ...fault, remaining: times });
    },
    setConversation(id, c) {
      const base = baseConversationId(id);
      conversations.set(base, { ...conversations.get(base), ...c });
    },
    clearCalls() {
      calls.length = 0;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        // Clients keep connections alive; without this close() would wait for them to time out.
        server.closeAllConnections();
      }),
  };
  return fake;
}
