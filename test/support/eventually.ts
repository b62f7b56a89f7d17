/**
 * Polls an async check until it returns a truthy value; for state that lives behind the core
 * (the store) rather than in what the fake Slack received. Bounded: fails with the description.
 */
export async function eventually<T>(
  check: () => Promise<T | false | null | undefined | 0 | ''>,
  options: { timeoutMs?: number; intervalMs?: number; description?: string } = {},
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 15_000);
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
      last = value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) {
      throw new Error(`eventually (${options.description ?? 'condition'}) not met in time; last: ${String(last)}`);
    }
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 50));
  }
}
