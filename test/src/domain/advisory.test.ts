import { describe, expect, it } from 'vitest';
import { AdvisoryInput, ackDeadlineFor, formatAdvisoryId, parseAdvisoryId } from '../../../src/domain/advisory.js';
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
    const at = new Date('2026-11-25T00:00:00Z');
    expect(ackDeadlineFor({ severity: 'level4' }, at).toISOString()).toBe('2026-11-25T00:15:00.000Z');
    expect(ackDeadlineFor({ severity: 'level1', ackDeadlineMinutes: 30 }, at).toISOString()).toBe('2026-11-25T00:30:00.000Z');
  });

  it('knows where each TLP level may go', () => {
    expect(TLP_LEVELS.filter(tlpAllowsChannelPost)).not.toContain('TLP:RED');
    expect(TLP_LEVELS.filter(tlpForbidsSharedChannel)).toEqual(['TLP:RED', 'TLP:AMBER+STRICT']);
    expect(TLP_COLOUR['TLP:RED']).toBe('#FF2B2B');
  });
});
