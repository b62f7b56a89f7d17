/**
 * The behaviour every ChatPort shows, whatever the platform: the contract between the core and a
 * chat platform, as the store contract suite is for stores. Each platform runs it with its own fake
 * (test/adapters/<platform>/<platform>-conformance.test.ts). A platform declares what it can do
 * (capabilities) and which failures its fake can play; the suite tests exactly those.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MessageRef } from '../../src/domain/platform.js';
import { ChatError, type ChatPort, type FailureReason, type ImagePost, type OutboundView, type PostTarget } from '../../src/ports/chat.js';

/** Failures a platform's fake can play on the next post into the harness's channel. */
export type PlayableFailure = FailureReason | 'rate_limited_with_retry_after' | 'lost_response';

export interface ChatPortHarness {
  chat: ChatPort;
  /** A channel the bot may post in. */
  channel: PostTarget;
  /** Another channel the bot may post in. */
  otherChannel: PostTarget;
  /** A user the bot may open a direct conversation with, and one it cannot reach. */
  user: { workspaceId: string; userId: string };
  unreachableUser: { workspaceId: string; userId: string };
  /** The messages the platform holds in a conversation (to see what a post or an update did). */
  stored(channelId: string): Promise<{ id: string; text: string }[]>;
  /** Make the next post into `channel` fail as the platform would. */
  failNextPost(failure: PlayableFailure): void;
  /**
   * With capabilities.postImage: the pictures the platform holds in a conversation, each with its bytes and what is
   * shown with it (caption, title, alt text) as text.
   */
  pictures?(channelId: string): Promise<{ id: string; png: Uint8Array; text: string }[]>;
  /** With capabilities.postImage: make the next picture into `channel` fail as the platform would. */
  failNextPicture?(failure: PlayableFailure): void;
  /** With capabilities.detectSharedChannel: mark a channel as shared outside the organisation on the platform's side. */
  shareOutside?(channelId: string): void;
  close(): Promise<void>;
}

const notice = (title: string): OutboundView => ({
  kind: 'notice',
  view: { kind: 'delivery_failed', advisoryId: 'ADV-2026-0001', title, tlp: 'TLP:GREEN', drill: false, memberName: { ja: '日本医師会', en: 'JMA' }, reason: 'channel_gone' },
});

/** The smallest PNG there is: one white pixel. */
export const ONE_PIXEL_PNG = Uint8Array.from(
  Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8/5+hHgAHggJ/PchI7wAAAABJRU5ErkJggg==', 'base64'),
);

const picture = (title: string, drill = false, png: Uint8Array = ONE_PIXEL_PNG): ImagePost => ({
  png,
  filename: 'ADV-2026-0001-reach.png',
  view: {
    kind: 'reach_chart',
    advisoryId: 'ADV-2026-0001',
    title,
    tlp: 'TLP:AMBER',
    severity: 'level3',
    drill,
    heading: { ja: '受領確認の推移', en: 'Share acknowledged over time' },
    altText: { ja: '代替テキスト 8件（80%）', en: 'alt text 8 (80%)' },
  },
});

async function rejection(p: Promise<unknown>): Promise<ChatError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(ChatError);
    return err as ChatError;
  }
  throw new Error('expected a rejection');
}

export interface ContractSetup {
  /** What the platform declares it can do; checked against the port, and the suite tests the matching behaviour. */
  capabilities: ChatPort['capabilities'];
  /** The failures this platform's fake can play; the suite tests each (the local workspace has no rate limits). */
  plays: readonly PlayableFailure[];
}

export function chatPortContract(name: string, setup: ContractSetup, open: () => Promise<ChatPortHarness>): void {
  describe(`ChatPort contract: ${name}`, () => {
    let h: ChatPortHarness;
    beforeEach(async () => {
      h = await open();
    });
    afterEach(async () => {
      await h.close();
    });

    it('declares its platform and its capabilities', () => {
      expect(['slack', 'teams', 'local']).toContain(h.chat.platform);
      expect(h.chat.capabilities).toEqual(setup.capabilities);
    });

    it('posts into a channel and answers a reference to that message on this platform', async () => {
      const ref = await h.chat.post(h.channel, notice('契約 投稿'), 'K-post');
      expect(ref).toMatchObject({ platform: h.chat.platform, channelId: h.channel.channelId });
      expect(ref.messageId).not.toBe('');
      const stored = await h.stored(h.channel.channelId);
      expect(stored.map((m) => m.id)).toContain(ref.messageId);
      expect(stored.find((m) => m.id === ref.messageId)?.text).toContain('契約 投稿');
      expect(await h.stored(h.otherChannel.channelId)).toEqual([]);
    });

    it('updates a posted message in place: still one message, with the new content', async () => {
      const ref = await h.chat.post(h.channel, notice('更新前'), 'K-upd');
      await h.chat.update(ref, notice('更新後'), 'K-upd');
      const stored = await h.stored(h.channel.channelId);
      expect(stored).toHaveLength(1);
      expect(stored[0]?.text).toContain('更新後');
      expect(stored[0]?.text).not.toContain('更新前');
    });

    it('refuses to update a message of another platform', async () => {
      const foreign: MessageRef = { platform: h.chat.platform === 'slack' ? 'teams' : 'slack', channelId: h.channel.channelId, messageId: '1' };
      const err = await rejection(h.chat.update(foreign, notice('x'), 'K'));
      expect(err.kind).toBe('permanent');
    });

    if (setup.capabilities.findOwnPost) {
      it('finds its own post by key, and only that one', async () => {
      const since = new Date(Date.now() - 60_000);
      expect(await h.chat.findPost(h.channel, 'K-find', since)).toBeNull();
      const ref = await h.chat.post(h.channel, notice('探す'), 'K-find');
      await h.chat.post(h.channel, notice('別'), 'K-other');
      await h.chat.post(h.otherChannel, notice('他'), 'K-find');
      expect(await h.chat.findPost(h.channel, 'K-find', since)).toEqual(ref);
      expect(await h.chat.findPost(h.channel, 'K-none', since)).toBeNull();
      });
    } else {
      it('refuses to look for its own posts, which it declared it cannot (never a silent null)', async () => {
        await expect(h.chat.findPost(h.channel, 'K-find', new Date(0))).rejects.toThrow();
      });
    }

    it('opens a direct conversation with a user, the same one each time, and posts into it', async () => {
      const dm = await h.chat.openDirectConversation(h.user.workspaceId, h.user.userId);
      expect(dm.workspaceId).toBe(h.user.workspaceId);
      expect(await h.chat.openDirectConversation(h.user.workspaceId, h.user.userId)).toEqual(dm);
      const ref = await h.chat.post(dm, notice('個別'), 'K-dm');
      expect(ref.channelId).toBe(dm.channelId);
      expect((await h.stored(dm.channelId)).map((m) => m.id)).toEqual([ref.messageId]);
    });

    it('says a user it cannot reach is unreachable, for good', async () => {
      const err = await rejection(h.chat.openDirectConversation(h.unreachableUser.workspaceId, h.unreachableUser.userId));
      expect(err.kind).toBe('permanent');
      expect(['recipient_unreachable', 'not_installed']).toContain(err.reason);
    });

    const address = () => ({ platform: h.chat.platform, workspaceId: h.channel.workspaceId, channelId: h.channel.channelId, sharedOutside: false });
    if (setup.capabilities.detectSharedChannel) {
      it('tells a channel shared outside the organisation from one that is not', async () => {
      expect(await h.chat.isSharedOutside(address())).toBe(false);
      expect(h.shareOutside).toBeTypeOf('function');
      h.shareOutside?.(h.channel.channelId);
      expect(await h.chat.isSharedOutside(address())).toBe(true);
      });
    } else {
      it('refuses to judge a shared channel, which it declared it cannot (the directory flag stands)', async () => {
        await expect(h.chat.isSharedOutside(address())).rejects.toThrow();
      });
    }

    const canPicture = setup.capabilities.postImage;
    if (canPicture !== false) {
      describe('pictures (postImage)', () => {
        it('posts a picture into a channel, labelled and captioned, its bytes as given, and answers where', async () => {
          expect(h.pictures).toBeTypeOf('function');
          const ref = await h.chat.postImage(h.channel, picture('契約 画像'), 'K-pic');
          expect(ref).toMatchObject({ platform: h.chat.platform, channelId: h.channel.channelId });
          expect(ref.id).not.toBe('');
          const held = (await h.pictures?.(h.channel.channelId)) ?? [];
          expect(held).toHaveLength(1);
          expect(held[0]?.id).toBe(ref.id);
          expect(Buffer.from(held[0]?.png ?? []).equals(Buffer.from(ONE_PIXEL_PNG))).toBe(true);
          const text = held[0]?.text ?? '';
          // The label, the heading, the advisory and its title, the alt text.
          expect(text).toContain('TLP:AMBER');
          expect(text).toContain('受領確認の推移');
          expect(text).toContain('ADV-2026-0001');
          expect(text).toContain('契約 画像');
          expect(text).toContain('代替テキスト');
          expect(await h.pictures?.(h.otherChannel.channelId)).toEqual([]);
        });

        it("labels a drill's picture as a drill", async () => {
          await h.chat.postImage(h.channel, picture('訓練の画像', true), 'K-pic-drill');
          const text = (await h.pictures?.(h.channel.channelId))?.[0]?.text ?? '';
          expect(text).toContain('【訓練】');
          expect(text).toContain('[DRILL]');
        });

        it('refuses a picture larger than it declared, for good, and holds none', async () => {
          // One byte over the limit, without allocating it (Slack's limit is a gigabyte): the size is what is judged.
          const big = Uint8Array.from(ONE_PIXEL_PNG);
          Object.defineProperty(big, 'byteLength', { value: canPicture.maxBytes + 1 });
          const err = await rejection(h.chat.postImage(h.channel, picture('大きすぎ', false, big), 'K-pic-big'));
          expect(err.kind).toBe('permanent');
          expect(err.reason).toBe('too_large');
          expect(err.maybeDone).toBe(false);
          expect(await h.pictures?.(h.channel.channelId)).toEqual([]);
        });

        if (setup.plays.includes('channel_gone')) {
          it('says a picture into a channel that is gone failed for good, as a post would', async () => {
            expect(h.failNextPicture).toBeTypeOf('function');
            h.failNextPicture?.('channel_gone');
            const err = await rejection(h.chat.postImage(h.channel, picture('消えた'), 'K-pic-gone'));
            expect(err.kind).toBe('permanent');
            expect(err.reason).toBe('channel_gone');
            expect(await h.pictures?.(h.channel.channelId)).toEqual([]);
          });
        }
        if (setup.plays.includes('rate_limited_with_retry_after')) {
          it('says a throttled picture is rate limited, with the time to wait', async () => {
            h.failNextPicture?.('rate_limited_with_retry_after');
            const err = await rejection(h.chat.postImage(h.channel, picture('待て'), 'K-pic-429'));
            expect(err.kind).toBe('rate_limited');
            expect(err.retryAfterMs).toBeGreaterThan(0);
            expect(err.maybeDone).toBe(false);
          });
        }
      });
    } else {
      it('refuses to post a picture, which it declared it cannot (never a silent success)', async () => {
        await expect(h.chat.postImage(h.channel, picture('x'), 'K-pic')).rejects.toThrow();
      });
    }

    it('checks its credentials', async () => {
      await expect(h.chat.checkCredentials()).resolves.toBeUndefined();
    });

    if (setup.plays.length > 0) describe('failures, each mapped to one of the core\'s reasons', () => {
      const kindOf: Partial<Record<PlayableFailure, ChatError['kind']>> = {
        rate_limited_with_retry_after: 'rate_limited',
        rate_limited: 'transient',
        timeout: 'transient',
        unavailable: 'transient',
        lost_response: 'transient',
      };
      const reasonOf = (f: PlayableFailure): FailureReason =>
        f === 'rate_limited_with_retry_after' ? 'rate_limited' : f === 'lost_response' ? 'unavailable' : f;

      for (const failure of setup.plays) {
        it(`${failure}: the post rejects as ${kindOf[failure] ?? 'permanent'} with reason ${reasonOf(failure)}`, async () => {
          h.failNextPost(failure);
          const err = await rejection(h.chat.post(h.channel, notice(`失敗 ${failure}`), `K-${failure}`));
          expect(err.kind).toBe(kindOf[failure] ?? 'permanent');
          expect(err.reason).toBe(reasonOf(failure));
          expect(err.code).not.toBe('');
          if (failure === 'rate_limited_with_retry_after') expect(err.retryAfterMs).toBeGreaterThan(0);
          if (failure === 'lost_response') {
            // The post happened although its answer was lost: the platform holds it; a platform that can find
            // its own posts finds it, so a retry will not post again.
            const stored = await h.stored(h.channel.channelId);
            expect(stored.map((m) => m.text).join('\n')).toContain('失敗 lost_response');
            if (h.chat.capabilities.findOwnPost) expect(await h.chat.findPost(h.channel, 'K-lost_response', new Date(Date.now() - 60_000))).not.toBeNull();
          }
        });
      }
    });
  });
}
