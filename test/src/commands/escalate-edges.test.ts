/**
 * Ladder steps at their edges: what each step posts (mentions, the alert's summary, how far back a
 * retry looks), steps with nothing to act on, and runs that race an acknowledgement, a claim or
 * another run of the same step.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LOOKBACK_MS } from '../../../src/commands/ladder.js';
import type { Delivery } from '../../../src/domain/delivery.js';
import { coreFixture, exampleDirectoryFile, ISSUE_INPUT, ONCALL, T0, type CoreFixture } from '../../support/core-fixture.js';
import { boardPost, drainBoard, issueAndPost, JMA_STAFF, minutes } from './helpers.js';

let f: CoreFixture;
beforeEach(async () => {
  f = await coreFixture();
});
afterEach(async () => {
  await f.close();
});

const run = (d: Delivery, kind: 'reminder' | 'phone' | 'next-contact' | 'alert', index = 0) =>
  f.core.runEscalationStep({ deliveryId: d.id, token: d.escalationToken, kind, index });

/** jma's posted delivery moved on to owe `kind` (the steps before it ran). */
async function owing(kind: 'reminder' | 'phone' | 'next-contact' | 'alert'): Promise<Delivery> {
  const { deliveries } = await issueAndPost(f);
  let d = deliveries[0]!;
  while (d.nextStep && d.nextStep.kind !== kind) {
    await run(d, d.nextStep.kind, d.nextStep.index);
    d = (await f.store.getDelivery(d.id))!;
  }
  f.jobs.ensured.length = 0;
  return d;
}

const since = new Date(Date.parse(T0) - LOOKBACK_MS);

describe('what a step posts', () => {
  it('the reminder mentions each contact who has a chat identity, with the directory\'s name', async () => {
    const d = await owing('reminder');
    f.clock.set(minutes(40));
    expect(await run(d, 'reminder')).toBe('ran');
    const reminder = f.chat.in('C0JMA00001', 'reminder')[0]!;
    expect(reminder.key).toBe(`${d.id}.reminder.${d.escalationToken}.C0JMA00001`);
    expect(reminder.message.view).toEqual({
      advisoryId: d.advisoryId,
      deliveryId: d.id,
      title: ISSUE_INPUT.title,
      tlp: 'TLP:AMBER',
      drill: false,
      ackDeadline: minutes(60),
      memberName: { ja: '公益社団法人 日本医師会', en: 'Japan Medical Association' },
      // jma's second contact has no Slack id: only the first is mentioned.
      mention: ['U0JMA00001'],
      mentionNames: { U0JMA00001: '佐藤 健一' },
    });
    expect(f.lines.some((l) => l.msg === 'escalation step taken over')).toBe(false);
  });

  it('a run taken over looks back to five minutes before the issue for its earlier post', async () => {
    const d = await owing('reminder');
    await f.store.claimStep({ deliveryId: d.id, token: d.escalationToken, key: 'reminder' }, { owner: 'dead', at: T0, until: minutes(1) });
    f.clock.set(minutes(40));
    expect(await run(d, 'reminder')).toBe('ran');
    expect(f.chat.searches).toEqual([{ channelId: 'C0JMA00001', key: `${d.id}.reminder.${d.escalationToken}.C0JMA00001`, since }]);
    expect(f.lines.filter((l) => l.msg === 'escalation step taken over').map((l) => l.obj)).toEqual([{ deliveryId: d.id, step: 'reminder', previousOwner: 'dead', searches: true }]);
  });

  it('the phone step opens the task and asks for the board\'s update: nothing is posted or searched per task, even by a run taken over', async () => {
    const d = await owing('phone');
    await f.store.claimStep({ deliveryId: d.id, token: d.escalationToken, key: 'phone' }, { owner: 'dead', at: T0, until: minutes(1) });
    f.clock.set(minutes(60));
    const posts = f.chat.posts.length;
    expect(await run(d, 'phone')).toBe('ran');
    expect(f.chat.posts.length).toBe(posts);
    expect(f.chat.searches).toEqual([]);
    expect(await f.store.getPhoneTask(`${d.id}.phone`)).toMatchObject({ state: 'open', deliveryId: d.id, memberId: 'jma', contactIndex: 0, messages: [] });
    // The board's update at the end of the interval (one job for every change within it); nobody claimed the task, so
    // it has no copy to refresh.
    const advisory = (await f.store.getAdvisory(d.advisoryId))!;
    expect(f.jobs.of('phone-board')).toEqual([{ kind: 'phone-board', scope: advisory.uid, advisoryId: d.advisoryId, at: new Date(Date.parse(minutes(60)) + 5_000) }]);
    expect(f.jobs.of('refresh-phone')).toEqual([]);
    // That update posts the board's first page into the on-call channel, keyed by the advisory's board and page,
    // without a search (no earlier attempt at it), and records where it is.
    await drainBoard(f);
    const page = boardPost(f, d.advisoryId);
    expect(page.key).toBe(`${d.advisoryId}.board.p1`);
    expect(page.target).toEqual({ workspaceId: 'T0CEPTOAR0', channelId: 'C0ONC00001' });
    expect(f.chat.searches).toEqual([]);
    expect((await f.store.getAdvisory(d.advisoryId))?.phoneBoard).toEqual([{ n: 1, messages: [page.ref], shown: expect.any(String) }]);
  });

  it('the alert summarises the phone task: attempts, wrong numbers by name (or position when the contact has left), who holds it', async () => {
    const d = await owing('alert');
    const task = (await f.store.getPhoneTask(`${d.id}.phone`))!;
    await f.store.savePhoneTask({
      ...task,
      version: task.version + 1,
      state: 'claimed',
      claimedBy: ONCALL,
      attempts: [
        { contactIndex: 0, outcome: 'no_answer', by: ONCALL, at: minutes(61) },
        { contactIndex: 1, outcome: 'wrong_number', by: ONCALL, at: minutes(62) },
        { contactIndex: 4, outcome: 'wrong_number', by: ONCALL, at: minutes(63) },
      ],
    });
    await f.store.claimStep({ deliveryId: d.id, token: d.escalationToken, key: 'alert' }, { owner: 'dead', at: T0, until: minutes(1) });
    f.clock.set(minutes(100));
    expect(await run(d, 'alert')).toBe('ran');
    const alert = f.chat.in('C0SEC00001', 'notice')[0]!;
    expect(alert.key).toBe(`${d.advisoryId}.alerts.escalation.w1`);
    expect(alert.message.view).toEqual({
      kind: 'alert_digest',
      alert: 'escalation',
      advisoryId: d.advisoryId,
      title: 'VPN 装置の脆弱性',
      tlp: 'TLP:AMBER',
      drill: false,
      wave: 1,
      openedAt: minutes(100),
      members: [
        {
          memberName: { ja: '公益社団法人 日本医師会', en: 'Japan Medical Association' },
          state: 'posted',
          resolved: undefined,
          reason: undefined,
          wrongNumbers: ['鈴木 美咲', '#5'],
          attempts: 3,
          claimedBy: ONCALL.name,
        },
      ],
      more: 0,
      total: 1,
      resolved: 0,
      asOf: minutes(100),
    });
    // The step was taken over from a dead run that never began this post (the post ledger holds no attempt at it):
    // there is nothing to look for.
    expect(f.chat.searches).toEqual([]);
    expect(f.lines.filter((l) => l.level === 'error')).toEqual([]);
  });

  it('an alert with no phone task (its step gave up) says nobody tried', async () => {
    const d = await owing('phone');
    await f.core.giveUp({ kind: 'step', deliveryId: d.id, token: d.escalationToken, step: 'phone', index: 0, at: new Date(minutes(60)) }, 'channel_gone');
    let after = (await f.store.getDelivery(d.id))!;
    // The next-contact step finds no task to move on.
    expect(await run(after, 'next-contact', 1)).toBe('skipped');
    expect((await f.store.listAudit(d.advisoryId)).find((e) => e.action === 'escalation.next-contact')?.detail).toEqual({ step: 'next-contact-1', outcome: 'skipped' });
    after = (await f.store.getDelivery(d.id))!;
    expect(await run(after, 'alert')).toBe('ran');
    expect(f.chat.in('C0SEC00001', 'notice').map((p) => p.message.view).filter((v) => (v as { kind: string }).kind === 'alert_digest')).toEqual([
      expect.objectContaining({ members: [expect.objectContaining({ attempts: 0, wrongNumbers: [], claimedBy: undefined })] }),
    ]);
  });

  it('records each step as done in the ledger, with its owner and time', async () => {
    const d = await owing('reminder');
    const finished: unknown[] = [];
    const finishStep = f.store.finishStep.bind(f.store);
    f.store.finishStep = async (ref, finish) => {
      finished.push({ ref, finish });
      await finishStep(ref, finish);
    };
    f.clock.set(minutes(40));
    await run(d, 'reminder');
    expect(finished).toEqual([{ ref: { deliveryId: d.id, token: d.escalationToken, key: 'reminder' }, finish: { owner: expect.any(String), at: minutes(40), outcome: 'done' } }]);
    expect((await f.store.claimStep({ deliveryId: d.id, token: d.escalationToken, key: 'reminder' }, { owner: 'x', at: minutes(41), until: minutes(42) })).outcome).toBe('done');
  });

  it('a step finished before but not recorded moves the ladder on without marking it given up', async () => {
    const d = await owing('reminder');
    await f.store.finishStep({ deliveryId: d.id, token: d.escalationToken, key: 'reminder' }, { owner: 'x', at: minutes(40), outcome: 'done' });
    f.clock.set(minutes(41));
    expect(await run(d, 'reminder')).toBe('already');
    expect((await f.store.getDelivery(d.id))?.ladder).toStrictEqual({ kind: 'reminder', index: 0, at: minutes(41) });
  });
});

describe('steps with nothing to act on', () => {
  it('a reminder for a delivery with no message (nothing was posted) is skipped; the ladder goes on', async () => {
    const d = await owing('reminder');
    await f.store.saveDelivery({ ...d, version: d.version + 1, messages: [] });
    expect(await run(d, 'reminder')).toBe('skipped');
    expect(f.chat.in('C0JMA00001', 'reminder')).toEqual([]);
    expect((await f.store.listAudit(d.advisoryId)).find((e) => e.action === 'escalation.reminder')?.detail).toEqual({ step: 'reminder', outcome: 'skipped' });
    expect((await f.store.getDelivery(d.id))?.nextStep?.kind).toBe('phone');
  });

  it('a step message for a platform this process has no adapter for is not posted, and the ladder goes on', async () => {
    // The member's copy was posted on Teams (by a process that served it); this one serves Slack only.
    let d = await owing('reminder');
    await f.store.saveDelivery({ ...d, version: d.version + 1, channel: { ...d.channel, platform: 'teams' } });
    f.clock.set(minutes(40));
    expect(await run(d, 'reminder')).toBe('ran');
    expect(f.chat.in('C0JMA00001', 'reminder')).toEqual([]);
    expect(f.lines.filter((l) => l.msg === 'no chat adapter for this platform; step message not posted').map((l) => l.obj)).toEqual([
      { platform: 'teams', key: `${d.id}.reminder.${d.escalationToken}.C0JMA00001` },
    ]);
    d = (await f.store.getDelivery(d.id))!;
    expect(d.nextStep?.kind).toBe('phone');
    expect(d.reminders ?? []).toEqual([]);
  });

  it('with the on-call and secretariat channels on a platform this process has no adapter for, the ladder goes on and the operators hear of it', async () => {
    const file = await exampleDirectoryFile();
    file.oncall.channels = [{ platform: 'teams', workspace: 'tenant-1', id: '19:oncall@thread.tacv2' }];
    file.secretariat.channels = [{ platform: 'teams', workspace: 'tenant-1', id: '19:sec@thread.tacv2' }];
    await f.close();
    f = await coreFixture({ directory: file });
    let d = await owing('phone');
    expect(await run(d, 'phone')).toBe('ran');
    expect((await f.store.getPhoneTask(`${d.id}.phone`))?.messages).toEqual([]);
    // The board cannot be shown anywhere: nothing is posted or recorded, and the log says so at error level.
    expect(await f.core.refreshPhoneBoard(d.advisoryId)).toBe(0);
    expect(f.chat.posts.filter((p) => p.message.kind === 'phone_board')).toEqual([]);
    expect((await f.store.getAdvisory(d.advisoryId))?.phoneBoard).toBeUndefined();
    const boardError = { advisoryId: d.advisoryId, tasks: 1 };
    expect(f.lines.filter((l) => l.msg === 'phone tasks are open but no on-call channel is on a configured platform: the board cannot be shown').map((l) => [l.level, l.obj])).toEqual([['error', boardError]]);
    d = (await f.store.getDelivery(d.id))!;
    await run(d, 'next-contact', 1);
    d = (await f.store.getDelivery(d.id))!;
    // The alert has nowhere to go: the operators hear of it through the log.
    expect(await run(d, 'alert')).toBe('ran');
    expect(f.lines.filter((l) => l.level === 'error').map((l) => l.obj)).toEqual([boardError, { advisoryId: d.advisoryId, memberId: 'jma', deliveryId: d.id, wave: 1 }]);
    expect((await f.store.getDelivery(d.id))?.nextStep).toBeUndefined();
  });
});

describe('steps racing other changes', () => {
  it('a reminder whose member acknowledges while it runs is not posted', async () => {
    const d = await owing('reminder');
    const claimStep = f.store.claimStep.bind(f.store);
    f.store.claimStep = async (ref, lease) => {
      const claimed = await claimStep(ref, lease);
      await f.core.acknowledgeDelivery({ deliveryId: d.id, actor: JMA_STAFF, via: 'button' });
      return claimed;
    };
    expect(await run(d, 'reminder')).toBe('stale');
    expect(f.chat.in('C0JMA00001', 'reminder')).toEqual([]);
  });

  it('a step of an advisory closed before the sync reached its member (the record still owes it) posts nothing', async () => {
    const d = await owing('reminder');
    const advisory = (await f.store.getAdvisory(d.advisoryId))!;
    expect(await f.store.saveAdvisory({ ...advisory, state: 'closed', version: (advisory.version ?? 0) + 1 })).toBe(true);
    expect((await f.store.getDelivery(d.id))?.nextStep?.kind).toBe('reminder');
    expect(await run(d, 'reminder')).toBe('stale');
    expect(f.chat.in('C0JMA00001', 'reminder')).toEqual([]);
  });

  it('a reminder whose ladder was restarted under another token while it runs is not posted', async () => {
    const d = await owing('reminder');
    const claimStep = f.store.claimStep.bind(f.store);
    f.store.claimStep = async (ref, lease) => {
      const claimed = await claimStep(ref, lease);
      const current = (await f.store.getDelivery(d.id))!;
      await f.store.saveDelivery({ ...current, version: current.version + 1, escalationToken: 'knewladder00' });
      return claimed;
    };
    expect(await run(d, 'reminder')).toBe('stale');
    expect(f.chat.in('C0JMA00001', 'reminder')).toEqual([]);
  });

  it('a phone step run again after its task was put on the board posts and searches nothing, and leaves the task as it was', async () => {
    const d = await owing('phone');
    // The first run opens the task (and the board shows it), then its process stops before the ledger says done.
    const finishStep = f.store.finishStep.bind(f.store);
    f.store.finishStep = async () => undefined;
    await run(d, 'phone');
    f.store.finishStep = finishStep;
    await drainBoard(f);
    const task = (await f.store.getPhoneTask(`${d.id}.phone`))!;
    const current = (await f.store.getDelivery(d.id))!;
    await f.store.saveDelivery({ ...current, nextStep: d.nextStep, version: current.version + 1 });
    const posts = f.chat.posts.length;
    const finds = f.chat.finds;
    // Its lease has run out: another run takes the step over.
    f.clock.set(minutes(120));
    expect(await run(d, 'phone')).toBe('ran');
    expect(f.lines.some((l) => l.msg === 'escalation step taken over')).toBe(true);
    expect(await f.store.getPhoneTask(task.id)).toEqual(task);
    // The board it asks for again has nothing new to show.
    const edits = f.chat.updates.length;
    await drainBoard(f);
    expect(f.chat.posts.length).toBe(posts);
    expect(f.chat.updates.length).toBe(edits);
    expect(f.chat.finds).toBe(finds);
  });
});
