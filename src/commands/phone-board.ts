import { createHash, randomUUID } from 'node:crypto';
import { advisoryScope, type Advisory } from '../domain/advisory.js';
import { findPage, pagePosted, pageShown, pageSlice, pagesFor } from '../domain/phone-board.js';
import type { PhoneTask } from '../domain/phone-task.js';
import type { MessageRef } from '../domain/platform.js';
import type { PostTarget } from '../ports/chat.js';
import type { StepRef } from '../ports/store.js';
import type { Work } from '../ports/jobs.js';
import { boardCounts, boardOrder, boardRow, phoneBoardView, type BoardDirectory } from '../view/phone-board-view.js';
import type { PhoneBoardView } from '../view/views.js';
import { transitionAdvisory } from './advisory-cas.js';
import type { CoreDeps } from './deps.js';
import { enqueue } from './enqueue.js';
import { BotError } from '../errors.js';
import { LOOKBACK_MS } from './ladder.js';
import { postOnce, provesNothingPosted } from './post-once.js';
import { intervalEnd } from './status-card.js';

/**
 * The board's update at the end of the current interval: every task change within it asks for the same job, so a
 * ladder's 360 phone steps in one second become one update per page that changed, as the status card.
 */
export function phoneBoardWork(deps: Pick<CoreDeps, 'clock' | 'settings'>, advisory: Advisory): Work {
  return { kind: 'phone-board', scope: advisoryScope(advisory), advisoryId: advisory.id, at: intervalEnd(deps) };
}

/**
 * A phone task changed (opened, claimed, called, ended): its board page shows it at the next update, and its own
 * messages (the claimer's copy) are redrawn, or posted to a new claimer. Returns whether the work is queued.
 */
export async function touchPhoneTask(deps: CoreDeps, advisory: Advisory, task: PhoneTask): Promise<boolean> {
  const work: Work[] = [phoneBoardWork(deps, advisory)];
  // A task nobody has claimed has no message of its own: the board is all there is to update.
  if (task.messages.length > 0 || task.state === 'claimed') {
    work.push({ kind: 'refresh-phone', scope: advisoryScope(advisory), taskId: task.id, revision: task.version });
  }
  return enqueue(deps, work);
}

/** The key a board page is posted under, found again by it after an attempt whose outcome is unknown. */
export function boardPageKey(advisory: Pick<Advisory, 'id'>, n: number): string {
  return `${advisory.id}.board.p${n}`;
}

/** The page's once-only post, in the store's step ledger: one run posts it at a time, a taken-over run looks first. */
function pageStep(advisory: Advisory, n: number): StepRef {
  return { deliveryId: `${advisory.id}.board`, token: advisoryScope(advisory), key: `p${n}` };
}

const directoryOf = (deps: CoreDeps): BoardDirectory => ({
  memberName: (id) => deps.directory.memberName(id),
  contacts: (id) => deps.directory.contactsInOrder(id).length,
});

/** The board as it should read now: every page's view, from the store's tasks. */
export async function boardPages(deps: CoreDeps, advisory: Advisory): Promise<{ tasks: PhoneTask[]; pages: PhoneBoardView[] }> {
  const tasks = boardOrder(await deps.store.listPhoneTasks(advisory.id));
  const count = pagesFor(tasks.length);
  const counts = boardCounts(tasks);
  const directory = directoryOf(deps);
  const now = deps.clock.now();
  const pages: PhoneBoardView[] = [];
  for (let n = 1; n <= count; n++) {
    const rows = pageSlice(tasks, n).map((t) => boardRow(advisory, t, directory));
    pages.push(phoneBoardView(advisory, n, count, rows, counts, now));
  }
  return { tasks, pages };
}

/** Page `n` of the advisory's board as it reads now. */
export async function phoneBoardPage(deps: CoreDeps, advisoryId: string, n: number): Promise<PhoneBoardView> {
  const advisory = await deps.store.getAdvisory(advisoryId);
  if (!advisory) throw new BotError('ADVISORY.NOT_FOUND', 'advisory not found', { advisoryId });
  const view = (await boardPages(deps, advisory)).pages[n - 1];
  if (!view) throw new BotError('PHONE.NOT_FOUND', 'no such page of the phone board', { advisoryId, page: n });
  return view;
}

/** What a page shows, without the time it was drawn: two drawings of the same state have the same fingerprint. */
export function pageFingerprint(view: PhoneBoardView): string {
  // The number of pages is shown on page 1 only: a new page must not edit every page before it.
  const { asOf: _asOf, pages, ...rest } = view;
  const shown = view.page === 1 ? { ...rest, pages } : rest;
  return createHash('sha256').update(JSON.stringify(shown)).digest('base64url').slice(0, 16);
}

/** What a page found again (not drawn by this run) is recorded as showing: no fingerprint is ever this. */
const FOUND_PAGE = 'found-again';

/** How far the tasks have moved: a refresh that finds them moved on since it read them asks for another. */
const progress = (tasks: readonly PhoneTask[]) => `${tasks.length}:${tasks.reduce((sum, t) => sum + t.version, 0)}`;

/**
 * Bring the advisory's board in the on-call channels up to date with the store: post a page that is not posted yet,
 * edit the pages whose rows changed, leave the others alone. Returns how many messages were posted or edited.
 */
export async function refreshPhoneBoard(deps: CoreDeps, advisoryId: string): Promise<number> {
  const advisory = await deps.store.getAdvisory(advisoryId);
  if (!advisory) return 0;
  const { tasks, pages } = await boardPages(deps, advisory);
  if (pages.length === 0) return 0;
  const channels = deps.directory.oncallChannels().filter((c) => deps.chats[c.platform]);
  if (channels.length === 0) {
    // The on-call desk cannot be shown its work: the operators must hear of it.
    deps.log.error({ advisoryId, tasks: tasks.length }, 'phone tasks are open but no on-call channel is on a configured platform: the board cannot be shown');
    return 0;
  }
  let edited = 0;
  for (const view of pages) {
    const shown = pageFingerprint(view);
    const page = findPage(advisory, view.page);
    if (!page?.messages) {
      edited += await postPage(deps, advisory, view, shown, channels);
      continue;
    }
    if (page.shown === shown) continue;
    for (const ref of page.messages) {
      const chat = deps.chats[ref.platform];
      if (!chat) continue;
      await chat.update(ref, { kind: 'phone_board', view }, boardPageKey(advisory, view.page));
      edited += 1;
    }
    await transitionAdvisory(deps.store, advisory.id, (a) => {
      const next = pageShown(a, view.page, shown);
      return next ? { changed: true, next } : { changed: false, reason: 'already', current: a };
    });
  }
  // A claim whose hand-off to the claimer was lost with its job: the board's pass finds it from the store.
  const owed = tasks.filter((t) => t.state === 'claimed' && t.claimedBy && !t.messageKeys?.includes(handOffKey(t, t.claimedBy.userId)));
  const after = progress(await deps.store.listPhoneTasks(advisory.id));
  const work: Work[] = owed.map((t) => ({ kind: 'refresh-phone', scope: advisoryScope(advisory), taskId: t.id, revision: t.version }));
  // Tasks changed while this ran (or a run drawing an older state wrote after a newer one): draw again.
  if (after !== progress(tasks)) work.push(phoneBoardWork(deps, advisory));
  await enqueue(deps, work);
  return edited;
}

/**
 * Post page `view.page` into every on-call channel, once: the step ledger lets one run post it at a time; a run
 * that takes over from one that may have posted looks for its post first. A run that finds another posting it
 * waits for that run's lease (STEP.BUSY: the job is retried then), so a run that died is taken over.
 */
async function postPage(
  deps: CoreDeps,
  advisory: Advisory,
  view: PhoneBoardView,
  shown: string,
  channels: ReturnType<CoreDeps['directory']['oncallChannels']>,
): Promise<number> {
  const ref = pageStep(advisory, view.page);
  const owner = randomUUID();
  const started = deps.clock.now();
  const claim = await deps.store.claimStep(ref, { owner, at: started.toISOString(), until: new Date(started.getTime() + deps.settings.stepLeaseMs).toISOString() });
  if (claim.outcome === 'busy') {
    // Another run is posting it (or died doing so: its lease runs out): this job comes back after the lease and
    // finds the page posted, or takes it over and looks for the dead run's post.
    const retryAfterMs = Math.max(250, new Date(claim.until).getTime() - started.getTime());
    throw new BotError('STEP.BUSY', 'another run is posting this board page', { step: ref, retryAfterMs });
  }
  if (claim.outcome === 'done') {
    // Another run posted and recorded it since this one read the advisory: nothing to do. Only a record that still
    // says nothing is a fault.
    const fresh = await deps.store.getAdvisory(advisory.id);
    if (!(fresh && findPage(fresh, view.page)?.messages)) {
      deps.log.error({ advisoryId: advisory.id, page: view.page }, 'a board page is recorded as posted but the advisory does not say where');
    }
    return 0;
  }
  const retrying = claim.outcome === 'taken-over' && claim.mayHavePosted;
  const since = new Date(new Date(advisory.issuedAt).getTime() - LOOKBACK_MS);
  const key = boardPageKey(advisory, view.page);
  const posted: MessageRef[] = [];
  let found = false;
  try {
    for (const channel of channels) {
      const chat = deps.chats[channel.platform];
      if (!chat) continue;
      const target: PostTarget = { workspaceId: channel.workspace, channelId: channel.id };
      const result = await postOnce(deps, chat, target, { kind: 'phone_board', view }, key, { retrying, since });
      posted.push(result.ref);
      found ||= result.found;
    }
    // A page found again shows what the run that posted it drew, maybe long ago: recorded as showing nothing known,
    // the next refresh (queued below) edits it to the board as it is.
    const recorded = found ? FOUND_PAGE : shown;
    await transitionAdvisory(deps.store, advisory.id, (a) => {
      const next = pagePosted(a, view.page, posted, recorded);
      return next ? { changed: true, next } : { changed: false, reason: 'already', current: a };
    });
  } catch (err) {
    const postedNothing = !retrying && posted.length === 0 && provesNothingPosted(err);
    await deps.store.releaseStep(ref, owner, deps.clock.now().toISOString(), postedNothing);
    throw err;
  }
  await deps.store.finishStep(ref, { owner, at: deps.clock.now().toISOString(), outcome: 'done' });
  // Tasks that changed while it was being posted are in the next update.
  await enqueue(deps, [phoneBoardWork(deps, advisory)]);
  return posted.length;
}

/**
 * The key of a task's copy for the person who claimed it: one per claimer and round, so a second claimer gets their
 * own copy and a claimer who releases and claims again finds theirs.
 */
export function handOffKey(task: Pick<PhoneTask, 'id' | 'round'>, userId: string): string {
  const round = task.round ?? 1;
  return `${task.id}${round > 1 ? `.r${round}` : ''}.to.${userId}`;
}

/** Where the board's first page is on a platform: the fallback place of a claimer's copy. */
export function boardMessageOn(advisory: Advisory, platform: MessageRef['platform']): MessageRef | undefined {
  return findPage(advisory, 1)?.messages?.find((m) => m.platform === platform);
}
