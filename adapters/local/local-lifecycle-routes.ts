/**
 * The local workspace's lifecycle commands (registered by local-routes.ts with its helpers, so the same
 * identification, body limit and error contract apply). Secretariat only: the core checks.
 *
 * GET  /local/api/advisories/:id/lifecycle → 200 LifecycleFormView (what the forms show)
 * POST /local/api/advisories/:id/followup  { body, acknowledge?, ackDeadlineMinutes? } → 200 LifecycleAnswer
 * POST /local/api/advisories/:id/correct   { title?, body?, tlp?, severity?, category?, note } → 200 LifecycleAnswer
 * POST /local/api/advisories/:id/withdraw  { reason }                                → 200 LifecycleAnswer
 * POST /local/api/advisories/:id/close     {}                                        → 200 LifecycleAnswer
 * POST /local/api/advisories/:id/export    { format: csv|json }                      → 200 { path, expiresAt } (GET path downloads)
 * Field problems: 400 LocalError with `fields` (each under its input); not secretariat: 403; unknown id: 404.
 */
import type { Request, RequestHandler, Response, Router } from 'express';
import type { Core } from '../../src/core.js';
import type { LifecycleResult } from '../../src/view/lifecycle-view.js';
import type { Actor } from '../../src/domain/platform.js';
import type { FollowUpInput } from '../../src/domain/lifecycle-input.js';
import { LF } from '../../src/i18n/lifecycle-text.js';
import type { Bilingual } from '../../src/i18n/text.js';
import type { LocalUser } from './local-api.js';

export interface LifecycleRouteHelpers {
  core: Core;
  large: RequestHandler;
  route: (name: string, fn: (req: Request, res: Response) => Promise<void> | void) => RequestHandler;
  identify: (req: Request) => LocalUser;
  actorOf: (user: LocalUser) => Actor;
}

/** What the page shows after a command: the words, and whether it changed anything. */
export interface LifecycleAnswer {
  advisoryId: string;
  changed: boolean;
  queued: boolean;
  message: Bilingual;
}

const DONE_KIND = { withdraw: 'withdrawn', correct: 'corrected', followup: 'followed_up', close: 'closed' } as const;
type Kind = keyof typeof DONE_KIND;

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/**
 * The follow-up form as sent: `acknowledge` is true only as true; the minutes as a number, or the digits typed
 * (empty: none). Anything else is passed on for the core to refuse on its field.
 */
export function followUpOf(b: Record<string, unknown>): FollowUpInput {
  const raw = b['ackDeadlineMinutes'];
  const minutes = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : undefined;
  return { body: str(b['body']) ?? '', acknowledge: b['acknowledge'] === true, ...(minutes === undefined ? {} : { ackDeadlineMinutes: minutes }) };
}

export function mountLifecycleRoutes(router: Router, h: LifecycleRouteHelpers): void {
  router.get(
    '/local/api/advisories/:id/lifecycle',
    h.route('lifecycle-form', async (req, res) => {
      res.json(await h.core.lifecycleForm(h.actorOf(h.identify(req)), String(req.params['id'])));
    }),
  );

  // A short-lived link to the record (the page opens it: same origin, so the path is enough).
  router.post(
    '/local/api/advisories/:id/export',
    h.large,
    h.route('export', async (req, res) => {
      const body: Record<string, unknown> = isRecord(req.body) ? req.body : {};
      const format = body['format'] === 'json' ? 'json' : 'csv';
      const link = await h.core.exportLink({ actor: h.actorOf(h.identify(req)), advisoryId: String(req.params['id']), format });
      res.json({ path: link.path, expiresAt: link.expiresAt });
    }),
  );

  const command = (kind: Kind, run: (actor: Actor, advisoryId: string, body: Record<string, unknown>) => Promise<LifecycleResult>) =>
    router.post(
      `/local/api/advisories/:id/${kind}`,
      h.large,
      h.route(kind, async (req, res) => {
        const actor = h.actorOf(h.identify(req));
        const advisoryId = String(req.params['id']);
        const result = await run(actor, advisoryId, isRecord(req.body) ? req.body : {});
        const message = result.changed ? LF.done(DONE_KIND[kind], result.advisory.id) : LF.unchanged(result.advisory.id);
        res.json({ advisoryId: result.advisory.id, changed: result.changed, queued: result.queued, message } satisfies LifecycleAnswer);
      }),
    );

  command('followup', (actor, advisoryId, b) => h.core.postFollowUp({ actor, advisoryId, input: followUpOf(b) }));
  command('withdraw', (actor, advisoryId, b) => h.core.withdrawAdvisory({ actor, advisoryId, input: { reason: str(b['reason']) ?? '' } }));
  command('close', (actor, advisoryId) => h.core.closeAdvisory({ actor, advisoryId }));
  command('correct', (actor, advisoryId, b) =>
    h.core.correctAdvisory({
      actor,
      advisoryId,
      input: {
        title: str(b['title']),
        body: str(b['body']),
        tlp: str(b['tlp']) as never,
        severity: str(b['severity']) as never,
        category: str(b['category']) as never,
        note: str(b['note']) ?? '',
      },
    }),
  );
}
