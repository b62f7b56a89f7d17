import {
  advisoryScope,
  formatAdvisoryId,
  newAdvisoryUid,
  policyFor,
  seriesFor,
  type Advisory,
  type AdvisoryInput as AdvisoryInputType,
} from '../domain/advisory.js';
import { newDelivery, type Delivery } from '../domain/delivery.js';
import type { Actor } from '../domain/platform.js';
import type { Organisation } from '../directory/schema.js';
import { BotError } from '../errors.js';
import { FIELD_ERROR } from '../i18n/form-text.js';
import { drillWindowFieldErrors, validateAdvisoryForm, type FieldError } from '../view/advisory-form-errors.js';
import { drillWindowProblems, planFor } from '../domain/drill-plan.js';
import { requireSecretariat } from './authorise.js';
import type { CoreDeps } from './deps.js';
import { enqueue } from './enqueue.js';
import { owedWork } from './ladder.js';

export interface IssueRequest {
  actor: Actor;
  /** Identifies the request (e.g. the Slack view id): the same key twice issues one advisory. */
  requestKey: string;
  input: AdvisoryInputType;
}

export interface IssueResult {
  advisory: Advisory;
  deliveries: Delivery[];
  /** Targeted organisations with no channel in the directory: nobody will get it in chat. */
  withoutChannel: Organisation[];
  created: boolean;
  /**
   * Delivery is queued. False while the queue (Redis) is unreachable: the advisory and its
   * deliveries are stored, and delivery starts by itself when the queue is back (the reconciler).
   */
  queued: boolean;
}

const TOKYO_YEAR = new Intl.DateTimeFormat('en', { timeZone: 'Asia/Tokyo', year: 'numeric' });

export async function issueAdvisory(deps: CoreDeps, req: IssueRequest): Promise<IssueResult> {
  await requireSecretariat(deps, req.actor, 'advisory.issue');
  const parsed = validateAdvisoryForm(req.input);
  // `fields` carries the same field messages every platform's form shows (see view/advisory-form-errors.ts).
  if (!parsed.ok) throw new BotError('ADVISORY.INVALID', 'advisory input is not valid', { fields: parsed.errors });
  const input = parsed.input;
  const { recipients, withoutChannel } = deps.directory.resolveTargets(input.targets);
  if (recipients.length === 0) {
    const fields: FieldError[] = [{ field: 'targets', message: FIELD_ERROR.noChannel }];
    throw new BotError('ADVISORY.INVALID', 'no targeted organisation has a channel', { fields });
  }

  const now = deps.clock.now();
  // A drill's schedule: unannounced goes out now; announced tells the members now and goes out at the window's start.
  const windowProblems = drillWindowProblems(input.drill ? input.drillPlan : undefined, now);
  if (windowProblems.length > 0) throw new BotError('ADVISORY.INVALID', 'the drill window cannot be used now', { fields: drillWindowFieldErrors(windowProblems) });
  const drill = planFor(input.drill, input.drillPlan, now);
  const sendAt = drill?.sendAt ?? now;
  const escalation = policyFor(input, deps.policies);
  const year = Number(TOKYO_YEAR.format(now));
  // Drills are numbered apart (DRL-…), so real advisories keep an unbroken series of their own.
  const series = seriesFor(input.drill);
  const number = await deps.store.nextAdvisoryNumber(year, series);
  const candidate: Advisory = {
    id: formatAdvisoryId(year, number, series),
    uid: newAdvisoryUid(),
    requestKey: req.requestKey,
    title: input.title,
    body: input.body,
    source: input.source,
    tlp: input.tlp,
    severity: input.severity,
    category: input.category,
    drill: input.drill,
    ...(drill ? { drillPlan: drill.plan } : {}),
    targets: input.targets,
    issuedAt: sendAt.toISOString(),
    issuedBy: req.actor,
    ackDeadline: new Date(sendAt.getTime() + escalation.deadline * 1000).toISOString(),
    escalation,
    state: 'open',
  };
  const { advisory, created } = await deps.store.createAdvisory(candidate);

  // On a repeated request the stored advisory is the truth; its targets give the same deliveries.
  const targets = created ? recipients : deps.directory.resolveTargets(advisory.targets).recipients;
  const deliveries = targets.map(({ organisation, channel }) =>
    newDelivery(
      advisory.id,
      organisation.id,
      { platform: channel.platform, workspaceId: channel.workspace, channelId: channel.id, sharedOutside: channel.sharedOutside },
      new Date(advisory.issuedAt),
    ),
  );
  await deps.store.ensureDeliveries(deliveries);
  await deps.store.appendAudit({
    id: `${advisory.id}.issued`,
    at: advisory.issuedAt,
    actor: req.actor,
    action: 'advisory.issued',
    advisoryId: advisory.id,
    detail: {
      tlp: advisory.tlp,
      severity: advisory.severity,
      drill: advisory.drill,
      // Announced (when, for which window) or not: the drill's report says how its figures were obtained.
      ...(advisory.drillPlan ? { drillPlan: advisory.drillPlan } : {}),
      deliveries: deliveries.length,
      withoutChannel: withoutChannel.map((o) => o.id),
    },
  });
  // The store now owes every delivery and the "issued" notice; queuing them is only a hint, which
  // the reconciler repeats from the store if this process stops here or the queue is down.
  // A repeated request queues only what the stored records still owe.
  const scope = advisoryScope(advisory);
  const stored = created ? deliveries : await deps.store.listDeliveries(advisory.id);
  const queued = await enqueue(deps, [
    ...stored.flatMap((d) => owedWork(advisory, d)),
    ...(advisory.announced ? [] : [{ kind: 'announce' as const, scope, advisoryId: advisory.id }]),
  ]);
  if (created) deps.log.info({ advisoryId: advisory.id, deliveries: deliveries.length, drill: advisory.drill, queued }, 'advisory issued');
  return { advisory, deliveries, withoutChannel, created, queued };
}
