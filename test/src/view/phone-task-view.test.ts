import { describe, expect, it } from 'vitest';
import type { Advisory } from '../../../src/domain/advisory.js';
import { DEFAULT_POLICIES } from '../../../src/domain/escalation.js';
import { advanceContact, claim, contactChoice, newPhoneTask, recordFailedCall, recordReached, type PhoneTask } from '../../../src/domain/phone-task.js';
import { oncallListView, phoneTaskView } from '../../../src/view/phone-task-view.js';

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

describe('phone task view: each contact honestly', () => {
  const oncall = { platform: 'slack' as const, userId: 'U0ONC00001', name: '当番 A' };
  const six = [...contacts, { name: '伊藤', phone: '03-5555-0104', order: 4 }, { name: '渡辺', phone: '03-5555-0105', order: 5 }, { name: '山本', phone: '03-5555-0106', order: 6 }];
  const task = () => newPhoneTask({ id: 'd1', advisoryId: 'ADV-2026-0007', memberId: 'jma' }, now);
  const next = (t: ReturnType<typeof claim>) => {
    if (!t.changed) throw new Error('expected a change');
    return t.next;
  };
  const at = (minutes: number) => new Date(now.getTime() + minutes * 60_000).toISOString();

  it("says from when the ladder makes each later contact callable (level 4: the deadline at 15 min, then every 10 min, none from the alert at 45 min past it)", () => {
    const v = phoneTaskView(advisory('TLP:GREEN'), task(), name, six, name);
    expect(v.contacts.map((c) => [c.callable, c.callableFrom])).toEqual([
      [true, undefined],
      [false, at(25)],
      [false, at(35)],
      [false, at(45)],
      [false, at(55)],
      // 15 + 50 min: past the secretariat's alert (15 + 45 min); the ladder never gets there.
      [false, undefined],
    ]);
    expect(v.contacts.map((c) => c.state)).toEqual(Array(6).fill('not_tried'));
    expect(v.tried).toBe(0);
    expect(v.overdue).toBeUndefined();
  });

  it('a next-contact time with nobody calling: overdue since then, contact 1 still not tried and first, contact 2 callable (no time any more)', () => {
    const later = new Date(at(25));
    const raised = next(advanceContact(task(), 1, later));
    const v = phoneTaskView(advisory('TLP:GREEN'), raised, name, contacts, name);
    expect(v.overdue).toEqual({ since: later.toISOString() });
    expect(v.contacts.map((c) => [c.state, c.current, c.callable, c.callableFrom])).toEqual([
      ['not_tried', true, true, undefined],
      ['not_tried', false, true, undefined],
      ['not_tried', false, false, at(35)],
    ]);
    expect(v.tried).toBe(0);
    // Someone takes it: no longer overdue.
    expect(phoneTaskView(advisory('TLP:GREEN'), next(claim(raised, oncall, later)), name, contacts, name).overdue).toBeUndefined();
  });

  it('each contact says how calls to them went: no answer, wrong number, reached; a closed task has nothing callable', () => {
    const a = next(recordFailedCall(task(), 'no_answer', oncall, 3, now));
    const b = next(recordFailedCall(a, 'wrong_number', oncall, 3, now));
    const v = phoneTaskView(advisory('TLP:GREEN'), b, name, contacts, name);
    expect(v.contacts.map((c) => [c.state, c.current, c.callable])).toEqual([
      ['no_answer', false, true],
      ['wrong_number', false, true],
      ['not_tried', true, true],
    ]);
    expect(v.tried).toBe(2);
    const done = next(recordReached(b, oncall, now, { index: 2, name: '高橋' }));
    const d = phoneTaskView(advisory('TLP:GREEN'), done, name, contacts, name);
    expect(d.contacts.map((c) => [c.state, c.current, c.callable, c.callableFrom])).toEqual([
      ['no_answer', false, false, undefined],
      ['wrong_number', false, false, undefined],
      ['reached', false, false, undefined],
    ]);
    expect(d.tried).toBe(3);
  });

  it("a later round's contacts become callable from that round's deadline, at the same intervals", () => {
    const base = advisory('TLP:GREEN');
    const followAt = at(120);
    const round2: Advisory = {
      ...base,
      round: 2,
      followups: [{ n: 1, at: followAt, by: base.issuedBy, body: '続報', ack: { round: 2, deadline: at(130) } }],
    };
    const t = { ...task(), round: 2 };
    expect(phoneTaskView(round2, t, name, contacts, name).contacts.map((c) => c.callableFrom)).toEqual([undefined, at(140), at(150)]);
  });

  it('no ladder (escalation off): later contacts are not callable yet, with no time', () => {
    const off = { ...advisory('TLP:GREEN'), escalation: { ...DEFAULT_POLICIES.level4, enabled: false } };
    expect(phoneTaskView(off, task(), name, contacts, name).contacts.map((c) => [c.callable, c.callableFrom])).toEqual([
      [true, undefined],
      [false, undefined],
      [false, undefined],
    ]);
  });
});

describe('on-call list view', () => {
  const adv = (id: string, severity: Advisory['severity'], over: Partial<Advisory> = {}): Advisory => ({ ...advisory('TLP:GREEN'), id, title: `件名 ${id}`, severity, ...over });
  const row = (a: Advisory, member: string, createdAt: string, over: Partial<PhoneTask> = {}) => ({
    task: { ...newPhoneTask({ id: `${a.id}-${member}`, advisoryId: a.id, memberId: member }, new Date(createdAt)), ...over },
    advisory: a,
    memberName: { ja: member, en: member },
    contacts: 3,
  });
  const t = (minutes: number) => new Date(now.getTime() + minutes * 60_000).toISOString();

  it('groups by advisory, level 4 first, then the advisory due first; within one, the task due first', () => {
    const l2 = adv('ADV-2026-0001', 'level2');
    const l4late = adv('ADV-2026-0002', 'level4');
    const l4early = adv('ADV-2026-0003', 'level4');
    const l3 = adv('ADV-2026-0004', 'level3');
    const view = oncallListView([
      row(l2, 'a', t(0)),
      row(l4late, 'b', t(30)),
      row(l3, 'c', t(5)),
      row(l4early, 'd', t(20)),
      row(l4late, 'e', t(10)),
      row(l4early, 'f', t(25)),
      row(l3, 'g', t(1)),
    ]);
    expect(view.groups.map((g) => [g.advisoryId, g.severity, g.tasks.map((x) => x.memberName.ja)])).toEqual([
      ['ADV-2026-0002', 'level4', ['e', 'b']],
      ['ADV-2026-0003', 'level4', ['d', 'f']],
      ['ADV-2026-0004', 'level3', ['g', 'c']],
      ['ADV-2026-0001', 'level2', ['a']],
    ]);
    expect(view.tasks.map((x) => x.memberName.ja)).toEqual(['e', 'b', 'd', 'f', 'g', 'c', 'a']);
    expect(view.groups[0]).toMatchObject({ title: '件名 ADV-2026-0002', tlp: 'TLP:GREEN', drill: false });
  });

  it('puts every real advisory before every drill, whatever their severity or due time; drills are marked', () => {
    const drill4 = adv('DRL-2026-0001', 'level4', { drill: true });
    const real1 = adv('ADV-2026-0009', 'level1');
    const drill2 = adv('DRL-2026-0002', 'level2', { drill: true });
    const real4 = adv('ADV-2026-0010', 'level4');
    const view = oncallListView([row(drill4, 'a', t(0)), row(real1, 'b', t(50)), row(drill2, 'c', t(1)), row(real4, 'd', t(60))]);
    expect(view.groups.map((g) => [g.advisoryId, g.drill])).toEqual([
      ['ADV-2026-0010', false],
      ['ADV-2026-0009', false],
      ['DRL-2026-0001', true],
      ['DRL-2026-0002', true],
    ]);
    expect(view.tasks.map((x) => [x.memberName.ja, x.drill])).toEqual([
      ['d', false],
      ['b', false],
      ['a', true],
      ['c', true],
    ]);
  });

  it('each task says how many contacts were tried, since when it is overdue, and when it became due', () => {
    const a = adv('ADV-2026-0001', 'level3');
    const called = { attempts: [{ contactIndex: 0, outcome: 'no_answer' as const, by: { platform: 'slack' as const, userId: 'U1' }, at: t(2) }], contactIndex: 1 };
    const view = oncallListView([row(a, 'x', t(0), called), row(a, 'y', t(1), { contactIndex: 1, overdueSince: t(11) })]);
    expect(view.tasks.map((x) => [x.memberName.ja, x.tried, x.contacts, x.overdueSince, x.dueAt])).toEqual([
      ['x', 1, 3, undefined, t(0)],
      ['y', 0, 3, t(11), t(1)],
    ]);
    expect('overdueSince' in view.tasks[0]!).toBe(false);
  });

  it("a later round's task is due at that round's deadline, not when the task was first made", () => {
    const base = adv('ADV-2026-0001', 'level3');
    const a: Advisory = { ...base, round: 2, followups: [{ n: 1, at: t(60), by: base.issuedBy, body: '続報', ack: { round: 2, deadline: t(70) } }] };
    const b = adv('ADV-2026-0002', 'level3');
    const view = oncallListView([row(a, 'x', t(0), { round: 2 }), row(b, 'y', t(65))]);
    expect(view.tasks.map((x) => [x.memberName.ja, x.dueAt])).toEqual([
      ['y', t(65)],
      ['x', t(70)],
    ]);
  });

  it('an empty list has no groups', () => {
    expect(oncallListView([])).toEqual({ groups: [], tasks: [] });
  });
});
