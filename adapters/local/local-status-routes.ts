/**
 * The secretariat's status at sector scale in the local workspace (registered by local-routes.ts with its helpers,
 * so the same identification and error contract apply). Secretariat only: the core checks.
 *
 * GET /local/api/advisories?limit=20[&drill=true|false] → 200 AdvisorySummaryView[] (newest first, with their counts;
 *     drill=true only drills, drill=false only real advisories)
 * GET /local/api/advisories/:id/status?state=&group=&platform=&offset=&limit= → 200 StatusView (the counts of
 *     everyone, one page of the rows that match). The query goes to the core as given: a value it cannot read
 *     (or a parameter it does not know) is 400 ADVISORY.INVALID with that field named.
 * GET /local/api/advisories/:id/reach → 200 ReachView (the reach report 疎通確認率, worded: rates, times, ladder)
 * GET /local/api/advisories/:id/reach/chart.svg → 200 image/svg+xml (its chart; shown, not audited)
 * GET /local/api/advisories/:id/reach/file?format=csv|json[&compare=ADV-…] → 200 the file as an attachment (audited
 *     as an export); another format is 400 ADVISORY.INVALID naming `format`.
 */
import type { Request, RequestHandler, Response, Router } from 'express';
import type { Core } from '../../src/core.js';
import type { Actor } from '../../src/domain/platform.js';
import type { StatusQuery } from '../../src/view/views.js';
import type { ReachFormat } from '../../src/view/reach-export.js';
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
      // drill=true: drills only; drill=false: real advisories only (drills apart from the real figures); absent: both.
      const drill = req.query['drill'] === 'true' ? true : req.query['drill'] === 'false' ? false : undefined;
      res.json(await h.core.listAdvisories(h.actorOf(user), limit, { drill }));
    }),
  );

  router.get(
    '/local/api/advisories/:id/reach',
    h.route('reach', async (req, res) => {
      res.json(await h.core.reachView(h.actorOf(h.identify(req)), String(req.params['id'])));
    }),
  );

  router.get(
    '/local/api/advisories/:id/reach/chart.svg',
    h.route('reach-chart', async (req, res) => {
      const svg = await h.core.reachSvg(h.actorOf(h.identify(req)), String(req.params['id']));
      res.type('image/svg+xml; charset=utf-8').send(svg);
    }),
  );

  router.get(
    '/local/api/advisories/:id/reach/file',
    h.route('reach-file', async (req, res) => {
      const user = h.identify(req);
      const format = typeof req.query['format'] === 'string' ? req.query['format'] : 'csv';
      const compare = typeof req.query['compare'] === 'string' && req.query['compare'] !== '' ? req.query['compare'] : undefined;
      // The core refuses a format it does not make (400, naming the field); the page asks for CSV and JSON.
      const file = await h.core.reachFile({ actor: h.actorOf(user), advisoryId: String(req.params['id']), format: format as ReachFormat, compareWith: compare });
      // The file name is made of canonical ids only.
      res.set('Content-Disposition', `attachment; filename="${file.filename}"`);
      res.type(file.contentType).send(typeof file.body === 'string' ? file.body : Buffer.from(file.body));
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
