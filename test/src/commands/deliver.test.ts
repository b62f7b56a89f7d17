/**
 * Posting a delivery against in-memory ports: posted or failed for good (audited, what is owed next
 * recorded and queued), retries that find their earlier post, TLP rules (shared channels, TLP:RED by
 * direct message to each contact), and ladders switched off.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fail } from '../../../src/commands/deliver.js';
import type { DirectoryFile } from '../../../src/directory/schema.js';
import { ChatError } from '../../../src/ports/chat.js';
import { contactSlackId, coreFixture, directoryWithContacts, exampleDirectoryFile, ISSUE_INPUT, ONCALL, SECRETARIAT, refusal, T0, type CoreFixture } from '../../support/core-fixture.js';
import { boardShown, claimTask, drainBoard, issueAndPost, minutes } from './helpers.js';

let f: CoreFixture;
afterEach(async () => {
  await f.close();
});

let requests = 0;
async function issue(members: string[], input: Partial<typeof ISSUE_INPUT> = {}) {
  const r = await f.core.issueAdvisory({ actor: SECRETARIAT, requestKey: `r-${++requests}`, input: { ...ISSUE_INPUT, targets: { allMembers: false, observers: false, groups: [], members }, ...input } });
  f.jobs.ensured.length = 0;
  return r;
}

describe('posting into a member channel', () => {
  beforeEach(async () => {
    f = await coreFixture();
  });

  it('posts once, audits it, owes the first ladder step at its time and queues it', async () => {
    const { advisory, deliveries } = await issue(['jma']);
    const d = deliveries[0]!;
    f.clock.set(minutes(1));
    expect(await f.core.deliver(d.id)).toEqual({ outcome: 'posted' });
    const posts = f.chat.in('C0JMA00001', 'advisory');
    expect(posts).toHaveLength(1);
    expect(posts[0]).toMatchObject({ key: d.id, target: { workspaceId: 'T0CEPTOAR0', channelId: 'C0JMA00001' }, message: { view: { deliveryId: d.id, audience: 'channel', title: ISSUE_INPUT.title } } });
    // A first attempt does not search for an earlier post.
    expect(f.chat.finds).toBe(0);
    const stored = (await f.store.getDelivery(d.id))!;
    expect(stored).toMatchObject({ state: 'posted', postAttempts: 1, messages: [posts[0]!.ref], nextStep: { kind: 'reminder', index: 0, at: minutes(40) }, version: 2 });
    expect((await f.store.listAudit(advisory.id)).filter((e) => e.action === 'delivery.posted')).toEqual([
      { id: `${d.id}.posted`, at: minutes(1), action: 'delivery.posted', advisoryId: advisory.id, deliveryId: d.id, detail: { messages: 1, refused: [] } },
    ]);
    expect(f.jobs.ensured).toEqual([{ kind: 'step', deliveryId: d.id, token: d.escalationToken, step: 'reminder', index: 0, at: new Date(minutes(40)) }]);
    // Again (a repeated job): nothing posted, what is owed queued again.
    f.jobs.ensured.length = 0;
    expect(await f.core.deliver(d.id)).toEqual({ outcome: 'already' });
    expect(f.chat.posts).toHaveLength(1);
    expect(f.jobs.of('step')).toHaveLength(1);
  });

  it('a permanent error fails the delivery for good: audited, the alert and the phone step owed at once', async () => {
    const { advisory, deliveries } = await issue(['jma']);
    const d = deliveries[0]!;
    f.chat.failPosts = (target) => (target.channelId === 'C0JMA00001' ? refusal('channel_gone') : undefined);
    f.clock.set(minutes(2));
    expect(await f.core.deliver(d.id)).toEqual({ outcome: 'failed', code: 'channel_gone' });
    const stored = (await f.store.getDelivery(d.id))!;
    expect(stored).toMatchObject({ state: 'failed', failure: { code: 'channel_gone', at: minutes(2) }, nextStep: { kind: 'phone', index: 0, at: minutes(2) } });
    const failedAudit = (await f.store.listAudit(advisory.id)).filter((e) => e.action === 'delivery.failed');
    expect(failedAudit).toEqual([{ id: `${d.id}.failed`, at: minutes(2), action: 'delivery.failed', advisoryId: advisory.id, deliveryId: d.id, detail: expect.objectContaining({ code: 'channel_gone' }) }]);
    expect(failedAudit[0]?.actor).toBeUndefined();
    expect(f.jobs.ensured.map((w) => w.kind)).toEqual(['failure-alert', 'step']);
    expect(f.lines.filter((l) => l.level === 'warn').map((l) => l.obj)).toContainEqual(expect.objectContaining({ deliveryId: d.id, memberId: 'jma', code: 'channel_gone' }));
    // A repeated job says failed, with the code, and queues what is still owed.
    f.jobs.ensured.length = 0;
    expect(await f.core.deliver(d.id)).toEqual({ outcome: 'failed', code: 'channel_gone' });
    expect(f.jobs.ensured.map((w) => w.kind)).toEqual(['failure-alert', 'step']);
    // The secretariat is told once, with the reason; then only the phone step is owed.
    expect(await f.core.alertDeliveryFailed(d.id)).toBe(1);
    expect(f.chat.in('C0SEC00001', 'notice').map((p) => p.message.view)).toEqual([
      expect.objectContaining({ kind: 'alert_digest', alert: 'failed', advisoryId: advisory.id, members: [expect.objectContaining({ state: 'failed', reason: 'channel_gone' })] }),
    ]);
    expect(await f.core.alertDeliveryFailed(d.id)).toBe(0);
    expect((await f.store.getDelivery(d.id))?.failure?.alerted).toEqual({ at: minutes(2), ok: true });
  });

  it('a rate limit or a transient error is thrown for the workflow to retry; the retry finds a post whose response was lost', async () => {
    const { deliveries } = await issue(['jma']);
    const d = deliveries[0]!;
    f.chat.failPosts = () => new ChatError('rate_limited', 'ratelimited', { retryAfterMs: 3000 });
    await expect(f.core.deliver(d.id)).rejects.toMatchObject({ kind: 'rate_limited', retryAfterMs: 3000 });
    f.chat.failPosts = () => new ChatError('transient', 'internal_error');
    await expect(f.core.deliver(d.id)).rejects.toMatchObject({ code: 'internal_error' });
    expect(await f.store.getDelivery(d.id)).toMatchObject({ state: 'queued', postAttempts: 2 });
    expect(f.jobs.ensured).toEqual([]);
    // The last attempt did reach Slack, but its response was lost.
    f.chat.failPosts = undefined;
    const earlier = await f.chat.post({ workspaceId: 'T0CEPTOAR0', channelId: 'C0JMA00001' }, { kind: 'advisory', view: {} as never }, d.id);
    const finds = f.chat.finds;
    expect(await f.core.deliver(d.id)).toEqual({ outcome: 'posted' });
    expect(f.chat.posts).toHaveLength(1);
    expect(f.chat.finds).toBe(finds + 1);
    expect(f.chat.searches.at(-1)).toEqual({ channelId: 'C0JMA00001', key: d.id, since: new Date(Date.parse(T0) - 5 * 60_000) });
    expect((await f.store.getDelivery(d.id))?.messages).toEqual([earlier]);
    // Found, not posted again: no possible duplicate to speak of.
    expect((await f.store.listAudit(d.advisoryId)).find((e) => e.action === 'delivery.posted')?.detail).toEqual({ messages: 1, refused: [] });
  });

  it('a retry that finds no earlier post posts it', async () => {
    const { deliveries } = await issue(['jma']);
    f.chat.failPosts = () => new ChatError('transient', 'internal_error');
    await expect(f.core.deliver(deliveries[0]!.id)).rejects.toBeInstanceOf(ChatError);
    f.chat.failPosts = undefined;
    expect(await f.core.deliver(deliveries[0]!.id)).toEqual({ outcome: 'posted' });
    expect(f.chat.finds).toBe(1);
    expect(f.chat.in('C0JMA00001', 'advisory')).toHaveLength(1);
  });

  it('another worker that posted meanwhile wins: before this attempt began, or while it was posting', async () => {
    const { deliveries } = await issue(['jma', 'jda']);
    const [a, b] = deliveries;
    // a: this run read the record while it was queued; the other worker posted it before the attempt was counted.
    await f.core.deliver(a!.id);
    const getDelivery = f.store.getDelivery.bind(f.store);
    let stale = true;
    f.store.getDelivery = async (id) => {
      const read = await getDelivery(id);
      if (stale && read) {
        stale = false;
        // As it was before the other worker's post: queued, one version older.
        return { ...read, state: 'queued', messages: [], version: read.version - 1 };
      }
      return read;
    };
    expect(await f.core.deliver(a!.id)).toEqual({ outcome: 'already' });
    expect(f.chat.in('C0JMA00001', 'advisory')).toHaveLength(1);
    f.store.getDelivery = getDelivery;
    // b: the other worker recorded its post while this run's post was on its way.
    f.chat.gate = async () => {
      f.chat.gate = undefined;
      const current = (await f.store.getDelivery(b!.id))!;
      await f.store.saveDelivery({ ...current, state: 'posted', version: current.version + 1, messages: [{ platform: 'slack', channelId: 'C0JDA00001', messageId: 'other' }] });
    };
    expect(await f.core.deliver(b!.id)).toEqual({ outcome: 'already' });
    expect((await f.store.getDelivery(b!.id))?.messages).toEqual([{ platform: 'slack', channelId: 'C0JDA00001', messageId: 'other' }]);
  });

  it('failing a delivery another worker failed first keeps the first failure', async () => {
    f.chat.failPosts = () => refusal('archived');
    const { advisory, deliveries } = await issueAndPost(f);
    const stale = { ...deliveries[0]!, state: 'queued' as const, failure: undefined };
    expect(await fail(f.deps, advisory, stale, { code: 'not_in_channel' })).toEqual({ outcome: 'failed', code: 'archived' });
  });

  it('failing a delivery whose stored failure is damaged (no failure recorded) says the code it was given', async () => {
    const { advisory, deliveries } = await issue(['jma']);
    const d = deliveries[0]!;
    await f.store.saveDelivery({ ...d, state: 'failed', version: d.version + 1 });
    expect(await fail(f.deps, advisory, d, { code: 'not_in_channel' })).toEqual({ outcome: 'failed', code: 'not_in_channel' });
  });

  it('failing a delivery another worker posted meanwhile changes nothing', async () => {
    const { advisory, deliveries } = await issueAndPost(f);
    const stale = { ...deliveries[0]!, state: 'queued' as const };
    expect(await fail(f.deps, advisory, stale, { code: 'channel_gone' })).toEqual({ outcome: 'already' });
    expect((await f.store.getDelivery(stale.id))?.state).toBe('posted');
    expect(f.jobs.ensured).toEqual([]);
    expect((await f.store.listAudit(advisory.id)).filter((e) => e.action === 'delivery.failed')).toEqual([]);
  });
});

describe('TLP rules', () => {
  beforeEach(async () => {
    f = await coreFixture();
  });

  it('never posts TLP:AMBER+STRICT into a channel the directory says is shared outside', async () => {
    // jahis (observer) has a Slack Connect channel in the example directory.
    const { deliveries } = await issue(['jahis'], { tlp: 'TLP:AMBER+STRICT' });
    expect(await f.core.deliver(deliveries[0]!.id)).toEqual({ outcome: 'failed', code: 'TLP_SHARED_CHANNEL' });
    expect(f.chat.posts.filter((p) => p.message.kind === 'advisory')).toEqual([]);
  });

  it('nor into one the platform says is shared; TLP:AMBER goes into either', async () => {
    f.chat.isSharedOutside = async () => true;
    const strict = await issue(['jma'], { tlp: 'TLP:AMBER+STRICT' });
    expect(await f.core.deliver(strict.deliveries[0]!.id)).toEqual({ outcome: 'failed', code: 'TLP_SHARED_CHANNEL' });
    const amber = await issue(['jahis'], { tlp: 'TLP:AMBER' });
    expect(await f.core.deliver(amber.deliveries[0]!.id)).toEqual({ outcome: 'posted' });
  });

  it('a delivery on a platform this process has no adapter for fails as not configured', async () => {
    const file: DirectoryFile = await exampleDirectoryFile();
    const jda = file.organisations.find((o) => o.id === 'jda')!;
    jda.channels = [{ platform: 'teams', workspace: 'tenant-1', team: '19:team@thread.tacv2', id: '19:jda@thread.tacv2', sharedOutside: false }];
    await f.close();
    f = await coreFixture({ directory: file });
    const { deliveries } = await issue(['jda']);
    expect(await f.core.deliver(deliveries[0]!.id)).toEqual({ outcome: 'failed', code: 'PLATFORM_NOT_CONFIGURED' });
  });
});

describe('TLP:RED: direct messages to each contact with a user id, never the channel', () => {
  beforeEach(async () => {
    f = await coreFixture({ directory: await directoryWithContacts('jma', 3) });
  });
  const red = { tlp: 'TLP:RED' as const };

  it('sends one direct message per contact, even when the channel is shared outside', async () => {
    f.chat.isSharedOutside = async () => true;
    const { deliveries } = await issue(['jma'], red);
    expect(await f.core.deliver(deliveries[0]!.id)).toEqual({ outcome: 'posted' });
    expect(f.chat.in('C0JMA00001')).toEqual([]);
    const dms = f.chat.posts.filter((p) => p.message.kind === 'advisory');
    expect(dms.map((p) => p.target.channelId)).toEqual([1, 2, 3].map((n) => `D${contactSlackId('jma', n)}`));
    expect(dms.every((p) => (p.message.view as { audience: string }).audience === 'direct')).toBe(true);
    expect((await f.store.getDelivery(deliveries[0]!.id))?.messages).toEqual(dms.map((p) => p.ref));
  });

  it('one contact whose direct message fails for good: the others still get it, and the audit names the refusal', async () => {
    const { advisory, deliveries } = await issue(['jma'], red);
    const refusedDm = `D${contactSlackId('jma', 2)}`;
    f.chat.failPosts = (target) => (target.channelId === refusedDm ? refusal('recipient_unreachable') : undefined);
    expect(await f.core.deliver(deliveries[0]!.id)).toEqual({ outcome: 'posted' });
    expect(f.chat.posts.map((p) => p.target.channelId)).toEqual([`D${contactSlackId('jma', 1)}`, `D${contactSlackId('jma', 3)}`]);
    expect((await f.store.getDelivery(deliveries[0]!.id))).toMatchObject({ state: 'posted', messages: f.chat.posts.map((p) => p.ref) });
    expect((await f.store.listAudit(advisory.id)).find((e) => e.action === 'delivery.posted')?.detail).toEqual({ messages: 2, refused: [expect.objectContaining({ channel: refusedDm, code: 'recipient_unreachable' })] });
  });

  it('a contact who cannot be reached directly (left the workspace) is skipped; a transient failure is retried', async () => {
    const { deliveries } = await issue(['jma'], red);
    f.chat.failOpen = (userId) => (userId === contactSlackId('jma', 1) ? refusal('recipient_unreachable') : undefined);
    expect(await f.core.deliver(deliveries[0]!.id)).toEqual({ outcome: 'posted' });
    expect(f.chat.posts.map((p) => p.target.channelId)).toEqual([`D${contactSlackId('jma', 2)}`, `D${contactSlackId('jma', 3)}`]);
    expect(f.lines.some((l) => l.level === 'warn' && (l.obj as { code?: string }).code === 'recipient_unreachable')).toBe(true);

    const again = await issue(['jma'], { ...red, title: 'another' });
    f.chat.failOpen = () => new ChatError('transient', 'internal_error');
    await expect(f.core.deliver(again.deliveries[0]!.id)).rejects.toMatchObject({ code: 'internal_error' });
    expect((await f.store.getDelivery(again.deliveries[0]!.id))?.state).toBe('queued');
  });

  it('every direct message refused: failed with the first refusal; a transient failure on one is thrown', async () => {
    const { deliveries } = await issue(['jma'], red);
    f.chat.failPosts = (target) => refusal(target.channelId === `D${contactSlackId('jma', 1)}` ? 'recipient_unreachable' : 'forbidden');
    expect(await f.core.deliver(deliveries[0]!.id)).toEqual({ outcome: 'failed', code: 'recipient_unreachable' });

    const again = await issue(['jma'], { ...red, title: 'again' });
    f.chat.failPosts = (target) => (target.channelId === `D${contactSlackId('jma', 3)}` ? new ChatError('transient', 'internal_error') : undefined);
    await expect(f.core.deliver(again.deliveries[0]!.id)).rejects.toMatchObject({ code: 'internal_error' });
    expect((await f.store.getDelivery(again.deliveries[0]!.id))?.state).toBe('queued');
  });
});

describe('TLP:RED with a single reachable contact', () => {
  it('a permanent refusal of the only direct message fails the delivery with its code', async () => {
    f = await coreFixture({ directory: await directoryWithContacts('jma', 3, [false, true, false]) });
    const { deliveries } = await issue(['jma'], { tlp: 'TLP:RED' });
    f.chat.failPosts = () => refusal('recipient_unreachable');
    expect(await f.core.deliver(deliveries[0]!.id)).toEqual({ outcome: 'failed', code: 'recipient_unreachable' });
    expect(f.chat.posts).toEqual([]);
    expect(f.chat.opened).toEqual([contactSlackId('jma', 2)]);
  });
});

describe('TLP:RED where no contact has a user id on the platform', () => {
  it('fails with RED_NO_RECIPIENTS: the secretariat alert and then the phone step are owed', async () => {
    f = await coreFixture({ directory: await directoryWithContacts('jma', 3, false) });
    const { advisory, deliveries } = await issue(['jma'], { tlp: 'TLP:RED' });
    const d = deliveries[0]!;
    f.clock.set(minutes(1));
    expect(await f.core.deliver(d.id)).toEqual({ outcome: 'failed', code: 'RED_NO_RECIPIENTS' });
    expect(f.chat.posts).toEqual([]);
    expect(await f.store.getDelivery(d.id)).toMatchObject({ state: 'failed', failure: { code: 'RED_NO_RECIPIENTS' }, nextStep: { kind: 'phone', index: 0, at: minutes(1) } });
    expect(f.jobs.ensured.map((w) => w.kind)).toEqual(['failure-alert', 'step']);
    expect(await f.core.alertDeliveryFailed(d.id)).toBe(1);
    expect(f.chat.in('C0SEC00001', 'notice')[0]?.message.view).toMatchObject({ kind: 'alert_digest', alert: 'failed', members: [{ reason: 'RED_NO_RECIPIENTS' }] });
    // The phone step: a task with the three contacts and the TLP:RED script (no body).
    const stored = (await f.store.getDelivery(d.id))!;
    expect(await f.core.runEscalationStep({ deliveryId: d.id, token: stored.escalationToken, kind: 'phone', index: 0 })).toBe('ran');
    expect((await f.store.listAudit(advisory.id)).map((e) => e.action)).toEqual(['advisory.issued', 'delivery.failed', 'escalation.phone']);
    // On the board it is a row (the member's name, nothing of the advisory's body); the claimer's copy has the three
    // contacts and the TLP:RED script.
    await drainBoard(f);
    const page = boardShown(f, advisory.id);
    expect(page).toMatchObject({ tlp: 'TLP:RED', rows: [{ taskId: `${d.id}.phone`, contacts: 3 }] });
    expect(JSON.stringify(page)).not.toContain(ISSUE_INPUT.body);
    const { message } = await claimTask(f, { id: `${d.id}.phone`, advisoryId: advisory.id }, ONCALL);
    const task = f.chat.posts.find((p) => p.ref.messageId === message.messageId)?.message.view as { script: string; excerpt?: string; contacts: unknown[] };
    expect(task).toMatchObject({ script: 'red', contacts: [{}, {}, {}] });
    expect(task.excerpt).toBeUndefined();
  });
});

describe('escalation switched off (level 1 or 0)', () => {
  beforeEach(async () => {
    f = await coreFixture();
  });
  const off = { severity: 'level1' as const, escalate: false };

  it('a posted delivery owes nothing', async () => {
    const { advisory, deliveries } = await issue(['jma'], off);
    expect(advisory.escalation.enabled).toBe(false);
    expect(await f.core.deliver(deliveries[0]!.id)).toEqual({ outcome: 'posted' });
    const stored = (await f.store.getDelivery(deliveries[0]!.id))!;
    expect(stored.state).toBe('posted');
    expect(stored.nextStep).toBeUndefined();
    expect(f.jobs.ensured).toEqual([]);
    expect((await f.store.listOwedDeliveries({ limit: 10 })).deliveries).toEqual([]);
  });

  it('a failed delivery owes only the secretariat alert', async () => {
    const { deliveries } = await issue(['jma'], off);
    const d = deliveries[0]!;
    f.chat.failPosts = () => refusal('archived');
    expect(await f.core.deliver(d.id)).toEqual({ outcome: 'failed', code: 'archived' });
    expect((await f.store.getDelivery(d.id))?.nextStep).toBeUndefined();
    expect(f.jobs.ensured).toEqual([{ kind: 'failure-alert', scope: expect.any(String), deliveryId: d.id }]);
    f.chat.failPosts = undefined;
    await f.core.alertDeliveryFailed(d.id);
    expect((await f.store.listOwedDeliveries({ limit: 10 })).deliveries).toEqual([]);
  });

  it('level 0 has no ladder even with escalation left on', async () => {
    const { deliveries } = await issue(['jma'], { severity: 'level0' });
    await f.core.deliver(deliveries[0]!.id);
    expect((await f.store.getDelivery(deliveries[0]!.id))?.nextStep).toBeUndefined();
  });
});

describe('a platform that cannot find its own posts or tell a shared channel (capabilities)', () => {
  beforeEach(async () => {
    f = await coreFixture();
    f.chat.capabilities = { findOwnPost: false, detectSharedChannel: false, readThreads: false, postImage: false };
  });

  it('a retry posts again without searching, and says so: a warning and possibleDuplicate in the audit', async () => {
    const { advisory, deliveries } = await issue(['jma']);
    const d = deliveries[0]!;
    f.chat.failPosts = () => new ChatError('transient', 'internal_error');
    await expect(f.core.deliver(d.id)).rejects.toBeInstanceOf(ChatError);
    f.chat.failPosts = undefined;
    expect(await f.core.deliver(d.id)).toEqual({ outcome: 'posted' });
    expect(f.chat.finds).toBe(0);
    expect(f.chat.in('C0JMA00001', 'advisory')).toHaveLength(1);
    expect((await f.store.listAudit(advisory.id)).find((e) => e.action === 'delivery.posted')?.detail).toEqual({ messages: 1, refused: [], possibleDuplicate: true });
    expect(f.lines.filter((l) => l.level === 'warn').map((l) => l.obj)).toContainEqual({ platform: 'slack', channel: 'C0JMA00001', key: d.id });
  });

  it('a first attempt is no possible duplicate', async () => {
    const { advisory, deliveries } = await issue(['jma']);
    await f.core.deliver(deliveries[0]!.id);
    expect((await f.store.listAudit(advisory.id)).find((e) => e.action === 'delivery.posted')?.detail).toEqual({ messages: 1, refused: [] });
    expect(f.lines.filter((l) => l.level === 'warn')).toEqual([]);
  });

  it('a notice is posted without searching, and without a warning: nobody knows it is a retry', async () => {
    const { advisory } = await issue(['jma']);
    expect(await f.core.announceIssued(advisory.id)).toBe(1);
    expect(f.chat.finds).toBe(0);
    expect(f.lines.filter((l) => l.level === 'warn')).toEqual([]);
  });

  it('only the directory\'s flag keeps TLP:AMBER+STRICT out of a shared channel; the platform is not asked', async () => {
    let asked = 0;
    f.chat.isSharedOutside = async () => {
      asked += 1;
      return true;
    };
    const shared = await issue(['jahis'], { tlp: 'TLP:AMBER+STRICT' });
    expect(await f.core.deliver(shared.deliveries[0]!.id)).toEqual({ outcome: 'failed', code: 'TLP_SHARED_CHANNEL' });
    const own = await issue(['jma'], { tlp: 'TLP:AMBER+STRICT' });
    expect(await f.core.deliver(own.deliveries[0]!.id)).toEqual({ outcome: 'posted' });
    expect(asked).toBe(0);
  });

  it('a step run taken over posts its message again, saying it may show twice', async () => {
    const { deliveries } = await issueAndPost(f);
    const d = deliveries[0]!;
    await f.store.claimStep({ deliveryId: d.id, token: d.escalationToken, key: 'reminder' }, { owner: 'dead', at: minutes(0), until: minutes(1) });
    f.clock.set(minutes(40));
    expect(await f.core.runEscalationStep({ deliveryId: d.id, token: d.escalationToken, kind: 'reminder', index: 0 })).toBe('ran');
    expect(f.chat.finds).toBe(0);
    expect(f.lines.filter((l) => l.level === 'warn').map((l) => (l.obj as { key?: string }).key)).toEqual([`${d.id}.reminder.${d.escalationToken}.C0JMA00001`]);
  });
});
