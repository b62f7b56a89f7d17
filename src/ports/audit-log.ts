import type { AuditEvent } from '../domain/audit.js';
import type { ChainTip, StoredChain } from '../domain/audit-chain.js';

/**
 * The audit part of the store: an append-only log kept as hash chains, one per advisory and one for
 * the events of no advisory (src/domain/audit-chain.ts says why). Both stores (SQLite, MongoDB)
 * pass one contract suite (test/src/store/audit-chain-contract.ts).
 */
export interface AuditLog {
  /**
   * Append an audit event, linked to the end of its chain; an event whose id is already stored is
   * ignored (state changes have deterministic ids, so a retried command writes once). Safe under
   * concurrent appends from several processes: every event gets its own place, no two the same, and
   * the same event appended twice at once is stored once.
   */
  appendAudit(event: AuditEvent): Promise<void>;
  /** An advisory's events, by time and then in the order they were appended (without their links). */
  listAudit(advisoryId: string): Promise<AuditEvent[]>;

  /** Every chain the store knows of (from links, head records and events without a link), sorted. */
  listAuditChains(): Promise<string[]>;
  /**
   * What the store holds for one chain, for verification: the head record first, then the links in
   * seq order, then the chain's events that have no link (StoredChain says why in that order).
   */
  readAuditChain(chain: string): Promise<StoredChain>;
  /**
   * The last link of a chain (an advisory id, or NO_ADVISORY_CHAIN), or null when it has none: what
   * an anchor outside the store (the closing summary in the secretariat's chat) should record.
   */
  auditChainHead(chain: string): Promise<ChainTip | null>;
}
