import type { Advisory } from '../domain/advisory.js';
import { closingKey, markClosureTold, roundOf } from '../domain/advisory-lifecycle.js';
import type { Delivery } from '../domain/delivery.js';
import { BotError } from '../errors.js';
import { displayName } from '../view/build.js';
import type { ClosingSummaryView } from '../view/views.js';
import { transitionAdvisory } from './advisory-cas.js';
import type { CoreDeps } from './deps.js';
import { toSecretariat } from './to-secretariat.js';
import { enqueue } from './enqueue.js';
import { lifecycleWork } from './lifecycle.js';
import { touchStatusCard } from './status-card.js';
import { phoneBoardWork } from './phone-board.js';
import { postClosingChart } from './chart-post.js';

/** The key of the reach chart posted with a closing's summary (its cause and closing's own, as the summary's). */
export function chartKey(a: Advisory): string {
  return `${a.id}.closing.chart.${a.closure?.cause ?? 'none'}${closingKey(a)}`;
}

/** Failures named one by one in the summary; more are counted (the status and the export list them all). */
export const FAILURES_SHOWN = 10;

/** A later acknowledgement round, as the views show it (absent: round 1). */
export function roundView(advisory: Advisory): { n: number; followup: number; since: string } | undefined {
  const r = roundOf(advisory);
  return r.followup === undefined ? undefined : { n: r.n, followup: r.followup, since: r.since };
}

/** How the advisory went, from the store's record of every delivery (its current acknowledgement round). */
export function closingSummary(
  deps: Pick<CoreDeps, 'directory'>,
  advisory: Advisory,
  deliveries: Delivery[],
  auditHead?: { seq: number; hash: string } | null,
): ClosingSummaryView {
  const closure = advisory.closure;
  if (!closure) throw new BotError('ADVISORY.INVALID', 'a summary is for a closed advisory', { advisoryId: advisory.id });
  const acked = deliveries.filter((d) => d.acknowledged);
  const failures = deliveries.filter((d) => d.failure);
  const lastAckAt = acked.map((d) => d.acknowledged?.at ?? '').sort().at(-1);
  return {
    advisoryId: advisory.id,
    title: advisory.title,
    tlp: advisory.tlp,
    severity: advisory.severity,
    drill: advisory.drill,
    cause: closure.cause,
    closedAt: closure.at,
    closedBy: closure.by ? displayName(closure.by) : undefined,
    reason: closure.reason,
    issuedAt: advisory.issuedAt,
    round: roundView(advisory),
    targeted: deliveries.length,
    byButton: acked.filter((d) => d.acknowledged?.via === 'button').length,
    byPhone: acked.filter((d) => d.acknowledged?.via === 'phone').length,
    never: deliveries.filter((d) => !d.acknowledged && d.state !== 'cancelled').length,
    failed: failures.length,
    cancelled: deliveries.filter((d) => d.state === 'cancelled').length,
    lastAckAt: lastAckAt || undefined,
    failures: failures.slice(0, FAILURES_SHOWN).map((d) => ({ memberName: deps.directory.memberName(d.memberId), reason: d.failure?.code ?? 'unknown' })),
    moreFailures: Math.max(0, failures.length - FAILURES_SHOWN),
    auditHead: auditHead ? { seq: auditHead.seq, hash: auditHead.hash } : undefined,
  };
}

/**
 * Post the closing summary (or the withdrawal notice with its summary) to the secretariat, once:
 * the record notes it was told, and a retried job finds its earlier post by key. The reach chart follows the summary
 * where the platform can post a picture (chart-post.ts).
 */
export async function tellClosing(deps: CoreDeps, advisoryId: string): Promise<number> {
  const advisory = await deps.store.getAdvisory(advisoryId);
  if (!advisory) throw new BotError('ADVISORY.NOT_FOUND', 'advisory not found', { advisoryId });
  if (!advisory.closure || advisory.closure.told) return 0;
  const head = await deps.store.auditChainHead(advisory.id);
  const summary = closingSummary(deps, advisory, await deps.store.listDeliveries(advisoryId), head);
  const posted = await toSecretariat(deps, { kind: 'advisory_closed', advisoryId: advisory.id, title: advisory.title, tlp: advisory.tlp, drill: advisory.drill, summary }, `${advisory.id}.closing.${advisory.closure.cause}${closingKey(advisory)}`, new Date(advisory.closure.at));
  if (posted === 0) deps.log.error({ advisoryId }, 'closing summary could not be told: no secretariat channel on a configured platform');
  // The reach chart goes after the summary, where the platform can post a picture; it never fails the summary. Keyed as
  // the summary is (by cause and closing): a withdrawal after a told closing is told again, its chart with it.
  else await postClosingChart(deps, advisory, chartKey(advisory));
  await markTold(deps, advisory, posted > 0, { targeted: summary.targeted, byButton: summary.byButton, byPhone: summary.byPhone, never: summary.never });
  // The card ends showing how it closed, with the final counts; the phone-task board says it ended (its tasks'
  // own endings redraw it too, but an advisory whose tasks had all ended before would never say so).
  await touchStatusCard(deps, advisory);
  if ((advisory.phoneBoard?.length ?? 0) > 0) await enqueue(deps, [phoneBoardWork(deps, advisory)]);
  return posted;
}

/** Record that the secretariat was told (or could not be); audited once. */
export async function markTold(deps: CoreDeps, advisory: Advisory, ok: boolean, detail: Record<string, unknown> = {}): Promise<boolean> {
  const t = await transitionAdvisory(deps.store, advisory.id, (a) => markClosureTold(a, ok, deps.clock.now()));
  if (!t.changed) return false;
  // Told: the transcript is next, once every copy is settled.
  await enqueue(deps, lifecycleWork(t.next));
  await deps.store.appendAudit({
    id: `${advisory.id}.summary_told.${advisory.closure?.cause ?? 'none'}${closingKey(advisory)}`,
    at: deps.clock.now().toISOString(),
    action: 'advisory.summary_told',
    advisoryId: advisory.id,
    detail: { ok, cause: advisory.closure?.cause, ...detail },
  });
  return true;
}
