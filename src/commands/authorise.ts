import { randomUUID } from 'node:crypto';
import type { Actor } from '../domain/platform.js';
import { BotError } from '../errors.js';
import type { CoreDeps } from './deps.js';

/** Refusals are audited too: who tried to issue, and when, matters after an incident. */
export async function requireSecretariat(deps: CoreDeps, actor: Actor, attempted: string): Promise<void> {
  if (deps.directory.isSecretariat(actor)) return;
  await deps.store.appendAudit({
    id: `refused.${randomUUID()}`,
    at: deps.clock.now().toISOString(),
    actor,
    action: 'advisory.refused',
    detail: { attempted },
  });
  deps.log.warn({ actor, attempted }, 'refused: not secretariat');
  throw new BotError('AUTH.NOT_SECRETARIAT', 'only the secretariat may do this', { actor, attempted });
}
