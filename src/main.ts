/**
 * The composition root: the one file in src/ that wires adapters and workflows to the core.
 * `npm start` runs it; tests call startBot() with their own environment and clock.
 */
import { ephemeralSecret } from './commands/export-link.js';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import { pathToFileURL } from 'node:url';
import type { Redis } from 'ioredis';
import { createHttpApp } from '../adapters/http/http-app.js';
import { mountExportRoute } from '../adapters/http/export-route.js';
import { BullmqJobs } from '../workflows/bullmq-jobs.js';
import { startWorkers, type Workers } from '../workflows/workers.js';
import { startReconciler } from '../workflows/reconciler.js';
import { connectRedis, describeRedisUrl, producerOptions, RedisHealth, redisRisks, workerOptions } from '../workflows/redis-health.js';
import { RedisPace } from '../workflows/redis-pace.js';
import { cachedCheck, Readiness } from './readiness.js';
import { systemClock, type Clock } from './clock.js';
import { listenHost, loadConfig, localWorkspaceMode, missingForSlack, slackConfigured, startupWarnings, teamsConfigured, type Config } from './config.js';
import { Core } from './core.js';
import { loadDirectoryFile } from './directory/load.js';
import { Directory } from './directory/directory.js';
import { createLocalWorkspace } from '../adapters/local/local-workspace.js';
import { loadPolicies } from './policy/load-policies.js';
import { loadCheckedDrillTemplate } from './policy/load-drill-template.js';
import { BotError, isBotError } from './errors.js';
import { createLogger, prettyDestination, type Logger } from './log.js';
import type { ChatPorts } from './ports/chat.js';
import type { Pace } from './ports/pace.js';
import type { PlatformAdapter } from './ports/platform-adapter.js';
import { conversationStoreOf } from './store/conversation-store.js';
import { openStore } from './store/open-store.js';
import { PacedChat } from './pace/paced-chat.js';
import { childProcessCharts } from './view/chart-apart.js';
import type { ChartDrawer } from './view/chart-drawer.js';

const DEMO_ESCALATION_FILE = 'config/escalation.demo.yaml';

function localDemoNote(demo: boolean): string {
  return demo ? '; short demo escalation timings / デモ用の短いエスカレーション' : '';
}

export interface BotOptions {
  env: Record<string, string | undefined>;
  clock?: Clock;
  log?: Logger;
  /** Aborts a start-up that is still waiting (for Redis): SIGTERM during start-up. */
  signal?: AbortSignal;
  /** The shared pace of calls to the platforms; default: token buckets in Redis (workflows/redis-pace.ts). */
  pace?: Pace;
  /**
   * The chat platforms, built by the caller: used instead of those the environment configures (Slack, Teams, the
   * local workspace). The capacity simulator (sim/) passes its emulated platforms here.
   */
  platforms?: PlatformAdapter[];
  /**
   * The core's leases and intervals, measured on the clock, instead of those from the environment (WORKER_LOCK_MS,
   * STATUS_CARD_INTERVAL_SECONDS, which are real time). With a clock that runs faster than real time (sim/'s
   * ScaledClock) the caller scales them, so a step's lease still outlasts the job that holds it.
   */
  settings?: { stepLeaseMs?: number; statusCardIntervalMs?: number };
  /** Who draws the reach chart; default: a child process per drawing (view/chart-apart.ts). */
  charts?: ChartDrawer;
}

export interface RunningBot {
  config: Config;
  core: Core;
  /** Where the HTTP server listens, e.g. http://127.0.0.1:3000 */
  url: string;
  /** Reconcile the queue with the store now (it also runs periodically and when Redis comes back). */
  reconcile(): Promise<void>;
  close(): Promise<void>;
}

/** How long one shutdown step (closing a queue, a connection, the store) may take beyond the jobs' grace. */
const CLOSE_STEP_MS = 3_000;

/** Quit politely when Redis answers; otherwise just drop the connection (a quit would wait for it). */
function closeRedis(redis: Redis): Promise<unknown> {
  if (redis.status !== 'ready') {
    redis.disconnect();
    return Promise.resolve();
  }
  return redis.quit().catch(() => redis.disconnect());
}

/** A platform's credentials are checked again this often while they fail. */
const CREDENTIAL_RECHECK_MS = 60_000;

export async function startBot(options: BotOptions): Promise<RunningBot> {
  const config = loadConfig(options.env);
  const pretty = config.LOG_FORMAT === 'pretty' || (config.LOG_FORMAT === 'auto' && process.stdout.isTTY === true);
  const log = options.log ?? createLogger(config.LOG_LEVEL, pretty ? prettyDestination() : undefined);
  const clock = options.clock ?? systemClock;

  const injected = options.platforms;
  const localMode = !injected && localWorkspaceMode(config);
  if (!injected && !slackConfigured(config) && !teamsConfigured(config) && !localMode) {
    throw new BotError(
      'CONFIG.INVALID',
      `no chat platform is configured. For Slack set ${missingForSlack(config).join(' and ')}; ` +
        'for Microsoft Teams set MICROSOFT_APP_ID, MICROSOFT_APP_PASSWORD and MICROSOFT_APP_TENANT_ID; ' +
        'or set LOCAL_WORKSPACE=auto for the local browser workspace (see .env.example and README.md).',
    );
  }
  const directoryFile = await loadDirectoryFile(config.MEMBERS_FILE);
  // Checked before anything is opened: a template with mistakes stops the start with every problem listed.
  const drillTemplate = await loadCheckedDrillTemplate(config.DRILL_TEMPLATE_FILE, {
    groups: new Set(directoryFile.groups.map((g) => g.id)),
    organisations: new Set(directoryFile.organisations.map((o) => o.id)),
  });
  // The local workspace plays the directory's sector in the browser: its own channels and people.
  const local = localMode
    ? createLocalWorkspace({ file: directoryFile, dataDir: config.DATA_DIR, log, clock, demoTimings: !config.ESCALATION_FILE })
    : undefined;
  const directory = new Directory(local ? local.directoryFile : directoryFile);
  const policies = await loadPolicies(config.ESCALATION_FILE ?? (local ? DEMO_ESCALATION_FILE : undefined));
  const closers: (() => Promise<unknown>)[] = [];
  // Each step of the shutdown is bounded: a Redis or store that is down must not keep the process
  // from exiting (the workers' own grace period is SHUTDOWN_GRACE_MS, inside their closer).
  const closeAll = async () => {
    for (const c of closers.reverse()) {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<'late'>((resolve) => {
        timer = setTimeout(() => resolve('late'), config.SHUTDOWN_GRACE_MS + CLOSE_STEP_MS);
      });
      try {
        if ((await Promise.race([c(), late])) === 'late') log.warn({ closer: c.name || 'anonymous' }, 'a shutdown step did not finish in time; going on');
      } catch (err) {
        log.warn({ err }, 'error while shutting down');
      } finally {
        clearTimeout(timer);
      }
    }
  };
  try {
    const { store, kind, where, warnings } = await openStore({ mongodbUri: config.MONGODB_URI, dataDir: config.DATA_DIR });
    closers.push(() => store.close());
    log.info({ store: kind, where }, 'store open');
    for (const warning of warnings) log.warn({ store: kind, where }, warning);

    // Start-up waits here until Redis answers: nothing says ready before it does.
    const redisWhere = describeRedisUrl(config.REDIS_URL);
    const health = new RedisHealth(log, redisWhere);
    const producer = await connectRedis(config.REDIS_URL, producerOptions(), health, log, options.signal);
    closers.push(() => closeRedis(producer));
    const workerConnection = await connectRedis(config.REDIS_URL, workerOptions(), undefined, log, options.signal);
    workerConnection.on('error', (err: Error) => health.noteError(err, 'worker connection'));
    closers.push(() => closeRedis(workerConnection));
    // Runs before the connections close (closers run in reverse): closing them is not an outage.
    closers.push(async () => health.close());
    for (const risk of await redisRisks(producer)) log.warn({ redis: redisWhere }, risk);
    const jobs = new BullmqJobs(producer, config.QUEUE_PREFIX, clock, log, health, { attempts: config.JOB_ATTEMPTS, backoffMs: config.JOB_BACKOFF_MS });
    closers.push(() => jobs.close());

    const readiness = new Readiness();
    readiness.add('redis', async () => {
      if (!health.up) return { ok: false, detail: health.lastError ?? 'unreachable' };
      await producer.ping();
      return { ok: true };
    });
    readiness.add('store', async () => {
      await store.ping();
      return { ok: true, detail: kind };
    });
    const http = createHttpApp(() => readiness.report());

    // Every platform is one object: its chat port now, its endpoints once the core exists.
    const platforms: PlatformAdapter[] = [];
    if (local) platforms.push(local);
    if (injected) platforms.push(...injected);
    if (!injected && slackConfigured(config)) {
      // Each platform's libraries are loaded only when it is configured (see Teams below).
      const { slackPlatform } = await import('../adapters/slack/slack-platform.js');
      platforms.push(
        slackPlatform({
          botToken: config.SLACK_BOT_TOKEN as string,
          signingSecret: config.SLACK_SIGNING_SECRET,
          appToken: config.SLACK_APP_TOKEN,
          apiUrl: config.SLACK_API_URL,
          log,
        }),
      );
    }
    if (!injected && teamsConfigured(config)) {
      // Loaded only when configured: botbuilder and the Teams AI library are about 100 MB a Slack-only bot never uses.
      const { teamsPlatform } = await import('../adapters/teams/teams-platform.js');
      platforms.push(
        teamsPlatform({
          appId: config.MICROSOFT_APP_ID,
          password: config.MICROSOFT_APP_PASSWORD,
          tenantId: config.MICROSOFT_APP_TENANT_ID,
          appType: config.MICROSOFT_APP_TYPE,
          allowUnauthenticated: config.TEAMS_ALLOW_UNAUTHENTICATED === 'on',
          conversations: conversationStoreOf(store, 'teams', clock),
          log,
        }),
      );
    }
    // Stopped after the workers and the HTTP server (closers run in reverse): jobs may still post.
    for (const p of platforms) closers.push(() => p.stop());
    // Every post, edit and search the core makes takes its turn from one pace per platform, shared through Redis.
    const pace = options.pace ?? new RedisPace(producer, { prefix: config.QUEUE_PREFIX, ratePerSecond: config.DELIVERY_RATE_PER_SECOND });
    const chats: ChatPorts = Object.fromEntries(platforms.map((p) => [p.platform, new PacedChat(p.chat, { pace })]));
    // Credentials are checked at start (and again while they fail): a bad token is said at once, and
    // /readyz answers 503 with the platform's reason. Not awaited: an identity provider that is slow to
    // answer must not hold up start-up; until the first answer /readyz says "not checked yet".
    for (const p of platforms) {
      const check = cachedCheck(() => p.chat.checkCredentials(), CREDENTIAL_RECHECK_MS);
      readiness.add(`${p.platform}.credentials`, check);
      void check.refresh().then((first) => {
        if (!first.ok) log.error({ platform: p.platform, reason: first.detail }, 'chat platform credentials do not work; /readyz answers 503 until they do');
      });
    }

    for (const warning of startupWarnings(config)) log.warn(warning);
    const exportLinks = { secret: config.EXPORT_LINK_SECRET ?? ephemeralSecret(), ttlMs: config.EXPORT_LINK_TTL_MINUTES * 60_000, baseUrl: config.PUBLIC_URL };
    const core = new Core({ store, directory, clock, chats, jobs, log, policies, drillTemplate, charts: options.charts ?? childProcessCharts(), settings: { stepLeaseMs: options.settings?.stepLeaseMs ?? config.WORKER_LOCK_MS, closeAfterDeadlineSeconds: config.ADVISORY_CLOSE_AFTER_HOURS * 3600, exportLinks, statusCardIntervalMs: options.settings?.statusCardIntervalMs ?? config.STATUS_CARD_INTERVAL_SECONDS * 1000 } });
    for (const p of platforms) p.mount(http.app, core);
    mountExportRoute(http.app, core, log);
    const workers: Workers = startWorkers(
      core,
      workerConnection,
      {
        prefix: config.QUEUE_PREFIX,
        concurrency: config.DELIVERY_CONCURRENCY,
        escalationConcurrency: config.ESCALATION_CONCURRENCY,
        lockDuration: config.WORKER_LOCK_MS,
        stalledInterval: config.WORKER_STALLED_CHECK_MS,
        shutdownGraceMs: config.SHUTDOWN_GRACE_MS,
      },
      log,
      health,
    );
    closers.push(() => workers.close());

    for (const p of platforms) await p.start();

    // Whatever the store owes that Redis does not hold (a Redis that lost its data, a process that
    // stopped between storing and queuing) is queued before the bot says it is listening.
    const reconciler = startReconciler(core, health, config.RECONCILE_EVERY_MS, log);
    closers.push(() => reconciler.close());
    await reconciler.run();

    const server: Server = http.app.listen(config.PORT, listenHost(config));
    await once(server, 'listening');
    closers.push(
      () =>
        new Promise<void>((resolve) => {
          // Stop accepting first; idle keep-alive connections go at once, requests in flight finish.
          server.close(() => resolve());
          server.closeIdleConnections();
        }),
    );
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.PORT;
    const host = listenHost(config) === '0.0.0.0' ? '127.0.0.1' : listenHost(config);
    const url = `http://${host}:${port}`;
    log.info({ url, members: directory.organisations().length, sector: directory.sector.id }, 'ceptoar-bot listening');
    if (local) {
      log.info({ url: `${url}/`, bound: listenHost(config) }, 'local workspace ready');
      // Said plainly on the terminal too: this is what a newcomer running `npm start` looks for.
      process.stdout.write(
        `\nローカルワークスペース / Local workspace: ${url}/\n` +
          `(listening on ${listenHost(config)} only${localDemoNote(!config.ESCALATION_FILE)})\n\n`,
      );
    }
    let closing: Promise<void> | undefined;
    return { config, core, url, reconcile: () => reconciler.run(), close: () => (closing ??= closeAll()) };
  } catch (err) {
    await closeAll();
    throw err;
  }
}

/**
 * `npm start`: runs until SIGTERM or SIGINT, then stops accepting requests, lets running jobs
 * finish (SHUTDOWN_GRACE_MS), closes Redis and the store and exits 0. A second signal exits at once.
 */
async function run(): Promise<void> {
  // A .env file beside package.json is read when present; real environment variables win.
  if (existsSync('.env')) process.loadEnvFile('.env');
  const abort = new AbortController();
  let bot: RunningBot | undefined;
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) {
      process.stderr.write(`${signal} again: exiting now\n`);
      process.exit(1);
    }
    stopping = true;
    process.stderr.write(`\n${signal}: shutting down…\n`);
    abort.abort();
    try {
      await bot?.close();
      process.exit(0);
    } catch (err) {
      process.stderr.write(`shutdown failed: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    }
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  try {
    bot = await startBot({ env: process.env, signal: abort.signal });
  } catch (err) {
    // Stopped while starting (waiting for Redis): stop() exits.
    if (abort.signal.aborted) return;
    // One clear message, not a stack trace: this is what an operator sees at start-up.
    const message = isBotError(err) ? err.message : err instanceof Error ? (err.stack ?? err.message) : String(err);
    process.stderr.write(`ceptoar-bot cannot start:\n${message}\n`);
    process.exit(1);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  void run();
}
