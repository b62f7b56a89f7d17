/**
 * The secretariat's status at sector scale in the local workspace (registered by local-routes.ts with its helpers,
 * so the same identification and error contract apply). Secretariat only: the core checks.
 *
 * GET /local/api/advisories?limit=20 → 200 AdvisorySummaryView[] (newest first, with their counts)
 * GET /local/api/advisories/:id/status?state=&group=&platform=&offset=&limit= → 200 StatusView (the counts of
 *     everyone, one page of the rows that match). The query goes to the core as given: a value it cannot read
 *     (or a parameter it does not know) is 400 ADVISORY.INVALID with that field named.
 */
import type { Request, RequestHandler, Response, Router } from 'express';
import type { Core } from '../../src/core.js';
import type { Actor } from '../../src/domain/platform.js';
import type { StatusQuery } from '../../src/view/views.js';
import type { LocalUser } from './local-api.js';

export interface StatusRouteHelpers {
  core: Core;
  route: (name: string, fn: (req: Request, res: Response) => Promise<void> | void) => RequestHandler;
  identify: (req: Request) => LocalUser;
  actorOf: (user: LocalUser) => Actor;
}

/** How many advisories the list shows unless asked (the core allows 1 to 100). */
const LIST_DEFAULT = 20;

/** The URL's query as the core's StatusQuery: passed through, for the core to read or refuse (naming the field). */
export function statusQueryOf(query: Request['query']): StatusQuery {
  return { ...query } as StatusQuery;
}

export function mountStatusRoutes(router: Router, h: StatusRouteHelpers): void {
  router.get(
    '/local/api/advisories',
    h.route('advisories', async (req, res) => {
      const user = h.identify(req);
      const raw = req.query['limit'];
      const limit = typeof raw === 'string' && /^\d{1,3}$/.test(raw) ? Number(raw) : LIST_DEFAULT;
      res.json(await h.core.listAdvisories(h.actorOf(user), limit));
    }),
  );

  router.get(
    '/local/api/advisories/:id/status',
    h.route('status', async (req, res) => {
      const user = h.identify(req);
      res.json(await h.core.statusOf(h.actorOf(user), String(req.params['id']), statusQueryOf(req.query)));
    }),
  );
}
