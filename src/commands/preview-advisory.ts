import { createHash } from 'node:crypto';
import { policyFor, previewAdvisoryId, seriesFor, type Advisory, type ValidAdvisoryInput } from '../domain/advisory.js';
import { drillWindowProblems, planFor } from '../domain/drill-plan.js';
import { tlpAllowsChannelPost, tlpForbidsSharedChannel } from '../domain/classification.js';
import { newDelivery } from '../domain/delivery.js';
import { PLATFORMS, type Actor } from '../domain/platform.js';
import { contactUserId } from '../directory/schema.js';
import type { Recipient } from '../directory/directory.js';
import { BotError } from '../errors.js';
import { FIELD_ERROR } from '../i18n/form-text.js';
import { drillWindowFieldErrors, validateAdvisoryForm, type FieldError } from '../view/advisory-form-errors.js';
import { advisoryView } from '../view/build.js';
import { emptyShares, type PreviewProblem, type PreviewView } from '../view/preview-view.js';
import { requireSecretariat } from './authorise.js';
import type { CoreDeps } from './deps.js';
import { firstStep } from './ladder.js';

const TOKYO_YEAR = new Intl.DateTimeFormat('en', { timeZone: 'Asia/Tokyo', year: 'numeric' });

/**
 * What issuing this input would send now, worked out the way issueAdvisory and deliverAdvisory decide it,
 * without storing, queuing or posting anything: the same authorisation (an outsider's attempt is audited),
 * the same validation and the same errors, then each recipient channel judged as the delivery will judge it.
 */
export async function previewAdvisory(deps: CoreDeps, actor: Actor, candidate: unknown): Promise<PreviewView> {
  await requireSecretariat(deps, actor, 'advisory.preview');
  const parsed = validateAdvisoryForm(candidate);
  if (!parsed.ok) throw new BotError('ADVISORY.INVALID', 'advisory input is not valid', { fields: parsed.errors });
  const input = parsed.input;
  const { recipients, withoutChannel } = deps.directory.resolveTargets(input.targets);
  const first = recipients[0];
  if (first === undefined) {
    const fields: FieldError[] = [{ field: 'targets', message: FIELD_ERROR.noChannel }];
    throw new BotError('ADVISORY.INVALID', 'no targeted organisation has a channel', { fields });
  }

  const now = deps.clock.now();
  // The same checks and times as issuing: an announced drill goes out at its window's start.
  const windowProblems = drillWindowProblems(input.drill ? input.drillPlan : undefined, now);
  if (windowProblems.length > 0) throw new BotError('ADVISORY.INVALID', 'the drill window cannot be used now', { fields: drillWindowFieldErrors(windowProblems) });
  const drill = planFor(input.drill, input.drillPlan, now);
  const sendAt = drill?.sendAt ?? now;
  const escalation = policyFor(input, deps.policies);
  const advisory: Advisory = {
    // The number is given on sending (the store hands it out; a preview takes none), in the drill's series or the real one.
    id: previewAdvisoryId(TOKYO_YEAR.format(now), seriesFor(input.drill)),
    requestKey: 'preview',
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
    issuedBy: actor,
    ackDeadline: new Date(sendAt.getTime() + escalation.deadline * 1000).toISOString(),
    escalation,
    state: 'open',
  };
  const sample = newDelivery(advisory.id, first.organisation.id, addressOf(first), now);
  const sampleMember = deps.directory.memberName(first.organisation.id);

  const shares = emptyShares();
  const problems: PreviewProblem[] = [];
  const dmMembers = new Set<string>();
  const red = !tlpAllowsChannelPost(input.tlp);
  const dmsByDelivery: string[][] = [];
  for (const r of recipients) {
    const platform = r.channel.platform;
    const share = shares[platform];
    share.deliveries += 1;
    const userIds = red ? directRecipients(deps, r) : [];
    dmsByDelivery.push(userIds);
    // The same checks, in the same order, as deliverAdvisory makes before it posts.
    const refusal = refusalOf(deps, input, r, userIds);
    if (refusal) {
      // What a failed delivery owes next, as deliverAdvisory's fail() decides it: the phone step, if the ladder has one.
      const phone = firstStep(deps, advisory, { memberId: r.organisation.id }, 'failed', now) !== undefined;
      problems.push({ memberId: r.organisation.id, memberName: r.organisation.name, reason: refusal, platform, channelId: r.channel.id, then: phone ? 'phone' : 'alert' });
      continue;
    }
    if (red) {
      share.directMessages += userIds.length;
      dmMembers.add(r.organisation.id);
    } else share.channelPosts += 1;
  }
  for (const o of withoutChannel) problems.push({ memberId: o.id, memberName: o.name, reason: 'NO_CHANNEL', then: 'nothing' });
  const order = new Map(deps.directory.organisations().map((o, i) => [o.id, i]));
  problems.sort((a, b) => (order.get(a.memberId) ?? 0) - (order.get(b.memberId) ?? 0));

  const platforms = PLATFORMS.map((p) => shares[p]).filter((s) => s.deliveries > 0);
  const targetedMembers = new Set([...recipients.map((r) => r.organisation.id), ...withoutChannel.map((o) => o.id)]);
  const strict = tlpForbidsSharedChannel(input.tlp) && !red;
  return {
    digest: digestOf(input, escalation, recipients, dmsByDelivery, problems),
    message: advisoryView(advisory, sample, sampleMember, []),
    sampleMember,
    tlp: input.tlp,
    severity: input.severity,
    category: input.category,
    source: input.source,
    drill: input.drill,
    ...(drill ? { drillPlan: drill.plan } : {}),
    escalate: escalation.enabled,
    ackDeadline: advisory.ackDeadline,
    ackDeadlineSeconds: escalation.deadline,
    organisations: targetedMembers.size,
    deliveries: recipients.length,
    platforms,
    direct: red
      ? {
          contacts: platforms.reduce((n, s) => n + s.directMessages, 0),
          members: dmMembers.size,
          phoneOnly: [...new Set(recipients.map((r) => r.organisation.id))].filter((id) => !dmMembers.has(id)).length,
        }
      : undefined,
    sharedCheckedAtSend: strict ? platforms.map((s) => s.platform).filter((p) => deps.chats[p]?.capabilities.detectSharedChannel === true) : [],
    problems,
  };
}

function addressOf(r: Recipient) {
  return { platform: r.channel.platform, workspaceId: r.channel.workspace, channelId: r.channel.id, sharedOutside: r.channel.sharedOutside };
}

/** TLP:RED goes to each contact with an identity on the channel's platform (deliver.ts postTargets). */
function directRecipients(deps: CoreDeps, r: Recipient): string[] {
  return deps.directory
    .contactsInOrder(r.organisation.id)
    .map((c) => contactUserId(c, r.channel.platform))
    .filter((id): id is string => Boolean(id));
}

function refusalOf(deps: CoreDeps, input: ValidAdvisoryInput, r: Recipient, userIds: string[]): PreviewProblem['reason'] | undefined {
  if (!deps.chats[r.channel.platform]) return 'PLATFORM_NOT_CONFIGURED';
  // A platform may also find a channel shared when it posts; the preview knows only the directory's flag.
  if (tlpForbidsSharedChannel(input.tlp) && tlpAllowsChannelPost(input.tlp) && r.channel.sharedOutside) return 'TLP_SHARED_CHANNEL';
  if (!tlpAllowsChannelPost(input.tlp) && userIds.length === 0) return 'RED_NO_RECIPIENTS';
  return undefined;
}

function digestOf(
  input: ValidAdvisoryInput,
  escalation: Advisory['escalation'],
  recipients: Recipient[],
  dms: string[][],
  problems: PreviewProblem[],
): string {
  const channels = recipients.map((r, i) => [r.organisation.id, r.channel.platform, r.channel.workspace, r.channel.id, r.channel.sharedOutside, dms[i]]);
  const refused = problems.map((p) => [p.memberId, p.reason, p.platform ?? '', p.channelId ?? '']);
  return createHash('sha256').update(JSON.stringify({ input, escalation, channels, refused })).digest('hex').slice(0, 32);
}
