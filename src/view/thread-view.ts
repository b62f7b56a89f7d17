import type { Tlp } from '../domain/classification.js';
import type { LocalisedName } from '../directory/schema.js';

/**
 * What people wrote in the threads of the bot's posts to a member, as the secretariat reads it.
 * User-typed text is raw here: escaping is the renderer's job.
 */
export interface ThreadView {
  advisoryId: string;
  title: string;
  tlp: Tlp;
  drill: boolean;
  memberId: string;
  memberName: LocalisedName;
  /** The member's deliveries the messages come from (one per channel; more than one when the member has several). */
  deliveryIds: string[];
  /** Oldest first. */
  messages: ThreadMessageView[];
}

export interface ThreadMessageView {
  messageId: string;
  deliveryId: string;
  by: string;
  at: string;
  /** What it says now (the last edit). '' when only a deletion was seen and the platform sent no text. */
  text: string;
  /** Edited: when last, and what it said before, oldest first (the text as posted first). */
  edited?: { at: string; earlier: { at: string; text: string }[] } | undefined;
  deleted?: { at: string } | undefined;
  /** The message's own arrival was missed; the record began at its edit or deletion. */
  missedOriginal: boolean;
}

/** A status row's summary of the member's replies: how many, and the latest. */
export interface ReplySummary {
  /** Messages not deleted. */
  count: number;
  deleted: number;
  /** The newest message not deleted. */
  latest?: { by: string; at: string; firstLine: string; edited: boolean } | undefined;
}
