/**
 * Starts the whole bot as production does (src/main.ts's startBot: real Bolt HTTP endpoint, real
 * BullMQ workers on a real Redis, the embedded store) against a fake Slack Web API on loopback.
 * Each harness has its own queue prefix and data directory, so test files never share state.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBot, type RunningBot } from '../../src/main.js';
import { createLogger, type Logger } from '../../src/log.js';
import type { Clock } from '../../src/clock.js';
import type { Pace, PacedCall } from '../../src/ports/pace.js';
import { RedisPace } from '../../workflows/redis-pace.js';
import { startFakeSlack, type FakeSlack, type StartFakeSlackOptions } from './fake-slack.js';
import { SlackSender } from './slack-requests.js';
import { startFakeConnector, type FakeConnector } from './fake-bot-connector.js';
import { writeMixedDirectory } from './mixed-directory.js';
import { TeamsSender } from './teams-activities.js';
import { deleteQueueKeys } from './queue-keys.js';

export const SIGNING_SECRET = 'test-signing-secret-0123456789abcdef';
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface Harness {
  fake: FakeSlack;
  bot: RunningBot;
  slack: SlackSender;
  prefix: string;
  dataDir: string;
  /** With `teams: true`: the fake Bot Connector and a sender of Teams activities. */
  connector?: FakeConnector;
  teams?: TeamsSender;
  /** Stop the bot and start it again on the same data, Redis prefix and fakes (a process restart). */
  restart(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The real pace (token buckets in Redis, on the harness's own connection) without the platforms' per-conversation
 * limits, which the fakes do not enforce either unless told: a ladder test sends dozens of messages into one channel
 * (17 phone tasks and their raises into the on-call channel take half a minute at Slack's one a second there). The
 * workspace's pace still applies. A test of the pace itself asks for the bot's own (`conversationLimits: true`), as
 * the bench and its smoke test do (the bot as a process).
 */
function paceWithoutConversationLimits(redis: Redis, prefix: string, ratePerSecond: number): Pace {
  const inner = new RedisPace(redis, { prefix, ratePerSecond });
  const strip = (call: PacedCall): PacedCall => ({ ...call, limits: { ...call.limits, conversation: 'unlimited' } });
  return { take: (call) => inner.take(strip(call)), throttled: (call, retryAfterMs) => inner.throttled(strip(call), retryAfterMs) };
}

export async function startHarness(
  options: { env?: Record<string, string>; clock?: Clock; teams?: boolean; log?: Logger; conversationLimits?: boolean; fakeSlack?: StartFakeSlackOptions } = {},
): Promise<Harness> {
  const fake = await startFakeSlack(options.fakeSlack);
  const dataDir = await mkdtemp(join(tmpdir(), 'ceptoar-test-'));
  const prefix = `t-${randomUUID().slice(0, 8)}`;
  const connector = options.teams ? await startFakeConnector() : undefined;
  const teamsEnv: Record<string, string> = options.teams
    ? { TEAMS_ALLOW_UNAUTHENTICATED: 'on', MEMBERS_FILE: await writeMixedDirectory(join(dataDir, 'members.mixed.yaml')) }
    : {};
  const env = {
    SLACK_BOT_TOKEN: 'xoxb-test-token',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: fake.url,
    PORT: '0',
    HOST: '127.0.0.1',
    REDIS_URL,
    QUEUE_PREFIX: prefix,
    DATA_DIR: dataDir,
    MEMBERS_FILE: 'config/members.example.yaml',
    DELIVERY_RATE_PER_SECOND: '50',
    ...teamsEnv,
    ...options.env,
  };
  const paceRedis = options.conversationLimits === true ? undefined : new Redis(REDIS_URL);
  const pace = paceRedis ? paceWithoutConversationLimits(paceRedis, prefix, Number(env.DELIVERY_RATE_PER_SECOND)) : undefined;
  const start = () =>
    startBot({
      env,
      ...(pace ? { pace } : {}),
      log: options.log ?? createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'),
      ...(options.clock ? { clock: options.clock } : {}),
    });
  const bot = await start();
  const harness: Harness = {
    fake,
    bot,
    slack: new SlackSender(`${bot.url}/slack/events`, SIGNING_SECRET),
    prefix,
    dataDir,
    ...(connector ? { connector, teams: new TeamsSender(`${bot.url}/api/messages`, connector.serviceUrl) } : {}),
    async restart() {
      await harness.bot.close();
      harness.bot = await start();
      harness.slack = new SlackSender(`${harness.bot.url}/slack/events`, SIGNING_SECRET);
      if (connector) harness.teams = new TeamsSender(`${harness.bot.url}/api/messages`, connector.serviceUrl);
    },
    async close() {
      await harness.bot.close();
      await fake.close();
      await connector?.close();
      paceRedis?.disconnect();
      await rm(dataDir, { recursive: true, force: true });
      await deleteQueueKeys(options.env?.['REDIS_URL'] ?? REDIS_URL, prefix);
    },
  };
  return harness;
}
