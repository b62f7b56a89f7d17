import { describe, expect, it } from 'vitest';
import type { Advisory } from '../../../src/domain/advisory.js';
import { DEFAULT_POLICIES } from '../../../src/domain/escalation.js';
import { newPhoneTask, recordFailedCall } from '../../../src/domain/phone-task.js';
import { phoneTaskView } from '../../../src/view/phone-task-view.js';

const now = new Date('2026-11-25T18:00:00Z');
const advisory = (tlp: Advisory['tlp']): Advisory => ({
  id: 'ADV-2026-0007',
  requestKey: 'k',
  title: 'ランサムウェア攻撃の兆候',
  body: '秘密の詳細: 攻撃者の C2 サーバーは 203.0.113.5 です。'.repeat(20),
  source: 'nisc',
  tlp,
  severity: 'level4',
  category: 'threat',
  drill: false,
  targets: { allMembers: true, observers: false, groups: [], members: [] },
  issuedAt: now.toISOString(),
  issuedBy: { platform: 'slack', userId: 'U0SEC00001' },
  ackDeadline: now.toISOString(),
  escalation: DEFAULT_POLICIES.level4,
  state: 'open',
});
const contacts = [
  { name: '佐藤', phone: '+81-3-5555-0101', order: 1 },
  { name: '鈴木', phone: '06-6555-0102', order: 2 },
];
const name = { ja: '日本医師会', en: 'JMA' };

describe('phone task view', () => {
  it('gives the caller a short excerpt and tel-ready numbers', () => {
    const v = phoneTaskView(advisory('TLP:AMBER'), newPhoneTask({ id: 'd1', advisoryId: 'ADV-2026-0007', memberId: 'jma' }, now), name, contacts, name);
    expect(v.script).toBe('standard');
    expect(v.excerpt!.length).toBeLessThanOrEqual(281);
    expect(v.contacts.map((c) => [c.phoneE164, c.phoneDisplay, c.current])).toEqual([
      ['+81355550101', '03-5555-0101', true],
      ['+81665550102', '06-6555-0102', false],
    ]);
  });

  it('never carries the body of a TLP:RED advisory', () => {
    const v = phoneTaskView(advisory('TLP:RED'), newPhoneTask({ id: 'd1', advisoryId: 'ADV-2026-0007', memberId: 'jma' }, now), name, contacts, name);
    expect(v.script).toBe('red');
    expect(v.excerpt).toBeUndefined();
    expect(JSON.stringify(v)).not.toContain('203.0.113.5');
  });

  it('marks the current contact and what happened on earlier calls', () => {
    const first = newPhoneTask({ id: 'd1', advisoryId: 'ADV-2026-0007', memberId: 'jma' }, now);
    const t = recordFailedCall(first, 'wrong_number', { platform: 'slack', userId: 'U0ONC00001' }, 2, now);
    if (!t.changed) throw new Error('expected a change');
    const v = phoneTaskView(advisory('TLP:GREEN'), t.next, name, contacts, name);
    expect(v.contacts.map((c) => [c.current, c.tried])).toEqual([
      [false, ['wrong_number']],
      [true, []],
    ]);
  });
});
