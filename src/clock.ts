/**
 * Every "now" in the core comes from here, so tests and drills can move time, and the capacity simulator
 * (sim/) can run the bot's ladders faster than real time.
 */
export interface Clock {
  now(): Date;
  /**
   * How many real milliseconds from now until this clock reads `at` (zero or less: it reads `at` already).
   * Timers and queue delays wait real time: whatever turns a time on this clock into a wait (the job
   * scheduler's delays) asks here. Absent: the clock runs at real speed, one of its milliseconds a real one
   * (the system clock; a ManualClock, which a test moves by hand, is read the same way). See realMsUntil.
   */
  realMsUntil?(at: Date): number;
}

export const systemClock: Clock = { now: () => new Date() };

/** Real milliseconds until `clock` reads `at` (negative when it is past): the clock's own answer, else `at − now`. */
export function realMsUntil(clock: Clock, at: Date): number {
  return clock.realMsUntil ? clock.realMsUntil(at) : at.getTime() - clock.now().getTime();
}

/** A clock tests can set and advance. */
export class ManualClock implements Clock {
  #ms: number;
  constructor(start: Date | string) {
    this.#ms = new Date(start).getTime();
  }
  now(): Date {
    return new Date(this.#ms);
  }
  set(at: Date | string): void {
    this.#ms = new Date(at).getTime();
  }
  advance(ms: number): void {
    this.#ms += ms;
  }
}

export interface ScaledClockOptions {
  /** What the clock reads when it is made. */
  start: Date | string;
  /** Clock milliseconds per real millisecond: 60 runs an hour of the clock in a real minute. More than 0. */
  rate: number;
  /** The real time source in milliseconds (monotonic); default performance.now. Tests pass their own. */
  realNow?: () => number;
}

/**
 * A clock that runs `rate` times faster (or slower) than real time, steadily, from `start`: the capacity
 * simulator's clock (sim/), so an hour of an escalation ladder passes in a real minute at 60×. It says how its
 * time maps to real time (realMsUntil), so queue delays wait the right real time. It never jumps and never stops:
 * a delayed job is due in real time, and a clock that jumped would leave it late, one that stopped would see it early.
 */
export class ScaledClock implements Clock {
  readonly rate: number;
  readonly #startMs: number;
  readonly #realStart: number;
  readonly #realNow: () => number;

  constructor(opts: ScaledClockOptions) {
    if (!(opts.rate > 0) || !Number.isFinite(opts.rate)) throw new RangeError(`a scaled clock's rate must be a finite number above 0, not ${opts.rate}`);
    this.rate = opts.rate;
    this.#startMs = new Date(opts.start).getTime();
    if (Number.isNaN(this.#startMs)) throw new RangeError(`not a time: ${String(opts.start)}`);
    this.#realNow = opts.realNow ?? (() => performance.now());
    this.#realStart = this.#realNow();
  }

  now(): Date {
    return new Date(this.nowMs());
  }

  /** The clock's time in milliseconds, unrounded (a Date keeps whole milliseconds). */
  nowMs(): number {
    return this.#startMs + (this.#realNow() - this.#realStart) * this.rate;
  }

  realMsUntil(at: Date): number {
    return (at.getTime() - this.nowMs()) / this.rate;
  }

  /** A span of this clock's time in real milliseconds. */
  toRealMs(clockMs: number): number {
    return clockMs / this.rate;
  }

  /** A span of real time in this clock's milliseconds: what a real-time lease or interval is worth on this clock. */
  fromRealMs(realMs: number): number {
    return realMs * this.rate;
  }
}
