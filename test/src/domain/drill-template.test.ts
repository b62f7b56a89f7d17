import { describe, expect, it } from 'vitest';
import { AdvisoryInput } from '../../../src/domain/advisory.js';
import { DEFAULT_DRILL_TEMPLATE, DrillTemplateFile, drillFormEntries, drillTemplateTargetProblems } from '../../../src/domain/drill-template.js';

const NOW = new Date('2026-03-01T00:00:30.000Z');

describe('the drill template', () => {
  it('makes the form’s entries: a drill, the template’s content, all members, the window it offers from now (on the minute)', () => {
    const entries = drillFormEntries(DEFAULT_DRILL_TEMPLATE, NOW);
    expect(entries).toEqual({
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
    // Targets that name nobody mean all members.
    expect(drillFormEntries(DrillTemplateFile.parse({ ...DEFAULT_DRILL_TEMPLATE, targets: {} }), NOW).targets.allMembers).toBe(true);
  });

  it('finds the groups and organisations the directory does not have', () => {
    const t = DrillTemplateFile.parse({ ...DEFAULT_DRILL_TEMPLATE, targets: { groups: ['a', 'b'], members: ['x'] } });
    expect(drillTemplateTargetProblems(t, { groups: new Set(['a']), organisations: new Set(['x']) })).toEqual([{ path: 'targets.groups[1]', message: 'no group "b" in the member directory' }]);
    expect(drillTemplateTargetProblems(DEFAULT_DRILL_TEMPLATE, { groups: new Set(), organisations: new Set() })).toEqual([]);
  });
});
