import { DT, noticeBodyText, windowText } from '../../src/i18n/drill-text.js';
import { T, type Bilingual } from '../../src/i18n/text.js';
import type { OutboundView } from '../../src/ports/chat.js';

/**
 * The announcement of a drill (in a member's channel, ahead of the drill) as the page shows it
 * (public/js/render-notice.js): the lines Slack and Teams show, worded here from src/i18n/drill-text.ts, so the page
 * keeps no copy of them and only lays them out.
 */
export interface LocalDrillNoticeLines {
  heading: Bilingual;
  windowLabel: Bilingual;
  window: Bilingual;
  body: Bilingual;
  ask: Bilingual;
  notReal: Bilingual;
}

export function drillNoticeLines(message: OutboundView): LocalDrillNoticeLines | undefined {
  if (message.kind !== 'notice' || message.view.kind !== 'drill_announcement') return undefined;
  const n = message.view;
  return {
    heading: { ja: `${T.drillTag.ja}${DT.noticeHeading.ja}`, en: `${T.drillTag.en} ${DT.noticeHeading.en}` },
    windowLabel: DT.noticeWindow,
    window: windowText(n.window),
    body: noticeBodyText(n.advisoryId, n.window, n.direct),
    ask: DT.noticeAsk,
    notReal: DT.notReal,
  };
}
