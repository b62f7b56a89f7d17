import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import {
  ADVISORY_ID_SOURCE,
  advisoryIdParts,
  AdvisoryInput,
  advisoryScope,
  isDrillId,
  previewAdvisoryId,
  seriesFor,
  BODY_MAX,
  DEADLINE_MAX_MINUTES,
  formatAdvisoryId,
  isAdvisoryId,
  newAdvisoryUid,
  parseAdvisoryId,
  policyFor,
  TITLE_MAX,
} from '../../../src/domain/advisory.js';
import { DEFAULT_POLICIES } from '../../../src/domain/escalation.js';
import { CATEGORIES, Severity, SEVERITIES, SOURCES, Tlp, TLP_COLOUR, tlpAllowsChannelPost, tlpForbidsSharedChannel, TLP_LEVELS } from '../../../src/domain/classification.js';
import { actorKey, PLATFORMS } from '../../../src/domain/platform.js';

const valid = {
  title: 'VPN 装置の脆弱性',
  body: '本文',
  source: 'nisc',
  tlp: 'TLP:AMBER',
  severity: 'level3',
  category: 'vulnerability',
  targets: { allMembers: true },
};

describe('advisory', () => {
  it('formats and parses people-readable ids', () => {
    expect(formatAdvisoryId(2026, 42)).toBe('ADV-2026-0042');
    expect(parseAdvisoryId(' adv-2026-42 ')).toBe('ADV-2026-0042');
    expect(parseAdvisoryId('ADV-2026-12345')).toBe('ADV-2026-12345');
    expect(parseAdvisoryId('2026-0042')).toBeNull();
  });

  it('numbers drills in a series of their own, and reads both series wherever an id is typed', () => {
    expect(seriesFor(false)).toBe('ADV');
    expect(seriesFor(true)).toBe('DRL');
    expect(formatAdvisoryId(2026, 3, 'DRL')).toBe('DRL-2026-0003');
    expect(formatAdvisoryId(2026, 3, 'ADV')).toBe('ADV-2026-0003');
    expect(parseAdvisoryId('drl-2026-3')).toBe('DRL-2026-0003');
    expect(parseAdvisoryId(' DRL-2026-0003\n')).toBe('DRL-2026-0003');
    expect(parseAdvisoryId('Drl-2026-10000')).toBe('DRL-2026-10000');
    for (const bad of ['DRILL-2026-0003', 'DR-2026-0003', 'XYZ-2026-0001', 'DRL-26-0003', 'DRL-2026-', 'DRL-2026-00x3', 'ADV-2026-0001 extra', `DRL-2026-${'9'.repeat(20)}`]) {
      expect(parseAdvisoryId(bad), bad).toBeNull();
    }
    expect(isAdvisoryId('DRL-2026-0003')).toBe(true);
    expect(isAdvisoryId('ADV-2026-0042')).toBe(true);
    // Only the canonical form: parse first what people typed.
    expect(isAdvisoryId('drl-2026-0003')).toBe(false);
    expect(isAdvisoryId('DRL-2026-3')).toBe(false);
    expect(advisoryIdParts('DRL-2026-0003')).toEqual({ series: 'DRL', year: 2026, n: 3 });
    expect(advisoryIdParts('ADV-2025-0042')).toEqual({ series: 'ADV', year: 2025, n: 42 });
    expect(advisoryIdParts('nope')).toBeNull();
    expect(isDrillId('DRL-2026-0003')).toBe(true);
    expect(isDrillId('ADV-2026-0003')).toBe(false);
    expect(previewAdvisoryId(2026, 'DRL')).toBe('DRL-2026-????');
  });

  it('finds ids of both series in text with the one pattern', () => {
    const found = 'ADV-2026-0042 と DRL-2026-0003、DRL-2026-12345 だが XDRL-2026-1 でも ADV-2026-42 でもない'.match(new RegExp(ADVISORY_ID_SOURCE, 'g'));
    expect(found).toEqual(['ADV-2026-0042', 'DRL-2026-0003', 'DRL-2026-12345']);
  });

  it('validates input and reports every problem at once', () => {
    expect(AdvisoryInput.safeParse(valid).success).toBe(true);
    const bad = AdvisoryInput.safeParse({ ...valid, title: '', tlp: 'TLP:WHITE', targets: {} });
    expect(bad.success).toBe(false);
    const paths = bad.error!.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['title', 'tlp', 'targets.members']));
  });

  it('defaults the deadline by severity and honours an override', () => {
    expect(policyFor({ severity: 'level4', escalate: true }, DEFAULT_POLICIES).deadline).toBe(15 * 60);
    expect(policyFor({ severity: 'level1', ackDeadlineMinutes: 30, escalate: true }, DEFAULT_POLICIES).deadline).toBe(30 * 60);
  });

  it('lets only information-level advisories switch escalation off', () => {
    expect(AdvisoryInput.safeParse({ ...valid, severity: 'level1', escalate: false }).success).toBe(true);
    const bad = AdvisoryInput.safeParse({ ...valid, severity: 'level4', escalate: false });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues[0]!.path).toEqual(['escalate']);
  });

  it('knows where each TLP level may go', () => {
    expect(TLP_LEVELS.filter(tlpAllowsChannelPost)).not.toContain('TLP:RED');
    expect(TLP_LEVELS.filter(tlpForbidsSharedChannel)).toEqual(['TLP:RED', 'TLP:AMBER+STRICT']);
    expect(TLP_COLOUR['TLP:RED']).toBe('#FF2B2B');
  });
});

describe('advisory input bounds', () => {
  const issues = (input: Record<string, unknown>) => AdvisoryInput.safeParse({ ...valid, ...input }).error?.issues.map((i) => i.path.join('.')) ?? [];

  it('rejects a title or body of only whitespace, and trims what it keeps', () => {
    expect(issues({ title: '   ' })).toEqual(['title']);
    expect(issues({ title: '\u3000\n' })).toEqual(['title']);
    expect(issues({ body: ' \t ' })).toEqual(['body']);
    expect(AdvisoryInput.parse({ ...valid, title: '  題名 ', body: ' 本文\n' })).toMatchObject({ title: '題名', body: '本文' });
  });

  it('refuses a title or body of only invisible characters as empty', () => {
    const empty = AdvisoryInput.safeParse({ ...valid, title: '', body: '' }).error!.issues.map((i) => [i.path.join('.'), i.code]);
    expect(empty).toEqual([
      ['title', 'too_small'],
      ['body', 'too_small'],
    ]);
    const invisible = AdvisoryInput.safeParse({ ...valid, title: '\u200B\u200B\u200B', body: '\u200C\n\u200D\u2060\uFEFF\n\u00AD' }).error!.issues.map((i) => [i.path.join('.'), i.code]);
    expect(invisible).toEqual(empty);
    expect(issues({ title: '\u200B件名' })).toEqual([]);
  });

  it('folds line breaks and tabs in the title to one space, and keeps them in the body', () => {
    expect(AdvisoryInput.parse({ ...valid, title: 'VPN 装置の\r\n  脆弱性\t（続報）', body: '一行目\n二行目' })).toMatchObject({ title: 'VPN 装置の 脆弱性 （続報）', body: '一行目\n二行目' });
  });

  it('bounds the title and body lengths', () => {
    expect(issues({ title: 'x'.repeat(TITLE_MAX) })).toEqual([]);
    expect(issues({ title: 'x'.repeat(TITLE_MAX + 1) })).toEqual(['title']);
    expect(issues({ body: 'x'.repeat(BODY_MAX) })).toEqual([]);
    expect(issues({ body: 'x'.repeat(BODY_MAX + 1) })).toEqual(['body']);
  });

  it('bounds the deadline to whole minutes from 1 to DEADLINE_MAX_MINUTES (two weeks)', () => {
    expect(DEADLINE_MAX_MINUTES).toBe(20_160);
    expect(issues({ ackDeadlineMinutes: DEADLINE_MAX_MINUTES })).toEqual([]);
    expect(issues({ ackDeadlineMinutes: 1 })).toEqual([]);
    for (const ackDeadlineMinutes of [DEADLINE_MAX_MINUTES + 1, 0, -1, 1.5]) expect(issues({ ackDeadlineMinutes })).toEqual(['ackDeadlineMinutes']);
    expect(AdvisoryInput.parse(valid).ackDeadlineMinutes).toBeUndefined();
  });

  it('fills defaults: not a drill, escalating, no groups or members named', () => {
    expect(AdvisoryInput.parse(valid)).toMatchObject({ drill: false, escalate: true, targets: { allMembers: true, observers: false, groups: [], members: [] } });
  });

  it('needs at least one target of any kind', () => {
    expect(issues({ targets: { observers: true } })).toEqual([]);
    expect(issues({ targets: { groups: ['g'] } })).toEqual([]);
    expect(issues({ targets: { members: ['jma'] } })).toEqual([]);
    expect(issues({ targets: { allMembers: false, groups: [], members: [] } })).toEqual(['targets.members']);
    expect(AdvisoryInput.safeParse({ ...valid, targets: {} }).error!.issues[0]!.message).toBe('at least one target is required');
    expect(issues({ targets: { members: [''] } })).toEqual(['targets.members.0']);
  });
});

describe('advisory ids and scope', () => {
  it('accepts only the canonical form as an id', () => {
    expect(isAdvisoryId('ADV-2026-0042')).toBe(true);
    expect(isAdvisoryId('ADV-2026-12345')).toBe(true);
    expect(isAdvisoryId('ADV-2026-042')).toBe(false);
    expect(isAdvisoryId('adv-2026-0042')).toBe(false);
    expect(isAdvisoryId('xADV-2026-0042')).toBe(false);
    expect(isAdvisoryId('ADV-2026-0042x')).toBe(false);
    expect(parseAdvisoryId('ADV-26-0042')).toBeNull();
    expect(parseAdvisoryId('ADV-2026-')).toBeNull();
    expect(parseAdvisoryId('ADV-2026-42 extra')).toBeNull();
    expect(parseAdvisoryId('see ADV-2026-42')).toBeNull();
  });

  it('scopes queue work by the random uid, or for older records by a hash of request key and issue time', () => {
    const uid = newAdvisoryUid();
    expect(uid).toMatch(/^u[0-9a-f]{16}$/);
    expect(newAdvisoryUid()).not.toBe(uid);
    expect(advisoryScope({ uid, requestKey: 'r', issuedAt: 't' })).toBe(uid);
    const old = advisoryScope({ requestKey: 'view-1', issuedAt: '2026-01-01T00:00:00.000Z' });
    expect(old).toBe(`h${createHash('sha256').update('view-1\n2026-01-01T00:00:00.000Z').digest('hex').slice(0, 16)}`);
    expect(advisoryScope({ uid: '', requestKey: 'view-1', issuedAt: '2026-01-01T00:00:00.000Z' })).toBe(old);
    expect(advisoryScope({ requestKey: 'view-1', issuedAt: '2026-01-01T00:00:00.001Z' })).not.toBe(old);
  });
});

describe('the policy an advisory runs under', () => {
  it('drops the reminder when the overridden deadline leaves no room for it, keeps it when it does', () => {
    // level4: reminder 5 minutes before the deadline.
    expect(policyFor({ severity: 'level4', ackDeadlineMinutes: 5, escalate: true }, DEFAULT_POLICIES).reminderBefore).toBe(0);
    expect(policyFor({ severity: 'level4', ackDeadlineMinutes: 6, escalate: true }, DEFAULT_POLICIES).reminderBefore).toBe(300);
    expect(policyFor({ severity: 'level4', escalate: true }, DEFAULT_POLICIES)).toEqual(DEFAULT_POLICIES.level4);
  });

  it('is off when the severity has no ladder, whatever the form says, and when the form switches it off', () => {
    expect(policyFor({ severity: 'level0', escalate: true }, DEFAULT_POLICIES).enabled).toBe(false);
    expect(policyFor({ severity: 'level1', escalate: true }, DEFAULT_POLICIES).enabled).toBe(true);
    expect(policyFor({ severity: 'level1', escalate: false }, DEFAULT_POLICIES)).toEqual({ ...DEFAULT_POLICIES.level1, enabled: false });
  });
});

describe('classification', () => {
  it('prints every TLP label in FIRST\'s colour', () => {
    expect(TLP_COLOUR).toEqual({ 'TLP:RED': '#FF2B2B', 'TLP:AMBER+STRICT': '#FFC000', 'TLP:AMBER': '#FFC000', 'TLP:GREEN': '#33FF00', 'TLP:CLEAR': '#FFFFFF' });
    expect(TLP_LEVELS.filter(tlpAllowsChannelPost)).toEqual(['TLP:AMBER+STRICT', 'TLP:AMBER', 'TLP:GREEN', 'TLP:CLEAR']);
  });

  it('knows the NISC levels, categories and sources, and nothing else', () => {
    expect(SEVERITIES).toEqual(['level4', 'level3', 'level2', 'level1', 'level0']);
    expect(CATEGORIES).toEqual(['vulnerability', 'threat', 'incident', 'outage', 'notice']);
    expect(SOURCES).toEqual(['nisc', 'jpcert', 'ipa', 'mhlw', 'police', 'member', 'other']);
    expect(Tlp.safeParse('TLP:WHITE').success).toBe(false);
    expect(Severity.safeParse('level5').success).toBe(false);
  });

  it('names a person by platform and user id', () => {
    expect(actorKey({ platform: 'teams', userId: 'aad-1' })).toBe('teams/aad-1');
    expect(PLATFORMS).toEqual(['slack', 'teams', 'local']);
  });
});
