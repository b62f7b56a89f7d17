import type { KnownBlock } from '@slack/types';
import type { ErrorCode } from '../../src/errors.js';
import { CT, STEP_TEXT } from '../../src/i18n/chat-text.js';
import { failureText } from '../../src/i18n/failure-text.js';
import { both, ERROR_TEXT, formatTokyo, stacked, STATE_TEXT, T } from '../../src/i18n/text.js';
import type { LiveStatusView, NoticeView } from '../../src/view/views.js';
import { barText, liveStatusLines, type LiveStatusLines } from '../../src/view/live-status-lines.js';
import { SC } from '../../src/i18n/status-card-text.js';
import { context, drillBanner, fallback, field, mrkdwnSection, name, tlpLine, type RenderedMessage } from './block-elements.js';
import { escapeMrkdwn } from './mrkdwn.js';
import { renderLifecycleNotice } from './lifecycle-blocks.js';
import { renderAlertDigest } from './alert-digest-blocks.js';
import { drillNoticeSummary, DT, noticeBodyText, windowText } from '../../src/i18n/drill-text.js';

const e = escapeMrkdwn;

/** Messages for the secretariat channel. */
export function renderNotice(notice: NoticeView): RenderedMessage {
  const lifecycle = renderLifecycleNotice(notice);
  if (lifecycle) return lifecycle;
  if (notice.kind === 'alert_digest') return renderAlertDigest(notice);
  const envelope: KnownBlock[] = [context(tlpLine(notice.tlp))];
  if (notice.drill) envelope.push(drillBanner());

  if (notice.kind === 'delivery_failed') {
    const known = failureText(notice.reason);
    // The core's reason, and the platform's own code beside it for whoever looks into it.
    const codes = notice.detail ? `\`${e(notice.reason)}\` (\`${e(notice.detail)}\`)` : `\`${e(notice.reason)}\``;
    const reason = `${codes}\n${e(stacked(known ?? CT.unknownFailure))}`;
    const text = fallback(
      notice.tlp,
      notice.drill,
      `⚠️ ${e(both(CT.deliveryFailed))}: ${e(notice.advisoryId)} ${e(notice.title)} → ${name(notice.memberName)} (${e(notice.reason)})`,
    );
    return {
      text,
      blocks: [
        ...envelope,
        mrkdwnSection(`⚠️ *${e(both(CT.deliveryFailed))}*`),
        {
          type: 'section',
          fields: [
            field(CT.advisoryId, e(notice.advisoryId)),
            field(CT.title, e(notice.title)),
            field(CT.member, name(notice.memberName)),
          ],
        },
        mrkdwnSection(`*${e(both(CT.reason))}*: ${reason}`),
      ],
    };
  }

  if (notice.kind === 'escalation_alert') {
    const text = fallback(
      notice.tlp,
      notice.drill,
      `⚠️ ${e(both(CT.escalationAlert))}: ${e(notice.advisoryId)} ${e(notice.title)} → ${name(notice.memberName)}`,
    );
    const blocks: KnownBlock[] = [
      ...envelope,
      mrkdwnSection(`⚠️ *${e(both(CT.escalationAlert))}*`),
      {
        type: 'section',
        fields: [
          field(CT.member, name(notice.memberName)),
          field(CT.advisoryId, e(notice.advisoryId)),
          field(CT.title, e(notice.title)),
          field(CT.deliveryState, e(both(STATE_TEXT[notice.deliveryState]))),
          field(CT.attempts, String(notice.attempts)),
          field(CT.heldBy, notice.claimedBy !== undefined ? e(notice.claimedBy) : e(both(CT.nobody))),
        ],
      },
    ];
    if (notice.wrongNumbers.length > 0) {
      blocks.push(
        mrkdwnSection(
          `📵 *${e(both(CT.wrongNumbers))}*: ${notice.wrongNumbers.map(e).join(', ')}\n${e(stacked(CT.fixDirectory))}`,
        ),
      );
    }
    return { text, blocks };
  }

  if (notice.kind === 'step_failed') {
    const text = fallback(
      notice.tlp,
      notice.drill,
      `⚠️ ${e(both(CT.stepFailed))}: ${e(notice.advisoryId)} ${e(notice.title)} → ${name(notice.memberName)} (${e(both(STEP_TEXT[notice.step]))})`,
    );
    return {
      text,
      blocks: [
        ...envelope,
        mrkdwnSection(`⚠️ *${e(both(CT.stepFailed))}*`),
        {
          type: 'section',
          fields: [
            field(CT.member, name(notice.memberName)),
            field(CT.advisoryId, e(notice.advisoryId)),
            field(CT.title, e(notice.title)),
            field(CT.step, e(both(STEP_TEXT[notice.step]))),
          ],
        },
        mrkdwnSection(`*${e(both(CT.reason))}*: \`${e(notice.reason)}\`\n${e(stacked(CT.stepFailedAction))}`),
      ],
    };
  }

  if (notice.kind === 'drill_announcement') {
    // In a member's channel, ahead of an announced drill: when, what to do, and that it is a drill (never real).
    const heading = { ja: `${T.drillTag.ja}${DT.noticeHeading.ja}`, en: `${T.drillTag.en} ${DT.noticeHeading.en}` };
    return {
      text: fallback(notice.tlp, notice.drill, e(drillNoticeSummary(notice.advisoryId, notice.window))),
      blocks: [
        ...envelope,
        mrkdwnSection(`📅 *${e(heading.ja)}*\n*${e(heading.en)}*`),
        {
          type: 'section',
          fields: [field(DT.noticeWindow, e(both(windowText(notice.window)))), field(CT.advisoryId, e(notice.advisoryId)), field(CT.member, name(notice.memberName))],
        },
        mrkdwnSection(e(stacked(noticeBodyText(notice.advisoryId, notice.window, notice.direct)))),
        mrkdwnSection(e(stacked(DT.noticeAsk))),
        context(e(stacked(DT.notReal))),
      ],
    };
  }

  if (notice.kind !== 'advisory_issued') throw new Error(`no Slack rendering for notice ${notice.kind}`);
  const live = notice.live;
  const lines = live ? liveStatusLines(live) : undefined;
  // The notification's text: what it is and, once live, how far it got (an update does not notify again).
  const progress = live ? ` (${e(both(SC.acknowledgedOf(live.counts.acknowledged, live.counts.total)))})` : '';
  const text = fallback(
    notice.tlp,
    notice.drill,
    `${live?.closed ? '🏁' : '✅'} ${e(both(CT.advisoryIssued))}: ${e(notice.advisoryId)} ${e(notice.title)}${progress}`,
  );
  const blocks: KnownBlock[] = [
    ...envelope,
    mrkdwnSection(`✅ *${e(both(CT.advisoryIssued))}*`),
    {
      type: 'section',
      fields: [
        field(CT.advisoryId, e(notice.advisoryId)),
        field(CT.title, e(notice.title)),
        field(CT.deliveries, String(notice.deliveries)),
        field(T.ackDeadline, e(formatTokyo(live?.ackDeadline ?? notice.ackDeadline))),
        field(CT.issuedBy, e(notice.issuedBy)),
      ],
    },
  ];
  if (live && lines) blocks.push(...liveBlocks(live, lines));
  return { text, blocks };
}

/** The live part of the status card: the bar, the counts, who is on the phone, then time, next step, closing. */
function liveBlocks(live: LiveStatusView, l: LiveStatusLines): KnownBlock[] {
  const bar = barText(live.counts);
  const head = [
    ...(bar === '' ? [] : [bar]),
    `*${e(l.progress.ja)}*`,
    e(l.progress.en),
    ...(l.onPhone ? [`📞 ${e(both(l.onPhone))}`] : []),
  ];
  const out: KnownBlock[] = [mrkdwnSection(head.join('\n'))];
  const notes = [
    ...(l.round ? [`🔁 ${e(both(l.round))}`] : []),
    `🕒 ${e(both(l.since))}`,
    ...(l.next ? [`⏭️ ${e(both(l.next))}`] : []),
  ];
  out.push(context(notes.join('\n')));
  if (l.closed) out.push(mrkdwnSection(`🏁 *${e(l.closed.ja)}*\n${e(l.closed.en)}`));
  return out;
}

/** What the person who ran a command sees when it fails (ephemeral). */
export function renderError(code: ErrorCode): { text: string } {
  return { text: `⚠️ ${e(stacked(ERROR_TEXT[code]))}` };
}
