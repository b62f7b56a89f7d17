import { tlpAllowsChannelPost, tlpForbidsSharedChannel } from '../domain/classification.js';
import { beginPostAttempt, endLadder, markFailed, markPosted, postMayExist, settlePostAttempt, type Delivery } from '../domain/delivery.js';
import { isWithdrawn } from '../domain/advisory-lifecycle.js';
import type { Advisory } from '../domain/advisory.js';
import type { MessageRef } from '../domain/platform.js';
import { ChatError, type ChatPort, type PostTarget } from '../ports/chat.js';
import { advisoryView } from '../view/build.js';
import type { CoreDeps } from './deps.js';
import { contactUserId } from '../directory/schema.js';
import { transitionDelivery } from './delivery-cas.js';
import { loadDelivery } from './load.js';
import { enqueue } from './enqueue.js';
import { firstStep, LOOKBACK_MS, owedWork } from './ladder.js';
import { touchStatusCard } from './status-card.js';
import { postOnce, provesNothingPosted } from './post-once.js';
import { drillBeforeDelivery } from './drill-notice.js';

export type DeliverOutcome = { outcome: 'posted' | 'already' | 'cancelled' } | { outcome: 'failed'; code: string };

/** Why a delivery that ran out of attempts failed: the secretariat reads it, the detail says the last error. */
export const RETRIES_EXHAUSTED = 'RETRIES_EXHAUSTED';

/**
 * Post one delivery. Safe to run any number of times: a retry whose earlier attempt may have posted
 * (its response lost) first looks for that post before posting again; one after a failure that proves
 * nothing was posted (a 429) posts at once.
 * Rate limits and transient failures are thrown as ChatError for the workflow to wait or retry;
 * permanent failures mark the delivery failed, alert the secretariat and go straight to the phone.
 */
export async function deliverAdvisory(deps: CoreDeps, deliveryId: string): Promise<DeliverOutcome> {
  const loaded = await loadDelivery(deps, deliveryId);
  const { advisory } = loaded;
  let { delivery } = loaded;
  if (delivery.state !== 'queued') {
    // We may have stopped right after recording the outcome: make sure what it owes next is queued.
    await enqueue(deps, owedWork(advisory, delivery));
    return delivery.state === 'failed' ? { outcome: 'failed', code: delivery.failure?.code ?? 'unknown' } : { outcome: 'already' };
  }

  if (isWithdrawn(advisory)) {
    // Withdrawn before this copy went out: it never will.
    await transitionDelivery(deps.store, delivery.id, (d) => endLadder(d, true, deps.clock.now()));
    return { outcome: 'cancelled' };
  }

  // An announced drill: its member is told first, and the copy waits for the window's start (drill-notice.ts).
  if (advisory.drill) delivery = await drillBeforeDelivery(deps, advisory, delivery);

  const chat = deps.chats[delivery.channel.platform];
  if (!chat) return fail(deps, advisory, delivery, { code: 'PLATFORM_NOT_CONFIGURED' });

  if (tlpForbidsSharedChannel(advisory.tlp) && tlpAllowsChannelPost(advisory.tlp)) {
    // Where the platform cannot tell, the directory's flag is all there is (and the directory must say it).
    const shared = delivery.channel.sharedOutside || (chat.capabilities.detectSharedChannel && (await chat.isSharedOutside(delivery.channel)));
    if (shared) {
      return fail(deps, advisory, delivery, { code: 'TLP_SHARED_CHANNEL' });
    }
  }

  const targets = await postTargets(deps, chat, advisory, delivery);
  if (targets.length === 0) return fail(deps, advisory, delivery, { code: 'RED_NO_RECIPIENTS' });

  const retrying = postMayExist(delivery);
  const attempt = await transitionDelivery(deps.store, delivery.id, (d) => beginPostAttempt(d, deps.clock.now()), { from: delivery });
  if (!attempt.changed) return { outcome: 'already' };

  const view = advisoryView(advisory, attempt.next, deps.directory.memberName(delivery.memberId), []);
  const since = new Date(new Date(advisory.issuedAt).getTime() - LOOKBACK_MS);
  const messages: MessageRef[] = [];
  const refused: { target: PostTarget; reason: string; code: string }[] = [];
  let possibleDuplicate = false;
  for (const target of targets) {
    try {
      const posted = await postOnce(deps, chat, target, { kind: 'advisory', view }, delivery.id, { retrying, since });
      messages.push(posted.ref);
      possibleDuplicate ||= posted.possibleDuplicate;
    } catch (err) {
      // One contact's closed DM must not stop the others from getting a TLP:RED advisory.
      if (err instanceof ChatError && err.kind === 'permanent' && targets.length > 1) {
        refused.push({ target, reason: err.reason, code: err.code });
        continue;
      }
      if (err instanceof ChatError && err.kind === 'permanent') return fail(deps, advisory, delivery, { code: err.reason, detail: err.code });
      // Nothing of this attempt reached the platform (a 429, say): the retry posts at once, no history search.
      // With several targets, those not yet searched may still hold an earlier attempt's post.
      if (messages.length === 0 && (targets.length === 1 || !retrying) && provesNothingPosted(err)) {
        await transitionDelivery(deps.store, delivery.id, (d) => settlePostAttempt(d, deps.clock.now()), { from: attempt.next });
      }
      throw err;
    }
  }
  const firstRefusal = refused[0];
  if (messages.length === 0) return fail(deps, advisory, delivery, firstRefusal ? { code: firstRefusal.reason, detail: firstRefusal.code } : { code: 'unknown' });

  const postedAt = deps.clock.now();
  const first = firstStep(deps, advisory, delivery, 'posted', postedAt);
  const posted = await transitionDelivery(deps.store, delivery.id, (d) => markPosted(d, messages, postedAt, first), {
    from: attempt.next,
    audit: (next) => ({
      id: `${delivery.id}.posted`,
      at: next.updatedAt,
      action: 'delivery.posted',
      advisoryId: delivery.advisoryId,
      deliveryId: delivery.id,
      detail: {
        messages: messages.length,
        refused: refused.map((r) => ({ channel: r.target.channelId, reason: r.reason, code: r.code })),
        // Said, never silent: this platform cannot tell whether the earlier attempt had posted it.
        ...(possibleDuplicate ? { possibleDuplicate: true } : {}),
      },
    }),
  });
  const current = posted.changed ? posted.next : posted.current;
  // Posted by this run: its first ladder step's job cannot exist yet. The card's update and the ladder's job are
  // independent: their round trips to Redis overlap.
  await Promise.all([posted.changed ? touchStatusCard(deps, advisory) : undefined, enqueue(deps, owedWork(advisory, current), { fresh: posted.changed })]);
  return { outcome: posted.changed ? 'posted' : 'already' };
}

/** TLP:RED goes to the member's contacts in direct messages, never into the channel. */
async function postTargets(deps: CoreDeps, chat: ChatPort, advisory: Advisory, delivery: Delivery): Promise<PostTarget[]> {
  const channel = { workspaceId: delivery.channel.workspaceId, channelId: delivery.channel.channelId };
  if (tlpAllowsChannelPost(advisory.tlp)) return [channel];
  const platform = delivery.channel.platform;
  const userIds = deps.directory
    .contactsInOrder(delivery.memberId)
    .map((c) => contactUserId(c, platform))
    .filter((id): id is string => Boolean(id));
  const targets: PostTarget[] = [];
  for (const userId of userIds) {
    try {
      targets.push(await chat.openDirectConversation(delivery.channel.workspaceId, userId));
    } catch (err) {
      // A contact who left the workspace is skipped; the others still get it.
      if (!(err instanceof ChatError && err.kind === 'permanent')) throw err;
      deps.log.warn({ deliveryId: delivery.id, code: err.code }, 'cannot open a direct conversation with a contact');
    }
  }
  return targets;
}

/**
 * The delivery failed for good. The record then owes the secretariat an alert and the member the
 * phone step at once; both are queued from the record, so a crash right after this loses neither.
 */
export async function fail(deps: CoreDeps, advisory: Advisory, delivery: Delivery, failure: { code: string; detail?: string }): Promise<DeliverOutcome> {
  const now = deps.clock.now();
  const phone = firstStep(deps, advisory, delivery, 'failed', now);
  const t = await transitionDelivery(deps.store, delivery.id, (d) => markFailed(d, failure, now, phone), {
    audit: (next) => ({
      id: `${delivery.id}.failed`,
      at: next.updatedAt,
      action: 'delivery.failed',
      advisoryId: delivery.advisoryId,
      deliveryId: delivery.id,
      detail: { ...failure },
    }),
  });
  if (t.changed) {
    deps.log.warn({ deliveryId: delivery.id, memberId: delivery.memberId, ...failure }, 'delivery failed');
    await touchStatusCard(deps, advisory);
  }
  const current = t.changed ? t.next : t.current;
  // Posted or acknowledged meanwhile (another worker won): nothing failed.
  if (current.state !== 'failed') return { outcome: 'already' };
  await enqueue(deps, owedWork(advisory, current));
  return { outcome: 'failed', code: current.failure?.code ?? failure.code };
}
