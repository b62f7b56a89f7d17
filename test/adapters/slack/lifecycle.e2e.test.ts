/**
 * An advisory's life after issue on Slack, end to end: signed slash commands open each form, signed view
 * submissions run the command, real BullMQ workers on Redis edit the copies and post into their threads
 * against the fake Slack Web API, and the secretariat channel gets the summary.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACKNOWLEDGE_OPTION, LIFECYCLE_BLOCK, LIFECYCLE_CALLBACK } from '../../../adapters/slack/lifecycle-modals.js';
import { ACK_ACTION_ID } from '../../../adapters/slack/advisory-blocks.js';
import { ISSUE_INPUT } from '../../support/core-fixture.js';
import { REDIS_URL, startHarness, type Harness } from '../../support/bot-harness.js';
import type { StoredMessage } from '../../support/fake-slack.js';
import { watchQueues, type QueueWatch } from '../../support/queue-watch.js';
import { openStoreReader } from '../../support/store-reader.js';

const SECRETARIAT = { platform: 'slack' as const, userId: 'U0SEC00001', name: '事務局 担当A' };
const SECRETARIAT_CHANNEL = 'C0SEC00001';
const JMA = 'C0JMA00001';
const JDA = 'C0JDA00001';

let h: Harness;
let queues: QueueWatch;
beforeAll(async () => {
  h = await startHarness({ env: { PUBLIC_URL: 'https://ceptoar.example.jp', EXPORT_LINK_SECRET: 'e2e-export-secret-0123456789abcdefghij' } });
  queues = watchQueues(REDIS_URL, h.prefix);
});
afterAll(async () => {
  await queues?.close();
  await h?.close();
});

let seq = 0;

/** Issue to jma and jda through the core and wait until both copies are posted and every job has run. */
async function issued(title: string): Promise<{ id: string; copies: Record<string, StoredMessage> }> {
  const { advisory } = await h.bot.core.issueAdvisory({
    actor: SECRETARIAT,
    requestKey: `lifecycle-e2e-${++seq}-${Date.now()}`,
    input: { ...ISSUE_INPUT, title, targets: { allMembers: false, observers: false, groups: [], members: ['jma', 'jda'] } },
  });
  const copy = (ch: string) => h.fake.messages(ch).find((m) => m.metadata?.event_payload['advisory_id'] === advisory.id && m.metadata.event_payload['kind'] === 'advisory');
  await h.fake.waitFor(() => copy(JMA) && copy(JDA), { timeoutMs: 15_000, description: `copies of ${advisory.id}` });
  await queues.waitIdle({ description: `fan-out of ${advisory.id}` });
  return { id: advisory.id, copies: { [JMA]: copy(JMA)!, [JDA]: copy(JDA)! } };
}

/** `/advisory <sub> <id>` as the secretariat: the form the bot opened for it. */
async function openForm(sub: string, id: string, userId = SECRETARIAT.userId): Promise<{ callback_id: string; private_metadata: string; blocks: unknown[] }> {
  const before = h.fake.views().length;
  const res = await h.slack.command({ text: `${sub} ${id}`, userId, responseUrl: h.fake.responseUrl(`${sub}-${id}`) });
  expect(res.status).toBe(200);
  const view = await h.fake.waitFor(() => h.fake.views().length > before && h.fake.views().at(-1), { description: `the ${sub} form` });
  return view.view as { callback_id: string; private_metadata: string; blocks: unknown[] };
}

function submitForm(form: { callback_id: string; private_metadata: string }, values: Record<string, string>) {
  const state: Record<string, Record<string, unknown>> = {};
  for (const [block, value] of Object.entries(values)) {
    state[block] = { value: ['tlp', 'severity', 'category'].includes(block) ? { type: 'static_select', selected_option: { value } } : { type: 'plain_text_input', value } };
  }
  return h.slack.viewSubmission({ userId: SECRETARIAT.userId, userName: SECRETARIAT.name, viewId: `VL${++seq}`, callbackId: form.callback_id, privateMetadata: form.private_metadata, values: state });
}

const stored = (ch: string, ts: string) => h.fake.messages(ch).find((m) => m.ts === ts)!;
const allText = (m: StoredMessage) => JSON.stringify([m.text, m.blocks, m.attachments]);

describe('lifecycle commands on Slack', () => {
  it('a follow-up goes into the thread of every copy', async () => {
    const { id, copies } = await issued('続報テスト <lifecycle-followup>');
    const form = await openForm('followup', id);
    expect(form.callback_id).toBe(LIFECYCLE_CALLBACK.followup);
    expect(form.private_metadata).toBe(id);
    const res = await submitForm(form, { [LIFECYCLE_BLOCK.body]: '修正版 2.0.1 が公開されました。' });
    expect(res.status).toBe(200);
    const replies = (ch: string) => h.fake.messages(ch).filter((m) => m.thread_ts === copies[ch]!.ts && m.ts !== copies[ch]!.ts);
    await h.fake.waitFor(() => replies(JMA).length > 0 && replies(JDA).length > 0, { timeoutMs: 15_000, description: 'the follow-up replies' });
    await queues.waitIdle({ description: 'the follow-up' });
    for (const ch of [JMA, JDA]) {
      expect(replies(ch)).toHaveLength(1);
      expect(allText(replies(ch)[0]!)).toContain('修正版 2.0.1 が公開されました。');
      expect(allText(replies(ch)[0]!)).toContain('続報 1');
    }
    // The secretariat hears it is under way.
    const dm = h.fake.callsTo('chat.postMessage').filter((c) => c.params['channel'] === SECRETARIAT.userId).map((c) => String(c.params['text']));
    expect(dm.some((t) => t.includes(`${id} の続報`))).toBe(true);
  });

  it('a follow-up asking for acknowledgement carries its own button; a press on it acknowledges round 2, and the press on the copy is refused', async () => {
    const { id, copies } = await issued('受領確認付き続報テスト <lifecycle-round>');
    const form = await openForm('followup', id);
    const res = await h.slack.viewSubmission({
      userId: SECRETARIAT.userId,
      userName: SECRETARIAT.name,
      viewId: `VL${++seq}`,
      callbackId: form.callback_id,
      privateMetadata: form.private_metadata,
      values: {
        [LIFECYCLE_BLOCK.body]: { value: { type: 'plain_text_input', value: '修正版 2.0.2 を必ず適用してください。' } },
        [LIFECYCLE_BLOCK.acknowledge]: { value: { type: 'checkboxes', selected_options: [{ value: ACKNOWLEDGE_OPTION }] } },
        [LIFECYCLE_BLOCK.ackDeadlineMinutes]: { value: { type: 'number_input', value: '45' } },
      },
    });
    expect(res.status).toBe(200);
    const replies = (ch: string) => h.fake.messages(ch).filter((m) => m.thread_ts === copies[ch]!.ts && m.ts !== copies[ch]!.ts);
    await h.fake.waitFor(() => replies(JMA).length > 0 && replies(JDA).length > 0, { timeoutMs: 15_000, description: 'the follow-up replies' });
    await queues.waitIdle({ description: 'the follow-up' });
    const followUp = replies(JMA)[0]!;
    expect(allText(followUp)).toContain('受領確認をお願いします（期限');
    expect(allText(followUp)).toContain(ACK_ACTION_ID);
    // The copy points to the follow-up and has no button of its own any more.
    await h.fake.waitFor(() => allText(stored(JMA, copies[JMA]!.ts)).includes('受領確認は続報 #1 で行ってください'), { timeoutMs: 15_000, description: 'the copy pointing to the follow-up' });
    expect(allText(stored(JMA, copies[JMA]!.ts))).not.toContain(ACK_ACTION_ID);

    const store = openStoreReader(h.dataDir);
    try {
      const delivery = (await store.listDeliveries(id)).find((d) => d.channel.channelId === JMA)!;
      expect(delivery.round).toBe(2);
      // The button on the follow-up, in the thread: the press names the reply's own ts.
      await h.slack.buttonPress({ userId: 'U0JMA00001', userName: 'sato', channelId: JMA, messageTs: followUp.ts, actionId: ACK_ACTION_ID, value: delivery.id, responseUrl: h.fake.responseUrl('round-ack') });
      const [thanks] = await h.fake.waitFor(() => h.fake.responses('round-ack').length > 0 && h.fake.responses('round-ack'), { description: 'the answer to the press' });
      expect(JSON.stringify(thanks)).toContain('受領確認を記録しました。');
      await h.fake.waitFor(() => !allText(stored(JMA, followUp.ts)).includes(ACK_ACTION_ID) && allText(stored(JMA, followUp.ts)).includes('sato'), {
        timeoutMs: 15_000,
        description: 'the follow-up showing who acknowledged',
      });
      await queues.waitIdle({ description: 'the refresh' });
      const after = (await store.getDelivery(delivery.id))!;
      expect(after).toMatchObject({ round: 2, state: 'acknowledged', acknowledged: { actor: { userId: 'U0JMA00001' }, via: 'button' } });
      expect((await store.listAcknowledgements(delivery.id)).map((a) => [a.actor.userId, a.round ?? 1])).toEqual([['U0JMA00001', 2]]);
      // The copy's button (had it been kept from before) asks for round 1, which the follow-up replaced.
      await h.slack.buttonPress({ userId: 'U0JMA00002', userName: 'suzuki', channelId: JMA, messageTs: copies[JMA]!.ts, actionId: ACK_ACTION_ID, value: delivery.id, responseUrl: h.fake.responseUrl('round-old') });
      const [refused] = await h.fake.waitFor(() => h.fake.responses('round-old').length > 0 && h.fake.responses('round-old'), { description: 'the refusal' });
      expect(JSON.stringify(refused)).toContain('最新の続報のボタンで確認してください');
      // JDA has not acknowledged round 2: it is still asked.
      expect((await store.listDeliveries(id)).find((d) => d.channel.channelId === JDA)).toMatchObject({ round: 2, state: 'posted' });
    } finally {
      await store.close();
    }
  });

  it('a correction edits every copy in place with what changed, and an unchanged form is refused on the form', async () => {
    const { id, copies } = await issued('訂正テスト <lifecycle-correct>');
    const form = await openForm('correct', id);
    expect(form.callback_id).toBe(LIFECYCLE_CALLBACK.correct);
    const unchanged = await submitForm(form, { [LIFECYCLE_BLOCK.title]: '訂正テスト <lifecycle-correct>', [LIFECYCLE_BLOCK.note]: '何も変えていない' });
    expect((unchanged.json as { response_action?: string; errors?: Record<string, string> }).errors?.[LIFECYCLE_BLOCK.note]).toContain('訂正前と同じ内容です');
    const res = await submitForm(form, { [LIFECYCLE_BLOCK.title]: '訂正後の件名 <lifecycle-correct>', [LIFECYCLE_BLOCK.note]: '件名を訂正しました' });
    expect(res.status).toBe(200);
    await h.fake.waitFor(() => [JMA, JDA].every((ch) => allText(stored(ch, copies[ch]!.ts)).includes('件名を訂正しました')), { timeoutMs: 15_000, description: 'the corrected copies' });
    for (const ch of [JMA, JDA]) {
      const text = allText(stored(ch, copies[ch]!.ts));
      expect(text).toContain('訂正後の件名');
      expect(text).toContain('訂正（第2版');
    }
  });

  it('a withdrawal needs a reason, then replaces every copy and tells the secretariat channel with a summary', async () => {
    const { id, copies } = await issued('取り下げテスト <lifecycle-withdraw>');
    const form = await openForm('withdraw', id);
    const blank = await submitForm(form, { [LIFECYCLE_BLOCK.reason]: '   ' });
    expect((blank.json as { errors?: Record<string, string> }).errors?.[LIFECYCLE_BLOCK.reason]).toContain('取り下げの理由を入力してください');
    const res = await submitForm(form, { [LIFECYCLE_BLOCK.reason]: '対象製品の誤り' });
    expect(res.status).toBe(200);
    await h.fake.waitFor(() => [JMA, JDA].every((ch) => allText(stored(ch, copies[ch]!.ts)).includes('取り下げられました')), { timeoutMs: 15_000, description: 'the withdrawn copies' });
    for (const ch of [JMA, JDA]) {
      const copy = stored(ch, copies[ch]!.ts);
      expect(allText(copy)).toContain('対象製品の誤り');
      // No acknowledge button is left on a withdrawn copy.
      expect(allText(copy)).not.toContain('advisory_ack');
    }
    const summary = await h.fake.waitFor(
      () => h.fake.messages(SECRETARIAT_CHANNEL).find((m) => m.metadata?.event_payload['advisory_id'] === id && m.metadata.event_payload['notice_kind'] === 'advisory_closed'),
      { timeoutMs: 15_000, description: 'the withdrawal summary' },
    );
    expect(allText(summary)).toContain('注意喚起を取り下げました');
    expect(allText(summary)).toContain('対象製品の誤り');
  });

  it('someone not of the secretariat gets no form, only the refusal', async () => {
    const { id } = await issued('権限テスト <lifecycle-refuse>');
    const before = h.fake.views().length;
    await h.slack.command({ text: `withdraw ${id}`, userId: 'U0JMA00001', responseUrl: h.fake.responseUrl('refuse-withdraw') });
    const [reply] = await h.fake.waitFor(() => h.fake.responses('refuse-withdraw').length > 0 && h.fake.responses('refuse-withdraw'), { description: 'the refusal' });
    expect(JSON.stringify(reply)).toContain('事務局');
    expect(h.fake.views().length).toBe(before);
  });

  it('closing by command posts the summary and stops the ladder', async () => {
    const { id } = await issued('終了テスト <lifecycle-close>');
    const form = await openForm('close', id);
    expect(form.callback_id).toBe(LIFECYCLE_CALLBACK.close);
    await submitForm(form, {});
    const summary = await h.fake.waitFor(
      () => h.fake.messages(SECRETARIAT_CHANNEL).find((m) => m.metadata?.event_payload['advisory_id'] === id && m.metadata.event_payload['notice_kind'] === 'advisory_closed'),
      { timeoutMs: 15_000, description: 'the closing summary' },
    );
    expect(allText(summary)).toContain('注意喚起を終了しました（事務局の操作）');
    // Every copy is brought up to date: no ladder step is owed any more.
    await queues.waitIdle({ description: 'the closing' });
    const store = openStoreReader(h.dataDir);
    try {
      const deliveries = await store.listDeliveries(id);
      expect(deliveries.map((d) => d.state)).toEqual(['posted', 'posted']);
      expect(deliveries.map((d) => d.nextStep)).toEqual([undefined, undefined]);
      expect((await store.getAdvisory(id))?.closure).toMatchObject({ cause: 'command', by: { userId: SECRETARIAT.userId }, told: { ok: true } });
    } finally {
      await store.close();
    }
  });

  it('export answers with a short-lived link to the record, which downloads the CSV only as the link says', async () => {
    const { id } = await issued('書き出しテスト <lifecycle-export>');
    await h.slack.command({ text: `export ${id}`, userId: SECRETARIAT.userId, responseUrl: h.fake.responseUrl(`export-${id}`) });
    const [reply] = await h.fake.waitFor(() => h.fake.responses(`export-${id}`).length > 0 && h.fake.responses(`export-${id}`), { description: 'the export link' });
    const text = JSON.stringify(reply);
    const url = /https:\/\/ceptoar\.example\.jp(\/export\/[A-Za-z0-9_.-]+)/.exec(text);
    expect(url, text).not.toBeNull();
    const path = url![1]!;
    const res = await fetch(`${h.bot.url}${path}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="${id}.csv"`);
    const bytes = Buffer.from(await res.arrayBuffer());
    // UTF-8 with its byte-order mark, which Excel needs to read Japanese.
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const csv = bytes.toString('utf8');
    expect(csv.split('\r\n').filter((l) => l.startsWith(`${id},`))).toHaveLength(2);
    // An altered link is refused, and says so.
    const altered = await fetch(`${h.bot.url}${path.slice(0, -2)}xx`);
    expect(altered.status).toBe(403);
    expect(await altered.text()).toContain('このリンクは無効です');
    // A member cannot get a link.
    await h.slack.command({ text: `export ${id}`, userId: 'U0JMA00001', responseUrl: h.fake.responseUrl(`export-member-${id}`) });
    const [refused] = await h.fake.waitFor(() => h.fake.responses(`export-member-${id}`).length > 0 && h.fake.responses(`export-member-${id}`), { description: 'the refusal' });
    expect(JSON.stringify(refused)).not.toContain('/export/');
  });
});
