import type { Platform } from '../domain/platform.js';

/** A sustained rate with the short burst allowed above it. */
export interface Rate {
  perSecond: number;
  burst: number;
}

/**
 * A platform's published limits on what the bot sends, declared by its adapter (the workspace-wide pace is the
 * deployment's, from config). 'unlimited' where the platform sets none the bot could meet (the local workspace).
 */
export interface PlatformLimits {
  /** Posts and edits into one conversation (Slack: about 1 a second with short bursts; Teams: 7 a second). */
  conversation: Rate | 'unlimited';
  /** Searches for an earlier post (Slack conversations.history: Tier 3, about 50 a minute). */
  search: Rate | 'unlimited';
  /** Whether posts and edits share the workspace's (tenant's) pace set by config. */
  workspace: 'paced' | 'unlimited';
}

/**
 * Which work goes first when the budget is short: a first delivery or a phone task before a reminder or an alert,
 * those before the edit of a delivered message, and a status card's edit last.
 */
export const PRIORITY = { first: 0, step: 1, refresh: 2, status: 3 } as const;
export type Priority = (typeof PRIORITY)[keyof typeof PRIORITY];

/** One call to pace. */
export interface PacedCall {
  platform: Platform;
  /** The conversation posted or edited in; absent for a search. */
  conversation?: string | undefined;
  lane: 'send' | 'search';
  priority: Priority;
  limits: PlatformLimits;
}

/**
 * One pace for every call the bot makes to a platform, shared by every worker and process. take() either counts
 * the call and answers 0, or answers how long to wait before asking again (nothing is counted then).
 * throttled() says the platform answered 429 anyway: the pace slows down and that conversation waits.
 */
export interface Pace {
  take(call: PacedCall): Promise<number>;
  throttled(call: PacedCall, retryAfterMs: number | undefined): Promise<void>;
}

/** No pace at all: the local workspace, and unit tests of the commands. */
export const unpaced: Pace = {
  take: async () => 0,
  throttled: async () => undefined,
};
