/**
 * End to end through the real Bolt HTTP endpoint: signed slash commands, view submissions and
 * button presses, real BullMQ workers on Redis, the embedded store, a fake Slack Web API.
 * Every test issues the advisory it needs; the harness (bot, fakes, Redis prefix) is shared.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADVISORY_MODAL_CALLBACK, BLOCK } from '../../../adapters/slack/advisory-modal.js';
import { ADVISORY_CONFIRM_CALLBACK, PREVIEW_BACK_ACTION } from '../../../adapters/slack/preview-blocks.js';
import { PREVIEW_TEXT } from '../../../src/i18n/preview-text.js';
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
const newViewId = () => `V${Date.now()}${viewSeq++}`;
/** Submit the form (its first step): the bot answers with the preview, or with errors. */
async function submit(fields: FormFields, userId = SECRETARIAT, viewId = newViewId()) {
  return h.slack.viewSubmission({ userId, userName: '事務局 担当A', viewId, callbackId: ADVISORY_MODAL_CALLBACK, values: formValues(fields) });
}

interface ViewAnswer {
  response_action?: string;
  errors?: Record<string, string>;
  view?: { callback_id?: string; private_metadata?: string; blocks: unknown[]; submit?: { text: string } };
}

/** Press Send on the preview: the same view (id), its metadata, and the entries as they are in its inputs. */
async function send(viewId: string, preview: ViewAnswer, fields: FormFields, userId = SECRETARIAT) {
  return h.slack.viewSubmission({
    userId,
    userName: '事務局 担当A',
    viewId,
    callbackId: ADVISORY_CONFIRM_CALLBACK,
    privateMetadata: preview.view?.private_metadata ?? '',
    values: formValues(fields),
  });
}

/** Form, preview, Send: as the secretariat issues. */
async function submitAndSend(fields: FormFields) {
  const viewId = newViewId();
  const first = await submit(fields, SECRETARIAT, viewId);
  expect(first.status).toBe(200);
  const preview = first.json as ViewAnswer;
  expect(preview.response_action).toBe('update');
  return send(viewId, preview, fields);
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
  const res = await submitAndSend(fields);
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

  it('answers the form with a preview and sends nothing until Send', async () => {
    const marker = `E2E-PREVIEW-${randomUUID()}`;
    const before = h.fake.calls.length;
    const fields = { ...VALID_FORM, title: `E2E 確認画面 ${marker}`, tlp: 'TLP:AMBER+STRICT', allMembers: false, members: ['jma'], observers: true };
    const viewId = newViewId();
    const res = await submit(fields, SECRETARIAT, viewId);
    expect(res.status).toBe(200);
    const preview = res.json as ViewAnswer;
    expect(preview.response_action).toBe('update');
    expect(preview.view?.callback_id).toBe(ADVISORY_CONFIRM_CALLBACK);
    expect(preview.view?.submit?.text).toBe(both(PREVIEW_TEXT.send));
    const lines = sectionLines(preview.view!.blocks);
    expect(lines).toContain('• 配信 2 件（2 団体） / 2 deliveries (2 organisations)');
    expect(lines).toContain('• Slack: チャンネルへの投稿 1 件（2 配信） / Slack: 1 channel post (2 deliveries)');
    // The observer's channel is shared outside its organisation: the preview says it will not be posted there.
    expect(lines.some((l) => l.startsWith('⚠️ ') && l.includes('保健医療福祉情報システム工業会') && l.includes('TLP:AMBER+STRICT'))).toBe(true);
    expect(JSON.stringify(preview.view)).toContain(marker);
    // Nothing stored, nothing queued; Slack was not called at all (the preview comes from the directory).
    expect(advisoryIdsMentioning(h.dataDir, marker)).toEqual([]);
    await queues.waitIdle();
    expect(h.fake.calls.slice(before)).toEqual([]);

    const sent = await send(viewId, preview, fields);
    expect(sent.status).toBe(200);
    expect(sent.text).toBe(''); // the modal closes
    await h.fake.waitFor(() => postsTitled(marker).length === 1, { timeoutMs: 15_000, description: 'the jma post' });
    const [id] = advisoryIdsMentioning(h.dataDir, marker);
    await queues.waitIdle();
    expect((await store.getAdvisory(id!))?.requestKey).toBe(`slack-view.${viewId}`);
    expect((await store.listDeliveries(id!)).map((d) => [d.memberId, d.state]).sort()).toEqual([
      ['jahis', 'failed'],
      ['jma', 'posted'],
    ]);

    // Send again (Slack retried, or a double click): the same view id issues nothing new.
    const again = await send(viewId, preview, fields);
    expect(again.status).toBe(200);
    await queues.waitIdle();
    expect(advisoryIdsMentioning(h.dataDir, marker)).toEqual([id]);
    expect(postsTitled(marker)).toHaveLength(1);
  });

  it('shows the preview again instead of sending when the entries or recipients changed since it was shown', async () => {
    const marker = `E2E-STALE-${randomUUID()}`;
    const fields = { ...VALID_FORM, title: `E2E 変更 ${marker}`, allMembers: false, members: ['jma'] };
    const viewId = newViewId();
    const preview = (await submit(fields, SECRETARIAT, viewId)).json as ViewAnswer;
    // The secretariat added a member in the entries under the preview, then pressed Send.
    const changed = { ...fields, members: ['jma', 'jda'] };
    const res = await send(viewId, preview, changed);
    const again = res.json as ViewAnswer;
    expect(again.response_action).toBe('update');
    expect(JSON.stringify(again.view?.blocks[0])).toContain(PREVIEW_TEXT.changed.ja);
    expect(sectionLines(again.view!.blocks)).toContain('• 配信 2 件（2 団体） / 2 deliveries (2 organisations)');
    expect(again.view?.private_metadata).not.toBe(preview.view?.private_metadata);
    // A preview that carries no digest at all is not sent either.
    expect(((await send(viewId, { view: { blocks: [], private_metadata: '' } }, changed)).json as ViewAnswer).response_action).toBe('update');
    await queues.waitIdle();
    expect(advisoryIdsMentioning(h.dataDir, marker)).toEqual([]);

    // Send on the new preview: sent, to both.
    expect((await send(viewId, again, changed)).status).toBe(200);
    await h.fake.waitFor(() => postsTitled(marker).length === 2, { timeoutMs: 15_000, description: 'two posts' });
  });

  it('puts problems found at Send on the fields, and sends nothing', async () => {
    const marker = `E2E-SEND-INVALID-${randomUUID()}`;
    const fields = { ...VALID_FORM, title: `E2E 送信時の誤り ${marker}`, allMembers: false, members: ['jma'] };
    const viewId = newViewId();
    const preview = (await submit(fields, SECRETARIAT, viewId)).json as ViewAnswer;
    const res = await send(viewId, preview, { ...fields, body: '' });
    expect(res.json).toEqual({ response_action: 'errors', errors: { [BLOCK.body]: '本文を入力してください。 / Enter the body.' } });
    await queues.waitIdle();
    expect(advisoryIdsMentioning(h.dataDir, marker)).toEqual([]);
  });

  it('goes Back to the form with every entry as it was', async () => {
    const fields = { ...VALID_FORM, title: 'E2E 戻る', tlp: 'TLP:GREEN', severity: 'level1', escalate: false, drill: true, allMembers: false, groups: ['shishikai'], members: ['jha'], deadlineMinutes: 480 };
    const viewId = newViewId();
    const preview = (await submit(fields, SECRETARIAT, viewId)).json as ViewAnswer;
    const res = await h.slack.interaction({
      type: 'block_actions',
      team: { id: 'T0CEPTOAR0', domain: 'ceptoar' },
      user: { id: SECRETARIAT, username: '事務局 担当A', name: '事務局 担当A', team_id: 'T0CEPTOAR0' },
      api_app_id: 'A0CEPTOAR',
      token: 'legacy-verification-token',
      container: { type: 'view', view_id: viewId },
      trigger_id: 'trigger.back',
      view: { id: viewId, team_id: 'T0CEPTOAR0', type: 'modal', callback_id: ADVISORY_CONFIRM_CALLBACK, hash: 'h1', private_metadata: preview.view?.private_metadata, state: { values: formValues(fields) }, blocks: preview.view?.blocks },
      actions: [{ type: 'button', action_id: PREVIEW_BACK_ACTION, block_id: PREVIEW_BACK_ACTION, value: 'back', action_ts: '1' }],
      is_enterprise_install: false,
    });
    expect(res.status).toBe(200);
    const call = await h.fake.waitFor(() => h.fake.callsTo('views.update').find((c) => c.params['view_id'] === viewId), { description: 'views.update back to the form' });
    expect(call.params['hash']).toBe('h1');
    const form = call.params['view'] as { callback_id: string; blocks: { block_id?: string; element?: Record<string, unknown> }[] };
    expect(form.callback_id).toBe(ADVISORY_MODAL_CALLBACK);
    const el = (block: string) => form.blocks.find((b) => b.block_id === block)?.element ?? {};
    const picked = (block: string) => ((el(block)['initial_options'] as { value: string }[] | undefined) ?? []).map((o) => o.value);
    expect(el(BLOCK.title)['initial_value']).toBe('E2E 戻る');
    expect(el(BLOCK.body)['initial_value']).toBe(VALID_FORM.body);
    expect((el(BLOCK.tlp)['initial_option'] as { value: string }).value).toBe('TLP:GREEN');
    expect((el(BLOCK.severity)['initial_option'] as { value: string }).value).toBe('level1');
    expect((el(BLOCK.category)['initial_option'] as { value: string }).value).toBe('vulnerability');
    expect((el(BLOCK.source)['initial_option'] as { value: string }).value).toBe('nisc');
    expect((el(BLOCK.ackDeadline)['initial_option'] as { value: string }).value).toBe('480');
    expect(picked(BLOCK.groups)).toEqual(['shishikai']);
    expect(picked(BLOCK.organisations)).toEqual(['jha']);
    expect(picked(BLOCK.targets)).toEqual([]);
    expect(picked(BLOCK.drill)).toEqual(['drill']);
    expect(picked(BLOCK.escalate)).toEqual(['no_escalate']);
    expect(JSON.stringify(form)).not.toContain(PREVIEW_TEXT.heading.ja);
    expect(h.fake.callsTo('views.update').filter((c) => c.params['view_id'] === viewId)).toHaveLength(1);
  });

  it('refuses the preview to someone not of the secretariat, over the form', async () => {
    const marker = `E2E-OUTSIDER-${randomUUID()}`;
    const res = await submit({ ...VALID_FORM, title: marker }, 'U0JMA00001');
    const answer = res.json as ViewAnswer;
    expect(answer.response_action).toBe('push');
    expect(JSON.stringify(answer.view)).toContain(ERROR_TEXT['AUTH.NOT_SECRETARIAT'].ja);
    expect(JSON.stringify(answer.view)).not.toContain(marker);
    // And the Send step alone (a forged preview) is refused the same way.
    const forged = await send(newViewId(), { view: { blocks: [], private_metadata: '{"digest":"x"}' } }, { ...VALID_FORM, title: marker }, 'U0JMA00001');
    expect((forged.json as ViewAnswer).response_action).toBe('push');
    await queues.waitIdle();
    expect(advisoryIdsMentioning(h.dataDir, marker)).toEqual([]);
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

  it('answers /advisory status with the counts of everyone and the members still to chase', async () => {
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
    // The exceptions only: one line per member of 四師会 still silent, each with its state; the acknowledged
    // one is in the counts (and in everyone's rows, through the export), not listed.
    const rows = sectionLines(reply.blocks);
    const rowOf = (ja: string) => rows.filter((l) => l.includes(ja) && l.includes(both(STATE_TEXT.posted)));
    for (const member of ['公益社団法人 日本歯科医師会', '公益社団法人 日本薬剤師会', '公益社団法人 日本看護協会']) {
      expect(rowOf(member), member).toHaveLength(1);
    }
    expect(rows.some((l) => l.includes('公益社団法人 日本医師会'))).toBe(false);
    // Where everyone's rows are: the export (as a command here: this bot has no public URL).
    expect(JSON.stringify(reply.blocks)).toContain(`/advisory export ${advisoryId}`);
    expect(JSON.stringify(reply)).not.toContain('全日本病院協会'); // not in the 四師会 group

    await h.slack.command({ text: 'status ADV-1999-9999', userId: SECRETARIAT, responseUrl: h.fake.responseUrl('status404') });
    expect((await answer('status404')).text).toContain(ERROR_TEXT['ADVISORY.NOT_FOUND'].ja);

    await h.slack.command({ text: `status ${advisoryId}`, userId: 'U0JMA00001', responseUrl: h.fake.responseUrl('status403') });
    const refused = await answer('status403');
    expect(refused.text).toContain(ERROR_TEXT['AUTH.NOT_SECRETARIAT'].ja);
    expect(JSON.stringify(refused)).not.toContain('公益社団法人 日本歯科医師会');
  });
});
