import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICIES, EscalationPolicy, ladder, nextStep, parseDuration, stepKey } from '../../../src/domain/escalation.js';
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
