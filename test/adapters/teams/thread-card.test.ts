/** A member's thread as an Adaptive Card: within Teams' size, newest kept, the member's text inert. */
import { describe, expect, it } from 'vitest';
import { threadCard } from '../../../adapters/teams/thread-card.js';
import { CARD_MAX_CHARS } from '../../../adapters/teams/card-elements.js';
import type { ThreadMessageView, ThreadView } from '../../../src/view/thread-view.js';

const message = (i: number, over: Partial<ThreadMessageView> = {}): ThreadMessageView => ({
  messageId: `m${i}`,
  deliveryId: 'd',
  by: '歯科 担当',
  at: new Date(Date.UTC(2026, 3, 1, 0, i)).toISOString(),
  text: `返信 ${i}`,
  missedOriginal: false,
  ...over,
});
const view = (messages: ThreadMessageView[]): ThreadView => ({
  advisoryId: 'ADV-2026-0001',
  title: 'VPN',
  tlp: 'TLP:RED',
  drill: true,
  memberId: 'jda',
  memberName: { ja: '日本歯科医師会', en: 'JDA' },
  deliveryIds: ['d'],
  messages,
});

describe('threadCard', () => {
  it('shows the label first, each message with its edit, deletion and earlier text, and no mention markup', () => {
    const card = threadCard(
      view([
        message(1, { text: '<at>全員</at> **確認**', edited: { at: '2026-04-01T00:05:00.000Z', earlier: [{ at: '2026-04-01T00:01:00.000Z', text: '最初' }] } }),
        message(2, { text: '', deleted: { at: '2026-04-01T00:09:00.000Z' }, missedOriginal: true }),
      ]),
    );
    const text = JSON.stringify(card);
    expect(JSON.stringify(card.body[0])).toContain('TLP:RED');
    expect(text).not.toContain('<at>');
    expect(text).toContain('\\\\*\\\\*確認\\\\*\\\\*');
    expect(text).toContain('編集前 / before the edit');
    expect(text).toContain('最初');
    expect(text).toContain('削除済み / deleted');
    expect(text).toContain('元の投稿は受信できませんでした');
    expect(JSON.stringify(threadCard(view([])))).toContain('まだ返信がありません');
  });

  it('fits in a card however long the thread, keeping the newest and saying how many it left out', () => {
    const card = threadCard(view(Array.from({ length: 60 }, (_, i) => message(i, { text: 'あ'.repeat(3_000) }))));
    const text = JSON.stringify(card);
    expect(text.length).toBeLessThanOrEqual(CARD_MAX_CHARS);
    expect(text).toContain('2026/04/01 09:59 JST');
    expect(text).not.toContain('2026/04/01 09:00 JST');
    expect(text).toMatch(/古い \d+ 件は表示していません/);
  });
});
