import { z } from 'zod';
import { SEVERITIES, type Severity } from './classification.js';

/** "90s", "15m", "2h", "1d": policies are written by people, and tests run them in seconds. */
const DURATION = /^(\d+)\s*(s|m|h|d)$/;
const UNIT_SECONDS = { s: 1, m: 60, h: 3600, d: 86400 } as const;

export function parseDuration(text: string): number | null {
  const m = DURATION.exec(text.trim());
  if (!m) return null;
  return Number(m[1]) * UNIT_SECONDS[m[2] as keyof typeof UNIT_SECONDS];
}

export const Duration = z
  .union([z.string(), z.number().int().min(0)])
  .transform((v, ctx) => {
    if (typeof v === 'number') return v;
    const s = parseDuration(v);
    if (s === null) {
      ctx.addIssue({ code: 'custom', message: 'a duration such as "90s", "15m", "2h" or "1d"' });
      return z.NEVER;
    }
    return s;
  });

/**
 * One severity's ladder, in seconds, relative to the acknowledgement deadline so that a deadline
 * the secretariat overrides moves the whole ladder with it:
 *   reminder at deadline − reminderBefore → phone task at the deadline → the next contact every
 *   nextContactEvery → secretariat alert when the contacts are exhausted or at deadline + alertAfter.
 */
export const EscalationPolicy = z
  .object({
    enabled: z.boolean().default(true),
    deadline: Duration,
    /** 0: no reminder. */
    reminderBefore: Duration.default(0),
    nextContactEvery: Duration,
    alertAfter: Duration,
  })
  .strict()
  .refine((p) => p.deadline > 0, { message: 'deadline must be longer than 0', path: ['deadline'] })
  .refine((p) => p.reminderBefore < p.deadline, { message: 'the reminder must come after issue (reminderBefore < deadline)', path: ['reminderBefore'] })
  .refine((p) => p.nextContactEvery > 0, { message: 'must be longer than 0', path: ['nextContactEvery'] });
export type EscalationPolicy = z.output<typeof EscalationPolicy>;

export const EscalationPolicies = z.object(Object.fromEntries(SEVERITIES.map((s) => [s, EscalationPolicy])) as Record<Severity, typeof EscalationPolicy>).strict();
export type EscalationPolicies = Record<Severity, EscalationPolicy>;

/** Built-in defaults; config/escalation.yaml overrides them. Critical follows the 2017 drill: phone first, fast. */
export const DEFAULT_POLICIES: EscalationPolicies = {
  level4: { enabled: true, deadline: 15 * 60, reminderBefore: 5 * 60, nextContactEvery: 10 * 60, alertAfter: 45 * 60 },
  level3: { enabled: true, deadline: 60 * 60, reminderBefore: 20 * 60, nextContactEvery: 20 * 60, alertAfter: 2 * 3600 },
  level2: { enabled: true, deadline: 4 * 3600, reminderBefore: 60 * 60, nextContactEvery: 30 * 60, alertAfter: 4 * 3600 },
  level1: { enabled: true, deadline: 24 * 3600, reminderBefore: 4 * 3600, nextContactEvery: 60 * 60, alertAfter: 24 * 3600 },
  level0: { enabled: false, deadline: 72 * 3600, reminderBefore: 24 * 3600, nextContactEvery: 2 * 3600, alertAfter: 72 * 3600 },
};

/** Severities whose ladder the secretariat may switch off in the form (information-level items). */
export const ESCALATION_OPTIONAL: readonly Severity[] = ['level1', 'level0'];

export type StepKind = 'reminder' | 'phone' | 'next-contact' | 'alert';

export interface LadderStep {
  kind: StepKind;
  /** For next-contact: which contact (0-based) the phone task moves to. */
  index: number;
  /** Seconds after issue. */
  at: number;
}

/** Unique per delivery and ladder: the store refuses a second run of the same key. */
export function stepKey(step: Pick<LadderStep, 'kind' | 'index'>): string {
  return step.kind === 'next-contact' ? `next-contact-${step.index}` : step.kind;
}

/**
 * The whole ladder for a delivery with `contacts` phone contacts, in order of time. Pure: the
 * workflow schedules one step at a time from it, so a restart recomputes the same ladder.
 */
export function ladder(policy: EscalationPolicy, contacts: number): LadderStep[] {
  if (!policy.enabled) return [];
  const steps: LadderStep[] = [];
  if (policy.reminderBefore > 0) steps.push({ kind: 'reminder', index: 0, at: policy.deadline - policy.reminderBefore });
  steps.push({ kind: 'phone', index: 0, at: policy.deadline });
  const alertAt = policy.deadline + policy.alertAfter;
  let exhaustedAt = policy.deadline;
  for (let i = 1; i < contacts; i++) {
    const at = policy.deadline + i * policy.nextContactEvery;
    if (at >= alertAt) break;
    steps.push({ kind: 'next-contact', index: i, at });
    exhaustedAt = at;
  }
  // The last contact gets one interval too before the secretariat is told.
  const alert = Math.min(alertAt, (contacts > 0 ? exhaustedAt : policy.deadline) + policy.nextContactEvery);
  steps.push({ kind: 'alert', index: 0, at: alert });
  return steps;
}

/** The step after `current` in the ladder, if any. */
export function nextStep(steps: LadderStep[], current: Pick<LadderStep, 'kind' | 'index'> | null): LadderStep | undefined {
  if (current === null) return steps[0];
  const i = steps.findIndex((s) => s.kind === current.kind && s.index === current.index);
  return i < 0 ? undefined : steps[i + 1];
}
