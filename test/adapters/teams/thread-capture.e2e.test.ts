/**
 * Members' replies on Teams, end to end: activities as Teams sends them to /api/messages (a reply in the
 * thread of the bot's channel post, its edit and deletion; a reply in a TLP:RED 1:1 chat) are recorded once;
 * commands, card submissions and posts outside the bot's threads are not; the secretariat reads the replies
 * in the status card and the whole thread with `advisory thread`.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Harness } from '../../support/bot-harness.js';
import type { StoredActivity } from '../../support/fake-bot-connector.js';
import { ISSUE_INPUT } from '../../support/core-fixture.js';
import { TEAMS, TEAMS_JDA_CONTACT, TEAMS_SECRETARIAT } from '../../support/mixed-directory.js';
import type { QueueWatch } from '../../support/queue-watch.js';
import { adaptiveCardOf } from '../../support/teams-activities.js';
import { startTeamsE2e, type TeamsE2e } from '../../support/teams-e2e.js';
import type { SqliteStore } from '../../../src/store/sqlite/sqlite-store.js';

const SECRETARIAT = { id: '29:sec', aadObjectId: TEAMS_SECRETARIAT, name: '事務局 Teams 担当' };
const ACTOR = { platform: 'teams' as const, userId: TEAMS_SECRETARIAT, name: SECRETARIAT.name };
const MEMBER = { id: '29:jda-1', aadObjectId: TEAMS_JDA_CONTACT, name: '歯科 担当' };
const CHANNEL = TEAMS.jda.channel;

let e2e: TeamsE2e;
let h: Harness;
let queues: QueueWatch;
let store: SqliteStore;
beforeAll(async () => {
  e2e = await startTeamsE2e();
  ({ h, queues, store } = e2e);
});
afterAll(() => e2e?.close());

const card = adaptiveCardOf;
const minutesFromNow = (n: number) => new Date(Date.now() + n * 60_000).toISOString();

/** Issue to jda (a Teams channel in the mixed directory) and wait for the channel post. */
async function issued(marker: string, tlp: 'TLP:AMBER' | 'TLP:RED' = 'TLP:AMBER'): Promise<{ id: string; post: StoredActivity; conversation: string }> {
  const { advisory } = await h.bot.core.issueAdvisory({
    actor: ACTOR,
    requestKey: `teams-threads-${randomUUID()}`,
    input: { ...ISSUE_INPUT, tlp, title: `Teams スレッド ${marker}`, targets: { allMembers: false, observers: false, groups: [], members: ['jda'] } },
  });
  await queues.waitIdle({ description: 'the fan-out', timeoutMs: 20_000 });
  const delivery = (await store.listDeliveries(advisory.id))[0]!;
  const ref = delivery.messages[0]!;
  const post = h.connector!.activities(ref.channelId).find((a) => a.id === ref.messageId)!;
  expect(JSON.stringify(card(post) ?? {})).toContain(marker);
  return { id: advisory.id, post, conversation: ref.channelId };
}

/** What the bot answered to a message activity with this id. */
async function answerTo(activityId: string): Promise<unknown> {
  const reply = await h.connector!.waitFor((calls) => calls.find((c) => c.operation === 'replyToActivity' && c.activityId === activityId), { description: `the answer to ${activityId}` });
  return reply.body;
}

const record = (conversation: string, id: string) => store.getThreadMessage({ platform: 'teams', channelId: conversation, messageId: id });

describe('thread capture on Teams', () => {
  it('records a reply in the thread of the channel post once, and nothing of commands, card submissions or other posts', async () => {
    const { id, post } = await issued(`once-${randomUUID()}`);
    const replyId = `1775${Date.now()}`;
    const at = minutesFromNow(0);
    const res = await h.teams!.threadReply(CHANNEL, post.id, MEMBER, '当院では該当機器なし', { team: TEAMS.jda.team, id: replyId, timestamp: at });
    expect(res.status).toBe(200);
    // Handled within the request: the record is there when Teams has its answer.
    expect(await record(CHANNEL, replyId)).toMatchObject({
      advisoryId: id,
      memberId: 'jda',
      rootId: post.id,
      author: { platform: 'teams', userId: TEAMS_JDA_CONTACT, name: '歯科 担当' },
      text: '当院では該当機器なし',
      at,
    });
    // Teams delivers it again.
    expect((await h.teams!.threadReply(CHANNEL, post.id, MEMBER, '当院では該当機器なし', { team: TEAMS.jda.team, id: replyId, timestamp: at })).status).toBe(200);

    // A command typed in the thread stays a command (answered, not recorded).
    const commandId = `cmd-${randomUUID()}`;
    await h.teams!.threadReply(CHANNEL, post.id, MEMBER, `advisory status ${id}`, { team: TEAMS.jda.team, id: commandId });
    expect(JSON.stringify(await answerTo(commandId))).toContain('事務局');
    // A card's Action.Submit arrives as a message with a value.
    const submitId = `submit-${randomUUID()}`;
    await h.teams!.send({ ...h.teams!.base(`${CHANNEL};messageid=${post.id}`, MEMBER, TEAMS.jda.team), id: submitId, type: 'message', value: { any: 'thing' } });
    // A new post in the channel (the root of its own thread), and a message in a thread that is not the bot's.
    const topId = `top-${randomUUID()}`;
    await h.teams!.send({ ...h.teams!.base(`${CHANNEL};messageid=${topId}`, MEMBER, TEAMS.jda.team), id: topId, type: 'message', text: 'チャンネルへの投稿' });
    const otherId = `other-${randomUUID()}`;
    await h.teams!.threadReply(CHANNEL, topId, MEMBER, '雑談への返信', { team: TEAMS.jda.team, id: otherId });

    expect((await store.listThreadMessages({ advisoryId: id })).map((m) => m.messageId)).toEqual([replyId]);
    for (const other of [commandId, submitId, topId, otherId]) expect(await record(CHANNEL, other)).toBeNull();
    const audit = (await store.listAudit(id)).filter((e) => e.action.startsWith('thread.'));
    expect(audit.map((e) => [e.action, e.actor?.userId])).toEqual([['thread.message_recorded', TEAMS_JDA_CONTACT]]);
  });

  it('records an edit once and a deletion as a mark, from messageUpdate and messageDelete', async () => {
    const { id, post } = await issued(`edit-${randomUUID()}`);
    const replyId = `1776${Date.now()}`;
    const thread = `${CHANNEL};messageid=${post.id}`;
    await h.teams!.threadReply(CHANNEL, post.id, MEMBER, '確認中です', { team: TEAMS.jda.team, id: replyId, timestamp: minutesFromNow(0) });
    const editedAt = minutesFromNow(1);
    for (let i = 0; i < 2; i++) {
      const res = await h.teams!.messageEvent('edit', thread, MEMBER, { id: replyId, text: '影響なしを確認しました', timestamp: editedAt, team: TEAMS.jda.team });
      expect(res.status).toBe(200);
    }
    expect((await record(CHANNEL, replyId))!.edits).toMatchObject([{ id: editedAt, at: editedAt, text: '影響なしを確認しました' }]);
    const deletedAt = minutesFromNow(2);
    await h.teams!.messageEvent('delete', thread, MEMBER, { id: replyId, timestamp: deletedAt, team: TEAMS.jda.team });
    expect(await record(CHANNEL, replyId)).toMatchObject({ text: '確認中です', deleted: { at: deletedAt }, version: 3 });
    expect((await store.listAudit(id)).filter((e) => e.action.startsWith('thread.')).map((e) => e.action)).toEqual([
      'thread.message_recorded',
      'thread.message_edited',
      'thread.message_deleted',
    ]);
  });

  it('records a reply to a TLP:RED 1:1 message that answers it, and not a message that answers nothing', async () => {
    const { id, post, conversation } = await issued(`red-${randomUUID()}`, 'TLP:RED');
    expect(conversation.startsWith('a:')).toBe(true);
    const replyId = `1777${Date.now()}`;
    await h.teams!.chatReply(conversation, MEMBER, '受領しました', { replyToId: post.id, id: replyId, timestamp: minutesFromNow(0) });
    const loose = `loose-${randomUUID()}`;
    await h.teams!.chatReply(conversation, MEMBER, 'こんにちは', { id: loose });
    expect((await store.listThreadMessages({ advisoryId: id })).map((m) => [m.messageId, m.text])).toEqual([[replyId, '受領しました']]);
    expect(await record(conversation, loose)).toBeNull();
  });

  it('the secretariat reads the replies in the status card and the whole thread with `advisory thread`', async () => {
    const { id, post } = await issued(`status-${randomUUID()}`);
    await h.teams!.threadReply(CHANNEL, post.id, MEMBER, '影響なしでした\n詳細は追って', { team: TEAMS.jda.team, id: `1778${Date.now()}`, timestamp: minutesFromNow(0) });
    const typed = async (text: string, from = SECRETARIAT) => {
      const activityId = `act-${randomUUID()}`;
      await h.teams!.send({ ...h.teams!.base(TEAMS.secretariat.channel, from, TEAMS.secretariat.team), id: activityId, type: 'message', text });
      return answerTo(activityId);
    };
    const status = JSON.stringify(card(await typed(`advisory status ${id}`)));
    expect(status).toContain('返信 1 件 / 1 reply');
    expect(status).toContain('影響なしでした');
    expect(status).toContain(`advisory thread ${id} jda`);
    const thread = JSON.stringify(card(await typed(`advisory thread ${id} jda`)));
    expect(thread).toContain('影響なしでした');
    expect(thread).toContain('詳細は追って');
    expect(thread).toContain('歯科 担当');
    // Without arguments: how to use it. Not of the secretariat: refused.
    expect(JSON.stringify(await typed('advisory thread'))).toContain('advisory thread ADV-2026-0001');
    const refused = JSON.stringify(await typed(`advisory thread ${id} jda`, { ...MEMBER, id: '29:jda-2' }));
    expect(refused).toContain('事務局');
    expect(refused).not.toContain('影響なし');
  });
});
