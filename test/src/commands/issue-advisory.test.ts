/**
 * Issuing an advisory against in-memory ports: only the secretariat (a refusal is audited), the
 * input validated before anything is stored, one delivery per member channel, a readable id by the
 * year in Japan, the ladder copied onto the advisory, and the same request twice issuing once.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEADLINE_MAX_MINUTES } from '../../../src/domain/advisory.js';
import { DEFAULT_POLICIES } from '../../../src/domain/escalation.js';
import type { Actor } from '../../../src/domain/platform.js';
import { FIELD_ERROR } from '../../../src/i18n/form-text.js';
import { coreFixture, exampleDirectoryFile, ISSUE_INPUT, SECRETARIAT, T0, type CoreFixture } from '../../support/core-fixture.js';
import { JMA_STAFF, minutes, ONCALL_B, rejected } from './helpers.js';

let f: CoreFixture;
beforeEach(async () => {
  f = await coreFixture();
});
afterEach(async () => {
  await f.close();
});

const issue = (input: Record<string, unknown> = {}, requestKey = 'view-1', actor: Actor = SECRETARIAT) =>
  f.core.issueAdvisory({ actor, requestKey, input: { ...ISSUE_INPUT, ...input } as typeof ISSUE_INPUT });

describe('issuing', () => {
  it('stores the advisory with the next readable id, the ladder and deadline of its severity, and one queued delivery per member channel', async () => {
    const r = await issue();
    expect(r.created).toBe(true);
    expect(r.queued).toBe(true);
    expect(r.advisory).toMatchObject({
      id: 'ADV-2026-0001',
      requestKey: 'view-1',
      title: ISSUE_INPUT.title,
      body: ISSUE_INPUT.body,
      source: 'jpcert',
      tlp: 'TLP:AMBER',
      severity: 'level3',
      category: 'vulnerability',
      drill: false,
      issuedAt: T0,
      issuedBy: SECRETARIAT,
      ackDeadline: minutes(60),
      escalation: DEFAULT_POLICIES.level3,
      state: 'open',
    });
    expect(r.advisory.uid).toMatch(/^u[0-9a-f]{16}$/);
    expect(await f.store.getAdvisory(r.advisory.id)).toEqual(r.advisory);
    expect(r.deliveries.map((d) => [d.memberId, d.channel.channelId, d.state, d.createdAt])).toEqual([
      ['jma', 'C0JMA00001', 'queued', T0],
      ['jda', 'C0JDA00001', 'queued', T0],
    ]);
    expect((await f.store.listDeliveries(r.advisory.id)).map((d) => d.id).sort()).toEqual(r.deliveries.map((d) => d.id).sort());
    expect(r.withoutChannel).toEqual([]);
    // Every delivery and the "issued" notice are queued.
    expect(f.jobs.ensured).toEqual([
      ...r.deliveries.map((d) => ({ kind: 'deliver', scope: r.advisory.uid, deliveryId: d.id })),
      { kind: 'announce', scope: r.advisory.uid, advisoryId: r.advisory.id },
    ]);
    // The next one gets the next number.
    expect((await issue({}, 'view-2')).advisory.id).toBe('ADV-2026-0002');
  });

  it('audits the issue with the actor and what went out', async () => {
    const { advisory } = await issue({ drill: true, severity: 'level2', tlp: 'TLP:GREEN' });
    expect(await f.store.listAudit(advisory.id)).toEqual([
      {
        id: `${advisory.id}.issued`,
        at: T0,
        actor: SECRETARIAT,
        action: 'advisory.issued',
        advisoryId: advisory.id,
        // A drill's plan is audited with it: a drill issued from the plain form is unannounced.
        detail: { tlp: 'TLP:GREEN', severity: 'level2', drill: true, drillPlan: { unannounced: true }, deliveries: 2, withoutChannel: [] },
      },
    ]);
    expect(f.lines.filter((l) => l.level === 'info').map((l) => l.obj)).toContainEqual({ advisoryId: advisory.id, deliveries: 2, drill: true, queued: true });
  });

  it('numbers by the year in Japan: 00:30 on 1 January in Tokyo is already the new year', async () => {
    f.clock.set('2026-12-31T15:30:00.000Z');
    expect((await issue()).advisory.id).toBe('ADV-2027-0001');
    f.clock.set('2026-12-31T14:59:00.000Z');
    expect((await issue({}, 'view-2')).advisory.id).toBe('ADV-2026-0001');
  });

  it('moves the deadline, and the whole ladder, with an override; may switch the ladder off for level 1', async () => {
    const r = await issue({ ackDeadlineMinutes: 90 });
    expect(r.advisory.ackDeadline).toBe(minutes(90));
    expect(r.advisory.escalation).toEqual({ ...DEFAULT_POLICIES.level3, deadline: 90 * 60 });
    const off = await issue({ severity: 'level1', escalate: false }, 'view-2');
    expect(off.advisory.escalation).toEqual({ ...DEFAULT_POLICIES.level1, enabled: false });
    expect(off.advisory.ackDeadline).toBe(minutes(24 * 60));
  });

  it('the same request twice issues one advisory and queues only what is still owed', async () => {
    const first = await issue();
    const jma = first.deliveries.find((d) => d.memberId === 'jma')!;
    await f.core.deliver(jma.id);
    await f.core.announceIssued(first.advisory.id);
    f.jobs.ensured.length = 0;
    const again = await issue({ title: 'changed meanwhile' });
    expect(again.created).toBe(false);
    expect(again.advisory).toEqual((await f.store.getAdvisory(first.advisory.id))!);
    expect(again.advisory.title).toBe(ISSUE_INPUT.title);
    expect(again.deliveries.map((d) => d.id)).toEqual(first.deliveries.map((d) => d.id));
    expect((await f.store.listDeliveries(first.advisory.id))).toHaveLength(2);
    // jma is posted (its reminder is owed), jda still waits for its post; the notice was posted.
    expect(f.jobs.ensured.map((w) => w.kind).sort()).toEqual(['deliver', 'step']);
    expect(f.jobs.of('deliver').map((w) => w.deliveryId)).toEqual([first.deliveries.find((d) => d.memberId === 'jda')!.id]);
    expect((await f.store.listAudit(first.advisory.id)).filter((e) => e.action === 'advisory.issued')).toHaveLength(1);
    expect(f.lines.filter((l) => l.msg === 'advisory issued')).toHaveLength(1);
  });

  it('a repeated request whose notice is not posted yet queues the notice again', async () => {
    const first = await issue();
    f.jobs.ensured.length = 0;
    await issue();
    expect(f.jobs.of('announce')).toEqual([{ kind: 'announce', scope: first.advisory.uid, advisoryId: first.advisory.id }]);
  });

  it('lists targeted organisations without a channel, and refuses when none has one', async () => {
    const file = await exampleDirectoryFile();
    file.organisations.find((o) => o.id === 'jpa')!.channels = [];
    await f.close();
    f = await coreFixture({ directory: file });
    const r = await issue({ targets: { allMembers: false, members: ['jma', 'jpa'] } });
    expect(r.deliveries.map((d) => d.memberId)).toEqual(['jma']);
    expect(r.withoutChannel.map((o) => o.id)).toEqual(['jpa']);
    expect((await f.store.listAudit(r.advisory.id))[0]?.detail).toMatchObject({ deliveries: 1, withoutChannel: ['jpa'] });
    const err = await rejected(issue({ targets: { allMembers: false, members: ['jpa'] } }, 'view-2'));
    expect(err.code).toBe('ADVISORY.INVALID');
    expect(err.detail).toEqual({ fields: [{ field: 'targets', message: FIELD_ERROR.noChannel }] });
  });

  it('refuses a target that is not in the directory', async () => {
    const err = await rejected(issue({ targets: { allMembers: false, members: ['nobody'] } }));
    expect(err.code).toBe('DIRECTORY.UNKNOWN_TARGET');
  });
});

describe('only the secretariat issues', () => {
  it('refuses anyone else before anything is stored, and audits the attempt with the actor', async () => {
    for (const actor of [JMA_STAFF, ONCALL_B, { ...SECRETARIAT, platform: 'teams' as const }] as Actor[]) {
      const err = await rejected(issue({}, 'view-x', actor));
      expect(err.code).toBe('AUTH.NOT_SECRETARIAT');
      expect(err.detail).toEqual({ actor, attempted: 'advisory.issue' });
    }
    expect(f.audit).toHaveLength(3);
    expect(f.audit[0]).toEqual({ id: expect.stringMatching(/^refused\./), at: T0, actor: JMA_STAFF, action: 'advisory.refused', detail: { attempted: 'advisory.issue' } });
    expect(f.audit.map((e) => e.actor)).toEqual([JMA_STAFF, ONCALL_B, { ...SECRETARIAT, platform: 'teams' }]);
    expect(f.lines.filter((l) => l.level === 'warn').map((l) => l.obj)).toContainEqual({ actor: JMA_STAFF, attempted: 'advisory.issue' });
    expect(f.jobs.ensured).toEqual([]);
    // Nothing was numbered: the first real advisory is still 0001.
    expect((await issue()).advisory.id).toBe('ADV-2026-0001');
  });
});

describe('validation before anything is stored', () => {
  it('rejects a title of only whitespace, naming the field', async () => {
    const err = await rejected(issue({ title: ' \u3000\t ' }));
    expect(err.code).toBe('ADVISORY.INVALID');
    expect((err.detail.fields as { field: string }[]).map((e) => e.field)).toEqual(['title']);
    expect(f.audit).toEqual([]);
    expect(f.jobs.ensured).toEqual([]);
  });

  it('trims the title and body it stores', async () => {
    const r = await issue({ title: '  題名  ', body: '\n本文\n' });
    expect([r.advisory.title, r.advisory.body]).toEqual(['題名', '本文']);
  });

  it('bounds the deadline: 1 minute to DEADLINE_MAX_MINUTES', async () => {
    expect(DEADLINE_MAX_MINUTES).toBe(14 * 24 * 60);
    const max = await issue({ ackDeadlineMinutes: DEADLINE_MAX_MINUTES });
    expect(max.advisory.ackDeadline).toBe(minutes(DEADLINE_MAX_MINUTES));
    for (const ackDeadlineMinutes of [DEADLINE_MAX_MINUTES + 1, 0, 2.5]) {
      const err = await rejected(issue({ ackDeadlineMinutes }, `view-${ackDeadlineMinutes}`));
      expect(err.code).toBe('ADVISORY.INVALID');
      expect((err.detail.fields as { field: string }[]).map((e) => e.field)).toEqual(['ackDeadlineMinutes']);
    }
    expect((await issue({ ackDeadlineMinutes: 1 }, 'view-min')).advisory.ackDeadline).toBe(minutes(1));
  });

  it('refuses switching the ladder off above level 1', async () => {
    const err = await rejected(issue({ severity: 'level2', escalate: false }));
    expect((err.detail.fields as { field: string }[]).map((e) => e.field)).toEqual(['escalate']);
  });
});
