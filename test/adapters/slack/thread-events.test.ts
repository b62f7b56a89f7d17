/**
 * What a Slack message event means for the thread record (threadEventOf), and how a thread and the
 * status menu are drawn (thread-blocks.ts): within Slack's limits, with the member's text inert.
 */
import { describe, expect, it } from 'vitest';
import { slackTime, threadEventOf, type SlackMessageEvent } from '../../../adapters/slack/thread-events.js';
import { renderThread, threadMenu, THREAD_ACTION_ID } from '../../../adapters/slack/thread-blocks.js';
import type { ThreadMessageView, ThreadView } from '../../../src/view/thread-view.js';
import type { StatusRow } from '../../../src/view/views.js';

const SELF = { botId: 'B0BOT', botUserId: 'U0BOT' };
const C = 'C0JMA00001';
const ROOT = '1775034000.000100';
const reply = (over: Partial<SlackMessageEvent> = {}): SlackMessageEvent => ({ type: 'message', channel: C, user: 'U0JMA00001', text: '確認します', ts: '1775034060.000200', thread_ts: ROOT, ...over });

describe('threadEventOf', () => {
  it('reads a reply in a thread (plain, also sent to the channel, with a file, /me) as posted, at the ts', () => {
    for (const subtype of [undefined, 'thread_broadcast', 'file_share', 'me_message']) {
      expect(threadEventOf(reply({ subtype }), SELF)).toEqual({
        kind: 'posted',
        message: { platform: 'slack', channelId: C, messageId: '1775034060.000200' },
        root: { platform: 'slack', channelId: C, messageId: ROOT },
        author: { platform: 'slack', userId: 'U0JMA00001' },
        text: '確認します',
        at: '2026-04-01T09:01:00.000Z',
      });
    }
    expect(threadEventOf(reply({ text: undefined }), SELF)).toMatchObject({ text: '' });
    expect(slackTime('1775034060.999999')).toBe('2026-04-01T09:01:00.999Z');
  });

  it('skips what is not a person’s reply: a channel message, a thread’s root, the bot’s own, other subtypes, no author', () => {
    const skipped: SlackMessageEvent[] = [
      reply({ thread_ts: undefined }),
      reply({ thread_ts: '' }),
      reply({ ts: ROOT }),
      reply({ user: 'U0BOT' }),
      reply({ bot_id: 'B0BOT', user: 'U0SOMEONE' }),
      reply({ subtype: 'bot_message' }),
      reply({ subtype: 'channel_join' }),
      reply({ subtype: 'message_replied' }),
      reply({ user: undefined }),
    ];
    for (const e of skipped) expect(threadEventOf(e, SELF)).toBe('skip');
    // Another app's message is someone's too; only this bot's own are left out.
    expect(threadEventOf(reply({ bot_id: 'B0OTHER' }), SELF)).not.toBe('skip');
    // Without its own ids (Bolt did not learn them) nothing is mistaken for the bot's.
    expect(threadEventOf(reply({ user: 'U0BOT' }), {})).not.toBe('skip');
  });

  it('reads message_changed with an edit stamp as an edit (its ts is the edit’s id), and skips previews, root updates and the bot’s edits', () => {
    const changed = (message: Partial<SlackMessageEvent>, previous: Partial<SlackMessageEvent> | null = { text: '確認します' }): SlackMessageEvent => ({
      type: 'message',
      subtype: 'message_changed',
      channel: C,
      ts: '1775034300.000300',
      message: reply({ text: '影響なし', edited: { user: 'U0JMA00001', ts: '1775034240.000000' }, ...message }),
      previous_message: previous === null ? undefined : reply(previous),
    });
    expect(threadEventOf(changed({}), SELF)).toEqual({
      kind: 'edited',
      message: { platform: 'slack', channelId: C, messageId: '1775034060.000200' },
      root: { platform: 'slack', channelId: C, messageId: ROOT },
      author: { platform: 'slack', userId: 'U0JMA00001' },
      text: '影響なし',
      at: '2026-04-01T09:04:00.000Z',
      editId: '1775034240.000000',
      previous: { text: '確認します', at: '2026-04-01T09:01:00.000Z' },
    });
    expect(threadEventOf(changed({}, null), SELF)).toMatchObject({ kind: 'edited', previous: undefined });
    expect(threadEventOf(changed({}, { text: undefined }), SELF)).toMatchObject({ kind: 'edited', previous: undefined });
    expect(threadEventOf(changed({ text: undefined }), SELF)).toMatchObject({ kind: 'edited', text: '' });
    for (const skipped of [changed({ edited: undefined }), changed({ thread_ts: undefined }), changed({ user: 'U0BOT' }), { ...changed({}), message: undefined }]) {
      expect(threadEventOf(skipped, SELF)).toBe('skip');
    }
  });

  it('reads message_deleted of a reply as its deletion, with what it said; skips a root’s or the bot’s', () => {
    const deleted = (previous: Partial<SlackMessageEvent> | undefined, over: Partial<SlackMessageEvent> = {}): SlackMessageEvent => ({
      type: 'message',
      subtype: 'message_deleted',
      channel: C,
      ts: '1775034600.000400',
      event_ts: '1775034600.000400',
      deleted_ts: '1775034060.000200',
      previous_message: previous === undefined ? undefined : reply(previous),
      ...over,
    });
    expect(threadEventOf(deleted({}), SELF)).toEqual({
      kind: 'deleted',
      message: { platform: 'slack', channelId: C, messageId: '1775034060.000200' },
      root: { platform: 'slack', channelId: C, messageId: ROOT },
      author: { platform: 'slack', userId: 'U0JMA00001' },
      at: '2026-04-01T09:10:00.000Z',
      previous: { text: '確認します', at: '2026-04-01T09:01:00.000Z' },
    });
    // Slack names the deleted message in deleted_ts; the previous message's ts says the same when it is missing.
    expect(threadEventOf(deleted({}, { deleted_ts: undefined, event_ts: undefined }), SELF)).toMatchObject({ message: { messageId: '1775034060.000200' }, at: '2026-04-01T09:10:00.000Z' });
    expect(threadEventOf(deleted({ text: undefined }), SELF)).toMatchObject({ kind: 'deleted', previous: undefined });
    for (const skipped of [deleted(undefined), deleted({ thread_ts: undefined }), deleted({ bot_id: 'B0BOT' })]) expect(threadEventOf(skipped, SELF)).toBe('skip');
  });
});

const row = (memberId: string, replies: StatusRow['replies']): StatusRow => ({
  memberId,
  memberName: { ja: `${memberId} 会`, en: `${memberId} association` },
  platform: 'slack',
  deliveryId: `ADV-2026-0001.${memberId}.slack-C0${memberId}`,
  state: 'posted',
  ...(replies ? { replies } : {}),
});

describe('the status menu', () => {
  it('offers the members who wrote, most messages first, at most 100, and nothing when nobody did', () => {
    expect(threadMenu([row('jma', undefined)])).toBeUndefined();
    const rows = [row('a', { count: 1, deleted: 0 }), row('b', { count: 3, deleted: 1 }), row('c', undefined), row('d', { count: 0, deleted: 2 })];
    const menu = threadMenu(rows) as { type: string; elements: { action_id: string; options: { text: { text: string }; value: string }[] }[] };
    expect(menu.type).toBe('actions');
    expect(menu.elements[0]!.action_id).toBe(THREAD_ACTION_ID);
    expect(menu.elements[0]!.options.map((o) => [o.text.text, o.value])).toEqual([
      ['b 会 (4)', 'ADV-2026-0001.b.slack-C0b'],
      ['d 会 (2)', 'ADV-2026-0001.d.slack-C0d'],
      ['a 会 (1)', 'ADV-2026-0001.a.slack-C0a'],
    ]);
    const many = Array.from({ length: 150 }, (_, i) => row(`m${String(i).padStart(3, '0')}`, { count: 1, deleted: 0 }));
    const big = threadMenu(many) as { elements: { options: { text: { text: string } }[] }[] };
    expect(big.elements[0]!.options).toHaveLength(100);
    const long = threadMenu([{ ...row('x', { count: 1, deleted: 0 }), memberName: { ja: '長'.repeat(200), en: 'x' } }]) as { elements: { options: { text: { text: string } }[] }[] };
    expect(long.elements[0]!.options[0]!.text.text.length).toBeLessThanOrEqual(75);
  });
});

const message = (i: number, over: Partial<ThreadMessageView> = {}): ThreadMessageView => ({
  messageId: `m${i}`,
  deliveryId: 'd',
  by: '佐藤',
  at: new Date(Date.UTC(2026, 3, 1, 0, i)).toISOString(),
  text: `返信 ${i}`,
  missedOriginal: false,
  ...over,
});
const view = (messages: ThreadMessageView[]): ThreadView => ({
  advisoryId: 'ADV-2026-0001',
  title: 'VPN <!here>',
  tlp: 'TLP:AMBER',
  drill: false,
  memberId: 'jma',
  memberName: { ja: '日本医師会', en: 'JMA' },
  deliveryIds: ['d'],
  messages,
});

describe('renderThread', () => {
  it('shows each message quoted and escaped, with its edit, deletion and a missed original said', () => {
    const out = renderThread(
      view([
        message(1, { text: '<!channel> 確認\n二行目', edited: { at: '2026-04-01T00:05:00.000Z', earlier: [{ at: '2026-04-01T00:01:00.000Z', text: '最初 <@U1>' }, { at: '2026-04-01T00:02:00.000Z', text: '' }] } }),
        message(2, { deleted: { at: '2026-04-01T00:09:00.000Z' }, missedOriginal: true, text: '' }),
      ]),
    );
    const text = JSON.stringify(out.blocks);
    expect(out.text).toContain('[TLP:AMBER]');
    expect(text).toContain('>&lt;!channel&gt; 確認');
    expect(text).not.toContain('<!channel>');
    expect(text).not.toContain('<@U1>');
    expect(text).toContain('>二行目');
    expect(text).toContain('編集前 / before the edit');
    expect(text).toContain('削除済み / deleted');
    expect(text).toContain('元の投稿は受信できませんでした');
    // An empty earlier text is not shown as an empty quote.
    expect(text.match(/編集前/g)).toHaveLength(1);
    expect(JSON.stringify(renderThread(view([])).blocks)).toContain('まだ返信がありません');
  });

  it('stays within 50 blocks and 3,000 characters a section, newest kept, and says how many it left out', () => {
    const out = renderThread(view(Array.from({ length: 80 }, (_, i) => message(i, { text: 'あ'.repeat(5_000) }))));
    expect(out.blocks.length).toBeLessThanOrEqual(50);
    const texts = out.blocks.map((b) => JSON.stringify(b));
    expect(texts.some((t) => t.includes('古い 33 件は表示していません'))).toBe(true);
    for (const b of out.blocks) {
      const section = b as { type: string; text?: { text: string } };
      if (section.type === 'section') expect(section.text!.text.length).toBeLessThanOrEqual(3_000);
    }
    // The newest is the last block.
    expect(JSON.stringify(out.blocks.at(-1))).toContain('2026/04/01 10:19 JST');
  });
});
