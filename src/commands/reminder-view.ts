import type { Advisory } from '../domain/advisory.js';
import type { Delivery } from '../domain/delivery.js';
import { roundOf } from '../domain/advisory-lifecycle.js';
import { contactUserId } from '../directory/schema.js';
import { displayName } from '../view/build.js';
import type { ReminderView } from '../view/views.js';
import type { CoreDeps } from './deps.js';

/** The reminder as it should read now: a request with mentions, or, once acknowledged, who did and when. */
export function reminderView(deps: Pick<CoreDeps, 'directory'>, advisory: Advisory, delivery: Delivery): ReminderView {
  const platform = delivery.channel.platform;
  // A later round's reminder is about its follow-up, by that round's deadline.
  const round = roundOf(advisory, delivery.round ?? 1);
  const acknowledged = delivery.acknowledged ? { by: displayName(delivery.acknowledged.actor), at: delivery.acknowledged.at } : undefined;
  // Nobody needs a mention once it is acknowledged: an update must not ping the contacts again.
  const mentioned = acknowledged
    ? []
    : deps.directory
        .contactsInOrder(delivery.memberId)
        .map((c) => ({ id: contactUserId(c, platform), name: c.name }))
        .filter((c): c is { id: string; name: string } => Boolean(c.id));
  return {
    advisoryId: advisory.id,
    deliveryId: delivery.id,
    title: advisory.title,
    tlp: advisory.tlp,
    drill: advisory.drill,
    ackDeadline: round.deadline,
    followup: round.followup,
    memberName: deps.directory.memberName(delivery.memberId),
    mention: mentioned.map((c) => c.id),
    mentionNames: Object.fromEntries(mentioned.map((c) => [c.id, c.name])),
    acknowledged,
  };
}
