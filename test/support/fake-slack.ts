/**
 * A fake Slack Web API on loopback, for end-to-end tests that run the real WebClient (and Bolt) against it.
 *
 * It answers the way Slack does where our code depends on it: ok:false errors come with HTTP 200, rate limits are
 * HTTP 429 with Retry-After, message ts values are strings that sort by time, conversations.history is newest first
 * with cursor paging and hides metadata unless include_all_metadata is set. Faults can be injected per method and
 * channel, including a lost response (the action happens, the answer never arrives).
 *
 * Files as files.uploadV2 sends them (@slack/web-api's filesUploadV2): files.getUploadURLExternal answers an upload
 * URL on this fake (`/upload/v1/<file id>`), the bytes are POSTed there (raw, or as multipart form data as the client
 * sends them), and files.completeUploadExternal shares the file into `channel_id` as a message from the bot whose
 * text is the `initial_comment` and whose `files` list the file, as Slack shows a shared file. The message carries no
 * metadata (the method takes none). A fault on method 'upload_url' plays a failing upload.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { Waiters, type Found } from './waiters.js';
import type { AddressInfo } from 'node:net';
import { slackGate, type SlackLimits } from './platform-limits.js';

export interface RecordedCall {
  /** Order of arrival, from 1. */
  seq: number;
  /** Web API method name, or `response_url:<name>` for a POST to a response URL. */
  method: string;
  /**
   * The parameters as Slack receives them. Form-encoded scalars stay strings ('true', '10'), as on the wire;
   * JSON-encoded nested fields (blocks, attachments, metadata, view, …) are parsed back into objects.
   */
  params: Record<string, unknown>;
  /** From `Authorization: Bearer …`, else a `token` parameter. */
  token: string | undefined;
  contentType: string | undefined;
  receivedAt: number;
  /** Filled in once the fake has answered; `dropped` when the connection was destroyed instead. */
  outcome?: { status: number; body: unknown } | 'dropped';
}

export interface StoredMessage {
  type: 'message';
  channel: string;
  ts: string;
  user: string;
  /** Absent on a person's message (memberReply). */
  bot_id?: string;
  app_id?: string;
  team: string;
  text: string;
  blocks?: unknown[];
  attachments?: unknown[];
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
  /** A shared file's message (files.completeUploadExternal): the files, as Slack lists them on the message. */
  files?: SharedFile[];
  upload?: boolean;
  thread_ts?: string;
  reply_count?: number;
  edited?: { user: string; ts: string };
}

/** A file as a message lists it. */
export interface SharedFile {
  id: string;
  name: string;
  title: string;
  mimetype: string;
  filetype: string;
  size: number;
  alt_txt?: string;
}

/** A file as the fake holds it, from files.getUploadURLExternal on. */
export interface FakeFile {
  id: string;
  filename: string;
  /** The length files.getUploadURLExternal was told. */
  length: number;
  altText?: string | undefined;
  /** What was POSTed to the upload URL; absent until then. */
  bytes?: Uint8Array | undefined;
  /** Set by files.completeUploadExternal. */
  title?: string | undefined;
  completed: boolean;
  /** Where it was shared, if anywhere, and the message that shares it. */
  channel?: string | undefined;
  messageTs?: string | undefined;
}

export interface EphemeralMessage {
  channel: string;
  user: string;
  messageTs: string;
  text: string;
  blocks?: unknown[];
}

export interface StoredView {
  id: string;
  method: 'views.open' | 'views.push' | 'views.update' | 'views.publish';
  view: Record<string, unknown>;
  triggerId?: string;
  userId?: string;
}

export interface FaultSpec {
  /** Only requests whose `channel` parameter is this. */
  channel?: string;
  /** How many matching requests fail; default 1. */
  times?: number;
  /** ok:false error code. With no status it comes with HTTP 200, as Slack sends it. */
  error?: string;
  /** An HTTP status instead: 429 (sent with Retry-After) or e.g. 500/503. */
  status?: number;
  /** Retry-After seconds for a 429; default 1. Setting only this implies a 429. */
  retryAfterSec?: number;
  /** Perform the action, then destroy the socket without answering: a lost response. */
  dropResponse?: boolean;
  /**
   * Answer (or drop) this late, e.g. to trip a client timeout. Alone (no error, status, retryAfterSec or
   * dropResponse) it only slows the request down: it then succeeds as usual.
   */
  delayMs?: number;
}

export interface ChannelConfig {
  /** false: every method answers channel_not_found. */
  exists?: boolean;
  archived?: boolean;
  /** false: posting answers not_in_channel (public) or the channel is invisible (private). */
  botMember?: boolean;
  private?: boolean;
  /** Slack Connect: shared with another organisation. */
  extShared?: boolean;
  /** Invited to Slack Connect, not yet accepted. */
  pendingExtShared?: boolean;
  /** Shared between workspaces of the same Enterprise Grid organisation. */
  orgShared?: boolean;
  /** Defaults to extShared || orgShared, as Slack reports it. */
  shared?: boolean;
  name?: string;
}

export interface UserConfig {
  exists?: boolean;
  name?: string;
  realName?: string;
  displayName?: string;
  email?: string;
  tz?: string;
  isBot?: boolean;
  deleted?: boolean;
}

export interface WaitForOptions {
  timeoutMs?: number;
  /** Said in the rejection, to tell which wait failed. */
  description?: string;
}

export interface StartFakeSlackOptions {
  /** Wall clock in ms for message ts values; history's `oldest` is compared with them. */
  now?: () => number;
  teamId?: string;
  botUserId?: string;
  botId?: string;
  appId?: string;
  /** Enforce Slack's rate limits (429 with Retry-After past them). Off by default: tests see no limit. */
  limits?: SlackLimits;
  /** Answer every Web API request this much later, as a distant Slack would (the bench: 0 or 50 ms). Default 0. */
  latencyMs?: number;
}

export interface FakeSlack {
  /** Base URL for WebClient's `slackApiUrl` (ends with '/'). */
  readonly url: string;
  readonly teamId: string;
  readonly botUserId: string;
  readonly botId: string;
  readonly appId: string;
  /** Every request received, in order of arrival (live array). */
  readonly calls: readonly RecordedCall[];
  callsTo(method: string): RecordedCall[];
  /** A URL on this server that records what is POSTed to it, for a slash command's response_url. */
  responseUrl(name: string): string;
  /** The bodies POSTed to responseUrl(name), in order. */
  responses(name: string): unknown[];
  /**
   * Resolves with the predicate's first truthy result, re-evaluated as requests arrive and are answered;
   * rejects after timeoutMs (default 5000) with a dump of the recorded calls.
   */
  waitFor<T>(predicate: (calls: readonly RecordedCall[], fake: FakeSlack) => T | false | null | undefined | 0 | '', options?: WaitForOptions): Promise<T>;
  failNext(method: string, fault?: FaultSpec): void;
  setChannel(id: string, config: ChannelConfig): void;
  setUser(id: string, config: UserConfig): void;
  /** Messages in a channel (thread replies included), oldest first, as stored: what a member would see. */
  messages(channel: string): StoredMessage[];
  ephemerals(channel?: string): EphemeralMessage[];
  views(): StoredView[];
  /** Files begun with files.getUploadURLExternal, in order, with their bytes once uploaded. */
  files(): FakeFile[];
  /**
   * A person replies in the thread of `threadTs`: the message is stored as Slack stores it (the root's
   * reply_count goes up) and the Events API envelope Slack would send for it comes back, to be sent
   * to the bot with SlackSender.event(). `subtype` e.g. 'thread_broadcast'.
   */
  memberReply(channel: string, threadTs: string, user: string, text: string, options?: { subtype?: string }): { message: StoredMessage; envelope: SlackEventEnvelope };
  /** A person edits their message: stored, and the message_changed envelope. */
  memberEdit(channel: string, ts: string, text: string): SlackEventEnvelope;
  /** A person deletes their message: gone from the channel, and the message_deleted envelope. */
  memberDelete(channel: string, ts: string): SlackEventEnvelope;
  /** Forget recorded calls and response_url posts; messages, channels and faults stay. */
  clearCalls(): void;
  close(): Promise<void>;
}

/** What Slack POSTs to the request URL for an Events API event. */
export interface SlackEventEnvelope {
  token: string;
  team_id: string;
  api_app_id: string;
  type: 'event_callback';
  event_id: string;
  event_time: number;
  event: Record<string, unknown>;
  authorizations: Record<string, unknown>[];
  is_ext_shared_channel: boolean;
}

/** Form-encoded booleans arrive as strings; JSON bodies keep real booleans. */
export function isTrue(value: unknown): boolean {
  return value === true || value === 'true' || value === '1' || value === 1;
}

// Fields the WebClient JSON-encodes into a form field because they are not scalars.
const JSON_FIELDS = new Set(['blocks', 'attachments', 'metadata', 'view', 'unfurls', 'user_auth_blocks', 'chunks', 'profile', 'options', 'files']);

const MAX_TEXT = 40_000;
const MAX_BLOCKS = 50;
/** files.getUploadURLExternal's alt_text limit (alt_txt_too_large past it). */
const MAX_ALT_TEXT = 1_000;

class SlackFailure extends Error {
  constructor(readonly error: string, readonly extra: Record<string, unknown> = {}) {
    super(error);
  }
}

type Answer = Record<string, unknown>;

interface ActiveFault extends FaultSpec {
  method: string;
  remaining: number;
}

function tsToMicros(ts: string): number {
  const [sec = '0', frac = ''] = ts.split('.');
  const s = Number(sec);
  const f = Number((frac + '000000').slice(0, 6));
  if (!Number.isFinite(s) || !Number.isFinite(f)) return Number.NaN;
  return s * 1_000_000 + f;
}

function microsToTs(micros: number): string {
  return `${Math.floor(micros / 1_000_000)}.${String(micros % 1_000_000).padStart(6, '0')}`;
}

function str(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

function parseParams(contentType: string | undefined, raw: string, query: URLSearchParams): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const [k, v] of query) params[k] = v;
  if (raw.length === 0) return params;
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase();
  if (type === 'application/json') {
    try {
      const parsed: unknown = JSON.parse(raw);
      if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) Object.assign(params, parsed);
      else params._body = parsed;
    } catch {
      params._raw = raw;
    }
    return params;
  }
  if (type === 'application/x-www-form-urlencoded' || type === undefined || type === '') {
    for (const [k, v] of new URLSearchParams(raw)) {
      if (JSON_FIELDS.has(k)) {
        try {
          params[k] = JSON.parse(v);
        } catch {
          // Left as the string it was so the method can answer as Slack would for malformed input.
          params[k] = v;
        }
      } else {
        params[k] = v;
      }
    }
    return params;
  }
  params._raw = raw;
  return params;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** The bytes of an upload: the one file of a multipart form (as @slack/web-api sends it), else the raw body. */
async function uploadedBytes(contentType: string | undefined, raw: Buffer): Promise<Uint8Array> {
  if (!(contentType ?? '').toLowerCase().startsWith('multipart/form-data')) return new Uint8Array(raw);
  const form = await new Request('http://fake.invalid/', { method: 'POST', headers: { 'content-type': contentType ?? '' }, body: raw }).formData();
  for (const value of form.values()) {
    if (typeof value !== 'string') return new Uint8Array(await value.arrayBuffer());
  }
  throw new Error('fake Slack: a multipart upload without a file part');
}

function summarise(call: RecordedCall): string {
  const p = call.params;
  const bits: string[] = [];
  for (const key of ['channel', 'ts', 'user', 'users', 'oldest', 'cursor', 'view_id', 'trigger_id']) {
    const v = str(p[key]);
    if (v !== undefined) bits.push(`${key}=${v}`);
  }
  const text = str(p.text);
  if (text !== undefined) bits.push(`text=${JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text)}`);
  let outcome = 'pending';
  if (call.outcome === 'dropped') outcome = 'dropped';
  else if (call.outcome !== undefined) {
    const body = call.outcome.body as { ok?: unknown; error?: unknown } | undefined;
    outcome = `${call.outcome.status} ${body?.ok === true ? 'ok' : `error=${String(body?.error)}`}`;
  }
  return `#${call.seq} ${call.method}(${bits.join(', ')}) → ${outcome}`;
}

export async function startFakeSlack(options: StartFakeSlackOptions = {}): Promise<FakeSlack> {
  const now = options.now ?? Date.now;
  const teamId = options.teamId ?? 'T0CEPTOAR0';
  const botUserId = options.botUserId ?? 'U0CEPTBOT0';
  const botId = options.botId ?? 'B0CEPTBOT0';
  const appId = options.appId ?? 'A0CEPTOAR0';

  const calls: RecordedCall[] = [];
  const responsePosts = new Map<string, unknown[]>();
  const faults: ActiveFault[] = [];
  const channels = new Map<string, ChannelConfig>();
  const users = new Map<string, UserConfig>();
  const messagesByChannel = new Map<string, StoredMessage[]>();
  const ephemerals: EphemeralMessage[] = [];
  const views = new Map<string, StoredView>();
  const uploads = new Map<string, FakeFile>();
  let fileSeq = 0;
  const waiters = new Waiters<RecordedCall>('fake-slack', calls, summarise);
  const gate = options.limits ? slackGate(options.limits) : undefined;
  const latencyMs = options.latencyMs ?? 0;
  let seq = 0;
  let lastMicros = 0;
  let viewSeq = 0;

  const nextTs = (): string => {
    lastMicros = Math.max(Math.floor(now() * 1000), lastMicros + 1);
    return microsToTs(lastMicros);
  };

  const notify = (): void => {
    waiters.notify();
  };

  const channelConfig = (id: string): Required<Pick<ChannelConfig, 'exists' | 'archived' | 'botMember' | 'private'>> & ChannelConfig => {
    const c = channels.get(id) ?? {};
    // DMs the bot has opened are conversations it is in; a D channel nobody opened does not exist.
    const isDm = id.startsWith('D');
    return {
      ...c,
      exists: c.exists ?? (isDm ? messagesByChannel.has(id) || channels.has(id) : true),
      archived: c.archived ?? false,
      botMember: c.botMember ?? true,
      private: c.private ?? false,
    };
  };

  /** Slack's visibility rules for a bot token, for a method that reads or writes a channel. */
  const requireChannel = (params: Record<string, unknown>, opts: { post?: boolean; read?: boolean } = {}): string => {
    let id = str(params.channel);
    if (id === undefined || id === '') throw new SlackFailure('channel_not_found');
    // chat.postMessage to a user id posts into the DM with that user.
    if (opts.post && /^[UW]/.test(id)) id = openDm(id);
    const c = channelConfig(id);
    if (!c.exists) throw new SlackFailure('channel_not_found');
    if (c.private && !c.botMember) throw new SlackFailure('channel_not_found');
    if (opts.post && c.archived) throw new SlackFailure('is_archived');
    if ((opts.post || opts.read) && !c.botMember) throw new SlackFailure('not_in_channel');
    return id;
  };

  const userExists = (id: string): boolean => users.get(id)?.exists ?? /^[UW]/.test(id);

  const openDm = (userId: string): string => {
    if (userId === botUserId) throw new SlackFailure('cannot_dm_bot');
    if (!userExists(userId)) throw new SlackFailure('user_not_found');
    const id = `D${userId}`;
    if (!messagesByChannel.has(id)) messagesByChannel.set(id, []);
    return id;
  };

  const store = (channel: string): StoredMessage[] => {
    let list = messagesByChannel.get(channel);
    if (list === undefined) {
      list = [];
      messagesByChannel.set(channel, list);
    }
    return list;
  };

  const validateContent = (params: Record<string, unknown>, requireSome: boolean): void => {
    const text = str(params.text);
    const { blocks, attachments, metadata } = params;
    if (requireSome && (text === undefined || text === '') && blocks === undefined && attachments === undefined) {
      throw new SlackFailure('no_text');
    }
    if (text !== undefined && text.length > MAX_TEXT) throw new SlackFailure('msg_too_long');
    if (blocks !== undefined && (!Array.isArray(blocks) || blocks.length > MAX_BLOCKS)) throw new SlackFailure('invalid_blocks');
    if (Array.isArray(blocks)) {
      for (const b of blocks) {
        if (b === null || typeof b !== 'object' || typeof (b as { type?: unknown }).type !== 'string') throw new SlackFailure('invalid_blocks');
      }
    }
    if (attachments !== undefined && !Array.isArray(attachments)) throw new SlackFailure('invalid_attachments');
    if (metadata !== undefined) {
      const m = metadata as { event_type?: unknown; event_payload?: unknown } | null;
      if (m === null || typeof m !== 'object' || typeof m.event_type !== 'string' || m.event_payload === null || typeof m.event_payload !== 'object') {
        throw new SlackFailure('invalid_metadata_format');
      }
    }
  };

  const findMessage = (channel: string, ts: string): StoredMessage | undefined => messagesByChannel.get(channel)?.find((m) => m.ts === ts);

  /** A stored message as Slack's answers show it: without our bookkeeping of which channel it is in. */
  const shown = (m: StoredMessage): Record<string, unknown> => {
    const out: Record<string, unknown> = { ...structuredClone(m) };
    delete out.channel;
    return out;
  };

  const asSeenInHistory = (m: StoredMessage, withMetadata: boolean): Record<string, unknown> => {
    const out = shown(m);
    if (!withMetadata) delete out.metadata;
    return out;
  };

  const channelType = (id: string): string => (id.startsWith('D') ? 'im' : channelConfig(id).private ? 'group' : 'channel');
  let eventSeq = 0;
  /** An event as Slack wraps it for the request URL; each one gets its own event_id (a retry reuses the envelope). */
  const envelope = (event: Record<string, unknown>): SlackEventEnvelope => ({
    token: 'legacy-verification-token',
    team_id: teamId,
    api_app_id: appId,
    type: 'event_callback',
    event_id: `Ev${String(++eventSeq).padStart(8, '0')}`,
    event_time: Math.floor(now() / 1000),
    event,
    authorizations: [{ enterprise_id: null, team_id: teamId, user_id: botUserId, is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: false,
  });

  const viewAnswer = (v: StoredView): Answer => ({
    ok: true,
    view: { ...structuredClone(v.view), id: v.id, team_id: teamId, app_id: appId, bot_id: botId, hash: `${v.id}.${viewSeq}`, state: { values: {} } },
  });

  const methods: Record<string, (params: Record<string, unknown>) => Answer> = {
    'auth.test': () => ({
      ok: true,
      url: 'https://ceptoar.slack.com/',
      team: 'CEPTOAR',
      user: 'ceptoar-bot',
      team_id: teamId,
      user_id: botUserId,
      bot_id: botId,
      is_enterprise_install: false,
    }),

    'chat.postMessage': (params) => {
      const channel = requireChannel(params, { post: true });
      validateContent(params, true);
      const ts = nextTs();
      const message: StoredMessage = {
        type: 'message',
        channel,
        ts,
        user: botUserId,
        bot_id: botId,
        app_id: appId,
        team: teamId,
        text: str(params.text) ?? '',
      };
      if (Array.isArray(params.blocks)) message.blocks = params.blocks;
      if (Array.isArray(params.attachments)) message.attachments = params.attachments;
      if (params.metadata !== undefined) message.metadata = params.metadata as StoredMessage['metadata'];
      const threadTs = str(params.thread_ts);
      if (threadTs !== undefined && threadTs !== '') {
        const parent = findMessage(channel, threadTs);
        if (parent === undefined) throw new SlackFailure('thread_not_found');
        parent.thread_ts = parent.ts;
        parent.reply_count = (parent.reply_count ?? 0) + 1;
        message.thread_ts = threadTs;
      }
      store(channel).push(message);
      return { ok: true, channel, ts, message: shown(message) };
    },

    'files.getUploadURLExternal': (params) => {
      const filename = str(params.filename);
      const length = Number(str(params.length));
      if (filename === undefined || filename === '' || !Number.isInteger(length) || length <= 0) throw new SlackFailure('invalid_arguments');
      const altText = str(params.alt_text ?? params.alt_txt);
      if (altText !== undefined && altText.length > MAX_ALT_TEXT) throw new SlackFailure('alt_txt_too_large');
      fileSeq += 1;
      const id = `F${String(fileSeq).padStart(10, '0')}`;
      uploads.set(id, { id, filename, length, altText, completed: false });
      return { ok: true, upload_url: `${base}/upload/v1/${id}`, file_id: id };
    },

    'files.completeUploadExternal': (params) => {
      const list = params.files;
      if (!Array.isArray(list) || list.length === 0) throw new SlackFailure('invalid_arguments');
      const files = list.map((f: unknown) => {
        const id = str((f as { id?: unknown } | null)?.id);
        const file = id === undefined ? undefined : uploads.get(id);
        // Never uploaded, uploaded short, or completed already: the upload ticket does not hold the file.
        if (file === undefined || file.bytes === undefined || file.bytes.length !== file.length || file.completed) throw new SlackFailure('file_not_found');
        return { file, title: str((f as { title?: unknown }).title) ?? file.filename };
      });
      const channelId = str(params.channel_id);
      let shared: StoredMessage | undefined;
      if (channelId !== undefined && channelId !== '') {
        const channel = requireChannel({ channel: channelId }, { post: true });
        const text = str(params.initial_comment) ?? '';
        if (text.length > MAX_TEXT) throw new SlackFailure('msg_too_long');
        shared = { type: 'message', channel, ts: nextTs(), user: botUserId, bot_id: botId, app_id: appId, team: teamId, text, upload: true, files: [] };
        const threadTs = str(params.thread_ts);
        if (threadTs !== undefined && threadTs !== '') {
          const parent = findMessage(channel, threadTs);
          if (parent === undefined) throw new SlackFailure('thread_not_found');
          parent.thread_ts = parent.ts;
          parent.reply_count = (parent.reply_count ?? 0) + 1;
          shared.thread_ts = threadTs;
        }
      }
      const answered = files.map(({ file, title }) => {
        file.completed = true;
        file.title = title;
        const listed: SharedFile = {
          id: file.id,
          name: file.filename,
          title,
          mimetype: file.filename.toLowerCase().endsWith('.png') ? 'image/png' : 'application/octet-stream',
          filetype: file.filename.split('.').at(-1)?.toLowerCase() ?? 'binary',
          size: file.length,
          ...(file.altText === undefined ? {} : { alt_txt: file.altText }),
        };
        if (shared) {
          file.channel = shared.channel;
          file.messageTs = shared.ts;
          shared.files?.push(listed);
        }
        return listed;
      });
      if (shared) store(shared.channel).push(shared);
      // As Slack: the files, not the message (Slack shares it after answering).
      return { ok: true, files: answered.map((f) => ({ id: f.id, title: f.title })) };
    },

    'chat.update': (params) => {
      const channel = requireChannel(params);
      const ts = str(params.ts);
      const message = ts === undefined ? undefined : findMessage(channel, ts);
      if (message === undefined) throw new SlackFailure('message_not_found');
      validateContent(params, false);
      const text = str(params.text);
      if (text !== undefined) message.text = text;
      // As on Slack, fields left out are kept; an empty array removes them.
      if (Array.isArray(params.blocks)) message.blocks = params.blocks;
      if (Array.isArray(params.attachments)) message.attachments = params.attachments;
      if (params.metadata !== undefined) message.metadata = params.metadata as StoredMessage['metadata'];
      message.edited = { user: botUserId, ts: nextTs() };
      return { ok: true, channel, ts: message.ts, text: message.text, message: shown(message) };
    },

    'chat.postEphemeral': (params) => {
      const channel = requireChannel(params, { post: true });
      const user = str(params.user);
      if (user === undefined || !userExists(user)) throw new SlackFailure('user_not_found');
      validateContent(params, true);
      const messageTs = nextTs();
      const e: EphemeralMessage = { channel, user, messageTs, text: str(params.text) ?? '' };
      if (Array.isArray(params.blocks)) e.blocks = params.blocks;
      ephemerals.push(e);
      return { ok: true, message_ts: messageTs };
    },

    'conversations.history': (params) => {
      const channel = requireChannel(params, { read: true });
      const limit = Math.min(Math.max(Number(str(params.limit) ?? 100) || 100, 1), 999);
      const inclusive = isTrue(params.inclusive);
      const oldest = tsToMicros(str(params.oldest) ?? '0');
      const latestRaw = str(params.latest);
      const latest = latestRaw === undefined || latestRaw === '' ? Number.POSITIVE_INFINITY : tsToMicros(latestRaw);
      if (Number.isNaN(oldest) || Number.isNaN(latest)) throw new SlackFailure('invalid_ts_oldest');
      let before = Number.POSITIVE_INFINITY;
      const cursor = str(params.cursor);
      if (cursor !== undefined && cursor !== '') {
        const decoded = Buffer.from(cursor, 'base64').toString('utf8');
        const match = /^next_ts:(\d+)$/.exec(decoded);
        if (match?.[1] === undefined) throw new SlackFailure('invalid_cursor');
        before = Number(match[1]);
      }
      const inRange = (m: StoredMessage): boolean => {
        const t = tsToMicros(m.ts);
        const afterOldest = inclusive ? t >= oldest : t > oldest;
        const beforeLatest = inclusive ? t <= latest : t < latest;
        return afterOldest && beforeLatest && t < before;
      };
      // Thread replies live in conversations.replies, not in the channel's history.
      const visible = (messagesByChannel.get(channel) ?? []).filter((m) => m.thread_ts === undefined || m.thread_ts === m.ts);
      const newestFirst = visible.filter(inRange).sort((a, b) => tsToMicros(b.ts) - tsToMicros(a.ts));
      const page = newestFirst.slice(0, limit);
      const hasMore = newestFirst.length > limit;
      const last = page[page.length - 1];
      const withMetadata = isTrue(params.include_all_metadata);
      return {
        ok: true,
        messages: page.map((m) => asSeenInHistory(m, withMetadata)),
        has_more: hasMore,
        pin_count: 0,
        channel_actions_ts: null,
        channel_actions_count: 0,
        response_metadata: { next_cursor: hasMore && last !== undefined ? Buffer.from(`next_ts:${tsToMicros(last.ts)}`).toString('base64') : '' },
      };
    },

    'conversations.replies': (params) => {
      const channel = requireChannel(params, { read: true });
      const ts = str(params.ts);
      const parent = ts === undefined ? undefined : findMessage(channel, ts);
      if (parent === undefined) throw new SlackFailure('thread_not_found');
      const thread = (messagesByChannel.get(channel) ?? []).filter((m) => m.ts === parent.ts || m.thread_ts === parent.ts);
      const withMetadata = isTrue(params.include_all_metadata);
      return { ok: true, messages: thread.map((m) => asSeenInHistory(m, withMetadata)), has_more: false, response_metadata: { next_cursor: '' } };
    },

    'conversations.info': (params) => {
      const id = requireChannel(params);
      const c = channelConfig(id);
      const isIm = id.startsWith('D');
      const extShared = c.extShared ?? false;
      const orgShared = c.orgShared ?? false;
      return {
        ok: true,
        channel: {
          id,
          name: isIm ? undefined : (c.name ?? id.toLowerCase()),
          created: 1_700_000_000,
          is_channel: !isIm && !c.private,
          is_group: !isIm && c.private,
          is_im: isIm,
          is_mpim: false,
          is_private: isIm || c.private,
          is_archived: c.archived,
          is_general: false,
          is_member: c.botMember,
          is_shared: c.shared ?? (extShared || orgShared),
          is_ext_shared: extShared,
          is_org_shared: orgShared,
          is_pending_ext_shared: c.pendingExtShared ?? false,
          context_team_id: teamId,
          shared_team_ids: [teamId],
          ...(isIm ? { user: id.slice(1) } : {}),
        },
      };
    },

    'conversations.open': (params) => {
      const usersParam = str(params.users);
      if (usersParam === undefined || usersParam === '') {
        const channel = str(params.channel);
        if (channel === undefined) throw new SlackFailure('users_list_not_supplied');
        requireChannel(params);
        return { ok: true, channel: { id: channel } };
      }
      const ids = usersParam.split(',').map((u) => u.trim()).filter((u) => u !== '');
      if (ids.length === 1 && ids[0] !== undefined) {
        const alreadyOpen = messagesByChannel.has(`D${ids[0]}`);
        const id = openDm(ids[0]);
        return { ok: true, no_op: alreadyOpen, already_open: alreadyOpen, channel: { id } };
      }
      for (const u of ids) if (!userExists(u)) throw new SlackFailure('user_not_found');
      const id = `G${ids.join('').replace(/[^A-Z0-9]/g, '').slice(0, 20)}`;
      channels.set(id, { ...channels.get(id), private: true, botMember: true });
      return { ok: true, channel: { id } };
    },

    'users.info': (params) => {
      const id = str(params.user);
      if (id === undefined || !userExists(id)) throw new SlackFailure('user_not_found');
      const u = users.get(id) ?? {};
      const name = u.name ?? id.toLowerCase();
      const realName = u.realName ?? `User ${id}`;
      return {
        ok: true,
        user: {
          id,
          team_id: teamId,
          name,
          real_name: realName,
          deleted: u.deleted ?? false,
          is_bot: u.isBot ?? id === botUserId,
          tz: u.tz ?? 'Asia/Tokyo',
          profile: {
            real_name: realName,
            display_name: u.displayName ?? name,
            ...(u.email === undefined ? {} : { email: u.email }),
          },
        },
      };
    },

    'views.open': (params) => {
      if (str(params.trigger_id) === undefined) throw new SlackFailure('invalid_arguments');
      const view = params.view;
      if (view === null || typeof view !== 'object') throw new SlackFailure('invalid_arguments');
      viewSeq += 1;
      const stored: StoredView = { id: `V${String(viewSeq).padStart(9, '0')}`, method: 'views.open', view: view as Record<string, unknown> };
      const trigger = str(params.trigger_id);
      if (trigger !== undefined) stored.triggerId = trigger;
      views.set(stored.id, stored);
      return viewAnswer(stored);
    },

    'views.push': (params) => {
      const answer = methods['views.open']?.(params) ?? {};
      const id = (answer.view as { id: string }).id;
      const v = views.get(id);
      if (v !== undefined) v.method = 'views.push';
      return answer;
    },

    'views.update': (params) => {
      const viewId = str(params.view_id);
      const externalId = str(params.external_id);
      const existing =
        viewId !== undefined ? views.get(viewId) : [...views.values()].find((v) => externalId !== undefined && v.view.external_id === externalId);
      if (existing === undefined) throw new SlackFailure('not_found');
      const view = params.view;
      if (view === null || typeof view !== 'object') throw new SlackFailure('invalid_arguments');
      viewSeq += 1;
      existing.view = view as Record<string, unknown>;
      existing.method = 'views.update';
      return viewAnswer(existing);
    },

    'views.publish': (params) => {
      const userId = str(params.user_id);
      if (userId === undefined || !userExists(userId)) throw new SlackFailure('user_not_found');
      const view = params.view;
      if (view === null || typeof view !== 'object') throw new SlackFailure('invalid_arguments');
      viewSeq += 1;
      const stored: StoredView = { id: `V${String(viewSeq).padStart(9, '0')}`, method: 'views.publish', view: view as Record<string, unknown>, userId };
      views.set(stored.id, stored);
      return viewAnswer(stored);
    },
  };

  const takeFault = (method: string, params: Record<string, unknown>): ActiveFault | undefined => {
    const channel = str(params.channel ?? params.channel_id);
    const index = faults.findIndex((f) => f.method === method && (f.channel === undefined || f.channel === channel));
    if (index < 0) return undefined;
    const fault = faults[index];
    if (fault === undefined) return undefined;
    fault.remaining -= 1;
    if (fault.remaining <= 0) faults.splice(index, 1);
    return fault;
  };

  const send = (res: ServerResponse, call: RecordedCall, status: number, body: unknown, headers: Record<string, string> = {}): void => {
    call.outcome = { status, body };
    const payload = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(payload);
    notify();
  };

  const drop = (req: IncomingMessage, call: RecordedCall): void => {
    call.outcome = 'dropped';
    req.socket.destroy();
    notify();
  };

  const run = (method: string, params: Record<string, unknown>): { status: number; body: Answer } => {
    const handler = methods[method];
    if (handler === undefined) return { status: 200, body: { ok: false, error: 'unknown_method' } };
    try {
      return { status: 200, body: handler(params) };
    } catch (err) {
      if (err instanceof SlackFailure) return { status: 200, body: { ok: false, error: err.error, ...err.extra } };
      throw err;
    }
  };

  const sendText = (res: ServerResponse, call: RecordedCall, status: number, text: string, headers: Record<string, string> = {}): void => {
    call.outcome = { status, body: text };
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers });
    res.end(text);
    notify();
  };

  /** The upload URL files.getUploadURLExternal gave: the bytes of file `id`, answered "OK - <length>" as Slack does. */
  const upload = async (req: IncomingMessage, res: ServerResponse, id: string, contentType: string | undefined, raw: Buffer): Promise<void> => {
    const auth = req.headers.authorization;
    const call: RecordedCall = {
      seq: ++seq,
      method: 'upload_url',
      params: { file_id: id, length: raw.length },
      token: auth?.startsWith('Bearer ') ? auth.slice('Bearer '.length) : undefined,
      contentType,
      receivedAt: Date.now(),
    };
    calls.push(call);
    notify();
    const file = uploads.get(id);
    const keep = async (): Promise<number> => {
      const bytes = await uploadedBytes(contentType, raw);
      if (file !== undefined && !file.completed) file.bytes = bytes;
      return bytes.length;
    };
    const fault = takeFault('upload_url', {});
    if (fault?.delayMs !== undefined) await new Promise((r) => setTimeout(r, fault.delayMs));
    if (fault?.dropResponse) {
      await keep();
      drop(req, call);
      return;
    }
    const slowOnly = fault !== undefined && fault.delayMs !== undefined && fault.error === undefined && fault.status === undefined && fault.retryAfterSec === undefined;
    if (fault !== undefined && !slowOnly) {
      const status = fault.status ?? (fault.retryAfterSec !== undefined ? 429 : 500);
      sendText(res, call, status, fault.error ?? 'upload failed', status === 429 ? { 'retry-after': String(fault.retryAfterSec ?? 1) } : {});
      return;
    }
    if (file === undefined) {
      sendText(res, call, 404, 'not found');
      return;
    }
    sendText(res, call, 200, `OK - ${await keep()}`);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const raw = await readBody(req);
    const contentType = req.headers['content-type'];

    if (url.pathname.startsWith('/upload/v1/')) {
      await upload(req, res, decodeURIComponent(url.pathname.slice('/upload/v1/'.length)), contentType, raw);
      return;
    }
    // As Slack: a GET's arguments are its query string; a body sent with it is not read.
    const params = parseParams(contentType, req.method === 'GET' ? '' : raw.toString('utf8'), url.searchParams);

    if (url.pathname.startsWith('/response/')) {
      const name = decodeURIComponent(url.pathname.slice('/response/'.length));
      const call: RecordedCall = { seq: ++seq, method: `response_url:${name}`, params, token: undefined, contentType, receivedAt: Date.now() };
      calls.push(call);
      const list = responsePosts.get(name) ?? [];
      list.push(params._body ?? params);
      responsePosts.set(name, list);
      send(res, call, 200, { ok: true });
      return;
    }

    if (!url.pathname.startsWith('/api/')) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
      return;
    }

    const method = url.pathname.slice('/api/'.length);
    const auth = req.headers.authorization;
    const token = auth?.startsWith('Bearer ') ? auth.slice('Bearer '.length) : str(params.token);
    const call: RecordedCall = { seq: ++seq, method, params, token, contentType, receivedAt: Date.now() };
    calls.push(call);
    notify();

    // Limits are judged when the request arrives; the answer, a refusal too, comes after the latency.
    const retryAfterSec = gate?.(method, str(params.channel));
    if (latencyMs > 0) await new Promise((r) => setTimeout(r, latencyMs));
    if (retryAfterSec !== undefined) {
      send(res, call, 429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(retryAfterSec) });
      return;
    }

    const fault = takeFault(method, params);
    if (fault?.delayMs !== undefined) await new Promise((r) => setTimeout(r, fault.delayMs));

    if (fault?.dropResponse) {
      run(method, params);
      drop(req, call);
      return;
    }
    const slowOnly = fault !== undefined && fault.delayMs !== undefined && fault.error === undefined && fault.status === undefined && fault.retryAfterSec === undefined;
    if (fault !== undefined && !slowOnly) {
      const status = fault.status ?? (fault.error === undefined && fault.retryAfterSec !== undefined ? 429 : 200);
      if (status === 429) {
        send(res, call, 429, { ok: false, error: fault.error ?? 'ratelimited' }, { 'retry-after': String(fault.retryAfterSec ?? 1) });
      } else if (status === 200) {
        send(res, call, 200, { ok: false, error: fault.error ?? 'internal_error' });
      } else {
        send(res, call, status, { ok: false, error: fault.error ?? 'fatal_error' });
      }
      return;
    }

    if (token === undefined || token === '') {
      send(res, call, 200, { ok: false, error: 'not_authed' });
      return;
    }
    const { status, body } = run(method, params);
    send(res, call, status, body);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      // A bug in the fake must show up in the test, not look like a Slack outage the code under test tolerates.
      console.error('fake-slack handler crashed', err);
      if (!res.headersSent) {
        res.writeHead(599, { 'content-type': 'text/plain' });
        res.end(`fake-slack crashed: ${String(err)}`);
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;

  const fake: FakeSlack = {
    url: `${base}/api/`,
    teamId,
    botUserId,
    botId,
    appId,
    calls,
    callsTo: (method) => calls.filter((c) => c.method === method),
    responseUrl: (name) => `${base}/response/${encodeURIComponent(name)}`,
    responses: (name) => [...(responsePosts.get(name) ?? [])],

    waitFor<T>(predicate: (calls: readonly RecordedCall[], fake: FakeSlack) => Found<T>, opts: WaitForOptions = {}): Promise<T> {
      return waiters.waitFor(() => predicate(calls, fake), opts);
    },

    failNext(method, fault = {}) {
      const times = fault.times ?? 1;
      if (times > 0) faults.push({ ...fault, method, remaining: times });
    },
    setChannel(id, config) {
      channels.set(id, { ...channels.get(id), ...config });
    },
    setUser(id, config) {
      users.set(id, { ...users.get(id), ...config });
    },
    messages: (channel) => structuredClone(messagesByChannel.get(channel) ?? []),
    memberReply(channel, threadTs, user, text, options = {}) {
      const parent = findMessage(channel, threadTs);
      if (parent === undefined) throw new Error(`fake Slack: no message ${threadTs} in ${channel} to reply to`);
      parent.thread_ts = parent.ts;
      parent.reply_count = (parent.reply_count ?? 0) + 1;
      const message: StoredMessage = { type: 'message', channel, ts: nextTs(), user, team: teamId, text, thread_ts: threadTs };
      store(channel).push(message);
      const event = { ...shown(message), ...(options.subtype ? { subtype: options.subtype } : {}), channel, event_ts: message.ts, channel_type: channelType(channel) };
      return { message: structuredClone(message), envelope: envelope(event) };
    },
    memberEdit(channel, ts, text) {
      const message = findMessage(channel, ts);
      if (message === undefined) throw new Error(`fake Slack: no message ${ts} in ${channel} to edit`);
      const previous = shown(message);
      const at = nextTs();
      message.text = text;
      message.edited = { user: message.user, ts: at };
      return envelope({
        type: 'message',
        subtype: 'message_changed',
        hidden: true,
        channel,
        channel_type: channelType(channel),
        ts: at,
        event_ts: at,
        message: shown(message),
        previous_message: previous,
      });
    },
    memberDelete(channel, ts) {
      const list = messagesByChannel.get(channel) ?? [];
      const i = list.findIndex((m) => m.ts === ts);
      if (i < 0) throw new Error(`fake Slack: no message ${ts} in ${channel} to delete`);
      const [gone] = list.splice(i, 1);
      const at = nextTs();
      return envelope({
        type: 'message',
        subtype: 'message_deleted',
        hidden: true,
        channel,
        channel_type: channelType(channel),
        ts: at,
        event_ts: at,
        deleted_ts: ts,
        previous_message: shown(gone as StoredMessage),
      });
    },
    ephemerals: (channel) => structuredClone(channel === undefined ? ephemerals : ephemerals.filter((e) => e.channel === channel)),
    views: () => structuredClone([...views.values()]),
    files: () => [...uploads.values()].map((f) => ({ ...f, ...(f.bytes === undefined ? {} : { bytes: new Uint8Array(f.bytes) }) })),
    clearCalls() {
      calls.length = 0;
      responsePosts.clear();
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
