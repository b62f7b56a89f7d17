import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { kindFromConversationId, TEAMS_IMAGE_MAX_BYTES, TeamsChat, type TeamsRender } from '../../../adapters/teams/teams-chat.js';
import { retryAfterMsFrom, toChatError } from '../../../adapters/teams/teams-errors.js';
import { TITLE_MAX } from '../../../src/domain/advisory.js';
import type { ConversationRecord } from '../../../src/domain/conversation.js';
import { ChatError, type ImagePost, type OutboundView, type PostTarget } from '../../../src/ports/chat.js';
import type { AdvisoryView } from '../../../src/view/views.js';
import { cardImages, CONNECTOR_MAX_REQUEST_BYTES, startFakeConnector, type FakeConnector } from '../../support/fake-bot-connector.js';
import { aChatTestView } from '../../support/view-fixtures.js';

const ADAPTIVE = 'application/vnd.microsoft.card.adaptive';
const TENANT = '6f0d2c1e-0000-4000-8000-00000000a001';
const OTHER_TENANT = '6f0d2c1e-0000-4000-8000-00000000b002';
const CHANNEL = '19:4a1f0c2b9e8d4c7f@thread.tacv2';
const BOT = '28:00000000-0000-4000-8000-00000000b07';
const USER = '29:1AbCdEfGhIjKlMnOpQrStUvWxYz';

/** A stand-in renderer: these tests are about talking to the Bot Connector, not about Adaptive Cards. */
const render: TeamsRender = (m) => {
  const line = m.kind === 'advisory' && m.view.acknowledged ? `acknowledged by ${m.view.acknowledged.by}` : `${m.kind} ${m.view.advisoryId}`;
  return {
    text: `${m.kind}: ${m.view.advisoryId}`,
    card: { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: line, wrap: true }] },
  };
};

const view = aChatTestView;

const advisory = (deliveryId: string, patch: Partial<AdvisoryView> = {}): OutboundView => ({ kind: 'advisory', view: view(deliveryId, patch) });

async function rejection(p: Promise<unknown>): Promise<ChatError> {
  const err = await p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ChatError);
  return err as ChatError;
}

/** A token source that gives tok-1, tok-2, … one per request: shows the token is asked for each request. */
function numberedTokens(): () => Promise<string> {
  let n = 0;
  return async () => `tok-${++n}`;
}

/** The store's side, in memory: records by conversation, and the tenant's latest. */
class Records {
  readonly byId = new Map<string, ConversationRecord>();
  add(r: Partial<ConversationRecord> & Pick<ConversationRecord, 'conversationId' | 'serviceUrl'>): void {
    this.byId.set(r.conversationId, {
      platform: 'teams',
      tenantId: TENANT,
      kind: 'channel',
      botId: BOT,
      removed: false,
      updatedAt: new Date(Date.now() + this.byId.size).toISOString(),
      ...r,
    });
  }
  /** Set to make remember() fail, as a store that is down would. */
  failRemember = false;
  readonly lookup = {
    conversation: async (id: string) => this.byId.get(id) ?? null,
    tenant: async (tenantId: string) =>
      [...this.byId.values()].filter((r) => r.tenantId === tenantId).sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))[0] ?? null,
    remember: async (r: Omit<ConversationRecord, 'updatedAt'>) => {
      if (this.failRemember) throw new Error('store unavailable');
      this.byId.set(r.conversationId, { ...r, updatedAt: new Date(Date.now() + this.byId.size).toISOString() });
    },
  };
}

describe('TeamsChat against the fake Bot Connector', () => {
  let fake: FakeConnector;
  let records: Records;
  let chat: TeamsChat;
  const target: PostTarget = { workspaceId: TENANT, channelId: CHANNEL };

  beforeEach(async () => {
    // Served under a path, as the regional service URLs are (https://smba.trafficmanager.net/amer/).
    fake = await startFakeConnector({ basePath: '/amer/' });
    records = new Records();
    records.add({ conversationId: CHANNEL, serviceUrl: fake.serviceUrl, teamId: '19:team@thread.tacv2' });
    chat = new TeamsChat({ appId: '', lookup: records.lookup, render });
  });

  afterEach(async () => {
    await fake.close();
  });

  it('posts an Adaptive Card into a channel, without a token when there is no app id', async () => {
    const ref = await chat.post(target, advisory('ADV-1.m1'), 'ADV-1.m1');
    expect(ref).toEqual({ platform: 'teams', channelId: CHANNEL, messageId: expect.stringMatching(/^\d+$/) });

    expect(fake.calls).toHaveLength(1);
    const [call] = fake.calls;
    // Send to conversation: a new message in the channel, its id percent-encoded under the service URL's own path.
    expect(call?.operation).toBe('sendToConversation');
    expect(call?.method).toBe('POST');
    expect(call?.conversationId).toBe(CHANNEL);
    expect(call?.path).toBe('/amer/v3/conversations/19%3A4a1f0c2b9e8d4c7f%40thread.tacv2/activities');
    expect(call?.headers.authorization).toBeUndefined();
    expect(call?.body).toMatchObject({
      type: 'message',
      channelId: 'msteams',
      serviceUrl: fake.serviceUrl,
      from: { id: BOT },
      conversation: { id: CHANNEL, isGroup: true, conversationType: 'channel', tenantId: TENANT },
      channelData: { tenant: { id: TENANT } },
      summary: 'advisory: ADV-1',
    });
    expect((call?.body as { text?: unknown }).text).toBeUndefined();

    const stored = fake.activities(CHANNEL);
    expect(stored).toHaveLength(1);
    expect(stored[0]?.id).toBe(ref.messageId);
    expect(stored[0]?.attachments).toEqual([
      { contentType: ADAPTIVE, content: { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: 'advisory ADV-1', wrap: true }] } },
    ]);
  });

  it('with an app id, every post and update carries the bot\'s Bot Connector token, asked for each request', async () => {
    const signed = new TeamsChat({
      appId: '00000000-1111-2222-3333-444444444444',
      lookup: records.lookup,
      render,
      token: numberedTokens(),
    });
    const ref = await signed.post(target, advisory('D-tok'), 'D-tok');
    await signed.update(ref, advisory('D-tok'), 'D-tok');
    expect(fake.calls.map((c) => [c.operation, c.headers.authorization])).toEqual([
      ['sendToConversation', 'Bearer tok-1'],
      ['updateActivity', 'Bearer tok-2'],
    ]);
  });

  it('with an app id but no token, refuses to start: every post would be refused', () => {
    expect(() => new TeamsChat({ appId: '00000000-1111-2222-3333-444444444444', lookup: records.lookup, render })).toThrow(/token/);
  });

  it('a token that cannot be had fails the post as transient, nothing sent', async () => {
    const unsigned = new TeamsChat({ appId: 'app', lookup: records.lookup, render, token: () => Promise.reject(new Error('Entra ID unreachable')) });
    expect(await rejection(unsigned.post(target, advisory('D-notok'), 'D-notok'))).toMatchObject({ kind: 'transient' });
    expect(fake.calls).toHaveLength(0);
  });

  it('updates the posted card in place', async () => {
    const ref = await chat.post(target, advisory('D-upd'), 'D-upd');
    await chat.update(ref, advisory('D-upd', { acknowledged: { by: 'Sato', at: '2025-01-01T01:00:00.000Z', via: 'button' } }), 'D-upd');

    const [put] = fake.callsTo('updateActivity');
    expect(put).toMatchObject({ method: 'PUT', conversationId: CHANNEL, activityId: ref.messageId });
    expect(put?.body).toMatchObject({ id: ref.messageId, type: 'message', conversation: { id: CHANNEL }, channelData: { tenant: { id: TENANT } } });

    const stored = fake.activities(CHANNEL);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ id: ref.messageId, updates: 1 });
    expect(stored[0]?.attachments?.[0]).toMatchObject({ contentType: ADAPTIVE, content: { body: [{ text: 'acknowledged by Sato' }] } });
  });

  it('updating a message Teams does not have is permanent', async () => {
    const err = await rejection(chat.update({ platform: 'teams', channelId: CHANNEL, messageId: '1700000000000' }, advisory('D-x'), 'D-x'));
    expect(err).toMatchObject({ kind: 'permanent', code: 'ActivityNotFound' });
    expect(await rejection(chat.update({ platform: 'slack', channelId: CHANNEL, messageId: '1' }, advisory('D-x'), 'D-x'))).toMatchObject({
      kind: 'permanent',
      code: 'wrong_platform',
    });
  });

  it('opens a 1:1 conversation with a contact and posts and updates there', async () => {
    const dm = await chat.openDirectConversation(TENANT, USER);
    expect(dm).toEqual({ workspaceId: TENANT, channelId: expect.stringMatching(/^a:/) });

    const [create] = fake.callsTo('createConversation');
    expect(create).toMatchObject({ method: 'POST', path: '/amer/v3/conversations' });
    expect(create?.body).toMatchObject({
      isGroup: false,
      bot: { id: BOT },
      members: [{ id: USER }],
      tenantId: TENANT,
      channelData: { tenant: { id: TENANT } },
    });

    const ref = await chat.post(dm, advisory('D-dm', { audience: 'direct' }), 'D-dm');
    expect(ref.channelId).toBe(dm.channelId);
    const send = fake.calls.at(-1);
    expect(send?.conversationId).toBe(dm.channelId);
    expect(send?.body).toMatchObject({ conversation: { id: dm.channelId, isGroup: false, conversationType: 'personal', tenantId: TENANT } });
    expect(fake.activities(dm.channelId)).toHaveLength(1);

    // No ConversationRecord exists for the 1:1 chat: update() finds it through what this instance learnt.
    await chat.update(ref, advisory('D-dm', { acknowledged: { by: 'Sato', at: '2025-01-01T01:00:00.000Z', via: 'button' } }), 'D-dm');
    expect(fake.activities(dm.channelId)[0]?.updates).toBe(1);

    // The same user again: Teams gives back the same conversation.
    expect(await chat.openDirectConversation(TENANT, USER)).toEqual(dm);
  });

  it('records the 1:1 chat it opens, so another instance (a restart) can update its card', async () => {
    const dm = await chat.openDirectConversation(TENANT, USER);
    expect(records.byId.get(dm.channelId)).toMatchObject({ platform: 'teams', conversationId: dm.channelId, tenantId: TENANT, kind: 'personal', botId: BOT, removed: false });
    const ref = await chat.post(dm, advisory('D-dm2', { audience: 'direct' }), 'D-dm2');
    const restarted = new TeamsChat({ appId: '', lookup: records.lookup, render });
    await restarted.update(ref, advisory('D-dm2'), 'D-dm2');
    expect(fake.activities(dm.channelId)[0]?.updates).toBe(1);
    expect(fake.calls.at(-1)?.body).toMatchObject({ conversation: { id: dm.channelId, conversationType: 'personal', tenantId: TENANT } });
  });

  it('does not post into a 1:1 chat it could not record: the job retries (transient)', async () => {
    records.failRemember = true;
    const err = await rejection(chat.openDirectConversation(TENANT, USER));
    expect(err).toMatchObject({ kind: 'transient', code: 'conversation_not_recorded' });
    expect(fake.calls.filter((c) => c.operation === 'sendToConversation')).toHaveLength(0);
    expect(fake.calls.filter((c) => c.operation === 'createConversation')).toHaveLength(1);
  });

  it('a channel without a record of its own is reached through its tenant', async () => {
    const other = '19:9999aaaabbbbcccc@thread.tacv2';
    const ref = await chat.post({ workspaceId: TENANT, channelId: other }, advisory('D-t'), 'D-t');
    expect(ref.channelId).toBe(other);
    expect(fake.calls.at(-1)?.body).toMatchObject({ conversation: { id: other, isGroup: true, conversationType: 'channel', tenantId: TENANT }, from: { id: BOT } });
  });

  it('a tenant with no record has not installed the app: TEAMS_NOT_INSTALLED, nothing sent', async () => {
    const err = await rejection(chat.post({ workspaceId: OTHER_TENANT, channelId: '19:x@thread.tacv2' }, advisory('D-n'), 'D-n'));
    expect(err).toMatchObject({ kind: 'permanent', code: 'TEAMS_NOT_INSTALLED' });
    expect(await rejection(chat.openDirectConversation(OTHER_TENANT, USER))).toMatchObject({ kind: 'permanent', code: 'TEAMS_NOT_INSTALLED', reason: 'not_installed' });
    expect(fake.calls).toHaveLength(0);
  });

  it('refuses a conversation recorded in another tenant than the directory names', async () => {
    const err = await rejection(chat.post({ workspaceId: OTHER_TENANT, channelId: CHANNEL }, advisory('D-m'), 'D-m'));
    expect(err).toMatchObject({ kind: 'permanent', code: 'TEAMS_TENANT_MISMATCH' });
    expect(fake.calls).toHaveLength(0);
  });

  it('a 429 with Retry-After is rate_limited after exactly one request', async () => {
    fake.failNext({ conversationId: CHANNEL, status: 429, retryAfterSec: 7 });
    const err = await rejection(chat.post(target, advisory('D-429'), 'D-429'));
    expect(err).toMatchObject({ kind: 'rate_limited', retryAfterMs: 7000 });
    expect(fake.calls).toHaveLength(1);
    expect(fake.activities(CHANNEL)).toHaveLength(0);
  });

  it('opening a 1:1 chat answered 429 with Retry-After is rate_limited after exactly one request, not retried inside the job', async () => {
    fake.failNext({ operation: 'createConversation', status: 429, retryAfterSec: 7 });
    const err = await rejection(chat.openDirectConversation(TENANT, USER));
    expect(err).toMatchObject({ kind: 'rate_limited', retryAfterMs: 7000 });
    expect(fake.calls.map((call) => call.operation)).toEqual(['createConversation']);
    expect(fake.createdConversations()).toEqual([]);
  });

  it('a 1:1 chat answered without its id (202, or a page): transient invalid_response, and nothing is recorded', async () => {
    for (const rawBody of ['', '<html>gateway</html>']) {
      fake.failNext({ operation: 'createConversation', status: 202, rawBody });
      expect(await rejection(chat.openDirectConversation(TENANT, USER))).toMatchObject({ kind: 'transient', code: 'invalid_response' });
    }
    expect([...records.byId.values()].filter((r) => r.kind === 'personal')).toEqual([]);
  });

  it('a 429 without Retry-After is transient, left to the job backoff', async () => {
    fake.failNext({ status: 429 });
    const err = await rejection(chat.post(target, advisory('D-429b'), 'D-429b'));
    expect(err).toMatchObject({ kind: 'transient', code: 'Throttled', retryAfterMs: undefined });
    expect(fake.calls).toHaveLength(1);
  });

  it('404 ConversationNotFound is permanent', async () => {
    fake.failNext({ conversationId: CHANNEL, status: 404 });
    expect(await rejection(chat.post(target, advisory('D-404'), 'D-404'))).toMatchObject({ kind: 'permanent', code: 'ConversationNotFound' });

    const gone = '19:gone@thread.tacv2';
    records.add({ conversationId: gone, serviceUrl: fake.serviceUrl });
    fake.setConversation(gone, { exists: false });
    expect(await rejection(chat.post({ ...target, channelId: gone }, advisory('D-gone'), 'D-gone'))).toMatchObject({
      kind: 'permanent',
      code: 'ConversationNotFound',
    });
    expect(fake.calls).toHaveLength(2);
  });

  it('403 (the bot was removed) and 400 are permanent, with the Teams code', async () => {
    fake.setConversation(CHANNEL, { botMember: false });
    expect(await rejection(chat.post(target, advisory('D-403'), 'D-403'))).toMatchObject({ kind: 'permanent', code: 'BotNotInConversationRoster' });
    fake.setConversation(CHANNEL, { botMember: true });
    fake.failNext({ status: 403, code: 'BotDisabledByAdmin' });
    expect(await rejection(chat.post(target, advisory('D-403b'), 'D-403b'))).toMatchObject({ kind: 'permanent', code: 'BotDisabledByAdmin' });
    fake.failNext({ status: 400 });
    expect(await rejection(chat.post(target, advisory('D-400'), 'D-400'))).toMatchObject({ kind: 'permanent', code: 'BadArgument' });
    fake.failNext({ status: 403, rawBody: 'Forbidden' });
    expect(await rejection(chat.post(target, advisory('D-403c'), 'D-403c'))).toMatchObject({ kind: 'permanent', code: 'http_403' });
  });

  it('502, 504 and 412 are transient, after exactly one request each', async () => {
    fake.failNext({ status: 502, rawBody: '<html>Bad Gateway</html>' });
    expect(await rejection(chat.post(target, advisory('D-502'), 'D-502'))).toMatchObject({ kind: 'transient', code: 'http_502' });
    fake.failNext({ status: 504 });
    expect(await rejection(chat.post(target, advisory('D-504'), 'D-504'))).toMatchObject({ kind: 'transient', code: 'GatewayTimeout' });
    expect(fake.calls).toHaveLength(2);

    const ref = await chat.post(target, advisory('D-412'), 'D-412');
    fake.failNext({ method: 'PUT', status: 412 });
    expect(await rejection(chat.update(ref, advisory('D-412'), 'D-412'))).toMatchObject({ kind: 'transient', code: 'PreconditionFailed' });
    expect(fake.callsTo('updateActivity')).toHaveLength(1);
  });

  it('reaches a service URL given without its trailing slash under its own path, as JSON', async () => {
    const bare = '19:bare@thread.tacv2';
    records.add({ conversationId: bare, serviceUrl: fake.serviceUrl.replace(/\/$/, '') });
    await chat.post({ ...target, channelId: bare }, advisory('D-bare'), 'D-bare');
    expect(fake.calls[0]?.path).toBe('/amer/v3/conversations/19%3Abare%40thread.tacv2/activities');
    expect(fake.calls[0]?.headers['content-type']).toMatch(/^application\/json/);
  });

  it('a reply in a chat (no threads there) is the next message of the chat itself', async () => {
    const dm = await chat.openDirectConversation(TENANT, USER);
    await chat.post({ ...dm, threadOf: { platform: 'teams', channelId: dm.channelId, messageId: '1700000000001' } }, advisory('D-dm-reply'), 'D-dm-reply');
    expect(fake.callsTo('sendToConversation').map((c) => c.conversationId)).toEqual([dm.channelId]);
  });

  it('a 3xx (a proxy\'s redirect) is not a post: transient, invalid_response', async () => {
    fake.failNext({ status: 300, rawBody: '' });
    expect(await rejection(chat.post(target, advisory('D-302'), 'D-302'))).toMatchObject({ kind: 'transient', code: 'invalid_response' });
  });

  it('an update answered 200 with no body has worked', async () => {
    const ref = await chat.post(target, advisory('D-empty'), 'D-empty');
    fake.failNext({ method: 'PUT', status: 200, rawBody: '' });
    await expect(chat.update(ref, advisory('D-empty'), 'D-empty')).resolves.toBeUndefined();
  });

  it('an answer without the id (202 with no body) or one that is not JSON is a transient invalid_response: the post may exist', async () => {
    fake.failNext({ status: 202, rawBody: '' });
    expect(await rejection(chat.post(target, advisory('D-202'), 'D-202'))).toMatchObject({ kind: 'transient', code: 'invalid_response' });
    fake.failNext({ status: 200, rawBody: '<html>ok</html>' });
    expect(await rejection(chat.post(target, advisory('D-200'), 'D-200'))).toMatchObject({ kind: 'transient', code: 'invalid_response' });
    fake.failNext({ status: 201, rawBody: '{"id":""}' });
    expect(await rejection(chat.post(target, advisory('D-201'), 'D-201'))).toMatchObject({ kind: 'transient', code: 'invalid_response' });
    expect(fake.calls).toHaveLength(3);
  });

  it('a lost response is transient; the message exists and findPost cannot see it (a retry duplicates it)', async () => {
    fake.failNext({ conversationId: CHANNEL, dropResponse: true });
    const err = await rejection(chat.post(target, advisory('D-lost'), 'D-lost'));
    expect(err).toMatchObject({ kind: 'transient', code: 'ECONNRESET' });
    expect(fake.calls).toHaveLength(1);
    expect(fake.activities(CHANNEL)).toHaveLength(1);
    // Teams cannot find its own posts: declared, so the core never asks (and says a retry may repeat it).
    expect(chat.capabilities.findOwnPost).toBe(false);
  });

  it('an answer cut off mid-body is transient (the post exists), and fails at once rather than holding the job', async () => {
    fake.failNext({ conversationId: CHANNEL, cutResponse: true });
    const err = await rejection(chat.post(target, advisory('D-cut'), 'D-cut'));
    expect(err).toMatchObject({ kind: 'transient', maybeDone: true });
    expect(fake.activities(CHANNEL)).toHaveLength(1);
  });

  it('a connector slower than the request timeout is a transient request_timeout', async () => {
    const impatient = new TeamsChat({ appId: '', lookup: records.lookup, render, requestTimeoutMs: 150 });
    fake.failNext({ delayMs: 600, status: 500 });
    const err = await rejection(impatient.post(target, advisory('D-slow'), 'D-slow'));
    expect(err).toMatchObject({ kind: 'transient', code: 'request_timeout' });
    expect(fake.calls).toHaveLength(1);
  });

  it('opening a 1:1 chat: 403 and 404 are permanent', async () => {
    fake.failNext({ operation: 'createConversation', status: 403, code: 'Forbidden' });
    expect(await rejection(chat.openDirectConversation(TENANT, USER))).toMatchObject({ kind: 'permanent', code: 'Forbidden' });
    fake.failNext({ operation: 'createConversation', status: 404, code: 'NotFound' });
    expect(await rejection(chat.openDirectConversation(TENANT, USER))).toMatchObject({ kind: 'permanent', code: 'NotFound' });
  });

  it('opening a 1:1 chat that Teams never answers times out, once, as a post would; it carries the bot’s token', async () => {
    const impatient = new TeamsChat({
      appId: 'app',
      lookup: records.lookup,
      render,
      requestTimeoutMs: 150,
      token: numberedTokens(),
    });
    fake.failNext({ operation: 'createConversation', delayMs: 1_000, status: 504 });
    expect(await rejection(impatient.openDirectConversation(TENANT, USER))).toMatchObject({ kind: 'transient', reason: 'timeout', maybeDone: true });
    const dm = await impatient.openDirectConversation(TENANT, USER);
    expect(dm.channelId).toMatch(/^a:/);
    expect(fake.callsTo('createConversation').map((c) => c.headers.authorization)).toEqual(['Bearer tok-1', 'Bearer tok-2']);
  });

  describe('a picture', () => {
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 1, 2, 254, 255]);
    const picture = (patch: Partial<ImagePost['view']> = {}, bytes: Uint8Array = png): ImagePost => ({
      png: bytes,
      filename: 'ADV-2026-0042-reach.png',
      view: {
        kind: 'reach_chart',
        advisoryId: 'ADV-2026-0042',
        title: 'VPN **装置** <at>全員</at>',
        tlp: 'TLP:AMBER',
        severity: 'level3',
        drill: false,
        heading: { ja: '受領確認の推移', en: 'Share acknowledged over time' },
        altText: { ja: '受領確認 8件（80%）', en: '8 (80%) acknowledged' },
        ...patch,
      },
    });

    it('goes inline, once: a card with the label, the heading, the escaped title and the PNG as a data URI', async () => {
      const ref = await chat.postImage(target, picture(), 'ADV-2026-0042.closing.chart.command');
      expect(ref).toEqual({ platform: 'teams', channelId: CHANNEL, id: expect.stringMatching(/^\d+$/) });
      expect(fake.calls).toHaveLength(1);
      expect(fake.calls[0]?.body).toMatchObject({ type: 'message', channelData: { tenant: { id: TENANT } }, summary: '[TLP:AMBER] 📈 受領確認の推移 / Share acknowledged over time: ADV-2026-0042 VPN **装置** <\u2060at>全員<\u2060/at>' });

      const [stored] = fake.activities(CHANNEL);
      expect(stored?.id).toBe(ref.id);
      const images = cardImages(stored!);
      expect(images).toHaveLength(1);
      expect(images[0]).toMatchObject({ where: 'card', mimeType: 'image/png', altText: '受領確認 8件（80%） / 8 (80%) acknowledged' });
      expect(Buffer.from(images[0]!.png).equals(Buffer.from(png))).toBe(true);
      const card = stored?.attachments?.[0]?.content as { version: string; body: { type: string; text?: string; items?: { text: string }[] }[] };
      expect(stored?.attachments?.[0]?.contentType).toBe(ADAPTIVE);
      expect(card.version).toBe('1.5');
      // The label first; the picture last, under its heading and the advisory's title (escaped: no bold, no mention).
      expect(card.body.map((e) => e.type)).toEqual(['Container', 'TextBlock', 'TextBlock', 'Image']);
      expect(card.body[0]?.items?.[0]?.text).toContain('TLP:AMBER');
      expect(card.body[1]?.text).toBe('📈 **受領確認の推移 / Share acknowledged over time**');
      expect(card.body[2]?.text).toBe('ADV-2026-0042 VPN \\*\\*装置\\*\\* <\u2060at>全員<\u2060/at>');
    });

    it("a drill's carries the drill banner under the label", async () => {
      await chat.postImage(target, picture({ drill: true, advisoryId: 'DRL-2026-0003' }), 'k');
      const card = fake.activities(CHANNEL)[0]?.attachments?.[0]?.content as { body: { type: string; items?: { text: string }[] }[] };
      expect(card.body.slice(0, 2).map((e) => e.items?.[0]?.text)).toEqual([expect.stringContaining('TLP:AMBER'), expect.stringContaining('【訓練】これは訓練です / \\[DRILL\\] This is a drill')]);
      expect(fake.activities(CHANNEL)[0]?.summary).toContain('【訓練】[DRILL]');
    });

    it('as a reply in a channel post\'s thread goes to the thread\'s conversation', async () => {
      await chat.postImage({ ...target, threadOf: { platform: 'teams', channelId: CHANNEL, messageId: '1700000000001' } }, picture(), 'k');
      expect(fake.calls[0]?.conversationId).toBe(`${CHANNEL};messageid=1700000000001`);
    });

    it('the largest it takes fits the Bot Connector\'s request limit with the longest title; one byte more is refused before sending', async () => {
      const largest = new Uint8Array(TEAMS_IMAGE_MAX_BYTES).map((_, i) => (i * 7919) % 256);
      await chat.postImage(target, picture({ title: '長'.repeat(TITLE_MAX) }, largest), 'k');
      expect(fake.calls[0]?.outcome).toMatchObject({ status: 200 });
      expect(Number(fake.calls[0]?.headers['content-length'])).toBeLessThan(CONNECTOR_MAX_REQUEST_BYTES);
      expect(Buffer.from(cardImages(fake.activities(CHANNEL)[0]!)[0]!.png).equals(Buffer.from(largest))).toBe(true);

      const over = new Uint8Array(TEAMS_IMAGE_MAX_BYTES + 1);
      expect(await rejection(chat.postImage(target, picture({}, over), 'k'))).toMatchObject({ kind: 'permanent', reason: 'too_large', maybeDone: false });
      expect(fake.calls).toHaveLength(1);
    });

    it('refused by Teams maps as a post would: 413 too large and 403 for good, 429 to wait', async () => {
      fake.failNext({ conversationId: CHANNEL, status: 413, code: 'MessageSizeTooBig' });
      expect(await rejection(chat.postImage(target, picture(), 'k'))).toMatchObject({ kind: 'permanent', reason: 'too_large' });
      fake.failNext({ conversationId: CHANNEL, status: 403, code: 'BotNotInConversationRoster' });
      expect(await rejection(chat.postImage(target, picture(), 'k'))).toMatchObject({ kind: 'permanent', reason: 'not_in_channel' });
      fake.failNext({ conversationId: CHANNEL, status: 429, retryAfterSec: 2 });
      expect(await rejection(chat.postImage(target, picture(), 'k'))).toMatchObject({ kind: 'rate_limited', retryAfterMs: 2_000 });
      expect(fake.activities(CHANNEL)).toEqual([]);
      expect(fake.calls).toHaveLength(3);
    });
  });

  it('declares that it can neither find its own posts, tell a shared channel nor list a thread, and refuses to pretend', async () => {
    expect(chat.capabilities).toEqual({ findOwnPost: false, detectSharedChannel: false, readThreads: false, postImage: { maxBytes: TEAMS_IMAGE_MAX_BYTES } });
    await expect(chat.findPost(target, 'any', new Date(0))).rejects.toThrow(/findOwnPost/);
    await expect(chat.threadReplies({ platform: 'teams', channelId: CHANNEL, messageId: 'm1' }, new Date(0))).rejects.toThrow(/readThreads/);
    await expect(chat.isSharedOutside({ platform: 'teams', workspaceId: TENANT, channelId: CHANNEL, sharedOutside: true })).rejects.toThrow(/detectSharedChannel/);
    expect(fake.calls).toHaveLength(0);
  });
});

describe('toChatError', () => {
  const restError = (statusCode: number | undefined, code?: string, headers: Record<string, string> = {}, details?: unknown): Error => {
    const e = Object.assign(new Error('boom'), { name: 'RestError', statusCode, code, details });
    Object.defineProperty(e, 'response', {
      value: { status: statusCode, headers: { get: (n: string) => headers[n.toLowerCase()] } },
      enumerable: false,
    });
    return e;
  };

  it('classifies by status, keeping the Teams code', () => {
    expect(toChatError(restError(429, 'Throttled', { 'retry-after': '2' }))).toMatchObject({ kind: 'rate_limited', code: 'Throttled', retryAfterMs: 2000 });
    expect(toChatError(restError(429, undefined, { 'retry-after-ms': '250' }))).toMatchObject({ kind: 'rate_limited', code: 'http_429', retryAfterMs: 250 });
    expect(toChatError(restError(404, undefined, {}, { error: { code: 'ConversationNotFound', message: 'x' } }))).toMatchObject({
      kind: 'permanent',
      code: 'ConversationNotFound',
    });
    expect(toChatError(restError(403, 'BotNotInConversationRoster'))).toMatchObject({ kind: 'permanent', code: 'BotNotInConversationRoster' });
    expect(toChatError(restError(401))).toMatchObject({ kind: 'permanent', code: 'http_401' });
    expect(toChatError(restError(500))).toMatchObject({ kind: 'transient', code: 'http_500' });
    expect(toChatError(restError(503, 'ServiceUnavailable', { 'retry-after': '5' }))).toMatchObject({ kind: 'transient', retryAfterMs: 5000 });
    expect(toChatError(restError(408))).toMatchObject({ kind: 'transient', code: 'http_408' });
  });

  it('says whether Teams may have done it: only a failure that proves nothing happened lets a retry skip its search', () => {
    const maybe = (err: unknown) => toChatError(err).maybeDone;
    expect(maybe(restError(429, 'Throttled', { 'retry-after': '2' }))).toBe(false);
    expect(maybe(restError(429))).toBe(false);
    expect(maybe(restError(412))).toBe(false);
    expect(maybe(restError(425))).toBe(false);
    expect(maybe(restError(403, 'BotNotInConversationRoster'))).toBe(false);
    expect(maybe(Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }))).toBe(false);
    expect(maybe(Object.assign(new Error('getaddrinfo'), { code: 'ENOTFOUND' }))).toBe(false);
    // After the request went out, or from a proxy in front of Teams: it may have been done.
    expect(maybe(restError(500))).toBe(true);
    expect(maybe(restError(502))).toBe(true);
    expect(maybe(restError(408))).toBe(true);
    expect(maybe(Object.assign(new Error('socket hang up'), { name: 'RestError', code: 'ECONNRESET' }))).toBe(true);
    expect(maybe(Object.assign(new Error('aborted'), { name: 'AbortError' }))).toBe(true);
    expect(maybe('weird')).toBe(true);
  });

  it('reads Retry-After as an HTTP date', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(retryAfterMsFrom({ get: (n) => (n === 'retry-after' ? 'Wed, 01 Jan 2025 00:00:30 GMT' : undefined) }, now)).toBe(30_000);
    expect(retryAfterMsFrom({ 'Retry-After': '3' })).toBe(3000);
    expect(retryAfterMsFrom({ get: () => 'soon' })).toBeUndefined();
  });

  it('network failures and timeouts are transient', () => {
    expect(toChatError(Object.assign(new Error('socket hang up'), { name: 'RestError', code: 'ECONNRESET' }))).toMatchObject({ kind: 'transient', code: 'ECONNRESET' });
    expect(toChatError(Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }))).toMatchObject({ kind: 'transient', code: 'ECONNREFUSED' });
    expect(toChatError(new Error('x', { cause: Object.assign(new Error('t'), { code: 'ETIMEDOUT' }) }))).toMatchObject({ kind: 'transient', code: 'request_timeout' });
    expect(toChatError(Object.assign(new Error('aborted'), { name: 'AbortError' }))).toMatchObject({ kind: 'transient', code: 'request_timeout' });
    expect(toChatError(new Error('socket hang up'))).toMatchObject({ kind: 'transient', code: 'ECONNRESET' });
    expect(toChatError('weird')).toMatchObject({ kind: 'transient', code: 'unexpected_error' });
    const same = new ChatError('permanent', 'X');
    expect(toChatError(same)).toBe(same);
  });
});

describe('helpers', () => {
  it('tells a conversation kind from a Teams id', () => {
    expect(kindFromConversationId('a:1abc')).toBe('personal');
    expect(kindFromConversationId('19:abc_def@unq.gbl.spaces')).toBe('personal');
    expect(kindFromConversationId('19:abc@thread.v2')).toBe('groupChat');
    expect(kindFromConversationId('19:abc@thread.tacv2')).toBe('channel');
    expect(kindFromConversationId('19:abc@thread.skype')).toBe('channel');
  });
});
