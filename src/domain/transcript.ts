import type { DrillPlan } from './drill-plan.js';
import type { Advisory, AdvisoryContent, Closure, FollowUp } from './advisory.js';
import type { ChainTip } from './audit-chain.js';
import type { Acknowledgement, AuditEvent } from './audit.js';
import type { Category, Severity, Source, Tlp } from './classification.js';
import type { Delivery } from './delivery.js';
import type { PhoneTask } from './phone-task.js';
import type { Actor } from './platform.js';
import type { ThreadMessage } from './thread-message.js';

/**
 * An advisory's whole life as one record, written when it ends (closed or withdrawn) and kept for
 * as long as the retention settings allow: what was sent (every version), to whom, who saw it and
 * how (button, phone, which contact), who was called, what they said in its threads, and the audit
 * trail with the hash of its last link. Answers, months later, "who knew what, and when".
 *
 * The top-level classification fields are what archives are searched by; the rest is the record as
 * the store held it at archiving.
 */
export interface Transcript {
  /** The shape of this record; readers refuse a newer one rather than misread it. */
  schema: typeof TRANSCRIPT_SCHEMA;
  advisoryId: string;
  /** advisoryScope(): unique even across stores. */
  scope: string;
  archivedAt: string;
  issuedAt: string;
  issuedBy: Actor;
  tlp: Tlp;
  severity: Severity;
  category: Category;
  source: Source;
  drill: boolean;
  /** A drill's schedule as recorded (announced when, for which window, or not); absent on real advisories and older records. */
  drillPlan?: DrillPlan | undefined;
  /** Every member targeted (a delivery each), for searching by member. */
  members: string[];
  /** Their names as the directory had them when archived (the directory changes; the record must not). */
  memberNames: Record<string, { ja: string; en: string }>;
  closure: Closure | undefined;
  ackDeadline: string;
  /** Revision 1 as issued, then one per correction, each with its full text. */
  versions: TranscriptVersion[];
  followups: FollowUp[];
  deliveries: Delivery[];
  acknowledgements: Acknowledgement[];
  phoneTasks: PhoneTask[];
  /** The member threads' messages, oldest first (with their edits and deletion). */
  threads: ThreadMessage[];
  audit: { events: AuditEvent[]; head: ChainTip | null };
  /** TLP:RED texts were removed when their retention ended; the rest of the record stays. */
  redacted?: { at: string } | undefined;
}

export const TRANSCRIPT_SCHEMA = 1;

export interface TranscriptVersion extends AdvisoryContent {
  revision: number;
  at: string;
  by: Actor;
  /** What the correction that made this version said changed; absent for revision 1. */
  note?: string | undefined;
}

/** Every text the advisory carried, oldest first: revision 1 as issued, then each correction's result. */
export function versionsOf(a: Advisory): TranscriptVersion[] {
  const corrections = a.corrections ?? [];
  const contents: AdvisoryContent[] = [...corrections.map((c) => c.previous), { title: a.title, body: a.body, tlp: a.tlp, severity: a.severity, category: a.category }];
  return contents.map((content, i) => {
    const made = i === 0 ? undefined : corrections[i - 1];
    return { revision: i + 1, at: made?.at ?? a.issuedAt, by: made?.by ?? a.issuedBy, ...content, ...(made ? { note: made.note } : {}) };
  });
}

export interface TranscriptParts {
  advisory: Advisory;
  scope: string;
  deliveries: Delivery[];
  acknowledgements: Acknowledgement[];
  phoneTasks: PhoneTask[];
  threads: ThreadMessage[];
  audit: AuditEvent[];
  head: ChainTip | null;
  memberNames: Record<string, { ja: string; en: string }>;
  at: Date;
}

export function buildTranscript(p: TranscriptParts): Transcript {
  const a = p.advisory;
  return {
    schema: TRANSCRIPT_SCHEMA,
    advisoryId: a.id,
    scope: p.scope,
    archivedAt: p.at.toISOString(),
    issuedAt: a.issuedAt,
    issuedBy: a.issuedBy,
    tlp: a.tlp,
    severity: a.severity,
    category: a.category,
    source: a.source,
    drill: a.drill,
    ...(a.drillPlan ? { drillPlan: a.drillPlan } : {}),
    members: [...new Set(p.deliveries.map((d) => d.memberId))].sort(),
    memberNames: p.memberNames,
    closure: a.closure,
    ackDeadline: a.ackDeadline,
    versions: versionsOf(a),
    followups: a.followups ?? [],
    deliveries: p.deliveries,
    acknowledgements: p.acknowledgements,
    phoneTasks: p.phoneTasks,
    threads: p.threads,
    audit: { events: p.audit, head: p.head },
  };
}

/** What stands in for a removed TLP:RED text. */
export const REDACTED = '［TLP:RED 保存期間満了のため削除 / removed: TLP:RED retention ended］';

/**
 * The transcript without the texts TLP:RED allows to be kept only for a while: every version's body,
 * the follow-ups and the thread messages. Who, when and how stay: the record still answers who knew.
 */
export function redactRed(t: Transcript, at: Date): Transcript {
  if (t.tlp !== 'TLP:RED' && !t.versions.some((v) => v.tlp === 'TLP:RED')) return t;
  return {
    ...t,
    versions: t.versions.map((v) => ({ ...v, body: REDACTED })),
    followups: t.followups.map((f) => ({ ...f, body: REDACTED })),
    // Who wrote, when, and that they edited or took it back stay; what they wrote goes.
    threads: t.threads.map((m) => ({ ...m, text: REDACTED, edits: m.edits.map((e) => ({ ...e, text: REDACTED })) })),
    redacted: { at: at.toISOString() },
  };
}
