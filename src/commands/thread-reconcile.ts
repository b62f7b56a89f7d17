import type { Advisory } from '../domain/advisory.js';
import type { Delivery } from '../domain/delivery.js';
import type { MessageRef } from '../domain/platform.js';
import type { ChatPort } from '../ports/chat.js';
import type { CoreDeps } from './deps.js';
import { LOOKBACK_MS } from './ladder.js';
import { recordThreadMessage } from './threads.js';

/** Every post of the bot to this member under which a thread can hang: the copies, the follow-ups, the reminders. */
function roots(d: Delivery): MessageRef[] {
  return [...d.messages, ...(d.followups ?? []).flatMap((f) => f.messages), ...(d.reminders ?? [])];
}

/**
 * At closing, read each of the delivery's threads on a platform that can list them, and record what
 * the events missed: a reply whose event never came, an edit made while the bot was down. Recording is
 * idempotent (one record per message, one per edit), so what the events did record is left as it is.
 * A deletion the events missed cannot be seen this way (the message is simply gone from the list).
 * Returns how many records this added or changed.
 */
export async function reconcileThreads(deps: CoreDeps, chat: ChatPort, advisory: Advisory, delivery: Delivery): Promise<number> {
  if (!chat.capabilities.readThreads) return 0;
  const since = new Date(new Date(advisory.issuedAt).getTime() - LOOKBACK_MS);
  let changed = 0;
  for (const root of roots(delivery)) {
    for (const reply of await chat.threadReplies(root, since)) {
      const posted = await recordThreadMessage(deps, { kind: 'posted', message: reply.message, root, author: reply.author, text: reply.text, at: reply.at });
      if (posted.outcome === 'recorded') changed += 1;
      // Edited since it was recorded: the text the list shows now is the latest edit.
      if (reply.edited && posted.outcome === 'repeat') {
        const edited = await recordThreadMessage(deps, { kind: 'edited', message: reply.message, text: reply.text, at: reply.edited.at, editId: reply.edited.id });
        if (edited.outcome === 'edited') changed += 1;
      }
    }
  }
  if (changed > 0) deps.log.info({ advisoryId: advisory.id, deliveryId: delivery.id, changed }, 'thread reconciled at closing: recorded what the events had missed');
  return changed;
}
