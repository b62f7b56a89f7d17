import { closingKey } from '../domain/advisory-lifecycle.js';
import { advisoryScope, type Advisory } from '../domain/advisory.js';
import { archiveDue, markArchived, markArchiveFailed } from '../domain/advisory-lifecycle.js';
import { buildTranscript, type Transcript } from '../domain/transcript.js';
import { BotError } from '../errors.js';
import { transitionAdvisory } from './advisory-cas.js';
import type { CoreDeps } from './deps.js';
import type { Clock } from '../clock.js';
import type { LocalisedName } from '../directory/schema.js';
import type { Store } from '../ports/store.js';

/** What a transcript is read from: the store, the time, and the members' names as the directory says them now. */
export interface TranscriptSources {
  store: Store;
  clock: Clock;
  memberName: (memberId: string) => LocalisedName;
}

export const sourcesOf = (deps: CoreDeps): TranscriptSources => ({ store: deps.store, clock: deps.clock, memberName: (id) => deps.directory.memberName(id) });

/**
 * Everything the store holds of an advisory, as one transcript (also what an export of an advisory
 * not yet archived is made from).
 */
export async function transcriptOf(deps: TranscriptSources, advisory: Advisory): Promise<Transcript> {
  const deliveries = await deps.store.listDeliveries(advisory.id);
  const acknowledgements = (await Promise.all(deliveries.map((d) => deps.store.listAcknowledgements(d.id)))).flat();
  return buildTranscript({
    advisory,
    scope: advisoryScope(advisory),
    deliveries,
    acknowledgements,
    phoneTasks: await deps.store.listPhoneTasks(advisory.id),
    threads: await deps.store.listThreadMessages({ advisoryId: advisory.id }),
    audit: await deps.store.listAudit(advisory.id),
    head: await deps.store.auditChainHead(advisory.id),
    memberNames: Object.fromEntries(deliveries.map((d) => [d.memberId, deps.memberName(d.memberId)])),
    at: deps.clock.now(),
  });
}

/**
 * Write the ended advisory's transcript to the archive, once its copies are settled and the secretariat
 * has its summary. The "archived" audit event is appended first, so the transcript's chain head
 * includes it: the record says when it was archived, and the head anchors everything before.
 */
export async function archiveAdvisory(deps: CoreDeps, advisoryId: string): Promise<'archived' | 'not-due'> {
  const advisory = await deps.store.getAdvisory(advisoryId);
  if (!advisory) throw new BotError('ADVISORY.NOT_FOUND', 'advisory not found', { advisoryId });
  if (!archiveDue(advisory)) return 'not-due';
  await deps.store.appendAudit({
    id: `${advisory.id}.archived.${advisoryScope(advisory)}${closingKey(advisory)}`,
    at: deps.clock.now().toISOString(),
    action: 'advisory.archived',
    advisoryId: advisory.id,
    detail: {},
  });
  const transcript = await transcriptOf(sourcesOf(deps), advisory);
  await deps.store.saveTranscript(transcript);
  await transitionAdvisory(deps.store, advisory.id, (a) => markArchived(a, transcript.audit.head?.seq ?? 0, deps.clock.now()));
  deps.log.info({ advisoryId, deliveries: transcript.deliveries.length, auditSeq: transcript.audit.head?.seq }, 'advisory archived');
  return 'archived';
}

/** Archiving gave up after every attempt (the store failing): said in the log, and tried again by the next reconciler pass. */
export async function archiveGaveUp(deps: CoreDeps, advisoryId: string, reason: string): Promise<void> {
  const t = await transitionAdvisory(deps.store, advisoryId, markArchiveFailed);
  if (t.changed) deps.log.error({ advisoryId, reason, failures: t.next.archiveFailures }, 'the transcript could not be archived after every attempt; the reconciler tries again');
}
