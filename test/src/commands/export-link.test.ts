import { createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ephemeralSecret } from '../../../src/commands/export-link.js';
import { isBotError } from '../../../src/errors.js';
import { coreFixture, SECRETARIAT, T0, type CoreFixture } from '../../support/core-fixture.js';
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

const failureOf = async (p: Promise<unknown>) => p.then(() => undefined, (err: unknown) => (isBotError(err) ? { code: err.code, detail: err.detail } : { code: String(err), detail: undefined }));

describe('export links, in detail', () => {
  it('carry who asked, what and in which format: the file opened is that advisory, in that format, audited with their name and platform', async () => {
    const { advisory } = await issueAndPost(f);
    const link = await f.core.exportLink({ actor: SECRETARIAT, advisoryId: advisory.id, format: 'csv' });
    const [payload] = tokenOf(link.path).split('.');
    expect(JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8'))).toEqual({
      a: advisory.id,
      f: 'csv',
      e: Date.parse(T0) + 15 * 60_000,
      p: SECRETARIAT.platform,
      u: SECRETARIAT.userId,
      n: SECRETARIAT.name,
    });
    const file = await f.core.redeemExportLink(tokenOf(link.path));
    expect(file.filename).toBe(`${advisory.id}.csv`);
    expect(f.audit.filter((e) => e.action === 'advisory.exported').map((e) => [e.advisoryId, e.actor, e.detail['format']])).toEqual([[advisory.id, SECRETARIAT, 'csv']]);
  });

  it('open until the last millisecond of their time, and say which advisory has expired', async () => {
    const { advisory } = await issueAndPost(f);
    const link = await f.core.exportLink({ actor: SECRETARIAT, advisoryId: advisory.id, format: 'json' });
    f.clock.advance(15 * 60_000);
    expect((await f.core.redeemExportLink(tokenOf(link.path))).filename).toBe(`${advisory.id}.json`);
    f.clock.advance(1);
    expect(await failureOf(f.core.redeemExportLink(tokenOf(link.path)))).toEqual({ code: 'EXPORT.LINK_EXPIRED', detail: { advisoryId: advisory.id } });
  });

  it('live as long as the settings say', async () => {
    const { advisory } = await issueAndPost(f);
    f.deps.settings.exportLinks = { ...f.deps.settings.exportLinks, ttlMs: 60_000 };
    const link = await f.core.exportLink({ actor: SECRETARIAT, advisoryId: advisory.id, format: 'json' });
    expect(link.expiresAt).toBe(new Date(Date.parse(T0) + 60_000).toISOString());
    f.clock.advance(60_001);
    expect(await codeOf(f.core.redeemExportLink(tokenOf(link.path)))).toBe('EXPORT.LINK_EXPIRED');
  });

  it('are a path only when the bot has no public address, and a full link without doubled slashes when it has', async () => {
    const { advisory } = await issueAndPost(f);
    f.deps.settings.exportLinks = { ...f.deps.settings.exportLinks, baseUrl: undefined };
    const bare = await f.core.exportLink({ actor: SECRETARIAT, advisoryId: advisory.id, format: 'json' });
    expect(bare.path).toMatch(/^\/export\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(bare.url).toBeUndefined();
    f.deps.settings.exportLinks = { ...f.deps.settings.exportLinks, baseUrl: 'https://bot.example/ceptoar//' };
    const under = await f.core.exportLink({ actor: SECRETARIAT, advisoryId: advisory.id, format: 'json' });
    expect(under.url).toBe(`https://bot.example/ceptoar${under.path}`);
    f.deps.settings.exportLinks = { ...f.deps.settings.exportLinks, baseUrl: 'https://bot.example/ceptoar/' };
    const one = await f.core.exportLink({ actor: SECRETARIAT, advisoryId: advisory.id, format: 'json' });
    expect(one.url).toBe(`https://bot.example/ceptoar${one.path}`);
  });

  it('are signed with the configured key: a link made under another key is refused', async () => {
    const { advisory } = await issueAndPost(f);
    const link = await f.core.exportLink({ actor: SECRETARIAT, advisoryId: advisory.id, format: 'json' });
    const [payload, mac] = tokenOf(link.path).split('.');
    // An HMAC-SHA-256 of the payload, in base64url.
    expect(Buffer.from(mac!, 'base64url')).toHaveLength(32);
    expect(mac).toBe(createHmac('sha256', 'test-export-secret').update(payload!).digest('base64url'));
    f.deps.settings.exportLinks = { ...f.deps.settings.exportLinks, secret: 'another-key' };
    expect(await codeOf(f.core.redeemExportLink(tokenOf(link.path)))).toBe('EXPORT.LINK_INVALID');
    // A signature of the right length, but not this key's.
    const wrong = createHmac('sha256', 'not-the-key').update(payload!).digest('base64url');
    f.deps.settings.exportLinks = { ...f.deps.settings.exportLinks, secret: 'test-export-secret' };
    expect(await codeOf(f.core.redeemExportLink(`${payload}.${wrong}`))).toBe('EXPORT.LINK_INVALID');
    expect(await codeOf(f.core.redeemExportLink(tokenOf(link.path)))).toBe('ok');
    // The log keeps only the start of a refused link, never a whole one.
    expect(f.lines.filter((l) => l.level === 'warn' && l.msg === 'export link refused: not signed by this bot').map((l) => l.obj)).toEqual([
      { token: tokenOf(link.path).slice(0, 16) },
      { token: `${payload}.${wrong}`.slice(0, 16) },
    ]);
  });

  it('are refused, and the refusal audited, to anyone not of the secretariat; an unknown advisory is named', async () => {
    const { advisory } = await issueAndPost(f);
    expect(await failureOf(f.core.exportLink({ actor: OUTSIDER, advisoryId: advisory.id, format: 'json' }))).toMatchObject({ code: 'AUTH.NOT_SECRETARIAT', detail: { attempted: 'advisory.export' } });
    expect(f.audit.filter((e) => e.action === 'advisory.refused').map((e) => [e.actor?.userId, e.detail['attempted']])).toEqual([[OUTSIDER.userId, 'advisory.export']]);
    expect(await failureOf(f.core.exportLink({ actor: SECRETARIAT, advisoryId: 'ADV-2026-0999', format: 'json' }))).toEqual({ code: 'ADVISORY.NOT_FOUND', detail: { advisoryId: 'ADV-2026-0999' } });
  });
});

describe('ephemeralSecret', () => {
  it('is 32 random bytes in hex, new each time', () => {
    const a = ephemeralSecret();
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(ephemeralSecret()).not.toBe(a);
  });
});
