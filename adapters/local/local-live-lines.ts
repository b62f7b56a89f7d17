import type { DeliveryState } from '../../src/domain/delivery.js';
import { SC } from '../../src/i18n/status-card-text.js';
import type { Bilingual } from '../../src/i18n/text.js';
import type { OutboundView } from '../../src/ports/chat.js';
import { LIVE_STATE_ORDER, liveStatusLines, type LiveStatusLines } from '../../src/view/live-status-lines.js';

/**
 * The live status card's words as the page shows them (public/js/render-notice.js): the lines Slack and Teams
 * show (src/view/live-status-lines.ts), and one segment per state for the page's bar, each with its count and
 * its words. Worded here, so the page keeps no copy of the texts; the page only lays them out.
 */
export interface LocalLiveLines extends LiveStatusLines {
  /** The bar's accessible name. */
  label: Bilingual;
  /** In LIVE_STATE_ORDER, only states with deliveries. */
  segments: { state: DeliveryState; count: number; text: Bilingual }[];
}

export function liveLines(message: OutboundView): LocalLiveLines | undefined {
  if (message.kind !== 'notice' || message.view.kind !== 'advisory_issued' || !message.view.live) return undefined;
  const live = message.view.live;
  const c = live.counts;
  const segments = LIVE_STATE_ORDER.filter((s) => c[s] > 0).map((state) => ({
    state,
    count: c[state],
    text: state === 'acknowledged' ? SC.acknowledgedOf(c.acknowledged, c.total) : SC.stateCount(state, c[state]),
  }));
  return { ...liveStatusLines(live), label: SC.progressLabel, segments };
}
