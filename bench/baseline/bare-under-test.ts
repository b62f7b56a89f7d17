/**
 * The bare baseline worker (bare-worker.ts) as its own OS process, driven like the bot: the same
 * members, the same fakes, the same concurrency and pace, the same ladder times.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { startBotProcess } from '../../test/support/bot-process.js';
import { deleteQueueKeys } from '../../test/support/queue-keys.js';
import type { StepKind } from '../../src/domain/escalation.js';
import { ONCALL_CHANNEL, platformsOf, SECRETARIAT_CHANNEL, sectorMembers } from '../members.js';
import { BOT_DEFAULT_RATE, emptySteps, REDIS_URL, SIGNING_SECRET, stepOffsets, type RunSetup, type UnderTest } from '../under-test.js';
import { bareDelivery, bareStep, type BareJob } from './bare-jobs.js';

export async function startBaseline(setup: RunSetup, output: string[] = []): Promise<UnderTest> {
  const dir = await mkdtemp(join(tmpdir(), 'ceptoar-bare-'));
  const prefix = `bench-bare-${randomUUID().slice(0, 8)}`;
  const members = sectorMembers(setup.sector);
  const proc = await startBotProcess(
    {
      REDIS_URL,
      QUEUE_PREFIX: prefix,
      DB_FILE: join(dir, 'bare.sqlite'),
      SLACK_API_URL: setup.platforms.slack.url,
      TEAMS_SERVICE_URL: setup.platforms.teams.serviceUrl,
      SIGNING_SECRET,
      CONCURRENCY: String(setup.concurrency),
      // The same pace as the bot's: its pace is a bucket of `rate` on each platform, this worker's limiter one for all.
      RATE: String(setup.baselineRate ?? (setup.rate ?? BOT_DEFAULT_RATE) * platformsOf(members)),
    },
    60_000,
    output,
    'bench/baseline/bare-worker.ts',
  );
  const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const queue = new Queue('bare', { connection, prefix });
  let issuedAt: number | undefined;
  const get = async <T>(path: string): Promise<T> => (await fetch(`${proc.url}${path}`)).json() as Promise<T>;
  const state = () => get<{ acks: number; ackDuplicates: number; done: { op: string; kind: string; member: string; n: number }[] }>('/bare/state');

  return {
    kind: 'baseline',
    pids: [proc.child.pid as number],
    urls: [proc.url],
    async issue() {
      issuedAt = Date.now();
      const jobs: { id: string; data: BareJob; at?: number }[] = members.map((m) => ({ id: `deliver.${m.id}`, data: bareDelivery(m) }));
      if (setup.ladder) {
        for (const [kind, seconds] of Object.entries(stepOffsets(setup.ladder, setup.sector.contacts)) as [StepKind, number][]) {
          for (const m of members) jobs.push({ id: `${kind}.${m.id}`, data: bareStep(kind, m, ONCALL_CHANNEL, SECRETARIAT_CHANNEL), at: issuedAt + seconds * 1000 });
        }
      }
      const res = await fetch(`${proc.url}/bare/jobs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(jobs) });
      if (res.status !== 200) throw new Error(`baseline refused the jobs: ${res.status} ${await res.text()}`);
    },
    async ladderDue() {
      if (issuedAt === undefined || !setup.ladder) return {};
      const at = issuedAt;
      return Object.fromEntries(Object.entries(stepOffsets(setup.ladder, setup.sector.contacts)).map(([k, s]) => [k, at + s * 1000]));
    },
    async acknowledgements() {
      const s = await state();
      return { recorded: s.acks, duplicates: s.ackDuplicates };
    },
    async stepsDone() {
      const out = emptySteps();
      for (const row of (await state()).done) {
        const steps = out[row.kind as StepKind] as Map<string, number> | undefined;
        steps?.set(row.member, (steps.get(row.member) ?? 0) + row.n);
      }
      return out;
    },
    eventLoop: () => get<{ p99Ms: number; maxMs: number }>('/bare/eventloop'),
    // Delayed jobs count always: a job held back by a 429 is one of them (the bare ladders are short).
    async idle() {
      const counts = await queue.getJobCounts('waiting', 'active', 'prioritized', 'delayed');
      return Object.values(counts).every((n) => n === 0);
    },
    async close() {
      await proc.kill('SIGTERM');
      await queue.close();
      connection.disconnect();
      await deleteQueueKeys(REDIS_URL, prefix);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
