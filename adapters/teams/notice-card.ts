import { CT, STEP_TEXT } from '../../src/i18n/chat-text.js';
import { both, formatTokyo, stacked, STATE_TEXT, T } from '../../src/i18n/text.js';
import type { NoticeView } from '../../src/view/views.js';
import { card, envelope, factSet, name, textBlock, type AdaptiveCard } from './card-elements.js';
import { escapeCardText } from './card-text.js';
import { failureText } from '../../src/i18n/failure-text.js';
import { lifecycleNoticeCard } from './lifecycle-cards.js';

const e = escapeCardText;

/** Messages for the secretariat channel. */
export function noticeCard(notice: NoticeView): AdaptiveCard {
  const lifecycle = lifecycleNoticeCard(notice);
  if (lifecycle) return lifecycle;
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

  if (notice.kind !== 'advisory_issued') throw new Error(`no Teams card for notice ${notice.kind}`);
  body.push(
    textBlock(`✅ ${e(both(CT.advisoryIssued))}`, { weight: 'bolder', size: 'medium', color: 'good' }),
    factSet([
      [CT.advisoryId, e(notice.advisoryId)],
      [CT.title, e(notice.title)],
      [CT.deliveries, String(notice.deliveries)],
      [T.ackDeadline, e(formatTokyo(notice.ackDeadline))],
      [CT.issuedBy, e(notice.issuedBy)],
    ]),
  );
  return card(body);
}
