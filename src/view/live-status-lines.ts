import type { DeliveryState } from '../domain/delivery.js';
import { STEP_TEXT } from '../i18n/chat-text.js';
import { durationText, LT } from '../i18n/lifecycle-text.js';
import { RT } from '../i18n/round-text.js';
import { SC } from '../i18n/status-card-text.js';
import { formatTokyo, type Bilingual } from '../i18n/text.js';
import type { LiveStatusView } from './views.js';

/** The states in the order the card shows them: done first, then what still needs someone. */
export const LIVE_STATE_ORDER = ['acknowledged', 'posted', 'failed', 'queued', 'cancelled'] as const satisfies readonly DeliveryState[];

/**
 * The live status card's lines, worded once for every platform (Slack, Teams, and the local page, whose server
 * sends them with the message). Every time comes from the view (issuedAt, asOf, …), never from the reader's clock,
 * so the same card reads the same wherever and whenever it is drawn.
 */
export interface LiveStatusLines {
  /** "受領確認 12/17 · 未確認 3 · 失敗 1 · 配信待ち 1 / acknowledged 12 of 17 · silent 3 · failed 1 · queued 1". */
  progress: Bilingual;
  /** Only when someone is on the phone. */
  onPhone?: Bilingual | undefined;
  /** Only when a follow-up asks for acknowledgement: the counts are about that round. */
  round?: Bilingual | undefined;
  since: Bilingual;
  /** Only while a ladder step is still owed. */
  next?: Bilingual | undefined;
  /** Only once the advisory has closed. */
  closed?: Bilingual | undefined;
}

export function liveStatusLines(live: LiveStatusView): LiveStatusLines {
  const c = live.counts;
  const parts: Bilingual[] = [SC.acknowledgedOf(c.acknowledged, c.total)];
  for (const state of LIVE_STATE_ORDER) {
    if (state === 'acknowledged' || c[state] === 0) continue;
    parts.push(SC.stateCount(state, c[state]));
  }
  const elapsed = new Date(live.asOf).getTime() - new Date(live.issuedAt).getTime();
  return {
    progress: { ja: parts.map((p) => p.ja).join(' · '), en: parts.map((p) => p.en).join(' · ') },
    onPhone: live.onPhone > 0 ? SC.onPhone(live.onPhone) : undefined,
    round: live.round ? RT.round(live.round.n, live.round.followup, formatTokyo(live.round.since)) : undefined,
    since: SC.sinceIssue(durationText(elapsed), formatTokyo(live.asOf)),
    next: live.nextStep && !live.closed ? SC.nextStep(STEP_TEXT[live.nextStep.kind], formatTokyo(live.nextStep.at), live.nextStep.members) : undefined,
    closed: live.closed ? SC.closed(LT.closedHeading(live.closed.cause), formatTokyo(live.closed.at)) : undefined,
  };
}

/** The lines in the order the card shows them (progress, phone, round, time, next, closed). */
export function liveLineList(l: LiveStatusLines): Bilingual[] {
  return [l.progress, l.onPhone, l.round, l.since, l.next, l.closed].filter((x): x is Bilingual => x !== undefined);
}

/**
 * A bar of `width` cells (fewer when there are fewer deliveries), one state per cell in LIVE_STATE_ORDER, each
 * state's share rounded by largest remainder, and every state that has any delivery at least one cell: one failed
 * delivery among 1,800 still shows. Empty when there are no deliveries.
 */
export function barCells(counts: LiveStatusView['counts'], width = 20): DeliveryState[] {
  const present = LIVE_STATE_ORDER.filter((s) => counts[s] > 0);
  const total = present.reduce((a, s) => a + counts[s], 0);
  if (total === 0) return [];
  const cells = Math.max(Math.min(total, width), present.length);
  const share = present.map((s) => ({ s, exact: (counts[s] / total) * cells }));
  const given = share.map((x) => ({ ...x, k: Math.max(1, Math.floor(x.exact)) }));
  let left = cells - given.reduce((a, x) => a + x.k, 0);
  // Hand out what rounding left by largest remainder; take back from the largest if the minimum of one overdrew.
  const byRemainder = [...given].sort((a, b) => b.exact - Math.floor(b.exact) - (a.exact - Math.floor(a.exact)));
  for (let i = 0; left > 0; i = (i + 1) % byRemainder.length, left -= 1) byRemainder[i]!.k += 1;
  while (left < 0) {
    const largest = given.reduce((a, x) => (x.k > a.k ? x : a));
    largest.k -= 1;
    left += 1;
  }
  return given.flatMap((x) => Array.from({ length: x.k }, () => x.s));
}

/** One square per cell where no colour can be drawn (Slack's text, Teams' fallback). */
export const BAR_MARK: Record<DeliveryState, string> = {
  acknowledged: '🟩',
  posted: '🟨',
  failed: '🟥',
  queued: '⬜',
  cancelled: '⬛',
};

/** "🟩🟩🟩🟨🟥⬜": the bar as text. */
export function barText(counts: LiveStatusView['counts'], width = 20): string {
  return barCells(counts, width).map((s) => BAR_MARK[s]).join('');
}
