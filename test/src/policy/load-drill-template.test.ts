import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_DRILL_TEMPLATE, type TemplateProblem } from '../../../src/domain/drill-template.js';
import { isBotError } from '../../../src/errors.js';
import { DrillTemplateError, loadCheckedDrillTemplate, loadDrillTemplate, parseDrillTemplate } from '../../../src/policy/load-drill-template.js';
import { loadDirectory } from '../../../src/directory/load.js';
import { existsSync } from 'node:fs';
import { startBot } from '../../../src/main.js';
import { createLogger } from '../../../src/log.js';

const dir = mkdtempSync(path.join(tmpdir(), 'ceptoar-drill-template-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function problemsOf(text: string): TemplateProblem[] {
  try {
    parseDrillTemplate(text, 'bad.yaml');
  } catch (err) {
    expect(err).toBeInstanceOf(DrillTemplateError);
    expect(isBotError(err, 'CONFIG.INVALID')).toBe(true);
    return [...(err as DrillTemplateError).problems];
  }
  throw new Error('the template was accepted');
}

const GOOD = `title: 【訓練】連絡訓練
body: これは訓練です。受領確認を押してください。
tlp: TLP:GREEN
severity: level2
`;

describe('the drill template file', () => {
  it('ships config/drill-template.example.yaml, equal to the built-in template, and valid against the example directory', async () => {
    expect(await loadDrillTemplate('config/drill-template.example.yaml')).toEqual(DEFAULT_DRILL_TEMPLATE);
    const directory = await loadDirectory('config/members.example.yaml');
    const known = { groups: new Set(directory.groups().map((g) => g.id)), organisations: new Set(directory.organisations().map((o) => o.id)) };
    expect(await loadCheckedDrillTemplate('config/drill-template.example.yaml', known)).toEqual(DEFAULT_DRILL_TEMPLATE);
  });

  it('fills in what a short template leaves out: category, source, escalation, the schedule it offers', () => {
    expect(parseDrillTemplate(GOOD, 'good.yaml')).toEqual({
      title: '【訓練】連絡訓練',
      body: 'これは訓練です。受領確認を押してください。',
      tlp: 'TLP:GREEN',
      severity: 'level2',
      category: 'notice',
      source: 'other',
      escalate: true,
      schedule: { announce: false, startsInMinutes: 1440, lengthMinutes: 120 },
    });
  });

  it('reports every problem at once, each with its path and line, in the order of the file', () => {
    const problems = problemsOf(
      [
        'title: 連絡訓練', // 1: no 【訓練】
        'body: "   "', // 2: nothing to read
        'tlp: TLP:WHITE', // 3: not TLP 2.0
        'severity: level4', // 4
        'escalate: false', // 5: not allowed for level 4
        'targets:', // 6
        '  everyone: true', // 7: misspelt
        'schedule:', // 8
        '  lengthMinutes: 30000', // 9: over 14 days
        'ackDeadlineMinutes: 0', // 10
      ].join('\n'),
    );
    expect(problems.map((p) => [p.line, p.path])).toEqual([
      [1, 'title'],
      [2, 'body'],
      [3, 'tlp'],
      [5, 'escalate'],
      [7, 'targets'],
      [9, 'schedule.lengthMinutes'],
      [10, 'ackDeadlineMinutes'],
    ]);
    expect(problems[0]!.message).toContain('【訓練】');
    expect(problems[3]!.message).toContain('level1 and level0');
    expect(problems[4]!.message).toContain('everyone');
  });

  it('names missing fields, and says where YAML itself is broken', () => {
    const missing = problemsOf('title: 【訓練】x\n');
    expect(missing.map((p) => [p.path, p.message])).toEqual([
      ['body', expect.stringContaining('missing')],
      ['tlp', expect.stringContaining('missing')],
      ['severity', expect.stringContaining('missing')],
    ]);
    const broken = problemsOf('title: 【訓練】x\ntitle: again\nbody: [unclosed\n');
    expect(broken.length).toBeGreaterThan(0);
    expect(broken.every((p) => p.line !== undefined)).toBe(true);
  });

  it('says so when the file is missing, and lists every target the directory does not have', async () => {
    await expect(loadDrillTemplate(path.join(dir, 'none.yaml'))).rejects.toMatchObject({ code: 'CONFIG.INVALID', problems: [{ message: 'file not found' }] });
    const file = path.join(dir, 'targets.yaml');
    writeFileSync(file, `${GOOD}targets:\n  groups: [shishikai, nope]\n  members: [jma, ghost]\n`);
    const known = { groups: new Set(['shishikai']), organisations: new Set(['jma']) };
    const err = await loadCheckedDrillTemplate(file, known).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DrillTemplateError);
    expect((err as DrillTemplateError).problems.map((p) => p.path)).toEqual(['targets.groups[1]', 'targets.members[1]']);
    expect((err as Error).message).toContain('2 problems');
  });

  it('stops the bot’s start with every problem, before it opens anything', async () => {
    const file = path.join(dir, 'broken.yaml');
    writeFileSync(file, 'title: 訓練\nbody: x\ntlp: TLP:WHITE\nseverity: level2\ntargets:\n  members: [ghost]\n');
    const dataDir = path.join(dir, 'data-never-made');
    const started = startBot({
      // Redis and the store are never reached: nothing is opened before the template is checked.
      env: { LOCAL_WORKSPACE: 'on', PORT: '0', DATA_DIR: dataDir, REDIS_URL: 'redis://127.0.0.1:1', DRILL_TEMPLATE_FILE: file },
      log: createLogger('silent'),
    });
    const err = await started.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(DrillTemplateError);
    // The unknown organisation is reported with the file's other problems, at its line.
    expect((err as DrillTemplateError).problems.map((p) => [p.path, p.line])).toEqual([
      ['title', 1],
      ['tlp', 3],
      ['targets.members[0]', 6],
    ]);
    expect(existsSync(dataDir)).toBe(false);
  });
});
