/**
 * The simulated sector's people, drawn up front from the seed (docs/SIMULATOR.md explains each choice):
 *
 * - Members. Exactly round(members × silent) of them, chosen by the seed, are **silent**: nobody reads the channel
 *   during the incident, only the phone reaches them. Every other member presses 受領確認 at a time drawn from a
 *   **lognormal** with median `ackMedianMinutes` and shape `ackSigma` (people skim a channel soon or much later:
 *   a long right tail). A member still silent when the reminder comes (which mentions their contacts) presses
 *   `reminderMedianMinutes` (lognormal, shape 0.8) after it, if that is earlier.
 * - Calls. A contact answers with probability `answerRate`, per call. An answered call lasts a lognormal time with
 *   median `callMinutes` and shape `callSigma`; an unanswered one rings out in `noAnswerMinutes` (same shape). A
 *   contact's number is wrong with probability `wrongNumberRate`, for the whole run (a wrong number stays wrong); a
 *   wrong number is known after `noAnswerMinutes`.
 * - Retries. A task whose contacts were all tried without reaching anyone is kept by the person who tried, and
 *   called again (every contact whose number is not known wrong, in order) `retryAfterMinutes` after the last call,
 *   up to `retryRounds` more times; after that the member counts as not reached (the bot has told the secretariat).
 *
 * Every draw is a member's, a contact's or a call's own (sim/random.ts): none depends on the number of phone staff.
 */
import { stream } from './random.js';

export interface SimParams {
  members: number;
  /** Share of members who never press (0…1). */
  silent: number;
  /** Phone contacts per member, in call order. */
  contacts: number;
  answerRate: number;
  callMinutes: number;
  callSigma: number;
  noAnswerMinutes: number;
  wrongNumberRate: number;
  ackMedianMinutes: number;
  ackSigma: number;
  /** 0: members do not react to the reminder. */
  reminderMedianMinutes: number;
  retryRounds: number;
  retryAfterMinutes: number;
  seed: string;
}

export const DEFAULT_PARAMS: SimParams = {
  members: 1800,
  silent: 0.2,
  contacts: 2,
  answerRate: 0.7,
  callMinutes: 3,
  callSigma: 0.35,
  noAnswerMinutes: 1,
  wrongNumberRate: 0,
  ackMedianMinutes: 5,
  ackSigma: 1,
  reminderMedianMinutes: 2,
  retryRounds: 2,
  retryAfterMinutes: 15,
  seed: 'ceptoar-sim-1',
};

/** The spread of the reminder's pull (the shape of its lognormal). */
export const REMINDER_SIGMA = 0.8;

export type CallOutcome = 'reached' | 'no_answer' | 'wrong_number';

export interface CallDraw {
  outcome: CallOutcome;
  /** How long the call takes, in minutes (ringing out included). */
  minutes: number;
}

export interface MemberPlan {
  /** 0-based, in directory order. */
  index: number;
  id: string;
  silent: boolean;
  /** Minutes after issue at which the member would press on their own; Infinity when silent. */
  ownPressMinutes: number;
  /** Minutes after the reminder at which the member presses when reminded; Infinity when silent or off. */
  afterReminderMinutes: number;
  /** Per contact: its number is wrong. */
  wrongNumber: boolean[];
  /** The call to contact c in round r (0: the first round): `calls[r][c]`. */
  calls: CallDraw[][];
}

export function memberId(index: number): string {
  return `m-${String(index + 1).padStart(4, '0')}`;
}

/** Which members are silent: the first round(n × share) in an order drawn from the seed. */
function silentSet(p: SimParams): Set<number> {
  const order = Array.from({ length: p.members }, (_, i) => ({ i, key: stream(p.seed, `silent-order ${memberId(i)}`).uniform() }));
  order.sort((a, b) => a.key - b.key || a.i - b.i);
  return new Set(order.slice(0, Math.round(p.members * p.silent)).map((o) => o.i));
}

export function planPopulation(p: SimParams): MemberPlan[] {
  const silent = silentSet(p);
  return Array.from({ length: p.members }, (_, i): MemberPlan => {
    const id = memberId(i);
    const isSilent = silent.has(i);
    const press = stream(p.seed, `press ${id}`);
    const own = press.lognormal(p.ackMedianMinutes, p.ackSigma);
    const reminded = press.lognormal(p.reminderMedianMinutes, REMINDER_SIGMA);
    const wrongNumber = Array.from({ length: p.contacts }, (_, c) => stream(p.seed, `wrong ${id} ${c}`).chance(p.wrongNumberRate));
    const calls = Array.from({ length: 1 + p.retryRounds }, (_, r) =>
      Array.from({ length: p.contacts }, (_, c): CallDraw => {
        const s = stream(p.seed, `call ${id} ${c} ${r}`);
        const answers = s.chance(p.answerRate);
        const shape = s.normal();
        if (wrongNumber[c]) return { outcome: 'wrong_number', minutes: p.noAnswerMinutes * Math.exp(p.callSigma * shape) };
        return answers
          ? { outcome: 'reached', minutes: p.callMinutes * Math.exp(p.callSigma * shape) }
          : { outcome: 'no_answer', minutes: p.noAnswerMinutes * Math.exp(p.callSigma * shape) };
      }),
    );
    return {
      index: i,
      id,
      silent: isSilent,
      ownPressMinutes: isSilent ? Number.POSITIVE_INFINITY : own,
      afterReminderMinutes: isSilent || p.reminderMedianMinutes <= 0 ? Number.POSITIVE_INFINITY : reminded,
      wrongNumber,
      calls,
    };
  });
}
