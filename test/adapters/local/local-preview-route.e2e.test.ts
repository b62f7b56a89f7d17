/**
 * The local workspace's preview routes through a real express server and a real Core on the embedded store
 * (jobs recorded, no Redis needed): the preview stores and queues nothing, refuses members and bad input as
 * issuing does, and Send issues only what was previewed.
 */
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpApp } from '../../../adapters/http/http-app.js';
import type { LocalError } from '../../../adapters/local/local-api.js';
import { createLocalWorkspace, type LocalWorkspace } from '../../../adapters/local/local-workspace.js';
import { loadDirectoryFile } from '../../../src/directory/load.js';
import { FIELD_ERROR, FIELD_NOUN } from '../../../src/i18n/form-text.js';
import { PREVIEW_TEXT } from '../../../src/i18n/preview-text.js';
import { ERROR_TEXT } from '../../../src/i18n/text.js';
import { createLogger } from '../../../src/log.js';
import type { PreviewLines, PreviewView } from '../../../src/view/preview-view.js';
import { coreFixture, type CoreFixture } from '../../support/core-fixture.js';

let url: string;
let dataDir: string;
let ws: LocalWorkspace;
let f: CoreFixture;
let server: Server;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'ceptoar-local-preview-'));
  await writeFile(join(dataDir, 'index.html'), '<!doctype html><title>local workspace</title>');
  ws = createLocalWorkspace({ file: await loadDirectoryFile('config/members.example.yaml'), dataDir, log: createLogger('silent'), demoTimings: false, publicDir: dataDir });
  f = await coreFixture({ directory: ws.directoryFile });
  f.deps.chats = { local: ws.chat };
  const http = createHttpApp(async () => ({ ready: true, checks: {} }));
  ws.mount(http.app, f.core);
  server = http.app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => {
    server?.close(() => resolve());
    server?.closeAllConnections();
  });
  ws?.close();
  await f?.close();
  await rm(dataDir, { recursive: true, force: true });
});

async function post<T = unknown>(path: string, user: string, body: unknown): Promise<{ status: number; json: T }> {
  const res = await fetch(`${url}${path}`, { method: 'POST', headers: { 'x-local-user': user, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as T };
}

const input = (title: string, extra: Record<string, unknown> = {}) => ({
  title,
  body: '該当製品をご利用の場合は直ちに更新してください。',
  tlp: 'TLP:AMBER',
  severity: 'level3',
  category: 'vulnerability',
  source: 'nisc',
  targets: { members: ['jma', 'jda'] },
  ...extra,
});

type Previewed = { preview: PreviewView; lines: PreviewLines };

describe('POST /local/api/advisories/preview and /send', () => {
  it('previews without storing or queuing anything, worded for the page', async () => {
    const res = await post<Previewed>('/local/api/advisories/preview', 'sec-1', { input: input('プレビュー', { tlp: 'TLP:RED' }) });
    expect(res.status).toBe(200);
    // The local workspace gives every contact an identity of its own: both contacts of each member get one.
    expect(res.json.preview.platforms).toEqual([{ platform: 'local', deliveries: 2, channelPosts: 0, directMessages: 4 }]);
    expect(res.json.preview.direct).toEqual({ contacts: 4, members: 2, phoneOnly: 0 });
    expect(res.json.lines.recipients[0]).toEqual({ ja: '配信 2 件（2 団体）', en: '2 deliveries (2 organisations)' });
    expect(res.json.preview.message.audience).toBe('direct');
    expect(await f.store.nextAdvisoryNumber(2026)).toBe(1);
    expect(f.jobs.ensured).toEqual([]);
  });

  it('puts problems on the fields, and refuses members, as issuing does', async () => {
    const bad = await post<LocalError>('/local/api/advisories/preview', 'sec-1', { input: input('', { targets: {} }) });
    expect(bad.status).toBe(400);
    expect(bad.json.error.fields).toEqual({ title: FIELD_ERROR.required(FIELD_NOUN.title), targets: FIELD_ERROR.noTarget });
    const member = await post<LocalError>('/local/api/advisories/preview', 'jma-1', { input: input('部外者') });
    expect(member.status).toBe(403);
    expect(member.json.error.message).toEqual(ERROR_TEXT['AUTH.NOT_SECRETARIAT']);
    expect(f.audit.filter((a) => a.action === 'advisory.refused').map((a) => a.detail['attempted'])).toContain('advisory.preview');
  });

  it('sends what was previewed, once per key; refuses another digest with the new preview and issues nothing', async () => {
    const title = `送信 ${randomUUID().slice(0, 6)}`;
    const { json } = await post<Previewed>('/local/api/advisories/preview', 'sec-1', { input: input(title) });
    const stale = await post<LocalError & Previewed>('/local/api/advisories/send', 'sec-1', { requestKey: 'k1', input: input(title, { targets: { members: ['jma'] } }), digest: json.preview.digest });
    expect(stale.status).toBe(409);
    expect(stale.json.error).toEqual({ code: 'LOCAL.PREVIEW_CHANGED', message: PREVIEW_TEXT.changed });
    expect(stale.json.preview.deliveries).toBe(1);
    expect(stale.json.preview.digest).not.toBe(json.preview.digest);
    expect(f.jobs.ensured).toEqual([]);

    const missing = await post<LocalError>('/local/api/advisories/send', 'sec-1', { input: input(title) });
    expect(missing.status).toBe(400);
    expect(Object.keys(missing.json.error.fields ?? {}).sort()).toEqual(['digest', 'requestKey']);

    const sent = await post<{ advisoryId: string; deliveries: number; created: boolean }>('/local/api/advisories/send', 'sec-1', { requestKey: 'k1', input: input(title), digest: json.preview.digest });
    expect(sent.status).toBe(201);
    expect(sent.json).toMatchObject({ deliveries: 2, created: true });
    expect((await f.store.getAdvisory(sent.json.advisoryId))?.requestKey).toBe('local/sec-1/k1');
    const again = await post<{ advisoryId: string; created: boolean }>('/local/api/advisories/send', 'sec-1', { requestKey: 'k1', input: input(title), digest: json.preview.digest });
    expect(again.json).toMatchObject({ advisoryId: sent.json.advisoryId, created: false });
  });

  it('gives the page the preview words with the shared tables', async () => {
    const res = await fetch(`${url}/local/api/i18n`);
    expect(((await res.json()) as { PREVIEW_TEXT: unknown }).PREVIEW_TEXT).toEqual(PREVIEW_TEXT);
  });
});
