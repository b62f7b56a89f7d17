import { ErrorCode, WebAPIHTTPError, WebAPIPlatformError, WebAPIRateLimitedError, WebAPIRequestError, type WebClient } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSlackWebClient, SlackChat, type SlackRender } from '../../../adapters/slack/slack-chat.js';
import { PHONE_CLAIM_ACTION_ID, PHONE_RELEASE_ACTION_ID } from '../../../adapters/slack/phone-task-blocks.js';
import { POST_EVENT_TYPE } from '../../../adapters/slack/slack-blocks.js';
import { toChatError } from '../../../adapters/slack/slack-errors.js';
import { ChatError, type ImagePost, type OutboundView } from '../../../src/ports/chat.js';
import type { AdvisoryView, PhoneTaskView } from '../../../src/view/views.js';
import { startFakeSlack, type FakeSlack } from '../../support/fake-slack.js';
import { aChatTestView } from '../../support/view-fixtures.js';

/** A stand-in renderer: these tests are about talking to Slack, not about Block Kit. */
const render: SlackRender = (m) => {
  switch (m.kind) {
    case 'advisory': {
      const v = m.view;
      return {
        text: `[${v.tlp}] ${v.title}`,
        blocks: [{ type: 'section', text: { type: 'mrkdwn', text: v.acknowledged ? `acknowledged by ${v.acknowledged.by}` : v.title } }],
        attachments: [{ color: '#FFC000', text: v.body }],
      };
    }
    default:
      return { text: `${m.kind}: ${m.view.advisoryId}`, blocks: [{ type: 'section', text: { type: 'plain_text', text: m.kind } }] };
  }
};

const advisoryPost = (v: AdvisoryView): OutboundView => ({ kind: 'advisory', view: v });

const view = aChatTestView;

function phoneTask(patch: Partial<PhoneTaskView> = {}): PhoneTaskView {
  return {
    taskId: 'D-1.phone',
    advisoryId: 'ADV-1',
    title: 'Patch the VPN appliance',
    tlp: 'TLP:AMBER',
    severity: 'level3',
    drill: false,
    ackDeadline: '2025-01-01T06:00:00.000Z',
    memberName: { ja: '医療機関A', en: 'Hospital A' },
    script: 'standard',
    excerpt: 'CVE-2025-0001 is exploited in the wild.',
    secretariatName: { ja: '医療セプター事務局', en: 'the Medical CEPTOAR secretariat' },
    contacts: [{ name: '山田', phoneE164: '+81355550101', phoneDisplay: '03-5555-0101', current: true, callable: true, state: 'not_tried', tried: [] }],
    state: 'open',
    exhausted: false,
    tried: 0,
    reachedChoices: [{ index: 0, name: '山田', current: true, choice: '0:k' }],
    ...patch,
  };
}

const target = { workspaceId: 'T0CEPTOAR0', channelId: 'C0MEMBER01' };

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

describe('SlackChat against the fake Slack Web API', () => {
  let fake: FakeSlack;
  let client: WebClient;
  let chat: SlackChat;

  beforeEach(async () => {
    fake = await startFakeSlack();
    client = createSlackWebClient({ token: 'xoxb-test-token', slackApiUrl: fake.url, timeoutMs: 2000 });
    chat = new SlackChat({ client, render });
  });

  afterEach(async () => {
    await fake.close();
  });

  it('posts an advisory without Slack autoformatting and finds it again by its key', async () => {
    const since = new Date();
    const ref = await chat.post(target, advisoryPost(view('ADV-1.m1.slack-C0MEMBER01')), 'ADV-1.m1.slack-C0MEMBER01');
    expect(ref).toEqual({ platform: 'slack', channelId: 'C0MEMBER01', messageId: expect.stringMatching(/^\d+\.\d{6}$/) });

    const [call] = fake.callsTo('chat.postMessage');
    expect(call?.token).toBe('xoxb-test-token');
    expect(call?.params).toMatchObject({ unfurl_links: 'false', unfurl_media: 'false', link_names: 'false', parse: 'none' });
    expect(call?.params.metadata).toEqual({
      event_type: 'ceptoar_post',
      event_payload: { key: 'ADV-1.m1.slack-C0MEMBER01', kind: 'advisory', delivery_id: 'ADV-1.m1.slack-C0MEMBER01', advisory_id: 'ADV-1' },
    });

    const [stored] = fake.messages('C0MEMBER01');
    expect(stored?.text).toBe('[TLP:AMBER] Patch the VPN appliance');
    expect(stored?.attachments).toEqual([{ color: '#FFC000', text: 'CVE-2025-0001 is exploited in the wild.' }]);

    // Another delivery's post in the same channel must not be mistaken for ours.
    await chat.post(target, advisoryPost(view('ADV-2.m1.slack-C0MEMBER01', { advisoryId: 'ADV-2' })), 'ADV-2.m1.slack-C0MEMBER01');
    expect(await chat.findPost(target, 'ADV-1.m1.slack-C0MEMBER01', since)).toEqual(ref);
    expect(await chat.findPost(target, 'ADV-9.m1.slack-C0MEMBER01', since)).toBeNull();
    const history = fake.callsTo('conversations.history')[0];
    expect(history?.params.include_all_metadata).toBe('true');
  });

  it('pages through history to find an older post', async () => {
    const paged = new SlackChat({ client, render, historyPageSize: 2 });
    const since = new Date();
    const ref = await paged.post(target, advisoryPost(view('D-wanted')), 'D-wanted');
    for (let i = 0; i < 5; i++) await paged.post(target, advisoryPost(view(`D-other-${i}`)), `D-other-${i}`);
    expect(await paged.findPost(target, 'D-wanted', since)).toEqual(ref);
    expect(fake.callsTo('conversations.history')).toHaveLength(3);
  });

  it('gives up the search after the page bound', async () => {
    const bounded = new SlackChat({ client, render, historyPageSize: 1, historyMaxPages: 2 });
    const since = new Date();
    await bounded.post(target, advisoryPost(view('D-wanted')), 'D-wanted');
    for (let i = 0; i < 3; i++) await bounded.post(target, advisoryPost(view(`D-other-${i}`)), `D-other-${i}`);
    expect(await bounded.findPost(target, 'D-wanted', since)).toBeNull();
    expect(fake.callsTo('conversations.history')).toHaveLength(2);
  });

  it('a lost response rejects the post, and the stored message is then found (no second post needed)', async () => {
    const since = new Date();
    fake.failNext('chat.postMessage', { channel: 'C0MEMBER01', dropResponse: true });

    const err = await rejection(chat.post(target, advisoryPost(view('D-lost')), 'D-lost'));
    expect(err.kind).toBe('transient');
    expect(fake.messages('C0MEMBER01')).toHaveLength(1);
    expect(fake.callsTo('chat.postMessage')).toHaveLength(1);

    const found = await chat.findPost(target, 'D-lost', since);
    expect(found).toEqual({ platform: 'slack', channelId: 'C0MEMBER01', messageId: fake.messages('C0MEMBER01')[0]?.ts });
  });

  it('a 429 surfaces as rate_limited with Retry-After in ms, after exactly one request', async () => {
    fake.failNext('chat.postMessage', { status: 429, retryAfterSec: 7 });
    const err = await rejection(chat.post(target, advisoryPost(view('D-429')), 'D-429'));
    expect(err.kind).toBe('rate_limited');
    expect(err.retryAfterMs).toBe(7000);
    expect(fake.callsTo('chat.postMessage')).toHaveLength(1);
    expect(fake.messages('C0MEMBER01')).toHaveLength(0);
  });

  it('channel_not_found is permanent', async () => {
    fake.setChannel('C0GONE0001', { exists: false });
    const err = await rejection(chat.post({ ...target, channelId: 'C0GONE0001' }, advisoryPost(view('D-gone')), 'D-gone'));
    expect(err).toMatchObject({ kind: 'permanent', code: 'channel_not_found' });
  });

  it('not_in_channel and is_archived are permanent', async () => {
    fake.setChannel('C0NOTIN001', { botMember: false });
    fake.setChannel('C0ARCH0001', { archived: true });
    expect(await rejection(chat.post({ ...target, channelId: 'C0NOTIN001' }, advisoryPost(view('D-a')), 'D-a'))).toMatchObject({ kind: 'permanent', code: 'not_in_channel' });
    expect(await rejection(chat.post({ ...target, channelId: 'C0ARCH0001' }, advisoryPost(view('D-b')), 'D-b'))).toMatchObject({ kind: 'permanent', code: 'is_archived' });
  });

  it('an HTTP 500 is transient, and so is internal_error', async () => {
    fake.failNext('chat.postMessage', { status: 500 });
    expect(await rejection(chat.post(target, advisoryPost(view('D-500')), 'D-500'))).toMatchObject({ kind: 'transient', code: 'http_500' });
    fake.failNext('chat.postMessage', { error: 'internal_error' });
    expect(await rejection(chat.post(target, advisoryPost(view('D-ie')), 'D-ie'))).toMatchObject({ kind: 'transient', code: 'internal_error' });
    expect(fake.callsTo('chat.postMessage')).toHaveLength(2);
  });

  it('a response slower than the client timeout is a transient request_timeout', async () => {
    const impatient = new SlackChat({ client: createSlackWebClient({ token: 'xoxb-test-token', slackApiUrl: fake.url, timeoutMs: 100 }), render });
    fake.failNext('chat.postMessage', { delayMs: 400, error: 'internal_error' });
    expect(await rejection(impatient.post(target, advisoryPost(view('D-slow')), 'D-slow'))).toMatchObject({ kind: 'transient', code: 'request_timeout' });
  });

  it('updates the advisory in place and keeps it findable', async () => {
    const since = new Date();
    const ref = await chat.post(target, advisoryPost(view('D-upd')), 'D-upd');
    await chat.update(ref, advisoryPost(view('D-upd', { acknowledged: { by: 'Sato', at: '2025-01-01T01:00:00.000Z', via: 'button' } })), 'D-upd');
    const [stored] = fake.messages('C0MEMBER01');
    expect(stored?.blocks).toEqual([{ type: 'section', text: { type: 'mrkdwn', text: 'acknowledged by Sato' } }]);
    expect(stored?.edited).toBeDefined();
    expect(stored?.metadata).toMatchObject({ event_type: POST_EVENT_TYPE, event_payload: { key: 'D-upd' } });
    expect(fake.callsTo('chat.update')[0]?.params).toMatchObject({ link_names: 'false', parse: 'none' });
    expect(await chat.findPost(target, 'D-upd', since)).toEqual(ref);

    const err = await rejection(chat.update({ ...ref, messageId: '1.000001' }, advisoryPost(view('D-upd')), 'D-upd'));
    expect(err).toMatchObject({ kind: 'permanent', code: 'message_not_found' });
    expect(await rejection(chat.update({ ...ref, platform: 'teams' }, advisoryPost(view('D-upd')), 'D-upd'))).toMatchObject({
      kind: 'permanent',
      code: 'wrong_platform',
    });
  });

  it('findPost matches the key only, and only on our event type', async () => {
    const since = new Date();
    // Someone else's app posting metadata with the same key must not be taken for our post.
    await client.chat.postMessage({
      channel: target.channelId,
      text: 'other app',
      metadata: { event_type: 'other_app_post', event_payload: { key: 'K-1' } },
    });
    expect(await chat.findPost(target, 'K-1', since)).toBeNull();
    // A key that is some other field's value (a delivery id) is not a match either: only `key` counts.
    await chat.post(target, advisoryPost(view('D-shared')), 'K-2');
    expect(await chat.findPost(target, 'D-shared', since)).toBeNull();
    expect(await chat.findPost(target, 'K-2', since)).not.toBeNull();
  });

  it('posts each kind with its ids in the metadata, and no attachments field when the renderer gives none', async () => {
    const notice: OutboundView = {
      kind: 'notice',
      view: { kind: 'delivery_failed', advisoryId: 'ADV-1', title: 't', tlp: 'TLP:GREEN', drill: false, memberName: { ja: 'A', en: 'A' }, reason: 'x' },
    };
    const reminder: OutboundView = {
      kind: 'reminder',
      view: { advisoryId: 'ADV-1', deliveryId: 'D-1', title: 't', tlp: 'TLP:AMBER', drill: false, ackDeadline: '2025-01-01T06:00:00.000Z', memberName: { ja: 'A', en: 'A' }, mention: [] },
    };
    await chat.post(target, notice, 'N-1');
    await chat.post(target, reminder, 'R-1');
    await chat.post(target, { kind: 'phone_task', view: phoneTask() }, 'P-1');
    const calls = fake.callsTo('chat.postMessage');
    expect(calls.map((c) => c.params.metadata)).toEqual([
      { event_type: 'ceptoar_post', event_payload: { key: 'N-1', kind: 'notice', advisory_id: 'ADV-1', notice_kind: 'delivery_failed' } },
      { event_type: 'ceptoar_post', event_payload: { key: 'R-1', kind: 'reminder', advisory_id: 'ADV-1', delivery_id: 'D-1' } },
      { event_type: 'ceptoar_post', event_payload: { key: 'P-1', kind: 'phone_task', advisory_id: 'ADV-1', task_id: 'D-1.phone' } },
    ]);
    expect(calls.every((c) => !('attachments' in c.params))).toBe(true);
    expect(fake.messages('C0MEMBER01').map((m) => m.text)).toEqual(['notice: ADV-1', 'reminder: ADV-1', 'phone_task: ADV-1']);
  });

  it('with the default renderer: a phone task is posted, claimed by an update (buttons change, attachments replaced) and still found', async () => {
    const real = new SlackChat({ client });
    const oncall = { workspaceId: 'T0CEPTOAR0', channelId: 'C0ONCALL01' };
    const since = new Date();
    const ref = await real.post(oncall, { kind: 'phone_task', view: phoneTask() }, 'D-1.phone');
    const actionIds = (): string[] =>
      JSON.stringify(fake.messages('C0ONCALL01')[0]?.attachments ?? []).match(/"action_id":"[a-z_]+"/g) ?? [];
    expect(actionIds()).toContain(`"action_id":"${PHONE_CLAIM_ACTION_ID}"`);
    expect(fake.messages('C0ONCALL01')[0]?.text.startsWith('[TLP:AMBER] ')).toBe(true);

    await real.update(ref, { kind: 'phone_task', view: phoneTask({ state: 'claimed', claimedBy: '当番 鈴木' }) }, 'D-1.phone');
    expect(actionIds()).not.toContain(`"action_id":"${PHONE_CLAIM_ACTION_ID}"`);
    expect(actionIds()).toContain(`"action_id":"${PHONE_RELEASE_ACTION_ID}"`);
    expect(await real.findPost(oncall, 'D-1.phone', since)).toEqual(ref);

    // An update whose content has no attachments must clear the old ones, or the old buttons would stay.
    const plain = new SlackChat({ client, render });
    await plain.update(ref, { kind: 'phone_task', view: phoneTask({ state: 'done' }) }, 'D-1.phone');
    expect(fake.messages('C0ONCALL01')[0]?.attachments).toEqual([]);
  });

  it('isSharedOutside: the directory flag wins without a call; otherwise conversations.info decides', async () => {
    const address = { platform: 'slack' as const, workspaceId: 'T0CEPTOAR0', sharedOutside: false };
    fake.setChannel('C0CONNECT1', { extShared: true });
    fake.setChannel('C0GRID0001', { orgShared: true });
    fake.setChannel('C0PENDING1', { pendingExtShared: true });
    fake.setChannel('C0PRIVATE1', { private: true });

    expect(await chat.isSharedOutside({ ...address, channelId: 'C0PRIVATE1', sharedOutside: true })).toBe(true);
    expect(fake.callsTo('conversations.info')).toHaveLength(0);

    expect(await chat.isSharedOutside({ ...address, channelId: 'C0CONNECT1' })).toBe(true);
    expect(await chat.isSharedOutside({ ...address, channelId: 'C0GRID0001' })).toBe(true);
    expect(await chat.isSharedOutside({ ...address, channelId: 'C0PENDING1' })).toBe(true);
    expect(await chat.isSharedOutside({ ...address, channelId: 'C0PRIVATE1' })).toBe(false);

    fake.setChannel('C0GONE0002', { exists: false });
    expect(await rejection(chat.isSharedOutside({ ...address, channelId: 'C0GONE0002' }))).toMatchObject({ kind: 'permanent', code: 'channel_not_found' });
  });

  it('opens a direct conversation and posts a notice into it', async () => {
    const dm = await chat.openDirectConversation('T0CEPTOAR0', 'U0CONTACT1');
    expect(dm).toEqual({ workspaceId: 'T0CEPTOAR0', channelId: 'DU0CONTACT1' });
    expect(fake.callsTo('conversations.open')[0]?.params.users).toBe('U0CONTACT1');

    const ref = await chat.post(
      dm,
      {
        kind: 'notice',
        view: { kind: 'delivery_failed', advisoryId: 'ADV-1', title: 't', tlp: 'TLP:GREEN', drill: false, memberName: { ja: 'A', en: 'A' }, reason: 'channel_not_found' },
      },
      'N-dm',
    );
    expect(ref.channelId).toBe('DU0CONTACT1');
    expect(fake.messages('DU0CONTACT1').map((m) => m.text)).toEqual(['notice: ADV-1']);

    fake.setUser('U0NOBODY01', { exists: false });
    expect(await rejection(chat.openDirectConversation('T0CEPTOAR0', 'U0NOBODY01'))).toMatchObject({ kind: 'permanent', code: 'user_not_found' });
  });
});

describe('SlackChat pictures (files.uploadV2) against the fake Slack Web API', () => {
  let fake: FakeSlack;
  let chat: SlackChat;
  const SEC = 'C0SEC00001';
  const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4, 5, 0, 255]);
  const picture = (patch: Partial<ImagePost['view']> = {}): ImagePost => ({
    png,
    filename: 'ADV-2026-0042-reach.png',
    view: {
      kind: 'reach_chart',
      advisoryId: 'ADV-2026-0042',
      title: 'VPN <!channel> & *bold*',
      tlp: 'TLP:AMBER',
      severity: 'level3',
      drill: false,
      heading: { ja: '受領確認の推移', en: 'Share acknowledged over time' },
      altText: { ja: '受領確認 8件（80%）', en: '8 (80%) acknowledged' },
      ...patch,
    },
  });

  beforeEach(async () => {
    fake = await startFakeSlack();
    chat = new SlackChat({ client: createSlackWebClient({ token: 'xoxb-test-token', slackApiUrl: fake.url, timeoutMs: 2000 }), render });
  });

  afterEach(async () => {
    await fake.close();
  });

  it('asks for an upload URL, sends the bytes there, then shares the file into the channel with its caption', async () => {
    const ref = await chat.postImage({ workspaceId: 'T0CEPTOAR0', channelId: SEC }, picture(), 'ADV-2026-0042.closing.chart.command');

    expect(fake.calls.map((c) => c.method)).toEqual(['files.getUploadURLExternal', 'upload_url', 'files.completeUploadExternal']);
    const [getUrl, upload, complete] = fake.calls;
    expect(getUrl?.params).toMatchObject({ filename: 'ADV-2026-0042-reach.png', length: String(png.length), alt_text: '受領確認 8件（80%） / 8 (80%) acknowledged' });
    expect(getUrl?.token).toBe('xoxb-test-token');
    expect(upload?.params).toMatchObject({ file_id: ref.id });
    const file = fake.files().find((f) => f.id === ref.id);
    expect(Buffer.from(file?.bytes ?? []).equals(Buffer.from(png))).toBe(true);
    expect(complete?.params).toMatchObject({ channel_id: SEC, files: [{ id: ref.id, title: '[TLP:AMBER] ADV-2026-0042 受領確認の推移 / Share acknowledged over time' }] });
    expect(complete?.params.thread_ts).toBeUndefined();
    expect(ref).toEqual({ platform: 'slack', channelId: SEC, id: expect.stringMatching(/^F/) });

    // Shared as a message from the bot: the label first, the title escaped (no mention, no formatting), no metadata.
    const [shared] = fake.messages(SEC);
    expect(shared?.files?.map((f) => f.id)).toEqual([ref.id]);
    expect(shared?.bot_id).toBe(fake.botId);
    expect(shared?.metadata).toBeUndefined();
    const lines = shared?.text.split('\n') ?? [];
    expect(lines[0]).toBe('🟧 *TLP:AMBER* — 限定公開 / Organisation and its clients, need to know');
    expect(lines.at(-1)).toBe('📈 *受領確認の推移 / Share acknowledged over time*: ADV-2026-0042 VPN &lt;!channel&gt; &amp; *bold*');
    expect(shared?.text).not.toContain('訓練');
  });

  it("labels a drill's picture: the tag in its title, the banner under the label", async () => {
    await chat.postImage({ workspaceId: 'T0CEPTOAR0', channelId: SEC }, picture({ drill: true, advisoryId: 'DRL-2026-0003' }), 'k');
    const [shared] = fake.messages(SEC);
    expect(shared?.files?.[0]?.title).toBe('[TLP:AMBER] 【訓練】[DRILL] DRL-2026-0003 受領確認の推移 / Share acknowledged over time');
    expect(shared?.text.split('\n')[1]).toBe('🚧 *【訓練】これは訓練です / [DRILL] This is a drill* 🚧');
  });

  it('into a thread: files.completeUploadExternal with thread_ts, the file shared as a reply', async () => {
    const root = await chat.post({ workspaceId: 'T0CEPTOAR0', channelId: SEC }, { kind: 'notice', view: { kind: 'sync_failed', advisoryId: 'A', title: 't', tlp: 'TLP:GREEN', drill: false, memberName: { ja: 'x', en: 'x' }, reason: 'r' } }, 'root');
    await chat.postImage({ workspaceId: 'T0CEPTOAR0', channelId: SEC, threadOf: root }, picture(), 'k');
    expect(fake.callsTo('files.completeUploadExternal')[0]?.params.thread_ts).toBe(root.messageId);
    expect(fake.messages(SEC).find((m) => m.files !== undefined)?.thread_ts).toBe(root.messageId);
  });

  it("maps each step's failure as any call's: refused at the start or at the share for good, a failed upload or a 429 to retry", async () => {
    const target = { workspaceId: 'T0CEPTOAR0', channelId: SEC };
    fake.failNext('files.getUploadURLExternal', { error: 'file_uploads_disabled' });
    expect(await rejection(chat.postImage(target, picture(), 'k'))).toMatchObject({ kind: 'permanent', code: 'file_uploads_disabled', reason: 'forbidden', maybeDone: false });
    fake.failNext('files.completeUploadExternal', { channel: SEC, error: 'not_in_channel' });
    expect(await rejection(chat.postImage(target, picture(), 'k'))).toMatchObject({ kind: 'permanent', code: 'not_in_channel', reason: 'not_in_channel' });
    fake.failNext('upload_url', { status: 500 });
    expect(await rejection(chat.postImage(target, picture(), 'k'))).toMatchObject({ kind: 'transient', code: 'http_500' });
    fake.failNext('files.completeUploadExternal', { retryAfterSec: 7 });
    expect(await rejection(chat.postImage(target, picture(), 'k'))).toMatchObject({ kind: 'rate_limited', retryAfterMs: 7_000, maybeDone: false });
    // None of them shared anything; each was tried once (no client retry).
    expect(fake.messages(SEC)).toEqual([]);
    expect(fake.callsTo('files.getUploadURLExternal')).toHaveLength(4);
    // A channel the fake does not know: Slack refuses the share.
    fake.setChannel('C0GONE0001', { exists: false });
    expect(await rejection(chat.postImage({ workspaceId: 'T0CEPTOAR0', channelId: 'C0GONE0001' }, picture(), 'k'))).toMatchObject({ kind: 'permanent', reason: 'channel_gone' });
  });

  it('refuses a picture over its declared size before calling Slack', async () => {
    const big = Uint8Array.from(png);
    Object.defineProperty(big, 'byteLength', { value: chat.capabilities.postImage.maxBytes + 1 });
    expect(await rejection(chat.postImage({ workspaceId: 'T0CEPTOAR0', channelId: SEC }, { ...picture(), png: big }, 'k'))).toMatchObject({ kind: 'permanent', reason: 'too_large' });
    expect(fake.calls).toEqual([]);
  });
});

describe('toChatError', () => {
  const platform = (error: string) => new WebAPIPlatformError({ ok: false, error });

  it.each(['channel_not_found', 'not_in_channel', 'is_archived', 'invalid_auth', 'token_revoked', 'missing_scope', 'cannot_dm_bot', 'msg_too_long', 'invalid_blocks', 'no_text'])(
    '%s is permanent',
    (code) => {
      expect(toChatError(platform(code))).toMatchObject({ kind: 'permanent', code });
    },
  );

  it.each(['internal_error', 'fatal_error', 'service_unavailable', 'ratelimited', 'some_code_slack_adds_later'])('%s is transient', (code) => {
    expect(toChatError(platform(code))).toMatchObject({ kind: 'transient', code });
  });

  it('says whether Slack may have done it: only a failure that proves nothing happened lets a retry skip its search', () => {
    const maybe = (err: unknown) => toChatError(err).maybeDone;
    expect(maybe(new WebAPIRateLimitedError(30))).toBe(false);
    expect(maybe(new Error('Retry header did not contain a valid timeout'))).toBe(false);
    expect(maybe(platform('channel_not_found'))).toBe(false);
    expect(maybe(platform('service_unavailable'))).toBe(false);
    expect(maybe(platform('ratelimited'))).toBe(false);
    expect(maybe(new WebAPIHTTPError(425, 'Too Early', {}))).toBe(false);
    expect(maybe(new WebAPIRequestError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })))).toBe(false);
    expect(maybe(new WebAPIRequestError(new Error('fetch failed', { cause: Object.assign(new Error('getaddrinfo'), { code: 'ENOTFOUND' }) })))).toBe(false);
    // Slack: "it's possible some aspect of the operation succeeded before the error was raised".
    expect(maybe(platform('fatal_error'))).toBe(true);
    expect(maybe(platform('internal_error'))).toBe(true);
    expect(maybe(platform('request_timeout'))).toBe(true);
    expect(maybe(new WebAPIHTTPError(503, 'Service Unavailable', {}))).toBe(true);
    expect(maybe(new WebAPIRequestError(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })))).toBe(true);
    expect(maybe(new WebAPIRequestError(new DOMException('The operation was aborted due to timeout', 'TimeoutError')))).toBe(true);
    expect(maybe(new Error('something else'))).toBe(true);
  });

  it('maps rate limits, HTTP and request errors', () => {
    expect(toChatError(new WebAPIRateLimitedError(30))).toMatchObject({ kind: 'rate_limited', retryAfterMs: 30_000 });
    expect(toChatError(new WebAPIHTTPError(503, 'Service Unavailable', {}))).toMatchObject({ kind: 'transient', code: 'http_503' });
    expect(toChatError(new WebAPIHTTPError(404, 'Not Found', {}))).toMatchObject({ kind: 'permanent', code: 'http_404' });
    const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    expect(toChatError(new WebAPIRequestError(reset))).toMatchObject({ kind: 'transient', code: 'request_error' });
    expect(toChatError(new WebAPIRequestError(new Error('socket hang up')))).toMatchObject({ kind: 'transient', code: 'request_error' });
    const timeout = new DOMException('The operation was aborted due to timeout', 'TimeoutError');
    expect(toChatError(new WebAPIRequestError(timeout))).toMatchObject({ kind: 'transient', code: 'request_timeout' });
    // A 429 whose Retry-After the client could not read: still a rate limit, with no wait given.
    const unreadable = toChatError(new Error('Retry header did not contain a valid timeout (url: x, retry-after header: soon)'));
    expect(unreadable).toMatchObject({ kind: 'rate_limited', retryAfterMs: undefined });
  });

  it('maps the file upload codes (files.uploadV2) and the client\'s own upload errors', () => {
    expect(toChatError(platform('file_uploads_disabled'))).toMatchObject({ kind: 'permanent', reason: 'forbidden' });
    expect(toChatError(platform('file_uploads_except_images_disabled'))).toMatchObject({ kind: 'permanent', reason: 'forbidden' });
    expect(toChatError(platform('file_type_not_allowed'))).toMatchObject({ kind: 'permanent', reason: 'forbidden' });
    expect(toChatError(platform('storage_limit_reached'))).toMatchObject({ kind: 'permanent', reason: 'forbidden' });
    expect(toChatError(platform('posting_to_general_channel_denied'))).toMatchObject({ kind: 'permanent', reason: 'forbidden' });
    expect(toChatError(platform('file_upload_size_restricted'))).toMatchObject({ kind: 'permanent', reason: 'too_large' });
    expect(toChatError(platform('alt_txt_too_large'))).toMatchObject({ kind: 'permanent', reason: 'too_large' });
    expect(toChatError(platform('invalid_channel'))).toMatchObject({ kind: 'permanent', reason: 'channel_gone' });
    expect(toChatError(platform('file_not_found'))).toMatchObject({ kind: 'permanent', reason: 'invalid_message' });
    for (const code of [ErrorCode.FileUploadInvalidArgumentsError, ErrorCode.FileUploadReadFileDataError]) {
      expect(toChatError(Object.assign(new Error('bad upload'), { code }))).toMatchObject({ kind: 'permanent', code, reason: 'invalid_message', maybeDone: false });
    }
  });

  it('keeps the original error as the cause and passes ChatError through', () => {
    const original = platform('channel_not_found');
    expect(toChatError(original).cause).toBe(original);
    const already = new ChatError('permanent', 'x');
    expect(toChatError(already)).toBe(already);
  });
});
