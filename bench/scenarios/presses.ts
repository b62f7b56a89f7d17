/**
 * (3) After a fan-out, every member presses Acknowledge within the window (default 2,000 presses in
 * 10 s, evenly spaced, each sent without waiting for the one before): Slack block_actions signed with
 * the signing secret to /slack/events, Teams Action.Execute invokes to /api/messages. Measured: each
 * press's HTTP latency, /healthz's latency meanwhile, the event-loop delay over the burst (the bot's
 * /metrics, prom-client's monitorEventLoopDelay, reset on each scrape), and how long after the last
 * press every acknowledgement is in the store and every message has been updated on the platform.
 */
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { SlackSender } from '../../test/support/slack-requests.js';
import { TeamsSender } from '../../test/support/teams-activities.js';
import { ACK_ACTION_ID } from '../../adapters/slack/advisory-blocks.js';
import { pressTarget, Sector, type PressTarget } from '../classify.js';
import { measure } from '../measure.js';
import { sectorMembers } from '../members.js';
import { until, type Platforms } from '../platforms.js';
import { distribution, type Distribution } from '../stats.js';
import { metricRows } from '../report.js';
import { REDIS_URL, SIGNING_SECRET, type UnderTest } from '../under-test.js';
import type { Context } from './context.js';
import { fanoutRun, FanoutTally } from './fanout-run.js';
import { runPairs } from './pairs.js';
import { sampleProcess } from '../proc-stats.js';
import { redisCpuNow } from '../redis-stats.js';

export interface PressResult {
  presses: number;
  failed: number;
  /** Why, for each press not answered 200: `HTTP <status>`, or the client's error code (UND_ERR_CONNECT_TIMEOUT…). */
  failures: Record<string, number>;
  latency: Distribution;
  healthz: Distribution;
  eventLoopP99Ms: number;
  eventLoopMaxMs: number;
  /** The bench process's own event-loop delay over the burst: if it is high, the latencies above are partly ours. */
  benchLoopP99Ms: number;
  recorded: number;
  duplicates: number;
  /** After the last press was sent (a Teams invoke answers only once it has recorded, so this can be less than its latency). */
  allRecordedMs: number;
  allUpdatedMs: number;
  notUpdated: number;
  /** The most updates one member's message got after its press (acknowledged, then e.g. closed). */
  maxUpdatesPerMessage: number;
  /**
   * The CPU the process used from the first press until the queues were idle, ÷ presses: the press path's whole cost
   * (the answer, the record, the message's update). Less noisy than a latency on a shared machine: the figure to compare
   * machines by. It counts every thread of the process (GC, the kernel's network work), so the one event loop carries
   * less than all of it.
   */
  cpuMsPerPress: number;
  /** Redis's CPU over the same window ÷ presses: its scripts (BullMQ's, the pace's) run on one thread of its own. */
  redisCpuMsPerPress: number;
}

export function press(ut: UnderTest, platforms: Platforms, t: PressTarget, i: number): Promise<{ status: number }> {
  const who = `bench${String(i).padStart(5, '0')}`;
  // Round robin over the processes, as a load balancer in front of a scaled-out bot would (one process: its own URL).
  const url = ut.urls[i % ut.urls.length] ?? ut.urls[0];
  if (t.member.platform === 'slack') {
    return new SlackSender(`${url}/slack/events`, SIGNING_SECRET).buttonPress({
      userId: `U${who.toUpperCase()}`,
      userName: who,
      channelId: t.member.channel,
      messageTs: t.messageId,
      actionId: ACK_ACTION_ID,
      value: t.value,
      responseUrl: platforms.slack.responseUrl(who),
    });
  }
  const from = { id: `29:${who}`, aadObjectId: `aad-${who}`, name: who };
  return new TeamsSender(`${url}/api/messages`, platforms.teams.serviceUrl).execute(`${t.member.channel};messageid=${t.messageId}`, from, 'advisory_ack', t.data, t.messageId, t.member.team);
}

/** Every `everyMs` until stopped: how long /healthz takes to answer. */
function watchHealthz(url: string, everyMs: number): { stop(): Promise<number[]> } {
  const samples: number[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const t = performance.now();
      await fetch(`${url}/healthz`).then((r) => r.arrayBuffer());
      samples.push(performance.now() - t);
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return samples;
    },
  };
}

/** What a press that got no 200 met: the answer's status, or the client's error (a cause's code first: fetch wraps it). */
export function failureOf(res: { status: number } | { error: unknown }): string {
  if ('status' in res) return `HTTP ${res.status}`;
  const err = res.error as { code?: unknown; name?: unknown; cause?: { code?: unknown; name?: unknown } } | undefined;
  // The first that is a name: a DOMException's code is a number (20 for an AbortError), its name says more.
  const named = [err?.cause?.code, err?.code, err?.cause?.name, err?.name].find((c): c is string => typeof c === 'string' && c !== '');
  return named ?? 'unknown error';
}

/** Each target pressed once, evenly spread over the window, each sent without waiting for the others. */
export async function sendPresses(
  ut: UnderTest,
  platforms: Platforms,
  targets: readonly PressTarget[],
  windowMs: number,
): Promise<{ latencies: number[]; failed: number; failures: Record<string, number>; lastSentAt: number }> {
  const spacing = windowMs / Math.max(1, targets.length);
  const start = performance.now();
  const latencies: number[] = [];
  const failures: Record<string, number> = {};
  let lastSentAt = Date.now();
  await Promise.all(
    targets.map(async (t, i) => {
      const wait = start + i * spacing - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const sent = performance.now();
      lastSentAt = Math.max(lastSentAt, Date.now());
      const res = await press(ut, platforms, t, i).catch((error: unknown) => ({ error }));
      latencies.push(performance.now() - sent);
      if ('status' in res && res.status === 200) return;
      const why = failureOf(res);
      failures[why] = (failures[why] ?? 0) + 1;
    }),
  );
  // The count is the reasons' sum, not a second tally kept beside them.
  const failed = Object.values(failures).reduce((sum, n) => sum + n, 0);
  return { latencies, failed, failures, lastSentAt };
}

export async function pressBurst(ut: UnderTest, platforms: Platforms, sector: Sector, windowMs: number): Promise<PressResult> {
  const targets: PressTarget[] = [];
  const tally = new FanoutTally(sector, platforms, (s) => {
    const t = pressTarget(sector, s);
    if (t) targets.push(t);
  });
  const fan = await fanoutRun(ut, platforms, sector, 120_000 + sector.members.length * 20, tally);
  if (fan.lost > 0) throw new Error(`${fan.lost} members were never posted: nothing to press`);

  // Updates are counted per message from here on.
  const updates = new Map<string, number>();
  const updatedAt = new Map<string, number>();
  const wanted = new Set(targets.map((t) => `${t.member.channel}|${t.messageId}`));
  const takeUpdates = () => {
    for (const s of platforms.take()) {
      const key = `${s.channel}|${s.messageId}`;
      if (s.op !== 'update' || s.status !== 200 || !wanted.has(key)) continue;
      updates.set(key, (updates.get(key) ?? 0) + 1);
      if (!updatedAt.has(key)) updatedAt.set(key, s.at);
    }
  };

  await ut.eventLoop(); // resets the histogram: what follows is the burst alone
  const ours = monitorEventLoopDelay({ resolution: 10 });
  ours.enable();
  const healthz = watchHealthz(ut.urls[0], 50);
  const cpuBefore = (await sampleProcess(ut.pids)).cpuMs;
  const redisBefore = await redisCpuNow(REDIS_URL);
  const { latencies, failed, failures, lastSentAt: lastPress } = await sendPresses(ut, platforms, targets, windowMs);
  // Said where it is seen: a count alone does not tell a refusal from the bench's own client giving up.
  if (failed > 0) process.stderr.write(`    presses not answered 200: ${Object.entries(failures).map(([why, n]) => `${why} × ${n}`).join(', ')}\n`);
  const loop = await ut.eventLoop();
  ours.disable();
  const healthzSamples = await healthz.stop();

  let recorded = { recorded: 0, duplicates: 0 };
  let allRecordedMs = Number.NaN;
  await until(async () => {
    recorded = await ut.acknowledgements();
    if (recorded.recorded >= targets.length && Number.isNaN(allRecordedMs)) allRecordedMs = Date.now() - lastPress;
    takeUpdates();
    return recorded.recorded >= targets.length && updatedAt.size >= wanted.size;
  }, 120_000, 100);
  // Anything still coming (a second update, a duplicate record) arrives once the queues are idle.
  await until(async () => ut.idle(), 30_000, 200);
  const cpuMs = (await sampleProcess(ut.pids)).cpuMs - cpuBefore;
  const redisMs = (await redisCpuNow(REDIS_URL)) - redisBefore;
  takeUpdates();
  recorded = await ut.acknowledgements();
  return {
    presses: targets.length,
    failed,
    failures,
    latency: distribution(latencies),
    healthz: distribution(healthzSamples),
    eventLoopP99Ms: loop.p99Ms,
    eventLoopMaxMs: loop.maxMs,
    benchLoopP99Ms: ours.percentile(99) / 1e6,
    recorded: recorded.recorded,
    duplicates: recorded.duplicates,
    allRecordedMs,
    allUpdatedMs: updatedAt.size >= wanted.size ? Math.max(...updatedAt.values()) - lastPress : Number.NaN,
    notUpdated: wanted.size - updatedAt.size,
    maxUpdatesPerMessage: Math.max(0, ...updates.values()),
    cpuMsPerPress: cpuMs / targets.length,
    redisCpuMsPerPress: redisMs / targets.length,
  };
}

export async function pressesScenario(ctx: Context): Promise<void> {
  const sector = { members: ctx.args.members, contacts: 1 };
  const members = new Sector(sectorMembers(sector));
  const name = `presses ${ctx.args.members} in ${ctx.args.pressWindowMs / 1000} s`;
  const runs = await runPairs(ctx.args.runs, name, (who) =>
    measure(who, { sector, concurrency: ctx.args.concurrency, rate: ctx.args.rate }, { latencyMs: 0 }, (ut, p) => pressBurst(ut, p, members, ctx.args.pressWindowMs)),
  );
  ctx.raw[name] = runs;
  ctx.rows.push(
    ...metricRows(name, runs, [
      { label: 'press HTTP p50', unit: 'ms', value: (r) => r.latency.p50, compare: true },
      { label: 'press HTTP p99', unit: 'ms', value: (r) => r.latency.p99, compare: true },
      { label: 'press HTTP max', unit: 'ms', value: (r) => r.latency.max, compare: true },
      { label: 'presses not answered 200', unit: '', value: (r) => r.failed, compare: true },
      { label: '/healthz p99 during the burst', unit: 'ms', value: (r) => r.healthz.p99, compare: true },
      { label: 'event-loop delay p99 during the burst', unit: 'ms', value: (r) => r.eventLoopP99Ms, compare: true },
      { label: 'event-loop delay max during the burst', unit: 'ms', value: (r) => r.eventLoopMaxMs, compare: true },
      { label: "the bench process's own event-loop delay p99", unit: 'ms', value: (r) => r.benchLoopP99Ms, compare: true },
      { label: 'all recorded, after the last press was sent', unit: 'ms', value: (r) => r.allRecordedMs, compare: true },
      { label: 'all messages updated, after the last press was sent', unit: 'ms', value: (r) => r.allUpdatedMs, compare: true },
      { label: 'acknowledgements recorded', unit: '', value: (r) => r.recorded, compare: true },
      { label: 'recorded twice', unit: '', value: (r) => r.duplicates, compare: true },
      { label: 'messages never updated', unit: '', value: (r) => r.notUpdated, compare: true },
      { label: 'most updates of one message', unit: '', value: (r) => r.maxUpdatesPerMessage, compare: true },
      { label: 'CPU per press (first press to idle queues)', unit: 'ms', value: (r) => r.cpuMsPerPress, compare: true },
      { label: 'Redis CPU per press (the same window)', unit: 'ms', value: (r) => r.redisCpuMsPerPress, compare: true },
      { label: 'peak RSS (VmHWM)', unit: 'MB', value: (r) => r.hwmMb, compare: true },
    ]),
  );
}
