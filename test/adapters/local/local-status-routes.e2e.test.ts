/**
 * The local workspace's status routes over HTTP: the query goes to the core as given (state, group, platform,
 * offset, limit), a value the core cannot read is 400 ADVISORY.INVALID naming that field, and the list of
 * advisories is newest first with its counts; both for the secretariat only.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalError } from '../../../adapters/local/local-api.js';
import { startBot, type RunningBot } from '../../../src/main.js';
import { createLogger } from '../../../src/log.js';
import type { AdvisorySummaryView, StatusView } from '../../../src/view/views.js';
import { REDIS_URL } from '../../support/bot-harness.js';

let bot: RunningBot;
let dir: string;
const prefix = `t-${randomUUID().slice(0, 8)}`;
let first: string;
let second: string;

async function api<T>(method: string, path: string, user: string, body?: unknown): Promise<{ status: number; json: T }> {
  const res = await fetch(`${bot.url}${path}`, {
    method,
    headers: { 'x-local-user': user, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, json: (await res.json()) as T };
}

async function issue(title: string, targets: Record<string, unknown>): Promise<string> {
  const input = { title, body: '本文', tlp: 'TLP:GREEN', severity: 'level2', category: 'vulnerability', source: 'nisc', targets };
  const res = await api<{ advisoryId: string }>('POST', '/local/api/advisories', 'sec-1', { requestKey: randomUUID(), input });
  expect(res.status).toBe(201);
  return res.json.advisoryId;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ceptoar-status-routes-'));
  bot = await startBot({
    env: { LOCAL_WORKSPACE: 'on', PORT: '0', REDIS_URL, QUEUE_PREFIX: prefix, DATA_DIR: join(dir, 'data'), MEMBERS_FILE: 'config/members.example.yaml' },
    log: createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'),
  });
  first = await issue('一つ目', { members: ['jma'] });
  second = await issue('二つ目', { allMembers: true });
}, 60_000);

afterAll(async () => {
  await bot?.close();
  const redis = new Redis(REDIS_URL);
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
  await rm(dir, { recursive: true, force: true });
});

describe('GET /local/api/advisories/:id/status with a query', () => {
  it('passes offset and limit through: one page, the counts of everyone', async () => {
    const all = await api<StatusView>('GET', `/local/api/advisories/${second}/status`, 'sec-1');
    expect(all.status).toBe(200);
    const total = all.json.counts.total;
    expect(total).toBeGreaterThan(5);
    const res = await api<StatusView>('GET', `/local/api/advisories/${second}/status?offset=2&limit=3`, 'sec-1');
    expect(res.status).toBe(200);
    expect(res.json.page).toMatchObject({ offset: 2, limit: 3, matching: total });
    expect(res.json.rows.map((r) => r.memberId)).toEqual(all.json.rows.slice(2, 5).map((r) => r.memberId));
    expect(res.json.counts.total).toBe(total);
  });

  it('passes state, group and platform through', async () => {
    const state = await api<StatusView>('GET', `/local/api/advisories/${second}/status?state=acknowledged`, 'sec-1');
    expect(state.status).toBe(200);
    expect(state.json.page?.query.state).toBe('acknowledged');
    expect(state.json.rows.every((r) => r.state === 'acknowledged')).toBe(true);
    const group = state.json.groups?.[0]?.id;
    expect(group).toBeDefined();
    const byGroup = await api<StatusView>('GET', `/local/api/advisories/${second}/status?group=${encodeURIComponent(group ?? '')}`, 'sec-1');
    expect(byGroup.json.page?.query.group).toBe(group);
    expect(byGroup.json.page?.matching).toBeLessThan(byGroup.json.counts.total);
    const slack = await api<StatusView>('GET', `/local/api/advisories/${second}/status?platform=slack`, 'sec-1');
    expect(slack.status).toBe(200);
    // Every channel in the local workspace is a local one.
    expect(slack.json.page?.matching).toBe(0);
    const local = await api<StatusView>('GET', `/local/api/advisories/${second}/status?platform=local`, 'sec-1');
    expect(local.json.page?.matching).toBe(local.json.counts.total);
  });

  it.each([
    ['state=everyone', 'state'],
    ['platform=fax', 'platform'],
    ['offset=-1', 'offset'],
    ['limit=501', 'limit'],
    ['limit=abc', 'limit'],
    // A parameter the core does not know: it names the query as a whole.
    ['colour=red', 'query'],
  ])('refuses %s with 400 naming %s', async (query, field) => {
    const res = await api<LocalError>('GET', `/local/api/advisories/${second}/status?${query}`, 'sec-1');
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe('ADVISORY.INVALID');
    expect(Object.keys(res.json.error.fields ?? {})).toEqual([field]);
  });

  it('is for the secretariat only', async () => {
    const res = await api<LocalError>('GET', `/local/api/advisories/${second}/status?state=silent`, 'jma-1');
    expect(res.status).toBe(403);
  });
});

describe('GET /local/api/advisories', () => {
  it('lists the advisories newest first with their counts; limit is passed on', async () => {
    const res = await api<AdvisorySummaryView[]>('GET', '/local/api/advisories', 'sec-1');
    expect(res.status).toBe(200);
    expect(res.json.slice(0, 2).map((a) => a.advisoryId)).toEqual([second, first]);
    expect(res.json[1]?.counts.total).toBe(1);
    const one = await api<AdvisorySummaryView[]>('GET', '/local/api/advisories?limit=1', 'sec-1');
    expect(one.json.map((a) => a.advisoryId)).toEqual([second]);
  });

  it('is for the secretariat only', async () => {
    expect((await api<LocalError>('GET', '/local/api/advisories', 'jma-1')).status).toBe(403);
  });
});
