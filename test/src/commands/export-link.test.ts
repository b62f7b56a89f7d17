import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isBotError } from '../../../src/errors.js';
import { coreFixture, SECRETARIAT, type CoreFixture } from '../../support/core-fixture.js';
import { issueAndPost, OUTSIDER } from './helpers.js';

let f: CoreFixture;
beforeEach(async () => {
  f = await coreFixture();
});
afterEach(async () => {
  await f.close();
});

const codeOf = async (p: Promise<unknown>) => p.then(() => 'ok', (err: unknown) => (isBotError(err) ? err.code : String(err)));
const tokenOf = (path: string) => path.replace('/export/', '');

describe('export links', () => {
  it('give the secretariat its record until they expire, audited as theirs when opened', async () => {
    const { advisory } = await issueAndPost(f);
    const link = await f.core.exportLink({ actor: SECRETARIAT, advisoryId: advisory.id, format: 'json' });
    expect(link.url).toBe(`https://bot.example${link.path}`);
    expect(link.expiresAt).toBe(new Date(Date.parse('2026-12-01T00:00:00.000Z') + 15 * 60_000).toISOString());
    const file = await f.core.redeemExportLink(tokenOf(link.path));
    expect(file).toMatchObject({ filename: `${advisory.id}.json`, contentType: 'application/json; charset=utf-8', archived: false });
    expect(JSON.parse(file.body).advisoryId).toBe(advisory.id);
    expect(f.audit.filter((e) => e.action === 'advisory.exported').map((e) => [e.actor?.userId, e.detail['format']])).toEqual([[SECRETARIAT.userId, 'json']]);
    f.clock.advance(15 * 60_000 + 1);
    expect(await codeOf(f.core.redeemExportLink(tokenOf(link.path)))).toBe('EXPORT.LINK_EXPIRED');
  });

  it('refuse an altered link (another advisory, another owner, another key) and anyone not of the secretariat', async () => {
    const { advisory } = await issueAndPost(f);
    const token = tokenOf((await f.core.exportLink({ actor: SECRETARIAT, advisoryId: advisory.id, format: 'csv' })).path);
    const [payload, mac] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8'));
    const forged = Buffer.from(JSON.stringify({ ...claims, u: OUTSIDER.userId, e: claims.e + 86_400_000 })).toString('base64url');
    expect(await codeOf(f.core.redeemExportLink(`${forged}.${mac}`))).toBe('EXPORT.LINK_INVALID');
    expect(await codeOf(f.core.redeemExportLink(`${payload}.`))).toBe('EXPORT.LINK_INVALID');
    expect(await codeOf(f.core.redeemExportLink('nonsense'))).toBe('EXPORT.LINK_INVALID');
    expect(await codeOf(f.core.exportLink({ actor: OUTSIDER, advisoryId: advisory.id, format: 'csv' }))).toBe('AUTH.NOT_SECRETARIAT');
    expect(await codeOf(f.core.exportLink({ actor: SECRETARIAT, advisoryId: 'ADV-2026-0999', format: 'csv' }))).toBe('ADVISORY.NOT_FOUND');
    expect(f.audit.filter((e) => e.action === 'advisory.exported')).toEqual([]);
  });

  it('are opened as their owner: someone who left the secretariat meanwhile gets nothing', async () => {
    const { advisory } = await issueAndPost(f);
    const link = await f.core.exportLink({ actor: SECRETARIAT, advisoryId: advisory.id, format: 'csv' });
    f.deps.directory.isSecretariat = () => false;
    expect(await codeOf(f.core.redeemExportLink(tokenOf(link.path)))).toBe('AUTH.NOT_SECRETARIAT');
  });
});
