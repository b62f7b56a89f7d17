/**
 * Fan-out under trouble: rate limits, lost responses, permanent and transient errors, and the TLP
 * rules, through the real endpoint, real BullMQ workers on Redis and a fake Slack Web API.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADVISORY_MODAL_CALLBACK } from '../../adapters/slack/advisory-modal.js';
import { ACK_ACTION_ID } from '../../adapters/slack/advisory-blocks.js';
import { startHarness, type Harness } from '../support/bot-harness.js';
import { formValues, VALID_FORM, type FormFields } from '../support/advisory-form.js';
import type { StoredMessage } from '../support/fake-slack.js';
import { eventually } from '../support/eventually.js';

const SECRETARIAT = { platform: 'slack' as const, userId: 'U0SEC00001' };
const SECRETARIAT_CHANNEL = 'C0SEC00001';
const MEMBER_CHANNELS = [
  'C0JMA00001', 'C0JDA00001', 'C0JPA00001', 'C0JNA00001', 'C0JMHA0001', 'C0AJHA0001', 'C0JAMC0001', 'C0JAPMC001', 'C0JPHA0001',
  'C0JHA00001', 'C0JAMCF001', 'C0NHO00001', 'C0JOHAS001', 'C0JASMC001', 'C0JCHO0001', 'C0JARHF001', 'C0ACBCW001',
];

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

let seq = 0;
async function submit(fields: FormFields): Promise<void> {
  const res = await h.slack.viewSubmission({ userId: SECRETARIAT.userId, viewId: `VW${Date.now()}${seq++}`, callbackId: ADVISORY_MODAL_CALLBACK, values: formValues(fields) });
  expect(res.status).toBe(200);
}

function advisoryPosts(channel: string, title: string): StoredMessage[] {
  return h.fake.messages(channel).filter((m) => m.text.includes(title) && m.metadata?.event_type === 'ceptoar_post' && m.metadata?.event_payload['kind'] === 'advisory');
}

/** Wait until the advisory is announced to the secretariat, and return its id. */
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
    expect(advisoryPosts('C0JMA00001', title)).toHaveLength(1);

    const jmaCalls = h.fake.callsTo('chat.postMessage').filter((c) => c.params['channel'] === 'C0JMA00001' && String(c.params['text']).includes(title));
    expect(jmaCalls.map((c) => (c.outcome === 'dropped' ? 'dropped' : c.outcome?.status))).toEqual([429, 200]);
    // Every other channel was posted before the throttled one's retry: nobody waited for it.
    const others = h.fake
      .callsTo('chat.postMessage')
      .filter((c) => MEMBER_CHANNELS.includes(String(c.params['channel'])) && c.params['channel'] !== 'C0JMA00001' && String(c.params['text']).includes(title));
    expect(others).toHaveLength(16);
    expect(Math.max(...others.map((c) => c.seq))).toBeLessThan(jmaCalls[1]!.seq);
    expect(posts).toHaveLength(17);
  });

  it('does not post twice when the response to chat.postMessage is lost', async () => {
    const title = 'WF 応答消失';
    h.fake.failNext('chat.postMessage', { channel: 'C0JDA00001', dropResponse: true });
    await submit({ ...VALID_FORM, title, allMembers: false, members: ['jda', 'jpa'] });
    const id = await announcedId(title);
    const status = await settled(id);
    expect(status.rows.find((r) => r.memberId === 'jda')?.state).toBe('posted');
    expect(advisoryPosts('C0JDA00001', title)).toHaveLength(1);
    // The retry looked for its own earlier post (by message metadata) instead of posting again.
    expect(h.fake.callsTo('conversations.history').some((c) => c.params['channel'] === 'C0JDA00001')).toBe(true);
    expect(h.fake.callsTo('chat.postMessage').filter((c) => c.params['channel'] === 'C0JDA00001' && String(c.params['text']).includes(title))).toHaveLength(1);
  });

  it('retries a transient 500 and then posts', async () => {
    const title = 'WF 一時障害';
    h.fake.failNext('chat.postMessage', { channel: 'C0JNA00001', status: 500 });
    await submit({ ...VALID_FORM, title, allMembers: false, members: ['jna'] });
    const id = await announcedId(title);
    const status = await settled(id);
    expect(status.counts.posted).toBe(1);
    expect(advisoryPosts('C0JNA00001', title)).toHaveLength(1);
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
      const alert = await h.fake.waitFor(() =>
        h.fake.messages(SECRETARIAT_CHANNEL).find((m) => JSON.stringify(m).includes(id) && JSON.stringify(m).includes('channel_not_found')),
      );
      expect(JSON.stringify(alert)).toContain('日本薬剤師会');
      // Tried once: a permanent error is not retried.
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
      await h.fake.waitFor(() => h.fake.messages(SECRETARIAT_CHANNEL).filter((m) => JSON.stringify(m).includes(id) && JSON.stringify(m).includes('TLP_SHARED_CHANNEL')).length === 2);
    } finally {
      h.fake.setChannel('C0JNA00001', { extShared: false });
    }
  });

  it('sends TLP:RED only as direct messages to the contacts, and a press there acknowledges', async () => {
    const title = 'WF 受信者限り';
    await submit({ ...VALID_FORM, title, tlp: 'TLP:RED', allMembers: false, members: ['jma'] });
    const id = await announcedId(title);
    await settled(id);
    expect(advisoryPosts('C0JMA00001', title)).toHaveLength(0);
    const open = h.fake.callsTo('conversations.open').find((c) => c.params['users'] === 'U0JMA00001');
    expect(open).toBeDefined();
    const dmChannel = h.fake.callsTo('chat.postMessage').find((c) => String(c.params['text']).includes(title) && String(c.params['channel']).startsWith('D'));
    const dm = advisoryPosts(String(dmChannel!.params['channel']), title);
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
