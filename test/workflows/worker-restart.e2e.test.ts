/**
 * At-least-once must not mean twice: the bot process is killed with SIGKILL in the middle of posting
 * the phone-task board (its post reached Slack, the answer never came back), a new process takes over
 * the stalled job and the page's lease, and the ladder completes with every step and post exactly once.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POST_EVENT_TYPE } from '../../adapters/slack/slack-blocks.js';
import { REDIS_URL, SIGNING_SECRET } from '../support/bot-harness.js';
import { startBotProcess, type BotProcess } from '../support/bot-process.js';
import { formValues, VALID_FORM } from '../support/advisory-form.js';
import { startFakeSlack, type FakeSlack, type StoredMessage } from '../support/fake-slack.js';
import { writeFastPolicies } from '../support/fast-policies.js';
import { SlackSender } from '../support/slack-requests.js';

let fake: FakeSlack;
let dir: string;
let env: Record<string, string>;
const running: BotProcess[] = [];

beforeAll(async () => {
  fake = await startFakeSlack();
  dir = await mkdtemp(join(tmpdir(), 'ceptoar-restart-'));
  env = {
    SLACK_BOT_TOKEN: 'xoxb-test-token',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: fake.url,
    REDIS_URL,
    QUEUE_PREFIX: `t-${randomUUID().slice(0, 8)}`,
    DATA_DIR: join(dir, 'data'),
    MEMBERS_FILE: 'config/members.example.yaml',
    ESCALATION_FILE: await writeFastPolicies(join(dir, 'escalation.yaml')),
    // A dead worker's job is taken over after about 2 s instead of 30 s.
    WORKER_LOCK_MS: '2000',
    WORKER_STALLED_CHECK_MS: '1000',
  };
});
afterAll(async () => {
  for (const p of running) await p.kill('SIGTERM');
  await fake?.close();
  await rm(dir, { recursive: true, force: true });
  const redis = new Redis(REDIS_URL);
  const keys = await redis.keys(`${env.QUEUE_PREFIX}:*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
});

const kindOf = (m: StoredMessage) => String(m.metadata?.event_payload['kind'] ?? '');
const keyOf = (m: StoredMessage) => String(m.metadata?.event_payload['key'] ?? '');
const ours = (channel: string, kind: string, id: string) =>
  fake.messages(channel).filter((m) => m.metadata?.event_type === POST_EVENT_TYPE && kindOf(m) === kind && keyOf(m).startsWith(id));

describe('a worker killed mid-step', () => {
  it('completes the ladder after a restart with no lost and no duplicated step', async () => {
    const first = await startBotProcess(env);
    running.push(first);
    // The board page's post reaches Slack but its answer is held back; we kill the bot meanwhile.
    fake.failNext('chat.postMessage', { channel: 'C0ONC00001', delayMs: 500, dropResponse: true });

    const slack = new SlackSender(`${first.url}/slack/events`, SIGNING_SECRET);
    await slack.submitAdvisory({ userId: 'U0SEC00001', viewId: 'VRESTART1', values: formValues({ ...VALID_FORM, title: '再起動テスト', allMembers: false, members: ['jma'] }) });

    await fake.waitFor((calls) => calls.some((c) => c.method === 'chat.postMessage' && c.params['channel'] === 'C0ONC00001'), { timeoutMs: 20_000, description: 'board post in flight' });
    await first.kill('SIGKILL');

    const second = await startBotProcess(env);
    running.push(second);
    const alert = await fake.waitFor(() => fake.messages('C0SEC00001').find((m) => kindOf(m) === 'notice' && keyOf(m).includes('.alerts.escalation.')), {
      timeoutMs: 40_000,
      description: 'the ladder completed in the second process',
    });
    const id = /ADV-\d{4}-\d{4}/.exec(keyOf(alert))![0];

    expect(ours('C0JMA00001', 'advisory', id)).toHaveLength(1);
    expect(ours('C0JMA00001', 'reminder', id)).toHaveLength(1);
    // The board's page once, edited since (overdue at the next contact's time): no duplicate, no post per task.
    expect(ours('C0ONC00001', 'phone_board', id).map(keyOf)).toEqual([`${id}.board.p1`]);
    expect(ours('C0ONC00001', 'phone_task', id)).toHaveLength(0);
    expect(fake.messages('C0SEC00001').filter((m) => kindOf(m) === 'notice' && keyOf(m).startsWith(`${id}.alerts.`))).toHaveLength(1);
    // The second process took the page over from the dead one (its lease ran out), looked for its post and found
    // it, and draws it as the board reads now (the dead process drew it before the next contact marked it overdue).
    await fake.waitFor((calls) => calls.some((c) => c.method === 'conversations.history' && c.params['channel'] === 'C0ONC00001'), { timeoutMs: 30_000, description: "the search for the dead process's page" });
    const page = ours('C0ONC00001', 'phone_board', id)[0]!;
    await fake.waitFor(() => JSON.stringify(fake.messages('C0ONC00001').find((m) => m.ts === page.ts)?.blocks).includes('期限超過'), { timeoutMs: 30_000, description: 'the found page redrawn' });
    expect(ours('C0ONC00001', 'phone_board', id).map(keyOf)).toEqual([`${id}.board.p1`]);
  }, 90_000);
});
