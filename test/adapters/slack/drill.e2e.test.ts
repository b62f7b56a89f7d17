/**
 * A drill end to end on Slack, through the real Bolt endpoint with signed requests, real BullMQ workers on Redis, the
 * embedded store and the fake Slack Web API: `/advisory drill` opens the form filled in from the drill template; the
 * secretariat announces it now for a window that starts in a few seconds and sends it. Every targeted member's channel
 * gets the announcement first, then — at the window's start — the drill itself, numbered DRL-…; the member who stays
 * silent gets the reminder and a phone task on the board; every one of those messages says 【訓練】/[DRILL].
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ADVISORY_MODAL_CALLBACK, BLOCK } from '../../../adapters/slack/advisory-modal.js';
import { ADVISORY_CONFIRM_CALLBACK } from '../../../adapters/slack/preview-blocks.js';
import { POST_EVENT_TYPE } from '../../../adapters/slack/slack-blocks.js';
import { ACK_ACTION_ID } from '../../../adapters/slack/advisory-blocks.js';
import { DEFAULT_DRILL_TEMPLATE } from '../../../src/domain/drill-template.js';
import type { Advisory } from '../../../src/domain/advisory.js';
import { T } from '../../../src/i18n/text.js';
import type { SqliteStore } from '../../../src/store/sqlite/sqlite-store.js';
import { REDIS_URL, startHarness, type Harness } from '../../support/bot-harness.js';
import { formValues, type FormFields } from '../../support/advisory-form.js';
import type { StoredMessage } from '../../support/fake-slack.js';
import { writeFastPolicies } from '../../support/fast-policies.js';
import { watchQueues, type QueueWatch } from '../../support/queue-watch.js';
import { openStoreReader } from '../../support/store-reader.js';
import { eventually } from '../../support/eventually.js';

const SECRETARIAT = 'U0SEC00001';
const SECRETARIAT_CHANNEL = 'C0SEC00001';
const ONCALL_CHANNEL = 'C0ONC00001';
const JMA = 'C0JMA00001';
const JDA = 'C0JDA00001';

let h: Harness;
let queues: QueueWatch;
let store: SqliteStore;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ceptoar-drill-slack-'));
  // The ladder in seconds (reminder at 2 s, phone at 4 s), the card and the board redrawn every second.
  const policies = await writeFastPolicies(join(dir, 'escalation.yaml'));
  h = await startHarness({ env: { ESCALATION_FILE: policies, STATUS_CARD_INTERVAL_SECONDS: '1' } });
  queues = watchQueues(REDIS_URL, h.prefix);
  store = openStoreReader(h.dataDir);
}, 60_000);
afterAll(async () => {
  await store?.close();
  await queues?.close();
  await h?.close();
  await rm(dir, { recursive: true, force: true });
});

const kindOf = (m: StoredMessage) => String(m.metadata?.event_payload['kind'] ?? '');
const noticeKindOf = (m: StoredMessage) => String(m.metadata?.event_payload['notice_kind'] ?? '');
const ours = (channel: string, advisoryId: string) =>
  h.fake.messages(channel).filter((m) => m.metadata?.event_type === POST_EVENT_TYPE && m.metadata.event_payload['advisory_id'] === advisoryId);
const TAG = `${T.drillTag.ja}${T.drillTag.en}`;

/** The message says it is a drill: the tag in its notification text, the banner in its blocks. */
function expectDrill(m: StoredMessage): void {
  expect(m.text, m.text).toMatch(/^\[TLP:[A-Z+]+\] 【訓練】\[DRILL\] /);
  expect(m.text).toContain(TAG);
  expect(JSON.stringify(m.blocks ?? []) + JSON.stringify(m.attachments ?? [])).toContain(T.drillBanner.ja);
}

describe('a drill on Slack', () => {
  it('/advisory drill opens the form filled in from the drill template, with the announcement to choose', async () => {
    const opened = h.fake.callsTo('views.open').length;
    await h.slack.command({ text: 'drill', userId: SECRETARIAT, responseUrl: h.fake.responseUrl('drill-open') });
    const call = await h.fake.waitFor(() => h.fake.callsTo('views.open')[opened], { description: 'the drill form' });
    const view = call.params['view'] as { callback_id: string; title: { text: string }; blocks: { block_id?: string; element?: Record<string, unknown> }[] };
    expect(view.callback_id).toBe(ADVISORY_MODAL_CALLBACK);
    expect(view.title.text).toBe('訓練の発信 / Issue a drill');
    const el = (block: string) => view.blocks.find((b) => b.block_id === block)?.element ?? {};
    expect(el(BLOCK.title)['initial_value']).toBe(DEFAULT_DRILL_TEMPLATE.title);
    expect(el(BLOCK.body)['initial_value']).toBe(DEFAULT_DRILL_TEMPLATE.body);
    expect((el(BLOCK.tlp)['initial_option'] as { value: string }).value).toBe('TLP:GREEN');
    expect((el(BLOCK.drill)['initial_options'] as { value: string }[]).map((o) => o.value)).toEqual(['drill']);
    expect(el(BLOCK.drillAnnounce)['type']).toBe('radio_buttons');
    expect(el(BLOCK.drillFrom)['type']).toBe('datetimepicker');
    expect(typeof el(BLOCK.drillFrom)['initial_date_time']).toBe('number');
    expect(h.fake.responses('drill-open')).toEqual([]);
  });

  it('announces a drill now, sends it numbered DRL-… at the window’s start, and labels every message of it', async () => {
    const from = new Date(Date.now() + 4_000);
    const to = new Date(Date.now() + 3_600_000);
    const fields: FormFields = {
      title: `【訓練】Slack 訓練 ${from.getTime()}`,
      body: 'これは訓練です。受領確認を押してください。',
      tlp: 'TLP:GREEN',
      severity: 'level3',
      category: 'notice',
      source: 'other',
      members: ['jma', 'jda'],
      drill: true,
      drillPlan: { announce: true, from, to },
    };
    const viewId = `V-drill-${from.getTime()}`;
    const first = await h.slack.viewSubmission({ userId: SECRETARIAT, userName: '事務局 担当A', viewId, callbackId: ADVISORY_MODAL_CALLBACK, values: formValues(fields) });
    const preview = first.json as { response_action: string; view: { private_metadata: string; blocks: unknown[] } };
    expect(preview.response_action).toBe('update');
    // The preview says the number comes from the drill series and what Send will do.
    const shown = JSON.stringify(preview.view.blocks);
    expect(shown).toContain('DRL-');
    expect(shown).toContain('今すぐ予告し');
    const sent = await h.slack.viewSubmission({ userId: SECRETARIAT, userName: '事務局 担当A', viewId, callbackId: ADVISORY_CONFIRM_CALLBACK, privateMetadata: preview.view.private_metadata, values: formValues(fields) });
    expect(sent.status).toBe(200);

    // The issuer hears at once what was done (the channel's card comes only with the drill).
    const dm = await h.fake.waitFor(() => h.fake.callsTo('chat.postMessage').find((c) => c.params['channel'] === SECRETARIAT && String(c.params['text']).includes('を予告しました')), { description: 'the issuer is told' });
    const advisoryId = /DRL-\d{4}-\d{4}/.exec(String(dm.params['text']))![0];
    const stored = (await store.getAdvisory(advisoryId)) as Advisory;
    expect(stored).toMatchObject({ drill: true, drillPlan: { announced: { window: { from: new Date(Math.floor(from.getTime() / 1000) * 1000).toISOString() } } } });

    // Each member: the announcement first, then the drill, numbered DRL-…, both labelled.
    for (const channel of [JMA, JDA]) {
      const posts = await h.fake.waitFor(() => {
        const p = ours(channel, advisoryId);
        return p.some((m) => kindOf(m) === 'advisory') && p;
      }, { timeoutMs: 20_000, description: `the drill in ${channel}` });
      expect(posts.map((m) => (kindOf(m) === 'notice' ? `notice:${noticeKindOf(m)}` : kindOf(m))).slice(0, 2)).toEqual(['notice:drill_announcement', 'advisory']);
      const [announcement, drill] = posts as [StoredMessage, StoredMessage];
      expectDrill(announcement);
      expect(announcement.text).toContain('訓練の予告 / Drill announcement');
      expect(JSON.stringify(announcement.blocks)).toContain(advisoryId);
      expectDrill(drill);
      expect(JSON.stringify([drill.blocks, drill.attachments])).toContain(advisoryId);
    }

    // jma acknowledges; jda stays silent: its reminder and its row on the phone-task board say 【訓練】 too.
    const jmaDrill = ours(JMA, advisoryId).find((m) => kindOf(m) === 'advisory')!;
    const deliveryId = String(jmaDrill.metadata!.event_payload['delivery_id']);
    await h.slack.buttonPress({ userId: 'U0JMA00001', userName: '佐藤 健一', channelId: JMA, messageTs: jmaDrill.ts, actionId: ACK_ACTION_ID, value: deliveryId, responseUrl: h.fake.responseUrl('drill-ack') });
    await eventually(async () => (await store.getDelivery(deliveryId))?.state === 'acknowledged', { description: 'jma acknowledged' });
    const reminder = await h.fake.waitFor(() => ours(JDA, advisoryId).find((m) => kindOf(m) === 'reminder'), { timeoutMs: 20_000, description: 'the reminder' });
    expectDrill(reminder);
    const board = await h.fake.waitFor(() => ours(ONCALL_CHANNEL, advisoryId).find((m) => kindOf(m) === 'phone_board'), { timeoutMs: 20_000, description: 'the board' });
    expectDrill(board);
    // The secretariat's live card, posted when the drill went out.
    const card = await h.fake.waitFor(() => ours(SECRETARIAT_CHANNEL, advisoryId).find((m) => noticeKindOf(m) === 'advisory_issued'), { description: 'the card' });
    expectDrill(card);
    // Each delivery records the announcement it posted; each one is audited.
    const jma = (await store.listDeliveries(advisoryId)).find((d) => d.memberId === 'jma')!;
    expect(jma.drillNotice?.messages).toEqual([{ platform: 'slack', channelId: JMA, messageId: ours(JMA, advisoryId)[0]!.ts }]);
    expect((await store.listAudit(advisoryId)).filter((e) => e.action === 'drill.announced')).toHaveLength(2);
  }, 60_000);
});
