import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/main.js';
import { openStoreFromEnv } from '../../../src/cli/store.js';
import { EXIT, type CliContext } from '../../../src/cli/subcommand.js';
import { REDACTED } from '../../../src/domain/transcript.js';
import { SQLITE_FILE } from '../../../src/store/open-store.js';
import { coreFixture, SECRETARIAT, type CoreFixture } from '../../support/core-fixture.js';
import { advisoryMessage, issueAndPost, JMA_STAFF } from '../commands/helpers.js';

/**
 * export, search and purge against a data directory the bot wrote: advisories issued, acknowledged,
 * closed and archived through the core, then read by the CLI as an operator would run it.
 */
const dir = mkdtempSync(path.join(tmpdir(), 'ceptoar-archive-cli-'));
const env = { DATA_DIR: dir, MEMBERS_FILE: 'config/members.example.yaml' };
let amber = '';
let red = '';
let open = '';

async function archived(f: CoreFixture, members: string[], input: Parameters<typeof issueAndPost>[2]): Promise<string> {
  const { advisory, deliveries } = await issueAndPost(f, members, input);
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
    amber = await archived(f, ['jma', 'jda'], { title: '電子カルテ, "重要"\n改行あり' });
    red = await archived(f, ['jma'], { tlp: 'TLP:RED', body: '秘匿すべき本文' });
    open = (await issueAndPost(f, ['jma'])).advisory.id;
  } finally {
    await f.close();
  }
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function cli(argv: string[], extra: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const ctx: CliContext = { env: { ...env, ...extra }, out: (t) => out.push(t), err: (t) => err.push(t), openStore: openStoreFromEnv };
  const code = await runCli(argv, ctx);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('npm run cli -- export', () => {
  it('writes the CSV Excel opens with Japanese: BOM, CRLF, one row per member, quoted where needed', async () => {
    const file = path.join(dir, 'out.csv');
    const r = await cli(['export', amber.toLowerCase(), '--format', 'csv', '--out', file]);
    expect(r.code).toBe(EXIT.OK);
    const csv = readFileSync(file, 'utf8');
    expect(csv.startsWith('\uFEFF注意喚起ID / advisory id,')).toBe(true);
    const lines = csv.slice(1).split('\r\n');
    expect(lines.at(-1)).toBe('');
    // Header, then jda and jma; the title's comma and quotes are quoted as CSV quotes them (its line break was
    // folded to a space when it was entered: a title is one line).
    expect(csv).toContain('"電子カルテ, ""重要"" 改行あり"');
    expect(csv.match(/ADV-\d{4}-\d{4},/g)).toHaveLength(2);
    expect(csv).toContain(',jma,公益社団法人 日本医師会,slack,');
    expect(csv).toContain(`acknowledged,`);
    expect(csv).toContain(`${JMA_STAFF.name} (slack:${JMA_STAFF.userId})`);
  });

  it('writes the whole transcript as JSON, and exports an advisory not archived yet from its live records', async () => {
    const archivedJson = JSON.parse((await cli(['export', amber, '--format', 'json'])).out);
    expect(archivedJson).toMatchObject({ advisoryId: amber, members: ['jda', 'jma'], closure: { cause: 'command' } });
    const live = await cli(['export', open, '--format', 'json']);
    expect(live.code).toBe(EXIT.OK);
    const liveRecord = JSON.parse(live.out);
    expect(liveRecord.advisoryId).toBe(open);
    expect(liveRecord.closure).toBeUndefined();
  });

  it('says what is wrong: an unknown advisory (1), a bad format or no id (2)', async () => {
    expect((await cli(['export', 'ADV-2026-0999'])).code).toBe(EXIT.FOUND);
    const bad = await cli(['export', amber, '--format', 'xlsx']);
    expect(bad.code).toBe(EXIT.USAGE);
    expect(bad.err).toContain('--format は csv か json です');
    expect((await cli(['export'])).code).toBe(EXIT.USAGE);
  });
});

describe('npm run cli -- search', () => {
  it('finds archived advisories by member, TLP and date, newest first', async () => {
    const byMember = await cli(['search', '--member', 'jda', '--json']);
    expect(JSON.parse(byMember.out).transcripts.map((t: { advisoryId: string }) => t.advisoryId)).toEqual([amber]);
    const both = await cli(['search', '--member', 'jma', '--json']);
    expect(JSON.parse(both.out).transcripts.map((t: { advisoryId: string }) => t.advisoryId)).toEqual([red, amber]);
    expect(JSON.parse((await cli(['search', '--tlp', 'TLP:RED', '--json'])).out).transcripts.map((t: { advisoryId: string }) => t.advisoryId)).toEqual([red]);
    expect(JSON.parse((await cli(['search', '--since', '2030-01-01', '--json'])).out).transcripts).toEqual([]);
    const text = await cli(['search']);
    // One line per advisory, even for a title with a line break in it.
    expect(text.out.split('\n')).toHaveLength(3);
    expect(text.out.split('\n')[2]).toMatch(new RegExp(`^${amber}\t.*\t電子カルテ, "重要" 改行あり$`));
    expect((await cli(['search', '--tlp', 'RED'])).code).toBe(EXIT.USAGE);
  });
});

describe('npm run cli -- purge', () => {
  it('says what it would do, then removes the TLP:RED texts past their retention and leaves the rest', async () => {
    // Everything here was issued "now": a retention of 0 days does nothing, and a cut-off in the future is what removes.
    const dry = await cli(['purge', '--dry-run', '--json'], { RETENTION_RED_DAYS: '0' });
    expect(JSON.parse(dry.out)).toMatchObject({ dryRun: true, redacted: [], deleted: 0 });
    const future = { RETENTION_RED_DAYS: '1' };
    // The fixture's clock is 2026-12-01; the CLI runs on the real clock, which is later than a day after it.
    const run = await cli(['purge', '--json'], future);
    expect(JSON.parse(run.out)).toMatchObject({ dryRun: false, redacted: [red], deleted: 0 });
    const t = JSON.parse((await cli(['export', red, '--format', 'json'])).out);
    expect(t.versions.map((v: { body: string }) => v.body)).toEqual([REDACTED]);
    expect(JSON.parse((await cli(['export', amber, '--format', 'json'])).out).versions[0].body).not.toBe(REDACTED);
    // Once.
    expect(JSON.parse((await cli(['purge', '--json'], future)).out).redacted).toEqual([]);
  });
});
