import { describe, expect, it } from 'vitest';
import type { Advisory } from '../../../src/domain/advisory.js';
import { DEFAULT_POLICIES } from '../../../src/domain/escalation.js';
import { claim, contactChoice, newPhoneTask, recordFailedCall, recordReached } from '../../../src/domain/phone-task.js';
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
  { name: '鈴木', role: '課長', phone: '06-6555-0102', order: 2 },
  { name: '高橋', phone: '03-5555-0103', order: 3 },
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
      ['+81355550103', '03-5555-0103', false],
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
      [false, []],
    ]);
  });

  const oncall = { platform: 'slack' as const, userId: 'U0ONC00001', name: '当番 A' };
  const first = () => newPhoneTask({ id: 'd1', advisoryId: 'ADV-2026-0007', memberId: 'jma' }, now);
  const next = (t: ReturnType<typeof claim>) => {
    if (!t.changed) throw new Error('expected a change');
    return t.next;
  };

  it('offers one "reached" choice per contact, the one being called now first, then the others in call order', () => {
    const moved = next(recordFailedCall(first(), 'no_answer', oncall, 3, now));
    const v = phoneTaskView(advisory('TLP:GREEN'), moved, name, contacts, name);
    expect(v.reachedChoices).toStrictEqual([
      { index: 1, name: '鈴木', role: '課長', current: true, choice: contactChoice(1, contacts[1]!) },
      { index: 0, name: '佐藤', current: false, choice: contactChoice(0, contacts[0]!) },
      { index: 2, name: '高橋', current: false, choice: contactChoice(2, contacts[2]!) },
    ]);
    // Claimed, the same choices.
    const claimed = next(claim(first(), oncall, now));
    expect(phoneTaskView(advisory('TLP:GREEN'), claimed, name, contacts, name).reachedChoices.map((c) => c.index)).toEqual([0, 1, 2]);
  });

  it('offers no choice once done, and names whom the caller reached', () => {
    const done = next(recordReached(first(), oncall, now, { index: 1, name: '鈴木', role: '課長' }));
    const v = phoneTaskView(advisory('TLP:GREEN'), done, name, contacts, name);
    expect(v.reachedChoices).toEqual([]);
    expect(v.resolution).toStrictEqual({ kind: 'reached', by: '当番 A', at: now.toISOString(), contact: { index: 1, name: '鈴木', role: '課長' } });
    const older = phoneTaskView(advisory('TLP:GREEN'), next(recordReached(first(), oncall, now)), name, contacts, name);
    expect(older.resolution).toStrictEqual({ kind: 'reached', by: '当番 A', at: now.toISOString() });
  });
});
