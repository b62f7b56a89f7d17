/**
 * The reconciler derives the queue's work from the store alone: whatever the record owes is
 * queued, whatever it does not owe is not, and a job that gave up is settled.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { markAcknowledged, markFailed, markPosted, type Delivery } from '../../../src/domain/delivery.js';
import { advisoryScope } from '../../../src/domain/advisory.js';
import { coreFixture, ISSUE_INPUT, refusal as chatRefusal, SECRETARIAT, type CoreFixture } from '../../support/core-fixture.js';

let f: CoreFixture;
const dir = mkdtempSync(join(tmpdir(), 'ceptoar-reconcile-'));
let file: string;
let n = 0;
beforeEach(async () => {
  file = join(dir, `store-${++n}.sqlite`);
  f = await coreFixture({ storeFile: file });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Write a delivery row as an earlier release left it: no `nextStep`, marked owed by migration 4. */
function writeLegacy(d: Delivery): void {
  const db = new Database(file);
  try {
    db.prepare(`UPDATE deliveries SET json = ?, version = ?, owed = 1 WHERE id = ?`).run(JSON.stringify(d), d.version, d.id);
  } finally {
    db.close();
  }
}
afterEach(async () => {
  await f.close();
});

const minutes = (n: number) => new Date(Date.parse('2026-12-01T00:00:00.000Z') + n * 60_000).toISOString();

async function issued(members: string[] = ['jma', 'jda']) {
  const r = await f.core.issueAdvisory({ actor: SECRETARIAT, requestKey: `req-${members.join('-')}`, input: { ...ISSUE_INPUT, targets: { allMembers: false, members } } });
  f.jobs.ensured.length = 0;
  return r;
}

async function save(d: Delivery, t: { changed: true; next: Delivery } | { changed: false }): Promise<Delivery> {
  if (!t.changed) throw new Error('expected a change');
  expect(await f.store.saveDelivery(t.next)).toBe(true);
  return t.next;
}

describe('reconcile', () => {
  it('queues every delivery not yet posted, and the "issued" notice, from the store alone', async () => {
    const { advisory, deliveries } = await issued();
    const report = await f.core.reconcile();
    const scope = advisoryScope(advisory);
    expect(f.jobs.of('deliver').map((w) => w.deliveryId).sort()).toEqual(deliveries.map((d) => d.id).sort());
    expect(f.jobs.of('deliver').every((w) => w.scope === scope)).toBe(true);
    expect(f.jobs.of('announce')).toEqual([{ kind: 'announce', scope, advisoryId: advisory.id }]);
    expect(report).toMatchObject({ owed: 3, queued: 3, restarted: 0, gaveUp: 0, orphaned: 0 });
  });

  it('queues the owed ladder step at its time, under the current token; nothing for an acknowledged delivery', async () => {
    const { deliveries } = await issued();
    const [jda, jma] = [...deliveries].sort((a, b) => a.memberId.localeCompare(b.memberId));
    const posted = await save(jma!, markPosted(jma!, [{ platform: 'slack', channelId: 'C0JMA00001', messageId: '1' }], f.clock.now(), { kind: 'phone', index: 0, at: minutes(60) }));
    const jdaPosted = await save(jda!, markPosted(jda!, [{ platform: 'slack', channelId: 'C0JDA00001', messageId: '2' }], f.clock.now(), { kind: 'reminder', index: 0, at: minutes(40) }));
    await save(jdaPosted, markAcknowledged(jdaPosted, { actor: SECRETARIAT, at: minutes(1), via: 'button' }, f.clock.now()));
    await f.core.reconcile();
    expect(f.jobs.of('deliver')).toEqual([]);
    expect(f.jobs.of('step')).toEqual([{ kind: 'step', deliveryId: posted.id, token: posted.escalationToken, step: 'phone', index: 0, at: new Date(minutes(60)) }]);
  });

  it('owes a failed delivery its alert and its phone step until the secretariat was told', async () => {
    const { deliveries } = await issued(['jma']);
    const d = deliveries[0]!;
    await save(d, markFailed(d, { code: 'channel_not_found' }, f.clock.now(), { kind: 'phone', index: 0, at: minutes(0) }));
    await f.core.reconcile();
    expect(f.jobs.of('failure-alert').map((w) => w.deliveryId)).toEqual([d.id]);
    expect(f.jobs.of('step').map((w) => w.step)).toEqual(['phone']);
    // Telling the secretariat settles the alert; the phone step is still owed.
    await f.core.alertDeliveryFailed(d.id);
    expect(f.chat.in('C0SEC00001', 'notice')).toHaveLength(1);
    f.jobs.ensured.length = 0;
    await f.core.reconcile();
    expect(f.jobs.of('failure-alert')).toEqual([]);
    expect(f.jobs.of('step')).toHaveLength(1);
  });

  it('works out what a record from before `nextStep` owes, and stores it', async () => {
    const { deliveries } = await issued(['jma']);
    const d = deliveries[0]!;
    // As an earlier release left it: posted, the reminder done, no nextStep.
    writeLegacy({ ...d, state: 'posted', version: d.version + 1, ladder: { kind: 'reminder', index: 0, at: minutes(40) } });
    expect((await f.store.listOwedDeliveries({ limit: 10 })).deliveries.map((x) => x.id)).toEqual([d.id]);
    await f.core.reconcile();
    expect(f.jobs.of('step').map((w) => [w.step, w.at.toISOString()])).toEqual([['phone', minutes(60)]]);
    expect((await f.store.getDelivery(d.id))?.nextStep).toEqual({ kind: 'phone', index: 0, at: minutes(60) });
  });

  it('stops listing a record from before `nextStep` whose ladder had ended', async () => {
    const { deliveries } = await issued(['jma']);
    const d = deliveries[0]!;
    writeLegacy({ ...d, state: 'posted', version: d.version + 1, ladder: { kind: 'alert', index: 0, at: minutes(100) } });
    // The store lists it (as migration 4 marks such rows) until the reconciler has looked at it.
    expect((await f.store.listOwedDeliveries({ limit: 10 })).deliveries.map((x) => x.id)).toEqual([d.id]);
    await f.store.markAnnounced((await f.store.listUnannouncedAdvisories())[0]!.id, minutes(1), true);
    let calls = 0;
    f.jobs.ensure = async () => {
      calls += 1;
      return { queued: 0, pending: 0, restarted: 0, gaveUp: [] };
    };
    await f.core.reconcile();
    // Nothing owed: the queue is not even asked.
    expect(calls).toBe(0);
    expect((await f.store.listOwedDeliveries({ limit: 10 })).deliveries).toEqual([]);
  });

  it('settles a delivery whose job gave up: failed with the last error, alert and phone step owed', async () => {
    const { deliveries } = await issued(['jma']);
    const d = deliveries[0]!;
    f.jobs.failed.set(`deliver:${d.id}`, 'ratelimited');
    const report = await f.core.reconcile();
    expect(report.gaveUp).toBe(1);
    const failed = await f.store.getDelivery(d.id);
    expect(failed).toMatchObject({ state: 'failed', failure: { code: 'RETRIES_EXHAUSTED', detail: 'ratelimited' }, nextStep: { kind: 'phone', index: 0, at: f.clock.now().toISOString() } });
    expect(f.jobs.of('failure-alert').map((w) => w.deliveryId)).toEqual([d.id]);
    expect(f.jobs.of('step').map((w) => w.step)).toEqual(['phone']);
    expect((await f.store.listAudit(d.advisoryId)).map((e) => e.action)).toContain('delivery.failed');
  });

  it('counts and logs a record whose advisory is missing, and goes on with the others', async () => {
    await issued(['jma']);
    const stray: Delivery = { ...(await f.store.listOwedDeliveries({ limit: 1 })).deliveries[0]!, id: 'ADV-2026-0999.x.slack-C9', advisoryId: 'ADV-2026-0999', memberId: 'x', channel: { platform: 'slack', workspaceId: 'T', channelId: 'C9', sharedOutside: false } };
    await f.store.ensureDeliveries([stray]);
    const report = await f.core.reconcile();
    expect(report.orphaned).toBe(1);
    expect(f.jobs.of('deliver')).toHaveLength(1);
    expect(f.lines.filter((l) => l.level === 'error')).toHaveLength(1);
  });

  it('reads every page of owed deliveries (more than one page), and writes nothing for records that say what they owe', async () => {
    const { advisory, deliveries } = await issued(['jma']);
    const many = Array.from({ length: 1_203 }, (_, i) => ({
      ...deliveries[0]!,
      id: `${advisory.id}.m${String(i).padStart(4, '0')}.slack-C${i}`,
      memberId: `m${String(i).padStart(4, '0')}`,
      channel: { ...deliveries[0]!.channel, channelId: `C${i}` },
    }));
    await f.store.ensureDeliveries(many);
    const batches: number[] = [];
    const ensure = f.jobs.ensure.bind(f.jobs);
    f.jobs.ensure = async (work) => {
      batches.push(work.length);
      return ensure(work);
    };
    let reads = 0;
    const getDelivery = f.store.getDelivery.bind(f.store);
    f.store.getDelivery = async (id) => {
      reads += 1;
      return getDelivery(id);
    };
    const report = await f.core.reconcile();
    // Each piece of work once, at most a page per queue round trip; no record read again.
    expect(report.owed).toBe(1_205);
    expect(batches).toEqual([500, 500, 204, 1]);
    expect(reads).toBe(0);
    expect(f.jobs.ensured).toHaveLength(1_205);
    expect(new Set(f.jobs.of('deliver').map((w) => w.deliveryId)).size).toBe(1_204);
    expect((await f.store.getDelivery(deliveries[0]!.id))?.version).toBe(deliveries[0]!.version);
    expect((await f.store.getDelivery(many[1_202]!.id))?.version).toBe(0);
  });

  it('fails with QUEUE.UNAVAILABLE while the queue is down, losing nothing', async () => {
    await issued(['jma']);
    f.jobs.down = true;
    await expect(f.core.reconcile()).rejects.toMatchObject({ code: 'QUEUE.UNAVAILABLE' });
    f.jobs.down = false;
    expect((await f.core.reconcile()).queued).toBe(2);
  });
});

describe('reconcile and the phone-task board', () => {
  it('asks for an open advisory\'s board every pass once it has a phone task (lost edits and hand-offs are redone), never for a closed one', async () => {
    const { advisory, deliveries } = await issued(['jma', 'jda']);
    const boards = () => f.jobs.of('phone-board').map((w) => [w.advisoryId, w.scope]);
    // No phone task yet: no board to draw.
    await f.core.reconcile();
    expect(boards()).toEqual([]);
    // jma's copy could not be posted: its phone step is owed at once and opens a task.
    f.chat.failPosts = (target) => (target.channelId === 'C0JMA00001' ? chatRefusal('channel_gone') : undefined);
    await f.core.deliver(deliveries[0]!.id);
    const d = (await f.store.getDelivery(deliveries[0]!.id))!;
    expect(await f.core.runEscalationStep({ deliveryId: d.id, token: d.escalationToken, kind: 'phone', index: 0 })).toBe('ran');
    // The phone step's own request for the board was lost with Redis: the pass asks again, every pass.
    for (let pass = 0; pass < 2; pass++) {
      f.jobs.ensured.length = 0;
      await f.core.reconcile();
      expect(boards()).toEqual([[advisory.id, advisoryScope(advisory)]]);
    }
    await f.core.closeAdvisory({ actor: SECRETARIAT, advisoryId: advisory.id });
    f.jobs.ensured.length = 0;
    await f.core.reconcile();
    expect(boards()).toEqual([]);
  });
});

describe('reconcile, as the operators see it', () => {
  it('says at debug level when the queue matched the store, and warns when it queued lost work', async () => {
    await issued(['jma']);
    await f.core.reconcile();
    expect(f.lines.filter((l) => l.msg?.startsWith('reconciled')).map((l) => l.level)).toEqual(['warn']);
    f.lines.length = 0;
    // Everything is queued now: a second pass finds nothing lost.
    f.jobs.ensure = async (work) => ({ queued: 0, pending: work.length, restarted: 0, gaveUp: [] });
    const report = await f.core.reconcile();
    expect(report).toMatchObject({ owed: 2, queued: 0, restarted: 0, gaveUp: 0 });
    expect(f.lines.filter((l) => l.msg?.startsWith('reconciled')).map((l) => l.level)).toEqual(['debug']);
  });

  it('warns when the only thing it did was restart finished jobs or settle ones that gave up', async () => {
    const { deliveries } = await issued(['jma']);
    f.jobs.ensure = async (work) => ({ queued: 0, pending: 0, restarted: work.length, gaveUp: [] });
    expect((await f.core.reconcile()).restarted).toBe(2);
    expect(f.lines.filter((l) => l.msg?.startsWith('reconciled')).map((l) => [l.level, l.obj])).toEqual([['warn', { owed: 2, queued: 0, restarted: 2, gaveUp: 0, orphaned: 0 }]]);
    f.lines.length = 0;
    f.jobs.ensure = async (work) => ({ queued: 0, pending: 0, restarted: 0, gaveUp: work.filter((w) => w.kind === 'deliver').map((w) => ({ work: w, reason: 'x' })) });
    expect((await f.core.reconcile()).gaveUp).toBe(1);
    expect(f.lines.filter((l) => l.msg?.startsWith('reconciled')).map((l) => l.level)).toEqual(['warn']);
    expect((await f.store.getDelivery(deliveries[0]!.id))?.state).toBe('failed');
  });

  it('reads each advisory once however many of its deliveries owe work', async () => {
    await issued(['jma', 'jda']);
    let reads = 0;
    const getAdvisory = f.store.getAdvisory.bind(f.store);
    f.store.getAdvisory = async (id) => {
      reads += 1;
      return getAdvisory(id);
    };
    await f.core.reconcile();
    expect(reads).toBe(1);
  });

  it('one record that cannot be settled is logged and the others still are', async () => {
    const { deliveries } = await issued(['jma', 'jda']);
    const [a, b] = deliveries;
    f.jobs.failed.set(`deliver:${a!.id}`, 'x');
    f.jobs.failed.set(`deliver:${b!.id}`, 'x');
    const save = f.store.saveDelivery.bind(f.store);
    f.store.saveDelivery = async (next) => {
      if (next.id === a!.id) throw new Error('disk full');
      return save(next);
    };
    const report = await f.core.reconcile();
    expect(report.gaveUp).toBe(2);
    expect((await f.store.getDelivery(b!.id))?.state).toBe('failed');
    expect((await f.store.getDelivery(a!.id))?.state).toBe('queued');
    expect(f.lines.filter((l) => l.level === 'error').map((l) => (l.obj as { work: { deliveryId: string } }).work.deliveryId)).toEqual([a!.id]);
  });

  it('a record from before `nextStep` that starts owing work meanwhile is left as the other writer made it', async () => {
    const { deliveries } = await issued(['jma']);
    const d = deliveries[0]!;
    writeLegacy({ ...d, state: 'posted', version: d.version + 1, ladder: { kind: 'alert', index: 0, at: minutes(100) } });
    // Between the reconciler's listing and its write, another writer gives the record a step to owe.
    const getDelivery = f.store.getDelivery.bind(f.store);
    let raced = false;
    f.store.getDelivery = async (id) => {
      const read = await getDelivery(id);
      if (!raced && read) {
        raced = true;
        const owed = { ...read, version: read.version + 1, nextStep: { kind: 'alert' as const, index: 0, at: minutes(200) } };
        await f.store.saveDelivery(owed);
        return owed;
      }
      return read;
    };
    await f.core.reconcile();
    const after = (await getDelivery(d.id))!;
    expect(after.nextStep).toEqual({ kind: 'alert', index: 0, at: minutes(200) });
    // Not written again: the other writer's version stands.
    expect(after.version).toBe(d.version + 2);
    expect(f.jobs.of('step').map((w) => w.at.toISOString())).toEqual([minutes(200)]);
  });
});
