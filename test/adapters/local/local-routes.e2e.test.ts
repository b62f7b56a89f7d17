/**
 * The local workspace's HTTP API through a real express server, a real Core on the embedded store,
 * and real BullMQ workers on the local Redis (a queue prefix of its own).
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
import type { LocalFormOptions } from '../../../adapters/local/local-text.js';
import { createLocalWorkspace, type LocalWorkspace } from '../../../adapters/local/local-workspace.js';
import { systemClock } from '../../../src/clock.js';
import { Core } from '../../../src/core.js';
import { Directory } from '../../../src/directory/directory.js';
import { loadDirectoryFile } from '../../../src/directory/load.js';
import { DEFAULT_POLICIES } from '../../../src/domain/escalation.js';
import { CT } from '../../../src/i18n/chat-text.js';
import { FAILURE_TEXT } from '../../../src/i18n/failure-text.js';
import { durationText, noEscalateOption, severityDefaultText } from '../../../src/i18n/form-text.js';
import { claimedByText } from '../../../src/i18n/phone-text.js';
import { ERROR_TEXT, type Bilingual } from '../../../src/i18n/text.js';
import { createLogger } from '../../../src/log.js';
import { SqliteStore } from '../../../src/store/sqlite/sqlite-store.js';
import type { PhoneBoardView, PhoneTaskView, StatusView } from '../../../src/view/views.js';
import type { LocalBoardLines } from '../../../adapters/local/local-board-lines.js';
import { BT } from '../../../src/i18n/board-text.js';
import { phoneBoardLines } from '../../../src/view/phone-board-lines.js';
import { BullmqJobs } from '../../../workflows/bullmq-jobs.js';
import { startWorkers, type Workers } from '../../../workflows/workers.js';
import { eventually } from '../../support/eventually.js';
import { deleteQueueKeys } from '../../support/queue-keys.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `t-local-${randomUUID().slice(0, 8)}`;

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
  dataDir = await mkdtemp(join(tmpdir(), 'ceptoar-local-'));
  await writeFile(join(dataDir, 'index.html'), '<!doctype html><title>local workspace</title>');
  ws = createLocalWorkspace({
    file: await loadDirectoryFile('config/members.example.yaml'),
    dataDir,
    log,
    demoTimings: false,
    publicDir: dataDir,
    heartbeatMs: 200,
  });
  store = new SqliteStore(':memory:');
  redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  jobs = new BullmqJobs(redis, prefix, systemClock, log);
  const directory = new Directory(ws.directoryFile);
  const core = new Core({ store, directory, clock: systemClock, chats: { local: ws.chat }, jobs, log, policies: DEFAULT_POLICIES, charts: inProcessCharts, settings: { stepLeaseMs: 30_000, closeAfterDeadlineSeconds: 72 * 3600, exportLinks: { secret: 'local-test-secret', ttlMs: 60_000 }, statusCardIntervalMs: 500 } });
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

const input = (title: string, extra: Record<string, unknown> = {}) => ({
  title,
  body: '該当製品をご利用の場合は直ちに更新してください。',
  tlp: 'TLP:AMBER',
  severity: 'level3',
  category: 'vulnerability',
  source: 'nisc',
  targets: { allMembers: true },
  ...extra,
});

async function issue(title: string, extra: Record<string, unknown> = {}): Promise<string> {
  const res = await api<{ advisoryId: string; deliveries: number }>('POST', '/local/api/advisories', 'sec-1', { requestKey: randomUUID(), input: input(title, extra) });
  expect(res.status).toBe(201);
  return res.json.advisoryId;
}

async function advisoryIn(channelId: string, user: string, advisoryId: string): Promise<LocalMessage> {
  return eventually(
    async () => {
      const res = await api<{ messages: LocalMessage[] }>('GET', `/local/api/channels/${channelId}/messages`, user);
      return res.json.messages.find((m) => m.body.kind === 'advisory' && m.body.view.advisoryId === advisoryId);
    },
    { description: `${advisoryId} in ${channelId}` },
  );
}

/** Reads server-sent events from the stream until `until` says stop. */
async function readEvents(user: string, until: (events: { event: string; data: unknown }[]) => boolean, act: () => Promise<void>) {
  const controller = new AbortController();
  const res = await fetch(`${url}/local/events?user=${user}`, { signal: controller.signal });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const events: { event: string; data: unknown }[] = [];
  let comments = 0;
  let buffer = '';
  await act();
  const deadline = Date.now() + 15_000;
  try {
    while (!until(events) && Date.now() < deadline) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const chunk = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const lines = chunk.split('\n');
        if (lines.some((l) => l.startsWith(': heartbeat'))) comments += 1;
        const event = lines.find((l) => l.startsWith('event: '))?.slice(7);
        const data = lines.find((l) => l.startsWith('data: '))?.slice(6);
        if (event && data) events.push({ event, data: JSON.parse(data) });
      }
    }
  } finally {
    controller.abort();
  }
  return { events, comments };
}

type BoardMessage = LocalMessage & { body: { kind: 'phone_board'; view: PhoneBoardView; board?: LocalBoardLines } };
type TaskMessage = LocalMessage & { body: { kind: 'phone_task'; view: PhoneTaskView } };

/** The advisory's phone-task board (its one page) in the on-call channel, once `ready` says it shows what is awaited. */
async function boardOf(advisoryId: string, ready: (b: BoardMessage) => boolean = () => true): Promise<BoardMessage> {
  return eventually(
    async () => {
      const res = await api<{ messages: LocalMessage[] }>('GET', '/local/api/channels/oncall/messages', 'oncall-1');
      const pages = res.json.messages.filter((m): m is BoardMessage => m.body.kind === 'phone_board' && m.body.view.advisoryId === advisoryId);
      return pages.length === 1 && ready(pages[0]!) && pages[0];
    },
    { description: `the board of ${advisoryId} in the on-call channel` },
  );
}

/** The task's copy in `channelId` (a claimer's direct messages), once `ready`. */
async function taskIn(channelId: string, user: string, taskId: string, ready: (v: PhoneTaskView) => boolean = () => true): Promise<TaskMessage> {
  return eventually(
    async () => {
      const res = await api<{ messages: LocalMessage[] }>('GET', `/local/api/channels/${channelId}/messages`, user);
      const found = res.status === 200 ? res.json.messages.filter((m): m is TaskMessage => m.body.kind === 'phone_task' && m.body.view.taskId === taskId) : [];
      return found.length === 1 && ready(found[0]!.body.view) && found[0];
    },
    { description: `${taskId} in ${channelId}` },
  );
}

/** The board's claim control, pressed as `user` on the board page `messageId`. */
function claim(user: string, messageId: string, taskId: string) {
  return api<LocalError>('POST', '/local/api/press', user, { channelId: 'oncall', messageId, action: 'phone_board_claim', value: taskId });
}

describe('local workspace routes', () => {
  it('serves the page and the session', async () => {
    const page = await fetch(`${url}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('local workspace');
    const asset = await fetch(`${url}/local/static/index.html`);
    expect(asset.status).toBe(200);
    const session = await api<LocalSession>('GET', '/local/api/session');
    expect(session.status).toBe(200);
    expect(session.json.sector.id).toBe('medical');
    expect(session.json.users.find((u) => u.id === 'sec-1')?.role).toBe('secretariat');
    // Channels are listed for the acting user only (local-session.e2e.test.ts): none without one.
    expect(session.json.channels).toEqual([]);
    const i18n = await api<Record<string, Record<string, unknown>>>('GET', '/local/api/i18n');
    expect(Object.keys(i18n.json).sort()).toEqual([
      'ALERT_MARKS',
      'ALERT_TEXT',
      'CALL_OUTCOME_TEXT',
      'CATEGORY_TEXT',
      'CONTACT_STATE_MARK',
      'CONTACT_STATE_TEXT',
      'CT',
      'ERROR_TEXT',
      'FAILURE_TEXT',
      'LF',
      'LIFECYCLE_FIELDS',
      'PHONE_STATE_TEXT',
      'PHONE_WORDS',
      'PLATFORM_TEXT',
      'PREVIEW_TEXT',
      'ROUND_TEXT',
      'SEVERITY_TEXT',
      'SOURCE_TEXT',
      'STATE_TEXT',
      'STATUS_FILTER_TEXT',
      'STATUS_VIEW',
      'STEP_TEXT',
      'T',
      'TEMPLATE_TEXT',
      'THREAD_TEXT',
      'TLP_TEXT',
      'VIA_TEXT',
    ]);
    expect(i18n.json['ERROR_TEXT']?.['AUTH.NOT_SECRETARIAT']).toMatchObject({ ja: expect.any(String), en: expect.any(String) });
    // The same words as Slack and Teams: the shared tables as they are, and the shared functions as templates.
    expect(i18n.json['CT']).toEqual(CT);
    expect(i18n.json['FAILURE_TEXT']).toEqual(FAILURE_TEXT);
    const templates = i18n.json['TEMPLATE_TEXT'] as Record<string, Bilingual>;
    expect(templates['claimedBy']).toEqual(claimedByText('{who}'));
    expect(templates['triedOf']).toEqual({ ja: '架電 {k}/{n} 件', en: 'tried {k} of {n}' });
    expect(templates['contactOf']).toBeUndefined();
    expect(templates['overdue']).toEqual({ ja: '⚠ 期限超過：まだ誰も架電していません（{since}から）', en: 'Overdue: nobody has called yet (since {since})' });
    expect(templates['callableFrom']).toEqual({ ja: '（{time}から）', en: '(from {time})' });
    expect(templates['oncallGroup']).toEqual({ ja: '{advisoryId} {title}（{n} 件）', en: '{advisoryId} {title} ({n} tasks)' });
    expect(i18n.json['CONTACT_STATE_TEXT']).toEqual({
      not_tried: { ja: '未架電', en: 'not tried' },
      no_answer: { ja: '不在', en: 'no answer' },
      wrong_number: { ja: '番号違い', en: 'wrong number' },
      reached: { ja: '応答あり', en: 'reached' },
    });
    expect(i18n.json['PHONE_WORDS']).toMatchObject({ callNow: { ja: '▶ 今かける', en: 'call now' } });
    expect(templates['openTasks']).toEqual({ ja: '{n} 件', en: '{n} tasks' });
    expect(templates['moreNames']).toEqual({ ja: 'ほか {n} 名', en: '{n} more' });
    expect(templates['repliesDeleted']).toEqual({ ja: '返信 {n} 件（削除 {k} 件）', en: '{n} replies ({k} deleted)' });
    for (const t of Object.values(templates)) expect(t).toMatchObject({ ja: expect.any(String), en: expect.any(String) });
  });

  it('asks who is acting: no or an unknown user is a 400', async () => {
    expect((await api<LocalError>('GET', '/local/api/form')).status).toBe(400);
    const res = await api<LocalError>('GET', '/local/api/form', 'mallory');
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe('LOCAL.UNKNOWN_USER');
    expect((await fetch(`${url}/local/events?user=mallory`)).status).toBe(400);
  });

  it('gives the form to the secretariat only', async () => {
    const form = await api<LocalFormOptions>('GET', '/local/api/form', 'sec-1');
    expect(form.status).toBe(200);
    expect(form.json.organisations).toHaveLength(18);
    // The form's words that depend on the configuration, worked out by src/i18n/form-text.ts as on Slack and Teams.
    expect(form.json.text.noEscalate).toEqual(noEscalateOption(form.json.escalationOptional));
    expect(form.json.text.deadlineChoices[0]).toEqual({ minutes: 15, text: durationText(15) });
    expect(form.json.text.severityDefault.level2).toEqual(severityDefaultText(form.json.defaultDeadlineSeconds.level2));
    const refused = await api<LocalError>('GET', '/local/api/form', 'jma-1');
    expect(refused.status).toBe(403);
    expect(refused.json.error.code).toBe('AUTH.NOT_SECRETARIAT');
  });

  it('refuses an advisory from a member (403) and an invalid one with its fields (400)', async () => {
    const member = await api<LocalError>('POST', '/local/api/advisories', 'jma-1', { requestKey: 'r1', input: input('member tries') });
    expect(member.status).toBe(403);
    expect(member.json.error).toMatchObject({ code: 'AUTH.NOT_SECRETARIAT', message: { ja: expect.stringContaining('事務局'), en: expect.stringContaining('secretariat') } });

    const invalid = await api<LocalError>('POST', '/local/api/advisories', 'sec-1', {
      requestKey: 'r2',
      input: input('', { targets: {}, severity: 'level3', escalate: false }),
    });
    expect(invalid.status).toBe(400);
    expect(invalid.json.error.code).toBe('ADVISORY.INVALID');
    expect(Object.keys(invalid.json.error.fields ?? {}).sort()).toEqual(['escalate', 'targets', 'title']);
    expect(invalid.json.error.fields?.['title']).toMatchObject({ ja: expect.stringContaining('件名'), en: expect.stringContaining('title') });

    const noKey = await api<LocalError>('POST', '/local/api/advisories', 'sec-1', { input: input('no key') });
    expect(noKey.status).toBe(400);
    expect(noKey.json.error.fields).toHaveProperty('requestKey');

    const unknown = await api<LocalError>('POST', '/local/api/advisories', 'sec-1', { requestKey: 'r3', input: input('x', { targets: { members: ['nope'] } }) });
    expect(unknown.status).toBe(400);
    expect(unknown.json.error.code).toBe('DIRECTORY.UNKNOWN_TARGET');
  });

  it('answers malformed and oversized bodies in the contract shape', async () => {
    const bad = await fetch(`${url}/local/api/press`, { method: 'POST', headers: { 'x-local-user': 'jma-1', 'content-type': 'application/json' }, body: '{' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as LocalError).error.code).toBe('LOCAL.BAD_JSON');
    const big = await fetch(`${url}/local/api/press`, {
      method: 'POST',
      headers: { 'x-local-user': 'jma-1', 'content-type': 'application/json' },
      body: JSON.stringify({ value: 'x'.repeat(100_000) }),
    });
    expect(big.status).toBe(413);
    expect(((await big.json()) as LocalError).error.code).toBe('LOCAL.TOO_LARGE');
  });

  it('delivers to the member channels, keeps other organisations out, and records an acknowledgement', async () => {
    let advisoryId = '';
    const isThisAdvisory = (e: { event: string; data: unknown }) => {
      const m = e.data as LocalMessage;
      return e.event === 'message' && m.body.kind === 'advisory' && m.body.view.advisoryId === advisoryId;
    };
    const { events } = await readEvents('jma-1', (evs) => evs.some(isThisAdvisory), async () => {
      advisoryId = await issue('ローカル 受領確認');
    });
    const pushed = events.find(isThisAdvisory)?.data as LocalMessage;
    expect(pushed.channelId).toBe('member-jma');
    // Only what jma-1 may see reaches their stream.
    expect(events.every((e) => (e.data as LocalMessage).channelId === 'member-jma')).toBe(true);
    if (pushed.body.kind !== 'advisory') throw new Error('expected an advisory');

    const jma = await advisoryIn('member-jma', 'jma-1', advisoryId);
    await advisoryIn('member-acbcw', 'acbcw-2', advisoryId);
    if (jma.body.kind !== 'advisory') throw new Error('expected an advisory');
    const deliveryId = jma.body.view.deliveryId;

    // Another organisation cannot read or press in jma's channel.
    const read = await api<LocalError>('GET', '/local/api/channels/member-jma/messages', 'jda-1');
    expect(read.status).toBe(403);
    expect(read.json.error).toMatchObject({ code: 'LOCAL.NOT_A_MEMBER', message: { ja: expect.any(String), en: expect.any(String) } });
    const press = await api<LocalError>('POST', '/local/api/press', 'jda-1', { channelId: 'member-jma', messageId: jma.id, action: 'advisory_ack', value: deliveryId });
    expect(press.status).toBe(403);
    // Nor press jma's message from their own channel.
    const elsewhere = await api<LocalError>('POST', '/local/api/press', 'jda-1', { channelId: 'member-jda', messageId: jma.id, action: 'advisory_ack', value: deliveryId });
    expect(elsewhere.status).toBe(404);
    // The secretariat is not in member channels either.
    expect((await api('GET', '/local/api/channels/member-jma/messages', 'sec-1')).status).toBe(403);

    // A button value that is not this message's delivery is refused by the core.
    const forged = await api<LocalError>('POST', '/local/api/press', 'jma-1', { channelId: 'member-jma', messageId: jma.id, action: 'advisory_ack', value: 'ADV-1999-0001.jda.local-member-jda' });
    expect(forged.status).toBe(409);
    expect(forged.json.error.code).toBe('DELIVERY.NOT_YOURS');

    const ack = await api<{ notice?: { ja: string; en: string } }>('POST', '/local/api/press', 'jma-1', { channelId: 'member-jma', messageId: jma.id, action: 'advisory_ack', value: deliveryId });
    expect(ack.status).toBe(200);
    expect(ack.json.notice).toEqual({ ja: '受領確認を記録しました。', en: 'Your acknowledgement is recorded.' });
    const again = await api<{ notice?: { ja: string; en: string } }>('POST', '/local/api/press', 'jma-2', { channelId: 'member-jma', messageId: jma.id, action: 'advisory_ack', value: deliveryId });
    expect(again.status).toBe(200);
    expect(again.json.notice?.ja).toMatch(/^既に受領確認済みです: 佐藤 健一/);
    expect(again.json.notice?.en).toMatch(/^Already acknowledged: 佐藤 健一/);

    const status = await api<StatusView>('GET', `/local/api/advisories/${advisoryId}/status`, 'sec-1');
    expect(status.status).toBe(200);
    const row = status.json.rows.find((r) => r.memberId === 'jma');
    expect(row).toMatchObject({ state: 'acknowledged', acknowledgedBy: '佐藤 健一', via: 'button' });
    expect(status.json.counts.total).toBe(17);
    expect((await api('GET', `/local/api/advisories/${advisoryId}/status`, 'jma-1')).status).toBe(403);
    expect((await api<LocalError>('GET', '/local/api/advisories/ADV-1999-0999/status', 'sec-1')).status).toBe(404);

    // The message in the channel is updated by the refresh job to show who acknowledged.
    await eventually(async () => {
      const m = await advisoryIn('member-jma', 'jma-2', advisoryId);
      return m.body.kind === 'advisory' && m.body.view.acknowledged?.by === '佐藤 健一';
    });
    // The secretariat hears that it went out.
    await eventually(async () => {
      const res = await api<{ messages: LocalMessage[] }>('GET', '/local/api/channels/secretariat/messages', 'sec-2');
      return res.json.messages.some((m) => m.body.kind === 'notice' && m.body.view.advisoryId === advisoryId);
    });
  });

  it('keeps replies in the thread, local only, for channel members', async () => {
    const advisoryId = await issue('ローカル 返信', { targets: { members: ['jpa'] } });
    const m = await advisoryIn('member-jpa', 'jpa-1', advisoryId);
    const reply = await api<LocalMessage>('POST', '/local/api/channels/member-jpa/replies', 'jpa-2', { threadOf: m.id, text: '  対応します  ' });
    expect(reply.status).toBe(201);
    expect(reply.json).toMatchObject({ channelId: 'member-jpa', threadOf: m.id, body: { kind: 'reply', text: '対応します', author: { id: 'jpa-2', name: '渡辺 香織' } } });
    const nested = await api<LocalMessage>('POST', '/local/api/channels/member-jpa/replies', 'jpa-1', { threadOf: reply.json.id, text: '了解' });
    expect(nested.json.threadOf).toBe(m.id);
    expect((await api<LocalError>('POST', '/local/api/channels/member-jpa/replies', 'jpa-1', { threadOf: m.id, text: '   ' })).json.error.fields?.['text']).toEqual({ ja: '返信を入力してください。', en: 'Enter a reply.' });
    // A paste far over the limit (60 KB of Japanese) reaches the check and is answered with its count.
    const paste = await api<LocalError>('POST', '/local/api/channels/member-jpa/replies', 'jpa-1', { threadOf: m.id, text: '返'.repeat(20_000) });
    expect(paste.status).toBe(400);
    expect(paste.json.error.fields?.['text']).toEqual({ ja: '返信は4,000文字以内です（20,000文字入力されています）。', en: 'The reply must be at most 4,000 characters (20,000 entered).' });
    expect((await api<LocalError>('POST', '/local/api/channels/member-jpa/replies', 'jpa-1', { threadOf: m.id, text: 'x'.repeat(4_001) })).json.error.fields?.['text']?.ja).toBe('返信は4,000文字以内です（4,001文字入力されています）。');
    expect((await api('POST', '/local/api/channels/member-jpa/replies', 'jma-1', { threadOf: m.id, text: 'hi' })).status).toBe(403);
    expect((await api('POST', '/local/api/channels/member-jpa/replies', 'jpa-1', { threadOf: 'nope', text: 'hi' })).status).toBe(404);
  });

  it('records replies in the thread of a delivery through the core, and the secretariat reads the thread', async () => {
    const advisoryId = await issue('ローカル 返信記録', { targets: { members: ['jpa'] } });
    const m = await advisoryIn('member-jpa', 'jpa-1', advisoryId);
    const first = await api<LocalMessage>('POST', '/local/api/channels/member-jpa/replies', 'jpa-2', { threadOf: m.id, text: '  対応します  ' });
    // A reply to a reply joins the thread of the copy, in the record too.
    const second = await api<LocalMessage>('POST', '/local/api/channels/member-jpa/replies', 'jpa-1', { threadOf: first.json.id, text: '影響なしでした' });
    const recorded = await store.listThreadMessages({ advisoryId });
    expect(recorded.map((r) => [r.messageId, r.rootId, r.text, r.author])).toEqual([
      [first.json.id, m.id, '対応します', { platform: 'local', userId: 'jpa-2', name: '渡辺 香織' }],
      [second.json.id, m.id, '影響なしでした', { platform: 'local', userId: 'jpa-1', name: recorded[1]!.author.name }],
    ]);
    expect(recorded.every((r) => r.platform === 'local' && r.channelId === 'member-jpa' && r.memberId === 'jpa')).toBe(true);
    // A reply under the secretariat's own notice is no delivery's thread: shown, not recorded.
    const notice = await eventually(async () => (await api<{ messages: LocalMessage[] }>('GET', '/local/api/channels/secretariat/messages', 'sec-1')).json.messages.find((x) => x.body.kind === 'notice' && x.body.view.advisoryId === advisoryId));
    expect((await api('POST', '/local/api/channels/secretariat/replies', 'sec-1', { threadOf: notice.id, text: '了解' })).status).toBe(201);
    expect(await store.listThreadMessages({ advisoryId })).toHaveLength(2);

    const status = await api<StatusView>('GET', `/local/api/advisories/${advisoryId}/status`, 'sec-1');
    const row = status.json.rows.find((r) => r.memberId === 'jpa')!;
    expect(row.replies).toMatchObject({ count: 2, deleted: 0, latest: { firstLine: '影響なしでした' } });
    const thread = await api<{ messages: { text: string; by: string }[] }>('GET', `/local/api/deliveries/${row.deliveryId}/thread`, 'sec-1');
    expect(thread.status).toBe(200);
    expect(thread.json.messages.map((x) => [x.by, x.text])).toEqual([
      ['渡辺 香織', '対応します'],
      [recorded[1]!.author.name, '影響なしでした'],
    ]);
    expect((await api<LocalError>('GET', `/local/api/deliveries/${row.deliveryId}/thread`, 'jpa-1')).status).toBe(403);
    expect((await api<LocalError>('GET', '/local/api/deliveries/nope/thread', 'sec-1')).status).toBe(404);
  });

  it('lets the core refuse phone buttons to a member, and gives the on-call list to on-call staff', async () => {
    const advisoryId = await issue('ローカル 電話', { targets: { members: ['jna'] } });
    const m = await advisoryIn('member-jna', 'jna-1', advisoryId);
    const res = await api<LocalError>('POST', '/local/api/press', 'jna-1', { channelId: 'member-jna', messageId: m.id, action: 'phone_claim', value: 'x' });
    expect(res.status).toBe(403);
    expect(res.json.error.code).toBe('AUTH.NOT_ONCALL');
    // The board's claim too: the core refuses the member before it looks for the task.
    const fromBoard = await api<LocalError>('POST', '/local/api/press', 'jna-1', { channelId: 'member-jna', messageId: m.id, action: 'phone_board_claim', value: 'x' });
    expect(fromBoard.status).toBe(403);
    expect(fromBoard.json.error).toMatchObject({ code: 'AUTH.NOT_ONCALL', message: ERROR_TEXT['AUTH.NOT_ONCALL'] });
    const unknown = await api<LocalError>('POST', '/local/api/press', 'jna-1', { channelId: 'member-jna', messageId: m.id, action: 'delete_everything' });
    expect(unknown.status).toBe(400);
    expect(unknown.json.error.fields).toHaveProperty('action');

    // A delivery that cannot be posted (TLP:AMBER+STRICT into JAHIS's shared channel) goes straight to
    // the phone step: its task is what the on-call list must show.
    const failing = await issue('ローカル 電話一覧', { tlp: 'TLP:AMBER+STRICT', targets: { members: ['jahis'] } });
    type Tasks = { tasks: { advisoryId: string; memberName: { ja: string }; state: string }[] };
    const listed = await eventually(async () => {
      const list = await api<Tasks>('GET', '/local/api/oncall', 'oncall-1');
      expect(list.status).toBe(200);
      const mine = list.json.tasks.filter((t) => t.advisoryId === failing);
      return mine.length > 0 && mine;
    }, { description: 'the phone task in the on-call list' });
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ memberName: { ja: '保健医療福祉情報システム工業会' }, state: 'open' });
    // The member whose advisory was posted has no task (its ladder is hours away).
    const all = await api<Tasks>('GET', '/local/api/oncall', 'oncall-1');
    expect(all.json.tasks.filter((t) => t.advisoryId === advisoryId)).toEqual([]);
    const refused = await api<LocalError>('GET', '/local/api/oncall', 'jna-1');
    expect(refused.status).toBe(403);
    expect(refused.json.error.code).toBe('AUTH.NOT_ONCALL');
  });

  it('the phone step puts the task on the board in the on-call channel; a claim from it sends the task to the claimer directly', async () => {
    // JAHIS's channel is shared outside: TLP:AMBER+STRICT fails there and goes straight to the phone step.
    const advisoryId = await issue('ローカル 連絡がついた', { tlp: 'TLP:AMBER+STRICT', targets: { members: ['jahis'] } });
    const board = await boardOf(advisoryId, (b) => b.body.view.rows.length === 1);
    // Nothing is posted per task any more: the on-call channel has the board and no task message of this advisory.
    const oncall = (await api<{ messages: LocalMessage[] }>('GET', '/local/api/channels/oncall/messages', 'oncall-1')).json.messages;
    expect(oncall.filter((m) => m.body.kind === 'phone_task' && m.body.view.advisoryId === advisoryId)).toEqual([]);
    expect(oncall.filter((m) => m.body.kind === 'phone_board' && m.body.view.advisoryId === advisoryId).map((m) => m.id)).toEqual([board.id]);
    const row = board.body.view.rows[0]!;
    expect(row).toMatchObject({ memberName: { ja: '保健医療福祉情報システム工業会' }, state: 'open', tried: 0, contacts: 2 });
    // The page's words and claim control come with it: the lines Slack and Teams show.
    expect(board.body.board).toEqual({ ...phoneBoardLines(board.body.view), claim: BT.claim, claimPlaceholder: BT.claimPlaceholder });
    expect(board.body.board?.claimable.map((r) => r.taskId)).toEqual([row.taskId]);

    // A member cannot claim: they are not in the on-call channel.
    const member = await claim('jahis-1', board.id, row.taskId);
    expect(member.status).toBe(403);
    expect(member.json.error.code).toBe('LOCAL.NOT_A_MEMBER');

    expect((await claim('oncall-1', board.id, row.taskId)).status).toBe(200);
    const copy = await taskIn('dm-oncall-1', 'oncall-1', row.taskId);
    expect(copy.body.view).toMatchObject({ advisoryId, state: 'claimed', claimedBy: '電話当番 A' });
    // Only the claimer reads their direct messages.
    expect((await api<LocalError>('GET', '/local/api/channels/dm-oncall-1/messages', 'oncall-2')).status).toBe(403);
    // The board says who is on it, and offers the task no more.
    const claimed = await boardOf(advisoryId, (b) => b.body.view.rows[0]?.state === 'claimed');
    expect(claimed.id).toBe(board.id);
    expect(claimed.body.board?.rows[0]).toMatchObject({ mark: '📞', claimable: false });
    expect(claimed.body.board?.claimable).toEqual([]);
    // Claiming again is the same claim (the copy is not sent twice).
    expect((await claim('oncall-1', board.id, row.taskId)).status).toBe(200);

    // "Reached" names the contact who answered: the copy offers one choice per contact; a forged one is refused.
    const view = copy.body.view;
    expect(view.reachedChoices.map((c) => [c.index, c.name, c.role, c.current])).toEqual([
      [0, '遠藤 智也', 'セキュリティ委員会 委員長', true],
      [1, '青木 麻衣', '事務局 主任', false],
    ]);
    const aoki = view.reachedChoices[1]!.choice;
    const press = (user: string, value: string) =>
      api<LocalError>('POST', '/local/api/press', user, { channelId: 'dm-oncall-1', messageId: copy.id, action: 'phone_reached', value });
    // The first contact's fingerprint under the second's index: the button was not drawn for that person.
    const forged = await press('oncall-1', `${view.taskId}#1:${view.reachedChoices[0]!.choice.split(':')[1]}`);
    expect(forged.status).toBe(409);
    expect(forged.json.error).toMatchObject({ code: 'PHONE.UNKNOWN_CONTACT', message: ERROR_TEXT['PHONE.UNKNOWN_CONTACT'] });
    const plain = await press('oncall-1', view.taskId);
    expect(plain.json.error.code).toBe('PHONE.UNKNOWN_CONTACT');
    expect((await press('oncall-2', `${view.taskId}#${aoki}`)).status).toBe(403);

    expect((await press('oncall-1', `${view.taskId}#${aoki}`)).status).toBe(200);
    const acknowledged = await eventually(async () => {
      const s = await api<StatusView>('GET', `/local/api/advisories/${advisoryId}/status`, 'sec-1');
      return s.json.rows.find((r) => r.memberId === 'jahis' && r.state === 'acknowledged');
    }, { description: 'JAHIS acknowledged by phone' });
    expect(acknowledged).toMatchObject({ via: 'phone', acknowledgedBy: '電話当番 A', reachedContact: { index: 1, name: '青木 麻衣', role: '事務局 主任' } });
    // The copy now names whom the caller reached; pressing again is refused as closed.
    const again = await press('oncall-1', `${view.taskId}#${aoki}`);
    expect(again.json.error.code).toBe('PHONE.CLOSED');
    const done = await taskIn('dm-oncall-1', 'oncall-1', row.taskId, (v) => v.state === 'done');
    expect(done.body.view.resolution).toMatchObject({ by: '電話当番 A', contact: { index: 1, name: '青木 麻衣' } });
    expect(done.body.view.reachedChoices).toEqual([]);
    // And the board marks the row reached, by whom.
    const reached = await boardOf(advisoryId, (b) => b.body.view.rows[0]?.state === 'done');
    expect(reached.body.board?.rows[0]).toMatchObject({ mark: '✅', ended: true, claimable: false });
    expect(reached.body.board?.rows[0]?.parts).toContainEqual(BT.reachedBy('電話当番 A'));
    // A claim of the ended task is refused as such.
    const late = await claim('oncall-2', board.id, row.taskId);
    expect(late.status).toBe(409);
    expect(late.json.error).toMatchObject({ code: 'PHONE.CLOSED', message: ERROR_TEXT['PHONE.CLOSED'] });
  });

  it('keeps the board claim strict: the task id is required and checked; the press must come from that task\'s board', async () => {
    const advisoryId = await issue('ローカル ボード検証', { tlp: 'TLP:AMBER+STRICT', targets: { members: ['jahis'] } });
    const board = await boardOf(advisoryId, (b) => b.body.view.rows.length === 1);
    const taskId = board.body.view.rows[0]!.taskId;
    const bad = async (value: unknown) => {
      const res = await api<LocalError>('POST', '/local/api/press', 'oncall-1', { channelId: 'oncall', messageId: board.id, action: 'phone_board_claim', ...(value === undefined ? {} : { value }) });
      expect(res.status).toBe(400);
      expect(res.json.error.code).toBe('LOCAL.INVALID');
      return res.json.error.fields;
    };
    expect(Object.keys((await bad(undefined)) ?? {})).toEqual(['value']);
    expect((await bad(''))?.['value']).toEqual({ ja: '担当する依頼を選んでください。', en: 'Choose a task to claim.' });
    expect(Object.keys((await bad('x'.repeat(201))) ?? {})).toEqual(['value']);
    expect(Object.keys((await bad(`${taskId} x`)) ?? {})).toEqual(['value']);
    expect(Object.keys((await bad(42)) ?? {})).toEqual(['value']);
    // An id the store does not know, and the right task claimed from another message (not its board): refused.
    const unknown = await claim('oncall-1', board.id, 'no-such-task');
    expect(unknown.status).toBe(404);
    expect(unknown.json.error).toMatchObject({ code: 'PHONE.NOT_FOUND', message: ERROR_TEXT['PHONE.NOT_FOUND'] });
    const otherAdvisory = await issue('ローカル ボード検証 2', { tlp: 'TLP:AMBER+STRICT', targets: { members: ['jahis'] } });
    const otherBoard = await boardOf(otherAdvisory, (b) => b.body.view.rows.length === 1);
    const wrongBoard = await claim('oncall-1', otherBoard.id, taskId);
    expect(wrongBoard.status).toBe(409);
    expect(wrongBoard.json.error.code).toBe('PHONE.NOT_YOURS');
    // Nothing of that was a claim.
    expect((await boardOf(advisoryId, (b) => b.body.view.rows.length === 1)).body.view.rows[0]?.state).toBe('open');
  });

  it('refuses TLP:AMBER+STRICT in the shared JAHIS channel and sends TLP:RED by direct message', async () => {
    const strict = await issue('ローカル STRICT', { tlp: 'TLP:AMBER+STRICT', targets: { members: ['jahis'] } });
    const failed = await eventually(async () => {
      const s = await api<StatusView>('GET', `/local/api/advisories/${strict}/status`, 'sec-1');
      return s.json.rows.find((r) => r.memberId === 'jahis' && r.state === 'failed');
    });
    expect(failed.failure).toBe('TLP_SHARED_CHANNEL');
    const channel = await api<{ messages: LocalMessage[] }>('GET', '/local/api/channels/member-jahis/messages', 'jahis-1');
    expect(channel.json.messages.some((m) => m.body.kind === 'advisory' && m.body.view.advisoryId === strict)).toBe(false);

    let red = '';
    const isRed = (e: { event: string; data: unknown }) => {
      const m = e.data as LocalMessage;
      return e.event === 'message' && m.body.kind === 'advisory' && m.body.view.advisoryId === red;
    };
    const { events } = await readEvents('jda-1', (evs) => evs.some(isRed), async () => {
      red = await issue('ローカル RED', { tlp: 'TLP:RED', targets: { members: ['jda'] } });
    });
    expect(events.filter((e) => e.event === 'channel').map((e) => e.data)).toEqual([expect.objectContaining({ id: 'dm-jda-1', kind: 'direct', members: ['jda-1'] })]);
    const dm = events.find(isRed)?.data as LocalMessage;
    expect(dm.channelId).toBe('dm-jda-1');
    expect(dm.body).toMatchObject({ kind: 'advisory', view: { audience: 'direct', tlp: 'TLP:RED' } });
    // Never in the member channel.
    const channelPosts = await api<{ messages: LocalMessage[] }>('GET', '/local/api/channels/member-jda/messages', 'jda-1');
    expect(channelPosts.json.messages.filter((m) => m.body.kind === 'advisory' && m.body.view.advisoryId === red)).toEqual([]);
    expect((await api('GET', '/local/api/channels/dm-jda-1/messages', 'jda-2')).status).toBe(403);
    // The other contact has it in their own direct conversation.
    await eventually(async () => {
      const own = await api<{ messages: LocalMessage[] }>('GET', '/local/api/channels/dm-jda-2/messages', 'jda-2');
      return own.status === 200 && own.json.messages.some((m) => m.body.kind === 'advisory' && m.body.view.advisoryId === red);
    }, { description: 'the RED advisory in dm-jda-2' });
    expect((await api<LocalSession>('GET', '/local/api/session', 'jda-1')).json.channels.map((c) => c.id)).toContain('dm-jda-1');
    expect((await api<LocalSession>('GET', '/local/api/session', 'jda-2')).json.channels.map((c) => c.id)).toContain('dm-jda-2');
  });

  it('keeps the event stream alive with heartbeats', async () => {
    const start = Date.now();
    const { comments } = await readEvents('oncall-1', () => Date.now() - start > 700, async () => {});
    expect(comments).toBeGreaterThanOrEqual(1);
  });
});

describe('lifecycle commands in the local workspace', () => {
  const JMA_CHANNEL = 'member-jma';

  it('a follow-up asking for acknowledgement has its own button in the thread; a press on it acknowledges round 2', async () => {
    const id = await issue(`round ${randomUUID()}`, { targets: { members: ['jma'] } });
    const copy = await advisoryIn(JMA_CHANNEL, 'jma-1', id);
    const messages = async () => (await api<{ messages: LocalMessage[] }>('GET', `/local/api/channels/${JMA_CHANNEL}/messages`, 'jma-1')).json.messages;

    // Minutes out of range come back on their field.
    const bad = await api<LocalError>('POST', `/local/api/advisories/${id}/followup`, 'sec-1', { body: '再確認をお願いします', acknowledge: true, ackDeadlineMinutes: '0' });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.json.error.fields ?? {})).toEqual(['ackDeadlineMinutes']);
    const followup = await api<{ changed: boolean }>('POST', `/local/api/advisories/${id}/followup`, 'sec-1', { body: '再確認をお願いします', acknowledge: true, ackDeadlineMinutes: '45' });
    expect(followup.status).toBe(200);
    const reply = await eventually(
      async () => (await messages()).find((m) => m.threadOf === copy.id && m.body.kind === 'followup' && m.body.view.ack !== undefined),
      { description: 'the follow-up asking for acknowledgement' },
    );
    const view = reply.body.kind === 'followup' ? reply.body.view : undefined;
    expect(view?.ack).toMatchObject({ round: 2 });
    expect(view?.ack?.acknowledged).toBeUndefined();
    // The copy points to the follow-up.
    await eventually(async () => (await messages()).find((m) => m.id === copy.id && m.body.kind === 'advisory' && m.body.view.laterRound?.followup === 1), {
      description: 'the copy pointing to the follow-up',
    });

    const ack = await api<{ notice?: Bilingual }>('POST', '/local/api/press', 'jma-1', { channelId: JMA_CHANNEL, messageId: reply.id, action: 'advisory_ack', value: view?.deliveryId });
    expect(ack.status).toBe(200);
    expect(ack.json.notice?.ja).toBe('受領確認を記録しました。');
    const done = await eventually(
      async () => (await messages()).find((m) => m.id === reply.id && m.body.kind === 'followup' && m.body.view.ack?.acknowledged !== undefined),
      { description: 'the follow-up showing who acknowledged' },
    );
    expect(done.body.kind === 'followup' && done.body.view.ack?.acknowledged?.via).toBe('button');
    const status = await api<StatusView>('GET', `/local/api/advisories/${id}/status`, 'sec-1');
    expect(status.json.round).toMatchObject({ n: 2, followup: 1 });
    expect(status.json.rows[0]).toMatchObject({ state: 'acknowledged', via: 'button' });
    // The copy's own press asks for round 1, which the follow-up replaced.
    const old = await api<LocalError>('POST', '/local/api/press', 'jma-2', { channelId: JMA_CHANNEL, messageId: copy.id, action: 'advisory_ack', value: view?.deliveryId });
    expect(old.json.error.code).toBe('DELIVERY.ROUND_ENDED');
  });

  it('a follow-up goes into the thread of the member copy; a correction edits it; a withdrawal replaces it', async () => {
    const id = await issue(`lifecycle ${randomUUID()}`);
    const copy = await advisoryIn(JMA_CHANNEL, 'jma-1', id);

    const form = await api<{ advisoryId: string; title: string; state: string }>('GET', `/local/api/advisories/${id}/lifecycle`, 'sec-1');
    expect(form.status).toBe(200);
    expect(form.json).toMatchObject({ advisoryId: id, state: 'open' });

    const followup = await api<{ changed: boolean; message: Bilingual }>('POST', `/local/api/advisories/${id}/followup`, 'sec-1', { body: '修正版が出ました' });
    expect(followup.status).toBe(200);
    expect(followup.json.message.ja).toContain(`${id} の続報`);
    const reply = await eventually(
      async () => (await api<{ messages: LocalMessage[] }>('GET', `/local/api/channels/${JMA_CHANNEL}/messages`, 'jma-1')).json.messages.find((m) => m.threadOf === copy.id && m.body.kind === 'followup'),
      { description: 'the follow-up in the thread' },
    );
    expect(reply.body.kind === 'followup' && reply.body.view.body).toBe('修正版が出ました');

    const blankNote = await api<LocalError>('POST', `/local/api/advisories/${id}/correct`, 'sec-1', { title: '訂正後', note: '' });
    expect(blankNote.status).toBe(400);
    expect(Object.keys(blankNote.json.error.fields ?? {})).toEqual(['note']);
    expect((await api('POST', `/local/api/advisories/${id}/correct`, 'sec-1', { title: '訂正後の件名', note: '件名の誤り' })).status).toBe(200);
    const corrected = await eventually(
      async () => {
        const m = (await api<{ messages: LocalMessage[] }>('GET', `/local/api/channels/${JMA_CHANNEL}/messages`, 'jma-1')).json.messages.find((x) => x.id === copy.id);
        return m?.body.kind === 'advisory' && m.body.view.title === '訂正後の件名' && m;
      },
      { description: 'the corrected copy' },
    );
    expect(corrected.body.kind === 'advisory' && corrected.body.lifecycle?.lines.map((l) => l.ja)[0]).toContain('件名の誤り');

    expect((await api<LocalError>('POST', `/local/api/advisories/${id}/withdraw`, 'jma-1', { reason: 'x' })).status).toBe(403);
    expect((await api('POST', `/local/api/advisories/${id}/withdraw`, 'sec-1', { reason: '誤報' })).status).toBe(200);
    const withdrawn = await eventually(
      async () => {
        const m = (await api<{ messages: LocalMessage[] }>('GET', `/local/api/channels/${JMA_CHANNEL}/messages`, 'jma-1')).json.messages.find((x) => x.id === copy.id);
        return m?.body.kind === 'advisory' && m.body.lifecycle?.replaced && m;
      },
      { description: 'the withdrawn copy' },
    );
    expect(withdrawn.body.kind === 'advisory' && withdrawn.body.view.withdrawn?.reason).toBe('誤報');
    // Closing a withdrawn advisory changes nothing, and says so.
    const close = await api<{ changed: boolean }>('POST', `/local/api/advisories/${id}/close`, 'sec-1', {});
    expect(close.json.changed).toBe(false);
  });
});
