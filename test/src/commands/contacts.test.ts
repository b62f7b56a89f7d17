/**
 * Members with more contacts than the example directory's two: the ladder's next-contact steps move
 * the unclaimed phone task through every contact, and however the contacts run out (the ladder, or
 * the on-call staff's failed calls) the secretariat is alerted exactly once.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { coreFixture, directoryWithContacts, ONCALL, type CoreFixture } from '../../support/core-fixture.js';
import { climbLadder, issueAndPost, minutes, untilPhoneTask } from './helpers.js';

let f: CoreFixture;
afterEach(async () => {
  await f.close();
});

/** The grouped alerts posted (one per wave: here one member, so one wave). */
const alerts = () => f.chat.in('C0SEC00001', 'notice').filter((p) => (p.message.view as { kind: string }).kind === 'alert_digest');

describe.each([
  // level3: phone at 60 min, the next contact every 20 min, the alert one interval after the last (capped at 180).
  { contacts: 3, steps: ['reminder', 'phone', 'next-contact-1', 'next-contact-2', 'alert'], alertAt: 120 },
  { contacts: 5, steps: ['reminder', 'phone', 'next-contact-1', 'next-contact-2', 'next-contact-3', 'next-contact-4', 'alert'], alertAt: 160 },
])('a silent member with $contacts contacts', ({ contacts, steps, alertAt }) => {
  it('climbs the whole ladder with nobody calling: each next contact becomes callable and the task is raised again, overdue, no contact marked as tried; then exactly one alert', async () => {
    f = await coreFixture({ directory: await directoryWithContacts('jma', contacts) });
    const { advisory, deliveries } = await issueAndPost(f);
    const d = deliveries[0]!;
    const ran = await climbLadder(f, d.id);
    expect(ran).toEqual(steps);
    expect(f.clock.now().toISOString()).toBe(minutes(alertAt));
    const task = (await f.store.getPhoneTask(`${d.id}.phone`))!;
    // Every contact is callable now, but nobody called: none of them is "passed", the first is still first.
    const firstNextContact = steps.indexOf('next-contact-1');
    expect(firstNextContact).toBeGreaterThan(0);
    expect(task).toMatchObject({ state: 'open', contactIndex: contacts - 1, attempts: [], version: 1 + 2 * (contacts - 1) });
    expect(task.overdueSince).toBeDefined();
    const view = await f.core.phoneTaskView(task.id);
    expect(view).toMatchObject({ tried: 0, overdue: { since: task.overdueSince } });
    expect(view.contacts.map((c) => [c.state, c.callable, c.current])).toEqual(Array.from({ length: contacts }, (_, i) => ['not_tried', true, i === 0]));
    // Each next-contact step raised the task again (a new post, overdue) and refreshed every message of it.
    const posts = f.chat.in('C0ONC00001', 'phone_task');
    expect(posts).toHaveLength(contacts);
    expect(task.messages).toEqual(posts.map((p) => p.ref));
    expect(f.jobs.of('refresh-phone').map((w) => w.revision)).toEqual(Array.from({ length: contacts - 1 }, (_, i) => 3 + 2 * i));
    // An update keeps each post findable by the key it was posted under: the task's, each raise's.
    expect(task.messageKeys).toEqual(posts.map((p) => p.key));
    expect(posts.map((p) => p.key)).toEqual([`${d.id}.phone`, ...Array.from({ length: contacts - 1 }, (_, i) => `${d.id}.phone.raise.${i + 1}`)]);
    f.chat.updates.length = 0;
    expect(await f.core.refreshPhoneTask(task.id)).toBe(contacts);
    expect(f.chat.updates.map((u) => [u.ref, u.key])).toEqual(posts.map((p) => [p.ref, p.key]));
    expect(alerts()).toHaveLength(1);
    expect(alerts()[0]?.message.view).toMatchObject({ advisoryId: advisory.id, alert: 'escalation', wave: 1, total: 1, members: [{ attempts: 0, wrongNumbers: [], state: 'posted' }] });
    // Every step is audited, by the system (no actor), in ladder order.
    const escalation = (await f.store.listAudit(advisory.id)).filter((e) => e.action.startsWith('escalation.'));
    expect(escalation.map((e) => e.detail.step)).toEqual(steps);
    expect(escalation.map((e) => e.action)).toEqual(steps.map((s) => `escalation.${s.replace(/-\d+$/, '')}`));
    expect(escalation.every((e) => e.actor === undefined && e.deliveryId === d.id)).toBe(true);
    expect((await f.store.listAudit(advisory.id)).filter((e) => e.action === 'escalation.next-contact').map((e) => e.detail)).toEqual(
      Array.from({ length: contacts - 1 }, (_, i) => ({ step: `next-contact-${i + 1}`, outcome: 'ran' })),
    );
    // Nothing more is owed; a late job for any step finds nothing to do.
    const end = (await f.store.getDelivery(d.id))!;
    expect(end.nextStep).toBeUndefined();
    expect(await f.core.runEscalationStep({ deliveryId: d.id, token: end.escalationToken, kind: 'alert', index: 0 })).toBe('stale');
    expect(alerts()).toHaveLength(1);
  });

  it('on-call staff calling every contact without answer: the alert comes at once, exactly once', async () => {
    f = await coreFixture({ directory: await directoryWithContacts('jma', contacts) });
    const { deliveries } = await issueAndPost(f);
    const { task, message } = await untilPhoneTask(f, deliveries[0]!.id);
    for (let i = 0; i < contacts; i++) {
      const r = await f.core.phoneTaskAction({ actor: ONCALL, message, action: i % 2 === 0 ? 'no_answer' : 'wrong_number' });
      expect(r.task).toMatchObject({ contactIndex: Math.min(i + 1, contacts - 1), exhausted: i === contacts - 1 });
    }
    // The ladder's next-contact steps leave a claimed task alone: the person calling decides.
    const d = (await f.store.getDelivery(task.deliveryId))!;
    expect(d.nextStep).toEqual({ kind: 'alert', index: 0, at: f.clock.now().toISOString() });
    expect(await climbLadder(f, d.id)).toEqual(['alert']);
    expect(alerts()).toHaveLength(1);
    expect(alerts()[0]?.message.view).toMatchObject({ members: [{ attempts: contacts, claimedBy: ONCALL.name }] });
    expect((alerts()[0]?.message.view as { members: { wrongNumbers: string[] }[] }).members[0]?.wrongNumbers).toHaveLength(Math.floor(contacts / 2));
  });

  it('a next-contact step on a task someone is working leaves it to them', async () => {
    f = await coreFixture({ directory: await directoryWithContacts('jma', contacts) });
    const { deliveries } = await issueAndPost(f);
    const { task, message } = await untilPhoneTask(f, deliveries[0]!.id);
    await f.core.phoneTaskAction({ actor: ONCALL, message, action: 'claim' });
    const d = (await f.store.getDelivery(task.deliveryId))!;
    expect(d.nextStep?.kind).toBe('next-contact');
    expect(await f.core.runEscalationStep({ deliveryId: d.id, token: d.escalationToken, kind: 'next-contact', index: 1 })).toBe('skipped');
    expect((await f.store.getPhoneTask(task.id))?.contactIndex).toBe(0);
    // The ladder still moves on.
    expect((await f.store.getDelivery(d.id))?.nextStep).toMatchObject({ kind: 'next-contact', index: 2 });
  });
});
