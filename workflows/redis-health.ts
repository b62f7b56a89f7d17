import { EventEmitter } from 'node:events';
import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from '../src/log.js';

/** Redis URL without user name or password, for the log. */
export function describeRedisUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname === '/' ? '' : u.pathname}`;
  } catch {
    return '(unparsable REDIS_URL)';
  }
}

/**
 * Whether Redis can be reached, as one connection sees it. Every Redis connection of the process
 * (our own, BullMQ's queues and workers) reports its errors here instead of printing them: an outage
 * is logged once when it starts and once when it ends, through pino, however many connections fail.
 * 'recovered' fires when it ends, so the reconciler can re-queue what a Redis that lost its data lost.
 */
export class RedisHealth extends EventEmitter<{ down: []; recovered: [downMs: number] }> {
  #up = false;
  #downSince: number | undefined;
  #lastError: string | undefined;
  #closing = false;

  constructor(
    private readonly log: Logger,
    private readonly where: string,
  ) {
    super();
  }

  get up(): boolean {
    return this.#up;
  }

  /** The reason the last outage gave, for /readyz. */
  get lastError(): string | undefined {
    return this.#lastError;
  }

  /** Watch the connection that decides up and down (the one the bot queues work through). */
  watch(redis: Redis): void {
    if (redis.status === 'ready') this.#up = true;
    redis.on('ready', () => this.markUp());
    redis.on('close', () => this.markDown('connection closed'));
    redis.on('error', (err: Error) => this.noteError(err));
  }

  /** An error from any other connection (BullMQ's own): only a hint; logged when Redis looks up. */
  noteError(err: Error, source?: string): void {
    if (this.#closing) return;
    this.#lastError = err.message;
    if (this.#up && !isConnectionError(err)) {
      this.log.error({ redis: this.where, source, err: err.message }, 'Redis error');
      return;
    }
    this.markDown(err.message);
  }

  /** Shutting down: connections closing now are not an outage. */
  close(): void {
    this.#closing = true;
  }

  private markDown(reason: string): void {
    if (this.#closing) return;
    this.#lastError = reason;
    if (!this.#up && this.#downSince !== undefined) return;
    this.#up = false;
    this.#downSince = Date.now();
    this.log.error(
      { redis: this.where, reason },
      'Redis に接続できません。記録済みの内容は失われず、復旧後に処理を再開します / Redis is unreachable: work is kept in the store and resumes when it is back',
    );
    this.emit('down');
  }

  private markUp(): void {
    if (this.#up) return;
    this.#up = true;
    const since = this.#downSince;
    this.#downSince = undefined;
    this.#lastError = undefined;
    if (since === undefined) return;
    const downMs = Date.now() - since;
    this.log.info({ redis: this.where, downMs }, 'Redis に再接続しました / Redis is reachable again');
    this.emit('recovered', downMs);
  }
}

const CONNECTION_ERRORS = /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|EPIPE|Connection is closed|Stream isn't writeable|enableOfflineQueue|MaxRetriesPerRequest|Reached the max retries|LOADING/i;

export function isConnectionError(err: Error): boolean {
  return CONNECTION_ERRORS.test(err.message) || CONNECTION_ERRORS.test((err as { code?: string }).code ?? '');
}

/** Reconnect quickly at first, then every 2 s: an outage ends for the bot within 2 s of Redis coming back. */
const retryStrategy = (times: number) => Math.min(times * 200, 2_000);

/**
 * The connection the bot queues work through. It fails fast while Redis is away (no offline queue,
 * one try per command), so a person issuing or acknowledging gets an answer within Slack's 3 s;
 * what they did is in the store and the reconciler queues it when Redis is back.
 */
export function producerOptions(): RedisOptions {
  return { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2_000, retryStrategy, lazyConnect: true };
}

/** BullMQ workers block on their connection and need it to wait through an outage. */
export function workerOptions(): RedisOptions {
  return { maxRetriesPerRequest: null, connectTimeout: 2_000, retryStrategy, lazyConnect: true };
}

/**
 * Connect, waiting for Redis as long as it takes (or until `signal` aborts). One clear line says
 * the bot is waiting; nothing says ready before Redis answers.
 */
export async function connectRedis(url: string, options: RedisOptions, health: RedisHealth | undefined, log: Logger, signal?: AbortSignal): Promise<Redis> {
  const redis = new Redis(url, options);
  // Until the health monitor watches it, errors are expected (Redis not up yet) and said once below.
  const quiet = () => undefined;
  redis.on('error', quiet);
  const waiting = setTimeout(() => {
    log.warn(
      { redis: describeRedisUrl(url) },
      'Redis を待っています。接続でき次第、起動を続けます / Waiting for Redis; start-up continues as soon as it answers',
    );
  }, 1_000);
  try {
    redis.connect().catch(quiet);
    // Not events.once: it rejects on the first 'error', and a Redis that is not up yet errors on every try.
    if (redis.status !== 'ready') await readyOrAborted(redis, signal);
  } catch (err) {
    redis.disconnect();
    throw err;
  } finally {
    clearTimeout(waiting);
    redis.off('error', quiet);
  }
  if (health) health.watch(redis);
  else redis.on('error', (err: Error) => log.debug({ err: err.message }, 'redis connection error'));
  return redis;
}

function readyOrAborted(redis: Redis, signal: AbortSignal | undefined): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => {
      redis.off('ready', onReady);
      reject(signal?.reason ?? new Error('aborted'));
    };
    const onReady = () => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    };
    if (signal?.aborted) return onAbort();
    redis.once('ready', onReady);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * What this Redis's settings risk for queued work, said once at start. Jobs are rebuilt from the
 * store, so neither is fatal; but an evicted or lost delayed job is a ladder step that runs late
 * (at the next reconciliation) instead of on time.
 */
export async function redisRisks(redis: Redis): Promise<string[]> {
  const risks: string[] = [];
  const memory = await redis.info('memory');
  const policy = /maxmemory_policy:(\S+)/.exec(memory)?.[1];
  if (policy && policy !== 'noeviction') {
    risks.push(
      `maxmemory-policy は ${policy} です。メモリ不足時にキューのジョブが削除され、エスカレーションが次の照合（最大 RECONCILE_EVERY_MS）まで遅れます。noeviction にしてください / ` +
        `maxmemory-policy is ${policy}: under memory pressure Redis may evict queued jobs, and a ladder step then runs late (at the next reconciliation). Set it to noeviction.`,
    );
  }
  try {
    const save = (await redis.config('GET', 'save')) as string[];
    const aof = (await redis.config('GET', 'appendonly')) as string[];
    if ((save[1] ?? '') === '' && (aof[1] ?? 'no') === 'no') {
      risks.push(
        'Redis は何も永続化していません（save "" かつ appendonly no）。再起動でキューが空になり、再作成まで配信・エスカレーションが遅れます。appendonly yes / appendfsync everysec を推奨します / ' +
          'Redis persists nothing (save "" and appendonly no): a restart empties the queue, and deliveries and ladder steps wait until the reconciler rebuilds them. Use appendonly yes with appendfsync everysec.',
      );
    }
  } catch {
    // Managed Redis often disables CONFIG: say so rather than guess.
    risks.push('Redis の永続化設定を読めませんでした（CONFIG が無効）。AOF が有効か確認してください / Could not read Redis persistence settings (CONFIG is disabled): check that AOF is on.');
  }
  return risks;
}
