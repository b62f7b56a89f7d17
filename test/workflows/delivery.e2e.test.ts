/**
 * Fan-out under trouble: rate limits, lost responses, permanent and transient errors, and the TLP
 * rules, through the real endpoint, real BullMQ workers on Redis and a fake Slack Web API.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACK_ACTION_ID } from '../../adapters/slack/advisory-blocks.js';
import { REDIS_URL, startHarness, type Harness } from '../support/bot-harness.js';
import { formValues, VALID_FORM, type FormFields } from '../support/advisory-form.js';
import type { StoredMessage } from '../support/fake-slack.js';
import { eventually } from '../support/eventually.js';
import { watchQueues, type QueueWatch } from '../support/queue-watch.js';
import { openStoreReader } from '../support/store-reader.js';
import { sectionLines } from '../support/slack-read.js';
import type { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';

const SECRETARIAT = { platform: 'slack' as const, userId: 'U0SEC00001' };
const SECRETARIAT_CHANNEL = 'C0SEC00001';
const MEMBER_CHANNELS = [
  'C0JMA00001', 'C0JDA00001', 'C0JPA00001', 'C0JNA00001', 'C0JMHA0001', 'C0AJHA0001', 'C0JAMC0001', 'C0JAPMC001', 'C0JPHA0001',
  'C0JHA00001', 'C0JAMCF001', 'C0NHO00001', 'C0JOHAS001', 'C0JASMC001', 'C0JCHO0001', 'C0JARHF001', 'C0ACBCW001',
];

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

let seq = 0;
async function submit(fields: FormFields): Promise<void> {
  const { sent: res } = await h.slack.submitAdvisory({ userId: SECRETARIAT.userId, viewId: `VW${Date.now()}${seq++}`, values: formValues(fields) });
  expect(res?.status).toBe(200);
}

function advisoryPosts(channel: string, title: string): StoredMessage[] {
  return h.fake.messages(channel).filter((m) => m.text.includes(title) && m.metadata?.event_type === 'ceptoar_post' && m.metadata?.event_payload['kind'] === 'advisory');
}

/** Wait until the advisory is announced to the secretariat, and return its id. */
/** The secretariat's grouped alerts of an advisory's failed deliveries (one message per wave, edited in place). */
function failedAlerts(advisoryId: string): StoredMessage[] {
  return h.fake.messages(SECRETARIAT_CHANNEL).filter((m) => String(m.metadata?.event_payload['key'] ?? '').startsWith(`${advisoryId}.alerts.failed.`));
}

async function announcedId(title: string): Promise<string> {
  const m = await h.fake.waitFor(() => h.fake.messages(SECRETARIAT_CHANNEL).find((x) => x.text.includes(title) && /ADV-\d{4}-\d{4}/.test(x.text)), {
    timeoutMs: 15_000,
    description: `announcement of "${title}"`,
  });
  return /ADV-\d{4}-\d{4}/.exec(m.text)![0];
}

async function settled(advisoryId: string, expectOpen = 0) {
  return eventually(
    async () => {
      const s = await h.bot.core.statusOf(SECRETARIAT, advisoryId);
      return s.counts.queued === expectOpen && s;
    },
    { timeoutMs: 20_000, description: `${advisoryId} settled` },
  );
}

describe('delivery fan-out', () => {
  it('holds back only the throttled channel on a 429 while the others go on, then posts it once', async () => {
    const title = 'WF レート制限';
    h.fake.failNext('chat.postMessage', { channel: 'C0JMA00001', status: 429, retryAfterSec: 2 });
    await submit({ ...VALID_FORM, title });
    const posts = await h.fake.waitFor(() => {
      const all = MEMBER_CHANNELS.flatMap((c) => advisoryPosts(c, title));
      return all.length === MEMBER_CHANNELS.length && all;
    }, { timeoutMs: 20_000, description: 'all 17 posted' });
    const id = await announcedId(title);
    const status = await settled(id);
    expect(status.counts).toMatchObject({ total: 17, posted: 17, failed: 0 });
    // Once every job has run: exactly one post in each channel, the throttled one included.
    await queues.waitIdle();
    expect(MEMBER_CHANNELS.map((c) => advisoryPosts(c, title).length)).toEqual(MEMBER_CHANNELS.map(() => 1));

    const jmaCalls = h.fake.callsTo('chat.postMessage').filter((c) => c.params['channel'] === 'C0JMA00001' && String(c.params['text']).includes(title));
    expect(jmaCalls.map((c) => (c.outcome === 'dropped' ? 'dropped' : c.outcome?.status))).toEqual([429, 200]);
    // A 429 proves nothing was posted: the retry posts at once, without searching the channel's history.
    expect(h.fake.callsTo('conversations.history').filter((c) => c.params['channel'] === 'C0JMA00001' && c.seq > jmaCalls[0]!.seq && c.seq < jmaCalls[1]!.seq)).toEqual([]);
    // Every other channel was posted before the throttled one's retry: nobody waited for it.
    const others = h.fake
      .callsTo('chat.postMessage')
      .filter((c) => MEMBER_CHANNELS.includes(String(c.params['channel'])) && c.params['channel'] !== 'C0JMA00001' && String(c.params['text']).includes(title));
    expect(others).toHaveLength(16);
    expect(Math.max(...others.map((c) => c.seq))).toBeLessThan(jmaCalls[1]!.seq);
    expect(new Set(posts.map((p) => p.channel))).toEqual(new Set(MEMBER_CHANNELS));
  });

  it('does not post twice when the response to chat.postMessage is lost', async () => {
    const title = 'WF 応答消失';
    h.fake.failNext('chat.postMessage', { channel: 'C0JDA00001', dropResponse: true });
    await submit({ ...VALID_FORM, title, allMembers: false, members: ['jda', 'jpa'] });
    const id = await announcedId(title);
    const status = await settled(id);
    expect(status.rows.find((r) => r.memberId === 'jda')?.state).toBe('posted');
    await queues.waitIdle();
    expect(advisoryPosts('C0JDA00001', title)).toHaveLength(1);
    const jdaPosts = h.fake.callsTo('chat.postMessage').filter((c) => c.params['channel'] === 'C0JDA00001' && String(c.params['text']).includes(title));
    expect(jdaPosts.map((c) => c.outcome)).toEqual(['dropped']);
    // The retry looked for its own earlier post (by message metadata) instead of posting again.
    expect(h.fake.callsTo('conversations.history').filter((c) => c.params['channel'] === 'C0JDA00001' && c.seq > jdaPosts[0]!.seq).length).toBeGreaterThan(0);
    // The delivery records the message whose response was lost, found again by its metadata.
    const jdaPost = advisoryPosts('C0JDA00001', title)[0]!;
    const delivery = await store.getDelivery(status.rows.find((r) => r.memberId === 'jda')!.deliveryId);
    expect(delivery?.messages).toEqual([{ platform: 'slack', channelId: 'C0JDA00001', messageId: jdaPost.ts }]);
  });

  it('retries a transient 500 and then posts', async () => {
    const title = 'WF 一時障害';
    h.fake.failNext('chat.postMessage', { channel: 'C0JNA00001', status: 500 });
    await submit({ ...VALID_FORM, title, allMembers: false, members: ['jna'] });
    const id = await announcedId(title);
    const status = await settled(id);
    expect(status.counts).toMatchObject({ total: 1, posted: 1, failed: 0 });
    await queues.waitIdle();
    expect(advisoryPosts('C0JNA00001', title)).toHaveLength(1);
    // It did fail once, and the retry is what posted.
    const jnaCalls = h.fake.callsTo('chat.postMessage').filter((c) => c.params['channel'] === 'C0JNA00001' && String(c.params['text']).includes(title));
    expect(jnaCalls.map((c) => (c.outcome === 'dropped' ? 'dropped' : c.outcome?.status))).toEqual([500, 200]);
  });

  it('marks a delivery failed on a permanent error and alerts the secretariat at once', async () => {
    const title = 'WF 恒久エラー';
    h.fake.setChannel('C0JPA00001', { exists: false });
    try {
      await submit({ ...VALID_FORM, title, allMembers: false, members: ['jpa', 'jma'] });
      const id = await announcedId(title);
      const status = await settled(id);
      expect(status.rows.find((r) => r.memberId === 'jpa')).toMatchObject({ state: 'failed', failure: 'channel_gone' });
      expect(status.rows.find((r) => r.memberId === 'jma')?.state).toBe('posted');
      // The grouped alert of the advisory's failures: jpa listed with the core's reason, explained once.
      const alert = await h.fake.waitFor(() => failedAlerts(id).find((m) => sectionLines(m.blocks).some((l) => l.includes('日本薬剤師会'))));
      const lines = sectionLines(alert.blocks);
      expect(lines).toContain('*⚠ 配信できなかった構成員 1名*');
      // The core's reason, and beside it what Slack itself said.
      expect(lines.filter((l) => l.startsWith('⚠️ *'))).toEqual(['⚠️ *公益社団法人 日本薬剤師会 / Japan Pharmaceutical Association* — `channel_gone` (channel_not_found)']);
      expect(lines.some((l) => l.startsWith('`channel_gone`: チャンネルが見つかりません'))).toBe(true);
      // Tried once: a permanent error is not retried (looked at once every job has run).
      await queues.waitIdle();
      expect(h.fake.callsTo('chat.postMessage').filter((c) => c.params['channel'] === 'C0JPA00001' && String(c.params['text']).includes(title))).toHaveLength(1);
    } finally {
      h.fake.setChannel('C0JPA00001', { exists: true });
    }
  });

  it('never posts TLP:AMBER+STRICT into a channel shared outside the organisation', async () => {
    const title = 'WF 共有チャンネル';
    // JAHIS is marked shared in the directory; JNA is shared according to Slack (conversations.info).
    h.fake.setChannel('C0JNA00001', { extShared: true });
    try {
      await submit({ ...VALID_FORM, title, tlp: 'TLP:AMBER+STRICT', allMembers: false, observers: true, members: ['jna', 'jma'] });
      const id = await announcedId(title);
      const status = await settled(id);
      expect(status.rows.find((r) => r.memberId === 'jahis')).toMatchObject({ state: 'failed', failure: 'TLP_SHARED_CHANNEL' });
      expect(status.rows.find((r) => r.memberId === 'jna')).toMatchObject({ state: 'failed', failure: 'TLP_SHARED_CHANNEL' });
      expect(status.rows.find((r) => r.memberId === 'jma')?.state).toBe('posted');
      expect(advisoryPosts('C0JAHIS001', title)).toHaveLength(0);
      expect(advisoryPosts('C0JNA00001', title)).toHaveLength(0);
      // Both refusals in one grouped alert (one wave of failures), each member once, the reason explained once.
      const memberLines = (m: StoredMessage) => sectionLines(m.blocks).filter((l) => l.startsWith('⚠️ *'));
      await h.fake.waitFor(() => failedAlerts(id).some((m) => memberLines(m).length === 2));
      await queues.waitIdle();
      expect(failedAlerts(id)).toHaveLength(1);
      const rows = memberLines(failedAlerts(id)[0]!);
      expect(rows.filter((l) => l.includes('保健医療福祉情報システム工業会') && l.endsWith('`TLP_SHARED_CHANNEL`'))).toHaveLength(1);
      expect(rows.filter((l) => l.includes('日本看護協会') && l.endsWith('`TLP_SHARED_CHANNEL`'))).toHaveLength(1);
      expect(sectionLines(failedAlerts(id)[0]!.blocks).filter((l) => l.startsWith('`TLP_SHARED_CHANNEL`: '))).toHaveLength(1);
    } finally {
      h.fake.setChannel('C0JNA00001', { extShared: false });
    }
  });

  it('sends TLP:RED only as direct messages to the contacts, and a press there acknowledges', async () => {
    const title = 'WF 受信者限り';
    await submit({ ...VALID_FORM, title, tlp: 'TLP:RED', allMembers: false, members: ['jma'] });
    const id = await announcedId(title);
    await settled(id);
    await queues.waitIdle();
    expect(advisoryPosts('C0JMA00001', title)).toHaveLength(0);
    // One direct message per contact with a Slack id: JMA has one (U0JMA00001), so exactly one DM.
    const posted = h.fake.callsTo('chat.postMessage').filter((c) => String(c.params['text']).includes(title) && c.params['channel'] !== SECRETARIAT_CHANNEL);
    expect(posted.map((c) => String(c.params['channel']))).toEqual(['DU0JMA00001']);
    const dm = advisoryPosts('DU0JMA00001', title);
    expect(dm).toHaveLength(1);
    expect(JSON.stringify(dm[0])).toContain('転送・共有しないでください');
    expect(dm[0]!.text.startsWith('[TLP:RED]')).toBe(true);

    await h.slack.buttonPress({
      userId: 'U0JMA00001',
      userName: 'sato',
      channelId: dm[0]!.channel,
      messageTs: dm[0]!.ts,
      actionId: ACK_ACTION_ID,
      value: String(dm[0]!.metadata!.event_payload['delivery_id']),
      responseUrl: h.fake.responseUrl('red-ack'),
    });
    const status = await eventually(async () => {
      const s = await h.bot.core.statusOf(SECRETARIAT, id);
      return s.counts.acknowledged === 1 && s;
    });
    expect(status.rows[0]).toMatchObject({ memberId: 'jma', acknowledgedBy: 'sato' });
  });
});
