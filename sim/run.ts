/**
 * One simulated incident: the whole bot as `npm start` composes it (src/main.ts's startBot: real BullMQ workers on
 * the real Redis under a queue prefix of its own, the embedded SQLite store in a temporary directory, the reconciler)
 * with the emulated platform and the scaled clock injected, one advisory issued to every member through the core,
 * and the simulated people acting on it (sim/world.ts). Afterwards the bot's own record is read back from its store,
 * and the run's Redis keys and directory are deleted.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { ScaledClock } from '../src/clock.js';
import type { Severity } from '../src/domain/classification.js';
import type { Delivery } from '../src/domain/delivery.js';
import type { PhoneTask } from '../src/domain/phone-task.js';
import type { ReachReport } from '../src/domain/reach.js';
import { createLogger } from '../src/log.js';
import { startBot, type RunningBot } from '../src/main.js';
import { openStore } from '../src/store/open-store.js';
import { QUEUE } from '../workflows/queues.js';
import { planPopulation, type SimParams } from './model.js';
import { simPlatform, SimChat } from './platform.js';
import { deleteSimKeys } from './redis-keys.js';
import { SECRETARIAT, staffActor, writeSector } from './sector.js';
import { World, type WorldResult } from './world.js';

export interface RunSettings {
  params: SimParams;
  staff: number;
  policy: Severity;
  /** Clock ms per real ms. */
  scale: number;
  redisUrl: string;
  /** An escalation policy file (as ESCALATION_FILE); default: the built-in policies. */
  escalationFile?: string | undefined;
  concurrency: number;
  /** The run stops at issue + this many clock hours. */
  maxHours: number;
  /** Real time a simulated person waits for the bot before it counts as a problem. */
  waitTimeoutMs: number;
  /** The real time the bot's edits of the status card and the board are throttled to (STATUS_CARD_INTERVAL on the clock). */
  cardIntervalRealMs: number;
  progress?: ((line: string) => void) | undefined;
}

/** What the bot itself recorded, read from its store after the run. */
export interface BotRecord {
  advisoryId: string;
  issuedAt: string;
  ackDeadline: string;
  reminderAt?: string | undefined;
  closed: boolean;
  deliveries: Delivery[];
  tasks: PhoneTask[];
  /** Lines the bot logged at warn and above, counted by message. */
  log: { warn: number; error: number; byMessage: Record<string, number> };
  /** The reach report (疎通確認率) of the run and its chart, as the bot makes them for the secretariat (Core.reachChart). */
  reach?: { report: ReachReport; svg: string } | undefined;
  /** What the bot asked of the emulated platform. */
  platformCalls: SimChat['calls'];
}

export interface RunOutcome {
  settings: Omit<RunSettings, 'progress'>;
  world: WorldResult;
  bot: BotRecord;
  issuedAtMs: number;
  reminderAtMs?: number | undefined;
  phoneAtMs?: number | undefined;
  /** Real seconds the run took, start-up and read-back included. */
  wallSeconds: number;
}

/** A pino destination that counts the bot's warnings and errors, by message. */
function countingLog(): { destination: { write(line: string): void }; record: BotRecord['log'] } {
  const record: BotRecord['log'] = { warn: 0, error: 0, byMessage: {} };
  return {
    record,
    destination: {
      write(line: string) {
        let level = 0;
        let msg = line;
        try {
          const parsed = JSON.parse(line) as { level?: number; msg?: string; err?: { message?: string } | string };
          level = parsed.level ?? 0;
          const err = typeof parsed.err === 'string' ? parsed.err : parsed.err?.message;
          msg = `${parsed.msg ?? ''}${err ? ` (${err})` : ''}`;
        } catch {
          msg = line.trim();
        }
        if (level >= 50) record.error += 1;
        else if (level >= 40) record.warn += 1;
        if (level >= 40) record.byMessage[msg.slice(0, 200)] = (record.byMessage[msg.slice(0, 200)] ?? 0) + 1;
      },
    },
  };
}

/** Waits until no job of the run is waiting or running (delayed ones, due later, may stay), within `timeoutMs`. */
async function settle(redisUrl: string, prefix: string, timeoutMs: number): Promise<boolean> {
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  const queues = Object.values(QUEUE).map((name) => new Queue(name, { connection, prefix }));
  try {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      const counts = await Promise.all(queues.map((q) => q.getJobCounts('active', 'wait', 'prioritized', 'waiting-children')));
      if (counts.every((c) => Object.values(c).every((n) => n === 0))) return true;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return false;
  } finally {
    await Promise.all(queues.map((q) => q.close()));
    connection.disconnect();
  }
}

export async function runSimulation(settings: RunSettings): Promise<RunOutcome> {
  const startedReal = performance.now();
  const { params } = settings;
  const dataDir = await mkdtemp(join(tmpdir(), 'ceptoar-sim-'));
  const prefix = `sim-${randomUUID().slice(0, 8)}`;
  const membersFile = await writeSector(join(dataDir, 'members.yaml'), params.members, params.contacts, settings.staff);
  // 10:00 in Tokyo on a weekday: when the clock starts does not change any figure (all are times after issue).
  const clock = new ScaledClock({ start: '2026-12-01T01:00:00.000Z', rate: settings.scale });
  const chat = new SimChat(clock);
  const { destination, record: logRecord } = countingLog();
  const lockMs = 30_000;
  let bot: RunningBot | undefined;
  try {
    bot = await startBot({
      env: {
        PORT: '0',
        HOST: '127.0.0.1',
        REDIS_URL: settings.redisUrl,
        QUEUE_PREFIX: prefix,
        DATA_DIR: dataDir,
        MEMBERS_FILE: membersFile,
        LOCAL_WORKSPACE: 'off',
        LOG_LEVEL: 'warn',
        LOG_FORMAT: 'json',
        DELIVERY_CONCURRENCY: String(settings.concurrency),
        WORKER_LOCK_MS: String(lockMs),
        // Export links are not used; a secret of the run's own keeps the bot from warning that none is set.
        EXPORT_LINK_SECRET: `sim-${randomUUID()}-${randomUUID()}`,
        ...(settings.escalationFile ? { ESCALATION_FILE: settings.escalationFile } : {}),
      },
      clock,
      log: createLogger('warn', destination),
      platforms: [simPlatform(chat)],
      // Real-time leases and intervals, worth as much real time on the scaled clock: a step's lease still outlasts
      // the job that holds it (BullMQ's lock is WORKER_LOCK_MS of real time), and the board and the status card are
      // edited at most every cardIntervalRealMs of real time, not 60 times as often.
      settings: { stepLeaseMs: clock.fromRealMs(lockMs), statusCardIntervalMs: Math.round(clock.fromRealMs(settings.cardIntervalRealMs)) },
    });
    const issued = await bot.core.issueAdvisory({
      actor: SECRETARIAT,
      requestKey: `sim-${params.seed}-${prefix}`,
      input: {
        title: '模擬インシデント：容量計画シミュレーション / Simulated incident: capacity planning',
        body: 'これは電話当番の人数を決めるためのシミュレーションです。/ A simulation to plan the phone staffing.',
        source: 'nisc',
        tlp: 'TLP:AMBER',
        severity: settings.policy,
        category: 'incident',
        drill: true,
        targets: { allMembers: true, observers: false, groups: [], members: [] },
      },
    });
    const advisory = issued.advisory;
    const issuedAtMs = Date.parse(advisory.issuedAt);
    const policy = advisory.escalation;
    const phoneAtMs = policy.enabled ? Date.parse(advisory.ackDeadline) : undefined;
    const reminderAtMs = policy.enabled && policy.reminderBefore > 0 && phoneAtMs !== undefined ? phoneAtMs - policy.reminderBefore * 1000 : undefined;
    settings.progress?.(`  ${settings.staff} phone staff: ${advisory.id} issued to ${issued.deliveries.length} members (${prefix})`);

    const world = await new World({
      core: bot.core,
      chat,
      clock,
      params,
      plan: planPopulation(params),
      staff: Array.from({ length: settings.staff }, (_, n) => staffActor(n)),
      advisoryId: advisory.id,
      issuedAtMs,
      reminderAtMs,
      phoneAtMs,
      waitTimeoutMs: settings.waitTimeoutMs,
      stopAtMs: issuedAtMs + settings.maxHours * 3_600_000,
      progress: settings.progress,
    }).run();

    // Let the bot finish what the last actions asked of it (the member's copies, the board, the closing).
    if (!(await settle(settings.redisUrl, prefix, 30_000))) world.problems.push('the bot still had jobs waiting 30 s of real time after the run');
    // The chart the secretariat gets with the closing summary, from the bot's record of this run.
    let reach: BotRecord['reach'];
    try {
      const chart = await bot.core.reachChart(advisory.id);
      reach = { report: chart.report, svg: chart.svg };
    } catch (err) {
      world.problems.push(`the reach report could not be made: ${err instanceof Error ? err.message : String(err)}`);
    }
    await bot.close();
    bot = undefined;

    const { store } = await openStore({ dataDir });
    try {
      const stored = await store.getAdvisory(advisory.id);
      const record: BotRecord = {
        advisoryId: advisory.id,
        issuedAt: advisory.issuedAt,
        ackDeadline: advisory.ackDeadline,
        ...(reminderAtMs !== undefined ? { reminderAt: new Date(reminderAtMs).toISOString() } : {}),
        closed: stored?.state === 'closed',
        deliveries: await store.listDeliveries(advisory.id),
        tasks: await store.listPhoneTasks(advisory.id),
        log: logRecord,
        platformCalls: { ...chat.calls },
        reach,
      };
      const { progress: _progress, ...kept } = settings;
      return { settings: kept, world, bot: record, issuedAtMs, reminderAtMs, phoneAtMs, wallSeconds: (performance.now() - startedReal) / 1000 };
    } finally {
      await store.close();
    }
  } finally {
    await bot?.close();
    await deleteSimKeys(settings.redisUrl, prefix);
    await rm(dataDir, { recursive: true, force: true });
  }
}
