import { z } from 'zod';
import { BotError } from './errors.js';

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

const url = (protocols: string[]) =>
  z
    .string()
    .trim()
    .refine((v) => {
      try {
        return protocols.includes(new URL(v).protocol);
      } catch {
        // new URL throws on anything unparsable; that is the answer to "is this a URL".
        return false;
      }
    }, `must be a ${protocols.join(' or ')} URL`);

/** One schema over the environment; every problem is reported at once, by variable name. */
export const ConfigSchema = z
  .object({
    SLACK_BOT_TOKEN: optionalString.pipe(z.string().startsWith('xoxb-', 'must be a bot token (xoxb-…)').optional()),
    SLACK_SIGNING_SECRET: optionalString,
    SLACK_APP_TOKEN: optionalString.pipe(z.string().startsWith('xapp-', 'must be an app-level token (xapp-…)').optional()),
    SLACK_API_URL: optionalString.pipe(url(['http:', 'https:']).optional()),
    /**
     * An egress proxy. Read only to warn at start-up that it is not used (startupWarnings): on Node 20 neither the
     * global fetch (@slack/web-api, Bolt) nor the bot's own kept-alive client (src/lib/keep-alive-json.ts) reads it.
     */
    HTTPS_PROXY: optionalString,
    https_proxy: optionalString,
    /** Microsoft Teams (Bot Framework): the bot's Entra ID app registration. */
    MICROSOFT_APP_ID: optionalString,
    MICROSOFT_APP_PASSWORD: optionalString,
    MICROSOFT_APP_TENANT_ID: optionalString,
    MICROSOFT_APP_TYPE: z.enum(['SingleTenant', 'MultiTenant', 'UserAssignedMSI']).default('SingleTenant'),
    /**
     * Local development only: run the Teams endpoint with no app id, which makes botbuilder skip
     * authentication of incoming activities entirely. Never in production.
     */
    TEAMS_ALLOW_UNAUTHENTICATED: z.enum(['on', 'off']).default('off'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    /** Default: 127.0.0.1 for the local workspace (nobody else should reach it), 0.0.0.0 otherwise. */
    HOST: optionalString,
    /** auto: the local browser workspace starts when neither Slack nor Teams is configured. */
    LOCAL_WORKSPACE: z.enum(['auto', 'on', 'off']).default('auto'),
    REDIS_URL: url(['redis:', 'rediss:']).default('redis://127.0.0.1:6379'),
    QUEUE_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, "_" and "-" only')
      .default('ceptoar'),
    MONGODB_URI: optionalString.pipe(url(['mongodb:', 'mongodb+srv:']).optional()),
    MEMBERS_FILE: z.string().min(1).default('config/members.example.yaml'),
    /** Escalation policies by severity; empty: the built-in defaults. */
    ESCALATION_FILE: optionalString,
    /** What `/advisory drill` fills the form with (checked at start-up; see the example file for its fields). */
    DRILL_TEMPLATE_FILE: optionalString.transform((v) => v ?? 'config/drill-template.example.yaml'),
    DATA_DIR: z.string().min(1).default('data'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** auto: readable lines on a terminal, JSON otherwise. */
    LOG_FORMAT: z.enum(['auto', 'json', 'pretty']).default('auto'),
    /**
     * The pace of every post and edit to one platform (its workspace or tenant), shared by every worker of every
     * process (token buckets in Redis, workflows/redis-pace.ts). Where it starts and the most it creeps back to:
     * a 429 cuts it, so it need not be tuned to the platform's limit by hand.
     */
    DELIVERY_RATE_PER_SECOND: z.coerce.number().int().min(1).max(1000).default(50),
    DELIVERY_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(8),
    /**
     * Ladder steps run in parallel per worker. Higher than the deliveries': a step spends most of its time waiting
     * (its turn of the pace, the platform, the store), and the pace, not the worker count, keeps the platforms'
     * limits; with as few workers as deliveries, 2,000 steps due in one second started over ~1.8 s (docs/BENCHMARKS.md).
     */
    ESCALATION_CONCURRENCY: z.coerce.number().int().min(1).max(200).default(50),
    /**
     * How long a job stays locked to a worker without renewal, and how often stalled jobs are looked
     * for: a worker that dies (kill -9) mid-job has its job picked up again after about this long.
     */
    WORKER_LOCK_MS: z.coerce.number().int().min(1000).max(600_000).default(30_000),
    WORKER_STALLED_CHECK_MS: z.coerce.number().int().min(500).max(600_000).default(30_000),
    /**
     * How often the queue is rebuilt from the store (it also is at start and when Redis comes back):
     * the longest a member waits for work that Redis lost, e.g. after a FLUSHDB.
     */
    RECONCILE_EVERY_MS: z.coerce.number().int().min(200).max(3_600_000).default(30_000),
    /**
     * Tries per job before it gives up (the delivery then fails and goes to the phone step; a ladder
     * step alerts the secretariat), and the first back-off, doubling each time: 10 from 2 s is ~17 min.
     */
    JOB_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(10),
    JOB_BACKOFF_MS: z.coerce.number().int().min(10).max(600_000).default(2_000),
    /**
     * An advisory still open this long after its acknowledgement deadline closes by itself (and never
     * before its escalation ladder has ended): remaining ladders stop and the secretariat gets the summary.
     */
    ADVISORY_CLOSE_AFTER_HOURS: z.coerce.number().min(1).max(24 * 90).default(72),
    /**
     * The secretariat's live status card (the "issued" notice) is edited at most once per this many seconds;
     * changes within one interval become one update. Default 5: well inside Slack's and Teams' limits.
     */
    STATUS_CARD_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(3600).default(5),
    /** Where people reach this bot's HTTP server (e.g. https://ceptoar.example.jp): export links in chats point there. */
    PUBLIC_URL: z.string().url().optional(),
    /** Signs export links; every process of the bot must have the same (at least 32 characters). Unset: a random key per process. */
    EXPORT_LINK_SECRET: z.string().min(32).optional(),
    /** How long an export link works. */
    EXPORT_LINK_TTL_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(15),
    /** TLP:RED texts stay in the archive this many days after issue (0: kept); then `npm run cli -- purge` removes them. */
    RETENTION_RED_DAYS: z.coerce.number().int().min(0).max(36_500).default(90),
    /** Transcripts stay in the archive this many days after issue (0: for ever); then `npm run cli -- purge` deletes them. */
    RETENTION_DAYS: z.coerce.number().int().min(0).max(36_500).default(0),
    /** On SIGTERM/SIGINT, how long running jobs may finish before the process exits anyway. */
    SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(300_000).default(10_000),
  });

export type Config = z.infer<typeof ConfigSchema>;

export class ConfigError extends BotError {
  readonly problems: string[];
  constructor(problems: string[]) {
    super('CONFIG.INVALID', `configuration is not valid:\n${problems.map((p) => `  - ${p}`).join('\n')}`, { problems });
    this.problems = problems;
  }
}

/**
 * Rules across variables, checked on the raw environment so they are reported together with
 * the per-variable problems (zod skips refinements of an object whose fields failed).
 */
function crossProblems(env: Record<string, string | undefined>): string[] {
  const set = (name: string) => Boolean(env[name]?.trim());
  const problems: string[] = [];
  if (set('SLACK_BOT_TOKEN') && !set('SLACK_SIGNING_SECRET') && !set('SLACK_APP_TOKEN')) {
    problems.push('SLACK_SIGNING_SECRET: required with SLACK_BOT_TOKEN (or set SLACK_APP_TOKEN for Socket Mode)');
  }
  if ((set('SLACK_SIGNING_SECRET') || set('SLACK_APP_TOKEN')) && !set('SLACK_BOT_TOKEN')) {
    problems.push('SLACK_BOT_TOKEN: required when Slack is configured');
  }
  const appType = env['MICROSOFT_APP_TYPE']?.trim() || 'SingleTenant';
  if (set('MICROSOFT_APP_ID') && appType !== 'UserAssignedMSI' && !set('MICROSOFT_APP_PASSWORD')) {
    problems.push('MICROSOFT_APP_PASSWORD: required with MICROSOFT_APP_ID (or MICROSOFT_APP_TYPE=UserAssignedMSI)');
  }
  if (set('MICROSOFT_APP_ID') && appType !== 'MultiTenant' && !set('MICROSOFT_APP_TENANT_ID')) {
    problems.push(`MICROSOFT_APP_TENANT_ID: required for a ${appType} app`);
  }
  if (set('MICROSOFT_APP_ID') && env['TEAMS_ALLOW_UNAUTHENTICATED']?.trim() === 'on') {
    problems.push('TEAMS_ALLOW_UNAUTHENTICATED: must be off when MICROSOFT_APP_ID is set');
  }
  return problems;
}

export function loadConfig(env: Record<string, string | undefined>): Config {
  const parsed = ConfigSchema.safeParse(env);
  const problems = [
    ...(parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.') || '(environment)'}: ${i.message}`)),
    ...crossProblems(env),
  ];
  if (problems.length > 0 || !parsed.success) throw new ConfigError(problems);
  return parsed.data;
}

/** Slack is usable when it has a token and a way to receive events. */
export function slackConfigured(c: Config): boolean {
  return Boolean(c.SLACK_BOT_TOKEN && (c.SLACK_SIGNING_SECRET || c.SLACK_APP_TOKEN));
}

/** Teams runs with credentials, or unauthenticated when a developer explicitly asked for it. */
export function teamsConfigured(c: Config): boolean {
  return Boolean(c.MICROSOFT_APP_ID) || c.TEAMS_ALLOW_UNAUTHENTICATED === 'on';
}

/** The local browser workspace plays the directory's channels instead of Slack and Teams. */
export function localWorkspaceMode(c: Config): boolean {
  return c.LOCAL_WORKSPACE === 'on' || (c.LOCAL_WORKSPACE === 'auto' && !slackConfigured(c) && !teamsConfigured(c));
}

export function listenHost(c: Config): string {
  return c.HOST ?? (localWorkspaceMode(c) ? '127.0.0.1' : '0.0.0.0');
}

/**
 * Settings that do not do what they suggest, said once at start-up. Warnings, not refusals: the bot still runs (an
 * egress proxy set for the whole host may be there for other programs while direct egress is open too).
 */
export function startupWarnings(c: Config): string[] {
  const warnings: string[] = [];
  if (!c.EXPORT_LINK_SECRET) warnings.push('EXPORT_LINK_SECRET is not set: export links work only on the process that made them, until it stops');
  if (c.HTTPS_PROXY ?? c.https_proxy) {
    // The proxy's address is not repeated: it may carry a password.
    warnings.push(
      'HTTPS_PROXY is set, but the bot does not use an egress proxy: Slack (Web API, Socket Mode, response URLs) and the posts to Teams connect directly; allow direct HTTPS to them, or nothing is delivered',
    );
  }
  return warnings;
}

/** Names of what is missing to run with Slack, for the start-up message. */
export function missingForSlack(c: Config): string[] {
  const missing: string[] = [];
  if (!c.SLACK_BOT_TOKEN) missing.push('SLACK_BOT_TOKEN');
  if (!c.SLACK_SIGNING_SECRET && !c.SLACK_APP_TOKEN) missing.push('SLACK_SIGNING_SECRET (or SLACK_APP_TOKEN for Socket Mode)');
  return missing;
}
