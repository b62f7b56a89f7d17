import type { Advisory } from '../domain/advisory.js';
import { tlpAllowsChannelPost } from '../domain/classification.js';
import type { Delivery } from '../domain/delivery.js';
import { DRILL_NOTICE_TLP, drillWaitMs, isAnnounced, markDrillNoticed, owesDrillNotice, type DrillNoticeRecord } from '../domain/drill-plan.js';
import { BotError } from '../errors.js';
import { ChatError, type PostTarget } from '../ports/chat.js';
import type { DrillAnnouncementView } from '../view/views.js';
import type { CoreDeps } from './deps.js';
import { transitionDelivery } from './delivery-cas.js';
import { LOOKBACK_MS } from './ladder.js';
import { postOnceLedgered } from './post-once.js';

/**
 * An announced drill (drill-plan.ts): issued when the secretariat sends the form, told to every targeted member at
 * once, sent at its window's start. Each delivery's own job does both, in this order:
 *
 * 1. the announcement to its member (once: recorded on the delivery; the post itself through the post ledger, so a
 *    retry whose first attempt may have got through looks for it first, as every notice does);
 * 2. until the window starts, nothing more: the job waits (DRILL.NOT_STARTED, moved to later by the workflow, not
 *    counted as an attempt); the reconciler finds the delivery still owed and its job still waiting.
 *
 * The secretariat's live status card waits for the start too: it counts from the drill's sending.
 */

/** Longest a waiting job sleeps before it looks again (a clock put right, a withdrawal: the record decides each time). */
export const DRILL_WAIT_MAX_MS = 10 * 60_000;

/** Throws DRILL.NOT_STARTED while an open announced drill's window has not started; returns otherwise. */
export function holdUntilDrillStarts(deps: Pick<CoreDeps, 'clock'>, advisory: Advisory): void {
  if (advisory.state !== 'open') return;
  const wait = drillWaitMs(advisory, deps.clock.now());
  if (wait > 0) {
    throw new BotError('DRILL.NOT_STARTED', 'the drill window has not started', {
      advisoryId: advisory.id,
      startsAt: advisory.issuedAt,
      retryAfterMs: Math.min(wait, DRILL_WAIT_MAX_MS),
    });
  }
}

/**
 * The part of a delivery's job that belongs to an announced drill: the announcement to its member if still owed,
 * then the wait for the window. Returns the delivery as it is now; a drill that may go out returns at once.
 */
export async function drillBeforeDelivery(deps: CoreDeps, advisory: Advisory, delivery: Delivery): Promise<Delivery> {
  let current = delivery;
  if (advisory.state === 'open' && owesDrillNotice(advisory, delivery)) {
    try {
      current = await announceToMember(deps, advisory, delivery);
    } catch (err) {
      // Before the window, a platform failing for now (a 429, a timeout, an outage) must not use up the job's
      // attempts: a job that gave up would fail the delivery and start its ladder before the drill has even begun.
      // The announcement is tried again later, still before the start; from the start on, failures retry as any post.
      const wait = drillWaitMs(advisory, deps.clock.now());
      if (wait > 0 && err instanceof ChatError) {
        deps.log.warn({ advisoryId: advisory.id, deliveryId: delivery.id, code: err.code }, 'drill announcement failed for now; trying again before the window starts');
        throw new BotError('DRILL.NOT_STARTED', 'the drill announcement is tried again before the window starts', {
          advisoryId: advisory.id,
          startsAt: advisory.issuedAt,
          retryAfterMs: Math.min(wait, Math.max(err.retryAfterMs ?? 0, NOTICE_RETRY_MS)),
        });
      }
      throw err;
    }
  }
  holdUntilDrillStarts(deps, advisory);
  return current;
}

/** How soon an announcement that failed for now is tried again (the platform's Retry-After if longer). */
export const NOTICE_RETRY_MS = 30_000;

async function announceToMember(deps: CoreDeps, advisory: Advisory, delivery: Delivery): Promise<Delivery> {
  const plan = advisory.drillPlan;
  if (!isAnnounced(plan)) return delivery;
  const chat = deps.chats[delivery.channel.platform];
  // No platform here: the drill's own copy will fail the same way at the start, and the secretariat hears of it then.
  if (!chat) return delivery;
  const view: DrillAnnouncementView = {
    kind: 'drill_announcement',
    advisoryId: advisory.id,
    tlp: DRILL_NOTICE_TLP,
    drill: true,
    memberName: deps.directory.memberName(delivery.memberId),
    window: plan.announced.window,
    // A TLP:RED drill comes as direct messages; the announcement itself (no content) goes into the member's channel.
    direct: !tlpAllowsChannelPost(advisory.tlp),
  };
  const target: PostTarget = { workspaceId: delivery.channel.workspaceId, channelId: delivery.channel.channelId };
  const since = new Date(new Date(plan.announced.at).getTime() - LOOKBACK_MS);
  let record: DrillNoticeRecord;
  try {
    const posted = await postOnceLedgered(deps, chat, target, { kind: 'notice', view }, noticeKey(delivery), since);
    record = { at: deps.clock.now().toISOString(), messages: [posted.ref] };
  } catch (err) {
    // Refused for good (the channel gone, the bot removed): recorded, and the drill's copy will say the same at the
    // start, as a failed delivery the secretariat is told of. Anything else: the job retries.
    if (!(err instanceof ChatError && err.kind === 'permanent')) throw err;
    record = { at: deps.clock.now().toISOString(), messages: [], refused: err.reason };
  }
  const t = await transitionDelivery(deps.store, delivery.id, (d) => markDrillNoticed(d, record, deps.clock.now()), {
    audit: (next) => ({
      id: `${delivery.id}.drill-announced`,
      at: next.updatedAt,
      action: 'drill.announced',
      advisoryId: advisory.id,
      deliveryId: delivery.id,
      detail: {
        memberId: delivery.memberId,
        window: plan.announced.window,
        posted: record.messages.length,
        ...(record.refused !== undefined ? { refused: record.refused } : {}),
      },
    }),
  });
  return t.changed ? t.next : t.current;
}

/** The announcement's post key: one per delivery, so a retry finds its own earlier post. */
export function noticeKey(delivery: Pick<Delivery, 'id'>): string {
  return `${delivery.id}.drill-notice`;
}
