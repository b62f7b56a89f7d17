import type { Platform } from '../domain/platform.js';
import type { Category, Severity, Source, Tlp } from '../domain/classification.js';
import type { AckVia, DeliveryState } from '../domain/delivery.js';
import type { StepKind } from '../domain/escalation.js';
import type { ClosureCause } from '../domain/advisory.js';
import type { CallOutcome, ContactCallState, PhoneResolution, PhoneTaskState, ReachedContact } from '../domain/phone-task.js';
import type { LocalisedName } from '../directory/schema.js';
import type { ReplySummary } from './thread-view.js';
import type { Bilingual } from '../i18n/text.js';

/**
 * Platform-neutral view models. The core fills them; each adapter renders them
 * (Block Kit, Adaptive Cards, HTML). User-typed text is raw here: escaping is the renderer's job,
 * because what is dangerous differs by platform.
 */
export interface AdvisoryView {
  advisoryId: string;
  deliveryId: string;
  title: string;
  body: string;
  tlp: Tlp;
  severity: Severity;
  category: Category;
  source: Source;
  drill: boolean;
  issuedAt: string;
  ackDeadline: string;
  memberName: LocalisedName;
  /** 'direct' for TLP:RED direct messages: adds the do-not-forward line. */
  audience: 'channel' | 'direct';
  acknowledged?: { by: string; at: string; via: AckVia } | undefined;
  alsoSeenBy: { by: string; at: string }[];
  /** 1 as issued, +1 per correction. */
  revision: number;
  /** Every correction, newest first: each copy says "訂正 / corrected at …: what changed". */
  corrections: { revision: number; at: string; note: string }[];
  /** Withdrawn: the copy shows the withdrawal notice instead of the advisory. */
  withdrawn?: { at: string; reason: string } | undefined;
  /** A correction made the TLP stricter than this copy may be: it shows only that it was removed. */
  removed?: { tlp: Tlp } | undefined;
  /**
   * A follow-up asks for acknowledgement now (round 2, 3, …): this copy shows no button of its own
   * and points to that follow-up in its thread; `acknowledged` above is the first round's.
   */
  laterRound?: { round: number; followup: number } | undefined;
}

/** A follow-up that asks members to acknowledge it: its own button, deadline and outcome. */
export interface FollowUpAckView {
  round: number;
  deadline: string;
  /** Someone acknowledged this round: the button gives way to who and when. */
  acknowledged?: { by: string; at: string; via: AckVia } | undefined;
  /** A later round began, or the advisory closed unacknowledged: no button, nothing more asked. */
  ended?: boolean | undefined;
}

/** New information posted in the thread of each delivery (続報). */
export interface FollowUpView {
  advisoryId: string;
  deliveryId: string;
  title: string;
  tlp: Tlp;
  drill: boolean;
  n: number;
  at: string;
  body: string;
  audience: 'channel' | 'direct';
  /** Present when the follow-up asks for acknowledgement (a new round): show the Acknowledge button. */
  ack?: FollowUpAckView | undefined;
}

/** What the secretariat hears when an advisory ends: how it went, member by member counted. */
export interface ClosingSummaryView {
  advisoryId: string;
  title: string;
  tlp: Tlp;
  severity: Severity;
  drill: boolean;
  cause: ClosureCause;
  closedAt: string;
  closedBy?: string | undefined;
  /** Withdrawal: the reason given. */
  reason?: string | undefined;
  issuedAt: string;
  /** The counts are about this acknowledgement round, opened by follow-up `followup` (absent: round 1, as issued). */
  round?: { n: number; followup: number; since: string } | undefined;
  targeted: number;
  byButton: number;
  byPhone: number;
  /** Never acknowledged (still posted, or failed and never reached by phone). */
  never: number;
  failed: number;
  /** Not sent: withdrawn first. */
  cancelled: number;
  /** From issue to the last acknowledgement, when there was one. */
  lastAckAt?: string | undefined;
  /** Failures by member (at most FAILURES_SHOWN; `moreFailures` says how many more). */
  failures: { memberName: LocalisedName; reason: string }[];
  moreFailures: number;
  /**
   * The advisory's audit chain as it stood when the summary was made: kept in the secretariat's chat,
   * outside the store, it lets `npm run cli -- verify-audit ADV-… --anchor SEQ:HASH` prove later that
   * nothing up to it was changed or removed.
   */
  auditHead?: { seq: number; hash: string } | undefined;
}

/**
 * A picture the bot posts (ChatPort.postImage): the reach chart (疎通確認率) after the closing summary, in the
 * secretariat's channel. Labelled as every message is: the TLP first, 【訓練】/[DRILL] for a drill. `title` is the
 * advisory's, user-typed: the adapter escapes it as any title.
 */
export interface ImageView {
  kind: 'reach_chart';
  advisoryId: string;
  title: string;
  tlp: Tlp;
  severity: Severity;
  drill: boolean;
  /** What the picture is, as its heading: "受領確認の推移 / Share acknowledged over time". */
  heading: Bilingual;
  /** What it shows in words, for whoever cannot see it (screen readers, a client without pictures). */
  altText: Bilingual;
}

export interface StatusRow {
  memberId: string;
  memberName: LocalisedName;
  deliveryId: string;
  platform: Platform;
  state: DeliveryState;
  acknowledgedBy?: string | undefined;
  acknowledgedAt?: string | undefined;
  via?: AckVia | undefined;
  /** Via phone: the member's contact the on-call person (acknowledgedBy) reached; absent on older records. */
  reachedContact?: ReachedContact | undefined;
  failure?: string | undefined;
  /** Where an unacknowledged member is on the escalation ladder. */
  ladder?: { kind: StepKind; index: number; at: string } | undefined;
  /** `tried` of `contacts` called (status shows "tried 1 of 3"); `overdue`: nobody has called though the ladder moved on. */
  phoneTask?: { state: PhoneTaskState; claimedBy?: string | undefined; contactIndex: number; contacts: number; tried: number; overdue: boolean; exhausted: boolean } | undefined;
  /** What people wrote in the member's thread (absent when nobody has). */
  replies?: ReplySummary | undefined;
}

export interface StatusView {
  advisoryId: string;
  title: string;
  tlp: Tlp;
  severity: Severity;
  drill: boolean;
  issuedAt: string;
  ackDeadline: string;
  /** Acknowledgement is asked for a follow-up now: the counts and rows are about that round (deadline above is its). */
  round?: { n: number; followup: number; since: string } | undefined;
  counts: Record<DeliveryState, number> & { total: number };
  /**
   * Unacknowledged first, so the secretariat sees who to chase; within a state, Japanese name order.
   * Only the rows that match the query, one page of them (see `page`).
   */
  rows: StatusRow[];
  /** Which rows these are: the filters asked for, where the page starts, how many match in all. */
  page?: { query: StatusQuery; offset: number; limit: number; matching: number } | undefined;
  /** The directory's groups, for a filter by group. */
  groups?: { id: string; name: LocalisedName }[] | undefined;
}

/** 未確認 (silent: queued or posted), 配信失敗 (failed), 電話対応中 (a phone task open or claimed), 受領確認済み. */
export type StatusFilter = 'silent' | 'failed' | 'phone' | 'acknowledged';

/** What part of a status the secretariat asks to see: a state, a group, a platform, a page. */
export interface StatusQuery {
  state?: StatusFilter | undefined;
  group?: string | undefined;
  platform?: Platform | undefined;
  offset?: number | undefined;
  limit?: number | undefined;
}

/** One advisory in the list of advisories (newest first), with its progress. */
export interface AdvisorySummaryView {
  advisoryId: string;
  title: string;
  tlp: Tlp;
  severity: Severity;
  drill: boolean;
  issuedAt: string;
  state: 'open' | 'closed';
  withdrawn: boolean;
  counts: Record<DeliveryState, number> & { total: number };
}

/**
 * The advisory as the secretariat's status card shows it now: counts per state (a bar of segments),
 * who is on the phone, what the ladder does next, and whether it has ended. Updated in place,
 * throttled (commands/status-card.ts).
 */
export interface LiveStatusView {
  issuedAt: string;
  counts: Record<DeliveryState, number> & { total: number };
  /** Members whose phone task is open or being called. */
  onPhone: number;
  /** A follow-up asks for acknowledgement: the counts are about that round. */
  round?: { n: number; followup: number; since: string } | undefined;
  /** The deadline of the current round. */
  ackDeadline: string;
  /** The earliest ladder step owed to a silent member, and how many members it is due for at that time. */
  nextStep?: { kind: StepKind; at: string; members: number } | undefined;
  closed?: { cause: ClosureCause; at: string } | undefined;
  /** When the counts were read. */
  asOf: string;
}

/**
 * One alert to the secretariat for a wave of members (alert-wave.ts): silent at the end of the
 * ladder ('escalation'), or whose copy could not be delivered ('failed'). Updated in place as they
 * resolve; the unresolved first, in Japanese name order.
 */
export interface AlertDigestView {
  kind: 'alert_digest';
  alert: 'escalation' | 'failed';
  advisoryId: string;
  title: string;
  tlp: Tlp;
  drill: boolean;
  wave: number;
  openedAt: string;
  /** Members listed (at most DIGEST_ROWS; `more` says how many are left out). */
  members: AlertMemberView[];
  more: number;
  total: number;
  /** Acknowledged since (by button or phone). */
  resolved: number;
  asOf: string;
}

export interface AlertMemberView {
  memberName: LocalisedName;
  state: DeliveryState;
  /** Acknowledged since the alert: who, when, how. */
  resolved?: { by: string; at: string; via: AckVia } | undefined;
  /** Why the copy could not be delivered (failed). */
  reason?: string | undefined;
  /** What the platform itself said, when the reason alone does not (channel_not_found, BotNotInConversationRoster, …). */
  detail?: string | undefined;
  /** Calls made, contacts whose number was wrong (the directory needs fixing), who is calling. */
  attempts: number;
  wrongNumbers: string[];
  claimedBy?: string | undefined;
}

/** A reminder in the member's channel (or TLP:RED direct message) before the deadline. */
export interface ReminderView {
  advisoryId: string;
  deliveryId: string;
  title: string;
  tlp: Tlp;
  drill: boolean;
  ackDeadline: string;
  memberName: LocalisedName;
  /** Platform user ids of the member's contacts to mention: ids from the directory, never user text. */
  mention: string[];
  /** The directory's name for each mentioned id (Teams shows it inside the mention; Slack resolves ids itself). */
  mentionNames?: Record<string, string> | undefined;
  /** Acknowledged since: the reminder is updated to say so, with no mention and no request left. */
  acknowledged?: { by: string; at: string } | undefined;
  /** The reminder is about follow-up `followup` (a later acknowledgement round); absent: the advisory itself. */
  followup?: number | undefined;
}

export interface PhoneContactView {
  name: string;
  role?: string | undefined;
  /** E.164, for tel: links. */
  phoneE164: string;
  /** As people read it in Japan, e.g. 03-5555-0101. */
  phoneDisplay: string;
  /** This is who to call now: the first callable contact nobody has tried. */
  current: boolean;
  /** The ladder (or earlier calls) has made this contact callable. */
  callable: boolean;
  /** Not callable yet: when the ladder makes them callable (ISO), if it does. */
  callableFrom?: string | undefined;
  /** Not tried, no answer, wrong number, or reached: never "passed" just because time went by. */
  state: ContactCallState;
  /** What happened on earlier calls to this contact. */
  tried: CallOutcome[];
}

/** One "reached" choice on a phone task: the contact who answered, and what the press sends back. */
export interface ReachedChoiceView {
  /** 0-based, in the directory's call order (the list shows it 1-based). */
  index: number;
  name: string;
  role?: string | undefined;
  /** This is the contact being called now (offered first). */
  current: boolean;
  /** What the press carries back to the core (`<index>:<key>`): the button's value, after the task id. */
  choice: string;
}

/** A phone task in the on-call channel. */
export interface PhoneTaskView {
  taskId: string;
  advisoryId: string;
  title: string;
  tlp: Tlp;
  severity: Severity;
  drill: boolean;
  ackDeadline: string;
  memberName: LocalisedName;
  /** 'red': the call script gives only the title and asks the member to call the secretariat. */
  script: 'standard' | 'red';
  /** A short excerpt of the body for the caller; absent for TLP:RED. */
  excerpt?: string | undefined;
  secretariatName: LocalisedName;
  contacts: PhoneContactView[];
  state: PhoneTaskState;
  claimedBy?: string | undefined;
  exhausted: boolean;
  /** Contacts someone has called (reached or not): "tried 1 of 3" with `contacts.length`. */
  tried: number;
  /** The ladder's next-contact time came while nobody had called: raised again in the on-call channel. */
  overdue?: { since: string } | undefined;
  /**
   * While the task is open or claimed: one choice per contact for "reached", the contact being called now first,
   * then the others in call order. Empty once the task is done or cancelled.
   */
  reachedChoices: ReachedChoiceView[];
  /** The call is about follow-up `followup` too (acknowledgement round `n` ≥ 2); absent: the advisory as issued. */
  round?: { n: number; followup: number } | undefined;
  /** `contact`: whom the caller reached (absent on records from before the bot asked). */
  resolution?: { kind: PhoneResolution; by?: string | undefined; at: string; contact?: ReachedContact | undefined } | undefined;
}

/** One task on the phone-task board: a row, with who is on it. */
export interface PhoneBoardRowView {
  taskId: string;
  memberName: LocalisedName;
  state: PhoneTaskState;
  claimedBy?: string | undefined;
  /** Contacts someone has called, of `contacts`. */
  tried: number;
  contacts: number;
  /** When the call became due (the phone step; a later round's deadline). */
  dueAt: string;
  /** Nobody has called though the ladder moved on to the next contact (ISO, since when). */
  overdueSince?: string | undefined;
  exhausted: boolean;
  /** How a done or cancelled task ended, and who reached the member. */
  resolution?: { kind: PhoneResolution; by?: string | undefined } | undefined;
  /** The acknowledgement round the call is about, when later than the first. */
  round?: number | undefined;
}

/**
 * One page of an advisory's phone-task board in the on-call channel (domain/phone-board.ts): its tasks in the order
 * they opened, each with who is on it; the open ones can be claimed from the page, after which the task's details and
 * outcome buttons go to the claimer. The counts are the whole board's, on its first page only: a change to one task
 * then edits one page.
 */
export interface PhoneBoardView {
  advisoryId: string;
  title: string;
  tlp: Tlp;
  severity: Severity;
  drill: boolean;
  /** This page's number and how many pages the board has (the latter shown on page 1). */
  page: number;
  pages: number;
  rows: PhoneBoardRowView[];
  /** The whole board, on page 1 only. */
  counts?: { open: number; claimed: number; overdue: number; reached: number; acknowledged: number; cancelled: number } | undefined;
  /** The advisory is closed or withdrawn: nothing left to claim. */
  closed: boolean;
  asOf: string;
}

/** One open phone task in the on-call list. */
export interface OncallTaskView {
  taskId: string;
  advisoryId: string;
  title: string;
  tlp: Tlp;
  severity: Severity;
  drill: boolean;
  memberName: LocalisedName;
  state: PhoneTaskState;
  claimedBy?: string | undefined;
  contactIndex: number;
  contacts: number;
  /** Contacts someone has called: "tried 1 of 3". */
  tried: number;
  /** Nobody has called though the ladder moved on (ISO, since when). */
  overdueSince?: string | undefined;
  exhausted: boolean;
  createdAt: string;
  /** When the call became due: the task's phone step (its creation, or a later round's deadline). */
  dueAt: string;
}

/** The tasks of one advisory in the on-call list. */
export interface OncallGroupView {
  advisoryId: string;
  title: string;
  tlp: Tlp;
  severity: Severity;
  drill: boolean;
  /** Due time first (the earliest first). */
  tasks: OncallTaskView[];
}

/**
 * The open phone tasks, grouped by advisory: real advisories before drills, then the most severe advisory first (level 4 first), then the one whose
 * earliest task is due first. `tasks` is every task once, in the groups' order.
 */
export interface OncallListView {
  groups: OncallGroupView[];
  tasks: OncallTaskView[];
}

export type NoticeView =
  | {
      kind: 'delivery_failed';
      advisoryId: string;
      title: string;
      tlp: Tlp;
      drill: boolean;
      memberName: LocalisedName;
      /** The core's reason (ports/chat.ts FAILURE_REASONS, or its own such as TLP_SHARED_CHANNEL). */
      reason: string;
      /** What the platform itself said (channel_not_found, BotNotInConversationRoster, …). */
      detail?: string | undefined;
    }
  | {
      kind: 'advisory_issued';
      advisoryId: string;
      title: string;
      tlp: Tlp;
      drill: boolean;
      deliveries: number;
      ackDeadline: string;
      issuedBy: string;
      /** The notice is the advisory's live status card: present once the card is brought up to date. */
      live?: LiveStatusView | undefined;
    }
  | AlertDigestView
  | {
      /** The ladder reached its end: the member is still silent after every contact was tried (or time ran out). */
      kind: 'escalation_alert';
      advisoryId: string;
      title: string;
      tlp: Tlp;
      drill: boolean;
      memberName: LocalisedName;
      deliveryState: DeliveryState;
      /** Contacts whose number was wrong: the directory needs fixing. */
      wrongNumbers: string[];
      attempts: number;
      claimedBy?: string | undefined;
    }
  | {
      /** The advisory ended (closed or withdrawn): how it went. */
      kind: 'advisory_closed';
      advisoryId: string;
      title: string;
      tlp: Tlp;
      drill: boolean;
      summary: ClosingSummaryView;
    }
  | {
      /** A member's copy could not be brought up to date (corrected, withdrawn, follow-up) after every attempt. */
      kind: 'sync_failed';
      advisoryId: string;
      title: string;
      tlp: Tlp;
      drill: boolean;
      memberName: LocalisedName;
      reason: string;
    }
  | DrillAnnouncementView
  | {
      /** A ladder step used up its attempts: the member may not have been reached; the ladder goes on. */
      kind: 'step_failed';
      advisoryId: string;
      title: string;
      tlp: Tlp;
      drill: boolean;
      memberName: LocalisedName;
      step: StepKind;
      /** The last error, as the platform or the store said it. */
      reason: string;
    };

/**
 * Told to a member in their channel ahead of an announced drill (commands/drill-notice.ts): a drill will come between
 * `window.from` and `window.to`, and what to do when it does. It carries nothing of the drill's content (no title, no
 * body), so it has a label of its own (TLP:GREEN), whatever the drill's TLP.
 */
export interface DrillAnnouncementView {
  kind: 'drill_announcement';
  advisoryId: string;
  tlp: Tlp;
  drill: true;
  memberName: LocalisedName;
  window: { from: string; to: string };
  /** The drill comes as direct messages to the member's contacts (a TLP:RED drill), not into this channel. */
  direct: boolean;
}

/** What the advisory form offers: the directory's groups and organisations, and the policies' defaults. */
export interface TargetOptions {
  groups: { id: string; name: LocalisedName }[];
  organisations: { id: string; name: LocalisedName; kind: 'member' | 'observer' }[];
  /** What "severity default" means in the form, from the escalation policies: seconds, as they have it (90 s reads "90秒"). */
  defaultDeadlineSeconds: Record<Severity, number>;
  /** Severities whose ladder may be switched off. */
  escalationOptional: Severity[];
}
