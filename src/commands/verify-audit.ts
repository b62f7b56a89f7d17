import { ChainVerifier, type ChainAnchor, type ChainReport, type ChainTip } from '../domain/audit-chain.js';
import type { AuditLog } from '../ports/audit-log.js';

/**
 * Verification of the audit log's hash chains, for the CLI (`npm run audit:verify`,
 * `npm run cli -- verify-audit`) and whoever else needs it. It only reads: nothing is changed,
 * so there is nothing to audit.
 */

export interface AuditVerification {
  ok: boolean;
  /** One per chain checked, in the order asked (all chains: sorted). */
  chains: ChainReport[];
  /** The first broken link over all chains checked, if any. */
  firstProblem: ChainReport['problems'][number] | undefined;
  /**
   * Chains asked for by name of which the store holds nothing at all (no link, no head, no event):
   * a mistyped id, or an advisory whose every trace was deleted. Either way nothing was verified,
   * so the answer is not ok.
   */
  notFound: string[];
}

export interface VerifyAuditOptions {
  /** Chains to check (advisory ids, or NO_ADVISORY_CHAIN); absent or empty: every chain the store knows. */
  chains?: readonly string[] | undefined;
  /** Outside anchors by chain, e.g. from the closing summaries posted to the secretariat's chat. */
  anchors?: ReadonlyMap<string, readonly ChainAnchor[]> | undefined;
  maxProblemsPerChain?: number | undefined;
}

export async function verifyAudit(log: AuditLog, options: VerifyAuditOptions = {}): Promise<AuditVerification> {
  const asked = options.chains && options.chains.length > 0 ? [...new Set(options.chains)] : await log.listAuditChains();
  const named = Boolean(options.chains && options.chains.length > 0);
  const chains: ChainReport[] = [];
  const notFound: string[] = [];
  for (const chain of asked) {
    const stored = await log.readAuditChain(chain);
    if (named && stored.links.length === 0 && stored.head === null && stored.unchained.length === 0) {
      notFound.push(chain);
      continue;
    }
    const verifier = new ChainVerifier(chain, { anchors: options.anchors?.get(chain), maxProblems: options.maxProblemsPerChain });
    for (const link of stored.links) verifier.add(link);
    chains.push(verifier.finish(stored.head, stored.unchained));
  }
  const firstProblem = chains.flatMap((c) => c.problems)[0];
  return { ok: notFound.length === 0 && chains.every((c) => c.ok), chains, firstProblem, notFound };
}

/**
 * An advisory's chain head {seq, hash, eventId}, for an anchor outside the store: the closing
 * summary posted to the secretariat's chat carries it, and `verify-audit --anchor` checks against it
 * later. Null when the advisory has no audit events.
 */
export function auditChainHead(log: AuditLog, advisoryId: string): Promise<ChainTip | null> {
  return log.auditChainHead(advisoryId);
}
