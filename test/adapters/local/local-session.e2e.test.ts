/**
 * GET /local/api/session and the event stream as each kind of person sees them: a member gets only their own
 * organisation's channel and their own direct messages (as Slack and Teams list only the private channels and
 * conversations a person is in), the secretariat and on-call staff the channels of their roles, and nobody hears
 * of a channel they are not in. A real express server, a real Core on the embedded store, real BullMQ workers.
 */
import { inProcessCharts } from '../../../src/view/chart-drawer.js';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpApp } from '../../../adapters/http/http-app.js';
import type { LocalError, LocalMessage, LocalSession } from '../../../adapters/local/local-api.js';
import { createLocalWorkspace, type LocalWorkspace } from '../../../adapters/local/local-workspace.js';
import { systemClock } from '../../../src/clock.js';
import { Core } from '../../../src/core.js';
import { Directory } from '../../../src/directory/directory.js';
import { loadDirectoryFile } from '../../../src/directory/load.js';
import { DEFAULT_POLICIES } from '../../../src/domain/escalation.js';
import { createLogger } from '../../../src/log.js';
import { SqliteStore } from '../../../src/store/sqlite/sqlite-store.js';
import { BullmqJobs } from '../../../workflows/bullmq-jobs.js';
import { startWorkers, type Workers } from '../../../workflows/workers.js';
import { eventually } from '../../support/eventually.js';
import { deleteQueueKeys } from '../../support/queue-keys.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `t-session-${randomUUID().slice(0, 8)}`;

let url: string;
let dataDir: string;
let ws: LocalWorkspace;
let store: SqliteStore;
let redis: Redis;
let jobs: BullmqJobs;
let workers: Workers;
let server: Server;

beforeAll(async () => {
  const log = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');
  dataDir = await mkdtemp(join(tmpdir(), 'ceptoar-session-'));
  await writeFile(join(dataDir, 'index.html'), '<!doctype html><title>local workspace</title>');
  ws = createLocalWorkspace({ file: await loadDirectoryFile('config/members.example.yaml'), dataDir, log, demoTimings: false, publicDir: dataDir, heartbeatMs: 200 });
  store = new SqliteStore(':memory:');
  redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  jobs = new BullmqJobs(redis, prefix, systemClock, log);
  const core = new Core({ store, directory: new Directory(ws.directoryFile), clock: systemClock, chats: { local: ws.chat }, jobs, log, policies: DEFAULT_POLICIES, charts: inProcessCharts, settings: { stepLeaseMs: 30_000, closeAfterDeadlineSeconds: 72 * 3600, exportLinks: { secret: 'session-test-secret', ttlMs: 60_000 } } });
  workers = startWorkers(core, redis, { prefix, concurrency: 8, lockDuration: 30_000, stalledInterval: 30_000, shutdownGraceMs: 5_000 }, log);
  const http = createHttpApp(async () => ({ ready: true, checks: {} }));
  ws.mount(http.app, core);
  server = http.app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => {
    server?.close(() => resolve());
    server?.closeAllConnections();
  });
  await workers?.close();
  await jobs?.close();
  ws?.close();
  await store?.close();
  if (redis) {
    await deleteQueueKeys(REDIS_URL, prefix);
    await redis.quit();
  }
  await rm(dataDir, { recursive: true, force: true });
});

async function api<T = unknown>(method: string, path: string, user?: string, body?: unknown): Promise<{ status: number; json: T }> {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { ...(user ? { 'x-local-user': user } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, json: (text ? JSON.parse(text) : undefined) as T };
}

const channelIds = async (user?: string): Promise<string[]> => {
  const res = await api<LocalSession>('GET', '/local/api/session', user);
  expect(res.status).toBe(200);
  return res.json.channels.map((c) => c.id).sort();
};

async function issueRed(members: string[]): Promise<string> {
  const input = { title: `RED ${randomUUID().slice(0, 8)}`, body: '受信者限りの情報です。', tlp: 'TLP:RED', severity: 'level3', category: 'vulnerability', source: 'nisc', targets: { members } };
  const res = await api<{ advisoryId: string }>('POST', '/local/api/advisories', 'sec-1', { requestKey: randomUUID(), input });
  expect(res.status).toBe(201);
  return res.json.advisoryId;
}

async function redIn(channelId: string, user: string, advisoryId: string): Promise<LocalMessage> {
  return eventually(
    async () => (await api<{ messages: LocalMessage[] }>('GET', `/local/api/channels/${channelId}/messages`, user)).json.messages?.find((m) => m.body.kind === 'advisory' && m.body.view.advisoryId === advisoryId),
    { description: `${advisoryId} in ${channelId}` },
  );
}

/** The raw text of `user`'s event stream while `act` runs, until `until` says it has seen enough. */
async function streamText(user: string, act: () => Promise<void>, until: (text: string) => boolean): Promise<string> {
  const controller = new AbortController();
  const res = await fetch(`${url}/local/events?user=${user}`, { signal: controller.signal });
  expect(res.status).toBe(200);
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  await act();
  const deadline = Date.now() + 15_000;
  try {
    while (!until(text) && Date.now() < deadline) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
  } finally {
    controller.abort();
  }
  return text;
}

describe('the session lists only the channels the acting user is in', () => {
  it('gives a member their organisation’s channel and nothing of other organisations', async () => {
    expect(await channelIds('jma-1')).toEqual(['member-jma']);
    expect(await channelIds('jda-2')).toEqual(['member-jda']);
    const session = await api<LocalSession>('GET', '/local/api/session', 'jma-1');
    const names = JSON.stringify(session.json.channels);
    const jda = ws.chat.channel('member-jda');
    expect(jda?.name.ja).toBeTruthy();
    for (const absent of [jda!.name.ja, jda!.name.en, '事務局', '電話当番']) expect(names).not.toContain(absent);
    // Everyone can still be picked in the page's "acting as" list.
    expect(session.json.users.map((u) => u.id)).toEqual(expect.arrayContaining(['sec-1', 'oncall-1', 'jma-1', 'jda-1']));
  });

  it('gives the secretariat its channel and the on-call channel, on-call staff theirs, and nobody anything anonymously', async () => {
    expect(await channelIds('sec-1')).toEqual(['oncall', 'secretariat']);
    expect(await channelIds('oncall-1')).toEqual(['oncall']);
    expect(await channelIds()).toEqual([]);
    const unknown = await api<LocalError>('GET', '/local/api/session', 'nobody');
    expect(unknown.status).toBe(400);
    expect(unknown.json.error.code).toBe('LOCAL.UNKNOWN_USER');
  });

  it('lists a TLP:RED direct message only for its recipient, and tells no one else of it on the event stream', async () => {
    let advisoryId = '';
    const jmaStream = await streamText(
      'jma-1',
      async () => {
        advisoryId = await issueRed(['jda']);
        await redIn('dm-jda-1', 'jda-1', advisoryId);
        await redIn('dm-jda-2', 'jda-2', advisoryId);
      },
      // Heartbeats come every 200 ms: two of them after both DMs are posted, and the stream has had its chance.
      (text) => advisoryId !== '' && text.split(': heartbeat').length > 3,
    );
    expect(await channelIds('jda-1')).toEqual(['dm-jda-1', 'member-jda']);
    expect(await channelIds('jda-2')).toEqual(['dm-jda-2', 'member-jda']);
    expect(await channelIds('jma-1')).toEqual(['member-jma']);
    expect(await channelIds('sec-1')).toEqual(['oncall', 'secretariat']);
    const dmName = ws.chat.channel('dm-jda-1')?.name.ja;
    expect(dmName).toMatch(/^DM: /);
    expect(jmaStream).toContain(': connected');
    for (const absent of ['dm-jda', dmName!, advisoryId, 'member-jda']) expect(jmaStream).not.toContain(absent);
  });

  it('tells the recipient of the new direct conversation on their own stream', async () => {
    let advisoryId = '';
    const jdaStream = await streamText(
      'jda-1',
      async () => {
        advisoryId = await issueRed(['jda']);
      },
      (text) => advisoryId !== '' && text.includes(advisoryId),
    );
    expect(jdaStream).toContain(advisoryId);
    expect(jdaStream).toContain('dm-jda-1');
    expect(jdaStream).not.toContain('dm-jda-2');
  });
});
