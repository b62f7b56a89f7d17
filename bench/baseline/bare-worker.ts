/**
 * The bare baseline: what the bot's dependencies allow on this machine, run beside the bot in every
 * scenario so that a figure can be given as "bot ÷ baseline" (absolute times on a shared 2-core
 * machine are noise). One BullMQ queue and worker with the bot's concurrency and limiter; each job
 * makes ONE HTTP call to the same fake Slack or Bot Connector and ONE SQLite insert (WAL, committed as durably
 * as the bot's store commits: fsynced before it returns). A press is verified (Slack's HMAC), stored with one
 * insert and queued; its job updates the message. A 429 delays only that job, for Retry-After, as the bot's
 * design asks.
 *
 * Its own OS process, started like the bot (startBotProcess with this script), so that the fakes in
 * the bench process serve both the same way and /proc measures it alone. Environment:
 *   REDIS_URL QUEUE_PREFIX DB_FILE SLACK_API_URL TEAMS_SERVICE_URL SIGNING_SECRET CONCURRENCY RATE PORT HOST
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { Agent, createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { text } from 'node:stream/consumers';
import { DelayedError, Queue, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { DURABLE_COMMITS, openSqliteFile } from '../../src/lib/sqlite-file.js';
import type { BareJob } from './bare-jobs.js';

const env = (name: string): string => {
  const v = process.env[name];
  if (v === undefined || v === '') throw new Error(`${name} is required`);
  return v;
};

const db = openSqliteFile(env('DB_FILE'), [
  `CREATE TABLE done (job TEXT PRIMARY KEY, op TEXT NOT NULL, kind TEXT NOT NULL, member TEXT NOT NULL, message_id TEXT, at TEXT NOT NULL);
   CREATE TABLE acks (id INTEGER PRIMARY KEY, channel TEXT NOT NULL, message_id TEXT NOT NULL, user TEXT NOT NULL, at TEXT NOT NULL);`,
], 'bare baseline', [DURABLE_COMMITS]);
const insertDone = db.prepare('INSERT OR REPLACE INTO done (job, op, kind, member, message_id, at) VALUES (?, ?, ?, ?, ?, ?)');
const insertAck = db.prepare('INSERT INTO acks (channel, message_id, user, at) VALUES (?, ?, ?, ?)');

const slackApi = env('SLACK_API_URL');
const teamsApi = env('TEAMS_SERVICE_URL');
const secret = env('SIGNING_SECRET');
const concurrency = Number(env('CONCURRENCY'));
const rate = Number(process.env['RATE'] ?? 0);
// One keep-alive pool for both fakes, as many sockets as jobs at once: the lean path a worker could take.
const agent = new Agent({ keepAlive: true, maxSockets: concurrency * 2 });

function call(method: string, url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; retryAfter: number; json: Record<string, unknown> }> {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(url, { method, agent, headers: { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(payload), ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        let json: Record<string, unknown> = {};
        try {
          json = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
        } catch {
          json = {}; // an empty or non-JSON answer: the status says enough
        }
        resolve({ status: res.statusCode ?? 0, retryAfter: Number(res.headers['retry-after'] ?? 1), json });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(payload);
  });
}

const slack = (method: string, body: Record<string, unknown>) => call('POST', `${slackApi}${method}`, body, { authorization: 'Bearer xoxb-bench-baseline' });
const teamsPath = (conversation: string, activity?: string) =>
  `${teamsApi}v3/conversations/${encodeURIComponent(conversation)}/activities${activity === undefined ? '' : `/${encodeURIComponent(activity)}`}`;

/** The job's one HTTP call; the message id it made or touched. */
async function send(job: BareJob): Promise<{ status: number; retryAfter: number; messageId: string | undefined }> {
  if (job.platform === 'slack') {
    const res = job.op === 'post'
      ? await slack('chat.postMessage', { channel: job.channel, text: job.text, metadata: job.metadata })
      : await slack('chat.update', { channel: job.channel, ts: job.messageId, text: job.text });
    const ok = res.status === 200 && res.json['ok'] === true;
    return { status: ok ? 200 : res.status === 200 ? 500 : res.status, retryAfter: res.retryAfter, messageId: typeof res.json['ts'] === 'string' ? res.json['ts'] : job.messageId };
  }
  const activity = { type: 'message', text: job.text, attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: job.card }] };
  const res = job.op === 'post' ? await call('POST', teamsPath(job.channel), activity) : await call('PUT', teamsPath(job.channel, job.messageId), activity);
  return { status: res.status, retryAfter: res.retryAfter, messageId: typeof res.json['id'] === 'string' ? res.json['id'] : job.messageId };
}

const redisUrl = env('REDIS_URL');
const prefix = env('QUEUE_PREFIX');
const queue = new Queue<BareJob>('bare', { connection: new Redis(redisUrl, { maxRetriesPerRequest: null }), prefix });
const worker = new Worker<BareJob>(
  'bare',
  async (job: Job<BareJob>, token?: string) => {
    const res = await send(job.data);
    if (res.status === 429) {
      // Only this job waits; the others go on (the bot's rule for a 429).
      await job.moveToDelayed(Date.now() + res.retryAfter * 1000, token);
      throw new DelayedError();
    }
    if (res.status < 200 || res.status >= 300) throw new Error(`HTTP ${res.status}`);
    insertDone.run(job.id, job.data.op, job.data.kind, job.data.member, res.messageId ?? null, new Date().toISOString());
  },
  { connection: new Redis(redisUrl, { maxRetriesPerRequest: null }), prefix, concurrency, ...(rate > 0 ? { limiter: { max: rate, duration: 1000 } } : {}) },
);
worker.on('failed', (job, err) => process.stderr.write(`bare job ${job?.id} failed: ${err.message}\n`));

const loop = monitorEventLoopDelay({ resolution: 10 });
loop.enable();

function signed(req: IncomingMessage, body: string): boolean {
  const ts = String(req.headers['x-slack-request-timestamp'] ?? '');
  const given = Buffer.from(String(req.headers['x-slack-signature'] ?? ''));
  const wanted = Buffer.from(`v0=${createHmac('sha256', secret).update(`v0:${ts}:${body}`).digest('hex')}`);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

/** A press: stored with one insert, and the message's update queued (the bot's ack path, bare). */
async function press(platform: 'slack' | 'teams', channel: string, messageId: string, user: string): Promise<void> {
  insertAck.run(channel, messageId, user, new Date().toISOString());
  const data: BareJob = { op: 'update', platform, channel, messageId, kind: 'ack', member: channel, text: `acknowledged by ${user}`, card: { type: 'AdaptiveCard', body: [{ type: 'TextBlock', text: `acknowledged by ${user}` }] } };
  await queue.add('update', data, { jobId: `ack.${platform}.${channel}.${messageId}.${user}`, removeOnComplete: true });
}

const answer = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await text(req);
  const path = new URL(req.url ?? '/', 'http://x').pathname;
  if (path === '/healthz') return answer(res, 200, { ok: true });
  if (path === '/bare/jobs') {
    // The fan-out or the ladders: one job per delivery or step, each at its time.
    const jobs = JSON.parse(body) as { id: string; data: BareJob; at?: number }[];
    await queue.addBulk(jobs.map((j) => ({ name: j.data.op, data: j.data, opts: { jobId: j.id, removeOnComplete: true, ...(j.at === undefined ? {} : { delay: Math.max(0, j.at - Date.now()) }) } })));
    return answer(res, 200, { queued: jobs.length });
  }
  if (path === '/bare/state') {
    const acks = db.prepare('SELECT COUNT(*) AS n, COUNT(DISTINCT channel || message_id) AS distinctMessages FROM acks').get() as { n: number; distinctMessages: number };
    const done = db.prepare('SELECT op, kind, member, COUNT(*) AS n FROM done GROUP BY op, kind, member').all() as { op: string; kind: string; member: string; n: number }[];
    return answer(res, 200, { acks: acks.n, ackDuplicates: acks.n - acks.distinctMessages, done });
  }
  if (path === '/bare/eventloop') {
    const figures = { p99Ms: loop.percentile(99) / 1e6, maxMs: loop.max / 1e6 };
    loop.reset();
    return answer(res, 200, figures);
  }
  if (path === '/slack/events') {
    if (!signed(req, body)) return answer(res, 401, { error: 'bad signature' });
    const payload = JSON.parse(new URLSearchParams(body).get('payload') ?? '{}') as { user?: { id?: string }; channel?: { id?: string }; message?: { ts?: string } };
    // Answered once stored and queued, as Bolt answers once the handler has acked.
    await press('slack', payload.channel?.id ?? '', payload.message?.ts ?? '', payload.user?.id ?? '');
    res.writeHead(200);
    res.end();
    return;
  }
  if (path === '/api/messages') {
    const activity = JSON.parse(body) as { conversation?: { id?: string }; replyToId?: string; from?: { id?: string } };
    const conversation = (activity.conversation?.id ?? '').split(';messageid=')[0] ?? '';
    await press('teams', conversation, activity.replyToId ?? '', activity.from?.id ?? '');
    return answer(res, 200, { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: 'acknowledged' });
  }
  answer(res, 404, { error: 'not found' });
}

const server = createServer((req, res) => {
  route(req, res).catch((err: unknown) => answer(res, 500, { error: String(err) }));
});
server.listen(Number(process.env['PORT'] ?? 0), process.env['HOST'] ?? '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  // The line startBotProcess waits for.
  process.stdout.write(`${JSON.stringify({ msg: 'ceptoar-bot listening', url: `http://127.0.0.1:${port}`, baseline: true })}\n`);
});

const stop = () => {
  server.close();
  void Promise.all([worker.close(), queue.close()]).finally(() => {
    db.close();
    process.exit(0);
  });
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
