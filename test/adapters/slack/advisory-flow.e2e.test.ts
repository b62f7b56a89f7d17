/**
 * End to end through the real Bolt HTTP endpoint: signed slash commands, view submissions and
 * button presses, real BullMQ workers on Redis, the embedded store, a fake Slack Web API.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADVISORY_MODAL_CALLBACK } from '../../../adapters/slack/advisory-modal.js';
import { ACK_ACTION_ID } from '../../../adapters/slack/advisory-blocks.js';
import { startHarness, type Harness } from '../../support/bot-harness.js';
import { formValues, VALID_FORM, type FormFields } from '../../support/advisory-form.js';
import type { StoredMessage } from '../../support/fake-slack.js';

const SECRETARIAT = 'U0SEC00001';
const SECRETARIAT_CHANNEL = 'C0SEC00001';
const JMA = 'C0JMA00001';
const JDA = 'C0JDA00001';
const MEMBER_CHANNELS = 17;

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

let viewSeq = 0;
async function submit(fields: FormFields, userId = SECRETARIAT) {
  return h.slack.viewSubmission({ userId, userName: '事務局 担当A', viewId: `V${Date.now()}${viewSeq++}`, callbackId: ADVISORY_MODAL_CALLBACK, values: formValues(fields) });
}

/** The advisory posts whose (escaped) fallback text carries this marker, across channels. */
function postsTitled(marker: string): StoredMessage[] {
  const channels = new Set(h.fake.callsTo('chat.postMessage').map((c) => String(c.params['channel'] ?? '')));
  return [...channels].flatMap((ch) => h.fake.messages(ch).filter((m) => m.text.includes(marker)));
}

async function issue(fields: FormFields, expectedPosts: number): Promise<{ advisoryId: string; posts: StoredMessage[] }> {
  const res = await submit(fields);
  expect(res.status).toBe(200);
  const posts = await h.fake.waitFor(() => {
    const p = postsTitled(fields.title!.split(' <')[0]!).filter((m) => m.metadata?.event_type === 'ceptoar_post' && m.metadata?.event_payload['kind'] === 'advisory');
    return p.length >= expectedPosts && p;
  }, { timeoutMs: 15_000, description: `${expectedPosts} posts of "${fields.title}"` });
  return { advisoryId: String(posts[0]!.metadata!.event_payload['advisory_id']), posts };
}

/** Every text Slack would parse for mentions: the fallback text and every mrkdwn object. */
function mrkdwnTexts(m: StoredMessage): string[] {
  const out: string[] = [m.text];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if (o['type'] === 'mrkdwn' && typeof o['text'] === 'string') out.push(o['text']);
      if (typeof o['fallback'] === 'string') out.push(o['fallback']);
      Object.values(o).forEach(walk);
    }
  };
  walk(m.blocks);
  walk(m.attachments);
  return out;
}

function deliveryIdOf(m: StoredMessage): string {
  return String(m.metadata!.event_payload['delivery_id']);
}

describe('/advisory from Slack', () => {
  it('refuses a non-secretariat user with an ephemeral message and opens no form', async () => {
    const res = await h.slack.command({ text: '', userId: 'U0JMA00001', responseUrl: h.fake.responseUrl('refuse') });
    expect(res.status).toBe(200);
    const [reply] = await h.fake.waitFor(() => h.fake.responses('refuse').length > 0 && h.fake.responses('refuse'));
    expect(reply).toMatchObject({ response_type: 'ephemeral' });
    expect(JSON.stringify(reply)).toContain('事務局のみ');
    expect(h.fake.callsTo('views.open')).toHaveLength(0);
  });

  it('opens the modal for the secretariat', async () => {
    await h.slack.command({ text: '', userId: SECRETARIAT, responseUrl: h.fake.responseUrl('open') });
    const call = await h.fake.waitFor(() => h.fake.callsTo('views.open')[0]);
    const view = call.params['view'] as { callback_id: string; blocks: unknown[] };
    expect(view.callback_id).toBe(ADVISORY_MODAL_CALLBACK);
    expect(JSON.stringify(view.blocks)).toContain('公益社団法人 日本医師会');
  });

  it('returns every invalid field to the modal at once and issues nothing', async () => {
    const before = h.fake.callsTo('chat.postMessage').length;
    const res = await submit({ ...VALID_FORM, title: '', tlp: undefined, allMembers: false });
    expect(res.status).toBe(200);
    const body = res.json as { response_action: string; errors: Record<string, string> };
    expect(body.response_action).toBe('errors');
    expect(Object.keys(body.errors).sort()).toEqual(['targets', 'title', 'tlp']);
    expect(h.fake.callsTo('chat.postMessage')).toHaveLength(before);
  });

  it('posts to every member channel with a button, escapes mentions, and tells the secretariat', async () => {
    const title = 'E2E 配信テスト <!channel>';
    const { advisoryId, posts } = await issue({ ...VALID_FORM, title, body: 'ping <!here> and <@U0JMA00001> & co @channel' }, MEMBER_CHANNELS);
    expect(advisoryId).toMatch(/^ADV-\d{4}-\d{4}$/);
    const channels = new Set(posts.map((p) => p.channel));
    expect(channels.size).toBe(MEMBER_CHANNELS);
    expect(channels.has('C0JAHIS001')).toBe(false); // the observer is not a member
    const jma = posts.find((p) => p.channel === JMA)!;
    const raw = JSON.stringify(jma);
    expect(jma.text.startsWith('[TLP:AMBER]')).toBe(true);
    // Slack parses mentions only in mrkdwn and in the notification text; plain_text (the header) is inert.
    for (const text of mrkdwnTexts(jma)) {
      expect(text).not.toMatch(/<[!@#]/);
      expect(text).not.toMatch(/@channel/);
    }
    expect(raw).toContain('&lt;!here&gt;');
    expect(raw).toContain('&lt;@U0JMA00001&gt;');
    expect(raw).toContain(ACK_ACTION_ID);
    const notice = await h.fake.waitFor(() => h.fake.messages(SECRETARIAT_CHANNEL).find((m) => JSON.stringify(m).includes(advisoryId)));
    expect(JSON.stringify(notice)).toContain(String(MEMBER_CHANNELS));
  });

  it('records the first acknowledgement once, updates the message, and keeps later people as also seen', async () => {
    const title = 'E2E 受領確認テスト';
    const { advisoryId, posts } = await issue({ ...VALID_FORM, title }, MEMBER_CHANNELS);
    const jma = posts.find((p) => p.channel === JMA)!;
    const press = (userId: string, userName: string, name: string) =>
      h.slack.buttonPress({ userId, userName, channelId: JMA, messageTs: jma.ts, actionId: ACK_ACTION_ID, value: deliveryIdOf(jma), responseUrl: h.fake.responseUrl(name) });

    expect((await press('U0JMA00001', 'sato', 'ack1')).status).toBe(200);
    await h.fake.waitFor(() => h.fake.messages(JMA).find((m) => m.ts === jma.ts && m.edited && JSON.stringify(m).includes('sato')));
    const updated = h.fake.messages(JMA).find((m) => m.ts === jma.ts)!;
    expect(JSON.stringify(updated)).not.toContain(ACK_ACTION_ID); // no button once acknowledged
    expect(JSON.stringify(updated)).toContain('受領確認');

    // The same person again: nothing new, told it is already done.
    const updatesBefore = h.fake.callsTo('chat.update').filter((c) => c.params['ts'] === jma.ts).length;
    await press('U0JMA00001', 'sato', 'ack2');
    const [again] = await h.fake.waitFor(() => h.fake.responses('ack2').length > 0 && h.fake.responses('ack2'));
    expect(JSON.stringify(again)).toContain('既に受領確認済み');

    // Someone else: kept as also seen by, the first stays first.
    await press('U0JMA00002', 'suzuki', 'ack3');
    await h.fake.waitFor(() => JSON.stringify(h.fake.messages(JMA).find((m) => m.ts === jma.ts)).includes('suzuki'));
    const final = JSON.stringify(h.fake.messages(JMA).find((m) => m.ts === jma.ts));
    expect(final.indexOf('sato')).toBeLessThan(final.indexOf('suzuki'));
    expect(h.fake.callsTo('chat.update').filter((c) => c.params['ts'] === jma.ts).length).toBe(updatesBefore + 1);

    const status = await h.bot.core.statusOf({ platform: 'slack', userId: SECRETARIAT }, advisoryId);
    expect(status.counts.acknowledged).toBe(1);
    expect(status.rows.find((r) => r.memberId === 'jma')).toMatchObject({ state: 'acknowledged', acknowledgedBy: 'sato', via: 'button' });
  });

  it("refuses a press that claims another member's delivery", async () => {
    const title = 'E2E なりすましテスト';
    const { advisoryId, posts } = await issue({ ...VALID_FORM, title }, MEMBER_CHANNELS);
    const jma = posts.find((p) => p.channel === JMA)!;
    const jda = posts.find((p) => p.channel === JDA)!;
    // Pressed in JDA's channel on JDA's message, but the value names JMA's delivery.
    await h.slack.buttonPress({ userId: 'U0JDA00001', channelId: JDA, messageTs: jda.ts, actionId: ACK_ACTION_ID, value: deliveryIdOf(jma), responseUrl: h.fake.responseUrl('forged') });
    const [reply] = await h.fake.waitFor(() => h.fake.responses('forged').length > 0 && h.fake.responses('forged'));
    expect(JSON.stringify(reply)).toContain('このボタンはこのチャンネルの配信に対応していません');
    // A press on a message that is no delivery at all (someone else's ts in this channel).
    await h.slack.buttonPress({ userId: 'U0JDA00001', channelId: JDA, messageTs: jma.ts, actionId: ACK_ACTION_ID, value: deliveryIdOf(jma), responseUrl: h.fake.responseUrl('nomsg') });
    await h.fake.waitFor(() => h.fake.responses('nomsg').length > 0);
    const status = await h.bot.core.statusOf({ platform: 'slack', userId: SECRETARIAT }, advisoryId);
    expect(status.counts.acknowledged).toBe(0);
  });

  it('rejects a bad signature and a stale timestamp before anything happens', async () => {
    const before = h.fake.calls.length;
    const bad = await h.slack.command({ text: '', userId: SECRETARIAT, responseUrl: h.fake.responseUrl('bad') }, { secret: 'wrong-secret' });
    expect(bad.status).toBe(401);
    const stale = await h.slack.command({ text: '', userId: SECRETARIAT, responseUrl: h.fake.responseUrl('stale') }, { timestamp: Math.floor(Date.now() / 1000) - 10 * 60 });
    expect(stale.status).toBe(401);
    expect(h.fake.calls.length).toBe(before);
  });

  it('answers /advisory status with per-member state and counts', async () => {
    const title = 'E2E 状況テスト';
    const { advisoryId } = await issue({ ...VALID_FORM, title, allMembers: false, groups: ['shishikai'] }, 4);
    await h.slack.command({ text: `status ${advisoryId.toLowerCase()}`, userId: SECRETARIAT, responseUrl: h.fake.responseUrl('status') });
    const [reply] = await h.fake.waitFor(() => h.fake.responses('status').length > 0 && h.fake.responses('status'));
    const text = JSON.stringify(reply);
    expect(reply).toMatchObject({ response_type: 'ephemeral' });
    expect(text).toContain(advisoryId);
    expect(text).toContain('公益社団法人 日本医師会');
    expect(text).not.toContain('全日本病院協会'); // not in the 四師会 group

    await h.slack.command({ text: 'status ADV-1999-9999', userId: SECRETARIAT, responseUrl: h.fake.responseUrl('status404') });
    const [missing] = await h.fake.waitFor(() => h.fake.responses('status404').length > 0 && h.fake.responses('status404'));
    expect(JSON.stringify(missing)).toContain('見つかりません');

    await h.slack.command({ text: `status ${advisoryId}`, userId: 'U0JMA00001', responseUrl: h.fake.responseUrl('status403') });
    const [refused] = await h.fake.waitFor(() => h.fake.responses('status403').length > 0 && h.fake.responses('status403'));
    expect(JSON.stringify(refused)).toContain('事務局のみ');
  });
});
