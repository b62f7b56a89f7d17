import type { KnownBlock } from '@slack/types';
import { TLP_COLOUR } from '../../src/domain/classification.js';
import { CT, moreNames } from '../../src/i18n/chat-text.js';
import { both, CATEGORY_TEXT, formatTokyo, SEVERITY_TEXT, SOURCE_TEXT, stacked, T, VIA_TEXT } from '../../src/i18n/text.js';
import type { AdvisoryView } from '../../src/view/views.js';
import {
  boldStacked,
  ackActions,
  context,
  drillBanner,
  fallback,
  field,
  header,
  MAX_BLOCKS,
  mrkdwnSection,
  name,
  tlpLine,
  type AttachmentMessage,
} from './block-elements.js';
import { escapeMrkdwn, splitForSections } from './mrkdwn.js';
import { RT } from '../../src/i18n/round-text.js';
import { correctionLines, renderReplacedCopy } from './lifecycle-blocks.js';

/** The acknowledge button under an advisory (ack-action.ts handles the press); its value is the delivery id. */
export { ACK_ACTION_ID, ACK_BLOCK_ID } from './block-elements.js';
/** At most this many "also seen by" names; past that the message is noise and the status page has them all. */
const ALSO_SEEN_MAX = 20;

const e = escapeMrkdwn;

/**
 * The advisory as posted into a member's channel (or sent as a TLP:RED direct message).
 *
 * Layout: the top-level blocks hold only the classification envelope (TLP label, drill banner); everything
 * else sits in ONE attachment whose colour is the TLP colour, because the attachment bar is the only way
 * Slack lets a message carry a colour. The envelope stays outside the attachment because Slack may fold a
 * long attachment behind "Show more", and the label must be the first thing seen whatever is folded.
 * Keeping some top-level blocks also stops Slack from printing the notification `text` above the
 * attachment. Callers updating the message (chat.update) must send `attachments` again, or Slack keeps the
 * old ones.
 */
export function renderAdvisoryMessage(view: AdvisoryView): AttachmentMessage {
  const replaced = renderReplacedCopy(view);
  if (replaced) return replaced;
  const text = fallback(view.tlp, view.drill, e(view.title));

  const envelope: KnownBlock[] = [context(tlpLine(view.tlp))];
  if (view.drill) envelope.push(drillBanner());

  const head: KnownBlock[] = [
    header(view.title),
    {
      type: 'section',
      fields: [
        field(T.severity, e(both(SEVERITY_TEXT[view.severity]))),
        field(T.category, e(both(CATEGORY_TEXT[view.category]))),
        field(T.source, e(both(SOURCE_TEXT[view.source]))),
        field(T.recipient, name(view.memberName)),
        field(T.ackDeadline, e(formatTokyo(view.ackDeadline))),
      ],
    },
    ...correctionLines(view),
  ];

  const tail: KnownBlock[] = [];
  if (view.audience === 'direct') tail.push(mrkdwnSection(`🔒 *${e(T.doNotForward.ja)}*\n*${e(T.doNotForward.en)}*`));
  if (view.acknowledged) {
    const a = view.acknowledged;
    tail.push(
      mrkdwnSection(
        `✅ *${e(both(T.acknowledgedBy))}*: ${e(a.by)} (${e(formatTokyo(a.at))}, via ${e(both(VIA_TEXT[a.via]))})`,
      ),
    );
    if (view.alsoSeenBy.length > 0) tail.push(context(alsoSeenLine(view.alsoSeenBy)));
  }
  if (view.laterRound) {
    // A follow-up asks for acknowledgement now: its button is in the thread, none here (acknowledged or not,
    // what is shown above is the first round's).
    tail.push(mrkdwnSection(`👉 ${boldStacked(RT.laterRound(view.laterRound.followup))}`));
  } else if (!view.acknowledged) {
    tail.push(context(e(stacked(T.pleaseAck))));
    tail.push(ackActions(view.deliveryId));
  }
  tail.push(
    context(
      `${e(view.advisoryId)} · ${e(both(CT.issued))}: ${e(formatTokyo(view.issuedAt))}`,
    ),
  );

  // The body gets whatever the fixed blocks leave; a body that still does not fit ends with a note rather
  // than failing the whole post (BODY_MAX escaped can outgrow 50 blocks only with pathological input).
  const room = MAX_BLOCKS - envelope.length - head.length - tail.length;
  let chunks = splitForSections(e(view.body));
  if (chunks.length > room) chunks = [...chunks.slice(0, room - 1), e(stacked(CT.bodyTruncated))];
  const body: KnownBlock[] = chunks.map(mrkdwnSection);

  return {
    text,
    blocks: envelope,
    attachments: [{ color: TLP_COLOUR[view.tlp], fallback: text, blocks: [...head, ...body, ...tail] }],
  };
}

function alsoSeenLine(seen: AdvisoryView['alsoSeenBy']): string {
  const shown = seen.slice(0, ALSO_SEEN_MAX).map((s) => `${e(s.by)} (${e(formatTokyo(s.at))})`);
  if (seen.length > ALSO_SEEN_MAX) shown.push(e(both(moreNames(seen.length - ALSO_SEEN_MAX))));
  return `👀 *${e(both(T.alsoSeenBy))}*: ${shown.join(', ')}`;
}
