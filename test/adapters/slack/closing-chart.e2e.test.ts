/**
 * The reach chart with the closing summary on Slack, end to end: the bot as production composes it (the real Bolt
 * endpoint with signed requests, BullMQ workers on Redis, the embedded store) against the fake Slack Web API. A member
 * acknowledges by the button; the secretariat closes with `/advisory close` and its form; the secretariat channel gets
 * the summary and, after it, the chart through files.uploadV2 (an upload URL, the bytes, the share), once. A drill's
 * chart says it is a drill.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACK_ACTION_ID } from '../../../adapters/slack/advisory-blocks.js';
import { LIFECYCLE_CALLBACK } from '../../../adapters/slack/lifecycle-modals.js';
import { ISSUE_INPUT } from '../../support/core-fixture.js';
import { REDIS_URL, startHarness, type Harness } from '../../support/bot-harness.js';
import type { StoredMessage } from '../../support/fake-slack.js';
import { watchQueues, type QueueWatch } from '../../support/queue-watch.js';
import { openStoreReader } from '../../support/store-reader.js';
import { eventually } from '../../support/eventually.js';

const SECRETARIAT = { platform: 'slack' as const, userId: 'U0SEC00001', name: '事務局 担当A' };
const SECRETARIAT_CHANNEL = 'C0SEC00001';
const JMA = 'C0JMA00001';
const JDA = 'C0JDA00001';
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

let h: Harness;
let queues: QueueWatch;
beforeAll(async () => {
  h = await startHarness();
  queues = watchQueues(REDIS_URL, h.prefix);
}, 60_000);
afterAll(async () => {
  await queues?.close();
  await h?.close();
});

let seq = 0;

/** Issued to jma and jda; jma presses 受領確認 on its copy through Bolt; jda stays silent. */
async function issuedAndHalfAcknowledged(title: string, drill: boolean): Promise<string> {
  const { advisory } = await h.bot.core.issueAdvisory({
    actor: SECRETARIAT,
    requestKey: `closing-chart-${++seq}-${Date.now()}`,
    input: { ...ISSUE_INPUT, title, drill, targets: { allMembers: false, observers: false, groups: [], members: ['jma', 'jda'] } },
  });
  const copy = (ch: string) => h.fake.messages(ch).find((m) => m.metadata?.event_payload['advisory_id'] === advisory.id && m.metadata.event_payload['kind'] === 'advisory');
  await h.fake.waitFor(() => copy(JMA) && copy(JDA), { timeoutMs: 15_000, description: `copies of ${advisory.id}` });
  const jma = copy(JMA)!;
  const deliveryId = String(jma.metadata!.event_payload['delivery_id']);
  const pressed = await h.slack.buttonPress({ userId: 'U0JMA00001', userName: '佐藤 健一', channelId: JMA, messageTs: jma.ts, actionId: ACK_ACTION_ID, value: deliveryId, responseUrl: h.fake.responseUrl(`ack-${advisory.id}`) });
  expect(pressed.status).toBe(200);
  const store = openStoreReader(h.dataDir);
  try {
    await eventually(async () => (await store.getDelivery(deliveryId))?.state === 'acknowledged', { description: `jma acknowledged ${advisory.id}` });
  } finally {
    await store.close();
  }
  await queues.waitIdle({ description: `fan-out of ${advisory.id}` });
  return advisory.id;
}

/** `/advisory close <id>` as the secretariat, and its form submitted. */
async function closeByCommand(id: string): Promise<void> {
  const before = h.fake.views().length;
  const res = await h.slack.command({ text: `close ${id}`, userId: SECRETARIAT.userId, responseUrl: h.fake.responseUrl(`close-${id}`) });
  expect(res.status).toBe(200);
  const view = await h.fake.waitFor(() => h.fake.views().length > before && h.fake.views().at(-1), { description: 'the close form' });
  const form = view.view as { callback_id: string; private_metadata: string };
  expect(form.callback_id).toBe(LIFECYCLE_CALLBACK.close);
  const submitted = await h.slack.viewSubmission({ userId: SECRETARIAT.userId, userName: SECRETARIAT.name, viewId: `VC${++seq}`, callbackId: form.callback_id, privateMetadata: form.private_metadata, values: {} });
  expect(submitted.status).toBe(200);
}

/** The summary and the chart of `id` in the secretariat channel, once both are there. */
async function summaryAndChart(id: string): Promise<{ summary: StoredMessage; chart: StoredMessage }> {
  return h.fake.waitFor(
    () => {
      const all = h.fake.messages(SECRETARIAT_CHANNEL);
      const summary = all.find((m) => m.metadata?.event_payload['advisory_id'] === id && m.metadata.event_payload['notice_kind'] === 'advisory_closed');
      const chart = all.find((m) => m.files !== undefined && m.text.includes(id));
      return summary && chart && { summary, chart };
    },
    { timeoutMs: 30_000, description: `the summary and the chart of ${id}` },
  );
}

/** The width a PNG's header gives (IHDR, bytes 16–19). */
const pngWidth = (png: Uint8Array) => Buffer.from(png).readUInt32BE(16);

describe('closing an advisory on Slack', () => {
  it('posts the summary, then the reach chart once through files.uploadV2, into the secretariat channel', async () => {
    const id = await issuedAndHalfAcknowledged('グラフ付きの終了 <closing-chart>', false);
    const filesBefore = h.fake.files().length;
    await closeByCommand(id);
    const { summary, chart } = await summaryAndChart(id);
    await queues.waitIdle({ description: `the closing of ${id}` });

    // After the summary; shared by the bot, the label first, the title escaped.
    expect(chart.ts > summary.ts).toBe(true);
    expect(chart.bot_id).toBe(h.fake.botId);
    expect(chart.text.split('\n')[0]).toBe('🟧 *TLP:AMBER* — 限定公開 / Organisation and its clients, need to know');
    expect(chart.text).toContain(`📈 *受領確認の推移 / Share acknowledged over time*: ${id} グラフ付きの終了 &lt;closing-chart&gt;`);
    expect(chart.text).not.toContain('訓練');

    // One file, begun, uploaded and shared once: a PNG of the chart at two pixels per unit, with its figures as alt text.
    const files = h.fake.files().slice(filesBefore);
    expect(files).toHaveLength(1);
    const [file] = files;
    expect(file).toMatchObject({ filename: `${id}-reach.png`, completed: true, channel: SECRETARIAT_CHANNEL, messageTs: chart.ts, title: `[TLP:AMBER] ${id} 受領確認の推移 / Share acknowledged over time` });
    expect(Buffer.from(file!.bytes!.subarray(0, 8)).equals(PNG_SIGNATURE)).toBe(true);
    expect(pngWidth(file!.bytes!)).toBeGreaterThan(640);
    expect(file?.altText).toContain('対象 2 構成員のうち受領確認 1件（50%）、未確認 1件（50%）');
    expect(chart.files?.map((f) => f.id)).toEqual([file?.id]);
    const uploads = h.fake.callsTo('upload_url').filter((c) => c.params['file_id'] === file?.id);
    expect(uploads).toHaveLength(1);
    expect(h.fake.callsTo('files.completeUploadExternal').filter((c) => JSON.stringify(c.params['files']).includes(file!.id))).toHaveLength(1);
    // Nothing else in the channel about it: one summary (updated status card apart), one chart.
    expect(h.fake.messages(SECRETARIAT_CHANNEL).filter((m) => m.files !== undefined && m.text.includes(id))).toHaveLength(1);

    const store = openStoreReader(h.dataDir);
    try {
      expect((await store.getAdvisory(id))?.closure).toMatchObject({ cause: 'command', told: { ok: true } });
    } finally {
      await store.close();
    }
  });

  it("a drill's chart says it is a drill, in the file's title and under the label", async () => {
    const id = await issuedAndHalfAcknowledged('訓練の終了', true);
    expect(id).toMatch(/^DRL-/);
    await closeByCommand(id);
    const { chart } = await summaryAndChart(id);
    expect(chart.files?.[0]?.title).toBe(`[TLP:AMBER] 【訓練】[DRILL] ${id} 受領確認の推移 / Share acknowledged over time`);
    expect(chart.text.split('\n')[1]).toBe('🚧 *【訓練】これは訓練です / [DRILL] This is a drill* 🚧');
  });
});
