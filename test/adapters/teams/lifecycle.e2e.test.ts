/**
 * An advisory's life after issue on Teams, end to end: commands typed to the bot answer with each form as a
 * card (no dialog), Action.Execute presses run the core's command, and real BullMQ workers on Redis reply in
 * the thread of each channel post and edit the posts on the fake Bot Connector.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Harness } from '../../support/bot-harness.js';
import type { StoredActivity } from '../../support/fake-bot-connector.js';
import { ISSUE_INPUT } from '../../support/core-fixture.js';
import { TEAMS, TEAMS_JDA_CONTACT, TEAMS_SECRETARIAT } from '../../support/mixed-directory.js';
import type { QueueWatch } from '../../support/queue-watch.js';
import { adaptiveCardOf, answeredCard, executes } from '../../support/teams-activities.js';
import { startTeamsE2e, type TeamsE2e } from '../../support/teams-e2e.js';

const SECRETARIAT = { id: '29:sec', aadObjectId: TEAMS_SECRETARIAT, name: '事務局 Teams 担当' };
const ACTOR = { platform: 'teams' as const, userId: TEAMS_SECRETARIAT, name: SECRETARIAT.name };

let e2e: TeamsE2e;
let h: Harness;
let queues: QueueWatch;
beforeAll(async () => {
  e2e = await startTeamsE2e();
  ({ h, queues } = e2e);
});
afterAll(() => e2e?.close());

const card = adaptiveCardOf;
const answered = answeredCard;

/** Issue to jda (a Teams member in the mixed directory) and wait for its channel post. */
async function issued(marker: string): Promise<{ id: string; post: StoredActivity }> {
  const { advisory } = await h.bot.core.issueAdvisory({
    actor: ACTOR,
    requestKey: `teams-lifecycle-${randomUUID()}`,
    input: { ...ISSUE_INPUT, title: `Teams 訂正 ${marker}`, targets: { allMembers: false, observers: false, groups: [], members: ['jda'] } },
  });
  const post = await h.connector!.waitFor(
    () => h.connector!.activities(TEAMS.jda.channel).find((a) => JSON.stringify(card(a) ?? {}).includes(marker)),
    { timeoutMs: 15_000, description: 'the channel post' },
  );
  await queues.waitIdle({ description: 'the fan-out' });
  return { id: advisory.id, post };
}

/** `advisory <sub> <id>` typed in the secretariat channel: the bot's reply (the form card). */
async function typed(text: string): Promise<unknown> {
  const id = `act-${randomUUID()}`;
  const res = await h.teams!.send({ ...h.teams!.base(TEAMS.secretariat.channel, SECRETARIAT, TEAMS.secretariat.team), id, type: 'message', text });
  expect(res.status).toBe(200);
  const reply = await h.connector!.waitFor((calls) => calls.find((c) => c.operation === 'replyToActivity' && c.activityId === id), { description: `reply to "${text}"` });
  return reply.body;
}

function press(data: Record<string, unknown>) {
  return h.teams!.execute(TEAMS.secretariat.channel, SECRETARIAT, 'advisory_lifecycle', data, `form-${randomUUID()}`, TEAMS.secretariat.team);
}

describe('lifecycle commands on Teams', () => {
  it('a follow-up is a reply in the thread of the channel post', async () => {
    const marker = `FU-${randomUUID()}`;
    const { id, post } = await issued(marker);
    const form = await typed(`advisory followup ${id}`);
    const [button] = executes(card(form));
    expect(button).toEqual({ verb: 'advisory_lifecycle', data: { kind: 'followup', advisoryId: id } });
    const res = await press({ ...button!.data, body: `続報本文 ${marker}` });
    expect(JSON.stringify(answered(res.body))).toContain(`${id} の続報`);
    const reply = await h.connector!.waitFor(
      () => h.connector!.activities(TEAMS.jda.channel).find((a) => a.conversationId === `${TEAMS.jda.channel};messageid=${post.id}` && JSON.stringify(card(a) ?? {}).includes(`続報本文 ${marker}`)),
      { timeoutMs: 15_000, description: 'the follow-up in the thread' },
    );
    expect(JSON.stringify(card(reply))).toContain('続報 1');
  });

  it('a follow-up asking for acknowledgement carries its own button in the thread; a press on it acknowledges round 2', async () => {
    const marker = `RD-${randomUUID()}`;
    const { id, post } = await issued(marker);
    const form = card(await typed(`advisory followup ${id}`));
    const ids = JSON.stringify(form);
    expect(ids).toContain('"id":"acknowledge"');
    expect(ids).toContain('"id":"ackDeadlineMinutes"');
    const [button] = executes(form);
    // Out of range: the form again, the problem under the minutes, what was entered kept.
    const again = answered((await press({ ...button!.data, body: `続報本文 ${marker}`, acknowledge: 'true', ackDeadlineMinutes: '0' })).body);
    expect(JSON.stringify(again)).toContain('"id":"ackDeadlineMinutes"');
    expect(JSON.stringify(again)).toContain('⚠️');
    expect(JSON.stringify(again)).toContain(`続報本文 ${marker}`);
    const res = await press({ ...button!.data, body: `続報本文 ${marker}`, acknowledge: 'true', ackDeadlineMinutes: '45' });
    expect(JSON.stringify(answered(res.body))).toContain(`${id} の続報`);
    const thread = `${TEAMS.jda.channel};messageid=${post.id}`;
    const reply = await h.connector!.waitFor(
      () => h.connector!.activities(TEAMS.jda.channel).find((a) => a.conversationId === thread && JSON.stringify(card(a) ?? {}).includes(`続報本文 ${marker}`)),
      { timeoutMs: 15_000, description: 'the follow-up in the thread' },
    );
    await queues.waitIdle({ description: 'the follow-up' });
    expect(JSON.stringify(card(reply))).toContain('受領確認をお願いします（期限');
    const [ack] = executes(card(reply)).filter((x) => x.verb === 'advisory_ack');
    expect(ack).toBeDefined();
    // The post points to the follow-up, without a button of its own.
    const root = () => h.connector!.activities(TEAMS.jda.channel).find((a) => a.id === post.id);
    await h.connector!.waitFor(() => JSON.stringify(card(root()) ?? {}).includes('受領確認は続報 #1 で行ってください'), { timeoutMs: 15_000, description: 'the post pointing to the follow-up' });
    expect(executes(card(root()))).toEqual([]);

    // A member presses the follow-up's button: the invoke comes from the thread, replying to the follow-up.
    const staff = { id: '29:jda', aadObjectId: TEAMS_JDA_CONTACT, name: '歯科 担当' };
    const pressed = await h.teams!.execute(thread, staff, 'advisory_ack', ack!.data, reply.id, TEAMS.jda.team);
    expect(pressed.status).toBe(200);
    // Answered in words: the follow-up's card is not replaced by the advisory's.
    expect(pressed.body).toMatchObject({ type: 'application/vnd.microsoft.activity.message' });
    expect(String(answered(pressed.body))).toContain('受領確認を記録しました。');
    await h.connector!.waitFor(
      () => {
        const now = h.connector!.activities(TEAMS.jda.channel).find((a) => a.id === reply.id);
        return JSON.stringify(card(now) ?? {}).includes('歯科 担当') && now;
      },
      { timeoutMs: 15_000, description: 'the follow-up showing who acknowledged' },
    );
    await queues.waitIdle({ description: 'the refresh' });
    expect(executes(card(h.connector!.activities(TEAMS.jda.channel).find((a) => a.id === reply.id)))).toEqual([]);
    const [delivery] = await e2e.store.listDeliveries(id);
    expect(delivery).toMatchObject({ round: 2, state: 'acknowledged', acknowledged: { actor: { userId: TEAMS_JDA_CONTACT }, via: 'button' } });
    expect((await e2e.store.listAcknowledgements(delivery!.id)).map((a) => [a.actor.userId, a.round ?? 1])).toEqual([[TEAMS_JDA_CONTACT, 2]]);
  });

  it('a correction with nothing changed comes back as the form with the problem under the note; a real one edits the post', async () => {
    const marker = `CO-${randomUUID()}`;
    const { id, post } = await issued(marker);
    const [button] = executes(card(await typed(`advisory correct ${id}`)));
    const again = answered((await press({ ...button!.data, title: `Teams 訂正 ${marker}`, note: '同じ' })).body);
    expect(JSON.stringify(again)).toContain('訂正前と同じ内容です');
    expect(executes(again).map((x) => x.verb)).toEqual(['advisory_lifecycle']);
    await press({ ...button!.data, title: `Teams 訂正済み ${marker}`, note: '件名の誤字' });
    await h.connector!.waitFor(
      () => {
        const now = h.connector!.activities(TEAMS.jda.channel).find((a) => a.id === post.id);
        return JSON.stringify(card(now) ?? {}).includes('件名の誤字') && now;
      },
      { timeoutMs: 15_000, description: 'the corrected post' },
    );
  });

  it('a withdrawal replaces the post and takes its acknowledge button away', async () => {
    const marker = `WD-${randomUUID()}`;
    const { id, post } = await issued(marker);
    expect(executes(card(post)).map((x) => x.verb)).toContain('advisory_ack');
    const [button] = executes(card(await typed(`advisory withdraw ${id}`)));
    expect(JSON.stringify(answered((await press({ ...button!.data, reason: '' })).body))).toContain('取り下げの理由を入力してください');
    await press({ ...button!.data, reason: '重複配信' });
    const replaced = await h.connector!.waitFor(
      () => {
        const now = h.connector!.activities(TEAMS.jda.channel).find((a) => a.id === post.id);
        return JSON.stringify(card(now) ?? {}).includes('取り下げられました') && now;
      },
      { timeoutMs: 15_000, description: 'the withdrawn post' },
    );
    expect(executes(card(replaced))).toEqual([]);
    expect(JSON.stringify(card(replaced))).toContain('重複配信');
  });
});
