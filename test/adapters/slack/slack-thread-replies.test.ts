/** SlackChat.threadReplies against the fake Slack Web API: people's replies in a thread, as Slack lists them. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSlackWebClient, SlackChat } from '../../../adapters/slack/slack-chat.js';
import { renderMessage } from '../../../adapters/slack/slack-blocks.js';
import { ChatError } from '../../../src/ports/chat.js';
import { anAdvisoryView } from '../../support/view-fixtures.js';
import { startFakeSlack, type FakeSlack } from '../../support/fake-slack.js';

const CHANNEL = 'C0THREAD01';
let fake: FakeSlack;
let chat: SlackChat;

beforeEach(async () => {
  fake = await startFakeSlack();
  chat = new SlackChat({ client: createSlackWebClient({ token: 'xoxb-test-token', slackApiUrl: fake.url, timeoutMs: 2_000 }), render: renderMessage });
});
afterEach(async () => {
  await fake.close();
});

describe('SlackChat.threadReplies', () => {
  it("lists people's replies in order with their edits, never the root nor a bot's message", async () => {
    const root = await chat.post({ workspaceId: fake.teamId, channelId: CHANNEL }, { kind: 'advisory', view: anAdvisoryView() }, 'k1');
    const first = fake.memberReply(CHANNEL, root.messageId, 'U0JMA00001', '確認中です').message;
    fake.memberEdit(CHANNEL, first.ts, '確認しました');
    const second = fake.memberReply(CHANNEL, root.messageId, 'U0JMA00077', '対応済み').message;
    // The bot's own follow-up in the same thread.
    await chat.post({ workspaceId: fake.teamId, channelId: CHANNEL, threadOf: root }, { kind: 'advisory', view: anAdvisoryView() }, 'k2');

    const replies = await chat.threadReplies(root, new Date(Date.now() - 60_000));
    expect(replies.map((r) => [r.message.messageId, r.author.userId, r.text, r.edited !== undefined])).toEqual([
      [first.ts, 'U0JMA00001', '確認しました', true],
      [second.ts, 'U0JMA00077', '対応済み', false],
    ]);
    expect(replies[0]?.at).toBe(new Date(Math.round(Number(first.ts) * 1000)).toISOString());
    expect(chat.capabilities.readThreads).toBe(true);
  });

  it('turns a refusal into a ChatError the job can wait out or give up on', async () => {
    const root = await chat.post({ workspaceId: fake.teamId, channelId: CHANNEL }, { kind: 'advisory', view: anAdvisoryView() }, 'k1');
    fake.failNext('conversations.replies', { retryAfterSec: 30 });
    const err = await chat.threadReplies(root, new Date(0)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ChatError);
    expect((err as ChatError).kind).toBe('rate_limited');
  });
});
