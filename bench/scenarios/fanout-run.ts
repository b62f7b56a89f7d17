/**
 * One fan-out, as a secretariat asks it: from pressing Send to the last member channel holding the
 * advisory. Counted from what the fakes received: members never posted (lost), channels posted more
 * than once (duplicated), 429 answers, history searches; and the CPU the process used per delivery.
 */
import { advisoryPost, type Sector } from '../classify.js';
import { until, type Platforms } from '../platforms.js';
import { sampleProcess } from '../proc-stats.js';
import { redisCpuNow } from '../redis-stats.js';
import { REDIS_URL, type UnderTest } from '../under-test.js';

export interface FanoutResult {
  ms: number;
  postsPerSecond: number;
  lost: number;
  duplicated: number;
  throttled: number;
  historyCalls: number;
  cpuMsPerDelivery: number;
  /** Redis's CPU from the issue until every member had it ÷ members (BullMQ's and the pace's scripts). */
  redisCpuMsPerDelivery: number;
  /** CPU time ÷ wall time of the fan-out: near 100 % the process is bound by its one thread, well below it waits. */
  cpuBusyPercent: number;
}

/** Counts posts per channel from the calls as they finish; used again by the press scenario. */
export class FanoutTally {
  readonly posts = new Map<string, number>();
  readonly first = new Map<string, number>();
  throttled = 0;
  historyCalls = 0;
  constructor(
    private readonly sector: Sector,
    private readonly platforms: Platforms,
    private readonly also?: (s: ReturnType<Platforms['take']>[number]) => void,
  ) {}
  poll(): void {
    for (const s of this.platforms.take()) {
      if (s.status === 429) this.throttled++;
      if (s.op === 'history') this.historyCalls++;
      const m = advisoryPost(this.sector, s);
      if (m) {
        this.posts.set(m.channel, (this.posts.get(m.channel) ?? 0) + 1);
        if (!this.first.has(m.channel)) this.first.set(m.channel, s.at);
      }
      this.also?.(s);
    }
  }
  get reached(): number {
    return this.first.size;
  }
}

export async function fanoutRun(ut: UnderTest, platforms: Platforms, sector: Sector, timeoutMs: number, tally = new FanoutTally(sector, platforms)): Promise<FanoutResult> {
  const before = await sampleProcess(ut.pids);
  const redisBefore = await redisCpuNow(REDIS_URL);
  const t0 = Date.now();
  await ut.issue();
  await until(() => {
    tally.poll();
    return tally.reached >= sector.members.length;
  }, timeoutMs);
  const cpu = (await sampleProcess(ut.pids)).cpuMs - before.cpuMs;
  const redisCpu = (await redisCpuNow(REDIS_URL)) - redisBefore;
  const last = Math.max(t0, ...tally.first.values());
  // Let every job finish before counting duplicates: a second post would come from a retry. A job ends only after
  // its call was answered, and the fake records a call before it answers: idle queues mean every call is in.
  await until(async () => ut.idle(), 30_000, 200);
  tally.poll();
  const ms = last - t0;
  return {
    ms,
    postsPerSecond: (tally.reached / ms) * 1000,
    lost: sector.members.length - tally.reached,
    duplicated: [...tally.posts.values()].filter((n) => n > 1).length,
    throttled: tally.throttled,
    historyCalls: tally.historyCalls,
    cpuMsPerDelivery: cpu / sector.members.length,
    redisCpuMsPerDelivery: redisCpu / sector.members.length,
    cpuBusyPercent: (cpu / ms) * 100,
  };
}
