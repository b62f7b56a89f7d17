import type { MessageRef } from '../domain/platform.js';
import type { PostTarget } from '../ports/chat.js';
import type { NoticeView } from '../view/views.js';
import type { CoreDeps } from './deps.js';
import { postOnceLedgered } from './post-once.js';

/**
 * Post a notice into every secretariat channel on a platform this process can reach. The key makes
 * a retried job find its earlier post instead of alerting twice. Returns how many channels have it.
 */
export async function toSecretariat(deps: CoreDeps, notice: NoticeView, key: string, since: Date): Promise<number> {
  return (await postToSecretariat(deps, notice, key, since)).length;
}

/** As toSecretariat, returning where the notice is (a notice updated later, as the live status card, needs it). */
export async function postToSecretariat(deps: CoreDeps, notice: NoticeView, key: string, since: Date): Promise<MessageRef[]> {
  const posted: MessageRef[] = [];
  for (const channel of deps.directory.secretariatChannels()) {
    const chat = deps.chats[channel.platform];
    if (!chat) {
      deps.log.warn({ platform: channel.platform }, 'secretariat channel on a platform that is not configured');
      continue;
    }
    const target: PostTarget = { workspaceId: channel.workspace, channelId: channel.id };
    // A notice job may be a retry whose first post got through: the post ledger says when to look.
    const result = await postOnceLedgered(deps, chat, target, { kind: 'notice', view: notice }, key, since);
    posted.push(result.ref);
  }
  return posted;
}
