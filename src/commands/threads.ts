/**
 * Replies in members' threads: recorded as the platforms deliver them (a message, its edits, its
 * deletion), and read by the secretariat. Only messages in the thread of one of the bot's posts to
 * a member are kept (the delivery's copy, a follow-up, a reminder); anything else in the channel is
 * someone else's conversation and is never stored.
 */
import { parseAdvisoryId } from '../domain/advisory.js';
import type { AuditEvent } from '../domain/audit.js';
import type { Delivery } from '../domain/delivery.js';
import type { Actor, MessageRef } from '../domain/platform.js';
import {
  addEdit,
  currentText,
  firstLine,
  markDeleted,
  newThreadMessage,
  refOf,
  threadOrder,
  type ThreadEvent,
  type ThreadMessage,
  type ThreadResult,
  type ThreadTransition,
} from '../domain/thread-message.js';
import { contactUserId } from '../directory/schema.js';
import { BotError } from '../errors.js';
import { displayName } from '../view/build.js';
import type { ReplySummary, ThreadMessageView, ThreadView } from '../view/thread-view.js';
import { requireSecretariat } from './authorise.js';
import { compareAndSet } from './cas.js';
import type { CoreDeps } from './deps.js';

/** The author of a message whose record began at its deletion, when the platform did not say who wrote it. */
const UNKNOWN_AUTHOR = '(unknown)';

export async function recordThreadMessage(deps: CoreDeps, event: ThreadEvent): Promise<ThreadResult> {
  const existing = await deps.store.getThreadMessage(event.message);
  if (event.kind === 'posted') {
    if (existing) return repeat(deps, existing, { kind: 'posted' });
    return startRecord(deps, event, event.root, event.author, { text: event.text, at: event.at, from: 'message' });
  }
  if (existing) return change(deps, event);
  // The message's own event was missed (the bot was down, the event lost): start its record here,
  // with what the platform sent along, then apply the change to it.
  const root = event.root;
  if (!root) return ignored(deps, event.message, 'unknown message, no thread');
  const previous = event.previous;
  const started = await startRecord(
    deps,
    event,
    root,
    event.author ?? { platform: event.message.platform, userId: UNKNOWN_AUTHOR },
    { text: previous?.text ?? '', at: previous?.at ?? event.at, from: event.kind === 'edited' ? 'edit' : 'deletion' },
  );
  if (started.outcome === 'ignored') return started;
  return change(deps, event);
}

async function startRecord(
  deps: CoreDeps,
  event: ThreadEvent,
  root: MessageRef,
  author: Actor,
  content: { text: string; at: string; from: ThreadMessage['from'] },
): Promise<ThreadResult> {
  // A reply lives in its root's conversation; anything else is not in that thread.
  if (root.platform !== event.message.platform || root.channelId !== event.message.channelId) {
    return ignored(deps, event.message, 'root in another conversation');
  }
  const delivery = await deliveryOfRoot(deps, root);
  if (!delivery) return ignored(deps, event.message, 'not in a delivery thread');
  const record = newThreadMessage(
    {
      platform: event.message.platform,
      channelId: event.message.channelId,
      messageId: event.message.messageId,
      rootId: root.messageId,
      deliveryId: delivery.id,
      advisoryId: delivery.advisoryId,
      memberId: delivery.memberId,
      author: named(deps, delivery.memberId, author),
      text: content.text,
      at: content.at,
      from: content.from,
    },
    deps.clock.now(),
  );
  if (!(await deps.store.addThreadMessage(record))) {
    // Someone recorded it first (the same event, delivered twice at once): theirs is the record.
    return repeat(deps, (await deps.store.getThreadMessage(event.message)) ?? record, { kind: 'posted' });
  }
  await deps.store.appendAudit(auditOf(record, { kind: 'posted' }));
  deps.log.info({ deliveryId: delivery.id, message: event.message, from: record.from }, 'thread message recorded');
  return { outcome: 'recorded', deliveryId: delivery.id };
}

/**
 * Slack's events carry only the author's id: a contact of the member is named as the directory names
 * them, so the secretariat reads a name. A name the platform gave wins.
 */
function named(deps: CoreDeps, memberId: string, author: Actor): Actor {
  if (author.name !== undefined) return author;
  const contact = deps.directory.contactsInOrder(memberId).find((c) => contactUserId(c, author.platform) === author.userId);
  return contact ? { ...author, name: contact.name } : author;
}

/** The copy, follow-up or reminder a thread hangs under. */
async function deliveryOfRoot(deps: CoreDeps, root: MessageRef): Promise<Delivery | null> {
  return (await deps.store.findDeliveryByMessage(root)) ?? (await deps.store.findDeliveryByFollowUpOrReminder(root));
}

/** An edit or the deletion, applied to the stored record (compare-and-set: concurrent changes all land). */
async function change(deps: CoreDeps, event: Extract<ThreadEvent, { kind: 'edited' | 'deleted' }>): Promise<ThreadResult> {
  const now = deps.clock.now();
  const what: AuditedChange = event.kind === 'edited' ? { kind: 'edited', editId: event.editId } : { kind: 'deleted' };
  const decide = (m: ThreadMessage): ThreadTransition =>
    event.kind === 'edited' ? addEdit(m, { id: event.editId, at: event.at, text: event.text }, now) : markDeleted(m, event.at, now);
  const t = await compareAndSet(
    { read: () => deps.store.getThreadMessage(event.message), save: (next) => deps.store.saveThreadMessage(next), notFound: 'STORE.CONFLICT', id: event.message.messageId },
    decide,
  );
  if (!t.changed) {
    if (t.reason === 'deleted') return ignored(deps, event.message, 'edit after deletion');
    return repeat(deps, t.current, what);
  }
  await deps.store.appendAudit(auditOf(t.next, what));
  deps.log.info({ deliveryId: t.next.deliveryId, message: event.message }, `thread message ${event.kind}`);
  return { outcome: event.kind, deliveryId: t.next.deliveryId };
}

/**
 * Recorded before. Its audit event is appended again (the store ignores an id it has), so a process
 * that died between the record and its audit leaves no record without one once the platform retries.
 */
async function repeat(deps: CoreDeps, stored: ThreadMessage, what: AuditedChange): Promise<ThreadResult> {
  await deps.store.appendAudit(auditOf(stored, what));
  deps.log.debug({ deliveryId: stored.deliveryId, message: refOf(stored), kind: what.kind }, 'thread message repeated');
  return { outcome: 'repeat', deliveryId: stored.deliveryId };
}

/** Counted in the debug log, never stored: nothing of someone else's conversation is kept. */
function ignored(deps: CoreDeps, message: MessageRef, reason: string): ThreadResult {
  deps.log.debug({ platform: message.platform, channelId: message.channelId, reason }, 'thread message ignored');
  return { outcome: 'ignored' };
}

const ACTION = { posted: 'thread.message_recorded', edited: 'thread.message_edited', deleted: 'thread.message_deleted' } as const;

/** What an audit event of a thread message says happened: its arrival, one of its edits, its deletion. */
type AuditedChange = { kind: 'posted' } | { kind: 'edited'; editId: string } | { kind: 'deleted' };

/**
 * Who wrote in which thread, and when: the text itself stays in the thread record (which a retention
 * rule may redact), not in the audit chain (which cannot change). Everything here comes from the
 * stored record, so the same event appended again is the same event.
 */
function auditOf(m: ThreadMessage, what: AuditedChange): AuditEvent {
  const key = `thread.${m.platform}.${m.channelId}.${m.messageId}`;
  const base = { actor: m.author, action: ACTION[what.kind], advisoryId: m.advisoryId, deliveryId: m.deliveryId };
  const detail = { message: refOf(m), rootId: m.rootId };
  if (what.kind === 'posted') {
    return { ...base, id: `${key}.posted`, at: m.recordedAt, detail: { ...detail, postedAt: m.at, from: m.from, chars: m.text.length } };
  }
  if (what.kind === 'deleted') {
    return { ...base, id: `${key}.deleted`, at: m.deleted?.recordedAt ?? m.recordedAt, detail: { ...detail, deletedAt: m.deleted?.at } };
  }
  const edit = m.edits.find((e) => e.id === what.editId);
  return { ...base, id: `${key}.edited.${what.editId}`, at: edit?.recordedAt ?? m.recordedAt, detail: { ...detail, editedAt: edit?.at, chars: edit?.text.length } };
}

// ---- reading ----------------------------------------------------------------------------------

/**
 * A member's thread, for the secretariat: by delivery id, or by advisory id and member id (every
 * delivery of that member, when the member has more than one channel).
 */
export async function threadOf(deps: CoreDeps, actor: Actor, which: { deliveryId: string } | { advisoryId: string; memberId: string }): Promise<ThreadView> {
  await requireSecretariat(deps, actor, 'advisory.thread');
  const deliveries = await deliveriesOf(deps, which);
  const first = deliveries[0];
  const advisory = first ? await deps.store.getAdvisory(first.advisoryId) : null;
  if (!first || !advisory) throw new BotError('DELIVERY.NOT_FOUND', 'no such delivery', { ...which });
  const messages: ThreadMessage[] = [];
  for (const d of deliveries) messages.push(...(await deps.store.listThreadMessages({ deliveryId: d.id })));
  return {
    advisoryId: advisory.id,
    title: advisory.title,
    tlp: advisory.tlp,
    drill: advisory.drill,
    memberId: first.memberId,
    memberName: deps.directory.memberName(first.memberId),
    deliveryIds: deliveries.map((d) => d.id),
    messages: messages.sort(threadOrder).map(messageView),
  };
}

async function deliveriesOf(deps: CoreDeps, which: { deliveryId: string } | { advisoryId: string; memberId: string }): Promise<Delivery[]> {
  if ('deliveryId' in which) {
    const d = await deps.store.getDelivery(which.deliveryId);
    return d ? [d] : [];
  }
  const id = parseAdvisoryId(which.advisoryId);
  if (!id) return [];
  return (await deps.store.listDeliveries(id)).filter((d) => d.memberId === which.memberId);
}

export function messageView(m: ThreadMessage): ThreadMessageView {
  const texts = [{ at: m.at, text: m.text }, ...m.edits.map((e) => ({ at: e.at, text: e.text }))];
  const last = m.edits.at(-1);
  return {
    messageId: m.messageId,
    deliveryId: m.deliveryId,
    by: displayName(m.author),
    at: m.at,
    text: currentText(m),
    edited: last ? { at: last.at, earlier: texts.slice(0, -1) } : undefined,
    deleted: m.deleted ? { at: m.deleted.at } : undefined,
    missedOriginal: m.from !== 'message',
  };
}

/** Per delivery: how many messages, and the latest one not deleted. `messages` in thread order. */
export function replySummaries(messages: ThreadMessage[]): Map<string, ReplySummary> {
  const out = new Map<string, ReplySummary>();
  for (const m of messages) {
    const s = out.get(m.deliveryId) ?? { count: 0, deleted: 0 };
    if (m.deleted) s.deleted += 1;
    else {
      s.count += 1;
      s.latest = { by: displayName(m.author), at: m.at, firstLine: firstLine(currentText(m)), edited: m.edits.length > 0 };
    }
    out.set(m.deliveryId, s);
  }
  return out;
}
