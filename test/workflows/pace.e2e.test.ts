/**
 * The shared pace end to end: the real bot (Bolt endpoint, BullMQ on Redis, the embedded store, the pace's token
 * buckets in Redis) fans an advisory out to 120 Slack channels through a fake Slack that enforces a workspace-wide
 * limit of 20 messages a second, below the bot's configured 50. Nobody tuned anything: the pace finds the limit
 * from the 429s (its rate is cut below 50), every channel gets the advisory exactly once, no retry after a 429
 * searches the history, and the 429s stay a small share of the calls.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REDIS_URL, startHarness, type Harness } from '../support/bot-harness.js';
import { formValues, VALID_FORM } from '../support/advisory-form.js';
import { writeLargeDirectory } from '../support/large-directory.js';
import { watchQueues, type QueueWatch } from '../support/queue-watch.js';

const MEMBERS = 120;
let h: Harness;
let dir: string;
let queues: QueueWatch;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ceptoar-pace-'));
  const membersFile = await writeLargeDirectory(join(dir, 'members.yaml'), MEMBERS);
  h = await startHarness({
    conversationLimits: true,
    env: { MEMBERS_FILE: membersFile, DELIVERY_RATE_PER_SECOND: '50', DELIVERY_CONCURRENCY: '20' },
    fakeSlack: { limits: { workspacePerSecond: 20, workspaceBurst: 20 } },
  });
  queues = watchQueues(REDIS_URL, h.prefix);
});
afterAll(async () => {
  await queues?.close();
  await h?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('a fan-out under a workspace limit below the configured pace', () => {
  it('finds the limit from the 429s: every channel once, no history search after a 429, few 429s', async () => {
    const title = 'ペース配信テスト';
    await h.slack.submitAdvisory({ userId: 'U0SEC00001', viewId: 'VPACE1', values: formValues({ ...VALID_FORM, title }) });
    const memberPosts = () => h.fake.callsTo('chat.postMessage').filter((c) => String(c.params['channel']).startsWith('C0LG') && String(c.params['text']).includes(title));
    const ok = () => memberPosts().filter((c) => c.outcome !== 'dropped' && c.outcome?.status === 200);
    await h.fake.waitFor(() => ok().length >= MEMBERS, { timeoutMs: 60_000, description: `${MEMBERS} member posts` });
    await queues.waitIdle({ timeoutMs: 30_000, description: 'the fan-out and its notices finished' });

    // Exactly once in every channel.
    const perChannel = new Map<string, number>();
    for (const c of ok()) perChannel.set(String(c.params['channel']), (perChannel.get(String(c.params['channel'])) ?? 0) + 1);
    expect(perChannel.size).toBe(MEMBERS);
    expect([...perChannel.values()].every((n) => n === 1)).toBe(true);

    // The limit was met and the pace slowed down for it.
    const refused = h.fake.calls.filter((c) => c.outcome !== 'dropped' && c.outcome?.status === 429);
    expect(refused.length).toBeGreaterThan(0);
    const redis = new Redis(REDIS_URL);
    const rate = Number(await redis.hget(`${h.prefix}:pace:{slack}:ws`, 'rate'));
    redis.disconnect();
    expect(rate).toBeLessThan(50);
    // Without the pace adapting, every refused job comes back a second later into the same overshoot.
    expect(refused.length).toBeLessThan(MEMBERS / 3);
    // A 429 proves nothing was posted: no retry searched the history, and no first post (the issued notice
    // included) searches at all.
    expect(h.fake.callsTo('conversations.history')).toEqual([]);
  }, 120_000);
});
