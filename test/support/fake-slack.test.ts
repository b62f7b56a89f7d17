import { WebClient } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeSlack, type FakeSlack } from './fake-slack.js';

describe('fake Slack Web API', () => {
  let fake: FakeSlack;
  let client: WebClient;

  beforeEach(async () => {
    fake = await startFakeSlack();
    client = new WebClient('xoxb-fake', { slackApiUrl: fake.url, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true });
  });

  afterEach(async () => {
    await fake.close();
  });

  async function post(channel: string, n: number, withMetadata = true): Promise<string> {
    const res = await client.chat.postMessage({
      channel,
      text: `message ${n}`,
      blocks: [{ type: 'section', text: { type: 'plain_text', text: `block ${n}` } }],
      ...(withMetadata ? { metadata: { event_type: 'ceptoar_delivery', event_payload: { delivery_id: `d${n}` } } } : {}),
    });
    return res.ts ?? '';
  }

  it('answers auth.test and records the bearer token and decoded nested fields', async () => {
    const auth = await client.auth.test();
    expect(auth).toMatchObject({ ok: true, team_id: 'T0CEPTOAR0', user_id: fake.botUserId, bot_id: fake.botId });

    await post('C1', 1);
    const [call] = fake.callsTo('chat.postMessage');
    expect(call?.token).toBe('xoxb-fake');
    expect(call?.params.blocks).toEqual([{ type: 'section', text: { type: 'plain_text', text: 'block 1' } }]);
    expect(call?.params.metadata).toEqual({ event_type: 'ceptoar_delivery', event_payload: { delivery_id: 'd1' } });
    expect(fake.messages('C1')[0]).toMatchObject({ text: 'message 1', metadata: { event_payload: { delivery_id: 'd1' } } });
  });

  it('gives increasing ts values and pages history newest first, honouring oldest and limit', async () => {
    const ts: string[] = [];
    for (let i = 0; i < 5; i++) ts.push(await post('C1', i));
    expect([...ts].sort()).toEqual(ts);
    expect(new Set(ts).size).toBe(5);

    const first = await client.conversations.history({ channel: 'C1', oldest: ts[0], limit: 2 });
    expect(first.messages?.map((m) => m.text)).toEqual(['message 4', 'message 3']);
    expect(first.has_more).toBe(true);

    const second = await client.conversations.history({ channel: 'C1', oldest: ts[0], limit: 2, cursor: first.response_metadata?.next_cursor ?? '' });
    // oldest is exclusive unless inclusive is set, as on Slack.
    expect(second.messages?.map((m) => m.text)).toEqual(['message 2', 'message 1']);
    expect(second.has_more).toBe(false);
    expect(second.response_metadata?.next_cursor).toBe('');

    const inclusive = await client.conversations.history({ channel: 'C1', oldest: ts[0], inclusive: true });
    expect(inclusive.messages).toHaveLength(5);
  });

  it('includes message metadata in history only when include_all_metadata is true', async () => {
    await post('C1', 1);
    const without = await client.conversations.history({ channel: 'C1' });
    expect(without.messages?.[0]?.metadata).toBeUndefined();
    const withMeta = await client.conversations.history({ channel: 'C1', include_all_metadata: true });
    expect(withMeta.messages?.[0]?.metadata).toEqual({ event_type: 'ceptoar_delivery', event_payload: { delivery_id: 'd1' } });
  });

  it('failNext applies to the given channel for the given number of times', async () => {
    fake.failNext('chat.postMessage', { channel: 'C2', error: 'channel_not_found', times: 2 });
    await expect(post('C2', 1)).rejects.toMatchObject({ data: { error: 'channel_not_found' } });
    await post('C1', 2);
    await expect(post('C2', 3)).rejects.toMatchObject({ data: { error: 'channel_not_found' } });
    await post('C2', 4);
    expect(fake.messages('C2').map((m) => m.text)).toEqual(['message 4']);
  });

  it('answers 429 with Retry-After and stores nothing', async () => {
    fake.failNext('chat.postMessage', { status: 429, retryAfterSec: 3 });
    await expect(post('C1', 1)).rejects.toMatchObject({ retryAfter: 3 });
    const [call] = fake.callsTo('chat.postMessage');
    expect(call?.outcome).toMatchObject({ status: 429 });
    expect(fake.messages('C1')).toHaveLength(0);
  });

  it('models channel states: missing, archived, bot not a member', async () => {
    fake.setChannel('CGONE', { exists: false });
    fake.setChannel('CARCH', { archived: true });
    fake.setChannel('COUT', { botMember: false });
    await expect(post('CGONE', 1)).rejects.toMatchObject({ data: { error: 'channel_not_found' } });
    await expect(post('CARCH', 1)).rejects.toMatchObject({ data: { error: 'is_archived' } });
    await expect(post('COUT', 1)).rejects.toMatchObject({ data: { error: 'not_in_channel' } });
    const info = await client.conversations.info({ channel: 'CARCH' });
    expect(info.channel).toMatchObject({ id: 'CARCH', is_archived: true, is_ext_shared: false });
  });

  it('answers unknown methods with unknown_method and records response_url posts', async () => {
    await expect(client.apiCall('no.such.method')).rejects.toMatchObject({ data: { error: 'unknown_method' } });

    const res = await fetch(fake.responseUrl('cmd-1'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ response_type: 'ephemeral', text: 'hello' }),
    });
    expect(res.status).toBe(200);
    expect(fake.responses('cmd-1')).toEqual([{ response_type: 'ephemeral', text: 'hello' }]);
  });

  it('waitFor resolves with the predicate result, and rejects with a dump on timeout', async () => {
    const waiting = fake.waitFor((calls) => calls.find((c) => c.method === 'chat.postMessage' && c.outcome !== undefined));
    void post('C1', 1);
    const call = await waiting;
    expect(call.params.channel).toBe('C1');

    await expect(fake.waitFor(() => false, { timeoutMs: 50, description: 'never' })).rejects.toThrow(/never.*timed out[\s\S]*chat\.postMessage\(channel=C1/);
  });

  it('records views.open and lets views.update replace the view', async () => {
    const opened = await client.views.open({ trigger_id: 't1', view: { type: 'modal', title: { type: 'plain_text', text: 'A' }, blocks: [] } });
    const id = opened.view?.id ?? '';
    await client.views.update({ view_id: id, view: { type: 'modal', title: { type: 'plain_text', text: 'B' }, blocks: [] } });
    expect(fake.views()).toEqual([expect.objectContaining({ id, method: 'views.update', view: expect.objectContaining({ title: { type: 'plain_text', text: 'B' } }) })]);
    await expect(client.views.update({ view_id: 'VNOPE', view: { type: 'modal', title: { type: 'plain_text', text: 'C' }, blocks: [] } })).rejects.toMatchObject({
      data: { error: 'not_found' },
    });
  });

  describe('files (files.uploadV2)', () => {
    const bytes = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 9, 8, 7, 0, 255]);

    it('hands out an upload URL on itself, keeps the bytes posted there (raw or multipart), and shares the file on completion', async () => {
      const got = await client.files.getUploadURLExternal({ filename: 'chart.png', length: bytes.length, alt_text: 'a chart' });
      expect(got.upload_url?.startsWith(fake.url.replace(/\/api\/$/, '/upload/v1/'))).toBe(true);
      expect(got.file_id).toMatch(/^F\d+$/);

      // Raw bytes, as a plain HTTP client would send them.
      const res = await fetch(got.upload_url ?? '', { method: 'POST', body: bytes });
      expect([res.status, await res.text()]).toEqual([200, `OK - ${bytes.length}`]);
      expect(fake.files()[0]).toMatchObject({ id: got.file_id, filename: 'chart.png', length: bytes.length, altText: 'a chart', completed: false });
      expect(Buffer.from(fake.files()[0]?.bytes ?? []).equals(Buffer.from(bytes))).toBe(true);
      // Not shared yet: no message.
      expect(fake.messages('C1')).toEqual([]);

      const done = await client.files.completeUploadExternal({ files: [{ id: got.file_id ?? '', title: 'The chart' }], channel_id: 'C1', initial_comment: 'Here it is' });
      expect(done.files).toEqual([{ id: got.file_id, title: 'The chart' }]);
      const [shared] = fake.messages('C1');
      expect(shared).toMatchObject({ text: 'Here it is', user: fake.botUserId, bot_id: fake.botId, upload: true });
      expect(shared?.files).toEqual([{ id: got.file_id, name: 'chart.png', title: 'The chart', mimetype: 'image/png', filetype: 'png', size: bytes.length, alt_txt: 'a chart' }]);
      expect(shared?.metadata).toBeUndefined();
      expect(fake.files()[0]).toMatchObject({ completed: true, title: 'The chart', channel: 'C1', messageTs: shared?.ts });
      // A shared file is a message in the channel's history like any other.
      expect((await client.conversations.history({ channel: 'C1' })).messages?.map((m) => m.files?.[0]?.id)).toEqual([got.file_id]);
    });

    it('takes the multipart form the WebClient sends, through filesUploadV2, into a thread', async () => {
      const root = await post('C1', 1);
      const res = await client.filesUploadV2({ channel_id: 'C1', thread_ts: root, file: Buffer.from(bytes), filename: 'c.png', title: 'T', initial_comment: 'in the thread' });
      expect(res.ok).toBe(true);
      const upload = fake.callsTo('upload_url')[0];
      expect(upload?.contentType).toMatch(/^multipart\/form-data; boundary=/);
      expect(Buffer.from(fake.files()[0]?.bytes ?? []).equals(Buffer.from(bytes))).toBe(true);
      const reply = fake.messages('C1').find((m) => m.files !== undefined);
      expect(reply).toMatchObject({ thread_ts: root, text: 'in the thread' });
      expect(fake.messages('C1').find((m) => m.ts === root)?.reply_count).toBe(1);
    });

    it('refuses what Slack refuses: bad arguments, a file never uploaded or completed twice, a channel the bot cannot post in', async () => {
      const refusal = (p: Promise<unknown>) => p.then(() => 'ok', (e: { data?: { error?: string } }) => e.data?.error);
      expect(await refusal(client.files.getUploadURLExternal({ filename: '', length: 3 }))).toBe('invalid_arguments');
      expect(await refusal(client.files.getUploadURLExternal({ filename: 'x.png', length: 0 }))).toBe('invalid_arguments');
      expect(await refusal(client.files.getUploadURLExternal({ filename: 'x.png', length: 3, alt_text: 'a'.repeat(1_001) }))).toBe('alt_txt_too_large');
      const got = await client.files.getUploadURLExternal({ filename: 'x.png', length: bytes.length });
      const id = got.file_id ?? '';
      expect(await refusal(client.files.completeUploadExternal({ files: [{ id }], channel_id: 'C1' }))).toBe('file_not_found');
      // Fewer bytes than announced: the ticket does not hold the file.
      await fetch(got.upload_url ?? '', { method: 'POST', body: bytes.subarray(1) });
      expect(await refusal(client.files.completeUploadExternal({ files: [{ id }], channel_id: 'C1' }))).toBe('file_not_found');
      await fetch(got.upload_url ?? '', { method: 'POST', body: bytes });
      fake.setChannel('C2', { botMember: false });
      expect(await refusal(client.files.completeUploadExternal({ files: [{ id }], channel_id: 'C2' }))).toBe('not_in_channel');
      fake.setChannel('C3', { archived: true });
      expect(await refusal(client.files.completeUploadExternal({ files: [{ id }], channel_id: 'C3' }))).toBe('is_archived');
      expect(await refusal(client.files.completeUploadExternal({ files: [{ id }], channel_id: 'C1' }))).toBe('ok');
      expect(await refusal(client.files.completeUploadExternal({ files: [{ id }], channel_id: 'C1' }))).toBe('file_not_found');
      expect(fake.messages('C1')).toHaveLength(1);
      expect((await fetch(`${fake.url.replace(/\/api\/$/, '')}/upload/v1/F404`, { method: 'POST', body: bytes })).status).toBe(404);
    });

    it('plays faults on the upload URL and on each method, by channel_id too; a dropped completion still shares', async () => {
      const got = await client.files.getUploadURLExternal({ filename: 'x.png', length: bytes.length });
      fake.failNext('upload_url', { status: 503 });
      expect((await fetch(got.upload_url ?? '', { method: 'POST', body: bytes })).status).toBe(503);
      expect(fake.files()[0]?.bytes).toBeUndefined();
      await fetch(got.upload_url ?? '', { method: 'POST', body: bytes });
      fake.failNext('files.completeUploadExternal', { channel: 'C9', error: 'channel_not_found' });
      // Aimed at C9: a completion into C1 goes through untouched, and shares before the next one is refused.
      fake.failNext('files.completeUploadExternal', { channel: 'C1', dropResponse: true });
      await expect(client.files.completeUploadExternal({ files: [{ id: got.file_id ?? '' }], channel_id: 'C1' })).rejects.toThrow();
      expect(fake.messages('C1')[0]?.files?.[0]?.id).toBe(got.file_id);
      expect(fake.callsTo('files.completeUploadExternal')[0]?.outcome).toBe('dropped');
    });
  });
});

describe('fake Slack Web API with limits on', () => {
  it('refuses a fourth message to one channel within a second with 429 and Retry-After, and stores nothing for it', async () => {
    const fake = await startFakeSlack({ limits: { workspacePerSecond: 100 }, latencyMs: 20 });
    try {
      const client = new WebClient('xoxb-fake', { slackApiUrl: fake.url, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true });
      for (let i = 0; i < 3; i++) await client.chat.postMessage({ channel: 'C1', text: `m${i}` });
      const started = Date.now();
      await expect(client.chat.postMessage({ channel: 'C1', text: 'one too many' })).rejects.toMatchObject({ code: 'slack_webapi_rate_limited_error', retryAfter: 1 });
      expect(Date.now() - started).toBeGreaterThanOrEqual(15);
      await client.chat.postMessage({ channel: 'C2', text: 'another channel' });
      expect(fake.messages('C1').map((m) => m.text)).toEqual(['m0', 'm1', 'm2']);
      expect(fake.callsTo('chat.postMessage').map((c) => (c.outcome === 'dropped' ? 0 : c.outcome?.status))).toEqual([200, 200, 200, 429, 200]);
    } finally {
      await fake.close();
    }
  });
});
