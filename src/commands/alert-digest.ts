import { advisoryScope, type Advisory } from '../domain/advisory.js';
import { findWave, joinWave, waveMessages, type AlertKind, type AlertWave } from '../domain/alert-wave.js';
import { markInWave, type Delivery } from '../domain/delivery.js';
import type { PhoneTask } from '../domain/phone-task.js';
import type { MessageRef } from '../domain/platform.js';
import type { Work } from '../ports/jobs.js';
import { displayName } from '../view/build.js';
import type { AlertDigestView, AlertMemberView } from '../view/views.js';
import { transitionAdvisory } from './advisory-cas.js';
import type { CoreDeps } from './deps.js';
import { transitionDelivery } from './delivery-cas.js';
import { enqueue } from './enqueue.js';
import { postToSecretariat } from './to-secretariat.js';
import { intervalEnd } from './status-card.js';

/** Members named in the message; the rest are counted ("and 1,750 more"): chat messages have size limits. */
export const DIGEST_ROWS = 50;

const collator = new Intl.Collator('ja');

/**
 * A member's alert: list them in the advisory's current wave of `kind` (opening one if none is
 * open), then tell the secretariat. The alert that opened the wave posts its message now (an alert
 * must not wait); every other member's alert, and every later change, updates that message at most
 * once per interval. Returns where the wave's message is (empty: not posted yet, or nowhere to post), and the
 * member's record as this call wrote it (the caller's own copy when it was listed already): a copy for the caller's
 * next change to decide from without reading it again, not a fresh read.
 */
export async function alertInWave(deps: CoreDeps, advisory: Advisory, delivery: Delivery, kind: AlertKind): Promise<{ posted: MessageRef[]; delivery: Delivery }> {
  const now = deps.clock.now();
  const joined = await waveOf(deps, advisory, delivery, kind, now);
  const listed = await transitionDelivery(deps.store, delivery.id, (d) => markInWave(d, kind, joined.n, now), { from: delivery });
  const current = listed.changed ? listed.next : listed.current;
  if (joined.messages) {
    await enqueue(deps, [alertDigestWork(deps, advisory, kind, joined.n)]);
    return { posted: joined.messages, delivery: current };
  }
  if (joined.openedBy !== delivery.id) {
    // The opener posts it; this member is in the update that follows.
    await enqueue(deps, [alertDigestWork(deps, advisory, kind, joined.n)]);
    return { posted: [], delivery: current };
  }
  const fresh = (await deps.store.getAdvisory(advisory.id)) ?? advisory;
  const view = await alertDigestView(deps, fresh, joined);
  // A retry of this job finds its own earlier post by the key.
  const posted = await postToSecretariat(deps, view, `${advisory.id}.alerts.${kind}.w${joined.n}`, new Date(new Date(joined.openedAt).getTime() - 60_000));
  if (posted.length > 0) {
    await transitionAdvisory(deps.store, advisory.id, (a) => {
      const next = waveMessages(a, kind, joined.n, posted);
      return next ? { changed: true, next } : { changed: false, reason: 'already', current: a };
    });
    // Members who joined while it was being posted are in the next update.
    await enqueue(deps, [alertDigestWork(deps, advisory, kind, joined.n)]);
  }
  return { posted, delivery: current };
}

/** The wave the member is listed in already (a retried alert), or the one they join now. */
async function waveOf(deps: CoreDeps, advisory: Advisory, delivery: Delivery, kind: AlertKind, now: Date): Promise<AlertWave> {
  const listed = delivery.alertWaves?.[kind];
  if (listed !== undefined) {
    const stored = await deps.store.getAdvisory(advisory.id);
    const wave = stored ? findWave(stored, kind, listed) : undefined;
    if (wave) return wave;
  }
  let joined: AlertWave | undefined;
  await transitionAdvisory(deps.store, advisory.id, (a) => {
    const j = joinWave(a, kind, delivery.id, now);
    joined = j.wave;
    return j.changed ? { changed: true, next: j.next } : { changed: false, reason: 'already', current: j.current };
  });
  return joined as AlertWave;
}

/** The update of a wave's message at the end of the current interval (every change within it is one job). */
export function alertDigestWork(deps: Pick<CoreDeps, 'clock' | 'settings'>, advisory: Advisory, kind: AlertKind, wave: number): Work {
  return { kind: 'alert-digest', scope: advisoryScope(advisory), advisoryId: advisory.id, alert: kind, wave, at: intervalEnd(deps) };
}

/** A member listed in a wave changed (acknowledged): their wave's message says so at its next update. */
export async function touchAlertWaves(deps: CoreDeps, advisory: Advisory, delivery: Delivery): Promise<void> {
  const work: Work[] = [];
  for (const kind of ['escalation', 'failed'] as const) {
    const n = delivery.alertWaves?.[kind];
    if (n !== undefined) work.push(alertDigestWork(deps, advisory, kind, n));
  }
  if (work.length > 0) await enqueue(deps, work);
}

/** Update the wave's message to show its members as they are now. Returns how many messages were edited. */
export async function refreshAlertDigest(deps: CoreDeps, advisoryId: string, kind: AlertKind, n: number): Promise<number> {
  const advisory = await deps.store.getAdvisory(advisoryId);
  const wave = advisory ? findWave(advisory, kind, n) : undefined;
  if (!advisory || !wave?.messages) return 0;
  const view = await alertDigestView(deps, advisory, wave);
  let updated = 0;
  for (const ref of wave.messages) {
    const chat = deps.chats[ref.platform];
    if (!chat) continue;
    await chat.update(ref, { kind: 'notice', view }, `${advisory.id}.alerts.${kind}.w${n}`);
    updated += 1;
  }
  return updated;
}

export async function alertDigestView(deps: CoreDeps, advisory: Advisory, wave: AlertWave): Promise<AlertDigestView> {
  const members = (await deps.store.listDeliveries(advisory.id)).filter((d) => d.alertWaves?.[wave.kind] === wave.n);
  const tasks = new Map((await deps.store.listPhoneTasks(advisory.id)).map((t) => [t.deliveryId, t]));
  const rows = members.map((d) => memberRow(deps, d, tasks.get(d.id)));
  // The unresolved first (who to chase), each part in Japanese order of the names.
  rows.sort((a, b) => Number(a.resolved !== undefined) - Number(b.resolved !== undefined) || collator.compare(a.memberName.ja, b.memberName.ja));
  return {
    kind: 'alert_digest',
    alert: wave.kind,
    advisoryId: advisory.id,
    title: advisory.title,
    tlp: advisory.tlp,
    drill: advisory.drill,
    wave: wave.n,
    openedAt: wave.openedAt,
    members: rows.slice(0, DIGEST_ROWS),
    more: Math.max(0, rows.length - DIGEST_ROWS),
    total: rows.length,
    resolved: rows.filter((r) => r.resolved !== undefined).length,
    asOf: deps.clock.now().toISOString(),
  };
}

function memberRow(deps: Pick<CoreDeps, 'directory'>, d: Delivery, task: PhoneTask | undefined): AlertMemberView {
  const contacts = deps.directory.contactsInOrder(d.memberId);
  const ack = d.acknowledged;
  return {
    memberName: deps.directory.memberName(d.memberId),
    state: d.state,
    resolved: ack ? { by: displayName(ack.actor), at: ack.at, via: ack.via } : undefined,
    reason: d.failure?.code ?? (d.state === 'failed' ? 'unknown' : undefined),
    detail: d.failure?.detail,
    attempts: task?.attempts.length ?? 0,
    wrongNumbers: (task?.attempts ?? []).filter((a) => a.outcome === 'wrong_number').map((a) => contacts[a.contactIndex]?.name ?? `#${a.contactIndex + 1}`),
    claimedBy: task?.claimedBy ? displayName(task.claimedBy) : undefined,
  };
}
