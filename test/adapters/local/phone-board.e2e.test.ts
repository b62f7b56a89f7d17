/**
 * The phone-task board at sector scale in the local workspace, through its HTTP routes: a real Core on the embedded
 * store, real BullMQ workers on the local Redis (a queue prefix of its own). 85 members whose channels are all shared
 * outside, so a TLP:AMBER+STRICT advisory fails everywhere and every member goes straight to the phone step: the
 * board in the on-call channel is three pages (40, 40, 5) that list every task exactly once; two on-call staff
 * claiming the same task at once through the route: exactly one gets it and its copy, the other is told who has it;
 * and with the queue down the route itself hands the task over and redraws the board.
 */
import { inProcessCharts } from '../../../src/view/chart-drawer.js';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpApp } from '../../../adapters/http/http-app.js';
import type { LocalError, LocalMessage } from '../../../adapters/local/local-api.js';
import type { LocalBoardLines } from '../../../adapters/local/local-board-lines.js';
import { createLocalWorkspace, type LocalWorkspace } from '../../../adapters/local/local-workspace.js';
import { systemClock } from '../../../src/clock.js';
import { Core } from '../../../src/core.js';
import { Directory } from '../../../src/directory/directory.js';
import { loadDirectoryFile } from '../../../src/directory/load.js';
import { BOARD_ROWS } from '../../../src/domain/phone-board.js';
import { DEFAULT_POLICIES } from '../../../src/domain/escalation.js';
import { BotError } from '../../../src/errors.js';
import { BT } from '../../../src/i18n/board-text.js';
import { ERROR_TEXT } from '../../../src/i18n/text.js';
import { createLogger } from '../../../src/log.js';
import type { EnsureReport, JobScheduler, Work } from '../../../src/ports/jobs.js';
import { SqliteStore } from '../../../src/store/sqlite/sqlite-store.js';
import type { PhoneBoardView, PhoneTaskView } from '../../../src/view/views.js';
import { BullmqJobs } from '../../../workflows/bullmq-jobs.js';
import { startWorkers, type Workers } from '../../../workflows/workers.js';
import { eventually } from '../../support/eventually.js';
import { largeDirectory } from '../../support/large-directory.js';
import { deleteQueueKeys } from '../../support/queue-keys.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `t-board-${randomUUID().slice(0, 8)}`;
const MEMBERS = 85;

/** The queue, with a switch that makes it fail as a Redis outage does. */
class SwitchableJobs implements JobScheduler {
  down = false;
  constructor(private readonly inner: JobScheduler) {}
  ensure(work: Work[], options?: { fresh?: boolean }): Promise<EnsureReport> {
    if (this.down) return Promise.reject(new BotError('QUEUE.UNAVAILABLE', 'down (test)', {}));
    return this.inner.ensure(work, options);
  }
  drop(work: Work): Promise<void> {
    if (this.down) return Promise.reject(new BotError('QUEUE.UNAVAILABLE', 'down (test)', {}));
    return this.inner.drop(work);
  }
}

let url: string;
let dataDir: string;
let ws: LocalWorkspace;
let store: SqliteStore;
let redis: Redis;
let bullmq: BullmqJobs;
let jobs: SwitchableJobs;
let workers: Workers;
let server: Server;

beforeAll(async () => {
  const log = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');
  dataDir = await mkdtemp(join(tmpdir(), 'ceptoar-board-'));
  const directory = largeDirectory(MEMBERS, { contacts: 2 }) as {
    oncall: { users: unknown[] };
    organisations: { channels: { sharedOutside: boolean }[] }[];
  };
  // Every member's channel is shared outside: TLP:AMBER+STRICT fails there, straight to the phone step.
  for (const org of directory.organisations) for (const c of org.channels) c.sharedOutside = true;
  directory.oncall.users = [
    { platform: 'slack', userId: 'U0ONC00001', name: '電話当番 A' },
    { platform: 'slack', userId: 'U0ONC00002', name: '電話当番 B' },
  ];
  const membersFile = join(dataDir, 'members.yaml');
  await writeFile(membersFile, stringify(directory));
  await writeFile(join(dataDir, 'index.html'), '<!doctype html><title>local workspace</title>');
  ws = createLocalWorkspace({ file: await loadDirectoryFile(membersFile), dataDir, log, demoTimings: false, publicDir: dataDir, heartbeatMs: 1_000 });
  store = new SqliteStore(':memory:');
  redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  bullmq = new BullmqJobs(redis, prefix, systemClock, log);
  jobs = new SwitchableJobs(bullmq);
  const core = new Core({
    store,
    directory: new Directory(ws.directoryFile),
    clock: systemClock,
    chats: { local: ws.chat },
    jobs,
    log,
    policies: DEFAULT_POLICIES, charts: inProcessCharts,
    settings: { stepLeaseMs: 30_000, closeAfterDeadlineSeconds: 72 * 3600, exportLinks: { secret: 'board-test-secret', ttlMs: 60_000 }, statusCardIntervalMs: 500 },
  });
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
  await bullmq?.close();
  ws?.close();
  await store?.close();
  if (redis) {
    await deleteQueueKeys(REDIS_URL, prefix);
    await redis.quit();
  }
  await rm(dataDir, { recursive: true, force: true });
});

async function api<T = unknown>(method: string, path: string, user: string, body?: unknown): Promise<{ status: number; json: T }> {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { 'x-local-user': user, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, json: (text ? JSON.parse(text) : undefined) as T };
}

type BoardMessage = LocalMessage & { body: { kind: 'phone_board'; view: PhoneBoardView; board?: LocalBoardLines } };
type TaskMessage = LocalMessage & { body: { kind: 'phone_task'; view: PhoneTaskView } };

/** Issue a TLP:AMBER+STRICT advisory to every member: each fails in its shared channel and gets a phone task. */
async function issueToAll(title: string): Promise<string> {
  const input = { title, body: '該当製品を直ちに更新してください。', tlp: 'TLP:AMBER+STRICT', severity: 'level3', category: 'vulnerability', source: 'nisc', targets: { allMembers: true } };
  const res = await api<{ advisoryId: string }>('POST', '/local/api/advisories', 'sec-1', { requestKey: randomUUID(), input });
  expect(res.status).toBe(201);
  return res.json.advisoryId;
}

async function messagesOf(channelId: string, user: string): Promise<LocalMessage[]> {
  const res = await api<{ messages: LocalMessage[] }>('GET', `/local/api/channels/${channelId}/messages`, user);
  return res.status === 200 ? res.json.messages : [];
}

/** The advisory's board pages in the on-call channel, by page number. */
async function pagesOf(advisoryId: string): Promise<BoardMessage[]> {
  return (await messagesOf('oncall', 'oncall-1'))
    .filter((m): m is BoardMessage => m.body.kind === 'phone_board' && m.body.view.advisoryId === advisoryId)
    .sort((a, b) => a.body.view.page - b.body.view.page);
}

/** Once the board lists all `tasks` tasks and `ready` holds. */
function boardShowing(advisoryId: string, tasks: number, ready: (pages: BoardMessage[]) => boolean = () => true): Promise<BoardMessage[]> {
  return eventually(
    async () => {
      const pages = await pagesOf(advisoryId);
      const rows = pages.reduce((n, p) => n + p.body.view.rows.length, 0);
      return rows === tasks && ready(pages) && pages;
    },
    { timeoutMs: 30_000, description: `the board of ${advisoryId} listing ${tasks} tasks` },
  );
}

async function copiesIn(channelId: string, user: string, taskId: string): Promise<TaskMessage[]> {
  return (await messagesOf(channelId, user)).filter((m): m is TaskMessage => m.body.kind === 'phone_task' && m.body.view.taskId === taskId);
}

function claim(user: string, messageId: string, taskId: string) {
  return api<LocalError | Record<string, never>>('POST', '/local/api/press', user, { channelId: 'oncall', messageId, action: 'phone_board_claim', value: taskId });
}

const PAGES = Math.ceil(MEMBERS / BOARD_ROWS);

describe('the phone-task board at sector scale, in the local workspace', () => {
  let advisoryId: string;
  let pages: BoardMessage[];

  beforeAll(async () => {
    advisoryId = await issueToAll(`ボード ${randomUUID().slice(0, 8)}`);
    const tasks = await eventually(async () => (await store.listPhoneTasks(advisoryId)).length === MEMBERS, { timeoutMs: 30_000, description: 'a task per member' });
    expect(tasks).toBe(true);
    pages = await boardShowing(advisoryId, MEMBERS);
  }, 60_000);

  it('lists every open task exactly once, in pages of 40, each page offering its own open tasks to claim', async () => {
    expect(PAGES).toBe(3);
    expect(pages.map((p) => p.body.view.page)).toEqual([1, 2, 3]);
    expect(pages.map((p) => p.body.view.rows.length)).toEqual([40, 40, 5]);
    const tasks = await store.listPhoneTasks(advisoryId);
    const listed = pages.flatMap((p) => p.body.view.rows.map((r) => r.taskId));
    expect(new Set(listed).size).toBe(listed.length);
    expect([...listed].sort()).toEqual(tasks.map((t) => t.id).sort());
    for (const p of pages) {
      const lines = p.body.board;
      if (!lines) throw new Error(`page ${p.body.view.page} came without its lines`);
      // The lines are the rows, in order; every one of this page's open tasks can be claimed here, and no other.
      expect(lines.rows.map((r) => r.taskId)).toEqual(p.body.view.rows.map((r) => r.taskId));
      expect(lines.claimable.map((r) => r.taskId)).toEqual(p.body.view.rows.filter((r) => r.state === 'open').map((r) => r.taskId));
      expect(lines.claimable).toHaveLength(p.body.view.rows.length);
      expect(lines.rows.every((r) => r.mark === '⚪')).toBe(true);
    }
    // Page 1 says how many pages and has the whole board's counts; the others say only their number.
    expect(pages[0]!.body.board?.page).toEqual(BT.page(1, PAGES));
    expect(pages[0]!.body.board?.counts).toEqual(BT.counts({ open: MEMBERS, claimed: 0, overdue: 0, reached: 0, acknowledged: 0, cancelled: 0 }));
    expect(pages[1]!.body.board?.page).toEqual(BT.page(2));
    expect(pages[1]!.body.board?.counts).toBeUndefined();
    // One message per page: no task message in the channel.
    const oncall = await messagesOf('oncall', 'oncall-1');
    expect(oncall.filter((m) => m.body.kind === 'phone_task' && m.body.view.advisoryId === advisoryId)).toEqual([]);
  });

  it('two on-call staff claiming the same task at once: exactly one gets it and its copy, the other is told who has it', async () => {
    const page2 = pages[1]!;
    const contested = page2.body.view.rows.slice(0, 3).map((r) => r.taskId);
    const winners = new Map<string, string>();
    for (const [i, taskId] of contested.entries()) {
      const order = i % 2 === 0 ? ['oncall-1', 'oncall-2'] : ['oncall-2', 'oncall-1'];
      const answers = await Promise.all(order.map((user) => claim(user, page2.id, taskId)));
      const won = answers.flatMap((a, k) => (a.status === 200 ? [order[k]!] : []));
      expect(won, `one winner of ${taskId}`).toHaveLength(1);
      const lost = answers.find((a) => a.status !== 200)!;
      const winner = won[0]!;
      winners.set(taskId, winner);
      const winnerName = winner === 'oncall-1' ? '電話当番 A' : '電話当番 B';
      expect(lost.status).toBe(409);
      expect((lost.json as LocalError).error).toEqual({
        code: 'PHONE.CLAIMED_BY_OTHER',
        message: { ja: `${ERROR_TEXT['PHONE.CLAIMED_BY_OTHER'].ja} 📞 ${winnerName}`, en: `${ERROR_TEXT['PHONE.CLAIMED_BY_OTHER'].en} 📞 ${winnerName}` },
      });
      expect((await store.getPhoneTask(taskId))?.claimedBy?.userId).toBe(winner);
    }
    // Each winner has the task with its outcome buttons in their direct messages, once; the loser has no copy.
    for (const [taskId, winner] of winners) {
      const loser = winner === 'oncall-1' ? 'oncall-2' : 'oncall-1';
      const copies = await eventually(async () => {
        const found = await copiesIn(`dm-${winner}`, winner, taskId);
        return found.length > 0 && found;
      }, { description: `${taskId} in dm-${winner}` });
      expect(copies).toHaveLength(1);
      expect(copies[0]!.body.view).toMatchObject({ state: 'claimed', advisoryId });
      expect(copies[0]!.body.view.reachedChoices).toHaveLength(2);
      expect(await copiesIn(`dm-${loser}`, loser, taskId)).toEqual([]);
    }
    // The board: the three rows are taken (📞, not offered), page 2 edited in place, page 1's counts say so.
    const after = await boardShowing(advisoryId, MEMBERS, (ps) => ps[0]?.body.view.counts?.claimed === contested.length && contested.every((id) => ps[1]?.body.view.rows.find((r) => r.taskId === id)?.state === 'claimed'));
    expect(after.map((p) => p.id)).toEqual(pages.map((p) => p.id));
    const page2After = after[1]!.body.board!;
    for (const taskId of contested) {
      const row = page2After.rows.find((r) => r.taskId === taskId)!;
      expect(row.mark).toBe('📞');
      const who = winners.get(taskId) === 'oncall-1' ? '電話当番 A' : '電話当番 B';
      expect(row.parts).toContainEqual(BT.onIt(who));
      expect(page2After.claimable.map((r) => r.taskId)).not.toContain(taskId);
    }
    expect(page2After.claimable).toHaveLength(BOARD_ROWS - contested.length);
    // Pressing "reached" on the winner's copy acknowledges the member, as before.
    const [firstTask, firstWinner] = [...winners][0]!;
    const copy = (await copiesIn(`dm-${firstWinner}`, firstWinner, firstTask))[0]!;
    const reached = await api('POST', '/local/api/press', firstWinner, { channelId: `dm-${firstWinner}`, messageId: copy.id, action: 'phone_reached', value: `${firstTask}#${copy.body.view.reachedChoices[0]!.choice}` });
    expect(reached.status).toBe(200);
    const task = await store.getPhoneTask(firstTask);
    expect(task?.state).toBe('done');
    const delivery = await store.getDelivery(task!.deliveryId);
    expect(delivery).toMatchObject({ state: 'acknowledged' });
  });

  it('with the queue down, the route itself sends the claimer the task and redraws the board', async () => {
    const page3 = pages[2]!;
    const taskId = page3.body.view.rows[0]!.taskId;
    jobs.down = true;
    try {
      const answer = await claim('oncall-2', page3.id, taskId);
      expect(answer.status).toBe(200);
      // No job ran (none could be queued): what is there now, the route put there before it answered.
      const copies = await copiesIn('dm-oncall-2', 'oncall-2', taskId);
      expect(copies).toHaveLength(1);
      expect(copies[0]!.body.view).toMatchObject({ state: 'claimed', claimedBy: '電話当番 B' });
      const now = await pagesOf(advisoryId);
      expect(now.map((p) => p.id)).toEqual(pages.map((p) => p.id));
      expect(now[2]!.body.view.rows[0]).toMatchObject({ taskId, state: 'claimed', claimedBy: '電話当番 B' });
      expect(now[2]!.body.board?.claimable.map((r) => r.taskId)).not.toContain(taskId);
    } finally {
      jobs.down = false;
    }
  });
});
