/**
 * The phone-task board's pages as the advisory records them: how many pages a number of tasks takes, which tasks a
 * page shows, where each page was posted (once), what it shows now, and which page a message is.
 */
import { describe, expect, it } from 'vitest';
import { BOARD_ROWS, findPage, pageOfMessage, pagePosted, pageShown, pageSlice, pagesFor, type BoardPage } from '../../../src/domain/phone-board.js';
import type { MessageRef } from '../../../src/domain/platform.js';

const ref = (messageId: string, channelId = 'C0ONC00001', platform: MessageRef['platform'] = 'slack'): MessageRef => ({ platform, channelId, messageId });

/** An advisory-like record with a board. */
const withBoard = (pages: BoardPage[] | undefined, version = 7) => ({ id: 'ADV-2026-0001', version, phoneBoard: pages });
/** A record written before versions were kept. */
const unversioned = (pages: BoardPage[] | undefined): { phoneBoard?: BoardPage[] | undefined; version?: number | undefined } => ({ phoneBoard: pages });

describe('pages', () => {
  it('are forty rows each: a page more for every task past a full page, none without tasks', () => {
    expect(BOARD_ROWS).toBe(40);
    expect([0, 1, 39, 40, 41, 80, 81, 85, 120, 121].map((n) => pagesFor(n))).toEqual([0, 1, 1, 1, 2, 2, 3, 3, 3, 4]);
    expect([0, 1, 2, 3, 4].map((n) => pagesFor(n, 2))).toEqual([0, 1, 1, 2, 2]);
  });

  it('show their own slice of the tasks in board order, the last page what is left', () => {
    const all = Array.from({ length: 85 }, (_, i) => i);
    expect(pageSlice(all, 1)).toEqual(all.slice(0, 40));
    expect(pageSlice(all, 2)).toEqual(all.slice(40, 80));
    expect(pageSlice(all, 3)).toEqual([80, 81, 82, 83, 84]);
    expect(pageSlice(all, 4)).toEqual([]);
    expect(pageSlice(all, 2, 10)).toEqual(all.slice(10, 20));
    // Every task on exactly one page.
    expect([1, 2, 3].flatMap((n) => pageSlice(all, n))).toEqual(all);
  });
});

describe('a page posted', () => {
  it('is recorded with where it is and what it shows, in page order, the record moving on a version', () => {
    const one = pagePosted(withBoard(undefined), 2, [ref('m2')], 'fp2');
    expect(one).toEqual({ id: 'ADV-2026-0001', version: 8, phoneBoard: [{ n: 2, messages: [ref('m2')], shown: 'fp2' }] });
    const two = pagePosted(one!, 1, [ref('m1'), ref('t1', '19:oncall', 'teams')], 'fp1');
    expect(two?.phoneBoard).toEqual([
      { n: 1, messages: [ref('m1'), ref('t1', '19:oncall', 'teams')], shown: 'fp1' },
      { n: 2, messages: [ref('m2')], shown: 'fp2' },
    ]);
    expect(two?.version).toBe(9);
    // A record written before versions were kept starts from none.
    expect(pagePosted(unversioned(undefined), 1, [ref('m1')], 'fp')?.version).toBe(1);
  });

  it('is recorded once: a page that has its messages keeps them (a second run that posted it too changes nothing)', () => {
    const a = withBoard([{ n: 1, messages: [ref('first')], shown: 'fp' }]);
    expect(pagePosted(a, 1, [ref('second')], 'other')).toBeNull();
    // Even an empty list of messages is a record of the post.
    expect(pagePosted(withBoard([{ n: 1, messages: [], shown: 'fp' }]), 1, [ref('late')], 'fp')).toBeNull();
  });

  it('fills in a page known without messages', () => {
    const a = withBoard([{ n: 1 }, { n: 2, messages: [ref('m2')], shown: 'fp2' }]);
    expect(pagePosted(a, 1, [ref('m1')], 'fp1')?.phoneBoard).toEqual([
      { n: 1, messages: [ref('m1')], shown: 'fp1' },
      { n: 2, messages: [ref('m2')], shown: 'fp2' },
    ]);
  });
});

describe('what a page shows', () => {
  const posted = withBoard([
    { n: 1, messages: [ref('m1')], shown: 'a' },
    { n: 2, messages: [ref('m2')], shown: 'b' },
  ]);

  it('changes for that page only, moving the record on a version', () => {
    expect(pageShown(posted, 2, 'c')).toEqual({
      id: 'ADV-2026-0001',
      version: 8,
      phoneBoard: [
        { n: 1, messages: [ref('m1')], shown: 'a' },
        { n: 2, messages: [ref('m2')], shown: 'c' },
      ],
    });
    expect(pageShown(unversioned(posted.phoneBoard), 1, 'z')?.version).toBe(1);
  });

  it('is no change when it says so already, or when the page is not posted', () => {
    expect(pageShown(posted, 1, 'a')).toBeNull();
    expect(pageShown(posted, 3, 'x')).toBeNull();
    expect(pageShown(withBoard([{ n: 1 }]), 1, 'x')).toBeNull();
    expect(pageShown(withBoard(undefined), 1, 'x')).toBeNull();
  });
});

describe('finding a page', () => {
  const a = withBoard([
    { n: 1, messages: [ref('m1'), ref('t1', '19:oncall', 'teams')], shown: 'a' },
    { n: 2, messages: [ref('m2')], shown: 'b' },
    { n: 3 },
  ]);

  it('by number', () => {
    expect(findPage(a, 2)).toEqual({ n: 2, messages: [ref('m2')], shown: 'b' });
    expect(findPage(a, 4)).toBeUndefined();
    expect(findPage(withBoard(undefined), 1)).toBeUndefined();
  });

  it('by a message of it, on any on-call channel: platform, channel and message must all be the page\'s', () => {
    expect(pageOfMessage(a, ref('m1'))).toBe(1);
    expect(pageOfMessage(a, ref('t1', '19:oncall', 'teams'))).toBe(1);
    expect(pageOfMessage(a, ref('m2'))).toBe(2);
    expect(pageOfMessage(a, ref('m2', 'C0OTHER001'))).toBeUndefined();
    expect(pageOfMessage(a, ref('t1', 'C0ONC00001', 'slack'))).toBeUndefined();
    expect(pageOfMessage(a, ref('m1', 'C0ONC00001', 'teams'))).toBeUndefined();
    expect(pageOfMessage(a, ref('m9'))).toBeUndefined();
    expect(pageOfMessage(withBoard(undefined), ref('m1'))).toBeUndefined();
  });
});
