/**
 * What the kernel says of a process (Linux /proc): its peak resident memory (VmHWM, the high-water
 * mark since it started) and the CPU time it has used (utime + stime). Read from outside, so the
 * bot needs no hook and what is measured costs it nothing.
 */
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';

let ticksPerSecond: number | undefined;
function clockTicks(): number {
  // USER_HZ is 100 on every Linux we run on, but getconf says for sure.
  ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  return ticksPerSecond;
}

export interface ProcSample {
  /** Peak resident set size so far, MB. */
  hwmMb: number;
  rssMb: number;
  /** User + system CPU used so far, ms. */
  cpuMs: number;
}

/**
 * Several processes (the bot scaled out) are read as one: CPU and resident memory summed, and the peaks summed too,
 * which is what the machine must hold at worst (each process's peak may come at another moment: an upper bound).
 */
export async function sampleProcess(pids: readonly number[]): Promise<ProcSample> {
  const each = await Promise.all(pids.map((pid) => sampleOne(pid)));
  return { hwmMb: sum(each.map((s) => s.hwmMb)), rssMb: sum(each.map((s) => s.rssMb)), cpuMs: sum(each.map((s) => s.cpuMs)) };
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

async function sampleOne(pid: number): Promise<ProcSample> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces, inside parentheses): utime and stime are the 14th and 15th.
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(rest[11]) + Number(rest[12]);
  return { hwmMb: kb('VmHWM') / 1024, rssMb: kb('VmRSS') / 1024, cpuMs: (ticks / clockTicks()) * 1000 };
}

/** CPU used so far, read back as of any moment (see timeline). */
export interface CpuTimeline {
  /** The last reading at or before `ms` (ms since the epoch); NaN before the first. */
  at(ms: number): number;
  /** Stops reading; the reading now, NaN when it cannot be had. */
  stop(): Promise<number>;
}

/**
 * A CPU counter read every 100 ms from now on, to be read back as of any moment: for work whose windows are known
 * only afterwards (the ladders' steps fall due while a fan-out may still be running).
 */
export function timeline(read: () => Promise<number>): CpuTimeline {
  const samples: { at: number; cpuMs: number }[] = [];
  const timer = setInterval(() => {
    void read().then((cpuMs) => samples.push({ at: Date.now(), cpuMs }), () => undefined);
  }, 100);
  return {
    // The last reading at or before the moment: a later one would give the window before it the first work of this one.
    at: (ms) => samples.findLast((s) => s.at <= ms)?.cpuMs ?? Number.NaN,
    async stop() {
      clearInterval(timer);
      // A process that is gone (it crashed) has no reading: NaN, so the run's own error is the one reported.
      return read().then((cpuMs) => cpuMs, () => Number.NaN);
    },
  };
}

/** The processes' CPU over time, summed. */
export function cpuTimeline(pids: readonly number[]): CpuTimeline {
  return timeline(async () => (await sampleProcess(pids)).cpuMs);
}
