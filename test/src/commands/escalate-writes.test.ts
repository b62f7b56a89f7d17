/**
 * What a ladder step writes, and in which order: the reminders it posted, the ladder's move and its audit event in
 * one change of the record, decided from the record as the run read it; the ledger's finish only after that; a
 * failed run's reminders kept before its retry.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Delivery } from '../../../src/domain/delivery.js';
import { ChatError } from '../../../src/ports/chat.js';
import { coreFixture, directoryWithContacts, type CoreFixture } from '../../support/core-fixture.js';
import { issueAndPost, JMA_STAFF } from './helpers.js';

let f: CoreFixture;
beforeEach(async () => {
  f = await coreFixture();
});
afterEach(async () => {
  await f.close();
});

const run = (d: Delivery, kind: 'reminder' | 'phone' | 'next-contact' | 'alert', index = 0) =>
  f.core.runEscalationStep({ deliveryId: d.id, token: d.escalationToken, kind, index });

async function owingReminder(): Promise<Delivery> {
  const { deliveries } = await issueAndPost(f);
  const d = deliveries[0]!;
  expect(d.nextStep?.kind).toBe('reminder');
  return d;
}

/** jma's posted delivery moved on to owe `kind` (the steps before it ran). */
async function owing(kind: 'phone' | 'alert'): Promise<Delivery> {
  let d = await owingReminder();
  while (d.nextStep && d.nextStep.kind !== kind) {
    await run(d, d.nextStep.kind, d.nextStep.index);
    d = (await f.store.getDelivery(d.id))!;
  }
  return d;
}

/** A TLP:RED advisory to jma, posted to each of its two contacts in a direct message (a reminder step posts twice). */
async function redToTwoContacts(): Promise<Delivery> {
  await f.close();
  f = await coreFixture({ directory: await directoryWithContacts('jma', 2) });
  return (await issueAndPost(f, ['jma'], { tlp: 'TLP:RED' })).deliveries[0]!;
}

/** The member acknowledges as soon as a reminder reaches the platform, before the step keeps it; `then` runs next. */
function acknowledgeAsReminderLands(d: Delivery, then?: () => Promise<unknown>): void {
  const post = f.chat.post.bind(f.chat);
  f.chat.post = async (target, message, key) => {
    const ref = await post(target, message, key);
    if (message.kind === 'reminder') {
      await f.core.acknowledgeDelivery({ deliveryId: d.id, actor: JMA_STAFF, via: 'button' });
      await then?.();
    }
    return ref;
  };
}

/** The store's next write of a delivery fails; the ones after it succeed. */
function failNextSave(): void {
  const save = f.store.saveDelivery.bind(f.store);
  let failures = 1;
  f.store.saveDelivery = async (next, audit) => {
    if (failures-- > 0) throw new Error('the store went away');
    return save(next, audit);
  };
}

/**
 * Every call to the store's writes and delivery reads from now on, in order; a write of the record that lost the
 * version check (it decided from a stale copy) is `saveDelivery:lost`.
 */
function recordCalls(): string[] {
  const calls: string[] = [];
  for (const name of ['getDelivery', 'saveDelivery', 'claimStep', 'finishStep', 'appendAudit'] as const) {
    const original = (f.store[name] as (...args: unknown[]) => Promise<unknown>).bind(f.store);
    (f.store as unknown as Record<string, unknown>)[name] = async (...args: unknown[]) => {
      const result = await original(...args);
      calls.push(name === 'saveDelivery' && result === false ? `${name}:lost` : name);
      return result;
    };
  }
  return calls;
}

describe('a reminder step\'s writes', () => {
  it('keeps the reminder and moves the ladder in one change of the record, its audit event with it, then finishes the ledger', async () => {
    const d = await owingReminder();
    const calls = recordCalls();
    expect(await run(d, 'reminder')).toBe('ran');
    const stepCalls = [...calls];
    const after = (await f.store.getDelivery(d.id))!;
    const [reminder] = f.chat.in('C0JMA00001', 'reminder');
    expect(after.version).toBe(d.version + 1);
    expect(after.reminders).toEqual([reminder!.ref]);
    expect(after.ladder?.kind).toBe('reminder');
    expect(after.nextStep?.kind).toBe('phone');
    // Nobody acknowledged: the reminder just posted is left as it is.
    expect(f.chat.updates).toEqual([]);
    expect(f.audit.filter((e) => e.action === 'escalation.reminder')).toEqual([expect.objectContaining({ deliveryId: d.id, detail: { step: 'reminder', outcome: 'ran' } })]);
    // The audit event rides on the record's write (no separate append), and the ledger's finish comes after it.
    expect(stepCalls.filter((c) => c !== 'getDelivery')).toEqual(['claimStep', 'saveDelivery', 'finishStep']);
    // Read once to run, once more just before the post (an acknowledgement meanwhile stops it): never to write.
    expect(stepCalls.filter((c) => c === 'getDelivery')).toHaveLength(2);
  });

  it('moving the ladder asks for the status card\'s update', async () => {
    const d = await owingReminder();
    expect(await f.core.announceIssued(d.advisoryId)).toBe(1);
    f.jobs.ensured.length = 0;
    f.jobs.fresh.length = 0;
    expect(await run(d, 'reminder')).toBe('ran');
    expect(f.jobs.of('status-card')).toHaveLength(1);
    expect(f.jobs.fresh.map((w) => w.kind === 'step' && w.step)).toEqual(['phone']);
  });

  it('a phone step reads the record once and writes it once', async () => {
    const d = await owing('phone');
    const calls = recordCalls();
    expect(await run(d, 'phone')).toBe('ran');
    expect(calls.filter((c) => c.startsWith('getDelivery'))).toHaveLength(1);
    expect(calls.filter((c) => c.startsWith('saveDelivery'))).toEqual(['saveDelivery']);
    expect((await f.store.getDelivery(d.id))?.nextStep?.kind).toBe('next-contact');
  });

  it('an alert step reads the record once: the ladder moves from the record as listed in the wave, not a stale copy', async () => {
    const d = await owing('alert');
    const calls = recordCalls();
    expect(await run(d, 'alert')).toBe('ran');
    expect(calls.filter((c) => c.startsWith('getDelivery'))).toHaveLength(1);
    // Listed in the wave, then the ladder moved: two writes, neither lost to the run's own first.
    expect(calls.filter((c) => c.startsWith('saveDelivery'))).toEqual(['saveDelivery', 'saveDelivery']);
    const after = (await f.store.getDelivery(d.id))!;
    expect(after.alertWaves).toEqual({ escalation: 1 });
    expect(after.ladder?.kind).toBe('alert');
    expect(after.version).toBe(d.version + 2);
  });

  it('a record changed since the run read it: the write loses the version check, reads again and still moves the ladder', async () => {
    const d = await owingReminder();
    const claimStep = f.store.claimStep.bind(f.store);
    f.store.claimStep = async (ref, lease) => {
      const claimed = await claimStep(ref, lease);
      const current = (await f.store.getDelivery(d.id))!;
      await f.store.saveDelivery({ ...current, version: current.version + 1, syncedRev: 0 });
      return claimed;
    };
    const calls = recordCalls();
    expect(await run(d, 'reminder')).toBe('ran');
    expect(calls.filter((c) => c.startsWith('saveDelivery'))).toEqual(['saveDelivery', 'saveDelivery:lost', 'saveDelivery']);
    const after = (await f.store.getDelivery(d.id))!;
    expect(after.version).toBe(d.version + 2);
    expect(after.syncedRev).toBe(0);
    expect(after.nextStep?.kind).toBe('phone');
    expect(after.reminders).toHaveLength(1);
  });

  it('an acknowledgement while the reminder is posted: the reminder is kept, the ladder stays, the step is audited and finished', async () => {
    const d = await owingReminder();
    acknowledgeAsReminderLands(d);
    expect(await run(d, 'reminder')).toBe('ran');
    const after = (await f.store.getDelivery(d.id))!;
    expect(after.state).toBe('acknowledged');
    expect(after.reminders).toEqual([f.chat.in('C0JMA00001', 'reminder')[0]!.ref]);
    expect(after.ladder).toBeUndefined();
    expect(f.audit.filter((e) => e.action === 'escalation.reminder')).toEqual([expect.objectContaining({ detail: { step: 'reminder', outcome: 'ran' } })]);
    expect(await f.store.claimStep({ deliveryId: d.id, token: d.escalationToken, key: 'reminder' }, { owner: 'probe', at: after.updatedAt, until: after.updatedAt })).toMatchObject({ outcome: 'done' });
  });

  it('an acknowledgement whose refresh runs while the reminder is on its way: the step updates the reminder it keeps', async () => {
    const d = await owingReminder();
    // The acknowledgement's refresh runs before the step keeps the reminder: it cannot know of it.
    acknowledgeAsReminderLands(d, () => f.core.refreshMessages(d.id));
    expect(await run(d, 'reminder')).toBe('ran');
    const reminder = f.chat.in('C0JMA00001', 'reminder')[0]!.ref;
    const updates = f.chat.updates.filter((u) => u.message.kind === 'reminder');
    expect(updates.map((u) => [u.ref, u.key])).toEqual([[reminder, `${d.id}.reminder.C0JMA00001`]]);
    expect(updates[0]!.message).toMatchObject({ view: { acknowledged: expect.objectContaining({ by: expect.anything() }) } });
  });

  it('the late reminder\'s update failing is a warning; the step is done all the same', async () => {
    const d = await owingReminder();
    acknowledgeAsReminderLands(d);
    f.chat.update = async () => {
      throw new ChatError('transient', 'service_unavailable');
    };
    expect(await run(d, 'reminder')).toBe('ran');
    expect(f.lines.filter((l) => l.level === 'warn' && l.msg?.startsWith('a reminder posted as its member acknowledged')).map((l) => l.obj)).toEqual([
      expect.objectContaining({ deliveryId: d.id, advisoryId: d.advisoryId }),
    ]);
    expect((await f.store.getDelivery(d.id))?.reminders).toHaveLength(1);
  });

  it('an acknowledgement while the phone step runs: the step changes nothing of the record, and its audit event is written all the same', async () => {
    const d = await owing('phone');
    const ensure = f.store.ensurePhoneTask.bind(f.store);
    f.store.ensurePhoneTask = async (task) => {
      const opened = await ensure(task);
      await f.core.acknowledgeDelivery({ deliveryId: d.id, actor: JMA_STAFF, via: 'button' });
      return opened;
    };
    expect(await run(d, 'phone')).toBe('ran');
    const after = (await f.store.getDelivery(d.id))!;
    expect(after.state).toBe('acknowledged');
    expect(after.ladder?.kind).toBe('reminder');
    expect(f.audit.filter((e) => e.action === 'escalation.phone')).toEqual([expect.objectContaining({ deliveryId: d.id, detail: { step: 'phone', outcome: 'ran' } })]);
  });

  it('a new ladder begun while the reminder is posted: the reminder is kept, and the new ladder\'s step is looked for, not added blindly', async () => {
    const d = await owingReminder();
    // The status card exists (a change of what the ladder does would ask for its update).
    expect(await f.core.announceIssued(d.advisoryId)).toBe(1);
    const later = { kind: 'reminder' as const, index: 0, at: new Date(Date.parse(d.nextStep!.at) + 3_600_000).toISOString() };
    const post = f.chat.post.bind(f.chat);
    f.chat.post = async (target, message, key) => {
      const ref = await post(target, message, key);
      if (message.kind === 'reminder') {
        const current = (await f.store.getDelivery(d.id))!;
        await f.store.saveDelivery({ ...current, version: current.version + 1, escalationToken: 'knewladder00', nextStep: later });
      }
      return ref;
    };
    f.jobs.ensured.length = 0;
    f.jobs.fresh.length = 0;
    expect(await run(d, 'reminder')).toBe('ran');
    const after = (await f.store.getDelivery(d.id))!;
    expect(after.reminders).toEqual([f.chat.in('C0JMA00001', 'reminder')[0]!.ref]);
    expect(after).toMatchObject({ escalationToken: 'knewladder00', nextStep: later });
    expect(after.ladder).toBeUndefined();
    expect(f.jobs.fresh).toEqual([]);
    expect(f.jobs.of('step')).toEqual([expect.objectContaining({ token: 'knewladder00', step: 'reminder' })]);
    // Not acknowledged: the reminder still asks, and is not edited.
    expect(f.chat.updates).toEqual([]);
    // Nothing the ladder does changed: the card is not asked to say so.
    expect(f.jobs.of('status-card')).toEqual([]);
  });

  it('the step\'s last write failing: the reminder is kept all the same, the lease released, and the retry finds its post by key', async () => {
    const d = await owingReminder();
    failNextSave();
    await expect(run(d, 'reminder')).rejects.toThrow('the store went away');
    const [reminder] = f.chat.in('C0JMA00001', 'reminder');
    const between = (await f.store.getDelivery(d.id))!;
    expect(between.reminders).toEqual([reminder!.ref]);
    expect(between.nextStep?.kind).toBe('reminder');
    // Released: the retry takes the step over at once (no lease to wait out) and, as the run had posted, searches.
    const finds = f.chat.finds;
    expect(await run(d, 'reminder')).toBe('ran');
    expect(f.chat.finds).toBe(finds + 1);
    expect(f.chat.in('C0JMA00001', 'reminder')).toHaveLength(1);
    const after = (await f.store.getDelivery(d.id))!;
    expect(after.reminders).toEqual([reminder!.ref]);
    expect(after.nextStep?.kind).toBe('phone');
  });

  it('the step\'s last write failing on its final attempt: the give-up moves the ladder on, and the reminder stays kept', async () => {
    const d = await owingReminder();
    failNextSave();
    await expect(run(d, 'reminder')).rejects.toThrow('the store went away');
    await f.core.giveUp({ kind: 'step', deliveryId: d.id, token: d.escalationToken, step: 'reminder', index: 0, at: new Date(d.nextStep!.at) }, 'the store went away');
    const after = (await f.store.getDelivery(d.id))!;
    expect(after.ladder).toMatchObject({ kind: 'reminder', gaveUp: true });
    expect(after.nextStep?.kind).toBe('phone');
    expect(after.reminders).toEqual([f.chat.in('C0JMA00001', 'reminder')[0]!.ref]);
  });
});

describe('a reminder run that fails part way', () => {
  it('keeps the reminders it posted before the retry, and the retry adds the rest once', async () => {
    const d = await redToTwoContacts();
    const [first, second] = d.messages.map((m) => m.channelId);
    f.chat.failPosts = (target, message) => (message.kind === 'reminder' && target.channelId === second ? new ChatError('rate_limited', 'ratelimited', { retryAfterMs: 1_000 }) : undefined);
    await expect(run(d, 'reminder')).rejects.toMatchObject({ kind: 'rate_limited' });
    const between = (await f.store.getDelivery(d.id))!;
    expect(between.reminders).toEqual([f.chat.in(first!, 'reminder')[0]!.ref]);
    expect(between.nextStep?.kind).toBe('reminder');

    f.chat.failPosts = undefined;
    expect(await run(d, 'reminder')).toBe('ran');
    const after = (await f.store.getDelivery(d.id))!;
    expect(after.reminders).toEqual([f.chat.in(first!, 'reminder')[0]!.ref, f.chat.in(second!, 'reminder')[0]!.ref]);
    expect(after.nextStep?.kind).toBe('phone');
  });

  it('an acknowledgement just before its second post finds the first reminder kept: the acknowledgement\'s refresh updates it', async () => {
    const d = await redToTwoContacts();
    const [first, second] = d.messages.map((m) => m.channelId);
    let refreshed = 0;
    const post = f.chat.post.bind(f.chat);
    f.chat.post = async (target, message, key) => {
      if (message.kind === 'reminder' && target.channelId === second) {
        // The member acknowledges, and the acknowledgement's refresh runs, while the second reminder is on its way.
        await f.core.acknowledgeDelivery({ deliveryId: d.id, actor: JMA_STAFF, via: 'button' });
        refreshed = await f.core.refreshMessages(d.id);
      }
      return post(target, message, key);
    };
    expect(await run(d, 'reminder')).toBe('ran');
    const kept = f.chat.in(first!, 'reminder')[0]!.ref;
    const late = f.chat.in(second!, 'reminder')[0]!.ref;
    // The refresh edited the two copies and the first reminder (kept before the second post)...
    expect(refreshed).toBe(3);
    // ...the step, the second reminder, posted after the refresh: each once.
    expect(f.chat.updates.filter((u) => u.message.kind === 'reminder').map((u) => u.ref)).toEqual([kept, late]);
    expect((await f.store.getDelivery(d.id))?.reminders).toEqual([kept, late]);
  });

  it('a failure to keep them is a warning, and the run\'s own error is what its job sees', async () => {
    const d = await owingReminder();
    let saves = 0;
    f.store.saveDelivery = async () => {
      saves += 1;
      throw new Error(`the store went away (${saves})`);
    };
    await expect(run(d, 'reminder')).rejects.toThrow('the store went away (1)');
    expect(f.chat.in('C0JMA00001', 'reminder')).toHaveLength(1);
    expect(f.lines.filter((l) => l.level === 'warn' && l.msg?.startsWith('reminders posted by a failed run')).map((l) => l.obj)).toEqual([
      expect.objectContaining({ deliveryId: d.id, step: 'reminder' }),
    ]);
  });
});
