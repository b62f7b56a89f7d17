import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/main.js';
import { openStoreFromEnv } from '../../../src/cli/store.js';
import { EXIT, type CliContext } from '../../../src/cli/subcommand.js';
import { SQLITE_FILE } from '../../../src/store/open-store.js';
import { coreFixture, SECRETARIAT, type CoreFixture } from '../../support/core-fixture.js';
import { advisoryMessage, issueAndPost, JMA_STAFF } from '../commands/helpers.js';

/**
 * The CLI with drills in the archive: a drill's id (DRL-…) is taken wherever an id is, as typed; the archive search
 * keeps drills apart from real advisories (--drill, --no-drill) and marks them in its listing.
 */
const dir = mkdtempSync(path.join(tmpdir(), 'ceptoar-drill-cli-'));
const env = { DATA_DIR: dir, MEMBERS_FILE: 'config/members.example.yaml' };
let drill = '';
let real = '';

async function archived(f: CoreFixture, input: Parameters<typeof issueAndPost>[2]): Promise<string> {
  const { advisory, deliveries } = await issueAndPost(f, ['jma'], input);
  await f.core.acknowledgeFromMessage({ actor: JMA_STAFF, message: advisoryMessage(f, deliveries[0]!.channel.channelId) });
  if ((await f.store.getAdvisory(advisory.id))?.state === 'open') await f.core.closeAdvisory({ actor: SECRETARIAT, advisoryId: advisory.id });
  await f.core.syncAdvisory(advisory.id);
  for (const w of f.jobs.of('sync')) await f.core.syncDelivery(w.deliveryId);
  await f.core.tellClosing(advisory.id);
  await f.core.syncAdvisory(advisory.id);
  expect(await f.core.archiveAdvisory(advisory.id)).toBe('archived');
  return advisory.id;
}

beforeAll(async () => {
  const f = await coreFixture({ storeFile: path.join(dir, SQLITE_FILE) });
  try {
    real = await archived(f, { title: '実際の注意喚起' });
    drill = await archived(f, { title: '【訓練】情報伝達訓練', drill: true });
  } finally {
    await f.close();
  }
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function cli(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const ctx: CliContext = { env, out: (t) => out.push(t), err: (t) => err.push(t), openStore: openStoreFromEnv };
  const code = await runCli(argv, ctx);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('the CLI with drills', () => {
  it('numbered the drill apart from the real advisory', () => {
    expect(real).toBe('ADV-2026-0001');
    expect(drill).toBe('DRL-2026-0001');
  });

  it('exports a drill by its id, as typed, with its plan on the record', async () => {
    const r = await cli(['export', 'drl-2026-1', '--format', 'json']);
    expect(r.code).toBe(EXIT.OK);
    const t = JSON.parse(r.out) as { advisoryId: string; drill: boolean; drillPlan?: unknown };
    expect(t.advisoryId).toBe(drill);
    expect(t.drill).toBe(true);
    // The archived record keeps the plan: the report of an archived drill can say it was not announced.
    expect(t.drillPlan).toEqual({ unannounced: true });
    expect((JSON.parse((await cli(['export', real, '--format', 'json'])).out) as { drillPlan?: unknown }).drillPlan).toBeUndefined();
    expect((await cli(['export', 'DRL-2026-0099'])).code).toBe(EXIT.FOUND);
    const usage = await cli(['export', 'DRILL-1']);
    expect(usage.code).toBe(EXIT.USAGE);
    expect(usage.err).toContain('DRL-2026-0003');
  });

  it('searches drills apart from real advisories, and marks them', async () => {
    const ids = async (...flags: string[]) => (JSON.parse((await cli(['search', ...flags, '--json'])).out) as { transcripts: { advisoryId: string }[] }).transcripts.map((t) => t.advisoryId);
    expect(await ids('--drill')).toEqual([drill]);
    expect(await ids('--no-drill')).toEqual([real]);
    expect((await ids()).sort()).toEqual([real, drill].sort());
    const lines = (await cli(['search'])).out.split('\n');
    expect(lines.find((l) => l.startsWith(drill))?.split('\t')[5]).toBe('drill');
    expect(lines.find((l) => l.startsWith(real))?.split('\t')[5]).toBe('');
  });
});
