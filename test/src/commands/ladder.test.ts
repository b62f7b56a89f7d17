/** What a delivery owes, derived from its record alone (commands/ladder.ts). */
import { describe, expect, it } from 'vitest';
import { derivedNextStep, firstStep, owedWork, stepAfter } from '../../../src/commands/ladder.js';
import { Directory } from '../../../src/directory/directory.js';
import { loadDirectoryFile } from '../../../src/directory/load.js';
import { advisoryScope, type Advisory } from '../../../src/domain/advisory.js';
import { newDelivery, type Delivery } from '../../../src/domain/delivery.js';
import { DEFAULT_POLICIES } from '../../../src/domain/escalation.js';
import { anAdvisory } from '../store/fixtures.js';

const directory = new Directory(await loadDirectoryFile('config/members.example.yaml'));
const deps = { directory };
const issuedAt = '2026-12-01T00:00:00.000Z';
const advisory: Advisory = { ...anAdvisory(), issuedAt, escalation: DEFAULT_POLICIES.level3, uid: 'uFIXED' };
const min = (n: number) => new Date(Date.parse(issuedAt) + n * 60_000).toISOString();
const base = (): Delivery => newDelivery(advisory.id, 'jma', { platform: 'slack', workspaceId: 'T', channelId: 'C0JMA00001', sharedOutside: false }, new Date(issuedAt));

describe('the ladder as the record owes it (level3, two contacts)', () => {
  it('starts with the reminder after a post, and with the phone step at once after a failure', () => {
    expect(firstStep(deps, advisory, base(), 'posted', new Date(min(1)))).toEqual({ kind: 'reminder', index: 0, at: min(40) });
    expect(firstStep(deps, advisory, base(), 'failed', new Date(min(3)))).toEqual({ kind: 'phone', index: 0, at: min(3) });
    const off = { ...advisory, escalation: { ...advisory.escalation, enabled: false } };
    expect(firstStep(deps, off, base(), 'posted', new Date(min(1)))).toBeUndefined();
    expect(firstStep(deps, off, base(), 'failed', new Date(min(1)))).toBeUndefined();
  });

  it('goes reminder → phone → next contact → alert, then nothing', () => {
    expect(stepAfter(deps, advisory, base(), { kind: 'reminder', index: 0 })).toEqual({ kind: 'phone', index: 0, at: min(60) });
    expect(stepAfter(deps, advisory, base(), { kind: 'phone', index: 0 })).toEqual({ kind: 'next-contact', index: 1, at: min(80) });
    expect(stepAfter(deps, advisory, base(), { kind: 'next-contact', index: 1 })).toEqual({ kind: 'alert', index: 0, at: min(100) });
    expect(stepAfter(deps, advisory, base(), { kind: 'alert', index: 0 })).toBeUndefined();
  });

  it('works out what an older record owes from the last step it ran', () => {
    const d = base();
    expect(derivedNextStep(deps, advisory, d)).toBeUndefined(); // queued: the post is owed, not a step
    expect(derivedNextStep(deps, advisory, { ...d, state: 'acknowledged' })).toBeUndefined();
    expect(derivedNextStep(deps, advisory, { ...d, state: 'posted' })).toEqual({ kind: 'reminder', index: 0, at: min(40) });
    expect(derivedNextStep(deps, advisory, { ...d, state: 'posted', ladder: { kind: 'phone', index: 0, at: min(60) } })).toEqual({ kind: 'next-contact', index: 1, at: min(80) });
    expect(derivedNextStep(deps, advisory, { ...d, state: 'failed', failure: { code: 'x', at: min(7) } })).toEqual({ kind: 'phone', index: 0, at: min(7) });
    expect(derivedNextStep(deps, advisory, { ...d, state: 'posted', ladder: { kind: 'alert', index: 0, at: min(100) } })).toBeUndefined();
  });

  it('turns a record into the queue work it owes, and nothing for an acknowledged one', () => {
    const scope = advisoryScope(advisory);
    const d = base();
    expect(owedWork(advisory, d)).toEqual([{ kind: 'deliver', scope, deliveryId: d.id }]);
    const next = { kind: 'phone' as const, index: 0, at: min(60) };
    const failed: Delivery = { ...d, state: 'failed', failure: { code: 'x', at: min(1) }, nextStep: next };
    expect(owedWork(advisory, failed)).toEqual([
      { kind: 'failure-alert', scope, deliveryId: d.id },
      { kind: 'step', deliveryId: d.id, token: d.escalationToken, step: 'phone', index: 0, at: new Date(min(60)) },
    ]);
    expect(owedWork(advisory, { ...failed, failure: { code: 'x', at: min(1), alerted: { at: min(2), ok: true } } })).toHaveLength(1);
    // Failed, then reached by phone: no alert, no step.
    expect(owedWork(advisory, { ...failed, state: 'acknowledged' })).toEqual([]);
    expect(owedWork(advisory, { ...d, state: 'posted' })).toEqual([]);
  });
});
