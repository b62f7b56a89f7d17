import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICIES, ESCALATION_OPTIONAL, EscalationPolicies, EscalationPolicy, ladder, nextStep, parseDuration, stepKey } from '../../../src/domain/escalation.js';
import { policyFor } from '../../../src/domain/advisory.js';

const critical = DEFAULT_POLICIES.level4; // 15m deadline, reminder 5m before, next contact every 10m, alert 45m after

describe('escalation policy', () => {
  it('parses durations people write', () => {
    expect(parseDuration('90s')).toBe(90);
    expect(parseDuration('15m')).toBe(900);
    expect(parseDuration('2h')).toBe(7200);
    expect(parseDuration('1d')).toBe(86400);
    expect(parseDuration('15 minutes')).toBeNull();
  });

  it('rejects a reminder that would come before the advisory was issued', () => {
    const r = EscalationPolicy.safeParse({ deadline: '10m', reminderBefore: '15m', nextContactEvery: '5m', alertAfter: '1h' });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.path).toEqual(['reminderBefore']);
  });

  it('builds the critical ladder of the issue: reminder 10m, phone 15m, next contact every 10m, alert when exhausted', () => {
    const steps = ladder(critical, 3);
    expect(steps.map((s) => [stepKey(s), s.at / 60])).toEqual([
      ['reminder', 10],
      ['phone', 15],
      ['next-contact-1', 25],
      ['next-contact-2', 35],
      ['alert', 45],
    ]);
  });

  it('caps the ladder at deadline + alertAfter however many contacts there are', () => {
    const steps = ladder(critical, 20);
    expect(steps.at(-1)).toEqual({ kind: 'alert', index: 0, at: 60 * 60 });
    expect(steps.every((s) => s.at <= 60 * 60)).toBe(true);
  });

  it('still alerts for a member with no phone contacts', () => {
    expect(ladder(critical, 0).map(stepKey)).toEqual(['reminder', 'phone', 'alert']);
  });

  it('has no ladder when escalation is off', () => {
    expect(ladder({ ...critical, enabled: false }, 3)).toEqual([]);
  });

  it('walks step by step', () => {
    const steps = ladder(critical, 2);
    expect(nextStep(steps, null)?.kind).toBe('reminder');
    expect(nextStep(steps, { kind: 'phone', index: 0 })).toMatchObject({ kind: 'next-contact', index: 1 });
    expect(nextStep(steps, { kind: 'alert', index: 0 })).toBeUndefined();
  });

  it('snapshots the policy with the form overrides: the deadline moves the ladder', () => {
    const p = policyFor({ severity: 'level4', ackDeadlineMinutes: 60, escalate: true }, DEFAULT_POLICIES);
    expect(p.deadline).toBe(3600);
    expect(ladder(p, 1)[1]).toMatchObject({ kind: 'phone', at: 3600 });
    // A deadline shorter than the reminder lead drops the reminder, not the phone step.
    const short = policyFor({ severity: 'level4', ackDeadlineMinutes: 3, escalate: true }, DEFAULT_POLICIES);
    expect(ladder(short, 1).map(stepKey)).toEqual(['phone', 'alert']);
    expect(policyFor({ severity: 'level1', escalate: false }, DEFAULT_POLICIES).enabled).toBe(false);
  });
});

describe('escalation policy schema', () => {
  const base = { deadline: '15m', nextContactEvery: '10m', alertAfter: '45m' };

  it('reads durations as seconds, with defaults for what may be left out', () => {
    expect(EscalationPolicy.parse({ ...base, reminderBefore: '5m' })).toEqual({ enabled: true, deadline: 900, reminderBefore: 300, nextContactEvery: 600, alertAfter: 2700 });
    expect(EscalationPolicy.parse({ deadline: 60, nextContactEvery: 30, alertAfter: 0, enabled: false })).toEqual({ enabled: false, deadline: 60, reminderBefore: 0, nextContactEvery: 30, alertAfter: 0 });
  });

  it('rejects a zero interval between contacts (the ladder would never move on)', () => {
    for (const nextContactEvery of ['0m', 0, '0s']) {
      const r = EscalationPolicy.safeParse({ ...base, nextContactEvery });
      expect(r.success).toBe(false);
      expect(r.error!.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['nextContactEvery', 'must be longer than 0']]);
    }
    expect(EscalationPolicy.safeParse({ ...base, nextContactEvery: '1s' }).success).toBe(true);
  });

  it('rejects a zero deadline, a reminder as early as the issue, and keys it does not know', () => {
    const zero = EscalationPolicy.safeParse({ ...base, deadline: 0 });
    expect(zero.error!.issues.map((i) => i.path.join('.'))).toContain('deadline');
    const equal = EscalationPolicy.safeParse({ ...base, reminderBefore: '15m' });
    expect(equal.error!.issues.map((i) => i.path.join('.'))).toEqual(['reminderBefore']);
    expect(EscalationPolicy.safeParse({ ...base, reminderBefore: '14m' }).success).toBe(true);
    expect(EscalationPolicy.safeParse({ ...base, nextContactEvry: '10m' }).success).toBe(false);
  });

  it('rejects what is not a duration, saying what one looks like', () => {
    for (const deadline of ['15 minutes', '1w', '-5m', -5, 1.5, '']) {
      const r = EscalationPolicy.safeParse({ ...base, deadline });
      expect(r.success, String(deadline)).toBe(false);
      expect(r.error!.issues[0]!.path).toEqual(['deadline']);
    }
    expect(EscalationPolicy.safeParse({ ...base, deadline: 'x' }).error!.issues[0]).toMatchObject({ code: 'custom', message: 'a duration such as "90s", "15m", "2h" or "1d"' });
  });

  it('accepts spaces around and inside a duration, and nothing before or after it', () => {
    expect(parseDuration(' 15m ')).toBe(900);
    expect(parseDuration('15 m')).toBe(900);
    expect(parseDuration('0s')).toBe(0);
    expect(parseDuration('x15m')).toBeNull();
    expect(parseDuration('15mx')).toBeNull();
    expect(parseDuration('m')).toBeNull();
  });

  it('a set of policies names every severity, and only those', () => {
    const one = { deadline: '1h', nextContactEvery: '10m', alertAfter: '1h' };
    const all = Object.fromEntries(['level4', 'level3', 'level2', 'level1', 'level0'].map((s) => [s, one]));
    expect(EscalationPolicies.safeParse(all).success).toBe(true);
    expect(EscalationPolicies.safeParse({ ...all, level5: one }).success).toBe(false);
    const { level2: _gone, ...missing } = all;
    expect(EscalationPolicies.safeParse(missing).success).toBe(false);
  });

  it('only the information levels may switch the ladder off, and level 0 has none by default', () => {
    expect(ESCALATION_OPTIONAL).toEqual(['level1', 'level0']);
    expect(Object.entries(DEFAULT_POLICIES).filter(([, p]) => !p.enabled).map(([s]) => s)).toEqual(['level0']);
    for (const p of Object.values(DEFAULT_POLICIES)) expect(EscalationPolicy.parse(p)).toEqual(p);
  });
});

describe('the ladder, edge by edge', () => {
  const p = { enabled: true, deadline: 600, reminderBefore: 0, nextContactEvery: 300, alertAfter: 900 };

  it('has no reminder when reminderBefore is 0', () => {
    expect(ladder(p, 1)).toEqual([
      { kind: 'phone', index: 0, at: 600 },
      { kind: 'alert', index: 0, at: 900 },
    ]);
  });

  it('gives a member with no contacts the alert one interval after the phone step', () => {
    expect(ladder(p, 0)).toEqual([
      { kind: 'phone', index: 0, at: 600 },
      { kind: 'alert', index: 0, at: 900 },
    ]);
  });

  it('stops moving to the next contact at the alert time itself, and alerts then', () => {
    // deadline 600, every 300, alert at 600 + 900 = 1500: next contacts at 900 and 1200; 1500 is the alert's.
    expect(ladder(p, 10).map((s) => [stepKey(s), s.at])).toEqual([
      ['phone', 600],
      ['next-contact-1', 900],
      ['next-contact-2', 1200],
      ['alert', 1500],
    ]);
    // Exactly enough contacts: the last one gets its interval, which ends at the cap.
    expect(ladder(p, 3).at(-1)).toEqual({ kind: 'alert', index: 0, at: 1500 });
    expect(ladder(p, 2).at(-1)).toEqual({ kind: 'alert', index: 0, at: 1200 });
  });

  it('the step after one not in the ladder is none; the first of an empty ladder is none', () => {
    const steps = ladder(p, 2);
    expect(nextStep(steps, { kind: 'reminder', index: 0 })).toBeUndefined();
    expect(nextStep(steps, { kind: 'next-contact', index: 5 })).toBeUndefined();
    expect(nextStep(steps, { kind: 'next-contact', index: 1 })).toEqual({ kind: 'alert', index: 0, at: 1200 });
    expect(nextStep([], null)).toBeUndefined();
    expect(stepKey({ kind: 'next-contact', index: 3 })).toBe('next-contact-3');
    expect(stepKey({ kind: 'alert', index: 0 })).toBe('alert');
  });
});
