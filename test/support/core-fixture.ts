/**
 * The core with in-memory ports, for unit tests of the commands: the embedded store in memory (a
 * real Store implementation, held to the contract suite), a recording job scheduler and chat port,
 * the example directory, a manual clock and a log that keeps what it was told.
 */
import { ManualClock } from '../../src/clock.js';
import type { AdvisoryInput } from '../../src/domain/advisory.js';
import { Core } from '../../src/core.js';
import type { CoreDeps } from '../../src/commands/deps.js';
import { Directory } from '../../src/directory/directory.js';
import { loadDirectoryFile } from '../../src/directory/load.js';
import type { ChannelAddress } from '../../src/domain/delivery.js';
import { DEFAULT_POLICIES, type EscalationPolicies } from '../../src/domain/escalation.js';
import type { MessageRef } from '../../src/domain/platform.js';
import { BotError } from '../../src/errors.js';
import { createLogger, type Logger } from '../../src/log.js';
import type { ChatError} from '../../src/ports/chat.js';
import { type ChatPort, type OutboundView, type PostTarget } from '../../src/ports/chat.js';
import type { EnsureReport, JobScheduler, Work } from '../../src/ports/jobs.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';

export class RecordingJobs implements JobScheduler {
  readonly ensured: Work[] = [];
  readonly dropped: Work[] = [];
  /** While true, every call fails as a Redis outage does. */
  down = false;
  /** Work whose job "used up its attempts": reported back as given up. */
  readonly failed = new Map<string, string>();

  async ensure(work: Work[]): Promise<EnsureReport> {
    if (this.down) throw new BotError('QUEUE.UNAVAILABLE', 'down', {});
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

/** A chat platform in memory: records posts and updates; `failPosts` makes posts fail as told. */
export class RecordingChat implements ChatPort {
  readonly platform = 'slack' as const;
  readonly posts: Posted[] = [];
  readonly updates: { ref: MessageRef; message: OutboundView }[] = [];
  failPosts: ((target: PostTarget, message: OutboundView) => ChatError | undefined) | undefined;
  /** While set, each post first awaits it: a slow platform, to hold a run in the middle of its step. */
  gate: (() => Promise<void>) | undefined;
  /** Searches for an earlier post (each one is a conversations.history call on Slack). */
  finds = 0;
  #n = 0;

  async post(target: PostTarget, message: OutboundView, key: string): Promise<MessageRef> {
    if (this.gate) await this.gate();
    const failure = this.failPosts?.(target, message);
    if (failure) throw failure;
    const ref: MessageRef = { platform: 'slack', channelId: target.channelId, messageId: `m${++this.#n}` };
    this.posts.push({ target, message, key, ref });
    return ref;
  }
  async findPost(target: PostTarget, key: string): Promise<MessageRef | null> {
    this.finds += 1;
    return this.posts.find((p) => p.target.channelId === target.channelId && p.key === key)?.ref ?? null;
  }
  async update(ref: MessageRef, message: OutboundView): Promise<void> {
    this.updates.push({ ref, message });
  }
  async openDirectConversation(workspaceId: string, userId: string): Promise<PostTarget> {
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
  close(): Promise<void>;
}

export const T0 = '2026-12-01T00:00:00.000Z';

export async function coreFixture(options: { policies?: EscalationPolicies; stepLeaseMs?: number; storeFile?: string } = {}): Promise<CoreFixture> {
  const store = new SqliteStore(options.storeFile ?? ':memory:');
  const jobs = new RecordingJobs();
  const chat = new RecordingChat();
  const clock = new ManualClock(T0);
  const { log, lines } = recordingLog();
  const directory = new Directory(await loadDirectoryFile('config/members.example.yaml'));
  const deps: CoreDeps = {
    store,
    directory,
    clock,
    chats: { slack: chat },
    jobs,
    log,
    policies: options.policies ?? DEFAULT_POLICIES,
    settings: { stepLeaseMs: options.stepLeaseMs ?? 30_000 },
  };
  return { core: new Core(deps), deps, store, jobs, chat, clock, lines, close: () => store.close() };
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
