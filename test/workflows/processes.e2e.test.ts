/**
 * The bot as operating-system processes (`node --import tsx src/main.ts`): two of them on one Redis
 * and one store share the work without doing any of it twice; and a Redis outage is said once when
 * it starts and once when it ends, through pino, with no raw connection errors on the console.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { POST_EVENT_TYPE } from '../../adapters/slack/slack-blocks.js';
import { SIGNING_SECRET } from '../support/bot-harness.js';
import { startBotProcess, type BotProcess } from '../support/bot-process.js';
import { formValues, VALID_FORM } from '../support/advisory-form.js';
import { startFakeSlack, type FakeSlack, type StoredMessage } from '../support/fake-slack.js';
import { writeFastPolicies } from '../support/fast-policies.js';
import { SlackSender } from '../support/slack-requests.js';
import { startTestRedis, type TestRedis } from '../support/redis-server.js';
import { eventually } from '../support/eventually.js';
import { sectionLines } from '../support/slack-read.js';

let fake: FakeSlack;
let redis: TestRedis;
let dir: string;
const running: BotProcess[] = [];

beforeAll(async () => {
  fake = await startFakeSlack();
  redis = await startTestRedis();
  dir = await mkdtemp(join(tmpdir(), 'ceptoar-procs-'));
});
afterEach(async () => {
  for (const p of running.splice(0)) await p.kill('SIGTERM');
  await redis.start();
});
afterAll(async () => {
  await fake?.close();
  await redis?.close();
  await rm(dir, { recursive: true, force: true });
});

async function envFor(name: string): Promise<Record<string, string>> {
  return {
    SLACK_BOT_TOKEN: 'xoxb-test-token',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: fake.url,
    REDIS_URL: redis.url,
    QUEUE_PREFIX: `t-${randomUUID().slice(0, 8)}`,
    DATA_DIR: join(dir, name),
    MEMBERS_FILE: 'config/members.example.yaml',
    ESCALATION_FILE: await writeFastPolicies(join(dir, `${name}-escalation.yaml`)),
    WORKER_LOCK_MS: '2000',
    WORKER_STALLED_CHECK_MS: '1000',
    RECONCILE_EVERY_MS: '1000',
    SHUTDOWN_GRACE_MS: '2000',
  };
}

const kindOf = (m: StoredMessage) => String(m.metadata?.event_payload['kind'] ?? '');
const keyOf = (m: StoredMessage) => String(m.metadata?.event_payload['key'] ?? '');
const ours = (channel: string, kind: string, prefix: string) =>
  fake.messages(channel).filter((m) => m.metadata?.event_type === POST_EVENT_TYPE && kindOf(m) === kind && keyOf(m).startsWith(prefix));

describe('two bot processes on one Redis and one store', () => {
  it('post each delivery once and run each ladder step once', async () => {
    const env = await envFor('shared');
    const a = await startBotProcess(env);
    running.push(a);
    const b = await startBotProcess(env);
    running.push(b);
    const members = { jma: 'C0JMA00001', jda: 'C0JDA00001', jpa: 'C0JPA00001', jna: 'C0JNA00001' };
    const title = `二重起動 ${randomUUID().slice(0, 6)}`;
    await new SlackSender(`${a.url}/slack/events`, SIGNING_SECRET).submitAdvisory({
      userId: 'U0SEC00001',
      viewId: `VPROC${Date.now()}`,
      values: formValues({ ...VALID_FORM, title, allMembers: false, members: Object.keys(members) }),
    });
    const notice = await fake.waitFor(() => fake.messages('C0SEC00001').find((m) => m.text.includes(title)), { timeoutMs: 20_000 });
    const id = /ADV-\d{4}-\d{4}/.exec(notice.text)![0];
    // One grouped alert for the wave of silent members, edited in place as each ladder ends.
    const alerts = () => ours('C0SEC00001', 'notice', `${id}.alerts.`);
    const memberLines = () => alerts().flatMap((m) => sectionLines(m.blocks).filter((l) => l.startsWith('⏳ *')));
    await fake.waitFor(() => memberLines().length >= 4, { timeoutMs: 40_000, description: 'every ladder ended' });
    // Let anything that would be a duplicate arrive.
    await new Promise((r) => setTimeout(r, 1_500));

    for (const [member, channel] of Object.entries(members)) {
      expect(ours(channel, 'advisory', `${id}.`), `${member} advisory`).toHaveLength(1);
      expect(ours(channel, 'reminder', `${id}.`), `${member} reminder`).toHaveLength(1);
    }
    // The tasks are rows of one board page, posted once by whichever process got there first, and no task posted alone.
    expect(ours('C0ONC00001', 'phone_board', `${id}.`).map(keyOf)).toEqual([`${id}.board.p1`]);
    expect(ours('C0ONC00001', 'phone_task', `${id}.`)).toHaveLength(0);
    expect(alerts()).toHaveLength(1);
    const names = ['Japan Medical Association', 'Japan Dental Association', 'Japan Pharmaceutical Association', 'Japanese Nursing Association'];
    for (const name of names) expect(memberLines().filter((l) => l.includes(` / ${name}*`)), `${name} in the alert`).toHaveLength(1);
    expect(memberLines()).toHaveLength(4);
    expect(fake.messages('C0SEC00001').filter((m) => m.text.includes(title) && kindOf(m) === 'notice' && keyOf(m).endsWith('.issued'))).toHaveLength(1);
  }, 90_000);
});

describe('a Redis outage, as the operator sees it', () => {
  it('start-up waits for Redis with one clear line and says nothing of being ready before it answers', async () => {
    await redis.stop();
    const output: string[] = [];
    const starting = startBotProcess(await envFor('late-redis'), 40_000, output);
    await eventually(async () => output.some((l) => l.includes('Waiting for Redis')), { description: 'the waiting line' });
    await new Promise((r) => setTimeout(r, 2_000));
    expect(output.some((l) => l.includes('ceptoar-bot listening'))).toBe(false);
    await redis.start();
    const bot = await starting;
    running.push(bot);
    expect(output.filter((l) => l.includes('Waiting for Redis'))).toHaveLength(1);
    expect((await fetch(`${bot.url}/readyz`)).status).toBe(200);
  }, 90_000);

  it('is logged once when it starts and once when it ends, through pino; nothing raw on the console', async () => {
    const bot = await startBotProcess(await envFor('outage'));
    running.push(bot);
    const start = bot.output.length;
    await redis.stop();
    await eventually(async () => bot.output.slice(start).some((l) => l.includes('Redis is unreachable')), { description: 'outage logged' });
    // Long enough for many reconnection attempts by every connection (ours and BullMQ's).
    await new Promise((r) => setTimeout(r, 4_000));
    await redis.start();
    await eventually(async () => bot.output.slice(start).some((l) => l.includes('Redis is reachable again')), { timeoutMs: 20_000, description: 'recovery logged' });
    await new Promise((r) => setTimeout(r, 1_000));

    const lines = bot.output.slice(start);
    expect(lines.filter((l) => l.includes('Redis is unreachable'))).toHaveLength(1);
    expect(lines.filter((l) => l.includes('Redis is reachable again'))).toHaveLength(1);
    const raw = lines.filter((l) => {
      try {
        JSON.parse(l);
        return false;
      } catch {
        return true;
      }
    });
    expect(raw, 'lines that bypassed pino').toEqual([]);
    const errors = lines.map((l) => JSON.parse(l) as { level: number; msg: string }).filter((e) => e.level >= 50);
    expect(errors.map((e) => e.msg)).toEqual([expect.stringContaining('Redis is unreachable')]);
  }, 90_000);
});
