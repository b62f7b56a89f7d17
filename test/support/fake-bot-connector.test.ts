import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cardImages, CONNECTOR_MAX_REQUEST_BYTES, startFakeConnector, type FakeConnector } from './fake-bot-connector.js';

const CHANNEL = '19:abc@thread.tacv2';
const enc = encodeURIComponent;

describe('fake Bot Framework Connector', () => {
  let fake: FakeConnector;

  beforeEach(async () => {
    fake = await startFakeConnector();
  });

  afterEach(async () => {
    await fake.close();
  });

  async function call(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown; headers: Headers }> {
    const res = await fetch(new URL(path, fake.serviceUrl), {
      method,
      headers: { 'content-type': 'application/json', authorization: 'Bearer test-token' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text) as unknown;
    } catch {
      // not JSON: left as text
    }
    return { status: res.status, body: parsed, headers: res.headers };
  }

  const message = (text: string) => ({ type: 'message', text, attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: { type: 'AdaptiveCard' } }] });

  it('sends, replies and updates; decodes ids; records calls with headers', async () => {
    expect(fake.serviceUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const sent = await call('POST', `v3/conversations/${enc(CHANNEL)}/activities`, message('one'));
    expect(sent.status).toBe(200);
    const id = (sent.body as { id: string }).id;
    expect(id).toMatch(/^\d+$/);

    const replied = await call('POST', `v3/conversations/${enc(`${CHANNEL};messageid=${id}`)}/activities/${enc(id)}`, message('two'));
    expect(replied.status).toBe(200);

    const updated = await call('PUT', `v3/conversations/${enc(CHANNEL)}/activities/${enc(id)}`, { ...message('one, edited'), id });
    expect(updated.status).toBe(200);

    // Thread replies live with their channel; updates are applied in place.
    const stored = fake.activities(CHANNEL);
    expect(stored.map((a) => [a.text, a.updates])).toEqual([
      ['one, edited', 1],
      ['two', 0],
    ]);
    expect(stored[1]).toMatchObject({ conversationId: `${CHANNEL};messageid=${id}`, replyToId: id });

    expect(fake.calls.map((c) => [c.method, c.operation, c.conversationId])).toEqual([
      ['POST', 'sendToConversation', CHANNEL],
      ['POST', 'replyToActivity', `${CHANNEL};messageid=${id}`],
      ['PUT', 'updateActivity', CHANNEL],
    ]);
    expect(fake.calls[0]?.path).toBe(`/v3/conversations/${enc(CHANNEL)}/activities`);
    expect(fake.calls[0]?.headers.authorization).toBe('Bearer test-token');
    expect(fake.calls[0]?.body).toMatchObject({ text: 'one' });
    expect(fake.calls[2]?.outcome).toEqual({ status: 200, body: { id } });
  });

  it('answers 404 for an unknown activity or a conversation set not to exist, 403 when the bot was removed', async () => {
    const missing = await call('PUT', `v3/conversations/${enc(CHANNEL)}/activities/123`, message('x'));
    expect(missing).toMatchObject({ status: 404, body: { error: { code: 'ActivityNotFound' } } });

    fake.setConversation('19:gone@thread.tacv2', { exists: false });
    const gone = await call('POST', `v3/conversations/${enc('19:gone@thread.tacv2')}/activities`, message('x'));
    expect(gone).toMatchObject({ status: 404, body: { error: { code: 'ConversationNotFound', message: expect.any(String) } } });

    fake.setConversation(CHANNEL, { botMember: false });
    const removed = await call('POST', `v3/conversations/${enc(CHANNEL)}/activities`, message('x'));
    expect(removed).toMatchObject({ status: 403, body: { error: { code: 'BotNotInConversationRoster' } } });

    const bad = await call('POST', `v3/conversations/${enc('19:other@thread.tacv2')}/activities`, { text: 'no type' });
    expect(bad.status).toBe(400);
    expect(fake.activities(CHANNEL)).toEqual([]);
  });

  it('creates the same 1:1 conversation for the same member, and lists its members', async () => {
    const params = { isGroup: false, bot: { id: '28:bot' }, members: [{ id: '29:user' }], tenantId: 'tenant-1', channelData: { tenant: { id: 'tenant-1' } } };
    const first = await call('POST', 'v3/conversations', params);
    const second = await call('POST', 'v3/conversations', params);
    expect(first.status).toBe(201);
    const id = (first.body as { id: string }).id;
    expect(id).toMatch(/^a:1/);
    expect(second.body).toEqual({ id });
    expect(fake.createdConversations()).toEqual([{ id, memberId: '29:user', tenantId: 'tenant-1' }]);

    const members = await call('GET', `v3/conversations/${enc(id)}/members`);
    expect(members.body).toEqual([{ id: '29:user', name: '29:user', tenantId: 'tenant-1' }]);
    const member = await call('GET', `v3/conversations/${enc(id)}/members/${enc('29:user')}`);
    expect(member.body).toMatchObject({ id: '29:user' });
    expect((await call('GET', `v3/conversations/${enc(id)}/members/${enc('29:nobody')}`)).status).toBe(404);

    const noTenant = await call('POST', 'v3/conversations', { ...params, tenantId: undefined, channelData: {} });
    expect(noTenant).toMatchObject({ status: 400, body: { error: { code: 'BadArgument' } } });
  });

  it('injects faults by conversation and method, a number of times, with Retry-After', async () => {
    fake.failNext({ conversationId: CHANNEL, method: 'POST', status: 429, retryAfterSec: 3, times: 2 });
    const other = await call('POST', `v3/conversations/${enc('19:other@thread.tacv2')}/activities`, message('x'));
    expect(other.status).toBe(200);
    for (let i = 0; i < 2; i++) {
      const throttled = await call('POST', `v3/conversations/${enc(CHANNEL)}/activities`, message('x'));
      expect(throttled.status).toBe(429);
      expect(throttled.headers.get('retry-after')).toBe('3');
      expect(throttled.body).toMatchObject({ error: { code: 'Throttled' } });
    }
    expect((await call('POST', `v3/conversations/${enc(CHANNEL)}/activities`, message('x'))).status).toBe(200);

    fake.failNext({ status: 502, rawBody: '<html>Bad Gateway</html>' });
    const gateway = await call('POST', `v3/conversations/${enc(CHANNEL)}/activities`, message('x'));
    expect(gateway).toMatchObject({ status: 502, body: '<html>Bad Gateway</html>' });
    expect(gateway.headers.get('retry-after')).toBeNull();
    expect(fake.activities(CHANNEL)).toHaveLength(1);
  });

  it('a dropped response still performs the action', async () => {
    fake.failNext({ operation: 'sendToConversation', dropResponse: true });
    await expect(call('POST', `v3/conversations/${enc(CHANNEL)}/activities`, message('lost'))).rejects.toThrow();
    expect(fake.calls[0]?.outcome).toBe('dropped');
    expect(fake.activities(CHANNEL).map((a) => a.text)).toEqual(['lost']);
  });

  it('keeps a picture sent inline, in a card or as an attachment, for cardImages to read back; a hosted one is not held', async () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
    const dataUri = `data:image/png;base64,${png.toString('base64')}`;
    const card = { type: 'AdaptiveCard', body: [{ type: 'Container', items: [{ type: 'Image', url: dataUri, altText: 'in a card' }] }, { type: 'Image', url: 'https://example.com/x.png' }] };
    const sent = await call('POST', `v3/conversations/${enc(CHANNEL)}/activities`, {
      type: 'message',
      attachments: [
        { contentType: 'application/vnd.microsoft.card.adaptive', content: card },
        { contentType: 'image/png', contentUrl: dataUri, name: 'chart.png' },
        { contentType: 'image/png', contentUrl: 'https://example.com/y.png' },
      ],
    });
    expect(sent.status).toBe(200);
    const images = cardImages(fake.activities(CHANNEL)[0]!);
    expect(images.map((i) => [i.where, i.mimeType, i.altText])).toEqual([
      ['card', 'image/png', 'in a card'],
      ['attachment', 'image/png', 'chart.png'],
    ]);
    expect(images.every((i) => Buffer.from(i.png).equals(png))).toBe(true);
    expect(cardImages({ attachments: [{ contentType: 'image/png', contentUrl: 'data:image/png;base64,not base64!' }] })).toEqual([]);
  });

  it('refuses a request over 262,144 bytes with 413 MessageSizeTooBig, as the Bot Connector does, and keeps nothing', async () => {
    const padded = (bytes: number) => {
      const base = JSON.stringify(message(''));
      return { ...message('x'.repeat(bytes - base.length)) };
    };
    expect(JSON.stringify(padded(CONNECTOR_MAX_REQUEST_BYTES)).length).toBe(CONNECTOR_MAX_REQUEST_BYTES);
    expect((await call('POST', `v3/conversations/${enc(CHANNEL)}/activities`, padded(CONNECTOR_MAX_REQUEST_BYTES))).status).toBe(200);
    const over = await call('POST', `v3/conversations/${enc(CHANNEL)}/activities`, padded(CONNECTOR_MAX_REQUEST_BYTES + 1));
    expect(over.status).toBe(413);
    expect(over.body).toEqual({ error: { code: 'MessageSizeTooBig', message: 'The request content length exceeded limit of 262144 bytes.' } });
    expect(fake.activities(CHANNEL)).toHaveLength(1);
  });

  it('serves under a base path, and waitFor reports the calls when it times out', async () => {
    const regional = await startFakeConnector({ basePath: 'emea' });
    try {
      expect(regional.serviceUrl).toMatch(/\/emea\/$/);
      const res = await fetch(new URL(`v3/conversations/${enc(CHANNEL)}/activities`, regional.serviceUrl), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(message('x')),
      });
      expect(res.status).toBe(200);
      const seen = await regional.waitFor((calls) => calls.find((c) => c.operation === 'sendToConversation'), { description: 'the send' });
      expect(seen.conversationId).toBe(CHANNEL);
      await expect(regional.waitFor((calls) => calls.length > 5, { timeoutMs: 50, description: 'six calls' })).rejects.toThrow(
        /six calls.*timed out after 50 ms[\s\S]*#1 POST sendToConversation\(conversation=19:abc@thread\.tacv2\) → 200/,
      );
    } finally {
      await regional.close();
    }
  });
});

describe('fake Bot Connector with limits on', () => {
  it('refuses the eighth message to one conversation within a second (a thread counts as its channel) with 429 Throttled and Retry-After', async () => {
    const fake = await startFakeConnector({ limits: { tenantPerSecond: 100 } });
    try {
      const post = (conversation: string) =>
        fetch(new URL(`v3/conversations/${encodeURIComponent(conversation)}/activities`, fake.serviceUrl), {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ type: 'message', text: 'x' }),
        });
      for (let i = 0; i < 6; i++) expect((await post(CHANNEL)).status).toBe(200);
      expect((await post(`${CHANNEL};messageid=1`)).status).toBe(200);
      const refused = await post(CHANNEL);
      expect(refused.status).toBe(429);
      expect(refused.headers.get('retry-after')).toBe('1');
      expect(await refused.json()).toMatchObject({ error: { code: 'Throttled' } });
      expect((await post('19:other@thread.tacv2')).status).toBe(200);
      expect(fake.activities(CHANNEL)).toHaveLength(7);
    } finally {
      await fake.close();
    }
  });
});
