import { describe, expect, it } from 'vitest';
import type { Advisory } from '../../../src/domain/advisory.js';
import { advisoryOwesWork, archiveDue, closesAt, markArchived, markArchiveFailed } from '../../../src/domain/advisory-lifecycle.js';
import { DEFAULT_POLICIES } from '../../../src/domain/escalation.js';
import { anActor, anAdvisory, at } from '../store/fixtures.js';

const SECRETARIAT = anActor();
const DEADLINE = at(60);

/** An open level 3 advisory as issued (escalation on: its alert comes two hours past the deadline). */
const advisory = (patch: Partial<Advisory> = {}): Advisory => anAdvisory({ uid: 'u0123456789abcdef', ...patch });

const told = { at: at(120), ok: true };
/** Closed, its copies in step and the secretariat told: what archiving waits for. */
const ended = (patch: Partial<Advisory> = {}) =>
  advisory({ state: 'closed', closure: { cause: 'command', at: at(90), by: SECRETARIAT, told }, syncRev: 1, version: 4, ...patch });

const hours = (n: number) => n * 3600;

describe('closesAt', () => {
  it('is the time stored on the record when there is one, whatever the deadline and setting', () => {
    expect(closesAt(advisory({ closesAt: at(10_000) }), hours(1)).toISOString()).toBe(at(10_000));
    expect(closesAt(advisory({ closesAt: at(10_000), round: 1 }), hours(1)).toISOString()).toBe(at(10_000));
  });

  it('on an older record: the setting past the deadline when that is after the alert', () => {
    // 72 hours past the deadline; the ladder's alert comes 2 hours past it.
    expect(closesAt(advisory(), hours(72)).toISOString()).toBe(at(60 + 72 * 60));
  });

  it('on an older record: never before the ladder has had time to end', () => {
    // The setting says 30 minutes; the alert comes 2 hours past the deadline, so 2 hours it is.
    expect(closesAt(advisory(), 30 * 60).toISOString()).toBe(at(180));
  });

  it('in a later round: from the deadline of that round, not a time fixed at issue', () => {
    const round2 = advisory({
      closesAt: at(60 + 72 * 60),
      round: 2,
      followups: [{ n: 1, at: at(500), by: SECRETARIAT, body: '再確認のお願い', ack: { round: 2, deadline: at(560) } }],
    });
    expect(closesAt(round2, hours(72)).toISOString()).toBe(at(560 + 72 * 60));
    expect(closesAt(round2, 30 * 60).toISOString()).toBe(at(560 + 120));
  });

  it('without escalation the ladder holds nothing back: the setting alone', () => {
    const quiet = advisory({ severity: 'level0', escalation: { ...DEFAULT_POLICIES.level3, enabled: false } });
    expect(closesAt(quiet, 30 * 60).toISOString()).toBe(at(90));
    expect(closesAt(quiet, 0).toISOString()).toBe(DEADLINE);
  });
});

describe('archiveDue', () => {
  it('once ended, its copies settled and the secretariat told', () => {
    expect(archiveDue(ended())).toBe(true);
    // Told that the summary could not be sent counts as told.
    expect(archiveDue(ended({ closure: { cause: 'expired', at: at(90), told: { ...told, ok: false } } }))).toBe(true);
    expect(archiveDue(ended({ syncing: false }))).toBe(true);
  });

  it('not while open, even with a closure-like record', () => {
    expect(archiveDue(ended({ state: 'open' }))).toBe(false);
  });

  it('not before the secretariat is told, nor without a closure', () => {
    expect(archiveDue(ended({ closure: { cause: 'command', at: at(90), by: SECRETARIAT } }))).toBe(false);
    expect(archiveDue(ended({ closure: undefined }))).toBe(false);
  });

  it('not while copies are still being brought in step', () => {
    expect(archiveDue(ended({ syncing: true }))).toBe(false);
  });

  it('not once archived', () => {
    expect(archiveDue(ended({ archived: { at: at(180), auditSeq: 7 } }))).toBe(false);
  });
});

describe('advisoryOwesWork', () => {
  it('while open: its closing is owed, even with nothing else to do', () => {
    expect(advisoryOwesWork(advisory())).toBe(true);
  });

  it('while copies are being synced, even after archiving', () => {
    expect(advisoryOwesWork(ended({ syncing: true, archived: { at: at(180), auditSeq: 7 } }))).toBe(true);
  });

  it('closed but the secretariat not yet told', () => {
    expect(advisoryOwesWork(ended({ closure: { cause: 'withdrawn', at: at(90), by: SECRETARIAT, reason: '誤り' } }))).toBe(true);
  });

  it('ended and told, until it is archived', () => {
    expect(advisoryOwesWork(ended())).toBe(true);
    expect(advisoryOwesWork(ended({ archived: { at: at(180), auditSeq: 7 } }))).toBe(false);
    expect(advisoryOwesWork(ended({ syncing: false, archived: { at: at(180), auditSeq: 7 } }))).toBe(false);
  });

  it('closed with no closure recorded and nothing due: nothing', () => {
    expect(advisoryOwesWork(advisory({ state: 'closed' }))).toBe(false);
  });
});

describe('markArchived', () => {
  it('records when and to which audit link, as a new version, keeping the rest', () => {
    const before = ended();
    const t = markArchived(before, 12, new Date(at(180)));
    expect(t).toEqual({ changed: true, next: { ...before, archived: { at: at(180), auditSeq: 12 }, version: 5 } });
    // The record given is not changed.
    expect(before.archived).toBeUndefined();
    expect(t.changed && archiveDue(t.next)).toBe(false);
  });

  it('starts the version at 1 on a record that has none, and drops fields left undefined', () => {
    const t = markArchived(ended({ version: undefined, syncing: undefined }), 0, new Date(at(180)));
    expect(t.changed && t.next.version).toBe(1);
    expect(t.changed && Object.keys(t.next)).not.toContain('syncing');
    expect(t.changed && t.next.archived).toEqual({ at: at(180), auditSeq: 0 });
  });

  it('twice changes nothing: the first archiving stands', () => {
    const once = ended({ archived: { at: at(180), auditSeq: 12 } });
    expect(markArchived(once, 20, new Date(at(1440)))).toEqual({ changed: false, reason: 'already', current: once });
  });
});

describe('markArchiveFailed', () => {
  it('counts each archiving that gave up, from none', () => {
    const first = markArchiveFailed(ended());
    expect(first).toEqual({ changed: true, next: { ...ended(), archiveFailures: 1, version: 5 } });
    const second = first.changed ? markArchiveFailed(first.next) : first;
    expect(second.changed && [second.next.archiveFailures, second.next.version]).toEqual([2, 6]);
  });

  it('changes nothing once archived (a late give-up of an earlier job)', () => {
    const done = ended({ archived: { at: at(180), auditSeq: 12 }, archiveFailures: 1 });
    expect(markArchiveFailed(done)).toEqual({ changed: false, reason: 'already', current: done });
  });
});
