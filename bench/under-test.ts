/**
 * What a scenario drives and asks, whether it is the bot or the bare baseline: the scenarios are
 * written once, so both are measured by the same code.
 */
import type { StepKind } from '../src/domain/escalation.js';
import { ladder, type EscalationPolicy } from '../src/domain/escalation.js';
import { ConfigSchema } from '../src/config.js';
import type { Platforms } from './platforms.js';
import type { SectorShape } from './members.js';

export const SIGNING_SECRET = 'bench-signing-secret-0123456789abcdef';
export const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
/** DELIVERY_RATE_PER_SECOND when it is not set: what "untuned" means. */
export const BOT_DEFAULT_RATE = ConfigSchema.parse({}).DELIVERY_RATE_PER_SECOND;

export interface RunSetup {
  platforms: Platforms;
  sector: SectorShape;
  concurrency: number;
  /**
   * Posts a second of the bot's pace on each platform (DELIVERY_RATE_PER_SECOND: one bucket per platform); undefined:
   * the bot's own default. The baseline's one limiter is this times the platforms the sector is on, the same pace in all.
   */
  rate: number | undefined;
  /** The baseline's limiter, all platforms together, when a scenario sets it itself (the limits: the platforms' rates). */
  baselineRate?: number | undefined;
  /** A short escalation ladder (the ladder scenario); absent: the bot's default policy (an hour away). */
  ladder?: EscalationPolicy | undefined;
}

export interface UnderTest {
  kind: 'bot' | 'baseline';
  /** Its processes (the bot may run several: --processes); CPU and memory are read from all of them. */
  pids: readonly number[];
  /**
   * Where its HTTP endpoints are (/slack/events, /api/messages, /healthz), a process each: requests are spread over them
   * as a load balancer would; the first is where the advisory is issued.
   */
  urls: readonly [string, ...string[]];
  /** Issue the advisory to every member, and the ladders if the setup has one; resolves once it is answered. */
  issue(): Promise<void>;
  /** When each step of the ladders is due (ms since the epoch); known once issued. */
  ladderDue(): Promise<Partial<Record<StepKind, number>>>;
  /** Acknowledgements recorded in its store, and how many were recorded more than once. */
  acknowledgements(): Promise<{ recorded: number; duplicates: number }>;
  /**
   * When each ladder step's run began, as its store records it (ms since the epoch), by kind: the bot's audit event of
   * the step. Only the bot keeps one; for its store-only steps (the phone task, the next contact) it is when the
   * ladder did its part, before the board shows it at the platform's pace.
   */
  stepsStartedAt?(): Promise<Record<StepKind, number[]>>;
  /** Ladder steps its store records as done, by kind and member. */
  stepsDone(): Promise<Record<StepKind, Map<string, number>>>;
  /** Event-loop delay since the last call (the first call only resets). */
  eventLoop(): Promise<{ p99Ms: number; maxMs: number }>;
  /** Nothing waiting, running or delayed in its queues (delayed ladder steps count only with `withLadders`). */
  idle(withLadders?: boolean): Promise<boolean>;
  close(): Promise<void>;
}

/** A policy's steps, in seconds after issue, for a member with `contacts` contacts. */
export function stepOffsets(policy: EscalationPolicy, contacts: number): Partial<Record<StepKind, number>> {
  const out: Partial<Record<StepKind, number>> = {};
  // The first step of each kind: with two contacts there is one of each.
  for (const s of ladder(policy, contacts)) out[s.kind] ??= s.at;
  return out;
}

export const emptySteps = (): Record<StepKind, Map<string, number>> => ({ reminder: new Map(), phone: new Map(), 'next-contact': new Map(), alert: new Map() });
