/**
 * Telling the secretariat (the "issued" notice, a failed delivery), re-rendering messages after a
 * change, and the give-up path for every kind of work: nothing ends silently, nothing is said twice.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { alertDeliveryFailed, announceIssued } from '../../../src/commands/notify.js';
import { toSecretariat } from '../../../src/commands/to-secretariat.js';
import { newPhoneTask } from '../../../src/domain/phone-task.js';
import type { DirectoryFile } from '../../../src/directory/schema.js';
import { BotError, isBotError } from '../../../src/errors.js';
import { ChatError } from '../../../src/ports/chat.js';
import { coreFixture, exampleDirectoryFile, ONCALL, SECRETARIAT, T0, refusal, type CoreFixture } from '../../support/core-fixture.js';
import { advisoryMessage, issueAndPost, JMA_STAFF, minutes, untilClaimed } from './helpers.js';

let f: CoreFixture;

/** The next post reaches the platform, but its answer is lost (a timeout): the attempt's outcome is unknown. */
function loseNextAnswer(fx: CoreFixture): void {
  const post = fx.chat.post.bind(fx.chat);
  fx.chat.post = async (target, message, key) => {
    fx.chat.post = post;
    await post(target, message, key);
    throw new ChatError('transient', 'request_timeout', { reason: 'timeout' });
  };
}
afterEach(async () => {
  await f.close();
});

/** The example directory with the secretariat's channel on Teams, which the fixture has no adapter for. */
async function secretariatOnTeams(): Promise<DirectoryFile> {
  const file = await exampleDirectoryFile();
  file.secretariat.channels = [{ platform: 'teams', workspace: 'tenant-1', team: '19:t@thread.tacv2', id: '19:sec@thread.tacv2' }];
  return file;
}

describe('the "issued" notice', () => {
  beforeEach(async () => {
    f = await coreFixture();
  });

  it('is posted once into the secretariat channel with the count and the issuer, and noted', async () => {
    const { advisory } = await issueAndPost(f, ['jma', 'jda']);
    f.clock.set(minutes(1));
    expect(await f.core.announceIssued(advisory.id)).toBe(1);
    expect(f.chat.in('C0SEC00001', 'notice')).toEqual([
      expect.objectContaining({
        key: `${advisory.id}.issued`,
        message: {
          kind: 'notice',
          view: {
            kind: 'advisory_issued',
            advisoryId: advisory.id,
            title: advisory.title,
            tlp: 'TLP:AMBER',
            drill: false,
            deliveries: 2,
            ackDeadline: minutes(60),
            issuedBy: SECRETARIAT.name,
            // The notice is the live status card from the start.
            live: expect.objectContaining({ counts: { total: 2, queued: 0, posted: 2, acknowledged: 0, failed: 0, cancelled: 0 }, asOf: minutes(1) }),
          },
        },
      }),
    ]);
    const card = f.chat.in('C0SEC00001', 'notice')[0]!.ref;
    expect((await f.store.getAdvisory(advisory.id))?.announced).toEqual({ at: minutes(1), ok: true, messages: [card] });
    expect(await f.core.announceIssued(advisory.id)).toBe(0);
    expect(f.chat.in('C0SEC00001', 'notice')).toHaveLength(1);
  });

  it('a retry finds the notice its lost response posted, and does not post it again', async () => {
    const { advisory } = await issueAndPost(f);
    loseNextAnswer(f);
    await expect(f.core.announceIssued(advisory.id)).rejects.toMatchObject({ code: 'request_timeout' });
    expect(f.chat.finds).toBe(0);
    expect(await f.core.announceIssued(advisory.id)).toBe(1);
    expect(f.chat.in('C0SEC00001')).toHaveLength(1);
    expect(f.chat.finds).toBe(1);
  });

  it('a first attempt posts without searching; a retry after a 429 posts at once too', async () => {
    const { advisory } = await issueAndPost(f);
    f.chat.failPosts = (target) => (target.channelId === 'C0SEC00001' ? new ChatError('rate_limited', 'ratelimited', { retryAfterMs: 1_000 }) : undefined);
    await expect(f.core.announceIssued(advisory.id)).rejects.toMatchObject({ kind: 'rate_limited' });
    f.chat.failPosts = undefined;
    expect(await f.core.announceIssued(advisory.id)).toBe(1);
    expect(f.chat.finds).toBe(0);
    expect(f.chat.in('C0SEC00001')).toHaveLength(1);
  });

  it('says ADVISORY.NOT_FOUND for an advisory the store does not have', async () => {
    const err = await f.core.announceIssued('ADV-2026-0999').catch((e: unknown) => e);
    expect(isBotError(err, 'ADVISORY.NOT_FOUND')).toBe(true);
    expect((err as BotError).detail).toEqual({ advisoryId: 'ADV-2026-0999' });
  });

  it('a retry looks for an earlier notice from the issue on', async () => {
    const { advisory } = await issueAndPost(f);
    loseNextAnswer(f);
    await expect(f.core.announceIssued(advisory.id)).rejects.toMatchObject({ code: 'request_timeout' });
    await f.core.announceIssued(advisory.id);
    expect(f.chat.searches).toEqual([{ channelId: 'C0SEC00001', key: `${advisory.id}.issued`, since: new Date(T0) }]);
  });

  it('with no secretariat channel on a configured platform: noted as not told (ok false), a warning logged', async () => {
    await f.close();
    f = await coreFixture({ directory: await secretariatOnTeams() });
    const { advisory } = await issueAndPost(f);
    expect(await announceIssued(f.deps, advisory.id)).toBe(0);
    expect((await f.store.getAdvisory(advisory.id))?.announced).toEqual({ at: T0, ok: false });
    expect(f.lines.filter((l) => l.level === 'warn').map((l) => l.obj)).toContainEqual({ platform: 'teams' });
  });
});

describe('telling the secretariat of a failed delivery', () => {
  it('posts the notice keyed by the delivery, looks back from the failure, and logs no error', async () => {
    f = await coreFixture();
    f.chat.failPosts = () => refusal('channel_gone');
    const { deliveries } = await issueAndPost(f);
    f.chat.failPosts = undefined;
    const d = deliveries[0]!;
    f.clock.set(minutes(30));
    // Its first attempt's answer is lost: the retry looks for it, from a minute before the failure.
    loseNextAnswer(f);
    await expect(f.core.alertDeliveryFailed(d.id)).rejects.toMatchObject({ code: 'request_timeout' });
    expect(await f.core.alertDeliveryFailed(d.id)).toBe(1);
    // The advisory's first wave of failures: one message for every member failing with it, keyed by the wave.
    expect(f.chat.in('C0SEC00001').map((p) => p.key)).toEqual([`${d.advisoryId}.alerts.failed.w1`]);
    expect(f.chat.searches).toEqual([{ channelId: 'C0SEC00001', key: `${d.advisoryId}.alerts.failed.w1`, since: new Date(Date.parse(minutes(30)) - 60_000) }]);
    expect(f.lines.filter((l) => l.level === 'error')).toEqual([]);
  });

  it('reads the record once: the note that it was told decides from the record as listed in the wave', async () => {
    f = await coreFixture();
    f.chat.failPosts = () => refusal('channel_gone');
    const { deliveries } = await issueAndPost(f);
    f.chat.failPosts = undefined;
    const d = (await f.store.getDelivery(deliveries[0]!.id))!;
    const reads: string[] = [];
    const saves: boolean[] = [];
    const get = f.store.getDelivery.bind(f.store);
    const save = f.store.saveDelivery.bind(f.store);
    f.store.getDelivery = async (id) => (reads.push(id), get(id));
    f.store.saveDelivery = async (next, audit) => {
      const saved = await save(next, audit);
      saves.push(saved);
      return saved;
    };
    expect(await f.core.alertDeliveryFailed(d.id)).toBe(1);
    expect(reads).toEqual([d.id]);
    expect(saves).toEqual([true, true]);
    expect((await get(d.id))).toMatchObject({ version: d.version + 2, alertWaves: { failed: 1 }, failure: { alerted: { ok: true } } });
  });

  it('a failed record without its failure (damaged) is still told, as an unknown reason', async () => {
    f = await coreFixture();
    const { deliveries } = await issueAndPost(f);
    const d = deliveries[0]!;
    const { failure: _none, ...rest } = { ...d, failure: undefined };
    await f.store.saveDelivery({ ...rest, state: 'failed', version: d.version + 1, updatedAt: minutes(7) });
    expect(await f.core.alertDeliveryFailed(d.id)).toBe(1);
    expect(f.chat.in('C0SEC00001')[0]?.message.view).toMatchObject({ kind: 'alert_digest', alert: 'failed', members: [{ reason: 'unknown' }] });
    expect(await f.core.deliver(d.id)).toEqual({ outcome: 'failed', code: 'unknown' });
  });

  it('does nothing for a delivery that did not fail, or was told already', async () => {
    f = await coreFixture();
    const { deliveries } = await issueAndPost(f);
    expect(await alertDeliveryFailed(f.deps, deliveries[0]!.id)).toBe(0);
    expect(f.chat.in('C0SEC00001')).toEqual([]);
  });

  it('with nowhere to post it: logged at error level, noted as not told so it is not owed for ever', async () => {
    f = await coreFixture({ directory: await secretariatOnTeams() });
    f.chat.failPosts = () => refusal('channel_gone');
    const { advisory, deliveries } = await issueAndPost(f);
    const d = deliveries[0]!;
    expect(await f.core.alertDeliveryFailed(d.id)).toBe(0);
    expect((await f.store.getDelivery(d.id))?.failure?.alerted).toEqual({ at: T0, ok: false });
    expect(f.lines.filter((l) => l.level === 'error').map((l) => l.obj)).toEqual([{ advisoryId: advisory.id, memberId: 'jma', code: 'channel_gone' }]);
  });

  it('a secretariat post that fails is thrown for the workflow to retry, and the failure stays owed', async () => {
    f = await coreFixture();
    f.chat.failPosts = () => refusal('channel_gone');
    const { deliveries } = await issueAndPost(f);
    f.chat.failPosts = () => new ChatError('transient', 'internal_error');
    await expect(f.core.alertDeliveryFailed(deliveries[0]!.id)).rejects.toMatchObject({ code: 'internal_error' });
    expect((await f.store.getDelivery(deliveries[0]!.id))?.failure?.alerted).toBeUndefined();
  });

  it('posts into every secretariat channel there is; a first attempt searches none', async () => {
    const file = await exampleDirectoryFile();
    file.secretariat.channels.push({ platform: 'slack', workspace: 'T0CEPTOAR0', id: 'C0SEC00002' });
    f = await coreFixture({ directory: file });
    const n = await toSecretariat(f.deps, { kind: 'delivery_failed', advisoryId: 'A', title: 't', tlp: 'TLP:CLEAR', drill: false, memberName: { ja: 'x', en: 'x' }, reason: 'r' }, 'key-1', new Date(T0));
    expect(n).toBe(2);
    expect(f.chat.posts.map((p) => [p.target.channelId, p.key])).toEqual([
      ['C0SEC00001', 'key-1'],
      ['C0SEC00002', 'key-1'],
    ]);
    expect(f.chat.finds).toBe(0);
    // Asked again (the job run again): each channel is looked at, and found.
    expect(await toSecretariat(f.deps, { kind: 'delivery_failed', advisoryId: 'A', title: 't', tlp: 'TLP:CLEAR', drill: false, memberName: { ja: 'x', en: 'x' }, reason: 'r' }, 'key-1', new Date(T0))).toBe(2);
    expect(f.chat.finds).toBe(2);
    expect(f.chat.posts).toHaveLength(2);
  });
});

describe('refreshing messages', () => {
  beforeEach(async () => {
    f = await coreFixture();
  });

  it('re-renders every message of a delivery from the stored state', async () => {
    const { deliveries } = await issueAndPost(f);
    const d = deliveries[0]!;
    await f.core.acknowledgeFromMessage({ actor: JMA_STAFF, message: advisoryMessage(f, 'C0JMA00001') });
    expect(await f.core.refreshMessages(d.id)).toBe(1);
    expect(f.chat.updates).toEqual([{ ref: advisoryMessage(f, 'C0JMA00001'), key: d.id, message: { kind: 'advisory', view: expect.objectContaining({ deliveryId: d.id, acknowledged: { by: JMA_STAFF.name, at: T0, via: 'button' } }) } }]);
    expect(await f.core.deliveryView(d.id)).toEqual(f.chat.updates[0]?.message.view);
  });

  it('has nothing to update on a platform this process has no adapter for', async () => {
    const file = await exampleDirectoryFile();
    file.organisations.find((o) => o.id === 'jda')!.channels = [{ platform: 'teams', workspace: 'tenant-1', team: '19:t@thread.tacv2', id: '19:jda@thread.tacv2', sharedOutside: false }];
    await f.close();
    f = await coreFixture({ directory: file });
    const { deliveries } = await issueAndPost(f, ['jda']);
    const d = deliveries[0]!;
    await f.store.saveDelivery({ ...d, version: d.version + 1, messages: [{ platform: 'teams', channelId: '19:jda@thread.tacv2', messageId: '1' }] });
    expect(await f.core.refreshMessages(d.id)).toBe(0);
    expect(f.chat.updates).toEqual([]);
  });

  it('has nothing to update for a delivery never posted', async () => {
    f.chat.failPosts = () => refusal('channel_gone');
    const { deliveries } = await issueAndPost(f);
    expect(await f.core.refreshMessages(deliveries[0]!.id)).toBe(0);
    expect(f.chat.updates).toEqual([]);
  });

  it('re-renders a claimed task\'s copy, under the key it was handed over with; a message on a platform without an adapter is left', async () => {
    const { deliveries } = await issueAndPost(f);
    const { task, message } = await untilClaimed(f, deliveries[0]!.id);
    f.chat.updates.length = 0;
    expect(await f.core.refreshPhoneTask(task.id)).toBe(1);
    expect(f.chat.updates).toEqual([{ ref: message, key: `${task.id}.to.${ONCALL.userId}`, message: { kind: 'phone_task', view: expect.objectContaining({ taskId: task.id, state: 'claimed', claimedBy: ONCALL.name }) } }]);
    expect(await f.core.phoneTaskView(task.id)).toEqual(f.chat.updates[0]?.message.view);
    const stored = (await f.store.getPhoneTask(task.id))!;
    await f.store.savePhoneTask({ ...stored, version: stored.version + 1, messages: [...stored.messages, { platform: 'teams', channelId: '19:x', messageId: '1' }] });
    expect(await f.core.refreshPhoneTask(task.id)).toBe(1);
  });

  it('says which record is missing', async () => {
    await expect(f.core.refreshMessages('nope')).rejects.toMatchObject({ code: 'DELIVERY.NOT_FOUND', detail: { deliveryId: 'nope' } });
    await expect(f.core.refreshPhoneTask('nope')).rejects.toMatchObject({ code: 'PHONE.NOT_FOUND', detail: { taskId: 'nope' } });
    const { deliveries } = await issueAndPost(f);
    const orphan = { ...deliveries[0]!, id: 'ADV-2026-0999.jma.slack-C0JMA00001', advisoryId: 'ADV-2026-0999', messages: [] };
    await f.store.ensureDeliveries([orphan]);
    await expect(f.core.refreshMessages(orphan.id)).rejects.toMatchObject({ code: 'ADVISORY.NOT_FOUND', detail: { deliveryId: orphan.id } });
    await f.store.ensurePhoneTask(newPhoneTask(orphan, f.clock.now()));
    await expect(f.core.refreshPhoneTask(`${orphan.id}.phone`)).rejects.toMatchObject({ code: 'ADVISORY.NOT_FOUND', detail: { taskId: `${orphan.id}.phone` } });
  });
});

describe('giving up', () => {
  beforeEach(async () => {
    f = await coreFixture();
  });

  it('a failure alert that could not be posted: the operators are told once, and it is not owed any more', async () => {
    f.chat.failPosts = () => refusal('channel_gone');
    const { advisory, deliveries } = await issueAndPost(f);
    const d = deliveries[0]!;
    const work = { kind: 'failure-alert' as const, scope: advisory.uid!, deliveryId: d.id };
    await f.core.giveUp(work, 'internal_error');
    expect((await f.store.getDelivery(d.id))?.failure?.alerted).toEqual({ at: T0, ok: false });
    const errors = f.lines.filter((l) => l.level === 'error');
    expect(errors.map((l) => l.obj)).toEqual([{ advisoryId: advisory.id, memberId: 'jma', deliveryId: d.id, code: 'channel_gone', reason: 'internal_error' }]);
    await f.core.giveUp(work, 'again');
    expect(f.lines.filter((l) => l.level === 'error')).toHaveLength(1);
    expect((await f.store.listOwedDeliveries({ limit: 10 })).deliveries.map((x) => x.nextStep?.kind)).toEqual(['phone']);
  });

  it('the worker and the reconciler giving up the same failure alert at once: the operators are told once', async () => {
    f.chat.failPosts = () => refusal('channel_gone');
    const { advisory, deliveries } = await issueAndPost(f);
    const work = { kind: 'failure-alert' as const, scope: advisory.uid!, deliveryId: deliveries[0]!.id };
    await Promise.all([f.core.giveUp(work, 'a'), f.core.giveUp(work, 'b')]);
    expect(f.lines.filter((l) => l.level === 'error')).toHaveLength(1);
  });

  it('a failure alert for a delivery that did not fail is nothing', async () => {
    const { advisory, deliveries } = await issueAndPost(f);
    await f.core.giveUp({ kind: 'failure-alert', scope: advisory.uid!, deliveryId: deliveries[0]!.id }, 'x');
    expect(await f.store.getDelivery(deliveries[0]!.id)).toEqual(deliveries[0]);
    expect(f.lines.filter((l) => l.level === 'error')).toEqual([]);
  });

  it('a post that gave up fails the delivery with the last error; one already posted or failed is left', async () => {
    const { advisory, deliveries } = await issueAndPost(f);
    await f.core.giveUp({ kind: 'deliver', scope: advisory.uid!, deliveryId: deliveries[0]!.id }, 'ratelimited');
    expect((await f.store.getDelivery(deliveries[0]!.id))?.state).toBe('posted');
    f.chat.failPosts = () => refusal('archived');
    const failed = await issueAndPost(f, ['jpa']);
    f.chat.failPosts = undefined;
    const before = await f.store.getDelivery(failed.deliveries[0]!.id);
    await f.core.giveUp({ kind: 'deliver', scope: failed.advisory.uid!, deliveryId: failed.deliveries[0]!.id }, 'ratelimited');
    expect(await f.store.getDelivery(failed.deliveries[0]!.id)).toEqual(before);
    expect(f.jobs.ensured).toEqual([]);
    const r = await f.core.issueAdvisory({ actor: SECRETARIAT, requestKey: 'gave-up', input: { title: 't', body: 'b', source: 'nisc', tlp: 'TLP:CLEAR', severity: 'level2', category: 'notice', targets: { members: ['jda'] } } });
    await f.core.giveUp({ kind: 'deliver', scope: r.advisory.uid!, deliveryId: r.deliveries[0]!.id }, 'ratelimited');
    expect(await f.store.getDelivery(r.deliveries[0]!.id)).toMatchObject({ state: 'failed', failure: { code: 'RETRIES_EXHAUSTED', detail: 'ratelimited' } });
  });

  it('the "issued" notice: the operators are told once, and it is not owed any more', async () => {
    const { advisory } = await issueAndPost(f);
    const work = { kind: 'announce' as const, scope: advisory.uid!, advisoryId: advisory.id };
    await f.core.giveUp(work, 'internal_error');
    await f.core.giveUp(work, 'internal_error');
    expect((await f.store.getAdvisory(advisory.id))?.announced).toEqual({ at: T0, ok: false });
    expect(f.lines.filter((l) => l.level === 'error').map((l) => l.obj)).toEqual([{ advisoryId: advisory.id, reason: 'internal_error' }]);
    expect(await f.store.listUnannouncedAdvisories()).toEqual([]);
    // Nothing for an advisory the store does not have.
    await f.core.giveUp({ ...work, advisoryId: 'ADV-2026-0999' }, 'x');
    expect(f.lines.filter((l) => l.level === 'error')).toHaveLength(1);
  });

  it('a message update: only a warning, the stored state is unaffected', async () => {
    const { advisory, deliveries } = await issueAndPost(f);
    const before = await f.store.getDelivery(deliveries[0]!.id);
    await f.core.giveUp({ kind: 'refresh', scope: advisory.uid!, deliveryId: deliveries[0]!.id, revision: 1 }, 'x');
    await f.core.giveUp({ kind: 'refresh-phone', scope: advisory.uid!, taskId: 't', revision: 1 }, 'x');
    expect(await f.store.getDelivery(deliveries[0]!.id)).toEqual(before);
    expect(f.lines.filter((l) => l.level === 'warn')).toHaveLength(2);
    expect(f.lines.filter((l) => l.level === 'error')).toEqual([]);
  });

  it('work for a record this store does not have (an earlier store\'s job) is nothing; other errors are thrown', async () => {
    await f.core.giveUp({ kind: 'deliver', scope: 'u0', deliveryId: 'ADV-2026-0999.jma.slack-C1' }, 'x');
    await f.core.giveUp({ kind: 'step', deliveryId: 'ADV-2026-0999.jma.slack-C1', token: 'k', step: 'phone', index: 0, at: new Date(T0) }, 'x');
    // A delivery this store has, whose advisory it does not.
    const { deliveries: kept } = await issueAndPost(f);
    const orphan = { ...kept[0]!, id: 'ADV-2026-0998.jma.slack-C0JMA00001', advisoryId: 'ADV-2026-0998', messages: [] };
    await f.store.ensureDeliveries([orphan]);
    await f.core.giveUp({ kind: 'step', deliveryId: orphan.id, token: orphan.escalationToken, step: 'reminder', index: 0, at: new Date(T0) }, 'x');
    expect(f.lines.filter((l) => l.level === 'warn')).toHaveLength(3);
    const { advisory, deliveries } = await issueAndPost(f);
    f.store.getDelivery = async () => {
      throw new BotError('STORE.CONFLICT', 'x');
    };
    await expect(f.core.giveUp({ kind: 'deliver', scope: advisory.uid!, deliveryId: deliveries[0]!.id }, 'x')).rejects.toMatchObject({ code: 'STORE.CONFLICT' });
  });

  it('a step whose secretariat notice cannot be posted anywhere: logged at error level, the ladder goes on', async () => {
    await f.close();
    f = await coreFixture({ directory: await secretariatOnTeams() });
    const { deliveries } = await issueAndPost(f);
    const d = deliveries[0]!;
    await f.core.giveUp({ kind: 'step', deliveryId: d.id, token: d.escalationToken, step: 'reminder', index: 0, at: new Date(minutes(40)) }, 'not_in_channel');
    expect(f.lines.filter((l) => l.level === 'error').map((l) => l.obj)).toEqual([{ advisoryId: d.advisoryId, memberId: 'jma', deliveryId: d.id, step: 'reminder', reason: 'not_in_channel' }]);
    expect((await f.store.getDelivery(d.id))?.nextStep?.kind).toBe('phone');
  });

  it('a step whose secretariat notice fails to post: both logged, the give-up still recorded, the ladder goes on', async () => {
    const { deliveries } = await issueAndPost(f);
    const d = deliveries[0]!;
    f.chat.failPosts = () => new ChatError('transient', 'internal_error');
    await f.core.giveUp({ kind: 'step', deliveryId: d.id, token: d.escalationToken, step: 'reminder', index: 0, at: new Date(minutes(40)) }, 'not_in_channel');
    expect(f.lines.filter((l) => l.level === 'error')).toHaveLength(2);
    expect((await f.store.getDelivery(d.id))).toMatchObject({ ladder: { kind: 'reminder', gaveUp: true }, nextStep: { kind: 'phone' } });
    expect((await f.store.listAudit(d.advisoryId)).filter((e) => e.action === 'escalation.gave_up')).toEqual([
      { id: `${d.id}.esc.${d.escalationToken}.reminder.gave-up`, at: T0, action: 'escalation.gave_up', advisoryId: d.advisoryId, deliveryId: d.id, detail: { step: 'reminder', reason: 'not_in_channel' } },
    ]);
  });

  it('a step given up whose secretariat notice was posted logs nothing at error level, and records the give-up in the ledger', async () => {
    const { deliveries } = await issueAndPost(f);
    const d = deliveries[0]!;
    const finished: unknown[] = [];
    const finishStep = f.store.finishStep.bind(f.store);
    f.store.finishStep = async (ref, finish) => {
      finished.push(finish);
      await finishStep(ref, finish);
    };
    await f.core.giveUp({ kind: 'step', deliveryId: d.id, token: d.escalationToken, step: 'reminder', index: 0, at: new Date(minutes(40)) }, 'x');
    expect(f.chat.in('C0SEC00001', 'notice')).toHaveLength(1);
    expect(f.lines.filter((l) => l.level === 'error')).toEqual([]);
    expect(finished).toEqual([{ owner: expect.stringMatching(/^give-up\./), at: T0, outcome: 'gave_up' }]);
  });

  it('a step another run holds is left to it', async () => {
    const { deliveries } = await issueAndPost(f);
    const d = deliveries[0]!;
    await f.store.claimStep({ deliveryId: d.id, token: d.escalationToken, key: 'reminder' }, { owner: 'live', at: T0, until: minutes(10) });
    await f.core.giveUp({ kind: 'step', deliveryId: d.id, token: d.escalationToken, step: 'reminder', index: 0, at: new Date(minutes(40)) }, 'x');
    expect(f.chat.in('C0SEC00001')).toEqual([]);
    expect((await f.store.getDelivery(d.id))?.nextStep?.kind).toBe('reminder');
  });
});

describe('conversations the bot was added to', () => {
  beforeEach(async () => {
    f = await coreFixture();
  });

  it('are remembered once, audited when added and when removed, and found again', async () => {
    const record = { platform: 'teams' as const, conversationId: '19:c@thread.tacv2', tenantId: 'tenant-1', serviceUrl: 'https://smba.example/jp/', kind: 'channel' as const, botId: '28:bot', removed: false, teamId: '19:t@thread.tacv2' };
    await f.core.recordConversation(record);
    f.clock.set(minutes(1));
    await f.core.recordConversation(record);
    expect(await f.core.findConversation('teams', record.conversationId)).toEqual({ ...record, updatedAt: minutes(1) });
    expect(await f.core.conversationInTenant('teams', 'tenant-1')).toEqual({ ...record, updatedAt: minutes(1) });
    f.clock.set(minutes(2));
    await f.core.recordConversation({ ...record, removed: true });
    expect(f.audit).toEqual([
      { id: `conversation.teams.${record.conversationId}.added.${T0}`, at: T0, action: 'conversation.added', detail: { platform: 'teams', conversationId: record.conversationId, tenantId: 'tenant-1', teamId: record.teamId, kind: 'channel' } },
      { id: `conversation.teams.${record.conversationId}.removed.${minutes(2)}`, at: minutes(2), action: 'conversation.removed', detail: { platform: 'teams', conversationId: record.conversationId, tenantId: 'tenant-1', teamId: record.teamId, kind: 'channel' } },
    ]);
    expect(f.lines.filter((l) => l.msg === 'conversation recorded').map((l) => l.obj)).toEqual([
      { platform: 'teams', conversationId: record.conversationId, removed: false },
      { platform: 'teams', conversationId: record.conversationId, removed: true },
    ]);
  });
});
