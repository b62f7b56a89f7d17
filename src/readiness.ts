/**
 * What /readyz answers: the process can do its work only when Redis, the store and every configured
 * chat platform's credentials are good. Each check is named; a failing one says why, in JSON, for
 * the operator and the load balancer. Checks are bounded so a hung dependency is a "no", not a hang.
 */
export interface CheckResult {
  ok: boolean;
  /** Why not, or what was checked. */
  detail?: string | undefined;
}

export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, CheckResult>;
}

export type Check = () => Promise<CheckResult>;

const CHECK_TIMEOUT_MS = 1_500;

export class Readiness {
  readonly #checks = new Map<string, Check>();

  add(name: string, check: Check): void {
    this.#checks.set(name, check);
  }

  async report(): Promise<ReadinessReport> {
    const entries = await Promise.all(
      [...this.#checks].map(async ([name, check]) => [name, await bounded(check)] as const),
    );
    const checks = Object.fromEntries(entries);
    return { ready: entries.every(([, r]) => r.ok), checks };
  }
}

async function bounded(check: Check): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<CheckResult>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, detail: `no answer within ${CHECK_TIMEOUT_MS} ms` }), CHECK_TIMEOUT_MS);
  });
  try {
    return await Promise.race([check().catch((err: unknown) => ({ ok: false, detail: err instanceof Error ? err.message : String(err) })), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A check that is expensive or rate limited at the other end (a platform's auth call): its last
 * result, run once at start and again every `everyMs` while it fails (a network blip must not
 * keep the bot "not ready" for ever; a revoked token is still found within a minute).
 */
export function cachedCheck(run: () => Promise<void>, everyMs: number, now: () => number = Date.now): Check & { refresh(): Promise<CheckResult> } {
  let last: CheckResult = { ok: false, detail: 'not checked yet' };
  let at = -Infinity;
  const refresh = async () => {
    at = now();
    try {
      await run();
      last = { ok: true };
    } catch (err) {
      last = { ok: false, detail: err instanceof Error ? err.message : String(err) };
    }
    return last;
  };
  const check = async () => (!last.ok && now() - at >= everyMs ? refresh() : last);
  return Object.assign(check, { refresh });
}
