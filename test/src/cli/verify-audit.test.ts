import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, usage } from '../../../src/cli/main.js';
import { openStoreFromEnv } from '../../../src/cli/store.js';
import { EXIT, type CliContext, type CliSubcommand } from '../../../src/cli/subcommand.js';
import { parseAnchor } from '../../../src/cli/verify-audit.js';
import type { AuditEvent } from '../../../src/domain/audit.js';
import { SQLITE_FILE } from '../../../src/store/open-store.js';
import { SQLITE_SCHEMA_VERSION, SqliteStore } from '../../../src/store/sqlite/sqlite-store.js';

const run = promisify(execFile);
const root = mkdtempSync(path.join(tmpdir(), 'ceptoar-cli-'));
let dirCount = 0;

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

const ack = (i: number, advisoryId = 'ADV-2026-0042'): AuditEvent => ({
  id: `d-${i}.acknowledged`,
  at: `2026-04-01T09:00:0${i}.000Z`,
  actor: { platform: 'slack', userId: `U${i}`, name: '会員' },
  action: 'delivery.acknowledged',
  advisoryId,
  deliveryId: `d-${i}`,
  detail: { via: 'button' },
});

/** A data directory whose store holds three acknowledgements of one advisory and one refusal. */
async function aDataDir(): Promise<string> {
  const dir = path.join(root, `data-${++dirCount}`);
  mkdirSync(dir);
  const store = new SqliteStore(path.join(dir, SQLITE_FILE));
  for (const i of [1, 2, 3]) await store.appendAudit(ack(i));
  await store.appendAudit({ id: 'refused-1', at: '2026-04-01T09:00:00.000Z', action: 'advisory.refused', detail: {} });
  await store.close();
  return dir;
}

function raw(dir: string, sql: string): void {
  const db = new Database(path.join(dir, SQLITE_FILE));
  db.exec(sql);
  db.close();
}

/** Runs the CLI in this process, with what it writes kept. */
async function cli(argv: string[], env: Record<string, string | undefined>) {
  const out: string[] = [];
  const err: string[] = [];
  const ctx: CliContext = { env, out: (t) => out.push(t), err: (t) => err.push(t), openStore: openStoreFromEnv };
  const code = await runCli(argv, ctx);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('npm run cli -- verify-audit', () => {
  it('exits 0 for an intact log, Japanese first, naming every chain and its last hash', async () => {
    const dir = await aDataDir();
    const r = await cli(['verify-audit'], { DATA_DIR: dir });
    expect(r.code).toBe(EXIT.OK);
    const lines = r.out.split('\n');
    expect(lines[0]).toBe('監査ログに改ざん・欠落はありません（2 連鎖、4 件）。');
    expect(lines[1]).toBe('The audit log is intact (2 chain(s), 4 event(s)).');
    expect(r.out).toContain(`sqlite ${path.join(dir, SQLITE_FILE)}`);
    expect(r.out).toMatch(/OK \(none\) {2}1 件 \/ events {2}最終 \/ last: seq 1 sha256:[0-9a-f]{64}/);
    expect(r.out).toMatch(/OK ADV-2026-0042 {2}3 件 \/ events {2}最終 \/ last: seq 3 sha256:[0-9a-f]{64}/);
    expect(r.err).toBe('');
  });

  it('exits 1 for an edited event and names the first broken link: chain, seq, event and what is wrong', async () => {
    const dir = await aDataDir();
    raw(dir, `UPDATE audit SET json = json_set(json, '$.detail.via', 'phone') WHERE id = 'd-2.acknowledged'`);
    const r = await cli(['verify-audit', 'ADV-2026-0042'], { DATA_DIR: dir });
    expect(r.code).toBe(EXIT.FOUND);
    const lines = r.out.split('\n');
    expect(lines[0]).toBe('監査ログの改ざん・欠落を検出しました: 1 連鎖に 1 件の問題。');
    expect(lines[1]).toBe('Tampering or loss found in the audit log: 1 problem(s) in 1 chain(s).');
    expect(lines[3]).toBe('最初の破損箇所 / First broken link: ADV-2026-0042 seq 2 (d-2.acknowledged)');
    expect(lines[4]).toMatch(/^ {2}seq 2（イベント d-2\.acknowledged）は書き込まれた後に変更されています/);
    expect(lines[5]).toMatch(/^ {2}seq 2 \(event d-2\.acknowledged\) was changed after it was written/);
    expect(r.out).toContain('NG ADV-2026-0042');
    // Only the chain asked for.
    expect(r.out).not.toContain('(none)');
  });

  it('answers in JSON with --json: the reports, the first problem with its message, the exit code', async () => {
    const dir = await aDataDir();
    raw(dir, `DELETE FROM audit WHERE id = 'd-3.acknowledged'`);
    const r = await cli(['verify-audit', '--json'], { DATA_DIR: dir });
    expect(r.code).toBe(EXIT.FOUND);
    const answer = JSON.parse(r.out);
    expect(answer).toMatchObject({
      ok: false,
      exitCode: 1,
      store: { kind: 'sqlite' },
      notFound: [],
      firstProblem: {
        kind: 'tail-missing',
        chain: 'ADV-2026-0042',
        seq: 3,
        toSeq: 3,
        eventId: 'd-3.acknowledged',
        message: { ja: expect.stringContaining('末尾'), en: expect.stringContaining('deleted') },
      },
    });
    expect(answer.chains.map((c: { chain: string; ok: boolean; links: number }) => [c.chain, c.ok, c.links])).toEqual([
      ['(none)', true, 1],
      ['ADV-2026-0042', false, 2],
    ]);
  });

  it('checks outside anchors: the head it printed verifies, another hash does not', async () => {
    const dir = await aDataDir();
    const first = JSON.parse((await cli(['verify-audit', 'ADV-2026-0042', '--json'], { DATA_DIR: dir })).out);
    const hash: string = first.chains[0].last.hash;
    expect((await cli(['verify-audit', 'ADV-2026-0042', '--anchor', `3:${hash.toUpperCase()}`], { DATA_DIR: dir })).code).toBe(EXIT.OK);
    expect((await cli(['verify-audit', '--anchor', `ADV-2026-0042:3:${hash}`], { DATA_DIR: dir })).code).toBe(EXIT.OK);
    const wrong = await cli(['verify-audit', '--anchor', `ADV-2026-0042:3:${'0'.repeat(64)}`, '--json'], { DATA_DIR: dir });
    expect(wrong.code).toBe(EXIT.FOUND);
    expect(JSON.parse(wrong.out).firstProblem).toMatchObject({ kind: 'anchor-mismatch', seq: 3, eventId: 'd-3.acknowledged' });
  });

  it('exits 1 for an advisory it has no trace of', async () => {
    const dir = await aDataDir();
    const r = await cli(['verify-audit', 'ADV-2026-0999'], { DATA_DIR: dir });
    expect(r.code).toBe(EXIT.FOUND);
    expect(r.out).toContain('ADV-2026-0999: この注意喚起の監査イベントは一つもありません');
    expect(r.out).toContain('ADV-2026-0999: there are no audit events for this advisory at all');
  });

  it('exits 2 for a wrong command line, saying what is wrong in both languages', async () => {
    const dir = await aDataDir();
    const unknownOption = await cli(['verify-audit', '--frobnicate'], { DATA_DIR: dir });
    expect(unknownOption.code).toBe(EXIT.USAGE);
    expect(unknownOption.err).toMatch(/^コマンドラインが正しくありません: .*frobnicate.*\nThe command line is not valid: .*frobnicate/);
    const badAnchor = await cli(['verify-audit', 'ADV-2026-0042', '--anchor', '3:xyz'], { DATA_DIR: dir });
    expect(badAnchor.code).toBe(EXIT.USAGE);
    expect(badAnchor.err).toContain('--anchor の形式が正しくありません: 3:xyz');
    const badJson = await cli(['verify-audit', '--json', '--anchor', '3:abc'], { DATA_DIR: dir });
    expect(badJson.code).toBe(EXIT.USAGE);
    expect(JSON.parse(badJson.out)).toMatchObject({ ok: false, exitCode: 2, error: { en: expect.stringContaining('--anchor is not valid') } });
    const unknown = await cli(['frobnicate'], { DATA_DIR: dir });
    expect(unknown.code).toBe(EXIT.USAGE);
    expect(unknown.err).toMatch(/^不明なサブコマンドです: frobnicate\nUnknown subcommand: frobnicate/);
    const none = await cli([], { DATA_DIR: dir });
    expect(none.code).toBe(EXIT.USAGE);
    expect(none.err).toBe(usage());
  });

  it('exits 3 when the store cannot be opened, and says so', async () => {
    const notADir = path.join(root, 'a-file');
    writeFileSync(notADir, 'x');
    const r = await cli(['verify-audit'], { DATA_DIR: notADir });
    expect(r.code).toBe(EXIT.UNAVAILABLE);
    expect(r.err).toMatch(/^ストアを開けません: .*\nCannot open the store: /);

    const newer = path.join(root, 'newer');
    mkdirSync(newer);
    const db = new Database(path.join(newer, SQLITE_FILE));
    db.pragma(`user_version = ${SQLITE_SCHEMA_VERSION + 1}`);
    db.close();
    const json = await cli(['verify-audit', '--json'], { DATA_DIR: newer });
    expect(json.code).toBe(EXIT.UNAVAILABLE);
    expect(JSON.parse(json.out)).toMatchObject({ ok: false, exitCode: 3, error: { en: expect.stringMatching(/Cannot open the store: .*newer/) } });

    const badUri = await cli(['verify-audit'], { MONGODB_URI: 'http://not-mongo' });
    expect(badUri.code).toBe(EXIT.UNAVAILABLE);
    expect(badUri.err).toContain('MONGODB_URI');
  });

  it('prints its help, and the dispatcher lists every subcommand', async () => {
    const help = await cli(['verify-audit', '--help'], {});
    expect(help.code).toBe(EXIT.OK);
    expect(help.out).toContain('npm run audit:verify');
    expect((await cli(['--help'], {})).out).toBe(usage());
    expect(usage()).toMatch(/^使い方: npm run cli -- <サブコマンド> \[オプション\]\nUsage: npm run cli -- <subcommand> \[options\]/);
    expect(usage()).toContain('verify-audit [ADV-… | (none)]…');
  });

  it('dispatches to the subcommand named, with the rest of the arguments', async () => {
    const seen: string[][] = [];
    const fake: CliSubcommand = { name: 'export', synopsis: 'export ADV-…', summary: { ja: '書き出し', en: 'export' }, run: async (args) => (seen.push(args), EXIT.OK) };
    const ctx: CliContext = { env: {}, out: () => undefined, err: () => undefined, openStore: openStoreFromEnv };
    expect(await runCli(['export', 'ADV-2026-0042', '--format', 'csv'], ctx, [fake])).toBe(EXIT.OK);
    expect(seen).toEqual([['ADV-2026-0042', '--format', 'csv']]);
    expect(usage([fake])).toContain('  export ADV-…  書き出し / export');
  });

  it('reads an anchor as CHAIN:SEQ:HASH, or SEQ:HASH for the one chain named', () => {
    const h = 'a'.repeat(64);
    expect(parseAnchor(`ADV-2026-0042:12:${h}`, [])).toEqual({ chain: 'ADV-2026-0042', anchor: { seq: 12, hash: h } });
    expect(parseAnchor(`(none):1:${h.toUpperCase()}`, [])).toEqual({ chain: '(none)', anchor: { seq: 1, hash: h } });
    expect(parseAnchor(`7:${h}`, ['ADV-2026-0042'])).toEqual({ chain: 'ADV-2026-0042', anchor: { seq: 7, hash: h } });
    expect(() => parseAnchor(`7:${h}`, [])).toThrow(/does not say which advisory/);
    expect(() => parseAnchor(`7:${h}`, ['A', 'B'])).toThrow(/does not say which advisory/);
    for (const bad of [`0:${h}`, `-1:${h}`, `x:${h}`, `1.5:${h}`, `7:${h.slice(1)}`, `7:${h}0`, h, '']) {
      expect(() => parseAnchor(bad, ['ADV-2026-0042'])).toThrow(/not valid/);
    }
  });

  it('runs as a real process through npm: exit 0 when intact, 1 with the broken link named once an event is edited', async () => {
    const dir = await aDataDir();
    const cwd = path.resolve(import.meta.dirname, '../../..');
    const env = { ...process.env, DATA_DIR: dir, MONGODB_URI: '' };
    const intact = await run('npm', ['run', '-s', 'audit:verify'], { cwd, env });
    expect(intact.stdout.split('\n')[0]).toBe('監査ログに改ざん・欠落はありません（2 連鎖、4 件）。');

    raw(dir, `UPDATE audit SET json = json_set(json, '$.actor.userId', 'U0FORGED') WHERE id = 'd-1.acknowledged'`);
    const broken = await run('npm', ['run', '-s', 'cli', '--', 'verify-audit', 'ADV-2026-0042', '--json'], { cwd, env }).then(
      () => {
        throw new Error('expected a non-zero exit');
      },
      (err: { code: number; stdout: string }) => err,
    );
    expect(broken.code).toBe(EXIT.FOUND);
    expect(JSON.parse(broken.stdout).firstProblem).toMatchObject({ kind: 'edited', chain: 'ADV-2026-0042', seq: 1, eventId: 'd-1.acknowledged' });
  }, 60_000);
});
