import { CT } from '../../src/i18n/chat-text.js';
import { durationText, LT } from '../../src/i18n/lifecycle-text.js';
import { both, formatCount, formatTokyo, stacked, T, VIA_TEXT } from '../../src/i18n/text.js';
import type { AdvisoryView, FollowUpAckView, FollowUpView, NoticeView } from '../../src/view/views.js';
import { ADVISORY_ACK_VERB, card, envelope, execute, factSet, name, small, textBlock, type AdaptiveCard, type CardAction, type CardElement } from './card-elements.js';
import { escapeCardText } from './card-text.js';
import { RT } from '../../src/i18n/round-text.js';

const e = escapeCardText;

/**
 * A follow-up (続報): a reply in the channel post's thread, or the next message of a 1:1 chat. One that asks for
 * acknowledgement carries the advisory's own button (same verb; the press is found from the message pressed, this
 * card), then who acknowledged, or that the round ended.
 */
export function followUpCard(view: FollowUpView): AdaptiveCard {
  const body: CardElement[] = [
    ...envelope(view.tlp, view.drill),
    textBlock(`📣 **${e(both(LT.followUp(view.n)))}** · ${e(`${view.advisoryId} ${view.title}`)}`, { size: 'medium' }),
    textBlock(e(view.body)),
  ];
  const ack = view.ack ? followUpAck(view.deliveryId, view.ack) : { body: [], actions: undefined };
  return card([...body, ...ack.body, small(e(formatTokyo(view.at)))], ack.actions);
}

function followUpAck(deliveryId: string, ack: FollowUpAckView): { body: CardElement[]; actions: CardAction[] | undefined } {
  if (ack.acknowledged) {
    const a = ack.acknowledged;
    return { body: [textBlock(`✅ **${e(both(T.acknowledgedBy))}**: ${e(`${a.by} (${formatTokyo(a.at)}, via ${both(VIA_TEXT[a.via])})`)}`, { color: 'good' })], actions: undefined };
  }
  if (ack.ended) return { body: [small(`⏹️ ${e(stacked(RT.ackEnded))}`)], actions: undefined };
  return {
    body: [textBlock(`🙏 ${e(stacked(RT.pleaseAckBy(formatTokyo(ack.deadline))))}`, { weight: 'bolder' })],
    actions: [execute(T.ackButton, ADVISORY_ACK_VERB, { deliveryId }, 'positive')],
  };
}

/** A copy replaced whole (withdrawn, or removed by a stricter TLP), without its button; null for a normal copy. */
export function replacedCopyCard(view: AdvisoryView): AdaptiveCard | null {
  if (view.withdrawn) {
    return card([
      ...envelope(view.tlp, view.drill),
      textBlock(`⛔ ${e(both(LT.withdrawnHeading))}`, { weight: 'bolder', size: 'medium', color: 'attention' }),
      textBlock(`~~${e(view.title)}~~`),
      textBlock(e(stacked(LT.withdrawnBody(view.withdrawn.at, view.withdrawn.reason)))),
      small(e(view.advisoryId)),
    ]);
  }
  if (view.removed) {
    return card([
      ...envelope(view.tlp, view.drill),
      textBlock(`🗑️ ${e(both(LT.removedHeading))}`, { weight: 'bolder', size: 'medium' }),
      textBlock(e(stacked(LT.removedBody(view.removed.tlp)))),
      small(e(view.advisoryId)),
    ]);
  }
  return null;
}

export function correctionBlocks(view: AdvisoryView): CardElement[] {
  return view.corrections.map((c) => textBlock(`✏️ ${e(stacked(LT.corrected(c.revision, c.at, c.note)))}`, { color: 'warning' }));
}

/** The summary text of a lifecycle notice (for notifications), or null for other notices. */
export function lifecycleNoticeText(n: NoticeView): string | null {
  if (n.kind === 'advisory_closed') return `${both(LT.closedHeading(n.summary.cause))}: ${n.advisoryId} ${n.title}`;
  if (n.kind === 'sync_failed') return `⚠️ ${both(LT.syncFailed)}: ${n.advisoryId} → ${name(n.memberName)}`;
  return null;
}

/** The closing summary and the "could not update a copy" notice; null for other notices. */
export function lifecycleNoticeCard(n: NoticeView): AdaptiveCard | null {
  const body = envelope(n.tlp, n.drill);
  if (n.kind === 'sync_failed') {
    body.push(
      textBlock(`⚠️ ${e(both(LT.syncFailed))}`, { weight: 'bolder', size: 'medium', color: 'attention' }),
      factSet([
        [CT.advisoryId, e(n.advisoryId)],
        [CT.title, e(n.title)],
        [CT.member, e(name(n.memberName))],
        [CT.reason, e(n.reason)],
      ]),
      textBlock(e(stacked(LT.syncFailedAction))),
    );
    return card(body);
  }
  if (n.kind !== 'advisory_closed') return null;
  const s = n.summary;
  const last = s.lastAckAt ? both(durationText(new Date(s.lastAckAt).getTime() - new Date(s.issuedAt).getTime())) : both(LT.noAck);
  body.push(
    textBlock(`${s.cause === 'withdrawn' ? '⛔' : '🏁'} ${e(both(LT.closedHeading(s.cause)))}`, { weight: 'bolder', size: 'medium' }),
    // The counts are about a later round: say which, and since when.
    ...(s.round ? [textBlock(`📣 ${e(stacked(RT.round(s.round.n, s.round.followup, formatTokyo(s.round.since))))}`, { weight: 'bolder' })] : []),
    factSet([
      [CT.advisoryId, e(s.advisoryId)],
      [CT.title, e(s.title)],
      [LT.targeted, formatCount(s.targeted)],
      [LT.byButton, formatCount(s.byButton)],
      [LT.byPhone, formatCount(s.byPhone)],
      [LT.never, formatCount(s.never)],
      [LT.failed, formatCount(s.failed)],
      ...(s.cancelled > 0 ? [[LT.cancelled, formatCount(s.cancelled)] as [typeof LT.cancelled, string]] : []),
      [LT.lastAck, e(last)],
      ...(s.closedBy ? [[LT.closedBy, e(s.closedBy)] as [typeof LT.closedBy, string]] : []),
    ]),
  );
  if (s.reason) body.push(textBlock(`**${e(both(LT.withdrawalReason))}**: ${e(s.reason)}`));
  if (s.failures.length > 0) {
    const list = s.failures.map((f) => `- ${e(name(f.memberName))} (${e(f.reason)})`);
    if (s.moreFailures > 0) list.push(`- ${e(both(LT.moreFailures(s.moreFailures)))}`);
    body.push(textBlock(`**${e(both(LT.failures))}**\n\n${list.join('\n')}`));
  }
  body.push(small(e(formatTokyo(s.closedAt))));
  if (s.auditHead) body.push(small(`🔐 ${e(stacked(LT.auditAnchor(s.advisoryId, s.auditHead.seq, s.auditHead.hash)))}`));
  return card(body);
}
