import type { MessageRef } from '../domain/platform.js';
import { ChatError, type ChatPort, type OutboundView, type PostTarget } from '../ports/chat.js';
import type { CoreDeps } from './deps.js';

/** Errors thrown by the search for an earlier post, not by the post: they prove nothing about that post. */
const searchFailures = new WeakSet<object>();

/**
 * Whether a failure of postOnce proves that nothing is posted under its key, so the next attempt can post at once:
 * the post itself failed in a way that did nothing (ChatError.maybeDone false), and either no earlier attempt may
 * have posted (`retrying` false) or the search had just found nothing. A failed search proves nothing.
 */
export function provesNothingPosted(err: unknown): boolean {
  return err instanceof ChatError && !err.maybeDone && !searchFailures.has(err);
}

/**
 * Post once, whatever happened to earlier attempts. On a platform that can find its own posts
 * (capabilities.findOwnPost) a possible earlier post is looked for first. On one that cannot, a
 * known retry posts again and says so (a warning, and the caller's audit), never silently; the step
 * ledger's lease still keeps two runs from posting at the same time.
 * Returns the message, whether it may duplicate an earlier one, and whether it is an earlier attempt's post found
 * again (its content is then what that attempt drew, not necessarily `message`).
 */
export async function postOnce(
  deps: Pick<CoreDeps, 'log'>,
  chat: ChatPort,
  target: PostTarget,
  message: OutboundView,
  key: string,
  /**
   * `retrying`: an earlier attempt at this post may have reached the platform, as its record says (a delivery's
   * postUncertain, a step's ledger, the store's post ledger for the rest; see postOnceLedgered).
   */
  opts: { retrying: boolean; since: Date },
): Promise<{ ref: MessageRef; possibleDuplicate: boolean; found: boolean }> {
  if (opts.retrying && chat.capabilities.findOwnPost) {
    let earlier: MessageRef | null;
    try {
      earlier = await chat.findPost(target, key, opts.since);
    } catch (err) {
      if (err !== null && typeof err === 'object') searchFailures.add(err);
      throw err;
    }
    if (earlier) return { ref: earlier, possibleDuplicate: false, found: true };
  }
  const possibleDuplicate = opts.retrying && !chat.capabilities.findOwnPost;
  if (possibleDuplicate) {
    deps.log.warn(
      { platform: chat.platform, channel: target.channelId, key },
      'posting again after an attempt whose outcome is unknown: this platform cannot find its own posts, so it may show twice',
    );
  }
  return { ref: await chat.post(target, message, key), possibleDuplicate, found: false };
}

/**
 * Post once where no record of the caller's tracks the attempt (a notice to the secretariat, a follow-up in a
 * thread): the store's post ledger says whether an earlier attempt may have posted, so the channel is searched only
 * then — not before every notice, and not after a 429.
 */
export async function postOnceLedgered(
  deps: Pick<CoreDeps, 'log' | 'store' | 'clock'>,
  chat: ChatPort,
  target: PostTarget,
  message: OutboundView,
  key: string,
  since: Date,
): Promise<{ ref: MessageRef; possibleDuplicate: boolean; found: boolean }> {
  const ledgerKey = `${key}@${chat.platform}:${target.channelId}`;
  const { mayHavePosted } = await deps.store.beginPost(ledgerKey, deps.clock.now().toISOString());
  try {
    return await postOnce(deps, chat, target, message, key, { retrying: mayHavePosted, since });
  } catch (err) {
    if (provesNothingPosted(err)) await deps.store.settlePost(ledgerKey);
    throw err;
  }
}
