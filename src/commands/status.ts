import { parseAdvisoryId } from '../domain/advisory.js';
import { SEVERITIES, type Severity } from '../domain/classification.js';
import { ESCALATION_OPTIONAL } from '../domain/escalation.js';
import type { Actor } from '../domain/platform.js';
import type { LocalisedName } from '../directory/schema.js';
import { BotError } from '../errors.js';
import { statusView } from '../view/build.js';
import type { StatusRow, StatusView, TargetOptions } from '../view/views.js';
import type { ReplySummary } from '../view/thread-view.js';
import { replySummaries } from './threads.js';
import { requireSecretariat } from './authorise.js';
import type { CoreDeps } from './deps.js';

export async function statusOf(deps: CoreDeps, actor: Actor, advisoryIdText: string): Promise<StatusView> {
  await requireSecretariat(deps, actor, 'advisory.status');
  const id = parseAdvisoryId(advisoryIdText);
  const advisory = id ? await deps.store.getAdvisory(id) : null;
  if (!advisory) throw new BotError('ADVISORY.NOT_FOUND', 'advisory not found', { advisoryId: advisoryIdText });
  const deliveries = await deps.store.listDeliveries(advisory.id);
  const tasks = await deps.store.listPhoneTasks(advisory.id);
  const nameOf = (memberId: string): LocalisedName =>
    deps.directory.memberName(memberId);
  const contactsOf = (memberId: string) => deps.directory.contactsInOrder(memberId).length;
  const view = statusView(advisory, deliveries, nameOf, tasks, contactsOf);
  // What members wrote in their threads: how many, and the latest (the whole thread: threadOf).
  const replies = replySummaries(await deps.store.listThreadMessages({ advisoryId: advisory.id }));
  return { ...view, rows: view.rows.map((row) => withReplies(row, replies.get(row.deliveryId))) };
}

function withReplies(row: StatusRow, replies: ReplySummary | undefined): StatusRow {
  return replies ? { ...row, replies } : row;
}

/** The secretariat may open the form; the form offers the directory's groups and organisations. */
export async function openAdvisoryForm(deps: CoreDeps, actor: Actor): Promise<TargetOptions> {
  await requireSecretariat(deps, actor, 'advisory.form');
  return {
    groups: deps.directory.groups().map((g) => ({ id: g.id, name: g.name })),
    organisations: deps.directory.organisations().map((o) => ({ id: o.id, name: o.name, kind: o.kind })),
    defaultDeadlineSeconds: Object.fromEntries(SEVERITIES.map((s) => [s, deps.policies[s].deadline])) as Record<Severity, number>,
    escalationOptional: [...ESCALATION_OPTIONAL],
  };
}
