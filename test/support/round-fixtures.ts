/**
 * Views of acknowledgement rounds (a follow-up asking members to acknowledge it) for the renderer tests of every
 * platform: one follow-up, one closing summary, each with what the test changes.
 */
import type { ClosingSummaryView, FollowUpView, NoticeView } from '../../src/view/views.js';

/** Follow-up 2 of ADV-2026-0042, opening acknowledgement round 2 with its deadline 19:30 JST. */
export function aRoundFollowUp(over: Partial<FollowUpView> = {}): FollowUpView {
  return {
    advisoryId: 'ADV-2026-0042',
    deliveryId: 'dlv-0001',
    title: '電子カルテシステムの脆弱性について',
    tlp: 'TLP:AMBER',
    drill: false,
    n: 2,
    at: '2026-11-25T10:00:00.000Z',
    body: '修正版 2.0.1 が公開されました。適用してください。',
    audience: 'channel',
    ack: { round: 2, deadline: '2026-11-25T10:30:00.000Z' },
    ...over,
  };
}

export function aClosingSummary(over: Partial<ClosingSummaryView> = {}): ClosingSummaryView {
  return {
    advisoryId: 'ADV-2026-0042',
    title: '電子カルテシステムの脆弱性について',
    tlp: 'TLP:AMBER',
    severity: 'level3',
    drill: false,
    cause: 'all_acknowledged',
    closedAt: '2026-11-25T10:20:00.000Z',
    issuedAt: '2026-11-25T09:00:00.000Z',
    targeted: 18,
    byButton: 17,
    byPhone: 1,
    never: 0,
    failed: 0,
    cancelled: 0,
    lastAckAt: '2026-11-25T10:15:00.000Z',
    failures: [],
    moreFailures: 0,
    ...over,
  };
}

export function aClosedNotice(summary: ClosingSummaryView): NoticeView {
  return { kind: 'advisory_closed', advisoryId: summary.advisoryId, title: summary.title, tlp: summary.tlp, drill: summary.drill, summary };
}

/** The round a follow-up opened, as the status and the closing summary carry it: round 2, follow-up 2, since 19:00 JST. */
export const ROUND_2 = { n: 2, followup: 2, since: '2026-11-25T10:00:00.000Z' } as const;
