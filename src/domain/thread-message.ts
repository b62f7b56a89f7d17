import type { Actor, MessageRef, Platform } from './platform.js';

/**
 * A person's message in the thread of one of the bot's posts to a member: the delivery's copy, one
 * of its follow-ups or one of its reminders. One record per platform message, unique on (platform,
 * channel, message id); edits are added to it and a deletion marks it, so the record answers
 * afterwards what a member said, when, and what they changed or took back. The bot's own posts in
 * the thread are not here: the delivery records them (messages, follow-ups, reminders).
 */
export interface ThreadMessage {
  platform: Platform;
  channelId: string;
  messageId: string;
  /** The message whose thread this is (same platform and channel). */
  rootId: string;
  deliveryId: string;
  advisoryId: string;
  memberId: string;
  author: Actor;
  /**
   * The text as posted. When the record began at an edit or a deletion (the message's own event was
   * missed) it is the earlier text the platform sent along, or '' when it sent none.
   */
  text: string;
  /** When it was posted, as the platform says (its own clock); orders the thread. */
  at: string;
  /** When the bot recorded it (the core's clock). */
  recordedAt: string;
  /** What the record began with: the message itself, or (its arrival missed) an edit or its deletion. */
  from: 'message' | 'edit' | 'deletion';
  /** Later texts, oldest first. */
  edits: ThreadEdit[];
  /** Taken back by its author (or an administrator); the texts stay in the record. */
  deleted?: { at: string; recordedAt: string } | undefined;
  /** Optimistic-concurrency counter, as on a delivery. */
  version: number;
}

export interface ThreadEdit {
  /**
   * What the platform calls this edit (Slack: the edit's ts; Teams: the update activity's time): the
   * same edit delivered twice is recognised by it and recorded once.
   */
  id: string;
  /** When it was edited (the platform's clock). */
  at: string;
  text: string;
  recordedAt: string;
}

/** Longest text kept per message or edit: Slack's own limit for a message. A longer one is cut, and says so. */
export const THREAD_TEXT_MAX = 40_000;
export const CUT_MARK = '…[cut]';

export function keptText(text: string): string {
  return text.length <= THREAD_TEXT_MAX ? text : `${text.slice(0, THREAD_TEXT_MAX - CUT_MARK.length)}${CUT_MARK}`;
}

export const refOf = (m: Pick<ThreadMessage, 'platform' | 'channelId' | 'messageId'>): MessageRef => ({
  platform: m.platform,
  channelId: m.channelId,
  messageId: m.messageId,
});

export type ThreadTransition =
  | { changed: true; next: ThreadMessage }
  | { changed: false; reason: 'already' | 'deleted'; current: ThreadMessage };

/** The record of a new message; `version` 1, as stored. */
export function newThreadMessage(
  fields: Omit<ThreadMessage, 'version' | 'edits' | 'deleted' | 'recordedAt' | 'text' | 'from'> & { text: string; from?: ThreadMessage['from'] },
  now: Date,
): ThreadMessage {
  return { ...fields, text: keptText(fields.text), from: fields.from ?? 'message', edits: [], recordedAt: now.toISOString(), version: 1 };
}

/** Code-unit order, as SQLite's BINARY collation and MongoDB compare strings, so every store sorts alike. */
const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const byTime = (a: ThreadEdit, b: ThreadEdit) => cmp(a.at, b.at) || cmp(a.id, b.id);

/**
 * An edit: kept in time order whatever order the platform delivered them in. The same edit (same id)
 * again changes nothing; nor does an edit of a deleted message (a late delivery after the deletion).
 */
export function addEdit(m: ThreadMessage, edit: Omit<ThreadEdit, 'recordedAt'>, now: Date): ThreadTransition {
  if (m.edits.some((e) => e.id === edit.id)) return { changed: false, reason: 'already', current: m };
  if (m.deleted) return { changed: false, reason: 'deleted', current: m };
  const kept: ThreadEdit = { id: edit.id, at: edit.at, text: keptText(edit.text), recordedAt: now.toISOString() };
  return { changed: true, next: { ...m, edits: [...m.edits, kept].sort(byTime), version: m.version + 1 } };
}

/** Deleted: the first deletion is the one kept. */
export function markDeleted(m: ThreadMessage, at: string, now: Date): ThreadTransition {
  if (m.deleted) return { changed: false, reason: 'already', current: m };
  return { changed: true, next: { ...m, deleted: { at, recordedAt: now.toISOString() }, version: m.version + 1 } };
}

/** What the message says now (its last edit), deleted or not. */
export function currentText(m: Pick<ThreadMessage, 'text' | 'edits'>): string {
  return m.edits.at(-1)?.text ?? m.text;
}

/** Thread order: by the platform's time, then by message id (Slack's ts and Teams' ids both grow with time). */
export function threadOrder(a: ThreadMessage, b: ThreadMessage): number {
  return cmp(a.at, b.at) || cmp(a.messageId, b.messageId);
}

/** The first non-blank line, cut to `max` characters: what a status row shows of a reply. */
export function firstLine(text: string, max = 100): string {
  const line = text.split(/\r?\n/).find((l) => l.trim() !== '')?.trim() ?? '';
  return line.length <= max ? line : `${line.slice(0, max - 1)}…`;
}

/** What a platform said happened in a thread. Times are the platform's own (ISO). */
export type ThreadEvent =
  | {
      kind: 'posted';
      message: MessageRef;
      /** The message whose thread it is in (Slack: thread_ts; Teams: the thread's root; local: threadOf). */
      root: MessageRef;
      author: Actor;
      text: string;
      at: string;
    }
  | {
      kind: 'edited';
      message: MessageRef;
      /** Needed only to start a record for a message whose own event was missed. */
      root?: MessageRef | undefined;
      author?: Actor | undefined;
      text: string;
      /** When it was edited. */
      at: string;
      /** The platform's identity of this edit (Slack: edited.ts): the same edit twice is recorded once. */
      editId: string;
      /** What the platform says the message said before, and when it was posted (Slack sends both). */
      previous?: { text: string; at?: string | undefined } | undefined;
    }
  | {
      kind: 'deleted';
      message: MessageRef;
      root?: MessageRef | undefined;
      author?: Actor | undefined;
      at: string;
      previous?: { text: string; at?: string | undefined } | undefined;
    };

/**
 * - recorded / edited / deleted: stored now.
 * - repeat: stored before (a retried event, the same edit again); nothing changed.
 * - ignored: not a message of a delivery's thread, or an edit after the deletion; nothing stored.
 */
export type ThreadOutcome = 'recorded' | 'edited' | 'deleted' | 'repeat' | 'ignored';

export interface ThreadResult {
  outcome: ThreadOutcome;
  /** The delivery the message belongs to, when it does. */
  deliveryId?: string | undefined;
}
