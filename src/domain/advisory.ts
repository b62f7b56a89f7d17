import { z } from 'zod';
import { Category, Severity, Source, Tlp } from './classification.js';
import type { Actor } from './platform.js';

/** Who an advisory goes to. Members of the union of everything named. */
export const Targets = z
  .object({
    /** Every organisation of kind "member". */
    allMembers: z.boolean().default(false),
    /** Also every organisation of kind "observer". */
    observers: z.boolean().default(false),
    groups: z.array(z.string().min(1)).default([]),
    members: z.array(z.string().min(1)).default([]),
  })
  .refine((t) => t.allMembers || t.observers || t.groups.length > 0 || t.members.length > 0, {
    message: 'at least one target is required',
    path: ['members'],
  });
export type Targets = z.infer<typeof Targets>;

export const TITLE_MAX = 150;
export const BODY_MAX = 12_000;
/** A deadline further out than this is almost certainly a typo. */
export const DEADLINE_MAX_MINUTES = 14 * 24 * 60;

/** What the secretariat submits; validated before anything is stored. */
export const AdvisoryInput = z.object({
  title: z.string().trim().min(1).max(TITLE_MAX),
  body: z.string().trim().min(1).max(BODY_MAX),
  source: Source,
  tlp: Tlp,
  severity: Severity,
  category: Category,
  drill: z.boolean().default(false),
  targets: Targets,
  /** Minutes from issue until acknowledgement is due; absent means the severity default. */
  ackDeadlineMinutes: z.number().int().min(1).max(DEADLINE_MAX_MINUTES).optional(),
});
export type AdvisoryInput = z.input<typeof AdvisoryInput>;
export type ValidAdvisoryInput = z.output<typeof AdvisoryInput>;

export type AdvisoryState = 'open' | 'closed';

export interface Advisory {
  /** People-readable, e.g. ADV-2026-0042. */
  id: string;
  /** Idempotency key of the request that issued it (e.g. the Slack view id). */
  requestKey: string;
  title: string;
  body: string;
  source: Source;
  tlp: Tlp;
  severity: Severity;
  category: Category;
  drill: boolean;
  targets: Targets;
  issuedAt: string;
  issuedBy: Actor;
  ackDeadline: string;
  state: AdvisoryState;
}

const ID_PATTERN = /^ADV-(\d{4})-(\d{4,})$/;

export function formatAdvisoryId(year: number, n: number): string {
  return `ADV-${year}-${String(n).padStart(4, '0')}`;
}

/** Accepts what people type: "adv-2026-42", "ADV-2026-0042". */
export function parseAdvisoryId(text: string): string | null {
  const m = /^ADV-(\d{4})-(\d{1,})$/i.exec(text.trim());
  if (!m) return null;
  return formatAdvisoryId(Number(m[1]), Number(m[2]));
}

export function isAdvisoryId(text: string): boolean {
  return ID_PATTERN.test(text);
}

/** Default minutes to acknowledge, by severity: the more severe, the sooner. */
export const DEFAULT_ACK_MINUTES: Record<Severity, number> = {
  level4: 15,
  level3: 60,
  level2: 4 * 60,
  level1: 24 * 60,
  level0: 72 * 60,
};

export function ackDeadlineFor(input: Pick<ValidAdvisoryInput, 'severity' | 'ackDeadlineMinutes'>, issuedAt: Date): Date {
  const minutes = input.ackDeadlineMinutes ?? DEFAULT_ACK_MINUTES[input.severity];
  return new Date(issuedAt.getTime() + minutes * 60_000);
}
