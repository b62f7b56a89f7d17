/**
 * The store is the truth; Redis holds only work that can be rebuilt from it. Each test runs the real
 * bot (Bolt endpoint, BullMQ workers, the embedded store) on a Redis of its own, which it flushes,
 * stops and restarts, against a fake Slack; and asserts that nothing owed to a member is lost and
 * nothing is done twice.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ACK_ACTION_ID } from '../../adapters/slack/advisory-blocks.js';
import { POST_EVENT_TYPE } from '../../adapters/slack/slack-blocks.js';
import { startHarness, type Harness } from '../support/bot-harness.js';
import { formValues, VALID_FORM, type FormFields } from '../support/advisory-form.js';
import { eventually } from '../support/eventually.js';
import { sectionLines } from '../support/slack-read.js';
import type { FakeSlack, StoredMessage } from '../support/fake-slack.js';
import { writeFastPolicies } from '../support/fast-policies.js';
import { startTestRedis, type TestRedis } from '../support/redis-server.js';

const SECRETARIAT = { platform: 'slack' as const, userId: 'U0SEC00001' };
const SECRETARIAT_CHANNEL = 'C0SEC00001';
const ONCALL_CHANNEL = 'C0ONC00001';
/** The example directory's 17 members and their channels. */
const MEMBER_CHANNELS: Record<string, string> = {
  jma: 'C0JMA00001', jda: 'C0JDA00001', jpa: 'C0JPA00001', jna: 'C0JNA00001', jmha: 'C0JMHA0001', ajha: 'C0AJHA0001',
  jamc: 'C0JAMC0001', japmc: 'C0JAPMC001', jpha: 'C0JPHA0001', jha: 'C0JHA00001', jamcf: 'C0JAMCF001', nho: 'C0NHO00001',
  johas: 'C0JOHAS001', jasmc: 'C0JASMC001', jcho: 'C0JCHO0001', jarhf: 'C0JARHF001', acbcw: 'C0ACBCW001',
};

const keyOf = (m: StoredMessage) => String(m.metadata?.event_payload['key'] ?? '');
const kindOf = (m: StoredMessage) => String(m.metadata?.event_payload['kind'] ?? '');
const ours = (fake: FakeSlack, channel: string, kind: string, advisoryId: string) =>
  fake.messages(channel).filter((m) => m.metadata?.event_type === POST_EVENT_TYPE && kindOf(m) === kind && keyOf(m).startsWith(`${advisoryId}.`));
/** The secretariat's grouped alerts of silent members (one message per advisory and wave, edited in place). */
const alerts = (fake: FakeSlack, advisoryId: string) => ours(fake, SECRETARIAT_CHANNEL, 'notice', `${advisoryId}.alerts.escalation`);
/** The members an alert lists as still silent, one line each. */
const silentLines = (messages: StoredMessage[]) => messages.flatMap((m) => sectionLines(m.blocks).filter((l) => l.startsWith('⏳ *')));

let dir: string;
let policies: string;
let redis: TestRedis;
let h: Harness | undefined;
let seq = 0;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ceptoar-redis-loss-'));
  policies = await writeFastPolicies(join(dir, 'escalation.yaml'));
  redis = await startTestRedis();
});
afterEach(async () => {
  await h?.close();
  h = undefined;
  // Every test starts with a running, empty Redis of its own.
  await redis.start().catch(() => undefined);
  await redis.flush();
});
afterAll(async () => {
  await redis?.close();
  await rm(dir, { recursive: true, force: true });
});

async function bot(env: Record<string, string> = {}): Promise<Harness> {
  h = await startHarness({ env: { REDIS_URL: redis.url, RECONCILE_EVERY_MS: '500', JOB_BACKOFF_MS: '100', SHUTDOWN_GRACE_MS: '1000', ...env } });
  return h;
}

/** Submit the form as the secretariat; the advisory id comes from the secretariat channel's notice. */
async function issue(harness: Harness, fields: FormFields): Promise<string> {
  const title = `${fields.title ?? 'T'} ${++seq}`;
  await harness.slack.submitAdvisory({ userId: SECRETARIAT.userId, viewId: `VRL${Date.now()}${seq}`, values: formValues({ ...fields, title }) });
  const m = await harness.fake.waitFor(() => harness.fake.messages(SECRETARIAT_CHANNEL).find((x) => x.text.includes(title) && /ADV-\d{4}-\d{4}/.test(x.text)), {
    timeoutMs: 15_000,
    description: 'the issued notice',
  });
  return /ADV-\d{4}-\d{4}/.exec(m.text)![0];
}

describe('Redis loses its data', () => {
  it('flushed mid-ladder: every silent member still gets one reminder, one phone task and one alert', async () => {
    const harness = await bot({ ESCALATION_FILE: policies });
    const members = Object.keys(MEMBER_CHANNELS);
    const id = await issue(harness, { ...VALID_FORM, allMembers: true });
    // Every reminder is out: the phone steps wait in Redis as delayed jobs. Then Redis forgets them all.
    await harness.fake.waitFor(() => members.every((m) => ours(harness.fake, MEMBER_CHANNELS[m]!, 'reminder', id).length > 0), { timeoutMs: 20_000, description: 'every reminder' });
    await redis.flush();

    await harness.fake.waitFor(() => silentLines(alerts(harness.fake, id)).length >= members.length, { timeoutMs: 40_000, description: 'every member in the alert' });
    await eventually(async () => (await harness.bot.core.statusOf(SECRETARIAT, id)).rows.every((r) => r.ladder?.kind === 'alert'), { description: 'every ladder at its end' });
    const allAlerts = alerts(harness.fake, id);
    for (const m of members) {
      expect(ours(harness.fake, MEMBER_CHANNELS[m]!, 'advisory', id), `${m} advisory`).toHaveLength(1);
      expect(ours(harness.fake, MEMBER_CHANNELS[m]!, 'reminder', id), `${m} reminder`).toHaveLength(1);
    }
    // One phone task per member in the store, each on the board (one page, posted once) exactly once.
    const tasks = await harness.bot.core.oncallList(SECRETARIAT);
    expect(tasks.tasks.filter((t) => t.advisoryId === id)).toHaveLength(members.length);
    // The board follows at its own throttled pace (its job, lost in the flush, rebuilt by the reconciler): it may come
    // after the last ladder reached its alert.
    await harness.fake.waitFor(() => ours(harness.fake, ONCALL_CHANNEL, 'phone_board', id).length > 0, { timeoutMs: 20_000, description: 'the board posted' });
    const board = ours(harness.fake, ONCALL_CHANNEL, 'phone_board', id);
    expect(board).toHaveLength(1);
    expect(ours(harness.fake, ONCALL_CHANNEL, 'phone_task', id)).toHaveLength(0);
    const rows = await harness.fake.waitFor(() => {
      const lines = sectionLines(harness.fake.messages(ONCALL_CHANNEL).find((x) => x.ts === board[0]!.ts)?.blocks).filter((l) => / \*[^*]+\* — /.test(l));
      return lines.length === members.length && lines;
    }, { description: 'every member on the board' });
    expect(new Set(rows.map((l) => /\*([^*]+)\*/.exec(l)?.[1])).size).toBe(members.length);
    // One grouped alert (posted once), naming every member once.
    expect(allAlerts).toHaveLength(1);
    const lines = silentLines(allAlerts);
    expect(lines).toHaveLength(members.length);
    expect(new Set(lines.map((l) => /^⏳ \*([^*]+)\*/.exec(l)?.[1])).size).toBe(members.length);
  });

  it('stopped mid-fan-out and restarted empty: every delivery is posted, exactly once', async () => {
    // A slow Slack and two posts at a time: the fan-out is still going when Redis dies.
    const harness = await bot({ DELIVERY_CONCURRENCY: '2' });
    for (const channel of Object.values(MEMBER_CHANNELS)) harness.fake.failNext('chat.postMessage', { channel, delayMs: 250 });
    const title = `fan-out ${++seq}`;
    await harness.slack.submitAdvisory({ userId: SECRETARIAT.userId, viewId: `VRL-fan${seq}`, values: formValues({ ...VALID_FORM, title, allMembers: true }) });
    const posted = () => Object.values(MEMBER_CHANNELS).filter((c) => harness.fake.messages(c).some((m) => kindOf(m) === 'advisory')).length;
    await harness.fake.waitFor(() => posted() >= 3, { timeoutMs: 15_000, description: 'the fan-out under way' });
    await redis.stop();
    const postedBefore = posted();
    expect(postedBefore).toBeLessThan(Object.keys(MEMBER_CHANNELS).length);
    await new Promise((r) => setTimeout(r, 1_500));
    await redis.start();

    await harness.fake.waitFor(() => posted() === Object.keys(MEMBER_CHANNELS).length, { timeoutMs: 30_000, description: 'every channel has the advisory' });
    const id = /ADV-\d{4}-\d{4}/.exec(keyOf(harness.fake.messages(MEMBER_CHANNELS['jma']!).find((m) => kindOf(m) === 'advisory')!))![0];
    const status = await eventually(async () => {
      const s = await harness.bot.core.statusOf(SECRETARIAT, id);
      return s.counts.posted === s.counts.total && s;
    }, { description: 'every delivery recorded as posted' });
    expect(status.counts.total).toBe(17);
    for (const channel of Object.values(MEMBER_CHANNELS)) expect(ours(harness.fake, channel, 'advisory', id), channel).toHaveLength(1);
  });

  it("a fresh store on a Redis that kept an earlier store's jobs: the new ADV-2026-0001 is delivered", async () => {
    const members = ['jma', 'jda', 'jpa'];
    const first = await bot({ ESCALATION_FILE: policies });
    const prefix = first.prefix;
    const firstId = await issue(first, { ...VALID_FORM, allMembers: false, members });
    await first.fake.waitFor(() => members.every((m) => ours(first.fake, MEMBER_CHANNELS[m]!, 'advisory', firstId).length === 1), { description: 'first store delivered' });
    const press = async (harness: Harness, advisoryId: string, name: string) => {
      const post = ours(harness.fake, MEMBER_CHANNELS['jma']!, 'advisory', advisoryId)[0]!;
      await harness.slack.buttonPress({ userId: 'U0JMA00001', userName: 'jma-staff', channelId: MEMBER_CHANNELS['jma']!, messageTs: post.ts, actionId: ACK_ACTION_ID, value: keyOf(post), responseUrl: harness.fake.responseUrl(name) });
      await harness.fake.waitFor(() => harness.fake.callsTo('chat.update').some((c) => c.params['ts'] === post.ts), { timeoutMs: 10_000, description: `${name}: the message updated` });
    };
    // The first store's acknowledgement leaves a finished refresh job for this delivery's first revision.
    await press(first, firstId, 'first-ack');
    // Stop the first bot but keep its jobs (finished deliveries and refreshes, pending ladder steps) in Redis.
    await first.bot.close();
    h = undefined;

    const second = await startHarness({ env: { REDIS_URL: redis.url, QUEUE_PREFIX: prefix, RECONCILE_EVERY_MS: '500', ESCALATION_FILE: policies } });
    h = second;
    const secondId = await issue(second, { ...VALID_FORM, allMembers: false, members });
    expect(secondId).toBe(firstId);
    await second.fake.waitFor(() => members.every((m) => ours(second.fake, MEMBER_CHANNELS[m]!, 'advisory', secondId).length === 1), { timeoutMs: 15_000, description: 'the new store delivered' });
    const status = await eventually(async () => {
      const s = await second.bot.core.statusOf(SECRETARIAT, secondId);
      return s.counts.posted === 3 && s;
    });
    expect(status.counts.queued).toBe(0);
    // The same delivery id and revision as the first store's refresh: the new store's refresh is still done.
    await press(second, secondId, 'second-ack');
    // The first store's ladder steps found nothing of theirs in the new store: the new ladder is its own.
    await second.fake.waitFor(() => ['jda', 'jpa'].every((m) => ours(second.fake, MEMBER_CHANNELS[m]!, 'reminder', secondId).length === 1), { timeoutMs: 15_000 });
    await first.fake.close();
  });
});

describe('work that cannot be done is never silent', () => {
  it('a delivery whose job uses up its attempts fails with the reason, alerts the secretariat and gets a phone task', async () => {
    const harness = await bot({ ESCALATION_FILE: policies, JOB_ATTEMPTS: '3', JOB_BACKOFF_MS: '50' });
    harness.fake.failNext('chat.postMessage', { channel: MEMBER_CHANNELS['jna'], status: 503, times: 1_000 });
    const id = await issue(harness, { ...VALID_FORM, allMembers: false, members: ['jna'] });
    const failedNotice = await harness.fake.waitFor(
      () => ours(harness.fake, SECRETARIAT_CHANNEL, 'notice', `${id}.alerts.failed`)[0],
      { timeoutMs: 20_000, description: 'the failure notice' },
    );
    // The reason, and beside it the last error the platform gave.
    expect(sectionLines(failedNotice.blocks).find((l) => l.startsWith('⚠️ *公益社団法人 日本看護協会 / Japanese Nursing Association* — `RETRIES_EXHAUSTED` ('))).toBeDefined();
    const board = await harness.fake.waitFor(() => ours(harness.fake, ONCALL_CHANNEL, 'phone_board', id)[0], { timeoutMs: 20_000, description: 'the phone-task board' });
    expect(JSON.stringify(board.blocks)).toContain('日本看護協会');
    const attempts = harness.fake.callsTo('chat.postMessage').filter((c) => c.params['channel'] === MEMBER_CHANNELS['jna']);
    expect(attempts).toHaveLength(3);
    const status = await harness.bot.core.statusOf(SECRETARIAT, id);
    expect(status.rows[0]).toMatchObject({ state: 'failed', failure: 'RETRIES_EXHAUSTED' });
  });
});

describe('a ladder step that cannot run', () => {
  it('the on-call channel is gone: the secretariat hears the board cannot be shown, once, and the ladder goes on to the alert', async () => {
    const harness = await bot({ ESCALATION_FILE: policies, JOB_ATTEMPTS: '2', JOB_BACKOFF_MS: '50' });
    harness.fake.setChannel(ONCALL_CHANNEL, { exists: false });
    try {
      const id = await issue(harness, { ...VALID_FORM, allMembers: false, members: ['jha'] });
      // The phone step opens the task; its board cannot be posted into the missing channel: the secretariat hears.
      const boardFailed = await harness.fake.waitFor(
        () => ours(harness.fake, SECRETARIAT_CHANNEL, 'notice', id).find((m) => keyOf(m) === `${id}.board-failed`),
        { timeoutMs: 20_000, description: 'the board-failed notice' },
      );
      const text = JSON.stringify(boardFailed);
      expect(text).toContain('エスカレーションの段階を実行できませんでした');
      expect(text).toContain('電話連絡の作成');
      expect(text).toContain('電話連絡ボード（未完了 1件）');
      expect(text).toContain('channel_not_found');
      await harness.fake.waitFor(() => alerts(harness.fake, id).length === 1, { timeoutMs: 20_000, description: 'the alert still comes' });
      const status = await eventually(async () => {
        const s = await harness.bot.core.statusOf(SECRETARIAT, id);
        return s.rows[0]?.ladder?.kind === 'alert' && s;
      });
      expect(status.rows[0]).toMatchObject({ state: 'posted', phoneTask: { state: 'open' } });
      // Told once, however many board updates failed after it (the next-contact step touched the board again).
      await new Promise((r) => setTimeout(r, 1_500));
      const notices = ours(harness.fake, SECRETARIAT_CHANNEL, 'notice', id).map(keyOf);
      expect(notices.filter((k) => k === `${id}.board-failed`)).toHaveLength(1);
      expect(notices.filter((k) => k.includes('.step-failed.'))).toEqual([]);
      expect((await harness.bot.core.statusOf(SECRETARIAT, id)).rows[0]?.phoneTask).toMatchObject({ state: 'open' });
    } finally {
      harness.fake.setChannel(ONCALL_CHANNEL, { exists: true });
    }
  });
});

describe('health and outages', () => {
  it('/readyz answers 503 with the reason while Redis is down, and 200 when it is back; /healthz stays ok', async () => {
    const harness = await bot();
    const ready = async () => {
      const res = await fetch(`${harness.bot.url}/readyz`);
      return { status: res.status, body: (await res.json()) as { ready: boolean; checks: Record<string, { ok: boolean; detail?: string }> } };
    };
    const up = await ready();
    expect(up.status).toBe(200);
    expect(up.body.checks).toMatchObject({ redis: { ok: true }, store: { ok: true }, 'slack.credentials': { ok: true } });

    await redis.stop();
    const down = await eventually(async () => {
      const r = await ready();
      return r.status === 503 && r;
    }, { description: '/readyz 503' });
    expect(down.body.ready).toBe(false);
    expect(down.body.checks['redis']?.ok).toBe(false);
    expect(down.body.checks['redis']?.detail).toBeTruthy();
    expect(down.body.checks['store']?.ok).toBe(true);
    expect((await fetch(`${harness.bot.url}/healthz`)).status).toBe(200);

    await redis.start();
    await eventually(async () => (await ready()).status === 200, { description: '/readyz 200 again' });
  });

  it('issuing during an outage stores the advisory, says delivery waits, and delivers when Redis is back', async () => {
    const harness = await bot();
    await redis.stop();
    await eventually(async () => (await fetch(`${harness.bot.url}/readyz`)).status === 503);
    const title = `outage issue ${++seq}`;
    const { sent: res } = await harness.slack.submitAdvisory({ userId: SECRETARIAT.userId, viewId: `VRL-out${seq}`, values: formValues({ ...VALID_FORM, title, allMembers: false, members: ['jma', 'jda'] }) });
    expect(res?.status).toBe(200);
    const dm = await harness.fake.waitFor(() => harness.fake.messages(`D${SECRETARIAT.userId}`).find((m) => /ADV-\d{4}-\d{4}/.test(m.text)), { timeoutMs: 10_000, description: 'the issuer is told' });
    expect(dm.text).toContain('復旧後に自動で始まります');
    expect(dm.text).toContain('delivery starts by itself when it is back');
    const id = /ADV-\d{4}-\d{4}/.exec(dm.text)![0];
    expect((await harness.bot.core.statusOf(SECRETARIAT, id)).counts).toMatchObject({ total: 2, queued: 2 });
    expect(harness.fake.messages(MEMBER_CHANNELS['jma']!).filter((m) => kindOf(m) === 'advisory')).toHaveLength(0);

    await redis.start();
    await harness.fake.waitFor(() => ['jma', 'jda'].every((m) => ours(harness.fake, MEMBER_CHANNELS[m]!, 'advisory', id).length === 1), { timeoutMs: 20_000, description: 'delivered after the outage' });
    // The "issued" notice the secretariat channel missed comes too.
    await harness.fake.waitFor(() => harness.fake.messages(SECRETARIAT_CHANNEL).some((m) => m.text.includes(title)), { timeoutMs: 10_000 });
  });

  it('an acknowledgement during an outage is recorded and shown at once', async () => {
    const harness = await bot();
    const id = await issue(harness, { ...VALID_FORM, allMembers: false, members: ['jpa'] });
    const post = await harness.fake.waitFor(() => ours(harness.fake, MEMBER_CHANNELS['jpa']!, 'advisory', id)[0], { description: 'posted' });
    await eventually(async () => (await harness.bot.core.statusOf(SECRETARIAT, id)).counts.posted === 1);
    await redis.stop();
    await eventually(async () => (await fetch(`${harness.bot.url}/readyz`)).status === 503);
    await harness.slack.buttonPress({ userId: 'U0JPA00001', userName: 'jpa-staff', channelId: MEMBER_CHANNELS['jpa']!, messageTs: post.ts, actionId: ACK_ACTION_ID, value: keyOf(post), responseUrl: harness.fake.responseUrl('outage-ack') });
    const responses = await harness.fake.waitFor(() => harness.fake.responses('outage-ack').length >= 2 && harness.fake.responses('outage-ack'), { timeoutMs: 10_000, description: 'both answers' });
    // The message itself, replaced through the response URL, shows who acknowledged; then the ephemeral thanks.
    expect(responses[0]).toMatchObject({ replace_original: true });
    expect(JSON.stringify(responses[0])).toContain('jpa-staff');
    expect(responses[1]).toMatchObject({ response_type: 'ephemeral' });
    expect((await harness.bot.core.statusOf(SECRETARIAT, id)).counts.acknowledged).toBe(1);
  });
});
