import { CT, STEP_TEXT } from '../../src/i18n/chat-text.js';
import { both, formatCount, formatTokyo, stacked, STATE_TEXT, T } from '../../src/i18n/text.js';
import type { LiveStatusView, NoticeView } from '../../src/view/views.js';
import type { DeliveryState } from '../../src/domain/delivery.js';
import { BAR_MARK, barCells, LIVE_STATE_ORDER, liveStatusLines, type LiveStatusLines } from '../../src/view/live-status-lines.js';
import { card, envelope, factSet, name, small, textBlock, type AdaptiveCard, type CardElement } from './card-elements.js';
import { escapeCardText } from './card-text.js';
import { failureText } from '../../src/i18n/failure-text.js';
import { lifecycleNoticeCard } from './lifecycle-cards.js';
import { alertDigestCard } from './alert-digest-card.js';
import { DT, noticeBodyText, windowText } from '../../src/i18n/drill-text.js';

const e = escapeCardText;

/** Messages for the secretariat channel. */
export function noticeCard(notice: NoticeView): AdaptiveCard {
  const lifecycle = lifecycleNoticeCard(notice);
  if (lifecycle) return lifecycle;
  if (notice.kind === 'alert_digest') return alertDigestCard(notice);
  const body = envelope(notice.tlp, notice.drill);

  if (notice.kind === 'delivery_failed') {
    const known = failureText(notice.reason);
    body.push(
      textBlock(`⚠️ ${e(both(CT.deliveryFailed))}`, { weight: 'bolder', size: 'medium', color: 'attention' }),
      factSet([
        [CT.advisoryId, e(notice.advisoryId)],
        [CT.title, e(notice.title)],
        [CT.member, e(name(notice.memberName))],
        [CT.reason, e(notice.detail ? `${notice.reason} (${notice.detail})` : notice.reason)],
      ]),
      textBlock(e(stacked(known ?? CT.unknownFailure))),
    );
    return card(body);
  }

  if (notice.kind === 'escalation_alert') {
    body.push(
      textBlock(`⚠️ ${e(both(CT.escalationAlert))}`, { weight: 'bolder', size: 'medium', color: 'attention' }),
      factSet([
        [CT.member, e(name(notice.memberName))],
        [CT.advisoryId, e(notice.advisoryId)],
        [CT.title, e(notice.title)],
        [CT.deliveryState, e(both(STATE_TEXT[notice.deliveryState]))],
        [CT.attempts, String(notice.attempts)],
        [CT.heldBy, e(notice.claimedBy ?? both(CT.nobody))],
      ]),
    );
    if (notice.wrongNumbers.length > 0) {
      body.push(
        textBlock(`📵 **${e(both(CT.wrongNumbers))}**: ${e(notice.wrongNumbers.join(', '))}`),
        textBlock(e(stacked(CT.fixDirectory)), { spacing: 'small' }),
      );
    }
    return card(body);
  }

  if (notice.kind === 'step_failed') {
    body.push(
      textBlock(`⚠️ ${e(both(CT.stepFailed))}`, { weight: 'bolder', size: 'medium', color: 'attention' }),
      factSet([
        [CT.member, e(name(notice.memberName))],
        [CT.advisoryId, e(notice.advisoryId)],
        [CT.title, e(notice.title)],
        [CT.step, e(both(STEP_TEXT[notice.step]))],
        [CT.reason, e(notice.reason)],
      ]),
      textBlock(e(stacked(CT.stepFailedAction))),
    );
    return card(body);
  }

  if (notice.kind === 'drill_announcement') {
    // In a member's channel, ahead of an announced drill: when, what to do, and that it is a drill (never real).
    body.push(
      textBlock(`📅 ${e(`${T.drillTag.ja}${DT.noticeHeading.ja}`)}`, { weight: 'bolder', size: 'medium' }),
      textBlock(e(`${T.drillTag.en} ${DT.noticeHeading.en}`), { weight: 'bolder', spacing: 'none' }),
      factSet([
        [DT.noticeWindow, e(both(windowText(notice.window)))],
        [CT.advisoryId, e(notice.advisoryId)],
        [CT.member, e(name(notice.memberName))],
      ]),
      textBlock(e(stacked(noticeBodyText(notice.advisoryId, notice.window, notice.direct)))),
      textBlock(e(stacked(DT.noticeAsk))),
      small(e(stacked(DT.notReal))),
    );
    return card(body);
  }

  if (notice.kind !== 'advisory_issued') throw new Error(`no Teams card for notice ${notice.kind}`);
  const live = notice.live;
  body.push(
    textBlock(`✅ ${e(both(CT.advisoryIssued))}`, { weight: 'bolder', size: 'medium', color: 'good' }),
    factSet([
      [CT.advisoryId, e(notice.advisoryId)],
      [CT.title, e(notice.title)],
      [CT.deliveries, String(notice.deliveries)],
      [T.ackDeadline, e(formatTokyo(live?.ackDeadline ?? notice.ackDeadline))],
      [CT.issuedBy, e(notice.issuedBy)],
    ]),
  );
  if (live) body.push(...liveElements(live, liveStatusLines(live)));
  return card(body);
}

/** Teams has no free colours: each state's segment is a column in the container style nearest its colour. */
const SEGMENT_STYLE: Record<DeliveryState, string> = {
  acknowledged: 'good',
  posted: 'warning',
  failed: 'attention',
  queued: 'emphasis',
  cancelled: 'default',
};

/**
 * The bar: one column per state that has deliveries, as wide as its share of barCells' cells (so one failed
 * delivery among 1,800 still shows), in its state's style, with its count.
 */
function segments(live: LiveStatusView): CardElement | undefined {
  const cells = barCells(live.counts);
  if (cells.length === 0) return undefined;
  const columns = LIVE_STATE_ORDER.filter((s) => cells.includes(s)).map((s) => ({
    type: 'Column',
    width: cells.filter((c) => c === s).length,
    style: SEGMENT_STYLE[s],
    minHeight: '24px',
    verticalContentAlignment: 'center',
    items: [textBlock(e(`${BAR_MARK[s]} ${formatCount(live.counts[s])}`), { size: 'small', horizontalAlignment: 'center', wrap: false })],
  }));
  return { type: 'ColumnSet', spacing: 'medium', columns };
}

/** The live part of the status card: the bar, the counts, who is on the phone, then round, time, next step, closing. */
function liveElements(live: LiveStatusView, l: LiveStatusLines): CardElement[] {
  const out: CardElement[] = [];
  const bar = segments(live);
  if (bar) out.push(bar);
  out.push(textBlock(`**${e(l.progress.ja)}**`, { spacing: 'small' }), small(e(l.progress.en)));
  if (l.onPhone) out.push(textBlock(`📞 ${e(both(l.onPhone))}`, { spacing: 'small' }));
  if (l.round) out.push(small(`🔁 ${e(both(l.round))}`));
  out.push(small(`🕒 ${e(both(l.since))}`));
  if (l.next) out.push(small(`⏭️ ${e(both(l.next))}`));
  if (l.closed) out.push(textBlock(`🏁 **${e(l.closed.ja)}**`, { color: 'good' }), small(e(l.closed.en)));
  return out;
}
