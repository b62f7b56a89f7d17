import type { Category, Severity, Source, Tlp } from '../domain/classification.js';
import type { AckVia, DeliveryState } from '../domain/delivery.js';
import type { LocalisedName } from '../directory/schema.js';

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
}

export interface StatusRow {
  memberId: string;
  memberName: LocalisedName;
  deliveryId: string;
  state: DeliveryState;
  acknowledgedBy?: string | undefined;
  acknowledgedAt?: string | undefined;
  via?: AckVia | undefined;
  failure?: string | undefined;
}

export interface StatusView {
  advisoryId: string;
  title: string;
  tlp: Tlp;
  severity: Severity;
  drill: boolean;
  issuedAt: string;
  ackDeadline: string;
  counts: Record<DeliveryState, number> & { total: number };
  /** Unacknowledged first, so the secretariat sees who to chase. */
  rows: StatusRow[];
}

export type NoticeView =
  | {
      kind: 'delivery_failed';
      advisoryId: string;
      title: string;
      tlp: Tlp;
      drill: boolean;
      memberName: LocalisedName;
      reason: string;
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
    };
