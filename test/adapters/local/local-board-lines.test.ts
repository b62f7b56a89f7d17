/**
 * A page of the phone-task board as the local page receives it: the lines Slack and Teams show (the one shared
 * function) and the claim control's words, stored with the view when the core posts or edits the page.
 */
import { describe, expect, it } from 'vitest';
import { boardLines } from '../../../adapters/local/local-board-lines.js';
import { LocalChat } from '../../../adapters/local/local-chat.js';
import { localWorkspace, ONCALL_CHANNEL_ID } from '../../../adapters/local/local-directory.js';
import { LocalMessages } from '../../../adapters/local/local-messages.js';
import { loadDirectoryFile } from '../../../src/directory/load.js';
import { BT } from '../../../src/i18n/board-text.js';
import type { OutboundView } from '../../../src/ports/chat.js';
import { phoneBoardLines } from '../../../src/view/phone-board-lines.js';
import type { PhoneBoardRowView, PhoneBoardView } from '../../../src/view/views.js';

const row = (n: number, extra: Partial<PhoneBoardRowView> = {}): PhoneBoardRowView => ({
  taskId: `dlv-${n}.phone`,
  memberName: { ja: `構成員${n}`, en: `Member ${n}` },
  state: 'open',
  tried: 0,
  contacts: 2,
  dueAt: '2026-11-25T01:00:00.000Z',
  exhausted: false,
  ...extra,
});

const view: PhoneBoardView = {
  advisoryId: 'ADV-2026-0042',
  title: '電子カルテシステムの脆弱性について',
  tlp: 'TLP:AMBER',
  severity: 'level3',
  drill: false,
  page: 1,
  pages: 2,
  rows: [row(1), row(2, { state: 'claimed', claimedBy: '電話当番 A' }), row(3, { state: 'done', resolution: { kind: 'reached', by: '電話当番 B' } })],
  counts: { open: 1, claimed: 1, overdue: 0, reached: 1, acknowledged: 0, cancelled: 0 },
  closed: false,
  asOf: '2026-11-25T01:06:00.000Z',
};

describe('boardLines (a board page as the page receives it)', () => {
  it('the lines Slack and Teams show, and the claim words; nothing for any other message', () => {
    const l = boardLines({ kind: 'phone_board', view });
    expect(l).toEqual({ ...phoneBoardLines(view), claim: BT.claim, claimPlaceholder: BT.claimPlaceholder });
    // What the page relies on: only the open row can be claimed; the counts on page 1; every row with its mark.
    expect(l?.claimable.map((r) => r.taskId)).toEqual(['dlv-1.phone']);
    expect(l?.rows.map((r) => r.mark)).toEqual(['⚪', '📞', '✅']);
    expect(l?.page).toEqual({ ja: 'ページ 1/2', en: 'page 1 of 2' });
    expect(l?.counts?.ja).toContain('未着手 1');
    expect(boardLines({ kind: 'phone_board', view: { ...view, closed: true } })?.claimable).toEqual([]);
    const notice: OutboundView = { kind: 'notice', view: { kind: 'delivery_failed', advisoryId: 'A', title: 't', tlp: 'TLP:GREEN', drill: false, memberName: { ja: 'x', en: 'x' }, reason: 'r' } };
    expect(boardLines(notice)).toBeUndefined();
  });

  it('LocalChat stores the lines with the page when the core posts it and when it edits it', async () => {
    const file = await loadDirectoryFile('config/members.example.yaml');
    const ws = localWorkspace(file);
    const messages = new LocalMessages(':memory:');
    const chat = new LocalChat({ messages, users: ws.users, channels: ws.channels });
    try {
      const ref = await chat.post({ workspaceId: 'local', channelId: ONCALL_CHANNEL_ID }, { kind: 'phone_board', view }, 'ADV-2026-0042.board.p1');
      const posted = chat.message(ref.messageId);
      expect(posted?.body).toMatchObject({ kind: 'phone_board', view, board: { claim: BT.claim } });
      if (posted?.body.kind !== 'phone_board') throw new Error('not a board page');
      expect(posted.body.board?.rows).toHaveLength(3);
      const claimedAll = { ...view, rows: view.rows.map((r) => (r.state === 'open' ? { ...r, state: 'claimed' as const, claimedBy: '電話当番 B' } : r)) };
      await chat.update(ref, { kind: 'phone_board', view: claimedAll }, 'ADV-2026-0042.board.p1');
      const edited = chat.message(ref.messageId);
      if (edited?.body.kind !== 'phone_board') throw new Error('not a board page');
      expect(edited.body.board?.claimable).toEqual([]);
      expect(edited.body.board?.note).toEqual(BT.nothingToClaim);
    } finally {
      chat.close();
      messages.close();
    }
  });
});
