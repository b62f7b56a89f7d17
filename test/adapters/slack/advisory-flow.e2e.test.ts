/**
 * End to end through the real Bolt HTTP endpoint: signed slash commands, view submissions and
 * button presses, real BullMQ workers on Redis, the embedded store, a fake Slack Web API.
 * Every test issues the advisory it needs; the harness (bot, fakes, Redis prefix) is shared.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADVISORY_MODAL_CALLBACK } from '../../../adapters/slack/advisory-modal.js';
import { ACK_ACTION_ID } from '../../../adapters/slack/advisory-blocks.js';
import { CT } from '../../../src/i18n/chat-text.js';
import { both, ERROR_TEXT, STATE_TEXT, T } from '../../../src/i18n/text.js';
import type { SqliteStore } from '../../../src/store/sqlite/sqlite-store.js';
import { REDIS_URL, startHarness, type Harness } from '../../support/bot-harness.js';
import { formValues, VALID_FORM, type FormFields } from '../../support/advisory-form.js';
import type { StoredMessage } from '../../support/fake-slack.js';
import { watchQueues, type QueueWatch } from '../../support/queue-watch.js';
import { blocksOf, sectionFields, sectionLines } from '../../support/slack-read.js';
import { advisoryIdsMentioning, openStoreReader } from '../../support/store-reader.js';

const SECRETARIAT = 'U0SEC00001';
const SECRETARIAT_CHANNEL = 'C0SEC00001';
const JMA = 'C0JMA00001';
const JDA = 'C0JDA00001';
const MEMBER_CHANNELS = 17;

let h: Harness;
let queues: QueueWatch;
let store: SqliteStore;
beforeAll(async () => {
  h = await startHarness();
  queues = watchQueues(REDIS_URL, h.prefix);
  store = openStoreReader(h.dataDir);
});
afterAll(async () => {
  await store?.close();
  await queues?.close();
  await h?.close();
});

let viewSeq = 0;
async function submit(fields: FormFields, userId = SECRETARIAT) {
  return h.slack.viewSubmission({ userId, userName: '事務局 担当A', viewId: `V${Date.now()}${viewSeq++}`, callbackId: ADVISORY_MODAL_CALLBACK, values: formValues(fields) });
}

/** The advisory posts whose (escaped) fallback text carries this marker, across channels. */
function postsTitled(marker: string): StoredMessage[] {
  const channels = new Set(h.fake.callsTo('chat.postMessage').map((c) => String(c.params['channel'] ?? '')));
  return [...channels].flatMap((ch) =>
    h.fake.messages(ch).filter((m) => m.text.includes(marker) && m.metadata?.event_type === 'ceptoar_post' && m.metadata?.event_payload['kind'] === 'advisory'),
  );
}

/** Issue through the modal, wait for the posts, then for every job to finish (so nothing more is coming). */
async function issue(fields: FormFields, expectedPosts: number): Promise<{ advisoryId: string; posts: StoredMessage[] }> {
  const res = await submit(fields);
  expect(res.status).toBe(200);
  const marker = fields.title!.split(' <')[0]!;
  const first = await h.fake.waitFor(() => {
    const p = postsTitled(marker);
    return p.length >= expectedPosts && p;
  }, { timeoutMs: 15_000, description: `${expectedPosts} posts of "${fields.title}"` });
  await queues.waitIdle({ description: `fan-out of "${fields.title}"` });
  return { advisoryId: String(first[0]!.metadata!.event_payload['advisory_id']), posts: postsTitled(marker) };
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

/** The one ephemeral answer posted to the named response URL. */
async function answer(name: string): Promise<{ text?: string; blocks?: unknown[]; response_type?: string }> {
  const [reply] = await h.fake.waitFor(() => h.fake.responses(name).length > 0 && h.fake.responses(name), { description: `answer "${name}"` });
  return reply as { text?: string; blocks?: unknown[]; response_type?: string };
}

const updatesOf = (channel: string, ts: string) => h.fake.callsTo('chat.update').filter((c) => c.params['channel'] === channel && c.params['ts'] === ts).length;

describe('/advisory from Slack', () => {
  it('refuses a non-secretariat user with an ephemeral message and opens no form', async () => {
    const opened = h.fake.callsTo('views.open').length;
    const res = await h.slack.command({ text: '', userId: 'U0JMA00001', responseUrl: h.fake.responseUrl('refuse') });
    expect(res.status).toBe(200);
    const reply = await answer('refuse');
    expect(reply.response_type).toBe('ephemeral');
    expect(reply.text).toContain(ERROR_TEXT['AUTH.NOT_SECRETARIAT'].ja);
    // The handler refuses instead of opening the form: once the refusal is here, no form comes.
    expect(h.fake.callsTo('views.open')).toHaveLength(opened);
  });

  it('opens the modal for the secretariat', async () => {
    const opened = h.fake.callsTo('views.open').length;
    await h.slack.command({ text: '', userId: SECRETARIAT, responseUrl: h.fake.responseUrl('open') });
    const call = await h.fake.waitFor(() => h.fake.callsTo('views.open')[opened]);
    const view = call.params['view'] as { callback_id: string; blocks: unknown[] };
    expect(view.callback_id).toBe(ADVISORY_MODAL_CALLBACK);
    expect(JSON.stringify(view.blocks)).toContain('公益社団法人 日本医師会');
    expect(h.fake.responses('open')).toEqual([]); // no error answer beside the form
  });

  it('returns every invalid field to the modal at once and issues nothing', async () => {
    const marker = `E2E-INVALID-${randomUUID()}`;
    const before = h.fake.callsTo('chat.postMessage').length;
    const res = await submit({ ...VALID_FORM, title: '', body: marker, tlp: undefined, allMembers: false });
    expect(res.status).toBe(200);
    const body = res.json as { response_action: string; errors: Record<string, string> };
    expect(body.response_action).toBe('errors');
    expect(Object.keys(body.errors).sort()).toEqual(['targets', 'title', 'tlp']);
    // Nothing stored, and once every job has run, nothing posted (not even the "issued" notice).
    expect(advisoryIdsMentioning(h.dataDir, marker)).toEqual([]);
    await queues.waitIdle();
    expect(h.fake.callsTo('chat.postMessage')).toHaveLength(before);
  });

  it('posts to every member channel with a button, escapes mentions, and tells the secretariat', async () => {
    const title = 'E2E 配信テスト <!channel>';
    const marker = `E2E-FANOUT-${randomUUID()}`;
    const { advisoryId, posts } = await issue({ ...VALID_FORM, title, body: `ping <!here> and <@U0JMA00001> & co @channel ${marker}` }, MEMBER_CHANNELS);
    expect(advisoryId).toMatch(/^ADV-\d{4}-\d{4}$/);
    expect(advisoryIdsMentioning(h.dataDir, marker)).toEqual([advisoryId]);
    // Every job has run: one post per member channel, none twice, none to the observer.
    expect(posts).toHaveLength(MEMBER_CHANNELS);
    const channels = new Set(posts.map((p) => p.channel));
    expect(channels.size).toBe(MEMBER_CHANNELS);
    expect(channels.has('C0JAHIS001')).toBe(false); // the observer is not a member
    // Each delivery recorded the very message it posted.
    const deliveries = await store.listDeliveries(advisoryId);
    expect(deliveries).toHaveLength(MEMBER_CHANNELS);
    for (const d of deliveries) {
      const post = posts.find((p) => p.channel === d.channel.channelId);
      expect(d.state).toBe('posted');
      expect(d.messages).toEqual([{ platform: 'slack', channelId: d.channel.channelId, messageId: post!.ts }]);
      expect(deliveryIdOf(post!)).toBe(d.id);
    }

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

    // The secretariat's notice says which advisory went out, and to how many channels.
    const notices = h.fake.messages(SECRETARIAT_CHANNEL).filter((m) => sectionFields(blocksOf(m))[both(CT.advisoryId)] === advisoryId);
    expect(notices).toHaveLength(1);
    expect(sectionFields(blocksOf(notices[0]))[both(CT.deliveries)]).toBe(String(MEMBER_CHANNELS));
  });

  it('records the first acknowledgement once, updates the message, and keeps later people as also seen', async () => {
    const title = 'E2E 受領確認テスト';
    const { advisoryId, posts } = await issue({ ...VALID_FORM, title, allMembers: false, members: ['jma'] }, 1);
    const jma = posts.find((p) => p.channel === JMA)!;
    const deliveryId = deliveryIdOf(jma);
    const press = (userId: string, userName: string, name: string) =>
      h.slack.buttonPress({ userId, userName, channelId: JMA, messageTs: jma.ts, actionId: ACK_ACTION_ID, value: deliveryId, responseUrl: h.fake.responseUrl(name) });
    const audit = async (action: string) => (await store.listAudit(advisoryId)).filter((a) => a.deliveryId === deliveryId && a.action === action);
    expect(updatesOf(JMA, jma.ts)).toBe(0);

    expect((await press('U0JMA00001', 'sato', 'ack1')).status).toBe(200);
    expect((await answer('ack1')).text).toContain(T.thanksAck.ja);
    await h.fake.waitFor(() => h.fake.messages(JMA).find((m) => m.ts === jma.ts && m.edited && JSON.stringify(m).includes('sato')));
    await queues.waitIdle();
    expect(updatesOf(JMA, jma.ts)).toBe(1);
    const updated = h.fake.messages(JMA).find((m) => m.ts === jma.ts)!;
    expect(JSON.stringify(updated)).not.toContain(ACK_ACTION_ID); // no button once acknowledged
    expect(JSON.stringify(updated)).toContain('受領確認');

    // The same person again: a repeat. Told who was first; nothing stored, audited or re-rendered.
    await press('U0JMA00001', 'sato', 'ack2');
    const again = (await answer('ack2')).text ?? '';
    expect(again).toContain(`${T.alreadyAcknowledged.ja}: sato`);
    await queues.waitIdle();
    expect(updatesOf(JMA, jma.ts)).toBe(1);
    expect(await audit('delivery.acknowledged')).toHaveLength(1);
    expect(await audit('delivery.seen')).toHaveLength(0);
    expect(await store.listAcknowledgements(deliveryId)).toHaveLength(1);

    // Someone else: kept as also seen by, the first stays first; one more update.
    await press('U0JMA00002', 'suzuki', 'ack3');
    expect((await answer('ack3')).text).toContain(`${T.alreadyAcknowledged.ja}: sato`);
    await h.fake.waitFor(() => JSON.stringify(h.fake.messages(JMA).find((m) => m.ts === jma.ts)).includes('suzuki'));
    await queues.waitIdle();
    const final = JSON.stringify(h.fake.messages(JMA).find((m) => m.ts === jma.ts));
    expect(final).toContain('sato');
    expect(final.indexOf('sato')).toBeLessThan(final.indexOf('suzuki'));
    expect(updatesOf(JMA, jma.ts)).toBe(2);
    expect(await audit('delivery.acknowledged')).toHaveLength(1);
    expect((await audit('delivery.seen')).map((a) => a.actor?.userId)).toEqual(['U0JMA00002']);

    const status = await h.bot.core.statusOf({ platform: 'slack', userId: SECRETARIAT }, advisoryId);
    expect(status.counts).toMatchObject({ total: 1, acknowledged: 1 });
    expect(status.rows.find((r) => r.memberId === 'jma')).toMatchObject({ state: 'acknowledged', acknowledgedBy: 'sato', via: 'button' });
  });

  it("refuses a press that claims another member's delivery", async () => {
    const title = 'E2E なりすましテスト';
    const { advisoryId, posts } = await issue({ ...VALID_FORM, title, allMembers: false, members: ['jma', 'jda'] }, 2);
    const jma = posts.find((p) => p.channel === JMA)!;
    const jda = posts.find((p) => p.channel === JDA)!;
    // Pressed in JDA's channel on JDA's message, but the value names JMA's delivery.
    await h.slack.buttonPress({ userId: 'U0JDA00001', channelId: JDA, messageTs: jda.ts, actionId: ACK_ACTION_ID, value: deliveryIdOf(jma), responseUrl: h.fake.responseUrl('forged') });
    expect((await answer('forged')).text).toContain(ERROR_TEXT['DELIVERY.NOT_YOURS'].ja);
    // A press on a message that is no delivery at all (someone else's ts in this channel).
    await h.slack.buttonPress({ userId: 'U0JDA00001', channelId: JDA, messageTs: jma.ts, actionId: ACK_ACTION_ID, value: deliveryIdOf(jma), responseUrl: h.fake.responseUrl('nomsg') });
    expect((await answer('nomsg')).text).toContain(ERROR_TEXT['DELIVERY.NOT_FOUND'].ja);
    const status = await h.bot.core.statusOf({ platform: 'slack', userId: SECRETARIAT }, advisoryId);
    expect(status.counts).toMatchObject({ total: 2, acknowledged: 0, posted: 2 });
    const audit = await store.listAudit(advisoryId);
    expect(audit.filter((a) => a.action === 'delivery.ack_refused').map((a) => [a.deliveryId, a.detail['claimedDeliveryId']])).toEqual([[deliveryIdOf(jda), deliveryIdOf(jma)]]);
    expect(audit.filter((a) => a.action === 'delivery.acknowledged' || a.action === 'delivery.seen')).toEqual([]);
  });

  it('rejects a bad signature and a stale timestamp before anything happens', async () => {
    const before = h.fake.calls.length;
    const bad = await h.slack.command({ text: '', userId: SECRETARIAT, responseUrl: h.fake.responseUrl('bad') }, { secret: 'wrong-secret' });
    expect(bad.status).toBe(401);
    const stale = await h.slack.command({ text: '', userId: SECRETARIAT, responseUrl: h.fake.responseUrl('stale') }, { timestamp: Math.floor(Date.now() / 1000) - 10 * 60 });
    expect(stale.status).toBe(401);
    // The same command, correctly signed, does reach the bot (it opens the form): the 401s were the signature.
    const good = await h.slack.command({ text: '', userId: SECRETARIAT, responseUrl: h.fake.responseUrl('good') });
    expect(good.status).toBe(200);
    await h.fake.waitFor(() => h.fake.calls.length > before);
    expect(h.fake.calls.slice(before).map((c) => c.method)).toEqual(['views.open']);
  });

  it('answers /advisory status with per-member state and counts', async () => {
    const title = 'E2E 状況テスト';
    const { advisoryId, posts } = await issue({ ...VALID_FORM, title, allMembers: false, groups: ['shishikai'] }, 4);
    const jma = posts.find((p) => p.channel === JMA)!;
    await h.slack.buttonPress({ userId: 'U0JMA00001', userName: 'sato', channelId: JMA, messageTs: jma.ts, actionId: ACK_ACTION_ID, value: deliveryIdOf(jma), responseUrl: h.fake.responseUrl('status-ack') });
    await answer('status-ack');

    await h.slack.command({ text: `status ${advisoryId.toLowerCase()}`, userId: SECRETARIAT, responseUrl: h.fake.responseUrl('status') });
    const reply = await answer('status');
    expect(reply.response_type).toBe('ephemeral');
    expect(reply.text).toContain(advisoryId);
    const counts = sectionFields(reply.blocks);
    expect(counts[both(CT.total)]).toBe('4');
    expect(counts[both(STATE_TEXT.acknowledged)]).toBe('1');
    expect(counts[both(STATE_TEXT.posted)]).toBe('3');
    expect(counts[both(STATE_TEXT.queued)]).toBe('0');
    expect(counts[both(STATE_TEXT.failed)]).toBe('0');
    // One line per member of 四師会, unacknowledged first, each with its state.
    const rows = sectionLines(reply.blocks);
    const rowOf = (ja: string) => rows.filter((l) => l.includes(ja));
    expect(rows).toHaveLength(4);
    expect(rowOf('公益社団法人 日本医師会')).toHaveLength(1);
    expect(rowOf('公益社団法人 日本医師会')[0]).toContain(both(STATE_TEXT.acknowledged));
    expect(rowOf('公益社団法人 日本医師会')[0]).toContain('sato');
    for (const member of ['公益社団法人 日本歯科医師会', '公益社団法人 日本薬剤師会', '公益社団法人 日本看護協会']) {
      expect(rowOf(member)).toHaveLength(1);
      expect(rowOf(member)[0]).toContain(both(STATE_TEXT.posted));
    }
    expect(rows.indexOf(rowOf('公益社団法人 日本医師会')[0]!)).toBe(3);
    expect(JSON.stringify(reply)).not.toContain('全日本病院協会'); // not in the 四師会 group

    await h.slack.command({ text: 'status ADV-1999-9999', userId: SECRETARIAT, responseUrl: h.fake.responseUrl('status404') });
    expect((await answer('status404')).text).toContain(ERROR_TEXT['ADVISORY.NOT_FOUND'].ja);

    await h.slack.command({ text: `status ${advisoryId}`, userId: 'U0JMA00001', responseUrl: h.fake.responseUrl('status403') });
    const refused = await answer('status403');
    expect(refused.text).toContain(ERROR_TEXT['AUTH.NOT_SECRETARIAT'].ja);
    expect(JSON.stringify(refused)).not.toContain('公益社団法人 日本歯科医師会');
  });
});
