/**
 * The composition root: the one file in src/ that wires adapters and workflows to the core.
 * `npm start` runs it; tests call startBot() with their own environment and clock.
 */
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import { pathToFileURL } from 'node:url';
import { Redis } from 'ioredis';
import { createHttpApp } from '../adapters/http/http-app.js';
import { createSlackApp } from '../adapters/slack/slack-app.js';
import { renderMessage } from '../adapters/slack/slack-blocks.js';
import { SlackChat, createSlackWebClient } from '../adapters/slack/slack-chat.js';
import { createTeamsAdapter, mountTeamsApp } from '../adapters/teams/teams-app.js';
import { renderTeamsMessage } from '../adapters/teams/teams-cards.js';
import { TeamsChat } from '../adapters/teams/teams-chat.js';
import { BullmqJobs } from '../workflows/bullmq-jobs.js';
import { startWorkers, type Workers } from '../workflows/workers.js';
import { systemClock, type Clock } from './clock.js';
import { listenHost, loadConfig, localWorkspaceMode, missingForSlack, slackConfigured, teamsConfigured, type Config } from './config.js';
import { Core } from './core.js';
import { loadDirectoryFile } from './directory/load.js';
import { Directory } from './directory/directory.js';
import { createLocalWorkspace } from '../adapters/local/local-workspace.js';
import { loadPolicies } from './policy/load-policies.js';
import { BotError, isBotError } from './errors.js';
import { createLogger, prettyDestination, type Logger } from './log.js';
import type { ChatPorts } from './ports/chat.js';
import { openStore } from './store/open-store.js';

const DEMO_ESCALATION_FILE = 'config/escalation.demo.yaml';

function localDemoNote(demo: boolean): string {
  return demo ? '; short demo escalation timings / デモ用の短いエスカレーション' : '';
}

export interface BotOptions {
  env: Record<string, string | undefined>;
  clock?: Clock;
  log?: Logger;
}

export interface RunningBot {
  config: Config;
  core: Core;
  /** Where the HTTP server listens, e.g. http://127.0.0.1:3000 */
  url: string;
  close(): Promise<void>;
}

export async function startBot(options: BotOptions): Promise<RunningBot> {
  const config = loadConfig(options.env);
  const pretty = config.LOG_FORMAT === 'pretty' || (config.LOG_FORMAT === 'auto' && process.stdout.isTTY === true);
  const log = options.log ?? createLogger(config.LOG_LEVEL, pretty ? prettyDestination() : undefined);
  const clock = options.clock ?? systemClock;

  const localMode = localWorkspaceMode(config);
  if (!slackConfigured(config) && !teamsConfigured(config) && !localMode) {
    throw new BotError(
      'CONFIG.INVALID',
      `no chat platform is configured. For Slack set ${missingForSlack(config).join(' and ')}; ` +
        'for Microsoft Teams set MICROSOFT_APP_ID, MICROSOFT_APP_PASSWORD and MICROSOFT_APP_TENANT_ID; ' +
        'or set LOCAL_WORKSPACE=auto for the local browser workspace (see .env.example and README.md).',
    );
  }
  const directoryFile = await loadDirectoryFile(config.MEMBERS_FILE);
  // The local workspace plays the directory's sector in the browser: its own channels and people.
  const local = localMode
    ? createLocalWorkspace({ file: directoryFile, dataDir: config.DATA_DIR, log, clock, demoTimings: !config.ESCALATION_FILE })
    : undefined;
  const directory = new Directory(local ? local.directoryFile : directoryFile);
  const policies = await loadPolicies(config.ESCALATION_FILE ?? (local ? DEMO_ESCALATION_FILE : undefined));
  const closers: (() => Promise<unknown>)[] = [];
  const closeAll = async () => {
    for (const c of closers.reverse()) await c();
  };
  try {
    const { store, kind, where } = await openStore({ mongodbUri: config.MONGODB_URI, dataDir: config.DATA_DIR });
    closers.push(() => store.close());
    log.info({ store: kind, where }, 'store open');

    // BullMQ workers block on Redis; they need maxRetriesPerRequest: null.
    const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: null, lazyConnect: false });
    closers.push(() => redis.quit());
    const jobs = new BullmqJobs(redis, config.QUEUE_PREFIX, clock);
    closers.push(() => jobs.close());

    const http = createHttpApp();
    const chats: ChatPorts = {};
    if (local) {
      chats.local = local.chat;
      closers.push(async () => local.close());
    }
    if (slackConfigured(config)) {
      chats.slack = new SlackChat({
        client: createSlackWebClient({ token: config.SLACK_BOT_TOKEN as string, slackApiUrl: config.SLACK_API_URL }),
        render: renderMessage,
      });
    }
    const teams = teamsConfigured(config)
      ? createTeamsAdapter({
          appId: config.MICROSOFT_APP_ID,
          password: config.MICROSOFT_APP_PASSWORD,
          tenantId: config.MICROSOFT_APP_TENANT_ID,
          appType: config.MICROSOFT_APP_TYPE,
          allowUnauthenticated: config.TEAMS_ALLOW_UNAUTHENTICATED === 'on',
          log,
        })
      : undefined;
    if (teams) {
      chats.teams = new TeamsChat({
        adapter: teams.adapter,
        appId: teams.appId,
        // Looked up through the core (built just below) when a post is made, never before.
        lookup: {
          conversation: (id) => core.findConversation('teams', id),
          tenant: (tenantId) => core.conversationInTenant('teams', tenantId),
        },
        render: renderTeamsMessage,
      });
    }

    const core = new Core({ store, directory, clock, chats, jobs, log, policies });
    if (teams) mountTeamsApp({ ...teams, http: http.app, core, log });
    if (local) local.mount(http.app, core);
    const workers: Workers = startWorkers(
      core,
      redis,
      {
        prefix: config.QUEUE_PREFIX,
        ratePerSecond: config.DELIVERY_RATE_PER_SECOND,
        concurrency: config.DELIVERY_CONCURRENCY,
        lockDuration: config.WORKER_LOCK_MS,
        stalledInterval: config.WORKER_STALLED_CHECK_MS,
      },
      log,
    );
    closers.push(() => workers.close());

    if (slackConfigured(config)) {
      const slack = createSlackApp({
        botToken: config.SLACK_BOT_TOKEN as string,
        signingSecret: config.SLACK_SIGNING_SECRET,
        appToken: config.SLACK_APP_TOKEN,
        apiUrl: config.SLACK_API_URL,
        http: http.app,
        core,
        log,
      });
      await slack.start();
      closers.push(() => slack.stop());
    }

    const server: Server = http.app.listen(config.PORT, listenHost(config));
    await once(server, 'listening');
    closers.push(
      () =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
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
    return { config, core, url, close: closeAll };
  } catch (err) {
    await closeAll();
    throw err;
  }
}

async function run(): Promise<void> {
  // A .env file beside package.json is read when present; real environment variables win.
  if (existsSync('.env')) process.loadEnvFile('.env');
  try {
    const bot = await startBot({ env: process.env });
    const stop = async (signal: string) => {
      process.stderr.write(`\n${signal}: shutting down…\n`);
      await bot.close();
      process.exit(0);
    };
    process.once('SIGINT', () => void stop('SIGINT'));
    process.once('SIGTERM', () => void stop('SIGTERM'));
  } catch (err) {
    // One clear message, not a stack trace: this is what an operator sees at start-up.
    const message = isBotError(err) ? err.message : err instanceof Error ? (err.stack ?? err.message) : String(err);
    process.stderr.write(`ceptoar-bot cannot start:\n${message}\n`);
    process.exit(1);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  void run();
}
