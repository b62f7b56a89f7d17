import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/clock.js';
import { loadDirectoryFile } from '../../../src/directory/load.js';
import { ChatError, type ImagePost, type OutboundView } from '../../../src/ports/chat.js';
import type { LocalMessage } from '../../../adapters/local/local-api.js';
import { LocalChat } from '../../../adapters/local/local-chat.js';
import { localWorkspace } from '../../../adapters/local/local-directory.js';
import { LOCAL_MESSAGES_FILE, LocalMessages } from '../../../adapters/local/local-messages.js';

const ws = localWorkspace(await loadDirectoryFile('config/members.example.yaml'));

const notice = (title: string): OutboundView => ({
  kind: 'notice',
  view: { kind: 'delivery_failed', advisoryId: 'ADV-2026-0001', title, tlp: 'TLP:GREEN', drill: false, memberName: { ja: 'x', en: 'x' }, reason: 'r' },
});
const target = (channelId: string) => ({ workspaceId: 'local', channelId });

describe('LocalMessages', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ceptoar-local-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('inserts, finds by key since a time, updates, lists oldest first with replies, and survives a reopen', () => {
    const file = join(dir, LOCAL_MESSAGES_FILE);
    const m = new LocalMessages(file);
    const a = m.insert({ channelId: 'member-jma', key: 'k1', body: notice('one'), at: new Date('2026-01-01T00:00:00Z') });
    const b = m.insert({ channelId: 'member-jma', key: 'k2', body: notice('two'), at: new Date('2026-01-01T00:01:00Z') });
    m.insert({ channelId: 'member-jda', key: 'k1', body: notice('other'), at: new Date('2026-01-01T00:00:00Z') });
    const r = m.insert({ channelId: 'member-jma', threadOf: a.id, body: { kind: 'reply', text: 'ok', author: { id: 'jma-1', name: 'n' } }, at: new Date('2026-01-01T00:02:00Z') });

    expect(m.findByKey('member-jma', 'k1', new Date('2025-12-31T23:55:00Z'))?.id).toBe(a.id);
    expect(m.findByKey('member-jma', 'k1', new Date('2026-01-01T00:00:01Z'))).toBeNull();
    expect(m.findByKey('member-jma', 'nope', new Date(0))).toBeNull();

    const updated = m.updateBody(b.id, notice('two, updated'), new Date('2026-01-01T00:03:00Z'));
    expect(updated?.updatedAt).toBe('2026-01-01T00:03:00.000Z');
    expect(updated?.createdAt).toBe('2026-01-01T00:01:00.000Z');
    expect(updated?.key).toBe('k2');
    expect(m.updateBody('missing', notice('x'), new Date())).toBeNull();
    m.saveDirectChannel({ id: 'dm-jma-1', kind: 'direct', name: { ja: 'DM', en: 'DM' }, members: ['jma-1'] });
    m.close();

    const reopened = new LocalMessages(file);
    const list = reopened.listByChannel('member-jma');
    expect(list.map((x) => x.id)).toEqual([a.id, b.id, r.id]);
    expect(list[2]).toMatchObject({ threadOf: a.id, body: { kind: 'reply', text: 'ok' } });
    expect(list[2]?.key).toBeUndefined();
    expect((reopened.get(b.id)?.body as { view: { title: string } }).view.title).toBe('two, updated');
    expect(reopened.directChannels().map((c) => c.id)).toEqual(['dm-jma-1']);
    reopened.close();
  });
});

describe('LocalChat', () => {
  let messages: LocalMessages;
  let chat: LocalChat;
  const clock = new ManualClock('2026-04-01T09:00:00Z');
  beforeEach(() => {
    messages = new LocalMessages(':memory:');
    chat = new LocalChat({ messages, users: ws.users, channels: ws.channels, clock });
  });
  afterEach(() => {
    chat.close();
    messages.close();
  });

  it('posts, finds the post by key, and updates it, telling the listeners each time', async () => {
    const seen: LocalMessage[] = [];
    chat.onMessage((m) => seen.push(m));
    const ref = await chat.post(target('member-jma'), notice('first'), 'ADV-1.jma');
    expect(ref).toMatchObject({ platform: 'local', channelId: 'member-jma' });
    expect(await chat.findPost(target('member-jma'), 'ADV-1.jma', new Date('2026-04-01T08:55:00Z'))).toEqual(ref);
    expect(await chat.findPost(target('member-jma'), 'ADV-1.jma', new Date('2026-04-01T09:01:00Z'))).toBeNull();
    expect(await chat.findPost(target('member-jda'), 'ADV-1.jma', new Date(0))).toBeNull();

    clock.advance(60_000);
    await chat.update(ref, notice('second'), 'ADV-1.jma');
    expect(seen).toHaveLength(2);
    expect(seen[1]).toMatchObject({ id: ref.messageId, key: 'ADV-1.jma', updatedAt: '2026-04-01T09:01:00.000Z', body: { view: { title: 'second' } } });
    expect(chat.messages('member-jma')).toHaveLength(1);
  });

  it('refuses unknown channels and messages as permanent errors', async () => {
    const err = await chat.post(target('C0JMA00001'), notice('x'), 'k').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ChatError);
    expect(err).toMatchObject({ kind: 'permanent', code: 'channel_not_found' });
    await expect(chat.update({ platform: 'local', channelId: 'member-jma', messageId: 'nope' }, notice('x'), 'k')).rejects.toMatchObject({
      kind: 'permanent',
      code: 'message_not_found',
    });
    const ref = await chat.post(target('member-jma'), notice('x'), 'k');
    await expect(chat.update({ ...ref, channelId: 'member-jda' }, notice('x'), 'k')).rejects.toMatchObject({ code: 'message_not_found' });
    await expect(chat.isSharedOutside({ platform: 'local', workspaceId: 'local', channelId: 'nope', sharedOutside: false })).rejects.toMatchObject({
      code: 'channel_not_found',
    });
    await expect(chat.openDirectConversation('local', 'nobody')).rejects.toMatchObject({ kind: 'permanent', code: 'user_not_found' });
  });

  it('posts a picture as a message of its own: the view, its words, the PNG as base64, under its key; told to the listeners', async () => {
    const seen: LocalMessage[] = [];
    chat.onMessage((m) => seen.push(m));
    const png = Uint8Array.from([9, 0x89, 0x50, 0x4e, 0x47, 255, 9]).subarray(1, 6);
    const image: ImagePost = {
      png,
      filename: 'DRL-2026-0003-reach.png',
      view: {
        kind: 'reach_chart',
        advisoryId: 'DRL-2026-0003',
        title: '訓練',
        tlp: 'TLP:GREEN',
        severity: 'level2',
        drill: true,
        heading: { ja: '受領確認の推移', en: 'Share acknowledged over time' },
        altText: { ja: '代替', en: 'alt' },
      },
    };
    const ref = await chat.postImage(target('secretariat'), image, 'DRL-2026-0003.closing.chart.command');
    expect(ref).toEqual({ platform: 'local', channelId: 'secretariat', id: expect.any(String) });
    const [stored] = chat.messages('secretariat');
    expect(stored).toMatchObject({ id: ref.id, key: 'DRL-2026-0003.closing.chart.command', createdAt: clock.now().toISOString() });
    expect(stored?.body).toEqual({
      kind: 'image',
      view: image.view,
      lines: { tlpText: { ja: 'コミュニティ内', en: 'Within the community' }, drill: { ja: '【訓練】これは訓練です', en: '[DRILL] This is a drill' }, heading: image.view.heading, altText: image.view.altText },
      filename: 'DRL-2026-0003-reach.png',
      png: Buffer.from([0x89, 0x50, 0x4e, 0x47, 255]).toString('base64'),
    });
    expect(seen.map((m) => m.id)).toEqual([ref.id]);
    // In a thread when asked; an unknown channel is refused for good.
    const root = await chat.post(target('secretariat'), notice('root'), 'root');
    const reply = await chat.postImage({ ...target('secretariat'), threadOf: root }, image, 'k2');
    expect(chat.message(reply.id)?.threadOf).toBe(root.messageId);
    await expect(chat.postImage(target('nowhere'), image, 'k')).rejects.toMatchObject({ kind: 'permanent', code: 'channel_not_found' });
  });

  it('reports the directory flag for shared channels', async () => {
    const address = (channelId: string) => ({ platform: 'local' as const, workspaceId: 'local', channelId, sharedOutside: false });
    expect(await chat.isSharedOutside(address('member-jahis'))).toBe(true);
    expect(await chat.isSharedOutside(address('member-jma'))).toBe(false);
  });

  it('opens a direct conversation once, with that user as its only member, and announces it', async () => {
    const announced: string[] = [];
    chat.onChannel((c) => announced.push(c.id));
    const t1 = await chat.openDirectConversation('local', 'jma-1');
    const t2 = await chat.openDirectConversation('local', 'jma-1');
    expect(t1).toEqual({ workspaceId: 'local', channelId: 'dm-jma-1' });
    expect(t2).toEqual(t1);
    expect(announced).toEqual(['dm-jma-1']);
    expect(chat.channel('dm-jma-1')).toMatchObject({ kind: 'direct', members: ['jma-1'] });
    expect(chat.isMember('jma-1', 'dm-jma-1')).toBe(true);
    expect(chat.isMember('jma-2', 'dm-jma-1')).toBe(false);
    await chat.post(t1, notice('red'), 'k');
    // A new chat over the same messages (a restart) still knows the conversation.
    const again = new LocalChat({ messages, users: ws.users, channels: ws.channels, clock });
    expect(again.channel('dm-jma-1')?.members).toEqual(['jma-1']);
    expect(again.messages('dm-jma-1')).toHaveLength(1);
  });

  it('keeps replies local, in the thread, and a failing listener does not fail the post', async () => {
    chat.onMessage(() => {
      throw new Error('socket gone');
    });
    const ref = await chat.post(target('member-jma'), notice('x'), 'k');
    const user = chat.user('jma-2')!;
    const reply = chat.reply('member-jma', ref.messageId, 'thanks', user);
    expect(reply).toMatchObject({ channelId: 'member-jma', threadOf: ref.messageId, body: { kind: 'reply', text: 'thanks', author: { id: 'jma-2' } } });
    expect(chat.messages('member-jma').map((m) => m.id)).toEqual([ref.messageId, reply.id]);
  });
});
