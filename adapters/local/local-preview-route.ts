/**
 * The local workspace's preview before sending (registered by local-routes.ts with its own helpers, so the
 * same identification, body limit and error contract apply):
 *
 * POST /local/api/advisories/preview  { input: AdvisoryInput } → 200 { preview: PreviewView, lines: PreviewLines }
 *                                     | 400 LocalError with `fields` (the form shows them) | 403
 * POST /local/api/advisories/send     { requestKey, input, digest } → 201 { advisoryId, deliveries, created, queued,
 *                                     withoutChannel } (as POST /local/api/advisories)
 *                                     | 409 { error: LOCAL.PREVIEW_CHANGED, preview, lines }: the entries or the
 *                                       directory no longer give the previewed digest; nothing was issued
 *                                     | 400 fields | 403
 *
 * The page sends only through /send, so what is issued is what the secretariat saw; POST /local/api/advisories
 * (no preview) stays for scripts and tests.
 */
import type { Request, RequestHandler, Response, Router } from 'express';
import type { Core } from '../../src/core.js';
import type { Actor } from '../../src/domain/platform.js';
import { PREVIEW_TEXT } from '../../src/i18n/preview-text.js';
import type { Bilingual } from '../../src/i18n/text.js';
import { previewLines, type PreviewView } from '../../src/view/preview-view.js';
import type { LocalError, LocalUser } from './local-api.js';
import { isAnnounced } from '../../src/domain/drill-plan.js';
import { drillScheduledText } from '../../src/i18n/drill-text.js';

export interface PreviewRouteHelpers {
  core: Core;
  /** The advisory-sized JSON body parser. */
  large: RequestHandler;
  /** Wraps a handler so its errors become the contract's LocalError, logged once. */
  route: (name: string, fn: (req: Request, res: Response) => Promise<void> | void) => RequestHandler;
  /** The acting user (x-local-user), or a LocalError 400. */
  identify: (req: Request) => LocalUser;
  actorOf: (user: LocalUser) => Actor;
}

const REQUEST_KEY_MAX = 200;
const DIGEST_MAX = 100;
const REQUIRED: Bilingual = { ja: '必須です。', en: 'Required.' };
const INVALID: Bilingual = { ja: '入力内容に誤りがあります。', en: 'Some fields are not valid.' };

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const shortString = (v: unknown, max: number): v is string => typeof v === 'string' && v.length > 0 && v.length <= max;

const worded = (preview: PreviewView) => ({ preview, lines: previewLines(preview) });

export function mountPreviewRoutes(router: Router, h: PreviewRouteHelpers): void {
  router.post(
    '/local/api/advisories/preview',
    h.large,
    h.route('preview', async (req, res) => {
      const user = h.identify(req);
      const body: Record<string, unknown> = isRecord(req.body) ? req.body : {};
      // The core validates the input (same errors as issuing) and refuses anyone but the secretariat.
      res.json(worded(await h.core.previewAdvisory(h.actorOf(user), body['input'])));
    }),
  );

  router.post(
    '/local/api/advisories/send',
    h.large,
    h.route('send', async (req, res) => {
      const user = h.identify(req);
      const body: Record<string, unknown> = isRecord(req.body) ? req.body : {};
      const fields: Record<string, Bilingual> = {};
      if (!shortString(body['requestKey'], REQUEST_KEY_MAX)) fields['requestKey'] = REQUIRED;
      if (!shortString(body['digest'], DIGEST_MAX)) fields['digest'] = REQUIRED;
      if (Object.keys(fields).length > 0) {
        res.status(400).json({ error: { code: 'LOCAL.INVALID', message: INVALID, fields } } satisfies LocalError);
        return;
      }
      const actor = h.actorOf(user);
      const preview = await h.core.previewAdvisory(actor, body['input']);
      if (preview.digest !== body['digest']) {
        res.status(409).json({ error: { code: 'LOCAL.PREVIEW_CHANGED', message: PREVIEW_TEXT.changed }, ...worded(preview) });
        return;
      }
      const result = await h.core.issueAdvisory({
        actor,
        // Namespaced by user, as on POST /local/api/advisories: two people's forms never share a key.
        requestKey: `local/${user.id}/${body['requestKey'] as string}`,
        input: body['input'] as Parameters<Core['issueAdvisory']>[0]['input'],
      });
      res.status(201).json({
        advisoryId: result.advisory.id,
        deliveries: result.deliveries.length,
        created: result.created,
        queued: result.queued,
        withoutChannel: result.withoutChannel.map((o) => ({ id: o.id, name: o.name })),
        // An announced drill: members are told now; the drill (and the status card) come at the window's start.
        ...(isAnnounced(result.advisory.drillPlan) ? { scheduled: drillScheduledText(result.advisory.id, result.advisory.issuedAt) } : {}),
      });
    }),
  );
}
