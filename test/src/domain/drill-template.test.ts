import { describe, expect, it } from 'vitest';
import { AdvisoryInput } from '../../../src/domain/advisory.js';
import { DEFAULT_DRILL_TEMPLATE, DRILL_TITLE_MARK, DrillTemplateFile, drillFormEntries, drillTemplateTargetProblems } from '../../../src/domain/drill-template.js';
import { loadDrillTemplate } from '../../../src/policy/load-drill-template.js';

const NOW = new Date('2026-03-01T00:00:30.000Z');

describe('the drill template', () => {
  it('makes the form’s entries: a drill, the template’s content, all members, the window it offers from now (on the minute)', () => {
    const entries = drillFormEntries(DEFAULT_DRILL_TEMPLATE, NOW);
    // Strict: no deadline key at all when the template sets none (the severity's default applies).
    expect(entries).toStrictEqual({
      title: DEFAULT_DRILL_TEMPLATE.title,
      body: DEFAULT_DRILL_TEMPLATE.body,
      tlp: 'TLP:GREEN',
      severity: 'level2',
      category: 'notice',
      source: 'other',
      drill: true,
      drillPlan: { announce: false, from: '2026-03-02T00:01:00.000Z', to: '2026-03-02T02:01:00.000Z' },
      targets: { allMembers: true, observers: false, groups: [], members: [] },
      escalate: true,
    });
    // What the form is filled with is a valid advisory input as it stands.
    expect(AdvisoryInput.safeParse(entries).success).toBe(true);
    expect(entries.title.startsWith('【訓練】')).toBe(true);
  });

  it('keeps the template’s targets, deadline and choice to announce', () => {
    const t = DrillTemplateFile.parse({ ...DEFAULT_DRILL_TEMPLATE, targets: { groups: ['shishikai'] }, ackDeadlineMinutes: 30, schedule: { announce: true, startsInMinutes: 0, lengthMinutes: 60 } });
    const entries = drillFormEntries(t, NOW);
    expect(entries.targets).toEqual({ allMembers: false, observers: false, groups: ['shishikai'], members: [] });
    expect(entries.ackDeadlineMinutes).toBe(30);
    expect(entries.drillPlan).toEqual({ announce: true, from: '2026-03-01T00:01:00.000Z', to: '2026-03-01T01:01:00.000Z' });
    // Targets that name nobody, or none at all, mean all members (and only them).
    const ALL = { allMembers: true, observers: false, groups: [], members: [] };
    expect(drillFormEntries(DrillTemplateFile.parse({ ...DEFAULT_DRILL_TEMPLATE, targets: {} }), NOW).targets).toEqual(ALL);
    const { targets: _none, ...untargeted } = DEFAULT_DRILL_TEMPLATE;
    expect(drillFormEntries(DrillTemplateFile.parse(untargeted), NOW).targets).toEqual(ALL);
  });

  it('keeps targets that name only observers, or only organisations, as they are', () => {
    const observers = DrillTemplateFile.parse({ ...DEFAULT_DRILL_TEMPLATE, targets: { observers: true } });
    expect(drillFormEntries(observers, NOW).targets).toEqual({ allMembers: false, observers: true, groups: [], members: [] });
    const members = DrillTemplateFile.parse({ ...DEFAULT_DRILL_TEMPLATE, targets: { members: ['jma', 'jda'] } });
    expect(drillFormEntries(members, NOW).targets).toEqual({ allMembers: false, observers: false, groups: [], members: ['jma', 'jda'] });
    const both = DrillTemplateFile.parse({ ...DEFAULT_DRILL_TEMPLATE, targets: { allMembers: true, observers: true } });
    expect(drillFormEntries(both, NOW).targets).toEqual({ allMembers: true, observers: true, groups: [], members: [] });
  });

  it('finds the groups and organisations the directory does not have', () => {
    const t = DrillTemplateFile.parse({ ...DEFAULT_DRILL_TEMPLATE, targets: { groups: ['a', 'b'], members: ['x'] } });
    expect(drillTemplateTargetProblems(t, { groups: new Set(['a']), organisations: new Set(['x']) })).toEqual([{ path: 'targets.groups[1]', message: 'no group "b" in the member directory' }]);
    expect(drillTemplateTargetProblems(DEFAULT_DRILL_TEMPLATE, { groups: new Set(), organisations: new Set() })).toEqual([]);
    const orgs = DrillTemplateFile.parse({ ...DEFAULT_DRILL_TEMPLATE, targets: { members: ['jma', 'nobody', 'jda', 'gone'] } });
    expect(drillTemplateTargetProblems(orgs, { groups: new Set(), organisations: new Set(['jma', 'jda']) })).toEqual([
      { path: 'targets.members[1]', message: 'no organisation "nobody" in the member directory' },
      { path: 'targets.members[3]', message: 'no organisation "gone" in the member directory' },
    ]);
    // A template without targets (all members) names nothing to look up.
    const { targets: _none, ...untargeted } = DEFAULT_DRILL_TEMPLATE;
    expect(drillTemplateTargetProblems(DrillTemplateFile.parse(untargeted), { groups: new Set(), organisations: new Set() })).toEqual([]);
  });
});

describe('the drill template’s file format', () => {
  const MINIMAL = { title: '【訓練】連絡訓練', body: 'これは訓練です。', tlp: 'TLP:GREEN', severity: 'level2' };

  it('fills in what a template leaves out: a notice from another source, escalated, the schedule it offers', () => {
    expect(DrillTemplateFile.parse(MINIMAL)).toStrictEqual({
      ...MINIMAL,
      category: 'notice',
      source: 'other',
      escalate: true,
      schedule: { announce: false, startsInMinutes: 1440, lengthMinutes: 120 },
    });
    // A schedule that says only part: the rest as above.
    expect(DrillTemplateFile.parse({ ...MINIMAL, schedule: {} }).schedule).toEqual({ announce: false, startsInMinutes: 1440, lengthMinutes: 120 });
    expect(DrillTemplateFile.parse({ ...MINIMAL, schedule: { announce: true } }).schedule).toEqual({ announce: true, startsInMinutes: 1440, lengthMinutes: 120 });
  });

  it('says why a title without the drill mark is refused, and takes organisation ids of any length but empty', () => {
    const noMark = DrillTemplateFile.safeParse({ ...MINIMAL, title: '連絡訓練' });
    expect(noMark.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['title', `must contain ${DRILL_TITLE_MARK}`]]);
    expect(DrillTemplateFile.parse({ ...MINIMAL, targets: { members: ['jma'] } }).targets?.members).toEqual(['jma']);
    expect(DrillTemplateFile.safeParse({ ...MINIMAL, targets: { members: [''] } }).error?.issues.map((i) => i.path.join('.'))).toEqual(['targets.members.0']);
  });

  it('built in, is config/drill-template.example.yaml: its text, Japanese first, and all members', async () => {
    expect(await loadDrillTemplate('config/drill-template.example.yaml')).toEqual(DEFAULT_DRILL_TEMPLATE);
    const lines = DEFAULT_DRILL_TEMPLATE.body.split('\n');
    expect(lines[0]).toBe('これは訓練です。実際の事案ではありません。');
    expect(lines[lines.indexOf('') + 1]).toBe('This is a drill. It is not about a real incident.');
    expect(DEFAULT_DRILL_TEMPLATE.targets).toEqual({ allMembers: true, observers: false, groups: [], members: [] });
  });
});
