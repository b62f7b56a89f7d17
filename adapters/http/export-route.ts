import type { Application } from 'express';
import type { Core } from '../../src/core.js';
import { stacked } from '../../src/i18n/text.js';
import type { Logger } from '../../src/log.js';
import { errorView } from '../../src/view/error-view.js';

const STATUS: Record<string, number> = {
  'EXPORT.LINK_INVALID': 403,
  'EXPORT.LINK_EXPIRED': 410,
  'AUTH.NOT_SECRETARIAT': 403,
  'ADVISORY.NOT_FOUND': 404,
};

/**
 * GET /export/<token>: the file behind a link `/advisory export` gave (commands/export-link.ts). The
 * token is the whole authorisation (signed, short-lived, its owner re-checked), so it is never logged
 * whole; the answer is never cached.
 */
export function mountExportRoute(app: Application, core: Core, log: Logger): void {
  app.get('/export/:token', async (req, res) => {
    res.set('Cache-Control', 'no-store');
    try {
      const file = await core.redeemExportLink(String(req.params['token']));
      res
        .status(200)
        .type(file.contentType)
        .set('Content-Disposition', `attachment; filename="${file.filename}"`)
        .send(file.body);
    } catch (err) {
      const view = errorView(err, log, { route: 'export', token: String(req.params['token']).slice(0, 16) });
      res.status(STATUS[view.code] ?? 500).type('text/plain; charset=utf-8').send(stacked(view.message));
    }
  });
}
