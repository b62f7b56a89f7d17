import { describe, expect, it } from 'vitest';
import { liveLines } from '../../../adapters/local/local-live-lines.js';
import type { LiveStatusView, NoticeView } from '../../../src/view/views.js';

const issued: Extract<NoticeView, { kind: 'advisory_issued' }> = {
  kind: 'advisory_issued',
  advisoryId: 'ADV-2026-0042',
  title: '件名',
  tlp: 'TLP:GREEN',
  drill: false,
  deliveries: 5,
  ackDeadline: '2026-11-25T01:00:00.000Z',
  issuedBy: '事務局',
};

const live: LiveStatusView = {
  issuedAt: '2026-11-25T00:28:00.000Z',
  counts: { total: 5, acknowledged: 2, posted: 0, failed: 1, queued: 0, cancelled: 2 },
  onPhone: 1,
  ackDeadline: '2026-11-25T01:00:00.000Z',
  asOf: '2026-11-25T00:40:00.000Z',
};

describe('liveLines (the live card as the page receives it)', () => {
  it('nothing for a notice without a live part, or for any other message', () => {
    expect(liveLines({ kind: 'notice', view: issued })).toBeUndefined();
    expect(liveLines({ kind: 'notice', view: { ...issued, kind: 'delivery_failed', memberName: { ja: 'A', en: 'A' }, reason: 'CHANNEL_NOT_FOUND' } as unknown as NoticeView })).toBeUndefined();
  });

  it("the lines Slack and Teams show, and one segment per state with deliveries, in the card's order, with its words", () => {
    const l = liveLines({ kind: 'notice', view: { ...issued, live } });
    expect(l?.progress).toEqual({ ja: '受領確認 2/5 · 失敗 1 · 未配信（取り下げ） 2', en: 'acknowledged 2 of 5 · failed 1 · not sent (withdrawn) 2' });
    expect(l?.onPhone).toEqual({ ja: '電話対応中 1', en: 'on the phone 1' });
    expect(l?.label).toEqual({ ja: '配信状況', en: 'Delivery progress' });
    expect(l?.segments).toEqual([
      { state: 'acknowledged', count: 2, text: { ja: '受領確認 2/5', en: 'acknowledged 2 of 5' } },
      { state: 'failed', count: 1, text: { ja: '失敗 1', en: 'failed 1' } },
      { state: 'cancelled', count: 2, text: { ja: '未配信（取り下げ） 2', en: 'not sent (withdrawn) 2' } },
    ]);
  });
});
