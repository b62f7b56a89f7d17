import type { Actor } from './platform.js';
import type { ReachedContact } from './phone-task.js';

export type AuditAction =
  | 'advisory.issued'
  | 'advisory.refused'
  | 'advisory.form_opened'
  | 'advisory.status_viewed'
  | 'advisory.corrected'
  | 'advisory.followed_up'
  | 'advisory.withdrawn'
  | 'advisory.closed'
  /** The closing summary (or withdrawal notice) was posted to the secretariat, or could not be. */
  | 'advisory.summary_told'
  /** Its transcript was written to the archive. */
  | 'advisory.archived'
  /** Its TLP:RED texts were removed at the end of their retention. */
  | 'advisory.redacted'
  /** The secretariat exported its record. */
  | 'advisory.exported'
  /** A member's copy now shows the advisory as of a revision (corrected, withdrawn, follow-up posted, ladder stopped). */
  | 'delivery.synced'
  /** A member's copy could not be brought up to date after every attempt; the secretariat was told. */
  | 'delivery.sync_failed'
  | 'delivery.posted'
  | 'delivery.failed'
  | 'delivery.acknowledged'
  | 'delivery.seen'
  /** A follow-up asking for acknowledgement reached the member: a new round and its ladder begin. */
  | 'delivery.round_started'
  | 'delivery.ack_refused'
  /** An announced drill was told to the member in advance (or the platform refused it for good). */
  | 'drill.announced'
  | 'escalation.reminder'
  | 'escalation.phone'
  | 'escalation.next-contact'
  | 'escalation.alert'
  /** A ladder step used up its attempts; the secretariat was told (or the log, when it could not be). */
  | 'escalation.gave_up'
  /** The reconciler found work owed that the queue had lost, and queued it again. */
  | 'work.requeued'
  | 'phone.claim'
  | 'phone.release'
  | 'phone.reached'
  | 'phone.no_answer'
  | 'phone.wrong_number'
  | 'phone.cancelled'
  | 'phone.refused'
  /** The phone-task board could not be shown in the on-call channel; the secretariat was told. */
  | 'phone.board_failed'
  | 'conversation.added'
  | 'conversation.removed'
  /** A person's message in a delivery's thread was recorded (its text is in the thread record, not here). */
  | 'thread.message_recorded'
  | 'thread.message_edited'
  | 'thread.message_deleted';

export interface AuditEvent {
  /** Deterministic for state changes (so a retried command writes it once); random for refusals. */
  id: string;
  at: string;
  /** Absent for the system itself (workers). */
  actor?: Actor | undefined;
  action: AuditAction;
  advisoryId?: string | undefined;
  deliveryId?: string | undefined;
  detail: Record<string, unknown>;
}

export interface Acknowledgement {
  deliveryId: string;
  advisoryId: string;
  memberId: string;
  actor: Actor;
  at: string;
  via: 'button' | 'phone';
  /** Via phone: the member's contact the on-call person (`actor`) reached. Absent on older records. */
  contact?: ReachedContact | undefined;
  /** The acknowledgement round (see Advisory.round); absent: 1. One record per person per round. */
  round?: number | undefined;
}
