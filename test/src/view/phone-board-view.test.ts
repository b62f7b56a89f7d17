/**
 * The phone-task board's view: the tasks in the order they opened, one row each with who is on it and how far the
 * calls went, the whole board's counts (for page 1), and the page as the platforms draw it.
 */
import { describe, expect, it } from 'vitest';
import type { Advisory } from '../../../src/domain/advisory.js';
import { DEFAULT_POLICIES } from '../../../src/domain/escalation.js';
import { newPhoneTask, type PhoneTask } from '../../../src/domain/phone-task.js';
import type { Actor } from '../../../src/domain/platform.js';
import { boardCounts, boardOrder, boardRow, phoneBoardView, type BoardDirectory } from '../../../src/view/phone-board-view.js';
import { phoneBoardLines } from '../../../src/view/phone-board-lines.js';

const T = (m: number) => new Date(Date.parse('2026-12-01T00:00:00.000Z') + m * 60_000).toISOString();
const A: Actor = { platform: 'slack', userId: 'U0ONC00001', name: '電話当番 A' };
const NAMELESS: Actor = { platform: 'teams', userId: '29:oncall-b' };

const advisory: Advisory = {
  id: 'ADV-2026-0042',
  requestKey: 'k',
  title: 'VPN 装置の脆弱性',
  body: '秘密の本文',
  source: 'jpcert',
  tlp: 'TLP:AMBER',
  severity: 'level4',
  category: 'vulnerability',
  drill: true,
  targets: { allMembers: true, observers: false, groups: [], members: [] },
  issuedAt: T(0),
  issuedBy: { platform: 'slack', userId: 'U0SEC00001' },
  ackDeadline: T(60),
  escalation: DEFAULT_POLICIES.level4,
  state: 'open',
};

const directory: BoardDirectory = {
  memberName: (id) => ({ ja: `会員 ${id}`, en: `Member ${id}` }),
  contacts: (id) => (id === 'three' ? 3 : 2),
};

const task = (member: string, at: number, over: Partial<PhoneTask> = {}): PhoneTask => ({
  ...newPhoneTask({ id: `${advisory.id}.${member}.slack-C0${member}`, advisoryId: advisory.id, memberId: member }, new Date(T(at))),
  ...over,
});

describe('board order', () => {
  it('is the order the tasks opened, ties by id, whatever order the store gives them in; the input is left as it was', () => {
    const b = task('b', 5);
    const a = task('a', 5);
    const early = task('z', 1);
    const late = task('c', 9);
    const given = [late, b, early, a];
    expect(boardOrder(given).map((t) => t.memberId)).toEqual(['z', 'a', 'b', 'c']);
    expect(given.map((t) => t.memberId)).toEqual(['c', 'b', 'z', 'a']);
    // A task that changed keeps its place: the order is not by when it last changed.
    expect(boardOrder([{ ...early, updatedAt: T(30) }, a]).map((t) => t.memberId)).toEqual(['z', 'a']);
    expect(boardOrder([a, a]).map((t) => t.memberId)).toEqual(['a', 'a']);
    // Many opened at the same moment (a ladder's burst), given in reverse: by id.
    const burst = Array.from({ length: 30 }, (_, i) => task(`m${String(i).padStart(2, '0')}`, 60));
    expect(boardOrder([...burst].reverse()).map((t) => t.memberId)).toEqual(burst.map((t) => t.memberId));
    expect(boardOrder([...burst.slice(15), ...burst.slice(0, 15)]).map((t) => t.memberId)).toEqual(burst.map((t) => t.memberId));
  });
});

describe('a row', () => {
  it('of an open task: the member, nobody on it, none tried, due from when it opened', () => {
    expect(boardRow(advisory, task('three', 60), directory)).toStrictEqual({
      taskId: `${advisory.id}.three.slack-C0three.phone`,
      memberName: { ja: '会員 three', en: 'Member three' },
      state: 'open',
      tried: 0,
      contacts: 3,
      dueAt: T(60),
      exhausted: false,
    });
  });

  it('of a claimed task names who is on it (their id when they have no name) and counts the contacts tried', () => {
    const t = task('jma', 60, { state: 'claimed', claimedBy: A, contactIndex: 1, attempts: [{ contactIndex: 0, outcome: 'no_answer', by: A, at: T(61) }] });
    expect(boardRow(advisory, t, directory)).toMatchObject({ state: 'claimed', claimedBy: '電話当番 A', tried: 1, contacts: 2 });
    expect(boardRow(advisory, { ...t, claimedBy: NAMELESS }, directory).claimedBy).toBe('29:oncall-b');
  });

  it('of an overdue task says since when, until it ends', () => {
    const t = task('jma', 60, { overdueSince: T(80), contactIndex: 1 });
    expect(boardRow(advisory, t, directory).overdueSince).toBe(T(80));
    expect(boardRow(advisory, { ...t, state: 'claimed', claimedBy: A }, directory).overdueSince).toBe(T(80));
    expect(boardRow(advisory, { ...t, state: 'cancelled', resolution: { kind: 'advisory_closed', at: T(90) } }, directory)).not.toHaveProperty('overdueSince');
  });

  it('of an ended task says how it ended and who reached the member, and no longer who was on it', () => {
    const reached = task('jma', 60, { state: 'done', claimedBy: A, resolution: { kind: 'reached', by: A, at: T(70), contact: { index: 0, name: '佐藤' } } });
    const row = boardRow(advisory, reached, directory);
    expect(row.resolution).toStrictEqual({ kind: 'reached', by: '電話当番 A' });
    expect(row).not.toHaveProperty('claimedBy');
    const elsewhere = task('jma', 60, { state: 'cancelled', resolution: { kind: 'acknowledged_elsewhere', at: T(65) } });
    expect(boardRow(advisory, elsewhere, directory).resolution).toStrictEqual({ kind: 'acknowledged_elsewhere' });
    expect(boardRow(advisory, { ...reached, resolution: { kind: 'reached', by: NAMELESS, at: T(70) } }, directory).resolution).toStrictEqual({ kind: 'reached', by: '29:oncall-b' });
  });

  it('says every contact was tried', () => {
    expect(boardRow(advisory, task('jma', 60, { exhausted: true }), directory).exhausted).toBe(true);
  });

  it('of a later round says which, and is due at that round\'s deadline (or when it opened, if later)', () => {
    const inRound2: Advisory = {
      ...advisory,
      round: 2,
      followups: [{ n: 1, at: T(100), by: A, body: '続報', ack: { round: 2, deadline: T(160) } }],
    };
    const renewed = task('jma', 60, { round: 2, createdAt: T(60) });
    expect(boardRow(inRound2, renewed, directory)).toMatchObject({ round: 2, dueAt: T(160) });
    expect(boardRow(inRound2, { ...renewed, createdAt: T(170) }, directory).dueAt).toBe(T(170));
    // The first round is not named.
    expect(boardRow(inRound2, { ...renewed, round: 1 }, directory)).not.toHaveProperty('round');
    expect(boardRow(inRound2, { ...renewed, round: 1 }, directory).dueAt).toBe(T(60));
  });
});

describe('the counts', () => {
  it('count the whole board: open, claimed, overdue among those still open, and how the others ended', () => {
    const tasks = [
      task('a', 1),
      task('b', 1, { overdueSince: T(80) }),
      task('c', 1, { state: 'claimed', claimedBy: A }),
      task('d', 1, { state: 'claimed', claimedBy: A, overdueSince: T(80) }),
      task('e', 1, { state: 'done', resolution: { kind: 'reached', by: A, at: T(90) } }),
      task('f', 1, { state: 'cancelled', resolution: { kind: 'acknowledged_elsewhere', at: T(90) } }),
      task('g', 1, { state: 'cancelled', overdueSince: T(80), resolution: { kind: 'advisory_closed', at: T(90) } }),
      task('h', 1, { state: 'cancelled', resolution: { kind: 'advisory_withdrawn', at: T(90) } }),
      task('i', 1, { state: 'cancelled' }),
    ];
    expect(boardCounts(tasks)).toStrictEqual({ open: 2, claimed: 2, overdue: 2, reached: 1, acknowledged: 1, cancelled: 3 });
    expect(boardCounts([])).toStrictEqual({ open: 0, claimed: 0, overdue: 0, reached: 0, acknowledged: 0, cancelled: 0 });
  });
});

describe('a page', () => {
  const rows = [boardRow(advisory, task('a', 1), directory)];
  const counts = boardCounts([task('a', 1)]);
  const now = new Date(T(61));

  it('carries the advisory\'s label, the page and how many, its rows, and the counts on page 1 only', () => {
    expect(phoneBoardView(advisory, 1, 3, rows, counts, now)).toStrictEqual({
      advisoryId: 'ADV-2026-0042',
      title: 'VPN 装置の脆弱性',
      tlp: 'TLP:AMBER',
      severity: 'level4',
      drill: true,
      page: 1,
      pages: 3,
      rows,
      counts,
      closed: false,
      asOf: T(61),
    });
    expect(phoneBoardView(advisory, 2, 3, rows, counts, now)).not.toHaveProperty('counts');
    expect(phoneBoardView(advisory, 1, 3, rows, undefined, now)).not.toHaveProperty('counts');
    // Nothing of the advisory's body.
    expect(JSON.stringify(phoneBoardView(advisory, 1, 1, rows, counts, now))).not.toContain('秘密の本文');
  });

  it('of an advisory that ended says so, and offers nothing to claim', () => {
    const closed = phoneBoardView({ ...advisory, state: 'closed' }, 1, 1, rows, counts, now);
    expect(closed.closed).toBe(true);
    expect(phoneBoardLines(closed)).toMatchObject({ claimable: [], note: { en: 'This advisory has ended; no more calls are needed.' } });
    // Open, the same row can be claimed.
    expect(phoneBoardLines(phoneBoardView(advisory, 1, 1, rows, counts, now)).claimable.map((r) => r.taskId)).toEqual([rows[0]!.taskId]);
  });
});
