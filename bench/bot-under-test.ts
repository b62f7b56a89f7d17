/**
 * The real bot as its own OS process (test/support/bot-process.ts): compiled, as `npm run start:prod` runs it in
 * production (`node dist/src/main.js`, built once by bench/main.ts), or from its source through tsx as `npm start`
 * runs it (`--bot tsx`),
 * on the shared Redis under a prefix of its own, with the embedded store in a fresh data directory,
 * Slack and Teams pointed at this run's fakes. Teams is unauthenticated (TEAMS_ALLOW_UNAUTHENTICATED),
 * as in the end-to-end tests, and installed once in one team: its service URL serves the tenant.
 * The advisory is issued as the secretariat does it: the Slack form, signed, through /slack/events.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { formValues, VALID_FORM } from '../test/support/advisory-form.js';
import { startBotProcess, type BotProcess } from '../test/support/bot-process.js';
import { deleteQueueKeys } from '../test/support/queue-keys.js';
import { watchQueues } from '../test/support/queue-watch.js';
import { openStoreReader } from '../test/support/store-reader.js';
import { SlackSender } from '../test/support/slack-requests.js';
import { TeamsSender } from '../test/support/teams-activities.js';
import type { StepKind } from '../src/domain/escalation.js';
import { SECRETARIAT_USER, writeSector } from './members.js';
import { emptySteps, REDIS_URL, SIGNING_SECRET, stepOffsets, type RunSetup, type UnderTest } from './under-test.js';

const STEP_KINDS: readonly StepKind[] = ['reminder', 'phone', 'next-contact', 'alert'];

/** prom-client's default metrics: the event-loop delay since the previous scrape (it resets on each). */
function gauge(metrics: string, name: string): number {
  const m = new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.eE+-]+)$`, 'm').exec(metrics);
  return m ? Number(m[1]) * 1000 : Number.NaN;
}

/** What the bench runs, with Node's options as the package's start script gives them: set once by bench/main.ts. */
let botScript = 'src/main.ts';
let botNodeArgs: readonly string[] = [];
let botEnv: Readonly<Record<string, string>> = {};
let botProcesses = 1;
export function runBotFrom(script: string, nodeArgs: readonly string[], env: Readonly<Record<string, string>> = {}, processes = 1): void {
  botScript = script;
  botNodeArgs = nodeArgs;
  botEnv = env;
  botProcesses = processes;
}

export async function startBot(setup: RunSetup, output: string[] = []): Promise<UnderTest> {
  const dir = await mkdtemp(join(tmpdir(), 'ceptoar-bench-'));
  const prefix = `bench-${randomUUID().slice(0, 8)}`;
  const membersFile = await writeSector(join(dir, 'members.yaml'), setup.sector);
  const escalationFile = setup.ladder ? join(dir, 'escalation.yaml') : undefined;
  // The form issues at level3; the short ladder replaces that severity's policy.
  if (escalationFile && setup.ladder) await writeFile(escalationFile, stringify({ policies: { level3: { ...setup.ladder } } }));
  const dataDir = join(dir, 'data');
  const env = {
    ...botEnv,
    SLACK_BOT_TOKEN: 'xoxb-bench-token',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: setup.platforms.slack.url,
    TEAMS_ALLOW_UNAUTHENTICATED: 'on',
    REDIS_URL,
    QUEUE_PREFIX: prefix,
    DATA_DIR: dataDir,
    MEMBERS_FILE: membersFile,
    DELIVERY_CONCURRENCY: String(setup.concurrency),
    ...(setup.rate === undefined ? {} : { DELIVERY_RATE_PER_SECOND: String(setup.rate) }),
    ...(escalationFile ? { ESCALATION_FILE: escalationFile } : {}),
    // A preload for the bot (NODE_OPTIONS takes --import, not --cpu-prof: that goes in BENCH_BOT_NODE_ARGS).
    ...(process.env['BENCH_BOT_NODE_OPTIONS'] ? { NODE_OPTIONS: process.env['BENCH_BOT_NODE_OPTIONS'] } : {}),
  };
  // To profile the bot: BENCH_BOT_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof' (written when it stops).
  const nodeArgs = [...botNodeArgs, ...(process.env['BENCH_BOT_NODE_ARGS'] ?? '').split(/\s+/).filter(Boolean)];
  // Scaled out (--processes): the same store and queues, each process its own port. One after the other: the first
  // opens (and migrates) the store before the next joins it.
  const procs: BotProcess[] = [];
  try {
    for (let i = 0; i < botProcesses; i++) procs.push(await startBotProcess(env, 120_000, output, botScript, nodeArgs));
  } catch (err) {
    for (const p of procs) await p.kill('SIGTERM');
    throw err;
  }
  const proc = procs[0] as BotProcess;
  const teams = new TeamsSender(`${proc.url}/api/messages`, setup.platforms.teams.serviceUrl);
  const install = await teams.install('19:team-lg-0002@thread.tacv2', '19:team-lg-0002@thread.tacv2');
  if (install.status !== 200) throw new Error(`Teams install answered ${install.status}`);
  const store = openStoreReader(dataDir);
  const queues = watchQueues(REDIS_URL, prefix);
  let advisoryId: string | undefined;
  const advisory = async () => {
    advisoryId ??= (await store.listRecentAdvisories(1))[0]?.id;
    if (advisoryId === undefined) throw new Error('no advisory issued yet');
    return advisoryId;
  };
  const audit = async (action: string) => (await store.listAudit(await advisory())).filter((e) => e.action === action);
  const memberOf = (deliveryId: string | undefined) => String(deliveryId ?? '').split('.')[1] ?? '';
  const metrics = async () => (await fetch(`${proc.url}/metrics`)).text();

  return {
    kind: 'bot',
    pids: procs.map((p) => p.child.pid as number),
    urls: [proc.url, ...procs.slice(1).map((p) => p.url)],
    async issue() {
      const slack = new SlackSender(`${proc.url}/slack/events`, SIGNING_SECRET);
      const res = await slack.submitAdvisory({ userId: SECRETARIAT_USER, viewId: `VBENCH${Date.now()}`, values: formValues({ ...VALID_FORM, title: `ベンチマーク ${prefix}` }) });
      if (res.sent?.status !== 200) throw new Error(`issuing answered ${res.sent?.status ?? res.preview.status}: ${res.preview.text.slice(0, 300)}`);
    },
    async ladderDue() {
      const a = await store.getAdvisory(await advisory());
      if (!a || !setup.ladder) return {};
      const since = new Date(a.issuedAt).getTime();
      const offsets = stepOffsets(a.escalation, setup.sector.contacts);
      return Object.fromEntries(Object.entries(offsets).map(([k, s]) => [k, since + s * 1000]));
    },
    async acknowledgements() {
      const unacknowledged = await store.countUnacknowledged(await advisory());
      const perDelivery = new Map<string, number>();
      for (const e of await audit('delivery.acknowledged')) perDelivery.set(String(e.deliveryId), (perDelivery.get(String(e.deliveryId)) ?? 0) + 1);
      return { recorded: setup.sector.members - unacknowledged, duplicates: [...perDelivery.values()].filter((n) => n > 1).length };
    },
    async stepsDone() {
      const out = emptySteps();
      for (const kind of STEP_KINDS) {
        for (const e of await audit(`escalation.${kind}`)) out[kind].set(memberOf(e.deliveryId), (out[kind].get(memberOf(e.deliveryId)) ?? 0) + 1);
      }
      return out;
    },
    async stepsStartedAt() {
      const out: Record<StepKind, number[]> = { reminder: [], phone: [], 'next-contact': [], alert: [] };
      for (const kind of STEP_KINDS) out[kind] = (await audit(`escalation.${kind}`)).map((e) => Date.parse(e.at));
      return out;
    },
    // The first process's event loop (scaled out, the others' are like it: the presses are spread evenly).
    async eventLoop() {
      const m = await metrics();
      return { p99Ms: gauge(m, 'nodejs_eventloop_lag_p99_seconds'), maxMs: gauge(m, 'nodejs_eventloop_lag_max_seconds') };
    },
    async idle(withLadders = false) {
      const left = await queues.unfinished(withLadders ? undefined : ['deliver', 'refresh', 'notify']);
      return Object.values(left).every((n) => n === 0);
    },
    async close() {
      for (const p of procs) await p.kill('SIGTERM');
      await queues.close();
      await store.close();
      await deleteQueueKeys(REDIS_URL, prefix);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
