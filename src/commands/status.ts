import { parseAdvisoryId } from '../domain/advisory.js';
import { SEVERITIES, type Severity } from '../domain/classification.js';
import { ESCALATION_OPTIONAL } from '../domain/escalation.js';
import type { Actor } from '../domain/platform.js';
import type { LocalisedName } from '../directory/schema.js';
import { BotError } from '../errors.js';
import { statusView } from '../view/build.js';
import type { AdvisorySummaryView, StatusQuery, StatusRow, StatusView, TargetOptions } from '../view/views.js';
import { z } from 'zod';
import { PLATFORMS } from '../domain/platform.js';
import { isWithdrawn } from '../domain/advisory-lifecycle.js';
import type { Bilingual } from '../i18n/text.js';
import type { ReplySummary } from '../view/thread-view.js';
import { replySummaries } from './threads.js';
import { requireSecretariat } from './authorise.js';
import type { CoreDeps } from './deps.js';

/** Rows per page unless asked otherwise, and the most one page may hold (1,800 members: 18 pages of 100). */
export const STATUS_PAGE = 100;
export const STATUS_PAGE_MAX = 500;

/** The filters and page as people (or a URL) give them; anything else is refused with the field named. */
export const StatusQuerySchema = z.strictObject({
  state: z.enum(['silent', 'failed', 'phone', 'acknowledged']).optional(),
  group: z.string().trim().min(1).max(100).optional(),
  platform: z.enum(PLATFORMS).optional(),
  offset: z.coerce.number().int().min(0).optional(),
  limit: z.coerce.number().int().min(1).max(STATUS_PAGE_MAX).optional(),
});

/**
 * The status of one advisory for the secretariat: the counts of every member, and the rows that
 * match the query (a state, a group, a platform), one page of them, who to chase first and in
 * Japanese name order within a state.
 */
export async function statusOf(deps: CoreDeps, actor: Actor, advisoryIdText: string, query: StatusQuery = {}): Promise<StatusView> {
  await requireSecretariat(deps, actor, 'advisory.status');
  const parsed = StatusQuerySchema.safeParse(query);
  if (!parsed.success) {
    throw new BotError('ADVISORY.INVALID', 'status query is not valid', { fields: parsed.error.issues.map((i) => ({ field: String(i.path[0] ?? 'query'), message: BAD_FILTER })) });
  }
  const q = parsed.data;
  const id = parseAdvisoryId(advisoryIdText);
  const advisory = id ? await deps.store.getAdvisory(id) : null;
  if (!advisory) throw new BotError('ADVISORY.NOT_FOUND', 'advisory not found', { advisoryId: advisoryIdText });
  const deliveries = await deps.store.listDeliveries(advisory.id);
  const tasks = await deps.store.listPhoneTasks(advisory.id);
  const nameOf = (memberId: string): LocalisedName => deps.directory.memberName(memberId);
  const contactsOf = (memberId: string) => deps.directory.contactsInOrder(memberId).length;
  const view = statusView(advisory, deliveries, nameOf, tasks, contactsOf, (memberId) => deps.directory.readingOf(memberId));
  const matching = view.rows.filter((row) => matches(deps, row, q));
  const offset = q.offset ?? 0;
  const limit = q.limit ?? STATUS_PAGE;
  const page = matching.slice(offset, offset + limit);
  // What members wrote in their threads: how many, and the latest (the whole thread: threadOf).
  const replies = replySummaries(await deps.store.listThreadMessages({ advisoryId: advisory.id }));
  return {
    ...view,
    rows: page.map((row) => withReplies(row, replies.get(row.deliveryId))),
    page: { query: { state: q.state, group: q.group, platform: q.platform }, offset, limit, matching: matching.length },
    groups: deps.directory.groups().map((g) => ({ id: g.id, name: g.name })),
  };
}

const BAD_FILTER: Bilingual = { ja: '絞り込みの指定が正しくありません。', en: 'The filter is not valid.' };

function matches(deps: Pick<CoreDeps, 'directory'>, row: StatusRow, q: z.output<typeof StatusQuerySchema>): boolean {
  if (q.platform && row.platform !== q.platform) return false;
  if (q.group && !deps.directory.groupsOf(row.memberId).includes(q.group)) return false;
  switch (q.state) {
    case undefined:
      return true;
    case 'silent':
      return row.state === 'queued' || row.state === 'posted';
    case 'failed':
      return row.state === 'failed';
    case 'acknowledged':
      return row.state === 'acknowledged';
    case 'phone':
      return row.phoneTask !== undefined && (row.phoneTask.state === 'open' || row.phoneTask.state === 'claimed');
  }
}

/**
 * The latest advisories, newest first, each with its counts: where the secretariat starts. `drill`: only drills
 * (true) or only real advisories (false); absent, both, each marked (AdvisorySummaryView.drill).
 */
export async function listAdvisories(deps: CoreDeps, actor: Actor, limit = 20, filter: { drill?: boolean | undefined } = {}): Promise<AdvisorySummaryView[]> {
  await requireSecretariat(deps, actor, 'advisory.status');
  const advisories = await deps.store.listRecentAdvisories(Math.min(Math.max(1, limit), 100), filter);
  const out: AdvisorySummaryView[] = [];
  for (const a of advisories) {
    const counts = { total: 0, queued: 0, posted: 0, acknowledged: 0, failed: 0, cancelled: 0 };
    for (const d of await deps.store.listDeliveries(a.id)) {
      counts.total += 1;
      counts[d.state] += 1;
    }
    out.push({ advisoryId: a.id, title: a.title, tlp: a.tlp, severity: a.severity, drill: a.drill, issuedAt: a.issuedAt, state: a.state, withdrawn: isWithdrawn(a), counts });
  }
  return out;
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
