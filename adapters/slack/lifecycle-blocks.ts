import type { KnownBlock } from '@slack/types';
import { TLP_COLOUR } from '../../src/domain/classification.js';
import { CT } from '../../src/i18n/chat-text.js';
import { durationText, LT } from '../../src/i18n/lifecycle-text.js';
import { both, formatCount, formatTokyo, stacked, T, VIA_TEXT } from '../../src/i18n/text.js';
import type { AdvisoryView, FollowUpAckView, FollowUpView, NoticeView } from '../../src/view/views.js';
import { boldStacked, ackActions, context, drillBanner, fallback, field, mrkdwnSection, name, tlpLine, type AttachmentMessage, type RenderedMessage } from './block-elements.js';
import { escapeMrkdwn, splitForSections } from './mrkdwn.js';
import { RT } from '../../src/i18n/round-text.js';

const e = escapeMrkdwn;

/** A follow-up (続報) as a reply in the thread of the member's copy. */
export function renderFollowUp(view: FollowUpView): RenderedMessage {
  const heading = `📣 *${e(both(LT.followUp(view.n)))}* · ${e(view.advisoryId)} ${e(view.title)}`;
  const blocks: KnownBlock[] = [context(tlpLine(view.tlp))];
  if (view.drill) blocks.push(drillBanner());
  blocks.push(mrkdwnSection(heading), ...splitForSections(e(view.body)).slice(0, 40).map(mrkdwnSection));
  if (view.ack) blocks.push(...followUpAckBlocks(view.deliveryId, view.ack));
  blocks.push(context(e(formatTokyo(view.at))));
  return { text: fallback(view.tlp, view.drill, `${e(both(LT.followUp(view.n)))}: ${e(view.title)}`), blocks };
}

/**
 * What a follow-up that asks for acknowledgement adds: who acknowledged and when; or that the round ended; or the
 * request with its deadline and the same button as the advisory's own (ack-action.ts finds the delivery from the
 * message pressed, here the follow-up reply), its value the delivery id.
 */
function followUpAckBlocks(deliveryId: string, ack: FollowUpAckView): KnownBlock[] {
  if (ack.acknowledged) {
    const a = ack.acknowledged;
    return [mrkdwnSection(`✅ *${e(both(T.acknowledgedBy))}*: ${e(a.by)} (${e(formatTokyo(a.at))}, via ${e(both(VIA_TEXT[a.via]))})`)];
  }
  if (ack.ended) return [context(`⏹️ ${e(stacked(RT.ackEnded))}`)];
  return [mrkdwnSection(`🙏 ${boldStacked(RT.pleaseAckBy(formatTokyo(ack.deadline)))}`), ackActions(deliveryId)];
}

/**
 * A copy replaced whole: withdrawn (the notice and the reason, no button), or removed because a
 * correction made the TLP stricter than where it sits. The earlier text stays in the record only.
 */
export function renderReplacedCopy(view: AdvisoryView): AttachmentMessage | null {
  if (!view.withdrawn && !view.removed) return null;
  const lines = view.withdrawn
    ? [`⛔ *${e(both(LT.withdrawnHeading))}*`, e(stacked(LT.withdrawnBody(view.withdrawn.at, view.withdrawn.reason)))]
    : [`🗑️ *${e(both(LT.removedHeading))}*`, e(stacked(LT.removedBody(view.removed?.tlp ?? view.tlp)))];
  const text = fallback(view.tlp, view.drill, `${e(view.withdrawn ? both(LT.withdrawnHeading) : both(LT.removedHeading))}: ${e(view.advisoryId)}`);
  const envelope: KnownBlock[] = [context(tlpLine(view.tlp))];
  if (view.drill) envelope.push(drillBanner());
  // The title stays only on a withdrawal (members need to know which advisory to disregard); a removed copy says nothing of its content.
  const head = view.withdrawn ? [mrkdwnSection(`~${e(view.title)}~`)] : [];
  return {
    text,
    blocks: envelope,
    attachments: [{ color: TLP_COLOUR[view.tlp], fallback: text, blocks: [...head, ...lines.map(mrkdwnSection), context(e(view.advisoryId))] }],
  };
}

/** The corrections, newest first, as context lines under the copy's heading. */
export function correctionLines(view: AdvisoryView): KnownBlock[] {
  return view.corrections.map((c) => mrkdwnSection(`✏️ ${e(stacked(LT.corrected(c.revision, c.at, c.note)))}`));
}

/** Notices of an advisory's end and of a copy that could not be brought up to date; null for other notices. */
export function renderLifecycleNotice(notice: NoticeView): RenderedMessage | null {
  const envelope: KnownBlock[] = [context(tlpLine(notice.tlp))];
  if (notice.drill) envelope.push(drillBanner());
  if (notice.kind === 'sync_failed') {
    return {
      text: fallback(notice.tlp, notice.drill, `⚠️ ${e(both(LT.syncFailed))}: ${e(notice.advisoryId)} → ${name(notice.memberName)}`),
      blocks: [
        ...envelope,
        mrkdwnSection(`⚠️ *${e(both(LT.syncFailed))}*`),
        { type: 'section', fields: [field(CT.member, name(notice.memberName)), field(CT.advisoryId, e(notice.advisoryId)), field(CT.title, e(notice.title))] },
        mrkdwnSection(`*${e(both(CT.reason))}*: \`${e(notice.reason)}\`\n${e(stacked(LT.syncFailedAction))}`),
      ],
    };
  }
  if (notice.kind !== 'advisory_closed') return null;
  const s = notice.summary;
  const heading = both(LT.closedHeading(s.cause));
  const last = s.lastAckAt ? both(durationText(new Date(s.lastAckAt).getTime() - new Date(s.issuedAt).getTime())) : both(LT.noAck);
  const fields = [
    field(CT.advisoryId, e(s.advisoryId)),
    field(CT.title, e(s.title)),
    field(LT.targeted, formatCount(s.targeted)),
    field(LT.byButton, formatCount(s.byButton)),
    field(LT.byPhone, formatCount(s.byPhone)),
    field(LT.never, formatCount(s.never)),
    field(LT.failed, formatCount(s.failed)),
    field(LT.lastAck, e(last)),
  ];
  if (s.cancelled > 0) fields.push(field(LT.cancelled, formatCount(s.cancelled)));
  if (s.closedBy) fields.push(field(LT.closedBy, e(s.closedBy)));
  const blocks: KnownBlock[] = [...envelope, mrkdwnSection(`${s.cause === 'withdrawn' ? '⛔' : '🏁'} *${e(heading)}*`)];
  // The counts are about a later round: say which, and since when.
  if (s.round) blocks.push(mrkdwnSection(`📣 ${boldStacked(RT.round(s.round.n, s.round.followup, formatTokyo(s.round.since)))}`));
  blocks.push({ type: 'section', fields: fields.slice(0, 10) });
  if (s.reason) blocks.push(mrkdwnSection(`*${e(both(LT.withdrawalReason))}*: ${e(s.reason)}`));
  if (s.failures.length > 0) {
    const list = s.failures.map((f) => `• ${name(f.memberName)} (\`${e(f.reason)}\`)`);
    if (s.moreFailures > 0) list.push(e(both(LT.moreFailures(s.moreFailures))));
    blocks.push(mrkdwnSection(`*${e(both(LT.failures))}*\n${list.join('\n')}`));
  }
  blocks.push(context(e(formatTokyo(s.closedAt))));
  if (s.auditHead) blocks.push(context(`🔐 ${e(stacked(LT.auditAnchor(s.advisoryId, s.auditHead.seq, s.auditHead.hash)))}`));
  return { text: fallback(notice.tlp, notice.drill, `${e(heading)}: ${e(s.advisoryId)} ${e(s.title)}`), blocks };
}
