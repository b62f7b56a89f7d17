import { durationText, LT } from '../../src/i18n/lifecycle-text.js';
import { both, formatCount, formatTokyo, type Bilingual } from '../../src/i18n/text.js';
import { RT } from '../../src/i18n/round-text.js';
import type { OutboundView } from '../../src/ports/chat.js';

/**
 * The lines of an advisory's life after issue (corrections, withdrawal, a removed copy, a follow-up,
 * the closing summary) as the page shows them. Worded here from src/i18n, so the page keeps no copy of
 * the texts; the page only lays the lines out (public/js/render-lifecycle.js).
 */
export type LifecycleLines = { heading?: Bilingual | undefined; lines: Bilingual[]; replaced?: boolean | undefined };

export function lifecycleLines(message: OutboundView): LifecycleLines | undefined {
  if (message.kind === 'advisory') {
    const v = message.view;
    if (v.withdrawn) return { heading: LT.withdrawnHeading, lines: [LT.withdrawnBody(v.withdrawn.at, v.withdrawn.reason)], replaced: true };
    if (v.removed) return { heading: LT.removedHeading, lines: [LT.removedBody(v.removed.tlp)], replaced: true };
    if (v.corrections.length === 0) return undefined;
    return { lines: v.corrections.map((c) => LT.corrected(c.revision, c.at, c.note)) };
  }
  if (message.kind === 'followup') return { heading: LT.followUp(message.view.n), lines: [] };
  if (message.kind === 'notice' && message.view.kind === 'sync_failed') return { heading: LT.syncFailed, lines: [LT.syncFailedAction] };
  if (message.kind === 'notice' && message.view.kind === 'advisory_closed') {
    const s = message.view.summary;
    const fact = (label: Bilingual, value: string): Bilingual => ({ ja: `${label.ja}：${value}`, en: `${label.en}: ${value}` });
    const last = s.lastAckAt ? durationText(new Date(s.lastAckAt).getTime() - new Date(s.issuedAt).getTime()) : LT.noAck;
    const lines = [
      fact(LT.targeted, formatCount(s.targeted)),
      fact(LT.byButton, formatCount(s.byButton)),
      fact(LT.byPhone, formatCount(s.byPhone)),
      fact(LT.never, formatCount(s.never)),
      fact(LT.failed, formatCount(s.failed)),
      ...(s.cancelled > 0 ? [fact(LT.cancelled, formatCount(s.cancelled))] : []),
      { ja: `${LT.lastAck.ja}：${last.ja}`, en: `${LT.lastAck.en}: ${last.en}` },
      ...(s.closedBy ? [fact(LT.closedBy, s.closedBy)] : []),
      ...(s.reason ? [fact(LT.withdrawalReason, s.reason)] : []),
      ...s.failures.map((f) => ({ ja: `・${f.memberName.ja}（${f.reason}）`, en: `• ${f.memberName.en} (${f.reason})` })),
      ...(s.moreFailures > 0 ? [LT.moreFailures(s.moreFailures)] : []),
      ...(s.auditHead ? [LT.auditAnchor(s.advisoryId, s.auditHead.seq, s.auditHead.hash)] : []),
    ];
    // The counts are about a later round: say which, and since when, first.
    if (s.round) lines.unshift(RT.round(s.round.n, s.round.followup, formatTokyo(s.round.since)));
    return { heading: LT.closedHeading(s.cause), lines };
  }
  return undefined;
}

/** For the log and tests: the lines as one text. */
export function linesText(l: LifecycleLines): string {
  return [l.heading, ...l.lines].filter((x): x is Bilingual => x !== undefined).map(both).join('\n');
}
