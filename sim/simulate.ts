/** Runs the simulation once per number of phone staff, one after the other (each run has the machine to itself). */
import { execFileSync } from 'node:child_process';
import { cpus } from 'node:os';
import type { SimArgs } from './args.js';
import { figuresOf, type RunFigures } from './figures.js';
import type { SimParams } from './model.js';
import { runSimulation, type RunOutcome } from './run.js';

/** Real time a simulated person waits for the bot before it counts as a problem, and the card/board edit interval. */
export const WAIT_TIMEOUT_MS = 60_000;
export const CARD_INTERVAL_REAL_MS = 250;

export interface Simulation {
  /** What was simulated: enough to run it again. */
  input: { params: SimParams; staff: number[]; policy: string; scale: number; maxHours: number; escalationFile?: string | undefined; concurrency: number };
  /** What repeats and what does not (printed with the figures too). */
  determinism: string;
  machine: { cpus: number; node: string; commit: string | null };
  startedAt: string;
  runs: RunFigures[];
}

export const DETERMINISM =
  'Figures (times to 50/90/95/100 %, stages, phone tasks, peak, calls) are taken on the simulated people\'s timeline: ' +
  'with the same seed and options they repeat exactly, however loaded the machine. The "bot recorded" columns are the ' +
  'bot\'s own acknowledgement times on the scaled clock: they carry its real-time lag times the scale, and vary between runs.';

function commit(): string | null {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

export async function simulate(args: SimArgs, hooks: { progress?: (line: string) => void; onRun?: (run: RunOutcome, figures: RunFigures) => Promise<void> } = {}): Promise<Simulation> {
  const sim: Simulation = {
    input: {
      params: args.params,
      staff: args.staff,
      policy: args.policy,
      scale: args.scale,
      maxHours: args.maxHours,
      ...(args.escalationFile ? { escalationFile: args.escalationFile } : {}),
      concurrency: args.concurrency,
    },
    determinism: DETERMINISM,
    machine: { cpus: cpus().length, node: process.version, commit: commit() },
    startedAt: new Date().toISOString(),
    runs: [],
  };
  for (const staff of args.staff) {
    const run = await runSimulation({
      params: args.params,
      staff,
      policy: args.policy,
      scale: args.scale,
      redisUrl: args.redisUrl,
      escalationFile: args.escalationFile,
      concurrency: args.concurrency,
      maxHours: args.maxHours,
      waitTimeoutMs: WAIT_TIMEOUT_MS,
      cardIntervalRealMs: CARD_INTERVAL_REAL_MS,
      progress: hooks.progress,
    });
    const figures = figuresOf(run);
    sim.runs.push(figures);
    await hooks.onRun?.(run, figures);
  }
  return sim;
}
