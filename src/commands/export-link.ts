import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Actor } from '../domain/platform.js';
import { BotError } from '../errors.js';
import { exportAdvisory } from './export.js';
import type { ExportFile, ExportFormat, ExportLink } from '../view/export-view.js';
import { requireSecretariat } from './authorise.js';
import type { CoreDeps } from './deps.js';

/**
 * `/advisory export <id>` in a chat answers with a short-lived link rather than a file: the same on
 * Slack, Teams and the local workspace, and the record never sits in a channel's files. The link
 * carries who asked, what and until when, signed with EXPORT_LINK_SECRET; whoever opens it gets what
 * that person may have (checked again when it is opened), and the download is audited as theirs.
 */
export type { ExportLink } from '../view/export-view.js';

interface Claims {
  a: string;
  f: ExportFormat;
  e: number;
  p: Actor['platform'];
  u: string;
  n?: string | undefined;
}

const b64 = (s: Buffer | string) => Buffer.from(s).toString('base64url');
const sign = (secret: string, payload: string) => createHmac('sha256', secret).update(payload).digest();

export async function issueExportLink(deps: CoreDeps, req: { actor: Actor; advisoryId: string; format: ExportFormat }): Promise<ExportLink> {
  await requireSecretariat(deps, req.actor, 'advisory.export');
  if (!(await deps.store.getAdvisory(req.advisoryId))) throw new BotError('ADVISORY.NOT_FOUND', 'advisory not found', { advisoryId: req.advisoryId });
  const settings = deps.settings.exportLinks;
  const expires = deps.clock.now().getTime() + settings.ttlMs;
  const claims: Claims = { a: req.advisoryId, f: req.format, e: expires, p: req.actor.platform, u: req.actor.userId, n: req.actor.name };
  const payload = b64(JSON.stringify(claims));
  const token = `${payload}.${b64(sign(settings.secret, payload))}`;
  const path = `/export/${token}`;
  return { path, url: settings.baseUrl ? `${settings.baseUrl.replace(/\/+$/, '')}${path}` : undefined, expiresAt: new Date(expires).toISOString() };
}

/** Open a link: a forged or altered one is refused, an expired one says so, then the export as its owner. */
export async function redeemExportLink(deps: CoreDeps, token: string): Promise<ExportFile> {
  const [payload = '', mac = ''] = token.split('.');
  const expected = sign(deps.settings.exportLinks.secret, payload);
  const given = Buffer.from(mac, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    deps.log.warn({ token: token.slice(0, 16) }, 'export link refused: not signed by this bot');
    throw new BotError('EXPORT.LINK_INVALID', 'export link not valid');
  }
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Claims;
  if (deps.clock.now().getTime() > claims.e) throw new BotError('EXPORT.LINK_EXPIRED', 'export link expired', { advisoryId: claims.a });
  return exportAdvisory(deps, { actor: { platform: claims.p, userId: claims.u, name: claims.n }, advisoryId: claims.a, format: claims.f });
}

/** A key for a process that was given none: its links work only on this process, until it stops. */
export function ephemeralSecret(): string {
  return randomBytes(32).toString('hex');
}
