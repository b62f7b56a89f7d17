/**
 * The phone-task board (issue 14 part 2) through in-memory ports: an advisory's phone tasks on pages of forty in each
 * on-call channel, each page posted once (the step ledger) and edited only when what it shows changes; a claim from
 * the board, one claimer winning; the claimer's copy in their direct conversation (under the board where none can be
 * opened), posted once per claimer and round; a claim whose copy was lost found again by the board's refresh; and the
 * board of an advisory that ended.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { LOOKBACK_MS } from '../../../src/commands/ladder.js';
import { pageFingerprint } from '../../../src/commands/phone-board.js';
import { DirectoryFile } from '../../../src/directory/schema.js';
import type { Advisory } from '../../../src/domain/advisory.js';
import { claim } from '../../../src/domain/phone-task.js';
import type { Actor, MessageRef } from '../../../src/domain/platform.js';
import { isBotError, type ErrorCode } from '../../../src/errors.js';
import { ChatError, type OutboundView } from '../../../src/ports/chat.js';
import type { PhoneBoardView } from '../../../src/view/views.js';
import { phoneBoardLines } from '../../../src/view/phone-board-lines.js';
import { largeDirectory } from '../../support/large-directory.js';
import { coreFixture, exampleDirectoryFile, ISSUE_INPUT, ONCALL, raceNext, refusal as chatRefusal, SECRETARIAT, T0, workKey, type CoreFixture, type Posted } from '../../support/core-fixture.js';
import {
  advisoryMessage,
  boardKey,
  boardPost,
  boardShown,
  claimTask,
  copiesTo,
  drainBoard,
  drainLifecycle,
  issueAndPost,
  JMA_STAFF,
  minutes,
  ONCALL_B,
  ONCALL_CHANNEL,
  OUTSIDER,
  reachedChoice,
} from './helpers.js';

let f: CoreFixture;
afterEach(async () => {
  await f.close();
});

const boardView = (p: Posted): PhoneBoardView => (p.message as Extract<OutboundView, { kind: 'phone_board' }>).view;
const boardPosts = () => f.chat.in(ONCALL_CHANNEL, 'phone_board');
const boardEdits = () => f.chat.updates.filter((u) => u.message.kind === 'phone_board');
/** How many times the message of page `n` was edited. */
const editsOf = (advisoryId: string, n: number) => boardEdits().filter((u) => u.ref.messageId === boardPost(f, advisoryId, n).ref.messageId).length;
const stored = async (id: string): Promise<Advisory> => (await f.store.getAdvisory(id))!;
const claimFrom = (actor: Actor, message: MessageRef, taskId: string) => f.core.claimFromBoard({ actor, message, taskId });

async function refused(p: Promise<unknown>, code: ErrorCode): Promise<Record<string, unknown>> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isBotError(err, code), `expected ${code}, got ${String(err)}`).toBe(true);
  return (err as { detail: Record<string, unknown> }).detail;
}

/** A sector of `n` generated members (lg-0001 …), whose on-call staff are the example's A and B. */
async function sector(n: number): Promise<string[]> {
  const file = largeDirectory(n) as { oncall: { users: Actor[] } };
  file.oncall.users = [ONCALL, ONCALL_B];
  f = await coreFixture({ directory: DirectoryFile.parse(file) });
  return Array.from({ length: n }, (_, i) => `lg-${String(i + 1).padStart(4, '0')}`);
}

const taskIdOf = (advisoryId: string, member: string) => `${advisoryId}.${member}.slack-C0${member.replace('lg-', 'LG')}.phone`;

/** An advisory to `members`, posted to each; nobody acknowledges. */
async function issued(members: string[]): Promise<{ advisory: Advisory; ids: string[] }> {
  const { advisory, deliveries } = await f.core.issueAdvisory({
    actor: SECRETARIAT,
    requestKey: `board-${members.length}-${members[0]}`,
    input: { ...ISSUE_INPUT, targets: { allMembers: false, observers: false, groups: [], members } },
  });
  for (const d of deliveries) await f.core.deliver(d.id);
  return { advisory, ids: deliveries.map((d) => d.id) };
}

/**
 * Run the ladders of `ids` up to and including their phone steps, in the order given, the phone steps `spacingMs`
 * apart (from each one's time): the tasks open in that order. The board's updates are left queued.
 */
async function toPhone(ids: string[], spacingMs = 0): Promise<void> {
  for (const id of ids) {
    const d = (await f.store.getDelivery(id))!;
    if (d.nextStep?.kind !== 'reminder') continue;
    f.clock.set(d.nextStep.at);
    await f.core.runEscalationStep({ deliveryId: id, token: d.escalationToken, kind: 'reminder', index: 0 });
  }
  let at = 0;
  for (const id of ids) {
    const d = (await f.store.getDelivery(id))!;
    if (d.nextStep?.kind !== 'phone') throw new Error(`${id} does not owe its phone step`);
    at = Math.max(at + spacingMs, Date.parse(d.nextStep.at));
    f.clock.set(new Date(at).toISOString());
    await f.core.runEscalationStep({ deliveryId: id, token: d.escalationToken, kind: 'phone', index: 0 });
  }
}

/**
 * The example directory's jma and jda, both silent until their phone tasks are open, jma's a second first (so it is
 * the board's first row); the board is not drawn yet.
 */
async function twoTasks(): Promise<{ advisory: Advisory; jma: string; jda: string }> {
  const { advisory, deliveries } = await issueAndPost(f, ['jma', 'jda']);
  await toPhone(deliveries.map((d) => d.id), 1_000);
  return { advisory, jma: `${deliveries[0]!.id}.phone`, jda: `${deliveries[1]!.id}.phone` };
}

describe('the pages', () => {
  it('show every open task exactly once, forty to a page (85: 40, 40 and 5), in the order the tasks opened; each page posted once', async () => {
    const members = await sector(85);
    const { advisory, ids } = await issued(members);
    // Opened last member first, a second apart: the board's order is when they opened, not their names.
    await toPhone([...ids].reverse(), 1_000);
    const tasks = await f.store.listPhoneTasks(advisory.id);
    expect(tasks).toHaveLength(85);
    // Nothing per task: the steps asked for the board's update, one job for every step within an interval.
    expect(f.chat.in(ONCALL_CHANNEL)).toEqual([]);
    const jobs = f.jobs.of('phone-board');
    expect(jobs.length).toBeGreaterThanOrEqual(85);
    expect(new Set(jobs.map(workKey)).size).toBeLessThan(jobs.length / 4);

    expect(await f.core.refreshPhoneBoard(advisory.id)).toBe(3);
    const posts = boardPosts();
    expect(posts.map((p) => p.key)).toEqual([1, 2, 3].map((n) => boardKey(advisory.id, n)));
    const views = posts.map(boardView);
    expect(views.map((v) => [v.page, v.pages, v.rows.length])).toEqual([
      [1, 3, 40],
      [2, 3, 40],
      [3, 3, 5],
    ]);
    const shown = views.flatMap((v) => v.rows.map((r) => r.taskId));
    expect(shown).toEqual([...members].reverse().map((m) => taskIdOf(advisory.id, m)));
    expect(new Set(shown).size).toBe(85);
    expect(views[0]!.rows[0]).toMatchObject({ memberName: { en: 'Municipality 0085' }, state: 'open', tried: 0, contacts: 1 });
    // The whole board's counts, on page 1 only.
    expect(views[0]!.counts).toStrictEqual({ open: 85, claimed: 0, overdue: 0, reached: 0, acknowledged: 0, cancelled: 0 });
    expect(views[1]).not.toHaveProperty('counts');
    expect(views[2]).not.toHaveProperty('counts');
    expect(views.every((v) => v.advisoryId === advisory.id && v.title === advisory.title && v.tlp === 'TLP:AMBER' && v.severity === 'level3' && !v.closed && !v.drill)).toBe(true);
    // The advisory records where each page is and what it shows (a short fingerprint, different for each page).
    expect((await stored(advisory.id)).phoneBoard).toEqual(posts.map((p, i) => ({ n: i + 1, messages: [p.ref], shown: pageFingerprint(views[i]!) })));
    const prints = views.map(pageFingerprint);
    expect(prints.every((x) => /^[A-Za-z0-9_-]{16}$/.test(x))).toBe(true);
    expect(new Set(prints).size).toBe(3);
    // A first-round task says nothing of rounds.
    expect(views[2]!.rows[4]).toStrictEqual({
      taskId: taskIdOf(advisory.id, members[0]!),
      memberName: { ja: '横浜市', en: 'Yokohama City' },
      state: 'open',
      tried: 0,
      contacts: 1,
      dueAt: tasks.find((t) => t.memberId === members[0])!.createdAt,
      exhausted: false,
    });
    // The updates still queued find the board as it is: nothing posted or edited again.
    await drainBoard(f);
    expect(boardPosts()).toHaveLength(3);
    expect(boardEdits()).toEqual([]);
  });

  it('a new task takes the next row of the last page, or opens a new page past a full one; earlier rows keep their places', async () => {
    const members = await sector(82);
    const { advisory, ids } = await issued(members);
    await toPhone(ids.slice(0, 80));
    await drainBoard(f);
    expect(boardPosts().map((p) => [p.key, boardView(p).rows.length])).toEqual([
      [boardKey(advisory.id, 1), 40],
      [boardKey(advisory.id, 2), 40],
    ]);
    const before = [boardShown(f, advisory.id, 1).rows, boardShown(f, advisory.id, 2).rows];

    // The 81st: a new page, with its one row; page 1 says the board now has three pages and 81 tasks.
    await toPhone([ids[80]!]);
    await drainBoard(f);
    expect(boardPosts()).toHaveLength(3);
    expect(boardShown(f, advisory.id, 3)).toMatchObject({ page: 3, pages: 3, rows: [{ taskId: taskIdOf(advisory.id, members[80]!) }] });
    expect(boardShown(f, advisory.id, 1)).toMatchObject({ pages: 3, counts: { open: 81 } });
    expect(editsOf(advisory.id, 1)).toBe(1);
    expect([boardShown(f, advisory.id, 1).rows, boardShown(f, advisory.id, 2).rows]).toEqual(before);

    // The 82nd: the next row of page 3. Page 2 shows nothing new and is left alone.
    const page2Edits = editsOf(advisory.id, 2);
    await toPhone([ids[81]!]);
    await drainBoard(f);
    expect(boardPosts()).toHaveLength(3);
    expect(boardShown(f, advisory.id, 3).rows.map((r) => r.taskId)).toEqual([taskIdOf(advisory.id, members[80]!), taskIdOf(advisory.id, members[81]!)]);
    expect(boardShown(f, advisory.id, 1).counts).toMatchObject({ open: 82 });
    expect(editsOf(advisory.id, 1)).toBe(2);
    expect(editsOf(advisory.id, 2)).toBe(page2Edits);
    expect(editsOf(advisory.id, 3)).toBe(1);
  });

  it('a change to one task edits only its page, and page 1 when the counts change; an ended task keeps its row', async () => {
    const members = await sector(45);
    const { advisory, ids } = await issued(members);
    await toPhone(ids, 1_000);
    await drainBoard(f);
    const onPage2 = taskIdOf(advisory.id, members[42]!);
    expect(boardShown(f, advisory.id, 2).rows.map((r) => r.taskId)).toContain(onPage2);

    // Claimed: its row (page 2) and the counts (page 1).
    const { message } = await claimTask(f, { id: onPage2, advisoryId: advisory.id }, ONCALL);
    expect([editsOf(advisory.id, 1), editsOf(advisory.id, 2)]).toEqual([1, 1]);
    expect(boardShown(f, advisory.id, 1).counts).toMatchObject({ open: 44, claimed: 1 });
    expect(boardShown(f, advisory.id, 2).rows[2]).toMatchObject({ taskId: onPage2, state: 'claimed', claimedBy: ONCALL.name });
    expect(boardShown(f, advisory.id, 2)).not.toHaveProperty('counts');

    // A call without answer: the row says one contact was tried; the counts do not change, page 1 is left alone.
    await f.core.phoneTaskAction({ actor: ONCALL, message, action: 'no_answer' });
    await drainBoard(f);
    expect([editsOf(advisory.id, 1), editsOf(advisory.id, 2)]).toEqual([1, 2]);
    expect(boardShown(f, advisory.id, 2).rows[2]).toMatchObject({ taskId: onPage2, tried: 1, exhausted: true });

    // Reached: done, kept in its place (marked, not removed), counted.
    await f.core.phoneTaskAction({ actor: ONCALL, message, action: 'reached', choice: await reachedChoice(f, onPage2, 0) });
    await drainBoard(f);
    expect([editsOf(advisory.id, 1), editsOf(advisory.id, 2)]).toEqual([2, 3]);
    expect(boardShown(f, advisory.id, 2).rows.map((r) => r.taskId)).toEqual(members.slice(40).map((m) => taskIdOf(advisory.id, m)));
    expect(boardShown(f, advisory.id, 2).rows[2]).toMatchObject({ state: 'done', resolution: { kind: 'reached', by: ONCALL.name } });
    expect(boardShown(f, advisory.id, 1).counts).toMatchObject({ open: 44, claimed: 0, reached: 1 });
    // Each edit keeps the page findable by its key.
    expect(new Set(boardEdits().map((u) => u.key))).toEqual(new Set([boardKey(advisory.id, 1), boardKey(advisory.id, 2)]));
  });

  it('a refresh that finds every page showing the same leaves them alone: the time it was drawn is no change', async () => {
    f = await coreFixture();
    const { advisory } = await twoTasks();
    await drainBoard(f);
    const version = (await stored(advisory.id)).version;
    f.clock.set(minutes(200));
    expect(await f.core.refreshPhoneBoard(advisory.id)).toBe(0);
    expect(boardEdits()).toEqual([]);
    expect((await stored(advisory.id)).version).toBe(version);
    expect(f.jobs.of('phone-board')).toEqual([]);
  });

  it('two refreshes editing a page to the same drawing at once: the record says so once, and neither fails', async () => {
    f = await coreFixture();
    const { advisory, jma } = await twoTasks();
    await drainBoard(f);
    await claimFrom(ONCALL, boardPost(f, advisory.id).ref, jma);
    f.jobs.ensured.length = 0;
    // While this refresh's edit is on its way, another run edits the page to the same drawing and records it.
    const update = f.chat.update.bind(f.chat);
    f.chat.update = async (ref, message, key) => {
      f.chat.update = update;
      await update(ref, message, key);
      const a = await stored(advisory.id);
      const shown = pageFingerprint((message as Extract<OutboundView, { kind: 'phone_board' }>).view);
      await f.store.saveAdvisory({ ...a, version: (a.version ?? 0) + 1, phoneBoard: [{ ...a.phoneBoard![0]!, shown }] });
    };
    const version = (await stored(advisory.id)).version ?? 0;
    expect(await f.core.refreshPhoneBoard(advisory.id)).toBe(1);
    expect((await stored(advisory.id)).version).toBe(version + 1);
    expect((await stored(advisory.id)).phoneBoard?.[0]?.shown).toBe(pageFingerprint(boardShown(f, advisory.id)));
  });

  it('every page goes into every on-call channel, and every copy of a page is edited', async () => {
    const file = await exampleDirectoryFile();
    file.oncall.channels.push({ platform: 'slack', workspace: 'T0CEPTOAR0', id: 'C0ONC00002' });
    f = await coreFixture({ directory: file });
    const { advisory, jma } = await twoTasks();
    expect(await f.core.refreshPhoneBoard(advisory.id)).toBe(2);
    const [here, there] = [f.chat.in(ONCALL_CHANNEL, 'phone_board'), f.chat.in('C0ONC00002', 'phone_board')];
    expect([here.length, there.length]).toEqual([1, 1]);
    expect(there[0]!.key).toBe(boardKey(advisory.id));
    expect((await stored(advisory.id)).phoneBoard).toEqual([{ n: 1, messages: [here[0]!.ref, there[0]!.ref], shown: expect.any(String) }]);
    // A claim from either copy of the page is a claim from the board.
    await claimFrom(ONCALL, there[0]!.ref, jma);
    await drainBoard(f);
    expect(boardEdits().map((u) => u.ref)).toEqual([here[0]!.ref, there[0]!.ref]);
    expect(boardEdits().map((u) => u.message.kind === 'phone_board' && u.message.view.rows.find((r) => r.taskId === jma)?.claimedBy)).toEqual([ONCALL.name, ONCALL.name]);
  });

  it('asks for another update when the tasks changed while it drew them, and for none when they did not', async () => {
    f = await coreFixture();
    const { advisory, jma, jda } = await twoTasks();
    await drainBoard(f);
    const { message: copy } = await claimTask(f, { id: jma, advisoryId: advisory.id }, ONCALL);
    // A call makes the board differ; its refresh's edit is on its way when jda is claimed (straight into the store).
    await f.core.phoneTaskAction({ actor: ONCALL, message: copy, action: 'no_answer' });
    f.jobs.ensured.length = 0;
    const update = f.chat.update.bind(f.chat);
    f.chat.update = async (ref, message, key) => {
      f.chat.update = update;
      const t = claim((await f.store.getPhoneTask(jda))!, ONCALL_B, f.clock.now());
      if (t.changed) await f.store.savePhoneTask(t.next);
      return update(ref, message, key);
    };
    expect(await f.core.refreshPhoneBoard(advisory.id)).toBe(1);
    expect(boardShown(f, advisory.id).rows.map((r) => r.claimedBy)).toEqual([ONCALL.name, undefined]);
    expect(f.jobs.of('phone-board').map((w) => w.advisoryId)).toEqual([advisory.id]);
    // That next update draws jda's claim, and finds its claimer has no copy yet.
    await drainBoard(f);
    expect(boardShown(f, advisory.id).rows.map((r) => r.claimedBy)).toEqual([ONCALL.name, ONCALL_B.name]);
    expect(copiesTo(f, ONCALL_B.userId).map((p) => (p.message.view as { taskId: string }).taskId)).toEqual([jda]);
    // Nothing changed since: a refresh asks for nothing more.
    f.jobs.ensured.length = 0;
    await f.core.refreshPhoneBoard(advisory.id);
    expect(f.jobs.ensured).toEqual([]);
  });

  it('of an advisory with no phone task, or no advisory at all, is nothing, wherever the on-call channel is', async () => {
    const file = await exampleDirectoryFile();
    file.oncall.channels = [{ platform: 'teams', workspace: 'tenant-1', id: '19:oncall@thread.tacv2' }];
    f = await coreFixture({ directory: file });
    const { advisory } = await issueAndPost(f, ['jma']);
    expect(await f.core.refreshPhoneBoard(advisory.id)).toBe(0);
    expect(await f.core.refreshPhoneBoard('ADV-2026-0999')).toBe(0);
    expect(f.chat.in(ONCALL_CHANNEL)).toEqual([]);
    expect((await stored(advisory.id)).phoneBoard).toBeUndefined();
    expect(f.jobs.ensured).toEqual([]);
    expect(f.lines.filter((l) => l.level === 'error')).toEqual([]);
  });

  it('page n as it reads now is there for a platform that answers a press with it; a page or advisory that is not is refused', async () => {
    const members = await sector(41);
    const { advisory, ids } = await issued(members);
    await toPhone(ids);
    f.clock.set(minutes(99));
    const two = await f.core.phoneBoardPage(advisory.id, 2);
    expect(two).toMatchObject({ page: 2, pages: 2, rows: [{ taskId: taskIdOf(advisory.id, members[40]!) }], asOf: minutes(99) });
    expect((await f.core.phoneBoardPage(advisory.id, 1)).rows).toHaveLength(40);
    await expect(f.core.phoneBoardPage(advisory.id, 3)).rejects.toMatchObject({ code: 'PHONE.NOT_FOUND', detail: { advisoryId: advisory.id, page: 3 } });
    await expect(f.core.phoneBoardPage(advisory.id, 0)).rejects.toMatchObject({ code: 'PHONE.NOT_FOUND' });
    await expect(f.core.phoneBoardPage('ADV-2026-0999', 1)).rejects.toMatchObject({ code: 'ADVISORY.NOT_FOUND', detail: { advisoryId: 'ADV-2026-0999' } });
  });
});

describe('posting a page once', () => {
  const since = new Date(Date.parse(T0) - LOOKBACK_MS);

  it('two refreshes at once: one posts the page, the other waits for it (the step ledger)', async () => {
    f = await coreFixture();
    const { advisory } = await twoTasks();
    let open!: () => void;
    let arrived!: () => void;
    const posting = new Promise<void>((resolve) => (arrived = resolve));
    const held = new Promise<void>((resolve) => (open = resolve));
    f.chat.gate = () => {
      arrived();
      return held;
    };
    const first = f.core.refreshPhoneBoard(advisory.id);
    await posting;
    // The second waits for the first's lease (its job comes back then) rather than leaving the page to a run that may
    // have died.
    await expect(f.core.refreshPhoneBoard(advisory.id)).rejects.toMatchObject({ code: 'STEP.BUSY', detail: { retryAfterMs: 30_000, step: { deliveryId: `${advisory.id}.board`, key: 'p1' } } });
    f.chat.gate = undefined;
    open();
    expect(await first).toBe(1);
    expect(boardPosts()).toHaveLength(1);
    expect((await stored(advisory.id)).phoneBoard).toEqual([{ n: 1, messages: [boardPosts()[0]!.ref], shown: expect.any(String) }]);
    expect(f.chat.finds).toBe(0);
    // The update the first asked for after posting finds the page as it is.
    await drainBoard(f);
    expect(boardPosts()).toHaveLength(1);
    expect(boardEdits()).toEqual([]);
  });

  it('a refresh refused with a 429 before its first post records nothing; the retry posts at once, without searching', async () => {
    f = await coreFixture();
    const { advisory } = await twoTasks();
    f.chat.failPosts = (target) => (target.channelId === ONCALL_CHANNEL ? new ChatError('rate_limited', 'ratelimited', { retryAfterMs: 1_000 }) : undefined);
    await expect(f.core.refreshPhoneBoard(advisory.id)).rejects.toMatchObject({ kind: 'rate_limited' });
    await expect(f.core.refreshPhoneBoard(advisory.id)).rejects.toMatchObject({ kind: 'rate_limited' });
    expect((await stored(advisory.id)).phoneBoard).toBeUndefined();
    f.chat.failPosts = undefined;
    expect(await f.core.refreshPhoneBoard(advisory.id)).toBe(1);
    expect(f.chat.finds).toBe(0);
    expect(boardPosts()).toHaveLength(1);
    // Done in the ledger.
    const step = { deliveryId: `${advisory.id}.board`, token: advisory.uid!, key: 'p1' };
    expect((await f.store.claimStep(step, { owner: 'later', at: f.clock.now().toISOString(), until: minutes(999) })).outcome).toBe('done');
  });

  it('a refresh whose post timed out: the retry searches, back to five minutes before the issue, and keeps the post the first made', async () => {
    f = await coreFixture();
    const { advisory } = await twoTasks();
    let attempted: OutboundView | undefined;
    f.chat.failPosts = (target, message) => {
      if (target.channelId !== ONCALL_CHANNEL) return undefined;
      attempted = message;
      return new ChatError('transient', 'request_timeout', { reason: 'timeout' });
    };
    await expect(f.core.refreshPhoneBoard(advisory.id)).rejects.toMatchObject({ code: 'request_timeout' });
    f.chat.failPosts = undefined;
    // The post reached the channel; its answer was lost.
    const made = await f.chat.post({ workspaceId: 'T0CEPTOAR0', channelId: ONCALL_CHANNEL }, attempted!, boardKey(advisory.id));
    f.clock.advance(10_000);
    expect(await f.core.refreshPhoneBoard(advisory.id)).toBe(1);
    expect(f.chat.searches).toEqual([{ channelId: ONCALL_CHANNEL, key: boardKey(advisory.id), since }]);
    expect(boardPosts()).toHaveLength(1);
    // Found again, it shows what the first run drew (maybe long ago): recorded as showing nothing known…
    expect((await stored(advisory.id)).phoneBoard).toEqual([{ n: 1, messages: [made], shown: 'found-again' }]);
    // …so the next update draws it once as the board reads now, and the one after leaves it alone.
    await drainBoard(f);
    expect(boardEdits().map((u) => u.ref)).toEqual([made]);
    expect((await stored(advisory.id)).phoneBoard?.[0]?.shown).toBe(pageFingerprint(boardView(boardPosts()[0]!)));
    f.clock.advance(10_000);
    await f.core.refreshPhoneBoard(advisory.id);
    expect(boardEdits()).toHaveLength(1);
  });

  it('a refresh that had to search and then met a 429 leaves the next searching too (only a first run can vouch)', async () => {
    f = await coreFixture();
    const { advisory } = await twoTasks();
    const onCall = (e: () => ChatError) => (target: { channelId: string }) => (target.channelId === ONCALL_CHANNEL ? e() : undefined);
    f.chat.failPosts = onCall(() => new ChatError('transient', 'request_timeout', { reason: 'timeout' }));
    await expect(f.core.refreshPhoneBoard(advisory.id)).rejects.toMatchObject({ code: 'request_timeout' });
    f.chat.failPosts = onCall(() => new ChatError('rate_limited', 'ratelimited', { retryAfterMs: 1_000 }));
    await expect(f.core.refreshPhoneBoard(advisory.id)).rejects.toMatchObject({ kind: 'rate_limited' });
    f.chat.failPosts = undefined;
    expect(await f.core.refreshPhoneBoard(advisory.id)).toBe(1);
    expect(f.chat.finds).toBe(2);
    expect(boardPosts()).toHaveLength(1);
  });

  it('a refresh that posted into one on-call channel and then met a 429 leaves the next searching; each channel gets the page once', async () => {
    const file = await exampleDirectoryFile();
    file.oncall.channels.push({ platform: 'slack', workspace: 'T0CEPTOAR0', id: 'C0ONC00002' });
    f = await coreFixture({ directory: file });
    const { advisory } = await twoTasks();
    f.chat.failPosts = (target) => (target.channelId === 'C0ONC00002' ? new ChatError('rate_limited', 'ratelimited', { retryAfterMs: 1_000 }) : undefined);
    await expect(f.core.refreshPhoneBoard(advisory.id)).rejects.toMatchObject({ kind: 'rate_limited' });
    expect((await stored(advisory.id)).phoneBoard).toBeUndefined();
    f.chat.failPosts = undefined;
    expect(await f.core.refreshPhoneBoard(advisory.id)).toBe(2);
    expect(f.chat.searches.map((s) => s.channelId)).toEqual([ONCALL_CHANNEL, 'C0ONC00002']);
    expect([f.chat.in(ONCALL_CHANNEL, 'phone_board').length, f.chat.in('C0ONC00002', 'phone_board').length]).toEqual([1, 1]);
  });

  it('waits while a run that died holds the page\'s lease, then takes over and looks for its post first', async () => {
    f = await coreFixture();
    const { advisory } = await twoTasks();
    const step = { deliveryId: `${advisory.id}.board`, token: advisory.uid!, key: 'p1' };
    await f.store.claimStep(step, { owner: 'dead', at: f.clock.now().toISOString(), until: new Date(f.clock.now().getTime() + 60_000).toISOString() });
    await expect(f.core.refreshPhoneBoard(advisory.id)).rejects.toMatchObject({ code: 'STEP.BUSY', detail: { retryAfterMs: 60_000 } });
    expect(boardPosts()).toEqual([]);
    f.clock.advance(61_000);
    expect(await f.core.refreshPhoneBoard(advisory.id)).toBe(1);
    expect(f.chat.searches).toEqual([{ channelId: ONCALL_CHANNEL, key: boardKey(advisory.id), since }]);
    expect(boardPosts()).toHaveLength(1);
    // Done in the ledger: no run posts it again.
    expect((await f.store.claimStep(step, { owner: 'later', at: f.clock.now().toISOString(), until: minutes(999) })).outcome).toBe('done');
  });

  it('a page the ledger has as posted but the advisory does not say where is not posted again, and the operators hear of it', async () => {
    f = await coreFixture();
    const { advisory } = await twoTasks();
    await f.store.finishStep({ deliveryId: `${advisory.id}.board`, token: advisory.uid!, key: 'p1' }, { owner: 'x', at: T0, outcome: 'done' });
    expect(await f.core.refreshPhoneBoard(advisory.id)).toBe(0);
    expect(boardPosts()).toEqual([]);
    expect(f.lines.filter((l) => l.level === 'error').map((l) => [l.msg, l.obj])).toEqual([
      ['a board page is recorded as posted but the advisory does not say where', { advisoryId: advisory.id, page: 1 }],
    ]);
  });

  it('a run that read the advisory just before another recorded the page finds it done and says nothing', async () => {
    f = await coreFixture();
    const { advisory } = await twoTasks();
    const before = await stored(advisory.id);
    await drainBoard(f);
    expect((await stored(advisory.id)).phoneBoard?.[0]?.messages).toHaveLength(1);
    // This run's first read is the one from before the page was recorded (the other run's record came after it).
    const read = f.store.getAdvisory.bind(f.store);
    let first = true;
    f.store.getAdvisory = async (id: string) => {
      if (first && id === advisory.id) {
        first = false;
        return before;
      }
      return read(id);
    };
    expect(await f.core.refreshPhoneBoard(advisory.id)).toBe(0);
    expect(boardPosts()).toHaveLength(1);
    expect(f.lines.filter((l) => l.level === 'error')).toEqual([]);
  });

  it('where another run recorded the page while this one posted it, the record it made is kept', async () => {
    f = await coreFixture();
    const { advisory } = await twoTasks();
    const other = { platform: 'slack' as const, channelId: ONCALL_CHANNEL, messageId: 'other-run' };
    f.chat.gate = async () => {
      f.chat.gate = undefined;
      const a = await stored(advisory.id);
      await f.store.saveAdvisory({ ...a, version: (a.version ?? 0) + 1, phoneBoard: [{ n: 1, messages: [other], shown: 'theirs' }] });
    };
    await f.core.refreshPhoneBoard(advisory.id);
    expect((await stored(advisory.id)).phoneBoard).toEqual([{ n: 1, messages: [other], shown: 'theirs' }]);
  });

  it('a task claimed while its page was being posted: the board is drawn again, and the claimer gets their copy', async () => {
    f = await coreFixture();
    const { advisory, jma } = await twoTasks();
    f.chat.gate = async () => {
      f.chat.gate = undefined;
      const t = claim((await f.store.getPhoneTask(jma))!, ONCALL, f.clock.now());
      if (t.changed) await f.store.savePhoneTask(t.next);
    };
    f.jobs.ensured.length = 0;
    expect(await f.core.refreshPhoneBoard(advisory.id)).toBe(1);
    expect(boardView(boardPosts()[0]!).rows[0]).toMatchObject({ taskId: jma, state: 'open' });
    expect(f.jobs.of('phone-board').map((w) => w.advisoryId)).toContain(advisory.id);
    await drainBoard(f);
    expect(boardShown(f, advisory.id).rows[0]).toMatchObject({ taskId: jma, state: 'claimed', claimedBy: ONCALL.name });
    expect(copiesTo(f, ONCALL.userId)).toHaveLength(1);
  });
});

describe('claiming from the board', () => {
  it('from a message that is not this advisory\'s board is refused and audited; nothing changes', async () => {
    f = await coreFixture();
    const first = await twoTasks();
    await drainBoard(f);
    const second = await issueAndPost(f, ['jpa']);
    await toPhone([second.deliveries[0]!.id]);
    await drainBoard(f);
    const otherBoard = boardPost(f, second.advisory.id).ref;
    const task = (await f.store.getPhoneTask(first.jma))!;
    f.jobs.ensured.length = 0;
    for (const message of [otherBoard, advisoryMessage(f, 'C0JMA00001'), { ...boardPost(f, first.advisory.id).ref, channelId: 'C0ELSEWHERE' }]) {
      expect(await refused(claimFrom(ONCALL, message, task.id), 'PHONE.NOT_YOURS')).toEqual({ taskId: task.id, message });
    }
    const audited = f.audit.filter((e) => e.action === 'phone.refused');
    expect(audited).toHaveLength(3);
    expect(audited[0]).toEqual({
      id: expect.stringMatching(/^phone-refused\./),
      at: f.clock.now().toISOString(),
      actor: ONCALL,
      action: 'phone.refused',
      advisoryId: first.advisory.id,
      deliveryId: task.deliveryId,
      detail: { attempted: 'phone.claim', reason: 'not-on-board', taskId: task.id, message: otherBoard },
    });
    expect(new Set(audited.map((e) => e.id)).size).toBe(3);
    expect(await f.store.getPhoneTask(task.id)).toEqual(task);
    expect(f.jobs.ensured).toEqual([]);
    // The right board is accepted.
    expect((await claimFrom(ONCALL, boardPost(f, first.advisory.id).ref, task.id)).outcome).toBe('done');
  });

  it('of a task that does not exist is refused as such (its id cut short), and someone not on call before anything else', async () => {
    f = await coreFixture();
    const { advisory } = await twoTasks();
    await drainBoard(f);
    const board = boardPost(f, advisory.id).ref;
    const forged = `x${'9'.repeat(300)}`;
    expect(await refused(claimFrom(ONCALL, board, forged), 'PHONE.NOT_FOUND')).toEqual({ taskId: forged.slice(0, 40) });
    expect(await refused(claimFrom(OUTSIDER, board, forged), 'AUTH.NOT_ONCALL')).toEqual({ actor: OUTSIDER, attempted: 'phone.claim' });
    expect(f.audit.filter((e) => e.action === 'phone.refused').map((e) => [e.actor, e.detail])).toEqual([[OUTSIDER, { attempted: 'phone.claim' }]]);
  });

  it('two people claiming the same task at once: exactly one has it, the other is told who; only the one gets a copy', async () => {
    f = await coreFixture();
    const { advisory, jma } = await twoTasks();
    await drainBoard(f);
    const board = boardPost(f, advisory.id).ref;
    const race = raceNext(f.store, 'savePhoneTask');
    const results = await Promise.allSettled([claimFrom(ONCALL, board, jma), claimFrom(ONCALL_B, board, jma)]);
    expect(race.results).toEqual([true, false]);
    const won = results.findIndex((r) => r.status === 'fulfilled');
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(1);
    const [winner, loser] = won === 0 ? [ONCALL, ONCALL_B] : [ONCALL_B, ONCALL];
    const lost = results[1 - won] as PromiseRejectedResult;
    expect(isBotError(lost.reason, 'PHONE.CLAIMED_BY_OTHER')).toBe(true);
    expect((lost.reason as { detail: unknown }).detail).toEqual({ taskId: jma, claimedBy: winner.name });
    expect((await f.store.getPhoneTask(jma))).toMatchObject({ state: 'claimed', claimedBy: winner });
    expect(f.audit.filter((e) => e.action === 'phone.claim').map((e) => [e.actor, e.detail])).toEqual([[winner, { contactIndex: 0, exhausted: false, from: 'board', page: 1 }]]);
    expect(f.audit.filter((e) => e.action === 'phone.refused').map((e) => [e.actor, e.detail.reason])).toEqual([[loser, 'claimed-by-other']]);
    await drainBoard(f);
    expect(copiesTo(f, winner.userId)).toHaveLength(1);
    expect(copiesTo(f, loser.userId)).toEqual([]);
    expect(boardShown(f, advisory.id).rows[0]).toMatchObject({ claimedBy: winner.name });
  });
});

describe("the claimer's copy", () => {
  it('goes to their direct conversation once; another refresh updates it and posts nothing; after a release, the next claimer gets their own', async () => {
    f = await coreFixture();
    const { advisory, jma } = await twoTasks();
    await drainBoard(f);
    const board = boardPost(f, advisory.id).ref;
    await claimFrom(ONCALL, board, jma);
    await drainBoard(f);
    const [mine] = copiesTo(f, ONCALL.userId);
    expect(mine).toMatchObject({ target: { workspaceId: 'T0CEPTOAR0', channelId: `D${ONCALL.userId}` }, key: `${jma}.to.${ONCALL.userId}` });
    expect(mine!.message.view).toMatchObject({ taskId: jma, state: 'claimed', claimedBy: ONCALL.name, contacts: [{ name: '佐藤 健一' }, { name: '鈴木 美咲' }] });
    expect(f.chat.opened).toEqual([ONCALL.userId]);
    expect(await f.store.getPhoneTask(jma)).toMatchObject({ messages: [mine!.ref], messageKeys: [mine!.key] });
    // Nothing in the on-call channel but the board.
    expect(f.chat.in(ONCALL_CHANNEL).map((p) => p.message.kind)).toEqual(['phone_board']);

    const posts = f.chat.posts.length;
    f.chat.updates.length = 0;
    expect(await f.core.refreshPhoneTask(jma)).toBe(1);
    expect(f.chat.posts).toHaveLength(posts);
    expect(f.chat.opened).toEqual([ONCALL.userId]);
    expect(f.chat.updates.map((u) => [u.ref, u.key])).toEqual([[mine!.ref, mine!.key]]);

    // Let go, and claimed by B from the board: B's own copy; A's copy shows B on it.
    await f.core.phoneTaskAction({ actor: ONCALL, message: mine!.ref, action: 'release' });
    await claimFrom(ONCALL_B, board, jma);
    await drainBoard(f);
    const [theirs] = copiesTo(f, ONCALL_B.userId);
    expect(theirs).toMatchObject({ key: `${jma}.to.${ONCALL_B.userId}`, target: { channelId: `D${ONCALL_B.userId}` } });
    expect(copiesTo(f, ONCALL.userId)).toHaveLength(1);
    expect(await f.store.getPhoneTask(jma)).toMatchObject({ messages: [mine!.ref, theirs!.ref], messageKeys: [mine!.key, theirs!.key] });
    expect(f.chat.updates.filter((u) => u.ref.messageId === mine!.ref.messageId).at(-1)?.message.view).toMatchObject({ state: 'claimed', claimedBy: ONCALL_B.name });
    // B lets go and A takes it back: A has a copy already.
    await f.core.phoneTaskAction({ actor: ONCALL_B, message: theirs!.ref, action: 'release' });
    await claimFrom(ONCALL, board, jma);
    await drainBoard(f);
    expect([copiesTo(f, ONCALL.userId).length, copiesTo(f, ONCALL_B.userId).length]).toEqual([1, 1]);
    expect(f.chat.opened).toEqual([ONCALL.userId, ONCALL_B.userId]);
  });

  it('goes under the board\'s first page when no direct conversation can be opened with the claimer', async () => {
    f = await coreFixture();
    const { advisory, jma } = await twoTasks();
    await drainBoard(f);
    const board = boardPost(f, advisory.id).ref;
    f.chat.failOpen = (userId) => (userId === ONCALL.userId ? chatRefusal('cannot_dm') : undefined);
    await claimFrom(ONCALL, board, jma);
    await drainBoard(f);
    expect(copiesTo(f, ONCALL.userId)).toEqual([]);
    const under = f.chat.in(ONCALL_CHANNEL, 'phone_task');
    expect(under).toHaveLength(1);
    expect(under[0]).toMatchObject({ target: { workspaceId: 'T0CEPTOAR0', channelId: ONCALL_CHANNEL, threadOf: board }, key: `${jma}.to.${ONCALL.userId}` });
    expect(await f.store.getPhoneTask(jma)).toMatchObject({ messages: [under[0]!.ref] });
    expect(f.lines.filter((l) => l.msg === 'no direct conversation with the claimer; their copy goes under the board').map((l) => l.obj)).toEqual([{ taskId: jma, reason: 'cannot_dm' }]);
    // Its buttons work as the direct copy's.
    expect((await f.core.phoneTaskAction({ actor: ONCALL, message: under[0]!.ref, action: 'no_answer' })).task.contactIndex).toBe(1);
  });

  it('waits for the platform when the direct conversation fails for now: nothing is posted, the refresh fails to be retried', async () => {
    f = await coreFixture();
    const { advisory, jma } = await twoTasks();
    await drainBoard(f);
    f.chat.failOpen = () => new ChatError('transient', 'http_503');
    await claimFrom(ONCALL, boardPost(f, advisory.id).ref, jma);
    await expect(f.core.refreshPhoneTask(jma)).rejects.toMatchObject({ code: 'http_503' });
    expect(f.chat.posts.filter((p) => p.message.kind === 'phone_task')).toEqual([]);
    expect((await f.store.getPhoneTask(jma))?.messages).toEqual([]);
    f.chat.failOpen = undefined;
    expect(await f.core.refreshPhoneTask(jma)).toBe(1);
    expect(copiesTo(f, ONCALL.userId)).toHaveLength(1);
  });

  it('lost with its job (the queue was down at the claim) is found by the board\'s next refresh, which asks for it', async () => {
    f = await coreFixture();
    const { advisory, jma, jda } = await twoTasks();
    await drainBoard(f);
    const board = boardPost(f, advisory.id).ref;
    f.jobs.ensured.length = 0;
    f.jobs.down = true;
    expect((await claimFrom(ONCALL, board, jma)).refreshQueued).toBe(false);
    f.jobs.down = false;
    expect(f.jobs.ensured).toEqual([]);
    // Something else changes the board (jda is claimed and handed over as usual); its refresh finds jma's claim owed.
    await claimTask(f, { id: jda, advisoryId: advisory.id }, ONCALL_B);
    const claimed = (await f.store.getPhoneTask(jma))!;
    expect(copiesTo(f, ONCALL.userId)).toHaveLength(1);
    expect(copiesTo(f, ONCALL.userId)[0]).toMatchObject({ key: `${jma}.to.${ONCALL.userId}` });
    expect(claimed.messages).toEqual([copiesTo(f, ONCALL.userId)[0]!.ref]);
    // A claim whose copy is there, and an open task, are not asked for again.
    f.jobs.ensured.length = 0;
    await f.core.refreshPhoneBoard(advisory.id);
    expect(f.jobs.of('refresh-phone')).toEqual([]);
  });

  it('a refresh of the board asks for the copy of exactly the claims that have none', async () => {
    f = await coreFixture();
    const { advisory, jma, jda } = await twoTasks();
    await drainBoard(f);
    f.jobs.down = true;
    await claimFrom(ONCALL, boardPost(f, advisory.id).ref, jma);
    f.jobs.down = false;
    await f.core.refreshPhoneBoard(advisory.id);
    const task = (await f.store.getPhoneTask(jma))!;
    expect(f.jobs.of('refresh-phone')).toEqual([{ kind: 'refresh-phone', scope: advisory.uid, taskId: jma, revision: task.version }]);
    expect(f.jobs.of('refresh-phone').some((w) => w.taskId === jda)).toBe(false);
  });
});

describe('the board of an advisory that ended', () => {
  it('says so, shows every task cancelled, offers nothing to claim, and a claim from it is refused', async () => {
    f = await coreFixture();
    const { advisory, jma, jda } = await twoTasks();
    await drainBoard(f);
    const board = boardPost(f, advisory.id).ref;
    const { message } = await claimTask(f, { id: jma, advisoryId: advisory.id }, ONCALL);
    await f.core.closeAdvisory({ actor: SECRETARIAT, advisoryId: advisory.id });
    await drainLifecycle(f);
    const page = boardShown(f, advisory.id);
    expect(page).toMatchObject({ closed: true, counts: { open: 0, claimed: 0, cancelled: 2 } });
    expect(page.rows.map((r) => [r.taskId, r.state, r.resolution?.kind])).toEqual([
      [jma, 'cancelled', 'advisory_closed'],
      [jda, 'cancelled', 'advisory_closed'],
    ]);
    expect(phoneBoardLines(page)).toMatchObject({ claimable: [], note: { en: 'This advisory has ended; no more calls are needed.' } });
    expect(await refused(claimFrom(ONCALL_B, board, jda), 'PHONE.CLOSED')).toEqual({ taskId: jda, advisoryState: 'closed' });
    // The claimer's copy says it ended too.
    expect(f.chat.updates.filter((u) => u.ref.messageId === message.messageId).at(-1)?.message.view).toMatchObject({ state: 'cancelled' });
    expect(copiesTo(f, ONCALL_B.userId)).toEqual([]);
  });

  it('withdrawn: the same, the tasks cancelled as withdrawn', async () => {
    f = await coreFixture();
    const { advisory, jma } = await twoTasks();
    await drainBoard(f);
    await f.core.withdrawAdvisory({ actor: SECRETARIAT, advisoryId: advisory.id, input: { reason: '誤報' } });
    await drainLifecycle(f);
    expect(boardShown(f, advisory.id)).toMatchObject({ closed: true, rows: [{ taskId: jma, state: 'cancelled', resolution: { kind: 'advisory_withdrawn' } }, { state: 'cancelled' }] });
    expect(await refused(claimFrom(ONCALL, boardPost(f, advisory.id).ref, jma), 'PHONE.CLOSED')).toMatchObject({ taskId: jma });
  });
});

describe('a member who acknowledges by button', () => {
  it('is shown acknowledged on the board, counted, and their task is no longer claimable', async () => {
    f = await coreFixture();
    const { advisory, jma } = await twoTasks();
    await drainBoard(f);
    await f.core.acknowledgeFromMessage({ actor: JMA_STAFF, message: advisoryMessage(f, 'C0JMA00001') });
    await drainBoard(f);
    const page = boardShown(f, advisory.id);
    expect(page.rows[0]).toMatchObject({ taskId: jma, state: 'cancelled', resolution: { kind: 'acknowledged_elsewhere' } });
    expect(page.counts).toMatchObject({ open: 1, acknowledged: 1, cancelled: 0 });
    expect(phoneBoardLines(page).claimable.map((r) => r.taskId)).toEqual([page.rows[1]!.taskId]);
  });
});

describe('a board on more than this process serves, and claims from before the board', () => {
  it('a page also shown on a platform this process does not serve: edits go where they can, and a copy under the board goes under this platform\'s page', async () => {
    f = await coreFixture();
    const { advisory, jma } = await twoTasks();
    await drainBoard(f);
    const slack = boardPost(f, advisory.id).ref;
    const teams: MessageRef = { platform: 'teams', channelId: '19:oncall@thread.tacv2', messageId: '1700000000000' };
    const a = await stored(advisory.id);
    await f.store.saveAdvisory({ ...a, version: (a.version ?? 0) + 1, phoneBoard: [{ ...a.phoneBoard![0]!, messages: [teams, slack] }] });
    f.chat.failOpen = () => chatRefusal('cannot_dm');
    await claimFrom(ONCALL, slack, jma);
    await drainBoard(f);
    expect(boardEdits().map((u) => u.ref)).toEqual([slack]);
    expect(f.chat.in(ONCALL_CHANNEL, 'phone_task').map((p) => p.target.threadOf)).toEqual([slack]);
  });

  it('a task claimed before its advisory had a board (an upgrade mid-advisory) whose claimer cannot be written to directly: the refresh fails, posting nothing', async () => {
    f = await coreFixture();
    const { jma } = await twoTasks();
    const t = claim((await f.store.getPhoneTask(jma))!, ONCALL, f.clock.now());
    if (t.changed) await f.store.savePhoneTask(t.next);
    f.chat.failOpen = () => chatRefusal('cannot_dm');
    await expect(f.core.refreshPhoneTask(jma)).rejects.toMatchObject({ kind: 'permanent', code: 'cannot_dm' });
    expect(f.chat.posts.filter((p) => p.message.kind === 'phone_task')).toEqual([]);
    // With the direct conversation open again, the copy goes there.
    f.chat.failOpen = undefined;
    expect(await f.core.refreshPhoneTask(jma)).toBe(1);
    expect(copiesTo(f, ONCALL.userId)).toHaveLength(1);
  });

  it('a claim that ended before its copy went out (the member acknowledged) is not handed over', async () => {
    f = await coreFixture();
    const { advisory, jma } = await twoTasks();
    await drainBoard(f);
    f.jobs.down = true;
    await claimFrom(ONCALL, boardPost(f, advisory.id).ref, jma);
    f.jobs.down = false;
    await f.core.acknowledgeFromMessage({ actor: JMA_STAFF, message: advisoryMessage(f, 'C0JMA00001') });
    expect(await f.store.getPhoneTask(jma)).toMatchObject({ state: 'cancelled', claimedBy: ONCALL, messages: [] });
    f.jobs.ensured.length = 0;
    await f.core.refreshPhoneBoard(advisory.id);
    expect(f.jobs.of('refresh-phone')).toEqual([]);
    expect(copiesTo(f, ONCALL.userId)).toEqual([]);
  });
});

describe('a board that cannot be shown (its job gave up)', () => {
  const gaveUp = (advisory: Advisory, reason: string, at = minutes(61)) =>
    f.core.giveUp({ kind: 'phone-board', scope: advisory.uid!, advisoryId: advisory.id, at: new Date(at) }, reason);
  const told = () => f.chat.in('C0SEC00001', 'notice').filter((p) => p.key.endsWith('.board-failed'));

  it('tells the secretariat once per advisory, naming the board and how many tasks are open, and audits it; the tasks stay open', async () => {
    f = await coreFixture();
    const { advisory, jma, jda } = await twoTasks();
    await Promise.all([gaveUp(advisory, 'channel_not_found'), gaveUp(advisory, 'channel_not_found')]);
    await gaveUp(advisory, 'not_in_channel', minutes(62));
    expect(told().map((p) => [p.key, p.message.view])).toEqual([
      [
        `${advisory.id}.board-failed`,
        {
          kind: 'step_failed',
          advisoryId: advisory.id,
          title: advisory.title,
          tlp: advisory.tlp,
          drill: false,
          memberName: { ja: '電話連絡ボード（未完了 2件）', en: 'the phone-task board (2 open)' },
          step: 'phone',
          reason: 'channel_not_found',
        },
      ],
    ]);
    expect(f.audit.filter((e) => e.action === 'phone.board_failed')).toEqual([
      { id: `${advisory.id}.board.gave-up`, at: f.clock.now().toISOString(), action: 'phone.board_failed', advisoryId: advisory.id, detail: { open: 2, reason: 'channel_not_found' } },
    ]);
    expect(f.lines.filter((l) => l.level === 'error').map((l) => [l.msg, l.obj])).toEqual([
      ['the phone-task board could not be shown in the on-call channel: telling the secretariat', { advisoryId: advisory.id, open: 2, reason: 'channel_not_found' }],
    ]);
    expect((await f.store.listPhoneTasks(advisory.id)).map((t) => [t.id, t.state])).toEqual([
      [jma, 'open'],
      [jda, 'open'],
    ]);
  });

  it('counts only the tasks still open, and with none open only warns', async () => {
    f = await coreFixture();
    const { advisory, jma } = await twoTasks();
    await drainBoard(f);
    await f.core.acknowledgeFromMessage({ actor: JMA_STAFF, message: advisoryMessage(f, 'C0JMA00001') });
    expect((await f.store.getPhoneTask(jma))?.state).toBe('cancelled');
    await gaveUp(advisory, 'x');
    expect(told()[0]?.message.view).toMatchObject({ memberName: { en: 'the phone-task board (1 open)' } });

    const other = await issueAndPost(f, ['jpa']);
    await toPhone([other.deliveries[0]!.id]);
    await f.core.acknowledgeFromMessage({ actor: { platform: 'slack', userId: 'U0JPA00001' }, message: advisoryMessage(f, 'C0JPA00001') });
    await gaveUp(other.advisory, 'y');
    expect(told()).toHaveLength(1);
    expect(f.audit.filter((e) => e.action === 'phone.board_failed' && e.advisoryId === other.advisory.id)).toEqual([]);
    expect(f.lines.filter((l) => l.msg === 'the phone-task board could not be updated after every attempt; no task is open').map((l) => [l.level, l.obj])).toEqual([
      ['warn', { advisoryId: other.advisory.id, open: 0, reason: 'y' }],
    ]);
    // An advisory the store does not have: nothing to tell.
    await f.core.giveUp({ kind: 'phone-board', scope: 'x', advisoryId: 'ADV-2026-0999', at: new Date(minutes(61)) }, 'z');
    expect(told()).toHaveLength(1);
  });

  it('when the secretariat cannot be told either, the operators hear of it, and it is recorded all the same (once)', async () => {
    f = await coreFixture();
    const { advisory } = await twoTasks();
    f.chat.failPosts = (target) => (target.channelId === 'C0SEC00001' ? chatRefusal('channel_not_found') : undefined);
    await gaveUp(advisory, 'channel_not_found');
    const context = { advisoryId: advisory.id, open: 2, reason: 'channel_not_found' };
    expect(f.lines.filter((l) => l.level === 'error').map((l) => [l.msg, l.obj])).toEqual([
      ['the phone-task board could not be shown in the on-call channel: telling the secretariat', context],
      ['could not tell the secretariat that the phone-task board failed', { ...context, err: expect.any(ChatError) }],
      ['the phone-task board failed and no secretariat channel could be told', context],
    ]);
    expect(f.audit.filter((e) => e.action === 'phone.board_failed')).toHaveLength(1);
    f.chat.failPosts = undefined;
    await gaveUp(advisory, 'again');
    expect(told()).toEqual([]);
  });
});
