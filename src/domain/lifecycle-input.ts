import { z } from 'zod';
import { BODY_MAX, TITLE_MAX } from './advisory.js';
import { Category, Severity, Tlp } from './classification.js';
import { multiLineText, oneLineText } from './text-input.js';

/** Notes and reasons are one or two sentences shown on every copy; long enough for that, no more. */
export const NOTE_MAX = 500;

/**
 * What the secretariat sends to correct an advisory: the fields it changes, and what changed in its own
 * words. Texts as on the issue form (text-input.ts): a title on one line, nothing visible is empty.
 */
export const CorrectionInput = z.object({
  title: oneLineText(TITLE_MAX).optional(),
  body: multiLineText(BODY_MAX).optional(),
  tlp: Tlp.optional(),
  severity: Severity.optional(),
  category: Category.optional(),
  note: multiLineText(NOTE_MAX),
});
export type CorrectionInput = z.input<typeof CorrectionInput>;

export const WithdrawalInput = z.object({ reason: multiLineText(NOTE_MAX) });
export type WithdrawalInput = z.input<typeof WithdrawalInput>;

/** The longest deadline a follow-up may ask for: a week. */
export const FOLLOWUP_DEADLINE_MAX_MINUTES = 7 * 24 * 60;

/**
 * A follow-up; `acknowledge` asks every member to acknowledge it (a new round with its own ladder),
 * by `ackDeadlineMinutes` from now (absent: the advisory's own deadline length).
 */
export const FollowUpInput = z.object({
  body: multiLineText(BODY_MAX),
  acknowledge: z.boolean().default(false),
  ackDeadlineMinutes: z.number().int().min(1).max(FOLLOWUP_DEADLINE_MAX_MINUTES).optional(),
});
export type FollowUpInput = z.input<typeof FollowUpInput>;
