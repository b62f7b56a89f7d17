import type { Severity, Tlp } from '../domain/classification.js';
import { REACH_STAGES, RATE_KEYS, type LadderMarkKind, type ReachRateKey, type ReachReport, type ReachStage } from '../domain/reach.js';
import { MARK_TEXT, RATE_TEXT, rateText, REACH_TEXT, reachTimeText, STAGE_TEXT } from '../i18n/reach-text.js';
import { secondsText } from '../i18n/form-text.js';
import type { Bilingual } from '../i18n/text.js';

/**
 * The reach report worded for a page or a chat (platform-neutral): each rate with its label and "3件（30%）", the
 * stages, the median and p90 in minutes and seconds, and the ladder's times. The figures stay numbers beside the
 * words, for whoever draws them.
 */
export interface ReachView {
  advisoryId: string;
  drill: boolean;
  tlp: Tlp;
  severity: Severity;
  heading: Bilingual;
  /** open: the figures so far (as of `asOf`); closed: final. */
  state: 'open' | 'closed';
  stateText: Bilingual;
  asOf: string;
  targeted: number;
  rates: { key: ReachRateKey; label: Bilingual; count: number; percent: number; text: Bilingual }[];
  stages: { stage: ReachStage; label: Bilingual; count: number }[];
  times: { key: 'median' | 'p90'; label: Bilingual; seconds: number | null; text: Bilingual }[];
  ladder: { kind: LadderMarkKind; label: Bilingual; seconds: number; text: Bilingual; reached: number }[];
  /** Whose times the ladder marks are: the escalation policy's, or when each step first ran. */
  ladderSource?: Bilingual | undefined;
}

export function reachView(r: ReachReport): ReachView {
  const source = r.ladder[0]?.source;
  return {
    advisoryId: r.advisoryId,
    drill: r.drill,
    tlp: r.tlp,
    severity: r.severity,
    heading: REACH_TEXT.heading,
    state: r.closed ? 'closed' : 'open',
    stateText: r.closed ? REACH_TEXT.closed : REACH_TEXT.open,
    asOf: r.asOf,
    targeted: r.targeted,
    rates: RATE_KEYS.map((key) => ({ key, label: RATE_TEXT[key], count: r.rates[key].count, percent: r.rates[key].percent, text: rateText(r.rates[key]) })),
    stages: REACH_STAGES.map((stage) => ({ stage, label: STAGE_TEXT[stage], count: r.stages[stage] })),
    times: [
      { key: 'median', label: REACH_TEXT.median, seconds: r.times.medianSeconds, text: reachTimeText(r.times.medianSeconds) },
      { key: 'p90', label: REACH_TEXT.p90, seconds: r.times.p90Seconds, text: reachTimeText(r.times.p90Seconds) },
    ],
    ladder: r.ladder.map((m) => ({ kind: m.kind, label: MARK_TEXT[m.kind], seconds: m.seconds, text: secondsText(m.seconds), reached: m.reached })),
    ...(source === undefined ? {} : { ladderSource: source === 'policy' ? REACH_TEXT.policyTimes : REACH_TEXT.recordTimes }),
  };
}
