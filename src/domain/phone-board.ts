import type { MessageRef } from './platform.js';

/**
 * The phone-task board: one message per page in each on-call channel, listing an advisory's phone tasks, updated in
 * place. At sector scale one message per task into one channel took a quarter of an hour to arrive under Slack's
 * one-message-a-second-per-channel limit; the board shows hundreds of tasks in a handful of messages.
 *
 * Pages are stable: a task keeps its place (the advisory's tasks in the order they opened) for the whole life of the
 * advisory, done ones marked rather than removed. A change to one task therefore edits one page, not every page
 * after it, and a new task adds a row to the last page or opens a new one.
 */
export const BOARD_ROWS = 40;

export interface BoardPage {
  /** 1, 2, … */
  n: number;
  /** Where the page is, once posted (one message per on-call channel); then every change is an update of it. */
  messages?: MessageRef[] | undefined;
  /**
   * A fingerprint of what the page shows now (its rows' states): a refresh that would show the same leaves the
   * message alone, so the channel's edit budget goes to pages that changed.
   */
  shown?: string | undefined;
}

/** What the board lives in: the advisory record (kept structural, so this file needs nothing of advisory.ts). */
interface WithBoard {
  phoneBoard?: BoardPage[] | undefined;
  version?: number | undefined;
}

/** How many pages `tasks` tasks take (at least one once there is a task). */
export function pagesFor(tasks: number, rows = BOARD_ROWS): number {
  return Math.ceil(tasks / rows);
}

/** The tasks of page `n` (1-based) out of all of an advisory's tasks in board order. */
export function pageSlice<T>(all: readonly T[], n: number, rows = BOARD_ROWS): T[] {
  return all.slice((n - 1) * rows, n * rows);
}

export function findPage(a: WithBoard, n: number): BoardPage | undefined {
  return a.phoneBoard?.find((p) => p.n === n);
}

/** The page was posted: keep where, so later changes update it. Once: null when it has messages already. */
export function pagePosted<A extends WithBoard>(a: A, n: number, messages: MessageRef[], shown: string): A | null {
  const pages = a.phoneBoard ?? [];
  if (findPage(a, n)?.messages !== undefined) return null;
  const others = pages.filter((p) => p.n !== n);
  const next = [...others, { n, messages, shown }].sort((x, y) => x.n - y.n);
  return { ...a, phoneBoard: next, version: (a.version ?? 0) + 1 };
}

/** The page now shows `shown`. Null when it said so already (or is not posted). */
export function pageShown<A extends WithBoard>(a: A, n: number, shown: string): A | null {
  const page = findPage(a, n);
  if (!page?.messages || page.shown === shown) return null;
  const next = (a.phoneBoard ?? []).map((p) => (p.n === n ? { ...p, shown } : p));
  return { ...a, phoneBoard: next, version: (a.version ?? 0) + 1 };
}

/** The page of the board a message is, if it is one of this advisory's. */
export function pageOfMessage(a: WithBoard, ref: MessageRef): number | undefined {
  for (const p of a.phoneBoard ?? []) {
    if (p.messages?.some((m) => m.platform === ref.platform && m.channelId === ref.channelId && m.messageId === ref.messageId)) return p.n;
  }
  return undefined;
}
