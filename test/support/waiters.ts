/**
 * What both fakes (Slack, Bot Connector) use to let a test wait for what they received: a
 * predicate re-checked on every request and answer, and every 10 ms for state outside the calls.
 */
export interface Waiter {
  check(): void;
}

export type Found<T> = T | false | null | undefined | 0 | '';

export class Waiters<C> {
  readonly #waiters = new Set<Waiter>();

  constructor(
    private readonly name: string,
    private readonly calls: readonly C[],
    private readonly summarise: (call: C) => string,
  ) {}

  /** Re-check every waiter: the fakes call this when a request arrives or is answered. */
  notify(): void {
    for (const w of [...this.#waiters]) w.check();
  }

  waitFor<T>(predicate: () => Found<T>, opts: { timeoutMs?: number; description?: string } = {}): Promise<T> {
    const timeoutMs = opts.timeoutMs ?? 5000;
    return new Promise<T>((resolve, reject) => {
      // Called only once poll and timer below exist.
      const finish = (): void => {
        this.#waiters.delete(waiter);
        clearInterval(poll);
        clearTimeout(timer);
      };
      const waiter: Waiter = {
        check: () => {
          let result: Found<T>;
          try {
            result = predicate();
          } catch (err) {
            finish();
            reject(err instanceof Error ? err : new Error(String(err)));
            return;
          }
          if (result) {
            finish();
            resolve(result);
          }
        },
      };
      this.#waiters.add(waiter);
      const poll = setInterval(() => waiter.check(), 10);
      const timer = setTimeout(() => {
        finish();
        const dump = this.calls.length === 0 ? '  (no calls)' : this.calls.map((c) => `  ${this.summarise(c)}`).join('\n');
        reject(new Error(`${this.name} waitFor${opts.description ? ` (${opts.description})` : ''} timed out after ${timeoutMs} ms; calls so far:\n${dump}`));
      }, timeoutMs);
      waiter.check();
    });
  }
}
