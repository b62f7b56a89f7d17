import { describe, expect, it } from 'vitest';
import { AdvisoryInput, formatAdvisoryId, parseAdvisoryId, policyFor } from '../../../src/domain/advisory.js';
import { DEFAULT_POLICIES } from '../../../src/domain/escalation.js';
import { TLP_COLOUR, tlpAllowsChannelPost, tlpForbidsSharedChannel, TLP_LEVELS } from '../../../src/domain/classification.js';

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
