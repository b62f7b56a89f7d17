import { advisoryScope, type Advisory } from '../domain/advisory.js';
import { roundOf } from '../domain/advisory-lifecycle.js';
import type { Delivery } from '../domain/delivery.js';
import { isOpenTask, type PhoneTask } from '../domain/phone-task.js';
import type { Work } from '../ports/jobs.js';
import { displayName } from '../view/build.js';
import type { LiveStatusView, NoticeView } from '../view/views.js';
import type { CoreDeps } from './deps.js';
import { enqueue } from './enqueue.js';

/** At most one update of a card per interval: well inside Slack's and Teams' limits for editing a message. */
export const STATUS_CARD_INTERVAL_MS = 5_000;

/**
 * The work that brings the card up to date at the end of the current interval. Every change within
 * the interval asks for the same job (its id carries the interval's end), so bursts of 1,800
 * acknowledgements become a handful of updates, the last one showing the final counts.
 */
export function statusCardWork(deps: Pick<CoreDeps, 'clock' | 'settings'>, advisory: Advisory): Work {
  return { kind: 'status-card', scope: advisoryScope(advisory), advisoryId: advisory.id, at: intervalEnd(deps) };
}

/**
 * The end of the current throttle interval (a change exactly at an interval's end belongs to the
 * next one). Messages updated in place (the status card, grouped alerts) are updated there, once.
 */
export function intervalEnd(deps: Pick<CoreDeps, 'clock' | 'settings'>): Date {
  const interval = deps.settings.statusCardIntervalMs ?? STATUS_CARD_INTERVAL_MS;
  return new Date(Math.ceil((deps.clock.now().getTime() + 1) / interval) * interval);
}

/**
 * Ask for the card's update after a change. Only once the card exists (the "issued" notice has been
 * posted and its messages kept); a queue outage loses only this update: the reconciler asks again.
 */
export async function touchStatusCard(deps: CoreDeps, advisory: Advisory): Promise<void> {
  if (!advisory.announced?.messages?.length) return;
  await enqueue(deps, [statusCardWork(deps, advisory)]);
}

/** The live status from the store's record of every delivery and phone task. */
export function liveStatus(advisory: Advisory, deliveries: Delivery[], tasks: PhoneTask[], now: Date): LiveStatusView {
  const counts = { total: deliveries.length, queued: 0, posted: 0, acknowledged: 0, failed: 0, cancelled: 0 };
  for (const d of deliveries) counts[d.state] += 1;
  const open = advisory.state === 'open';
  const owed = open ? deliveries.map((d) => (d.state === 'acknowledged' ? undefined : d.nextStep)).filter((s) => s !== undefined) : [];
  const earliest = owed.reduce<(typeof owed)[number] | undefined>((a, s) => (a === undefined || s.at < a.at ? s : a), undefined);
  const round = roundOf(advisory);
  return {
    issuedAt: advisory.issuedAt,
    counts,
    onPhone: tasks.filter(isOpenTask).length,
    round: round.followup === undefined ? undefined : { n: round.n, followup: round.followup, since: round.since },
    ackDeadline: round.deadline,
    nextStep: earliest ? { kind: earliest.kind, at: earliest.at, members: owed.filter((s) => s.at === earliest.at && s.kind === earliest.kind).length } : undefined,
    closed: advisory.closure ? { cause: advisory.closure.cause, at: advisory.closure.at } : undefined,
    asOf: now.toISOString(),
  };
}

/** The "issued" notice with its live status, as the card should read now. */
export async function statusCardNotice(deps: CoreDeps, advisory: Advisory): Promise<NoticeView> {
  const deliveries = await deps.store.listDeliveries(advisory.id);
  const tasks = await deps.store.listPhoneTasks(advisory.id);
  return {
    kind: 'advisory_issued',
    advisoryId: advisory.id,
    title: advisory.title,
    tlp: advisory.tlp,
    drill: advisory.drill,
    deliveries: deliveries.length,
    ackDeadline: advisory.ackDeadline,
    issuedBy: displayName(advisory.issuedBy),
    live: liveStatus(advisory, deliveries, tasks, deps.clock.now()),
  };
}

/** Edit every copy of the card in the secretariat channels to show the status now. Returns how many. */
export async function refreshStatusCard(deps: CoreDeps, advisoryId: string): Promise<number> {
  const advisory = await deps.store.getAdvisory(advisoryId);
  const refs = advisory?.announced?.messages ?? [];
  if (!advisory || refs.length === 0) return 0;
  const notice = await statusCardNotice(deps, advisory);
  let updated = 0;
  for (const ref of refs) {
    const chat = deps.chats[ref.platform];
    if (!chat) continue;
    await chat.update(ref, { kind: 'notice', view: notice }, `${advisory.id}.issued`);
    updated += 1;
  }
  return updated;
}
