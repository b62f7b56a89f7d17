/**
 * Members with more contacts than the example directory's two: the ladder's next-contact steps move
 * the unclaimed phone task through every contact, and however the contacts run out (the ladder, or
 * the on-call staff's failed calls) the secretariat is alerted exactly once.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { coreFixture, directoryWithContacts, ONCALL, type CoreFixture } from '../../support/core-fixture.js';
import type { Work } from '../../../src/ports/jobs.js';
import { boardKey, boardPost, boardShown, climbLadder, drainBoard, issueAndPost, minutes, ONCALL_CHANNEL, untilClaimed } from './helpers.js';

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
  it('climbs the whole ladder with nobody calling: each next contact becomes callable, the task is marked overdue on the board (once), no contact marked as tried; then exactly one alert', async () => {
    f = await coreFixture({ directory: await directoryWithContacts('jma', contacts) });
    const { advisory, deliveries } = await issueAndPost(f);
    const d = deliveries[0]!;
    // Each step at its time, then the board's update it asked for; what the board did after each step.
    const ran: string[] = [];
    const board: { step: string; posted: number; edited: number }[] = [];
    const boardWork: Work[] = [];
    for (;;) {
      const current = (await f.store.getDelivery(d.id))!;
      const step = current.nextStep;
      if (!step) break;
      f.clock.set(step.at);
      await f.core.runEscalationStep({ deliveryId: d.id, token: current.escalationToken, kind: step.kind, index: step.index });
      const name = step.kind === 'next-contact' ? `next-contact-${step.index}` : step.kind;
      ran.push(name);
      const [posts, edits] = [f.chat.in(ONCALL_CHANNEL, 'phone_board').length, f.chat.updates.filter((u) => u.message.kind === 'phone_board').length];
      boardWork.push(...(await drainBoard(f)));
      board.push({ step: name, posted: f.chat.in(ONCALL_CHANNEL, 'phone_board').length - posts, edited: f.chat.updates.filter((u) => u.message.kind === 'phone_board').length - edits });
    }
    expect(ran).toEqual(steps);
    expect(f.clock.now().toISOString()).toBe(minutes(alertAt));
    // The phone step put the task on the board; the first next contact with nobody calling marked it overdue (an
    // edit of the page, not a new post); later ones change nothing the board shows, so it is left alone.
    expect(board).toEqual(steps.map((step) => ({ step, posted: step === 'phone' ? 1 : 0, edited: step === 'next-contact-1' ? 1 : 0 })));
    const task = (await f.store.getPhoneTask(`${d.id}.phone`))!;
    // Every contact is callable now, but nobody called: none of them is "passed", the first is still first.
    const firstNextContact = steps.indexOf('next-contact-1');
    expect(firstNextContact).toBeGreaterThan(0);
    // Opened at version 0, then one change per next contact (nothing else is written to it).
    expect(task).toMatchObject({ state: 'open', contactIndex: contacts - 1, attempts: [], version: contacts - 1, overdueSince: minutes(80) });
    const view = await f.core.phoneTaskView(task.id);
    expect(view).toMatchObject({ tried: 0, overdue: { since: task.overdueSince } });
    expect(view.contacts.map((c) => [c.state, c.callable, c.current])).toEqual(Array.from({ length: contacts }, (_, i) => ['not_tried', true, i === 0]));
    // Nothing is posted per task: nobody claimed it, so it has no copy and no message of its own to refresh.
    expect(f.chat.posts.filter((p) => p.message.kind === 'phone_task')).toEqual([]);
    expect(task.messages).toEqual([]);
    expect(boardWork.filter((w) => w.kind === 'refresh-phone')).toEqual([]);
    // The board's one page shows the row overdue, nobody tried, and counts it; its edit keeps the page's key.
    expect(boardShown(f, advisory.id)).toMatchObject({
      page: 1,
      pages: 1,
      rows: [{ taskId: task.id, state: 'open', overdueSince: task.overdueSince, tried: 0, contacts, exhausted: false }],
      counts: { open: 1, claimed: 0, overdue: 1 },
    });
    expect(f.chat.updates.filter((u) => u.message.kind === 'phone_board').map((u) => [u.ref, u.key])).toEqual([[boardPost(f, advisory.id).ref, boardKey(advisory.id)]]);
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
    // The log says the task is overdue at each next contact nobody called.
    expect(f.lines.filter((l) => l.msg === 'phone task overdue: nobody has called; marked on the board').map((l) => (l.obj as { index: number }).index)).toEqual(
      Array.from({ length: contacts - 1 }, (_, i) => i + 1),
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
    const { task, message } = await untilClaimed(f, deliveries[0]!.id);
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
    const { advisory, task } = await untilClaimed(f, deliveries[0]!.id).then(async (c) => ({ ...c, advisory: (await f.store.getAdvisory(c.task.advisoryId))! }));
    const d = (await f.store.getDelivery(task.deliveryId))!;
    expect(d.nextStep?.kind).toBe('next-contact');
    f.clock.set(d.nextStep!.at);
    expect(await f.core.runEscalationStep({ deliveryId: d.id, token: d.escalationToken, kind: 'next-contact', index: 1 })).toBe('skipped');
    expect(await f.store.getPhoneTask(task.id)).toEqual(task);
    // Not overdue on the board: someone is on it.
    await drainBoard(f);
    const [row] = boardShown(f, advisory.id).rows;
    expect(row).toMatchObject({ taskId: task.id, claimedBy: ONCALL.name });
    expect(row).not.toHaveProperty('overdueSince');
    // The ladder still moves on.
    expect((await f.store.getDelivery(d.id))?.nextStep).toMatchObject({ kind: 'next-contact', index: 2 });
  });
});
