/**
 * `npm run bench`: how long one advisory takes to reach every channel of a large sector, through
 * the real endpoint, BullMQ on the local Redis, the embedded store and a fake Slack on loopback.
 * Figures, not assertions: tests never time anything.
 *   BENCH_ORGS (default 1800)  BENCH_RATE posts/s limiter (default 1000)  BENCH_CONCURRENCY (default 20)
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import { REDIS_URL, startHarness } from '../test/support/bot-harness.js';
import { formValues, VALID_FORM } from '../test/support/advisory-form.js';
import { writeLargeDirectory } from '../test/support/large-directory.js';

const orgs = Number(process.env.BENCH_ORGS ?? 1800);
const rate = process.env.BENCH_RATE ?? '1000';
const concurrency = process.env.BENCH_CONCURRENCY ?? '20';

const dir = await mkdtemp(join(tmpdir(), 'ceptoar-bench-'));
const membersFile = await writeLargeDirectory(join(dir, 'members.yaml'), orgs);
const h = await startHarness({ env: { MEMBERS_FILE: membersFile, DELIVERY_RATE_PER_SECOND: rate, DELIVERY_CONCURRENCY: concurrency } });
try {
  const title = 'ベンチマーク配信';
  const t0 = performance.now();
  const { sent: res } = await h.slack.submitAdvisory({ userId: 'U0SEC00001', viewId: 'VBENCH', values: formValues({ ...VALID_FORM, title }) });
  const tAck = performance.now();
  const firstAt = await h.fake.waitFor((calls) => calls.find((c) => c.method === 'chat.postMessage' && String(c.params['text']).includes(title)), { timeoutMs: 60_000 });
  const tFirst = performance.now();
  void firstAt;
  await h.fake.waitFor(
    (calls) => calls.filter((c) => c.method === 'chat.postMessage' && String(c.params['text']).includes(title) && String(c.params['channel']).startsWith('C0LG')).length >= orgs,
    { timeoutMs: 15 * 60_000, description: 'all posted' },
  );
  const tAll = performance.now();
  const ms = (a: number, b: number) => `${(b - a).toFixed(0)} ms`;
  console.log(`fan-out bench: ${orgs} organisations, limiter ${rate}/s, concurrency ${concurrency}`);
  console.log(`  view_submission answered (HTTP ${res?.status}): ${ms(t0, tAck)}`);
  console.log(`  first post reached Slack:              ${ms(t0, tFirst)}`);
  console.log(`  all ${orgs} posts reached Slack:        ${ms(t0, tAll)}  (${((orgs / (tAll - t0)) * 1000).toFixed(0)} posts/s)`);

  // The reconciler: once with Redis holding every job (a periodic pass), once after Redis lost them
  // all (every member's next ladder step queued again from the store).
  const r0 = performance.now();
  await h.bot.reconcile();
  const r1 = performance.now();
  const redis = new Redis(REDIS_URL);
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${h.prefix}:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== '0');
  redis.disconnect();
  const r2 = performance.now();
  await h.bot.reconcile();
  const r3 = performance.now();
  console.log(`  reconcile, queue intact (${orgs} ladders): ${ms(r0, r1)}`);
  console.log(`  reconcile after Redis lost every job:     ${ms(r2, r3)}`);
} finally {
  await h.close();
  await rm(dir, { recursive: true, force: true });
}
