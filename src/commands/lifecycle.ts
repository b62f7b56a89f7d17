import type { z } from 'zod';
import { advisoryScope, type Advisory, type ClosureCause } from '../domain/advisory.js';
import { addFollowUp, archiveDue, close, closingNumber, contentOf, correct, withdraw, type AdvisoryTransition } from '../domain/advisory-lifecycle.js';
import { CorrectionInput, FollowUpInput, WithdrawalInput } from '../domain/lifecycle-input.js';
import type { AuditAction } from '../domain/audit.js';
import type { Actor } from '../domain/platform.js';
import { BotError } from '../errors.js';
import type { Work } from '../ports/jobs.js';
import { FIELD_ERROR, FIELD_NOUN } from '../i18n/form-text.js';
import type { Bilingual } from '../i18n/text.js';
import { transitionAdvisory } from './advisory-cas.js';
import { requireSecretariat } from './authorise.js';
import type { CoreDeps } from './deps.js';
import { enqueue } from './enqueue.js';
import type { LifecycleFormView, LifecycleResult } from '../view/lifecycle-view.js';
import { enteredLength } from '../view/advisory-form-errors.js';

export type { LifecycleFormView, LifecycleResult } from '../view/lifecycle-view.js';


export type LifecycleField = 'title' | 'body' | 'tlp' | 'severity' | 'category' | 'note' | 'reason';

const NOUN: Record<LifecycleField, Bilingual> = {
  title: FIELD_NOUN.title,
  body: FIELD_NOUN.body,
  tlp: FIELD_NOUN.tlp,
  severity: FIELD_NOUN.severity,
  category: FIELD_NOUN.category,
  note: { ja: '訂正内容', en: 'note on what changed' },
  reason: { ja: '取り下げの理由', en: 'reason for withdrawal' },
};

/** Validate like the issue form does: every problem at once, in the form's words. */
function parse<S extends z.ZodTypeAny>(schema: S, input: unknown): z.output<S> {
  // reportInput: a too-long text is refused with how long it was (what the schema counted).
  const r = schema.safeParse(input, { reportInput: true });
  if (r.success) return r.data as z.output<S>;
  const fields = r.error.issues.map((issue) => {
    const field = String(issue.path[0] ?? 'body') as LifecycleField;
    const noun = NOUN[field] ?? NOUN.body;
    const message =
      issue.code === 'too_big' ? FIELD_ERROR.tooLong(noun, Number(issue.maximum), enteredLength(issue)) : issue.code === 'too_small' ? FIELD_ERROR.required(noun) : FIELD_ERROR.invalid(noun);
    return { field, message };
  });
  throw new BotError('ADVISORY.INVALID', 'lifecycle input is not valid', { fields });
}

async function change(
  deps: CoreDeps,
  actor: Actor,
  advisoryId: string,
  action: AuditAction,
  decide: (a: Advisory) => AdvisoryTransition,
  detail: (next: Advisory) => Record<string, unknown>,
): Promise<LifecycleResult> {
  await requireSecretariat(deps, actor, action);
  const t = await transitionAdvisory(deps.store, advisoryId, decide);
  if (!t.changed) {
    if (t.reason === 'already') return { advisory: t.current, changed: false, queued: true };
    // Every other refusal of these transitions is the withdrawal (a closed advisory can still be corrected and followed up).
    throw new BotError('ADVISORY.WITHDRAWN', `cannot ${action} a withdrawn advisory`, { advisoryId, action });
  }
  const advisory = t.next;
  await deps.store.appendAudit({
    // One event per change: the version is what makes each one unique and a retry write it once.
    id: `${advisory.id}.${action}.v${advisory.version ?? 0}`,
    at: deps.clock.now().toISOString(),
    actor,
    action,
    advisoryId: advisory.id,
    detail: detail(advisory),
  });
  const queued = await enqueue(deps, lifecycleWork(advisory));
  deps.log.info({ advisoryId: advisory.id, action, syncRev: advisory.syncRev }, 'advisory changed');
  return { advisory, changed: true, queued };
}

/** What the record owes after a change: its copies brought up to date, and the summary once it ends. */
export function lifecycleWork(advisory: Advisory): Work[] {
  const scope = advisoryScope(advisory);
  const work: Work[] = [];
  if (advisory.syncing) work.push({ kind: 'sync-advisory', scope, advisoryId: advisory.id, rev: advisory.syncRev ?? 0 });
  const closing = closingNumber(advisory);
  if (advisory.closure && !advisory.closure.told) work.push({ kind: 'closing', scope, advisoryId: advisory.id, closing });
  if (archiveDue(advisory)) work.push({ kind: 'archive', scope, advisoryId: advisory.id, attempt: advisory.archiveFailures ?? 0, closing });
  return work;
}

/** 訂正: every posted copy is edited in place and says what changed; the earlier text stays in the record. */
export async function correctAdvisory(deps: CoreDeps, req: { actor: Actor; advisoryId: string; input: CorrectionInput }): Promise<LifecycleResult> {
  const input = parse(CorrectionInput, req.input);
  return change(
    deps,
    req.actor,
    req.advisoryId,
    'advisory.corrected',
    (a) => {
      const t = correct(a, { ...contentOf(a), ...definedOnly(input) }, input.note, req.actor, deps.clock.now());
      // Nothing differs from the current text: say so rather than record an empty correction.
      if (!t.changed && t.reason === 'not-allowed' && a.closure?.cause !== 'withdrawn') {
        throw new BotError('ADVISORY.INVALID', 'the correction changes nothing', { fields: [{ field: 'note', message: NOTHING_CHANGED }] });
      }
      return t;
    },
    (next) => {
      const c = next.corrections?.at(-1);
      const changedFields = c ? (Object.keys(c.previous) as (keyof typeof c.previous)[]).filter((k) => c.previous[k] !== next[k]) : [];
      return { revision: c?.revision, note: input.note, changed: changedFields, tlp: next.tlp };
    },
  );
}

const NOTHING_CHANGED: Bilingual = { ja: '訂正前と同じ内容です。変更する項目を入力してください。', en: 'Nothing differs from the current advisory. Enter what changes.' };

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([k, v]) => v !== undefined && k !== 'note')) as Partial<T>;
}

/** 続報: new information posted in the thread of every delivery. */
export async function postFollowUp(deps: CoreDeps, req: { actor: Actor; advisoryId: string; input: FollowUpInput }): Promise<LifecycleResult> {
  const input = parse(FollowUpInput, req.input);
  return change(
    deps,
    req.actor,
    req.advisoryId,
    'advisory.followed_up',
    (a) => {
      if (!input.acknowledge) return addFollowUp(a, input.body, req.actor, deps.clock.now());
      const seconds = input.ackDeadlineMinutes !== undefined ? input.ackDeadlineMinutes * 60 : a.escalation.deadline;
      return addFollowUp(a, input.body, req.actor, deps.clock.now(), seconds);
    },
    (next) => {
      const f = next.followups?.at(-1);
      return { n: f?.n, length: input.body.length, ...(f?.ack ? { round: f.ack.round, deadline: f.ack.deadline, reopened: next.earlierClosures?.length ?? 0 } : {}) };
    },
  );
}

/** 取り下げ: every copy replaced by the withdrawal notice, every ladder and phone task stopped, the secretariat told. */
export async function withdrawAdvisory(deps: CoreDeps, req: { actor: Actor; advisoryId: string; input: WithdrawalInput }): Promise<LifecycleResult> {
  const input = parse(WithdrawalInput, req.input);
  return change(
    deps,
    req.actor,
    req.advisoryId,
    'advisory.withdrawn',
    (a) => withdraw(a, input.reason, req.actor, deps.clock.now()),
    () => ({ reason: input.reason }),
  );
}

/** Close by the secretariat's command: remaining ladders stop and the summary is posted. */
export async function closeAdvisoryByCommand(deps: CoreDeps, req: { actor: Actor; advisoryId: string }): Promise<LifecycleResult> {
  return change(deps, req.actor, req.advisoryId, 'advisory.closed', (a) => close(a, 'command', req.actor, deps.clock.now()), () => ({ cause: 'command' }));
}

/**
 * The bot closes an advisory itself: everyone acknowledged, or its time ran out. Idempotent; the
 * system is the actor (no person), so there is no authorisation to check.
 */
export async function closeAdvisoryBySystem(deps: CoreDeps, advisoryId: string, cause: Extract<ClosureCause, 'all_acknowledged' | 'expired'>): Promise<boolean> {
  const t = await transitionAdvisory(deps.store, advisoryId, (a) => close(a, cause, undefined, deps.clock.now()));
  if (!t.changed) return false;
  await deps.store.appendAudit({
    id: `${advisoryId}.advisory.closed.v${t.next.version ?? 0}`,
    at: deps.clock.now().toISOString(),
    action: 'advisory.closed',
    advisoryId,
    detail: { cause },
  });
  await enqueue(deps, lifecycleWork(t.next));
  deps.log.info({ advisoryId, cause }, 'advisory closed');
  return true;
}


/** The advisory as a lifecycle form needs it; secretariat only (the form itself shows the text). */
export async function lifecycleForm(deps: CoreDeps, actor: Actor, advisoryId: string): Promise<LifecycleFormView> {
  await requireSecretariat(deps, actor, 'advisory.lifecycle_form');
  const a = await deps.store.getAdvisory(advisoryId);
  if (!a) throw new BotError('ADVISORY.NOT_FOUND', 'advisory not found', { advisoryId });
  return {
    advisoryId: a.id,
    ...contentOf(a),
    state: a.state,
    withdrawn: a.closure?.cause === 'withdrawn',
    revision: 1 + (a.corrections?.length ?? 0),
    followups: a.followups?.length ?? 0,
  };
}
