import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyRetention } from '../../../src/commands/retention.js';
import { REDACTED } from '../../../src/domain/transcript.js';
import { coreFixture, type CoreFixture } from '../../support/core-fixture.js';
import { aTranscript } from '../store/archive-contract.js';

let f: CoreFixture;
beforeEach(async () => {
  f = await coreFixture();
});
afterEach(async () => {
  await f.close();
});

const daysAgo = (n: number) => new Date(Date.parse('2026-12-01T00:00:00.000Z') - n * 86_400_000).toISOString();

describe('retention', () => {
  beforeEach(async () => {
    await f.store.saveTranscript(aTranscript({ id: 'ADV-2025-0001', issuedAt: daysAgo(400), tlp: 'TLP:RED' }));
    await f.store.saveTranscript(aTranscript({ id: 'ADV-2026-0001', issuedAt: daysAgo(100), tlp: 'TLP:RED' }));
    await f.store.saveTranscript(aTranscript({ id: 'ADV-2026-0002', issuedAt: daysAgo(10), tlp: 'TLP:RED' }));
    await f.store.saveTranscript(aTranscript({ id: 'ADV-2026-0003', issuedAt: daysAgo(100) }));
  });

  it('removes TLP:RED texts past their days, deletes records past theirs, and audits each redaction', async () => {
    const r = await applyRetention(f.deps, { redDays: 90, keepDays: 365 });
    expect(r).toEqual({ redacted: ['ADV-2025-0001', 'ADV-2026-0001'], deleted: 1, redBefore: daysAgo(90), deleteBefore: daysAgo(365) });
    expect(await f.store.getTranscript('ADV-2025-0001')).toBeNull();
    expect((await f.store.getTranscript('ADV-2026-0001'))?.versions[0]?.body).toBe(REDACTED);
    expect((await f.store.getTranscript('ADV-2026-0002'))?.versions[0]?.body).not.toBe(REDACTED);
    expect((await f.store.getTranscript('ADV-2026-0003'))?.versions[0]?.body).not.toBe(REDACTED);
    expect(f.audit.filter((e) => e.action === 'advisory.redacted').map((e) => [e.advisoryId, e.detail])).toEqual([
      ['ADV-2025-0001', { redDays: 90 }],
      ['ADV-2026-0001', { redDays: 90 }],
    ]);
  });

  it('with 0 keeps everything, and a dry run changes nothing but says what it would do', async () => {
    expect(await applyRetention(f.deps, { redDays: 0, keepDays: 0 })).toEqual({ redacted: [], deleted: 0 });
    const dry = await applyRetention(f.deps, { redDays: 90, keepDays: 365 }, { dryRun: true });
    expect(dry).toMatchObject({ redacted: ['ADV-2025-0001', 'ADV-2026-0001'], deleted: 1 });
    expect((await f.store.getTranscript('ADV-2026-0001'))?.versions[0]?.body).not.toBe(REDACTED);
    expect(await f.store.getTranscript('ADV-2025-0001')).not.toBeNull();
    expect(f.audit.filter((e) => e.action === 'advisory.redacted')).toEqual([]);
  });
});
