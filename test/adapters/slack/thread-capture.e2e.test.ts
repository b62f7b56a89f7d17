/**
 * Members' replies on Slack, end to end: signed Events API deliveries (as the fake Slack builds them for
 * a reply, an edit, a deletion) reach the real Bolt receiver, which verifies them and answers at once;
 * the reply is recorded once however often Slack retries it; the secretariat's status shows it and its
 * menu opens the whole thread.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonLog } from '../../support/json-log.js';
import { ISSUE_INPUT } from '../../support/core-fixture.js';
import { REDIS_URL, startHarness, type Harness } from '../../support/bot-harness.js';
import { eventually } from '../../support/eventually.js';
import type { SlackEventEnvelope, StoredMessage } from '../../support/fake-slack.js';
import { watchQueues, type QueueWatch } from '../../support/queue-watch.js';
import { openStoreReader } from '../../support/store-reader.js';
import type { SqliteStore } from '../../../src/store/sqlite/sqlite-store.js';
import { THREAD_ACTION_ID } from '../../../adapters/slack/thread-blocks.js';

const SECRETARIAT = { platform: 'slack' as const, userId: 'U0SEC00001', name: '事務局 担当A' };
const JMA = 'C0JMA00001';
const SATO = 'U0JMA00001';
const SUZUKI = 'U0JMA00077';

/** The bot's log lines (debug and up), to wait until an event has been handled. */
const { log, lines } = jsonLog<{ level: number; msg: string; message?: { messageId?: string }; reason?: string }>('debug');
const logged = (msg: string, messageId?: string) => lines.filter((l) => l.msg === msg && (messageId === undefined || l.message?.messageId === messageId)).length;

let h: Harness;
let queues: QueueWatch;
let store: SqliteStore;
beforeAll(async () => {
  h = await startHarness({ log });
  queues = watchQueues(REDIS_URL, h.prefix);
  store = openStoreReader(h.dataDir);
});
afterAll(async () => {
  await store?.close();
  await queues?.close();
  await h?.close();
});

let seq = 0;
/** Issue to jma and wait for its copy in the channel. */
async function issued(title: string): Promise<{ id: string; copy: StoredMessage }> {
  const { advisory } = await h.bot.core.issueAdvisory({
    actor: SECRETARIAT,
    requestKey: `threads-e2e-${++seq}-${Date.now()}`,
    input: { ...ISSUE_INPUT, title, targets: { allMembers: false, observers: false, groups: [], members: ['jma'] } },
  });
  const copy = () => h.fake.messages(JMA).find((m) => m.metadata?.event_payload['advisory_id'] === advisory.id && m.metadata.event_payload['kind'] === 'advisory');
  await h.fake.waitFor(copy, { timeoutMs: 15_000, description: `the copy of ${advisory.id}` });
  await queues.waitIdle({ description: `the delivery of ${advisory.id}` });
  return { id: advisory.id, copy: copy()! };
}

const record = (ts: string) => store.getThreadMessage({ platform: 'slack', channelId: JMA, messageId: ts });

async function sent(envelope: SlackEventEnvelope, options?: Parameters<Harness['slack']['event']>[1]): Promise<void> {
  const res = await h.slack.event(envelope, options);
  expect(res.status).toBe(200);
}

describe('thread capture on Slack', () => {
  it('records a reply once, however often Slack delivers the event', async () => {
    const { id, copy } = await issued('スレッド記録 <threads-once>');
    const { message, envelope } = h.fake.memberReply(JMA, copy.ts, SATO, '当院では該当機器を使用していません。');
    await sent(envelope);
    const stored = await eventually(() => record(message.ts), { description: 'the recorded reply' });
    expect(stored).toMatchObject({
      advisoryId: id,
      memberId: 'jma',
      rootId: copy.ts,
      // The directory names the contact: Slack's event carries only the id.
      author: { platform: 'slack', userId: SATO, name: '佐藤 健一' },
      text: '当院では該当機器を使用していません。',
      from: 'message',
      edits: [],
    });
    // Slack had no answer in time (as it thinks) and retries the same event, twice.
    await sent(envelope, { retryNum: 1, retryReason: 'http_timeout' });
    await sent(envelope, { retryNum: 2, retryReason: 'http_timeout' });
    await eventually(async () => logged('thread message repeated', message.ts) >= 2, { description: 'both retries handled' });
    expect(await store.listThreadMessages({ advisoryId: id })).toHaveLength(1);
    const audit = (await store.listAudit(id)).filter((e) => e.action.startsWith('thread.'));
    expect(audit.map((e) => [e.action, e.actor?.userId])).toEqual([['thread.message_recorded', SATO]]);
    expect(JSON.stringify(audit)).not.toContain('該当機器');
  });

  it('records an edit as an edit and a deletion as a mark on the record, each once', async () => {
    const { copy } = await issued('スレッド編集 <threads-edit>');
    const { message, envelope } = h.fake.memberReply(JMA, copy.ts, SUZUKI, '確認中です', { subtype: 'thread_broadcast' });
    await sent(envelope);
    await eventually(() => record(message.ts), { description: 'the reply' });
    const edit = h.fake.memberEdit(JMA, message.ts, '影響なしを確認しました');
    await sent(edit);
    await sent(edit, { retryNum: 1 });
    await eventually(async () => logged('thread message repeated', message.ts) >= 1, { description: 'the retried edit handled' });
    const edited = (await record(message.ts))!;
    expect(edited.text).toBe('確認中です');
    expect(edited.edits.map((e) => e.text)).toEqual(['影響なしを確認しました']);
    const deletion = h.fake.memberDelete(JMA, message.ts);
    await sent(deletion);
    const deleted = await eventually(async () => (await record(message.ts))?.deleted && record(message.ts), { description: 'the deletion' });
    expect(deleted).toMatchObject({ text: '確認中です', edits: [{ text: '影響なしを確認しました' }], version: 3 });
  });

  it('keeps nothing of the bot’s own posts, of channel messages outside a thread, or of threads that are not the bot’s', async () => {
    const { id, copy } = await issued('スレッド対象外 <threads-other>');
    // A member's own message at the top of the channel, then a thread under it.
    const { envelope: reply } = h.fake.memberReply(JMA, copy.ts, SATO, 'これは記録される');
    const topLevel = structuredClone(reply);
    const top = topLevel.event;
    top['ts'] = '1999999999.000001';
    top['event_ts'] = top['ts'];
    delete top['thread_ts'];
    top['text'] = 'チャンネルでの雑談';
    const underOther = structuredClone(reply);
    underOther.event['ts'] = '1999999999.000002';
    underOther.event['thread_ts'] = '1999999999.000001';
    underOther.event['text'] = '雑談への返信';
    // The bot's own message in the thread (a follow-up, as Slack echoes it back).
    const own = structuredClone(reply);
    own.event['ts'] = '1999999999.000003';
    own.event['user'] = h.fake.botUserId;
    own.event['bot_id'] = h.fake.botId;
    own.event['text'] = 'ボット自身の投稿';
    const skipped = logged('Slack message event not recorded');
    const ignored = logged('thread message ignored');
    for (const e of [own, topLevel, underOther, reply]) await sent(e);
    // The top-level message is dropped at the edge, the reply under someone else's message by the core
    // (Bolt itself drops the bot's own message before any listener).
    await eventually(
      async () => (await store.listThreadMessages({ advisoryId: id })).length === 1 && logged('Slack message event not recorded') > skipped && logged('thread message ignored') > ignored,
      { description: 'the reply recorded, the rest dropped' },
    );
    expect((await store.listThreadMessages({ advisoryId: id })).map((m) => m.text)).toEqual(['これは記録される']);
    for (const ts of ['1999999999.000001', '1999999999.000002', '1999999999.000003']) expect(await record(ts)).toBeNull();
  });

  it('refuses an event signed with another secret, and records nothing of it', async () => {
    const { id, copy } = await issued('スレッド署名 <threads-forged>');
    const { message, envelope } = h.fake.memberReply(JMA, copy.ts, SATO, '偽の返信');
    const res = await h.slack.event(envelope, { secret: 'not-the-signing-secret' });
    expect(res.status).toBe(401);
    // A correctly signed but stale request (a replay) is refused too.
    const stale = await h.slack.event(envelope, { timestamp: Math.floor(Date.now() / 1000) - 600 });
    expect(stale.status).toBe(401);
    expect(await record(message.ts)).toBeNull();
    expect(await store.listThreadMessages({ advisoryId: id })).toEqual([]);
  });

  it('the secretariat reads the replies in the status, and the whole thread from its menu', async () => {
    const { id, copy } = await issued('スレッド閲覧 <threads-status>');
    const first = h.fake.memberReply(JMA, copy.ts, SATO, '確認します <!channel>');
    await sent(first.envelope);
    const second = h.fake.memberReply(JMA, copy.ts, SUZUKI, '影響なしでした\n詳細は追って連絡します');
    await sent(second.envelope);
    await eventually(async () => (await store.listThreadMessages({ advisoryId: id })).length === 2, { description: 'two replies' });
    await sent(h.fake.memberEdit(JMA, first.message.ts, '確認します（佐藤）'));
    await eventually(async () => (await record(first.message.ts))?.edits.length === 1, { description: 'the edit' });

    await h.slack.command({ text: `status ${id}`, userId: SECRETARIAT.userId, responseUrl: h.fake.responseUrl(`status-${id}`) });
    const [status] = await h.fake.waitFor(() => h.fake.responses(`status-${id}`).length > 0 && h.fake.responses(`status-${id}`), { description: 'the status' });
    const text = JSON.stringify(status);
    expect(text).toContain('返信 2 件 / 2 replies');
    expect(text).toContain('影響なしでした');
    expect(text).not.toContain('詳細は追って');
    const menu = ((status as { blocks: { type: string; elements?: { action_id: string; options: { value: string }[] }[] }[] }).blocks.find((b) => b.type === 'actions'))!.elements![0]!;
    expect(menu.action_id).toBe(THREAD_ACTION_ID);
    const deliveryId = menu.options[0]!.value;
    expect(deliveryId).toBe((await store.listDeliveries(id))[0]!.id);

    const pick = (userId: string, name: string) =>
      h.slack.interaction({
        type: 'block_actions',
        team: { id: 'T0CEPTOAR0', domain: 'ceptoar' },
        user: { id: userId, username: userId, name: userId, team_id: 'T0CEPTOAR0' },
        api_app_id: 'A0CEPTOAR',
        token: 'legacy-verification-token',
        container: { type: 'message', message_ts: '1.1', channel_id: 'C0SEC00001', is_ephemeral: true },
        trigger_id: 'trigger.thread',
        channel: { id: 'C0SEC00001', name: 'secretariat' },
        response_url: h.fake.responseUrl(name),
        actions: [
          { type: 'static_select', action_id: THREAD_ACTION_ID, block_id: 'advisory_thread', selected_option: { text: { type: 'plain_text', text: 'jma' }, value: deliveryId }, action_ts: '1.2' },
        ],
        is_enterprise_install: false,
      });
    expect((await pick(SECRETARIAT.userId, `thread-${id}`)).status).toBe(200);
    const [thread] = await h.fake.waitFor(() => h.fake.responses(`thread-${id}`).length > 0 && h.fake.responses(`thread-${id}`), { description: 'the thread' });
    const shown = JSON.stringify(thread);
    expect(shown).toContain('確認します（佐藤）');
    expect(shown).toContain('編集前 / before the edit');
    expect(shown).toContain('詳細は追って連絡します');
    // The member's text is escaped: no mention reaches anyone.
    expect(shown).toContain('&lt;!channel&gt;');
    expect(shown).not.toContain('<!channel>');
    expect((thread as { response_type: string }).response_type).toBe('ephemeral');

    // The same thread by command, with the advisory and member ids as people type them.
    await h.slack.command({ text: `thread ${id.toLowerCase()} jma`, userId: SECRETARIAT.userId, responseUrl: h.fake.responseUrl(`thread-command-${id}`) });
    const [typed] = await h.fake.waitFor(() => h.fake.responses(`thread-command-${id}`).length > 0 && h.fake.responses(`thread-command-${id}`), { description: 'the thread by command' });
    expect(JSON.stringify(typed)).toContain('確認します（佐藤）');
    expect(JSON.stringify(typed)).toContain('詳細は追って連絡します');

    // Someone not of the secretariat gets the refusal, not the thread.
    await pick(SATO, `thread-refused-${id}`);
    const [refused] = await h.fake.waitFor(() => h.fake.responses(`thread-refused-${id}`).length > 0 && h.fake.responses(`thread-refused-${id}`), { description: 'the refusal' });
    expect(JSON.stringify(refused)).toContain('事務局');
    expect(JSON.stringify(refused)).not.toContain('影響なし');
  });
});
