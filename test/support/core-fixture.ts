/**
 * The core with in-memory ports, for unit tests of the commands: the embedded store in memory (a
 * real Store implementation, held to the contract suite), a recording job scheduler and chat port,
 * the example directory, a manual clock and a log that keeps what it was told.
 */
import { inProcessCharts } from '../../src/view/chart-drawer.js';
import { ManualClock } from '../../src/clock.js';
import type { AdvisoryInput } from '../../src/domain/advisory.js';
import type { AuditEvent } from '../../src/domain/audit.js';
import { Core } from '../../src/core.js';
import type { CoreDeps } from '../../src/commands/deps.js';
import { Directory } from '../../src/directory/directory.js';
import { loadDirectoryFile } from '../../src/directory/load.js';
import { DirectoryFile, type Contact } from '../../src/directory/schema.js';
import type { ChannelAddress } from '../../src/domain/delivery.js';
import { DEFAULT_POLICIES, type EscalationPolicies } from '../../src/domain/escalation.js';
import type { MessageRef } from '../../src/domain/platform.js';
import { BotError } from '../../src/errors.js';
import { createLogger, type Logger } from '../../src/log.js';
import { ChatError, type ChatCapabilities, type ChatPort, type ImagePost, type OutboundView, type PostedImage, type PostTarget, type ThreadReply } from '../../src/ports/chat.js';
import type { PlatformLimits } from '../../src/ports/pace.js';
import type { EnsureReport, JobScheduler, Work } from '../../src/ports/jobs.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';

export class RecordingJobs implements JobScheduler {
  readonly ensured: Work[] = [];
  readonly dropped: Work[] = [];
  /** While true, every call fails as a Redis outage does. */
  down = false;
  /** Work whose job "used up its attempts": reported back as given up. */
  readonly failed = new Map<string, string>();

  /** Work asked for as just recorded (ensure's `fresh`): added without a look for an existing job. */
  readonly fresh: Work[] = [];
  async ensure(work: Work[], options?: { fresh?: boolean }): Promise<EnsureReport> {
    if (this.down) throw new BotError('QUEUE.UNAVAILABLE', 'down', {});
    if (options?.fresh) this.fresh.push(...work);
    const report: EnsureReport = { queued: 0, pending: 0, restarted: 0, gaveUp: [] };
    for (const w of work) {
      const reason = this.failed.get(workKey(w));
      if (reason !== undefined) report.gaveUp.push({ work: w, reason });
      else {
        this.ensured.push(w);
        report.queued += 1;
      }
    }
    return report;
  }

  async drop(work: Work): Promise<void> {
    if (this.down) throw new BotError('QUEUE.UNAVAILABLE', 'down', {});
    this.dropped.push(work);
  }

  of<K extends Work['kind']>(kind: K): Extract<Work, { kind: K }>[] {
    return this.ensured.filter((w): w is Extract<Work, { kind: K }> => w.kind === kind);
  }
}

export function workKey(w: Work): string {
  switch (w.kind) {
    case 'step':
      return `step:${w.deliveryId}:${w.token}:${w.step}:${w.index}`;
    case 'announce':
      return `announce:${w.advisoryId}`;
    case 'refresh-phone':
      return `refresh-phone:${w.taskId}:${w.revision}`;
    case 'refresh':
      return `refresh:${w.deliveryId}:${w.revision}`;
    case 'sync-advisory':
      return `sync-advisory:${w.advisoryId}:${w.rev}`;
    case 'sync':
      return `sync:${w.deliveryId}:${w.rev}`;
    case 'closing':
      return `closing:${w.advisoryId}`;
    case 'archive':
      return `archive:${w.advisoryId}:${w.attempt}`;
    case 'status-card':
      return `status-card:${w.advisoryId}:${w.at.getTime()}`;
    case 'alert-digest':
      return `alert-digest:${w.advisoryId}:${w.alert}:${w.wave}:${w.at.getTime()}`;
    case 'phone-board':
      return `phone-board:${w.advisoryId}:${w.at.getTime()}`;
    default:
      return `${w.kind}:${w.deliveryId}`;
  }
}

export interface Posted {
  target: PostTarget;
  message: OutboundView;
  key: string;
  ref: MessageRef;
}

export interface PostedPicture {
  target: PostTarget;
  image: ImagePost;
  key: string;
  ref: PostedImage;
}

/** What `RecordingChat` takes when a test turns pictures on (as Slack: no limit a chart comes near). */
export const PICTURES_ON = { maxBytes: 1_000_000_000 } as const;

/** A chat platform in memory: records posts and updates; `failPosts` makes posts fail as told. */
export class RecordingChat implements ChatPort {
  readonly platform = 'slack' as const;
  /**
   * As Slack: finds its own posts by key and tells a shared channel; a test may take either away. Pictures are off
   * unless a test turns them on (postImage: PICTURES_ON): with them, every closing draws the reach chart, which takes
   * seconds (resvg loads the system's fonts), and the tests of other commands need none.
   */
  capabilities: ChatCapabilities = { findOwnPost: true, detectSharedChannel: true, readThreads: true, postImage: false };
  readonly limits: PlatformLimits = { conversation: 'unlimited', search: 'unlimited', workspace: 'unlimited' };
  /** What threadReplies answers, by root message id (a test sets it). */
  readonly replies = new Map<string, ThreadReply[]>();
  /** Roots whose thread was listed, in order. */
  readonly threadsRead: string[] = [];
  readonly posts: Posted[] = [];
  /** Pictures posted (postImage), in order. */
  readonly pictures: PostedPicture[] = [];
  /** Every post and picture as it came, `post:<key>` or `picture:<key>`: what went first. */
  readonly sequence: string[] = [];
  /** Makes a picture fail as told. */
  failPictures: ((target: PostTarget, image: ImagePost) => ChatError | undefined) | undefined;
  /** `key`: the key the update says the message is found by (a platform re-sends it with the edit). */
  readonly updates: { ref: MessageRef; message: OutboundView; key?: string | undefined }[] = [];
  failPosts: ((target: PostTarget, message: OutboundView) => ChatError | undefined) | undefined;
  /** While set, each post first awaits it: a slow platform, to hold a run in the middle of its step. */
  gate: (() => Promise<void>) | undefined;
  /** Searches for an earlier post (each one is a conversations.history call on Slack). */
  finds = 0;
  /** Each search, with how far back it looked. */
  readonly searches: { channelId: string; key: string; since: Date }[] = [];
  /** Makes opening a direct conversation with a user fail as told (a contact who left the workspace). */
  failOpen: ((userId: string) => ChatError | undefined) | undefined;
  /** Users a direct conversation was opened with, in order. */
  readonly opened: string[] = [];
  #n = 0;

  async post(target: PostTarget, message: OutboundView, key: string): Promise<MessageRef> {
    if (this.gate) await this.gate();
    const failure = this.failPosts?.(target, message);
    if (failure) throw failure;
    const ref: MessageRef = { platform: 'slack', channelId: target.channelId, messageId: `m${++this.#n}` };
    this.posts.push({ target, message, key, ref });
    this.sequence.push(`post:${key}`);
    return ref;
  }
  async postImage(target: PostTarget, image: ImagePost, key: string): Promise<PostedImage> {
    // As a real port: a capability declared absent is never asked for.
    if (this.capabilities.postImage === false) throw new Error('RecordingChat: postImage asked of a platform that declared it cannot');
    if (this.gate) await this.gate();
    const failure = this.failPictures?.(target, image);
    if (failure) throw failure;
    const ref: PostedImage = { platform: 'slack', channelId: target.channelId, id: `F${++this.#n}` };
    this.pictures.push({ target, image, key, ref });
    this.sequence.push(`picture:${key}`);
    return ref;
  }
  /** Makes a search fail as told (Slack's conversations.history rate-limited, say). */
  failFinds: ((target: PostTarget) => ChatError | undefined) | undefined;
  async findPost(target: PostTarget, key: string, since: Date): Promise<MessageRef | null> {
    this.finds += 1;
    this.searches.push({ channelId: target.channelId, key, since });
    const failure = this.failFinds?.(target);
    if (failure) throw failure;
    return this.posts.find((p) => p.target.channelId === target.channelId && p.key === key)?.ref ?? null;
  }
  async update(ref: MessageRef, message: OutboundView, key?: string): Promise<void> {
    this.updates.push({ ref, message, key });
  }
  /** How far back each thread read looked, in order. */
  readonly threadSince: Date[] = [];
  async threadReplies(root: MessageRef, since: Date): Promise<ThreadReply[]> {
    this.threadsRead.push(root.messageId);
    this.threadSince.push(since);
    return this.replies.get(root.messageId) ?? [];
  }
  async openDirectConversation(workspaceId: string, userId: string): Promise<PostTarget> {
    const failure = this.failOpen?.(userId);
    if (failure) throw failure;
    this.opened.push(userId);
    return { workspaceId, channelId: `D${userId}` };
  }
  async isSharedOutside(channel: ChannelAddress): Promise<boolean> {
    return channel.sharedOutside;
  }
  async checkCredentials(): Promise<void> {}

  in(channelId: string, kind?: OutboundView['kind']): Posted[] {
    return this.posts.filter((p) => p.target.channelId === channelId && (kind === undefined || p.message.kind === kind));
  }
}

export interface LogLine {
  level: 'error' | 'warn' | 'info' | 'debug';
  obj: unknown;
  msg: string | undefined;
}

/** A pino logger whose lines at debug and above are also kept for assertions. */
export function recordingLog(): { log: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const log = createLogger('silent');
  for (const level of ['error', 'warn', 'info', 'debug'] as const) {
    (log as unknown as Record<string, unknown>)[level] = (obj: unknown, msg?: string) => {
      lines.push({ level, obj, msg: typeof obj === 'string' ? obj : msg });
    };
  }
  return { log, lines };
}

export interface CoreFixture {
  core: Core;
  deps: CoreDeps;
  store: SqliteStore;
  jobs: RecordingJobs;
  chat: RecordingChat;
  clock: ManualClock;
  lines: LogLine[];
  /** Every audit event appended, in order, including those without an advisory (refusals of people). */
  audit: AuditEvent[];
  close(): Promise<void>;
}

export const T0 = '2026-12-01T00:00:00.000Z';

export async function coreFixture(
  options: { policies?: EscalationPolicies; stepLeaseMs?: number; closeAfterDeadlineSeconds?: number; storeFile?: string; directory?: DirectoryFile } = {},
): Promise<CoreFixture> {
  const store = new SqliteStore(options.storeFile ?? ':memory:');
  const jobs = new RecordingJobs();
  const chat = new RecordingChat();
  const clock = new ManualClock(T0);
  const { log, lines } = recordingLog();
  const audit: AuditEvent[] = [];
  const append = store.appendAudit.bind(store);
  store.appendAudit = async (event: AuditEvent) => {
    await append(event);
    // As the store does: an event whose id is already there is ignored.
    if (!audit.some((e) => e.id === event.id)) audit.push(event);
  };
  // An event saved with a delivery's change (one commit) is appended all the same.
  const save = store.saveDelivery.bind(store);
  store.saveDelivery = async (next, event) => {
    const saved = await save(next, event);
    if (saved && event && !audit.some((e) => e.id === event.id)) audit.push(event);
    return saved;
  };
  const directory = new Directory(options.directory ?? (await exampleDirectoryFile()));
  const deps: CoreDeps = {
    store,
    directory,
    clock,
    chats: { slack: chat },
    jobs,
    log,
    policies: options.policies ?? DEFAULT_POLICIES,
    charts: inProcessCharts,
    settings: { stepLeaseMs: options.stepLeaseMs ?? 30_000, closeAfterDeadlineSeconds: options.closeAfterDeadlineSeconds ?? 72 * 3600, exportLinks: { secret: 'test-export-secret', ttlMs: 15 * 60_000, baseUrl: 'https://bot.example' } },
  };
  return { core: new Core(deps), deps, store, jobs, chat, clock, lines, audit, close: () => store.close() };
}

export const SECRETARIAT = { platform: 'slack' as const, userId: 'U0SEC00001', name: '事務局 担当A' };
export const ONCALL = { platform: 'slack' as const, userId: 'U0ONC00001', name: '電話当番 A' };

export const ISSUE_INPUT: AdvisoryInput = {
  title: 'VPN 装置の脆弱性',
  body: '直ちに更新してください。',
  source: 'jpcert',
  tlp: 'TLP:AMBER',
  severity: 'level3',
  category: 'vulnerability',
  targets: { allMembers: false, observers: false, groups: [], members: ['jma', 'jda'] },
};

/** A fresh copy of the example directory's validated file, to change before building a fixture on it. */
export async function exampleDirectoryFile(): Promise<DirectoryFile> {
  return loadDirectoryFile('config/members.example.yaml');
}

/**
 * The example directory with one organisation's contacts replaced: `count` contacts in call order,
 * each with a Slack user id unless `slackIds` says otherwise (false: none has one; an array: per contact).
 * Validated by the directory schema, as a file an operator wrote would be.
 */
export async function directoryWithContacts(memberId: string, count: number, slackIds: boolean | boolean[] = true): Promise<DirectoryFile> {
  const file = structuredClone(await exampleDirectoryFile()) as DirectoryFile;
  const org = file.organisations.find((o) => o.id === memberId);
  if (!org) throw new Error(`no organisation ${memberId} in the example directory`);
  org.contacts = Array.from({ length: count }, (_, i): Contact => {
    const n = String(i + 1).padStart(2, '0');
    const hasId = Array.isArray(slackIds) ? slackIds[i] === true : slackIds;
    return { name: `連絡先 ${n}`, phone: `+81-3-5555-09${n}`, order: i + 1, ...(hasId ? { chat: { slack: `U0C${memberId.toUpperCase()}${n}` } } : {}) };
  });
  return DirectoryFile.parse(file);
}

/** The Slack user id directoryWithContacts gives a member's contact (1-based). */
export function contactSlackId(memberId: string, n: number): string {
  return `U0C${memberId.toUpperCase()}${String(n).padStart(2, '0')}`;
}

/**
 * Makes the next `parties` calls of `obj[method]` wait for one another before any of them runs, so
 * that every caller decided from the same stored version: a real race, the same on every run. Later
 * calls run straight through. `results` are what the raced calls returned, in the order they ran.
 */
export function raceNext<T extends object, K extends keyof T & string>(obj: T, method: K, parties = 2): { results: unknown[]; arrived: Promise<void> } {
  const original = obj[method] as unknown as (...args: unknown[]) => Promise<unknown>;
  const waiting: (() => void)[] = [];
  const results: unknown[] = [];
  let all!: () => void;
  const arrived = new Promise<void>((resolve) => (all = resolve));
  (obj as Record<string, unknown>)[method] = async (...args: unknown[]) => {
    if (waiting.length >= parties) return original.apply(obj, args);
    await new Promise<void>((resolve) => {
      waiting.push(resolve);
      if (waiting.length === parties) {
        all();
        for (const go of waiting) go();
      }
    });
    const result = await original.apply(obj, args);
    results.push(result);
    return result;
  };
  return { results, arrived };
}

/**
 * A permanent refusal as an adapter reports it, with the platform's code and the core's reason the
 * same word (`not_in_channel`, `archived`, …), so a record reads the same whichever of the two it keeps.
 */
export function refusal(code: string): ChatError {
  const err = new ChatError('permanent', code);
  Object.defineProperty(err, 'reason', { value: code, enumerable: true });
  return err;
}
