import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/main.js';
import { openStoreFromEnv } from '../../../src/cli/store.js';
import { EXIT, type CliContext } from '../../../src/cli/subcommand.js';
import { SQLITE_FILE } from '../../../src/store/open-store.js';
import { SqliteStore } from '../../../src/store/sqlite/sqlite-store.js';
import { coreFixture } from '../../support/core-fixture.js';
import { advisoryMessage, issueAndPost, JMA_STAFF, minutes } from '../commands/helpers.js';
import { drillTranscript } from '../domain/reach-fixture.js';

/**
 * `npm run cli -- report` against a data directory: an archived drill whose presses and calls are known (the reach
 * fixture's ten members), and an open advisory issued through the core, read as an operator would.
 */
const dir = mkdtempSync(path.join(tmpdir(), 'ceptoar-report-cli-'));
const env = { DATA_DIR: dir, MEMBERS_FILE: 'config/members.example.yaml', USER: 'operator' };
const DRILL = 'DRL-2026-0007';
let open = '';

beforeAll(async () => {
  const f = await coreFixture({ storeFile: path.join(dir, SQLITE_FILE) });
  try {
    const { advisory, deliveries } = await issueAndPost(f, ['jma', 'jda']);
    f.clock.set(minutes(10));
    await f.core.acknowledgeFromMessage({ actor: JMA_STAFF, message: advisoryMessage(f, deliveries.find((d) => d.memberId === 'jma')!.channel.channelId) });
    open = advisory.id;
    await f.store.saveTranscript(drillTranscript({ advisory: { id: DRILL } }));
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

const rows = (csv: string): string[][] => parse(csv.replace(/^\uFEFF/, ''), { relax_column_count: true }) as string[][];

async function exports(advisoryId: string) {
  const store = new SqliteStore(path.join(dir, SQLITE_FILE));
  try {
    return (await store.listAudit(advisoryId)).filter((e) => e.action === 'advisory.exported');
  } finally {
    await store.close();
  }
}

describe('npm run cli -- report', () => {
  it('writes the archived drill\'s figures as CSV (BOM, CRLF) to a file, audited as an export', async () => {
    const file = path.join(dir, 'drill.csv');
    const r = await cli(['report', DRILL.toLowerCase(), '--out', file]);
    expect(r.code).toBe(EXIT.OK);
    expect(r.err).toBe(`${file} に書き出しました（対象 10、受領確認 80%）。\nWrote ${file} (10 targeted, 80% acknowledged).`);
    const csv = readFileSync(file, 'utf8');
    expect(csv.startsWith('\uFEFF指標 / measure,')).toBe(true);
    expect(csv).toContain('\r\n');
    const table = rows(csv);
    expect(table[1]).toEqual(['注意喚起ID / advisory id', DRILL, '', '']);
    expect(table.find((row) => row[0]?.startsWith('リマインド前に受領確認'))?.slice(1, 3)).toEqual(['3', '30']);
    expect(table.find((row) => row[0]?.startsWith('受領確認までの時間（中央値）'))?.[3]).toBe('2250');
    expect(table.filter((row) => row[0] === DRILL)).toHaveLength(10);
    const audited = await exports(DRILL);
    expect(audited.at(-1)).toMatchObject({ action: 'advisory.exported', detail: { report: 'reach', format: 'csv', via: 'cli', user: 'operator', archived: true } });
  });

  it('prints JSON, and reports an advisory not archived yet from its live records', async () => {
    const drill = JSON.parse((await cli(['report', DRILL, '--format', 'json'])).out);
    expect(drill).toMatchObject({ advisoryId: DRILL, drill: true, targeted: 10, times: { medianSeconds: 2250, p90Seconds: 3990 } });
    const live = await cli(['report', open, '--format', 'json']);
    expect(live.code).toBe(EXIT.OK);
    // The file's last line end is the terminal's.
    expect(live.out.endsWith('}')).toBe(true);
    const report = JSON.parse(live.out);
    expect(report).toMatchObject({ advisoryId: open, drill: false, targeted: 2, rates: { acknowledged: { count: 1, percent: 50 } } });
    // The ladder at the advisory's policy (level 3), the alert as for two contacts (the example directory's).
    expect(report.ladder.map((m: { kind: string; seconds: number }) => [m.kind, m.seconds])).toEqual([
      ['reminder', 2400],
      ['phone', 3600],
      ['alert', 6000],
    ]);
    expect((await exports(open)).at(-1)?.detail).toMatchObject({ format: 'json', archived: false });
  });

  it('is listed in the usage with what it does, in both languages', async () => {
    const help = await cli(['help']);
    const line = help.out.split('\n').find((l) => l.trimStart().startsWith('report '));
    expect(line?.trim().replace(/\s{2,}/, '  ')).toBe(
      "report ADV-… [--format csv|json|svg|png] [--out FILE] [--compare ADV-…]  注意喚起・訓練の疎通確認率（段階別の受領確認率・所要時間・推移のグラフ）を書き出す / write an advisory's or drill's reach report (rates per stage, times, the chart)",
    );
  });

  it('without a readable directory: says so, and marks the alert as for one contact', async () => {
    const r = await cli(['report', open, '--format', 'json'], { MEMBERS_FILE: path.join(dir, 'missing.yaml') });
    expect(r.code).toBe(EXIT.OK);
    expect(r.err).toContain('構成員名簿を読めないため ID で表示します');
    expect(JSON.parse(r.out).ladder.at(-1)).toMatchObject({ kind: 'alert', seconds: 4800 });
    expect((await exports(open)).at(-1)?.detail['user']).toBe('operator');
  });

  it('puts this drill beside the last with --compare', async () => {
    const r = await cli(['report', DRILL, '--compare', open, '--format', 'csv']);
    expect(r.code).toBe(EXIT.OK);
    const table = rows(r.out);
    expect(table[0]).toEqual(['指標 / measure', `今回 / this one ${DRILL} [DRILL]`, `前回 / the last ${open}`, '差 / difference']);
    expect(table.find((row) => row[0]?.startsWith('受領確認 計'))?.slice(1)).toEqual(['80', '50', '30']);
    expect((await exports(DRILL)).at(-1)?.detail).toMatchObject({ comparedWith: open });
    const json = JSON.parse((await cli(['report', DRILL, '--compare', open, '--format', 'json'])).out);
    expect(json.comparison.times[0]).toEqual({ key: 'medianSeconds', current: 2250, previous: 600, seconds: 1650 });
  });

  it('draws the chart as SVG to stdout and as PNG to a file', async () => {
    const svg = await cli(['report', DRILL, '--format', 'svg']);
    expect(svg.code).toBe(EXIT.OK);
    expect(XMLValidator.validate(svg.out)).toBe(true);
    expect(svg.out).toContain(`【訓練】 TLP:AMBER · レベル3 高 · ${DRILL} 受領確認の推移`);
    const file = path.join(dir, 'drill.png');
    const png = await cli(['report', DRILL, '--format', 'png', '--out', file]);
    expect(png.code).toBe(EXIT.OK);
    const bytes = readFileSync(file);
    expect(bytes.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    // A drawn chart: a blank picture of its size is about 6 KB, the chart over 25 KB even without Japanese fonts.
    expect(bytes.length).toBeGreaterThan(12_000);
  });

  it('says what is wrong: an unknown advisory (1), a bad format, id, comparison or a PNG to stdout (2)', async () => {
    const unknown = await cli(['report', 'ADV-2026-9999']);
    expect(unknown.code).toBe(EXIT.FOUND);
    expect(unknown.err).toBe('ADV-2026-9999 は見つかりません。\nADV-2026-9999 was not found.');
    const unknownPrevious = await cli(['report', DRILL, '--compare', 'DRL-2026-0001']);
    expect(unknownPrevious.code).toBe(EXIT.FOUND);
    expect(unknownPrevious.err).toContain('DRL-2026-0001 was not found.');
    const before = (await exports(DRILL)).length;
    for (const [argv, says] of [
      [['report', DRILL, '--format', 'pdf'], '--format is csv, json, svg or png: pdf'],
      [['report'], 'Name one advisory id'],
      [['report', 'ADV-x'], 'Name one advisory id'],
      [['report', DRILL, '--compare', 'last'], '--compare takes an advisory id: last'],
      [['report', DRILL, '--compare', open, '--format', 'svg'], '--compare goes with csv or json'],
      [['report', DRILL, '--compare', open, '--format', 'png', '--out', path.join(dir, 'x.png')], '--compare goes with csv or json'],
      [['report', DRILL, '--format', 'png'], 'Write a PNG to a file with --out.'],
    ] as const) {
      const r = await cli([...argv]);
      expect(r.code, argv.join(' ')).toBe(EXIT.USAGE);
      expect(r.err).toContain(says);
      expect(r.err).toContain('npm run cli -- report ADV-… [--format csv|json|svg|png] [--out FILE] [--compare ADV-…]');
    }
    // Nothing was taken out by a refused command line.
    expect(await exports(DRILL)).toHaveLength(before);
    expect(before).toBeGreaterThan(0);
  });
});
