/** The thread message record's rules: what is kept, in which order, and what an edit or a deletion does. */
import { describe, expect, it } from 'vitest';
import {
  addEdit,
  currentText,
  CUT_MARK,
  firstLine,
  keptText,
  markDeleted,
  newThreadMessage,
  THREAD_TEXT_MAX,
  threadOrder,
  type ThreadMessage,
} from '../../../src/domain/thread-message.js';

const T = new Date('2026-04-01T09:00:00.000Z');
const at = (m: number) => new Date(T.getTime() + m * 60_000).toISOString();

function aMessage(over: Partial<Parameters<typeof newThreadMessage>[0]> = {}): ThreadMessage {
  return newThreadMessage(
    {
      platform: 'slack',
      channelId: 'C1',
      messageId: '1.1',
      rootId: '1.0',
      deliveryId: 'd',
      advisoryId: 'ADV-2026-0001',
      memberId: 'jma',
      author: { platform: 'slack', userId: 'U1' },
      text: '確認します',
      at: at(1),
      ...over,
    },
    T,
  );
}

describe('a thread message', () => {
  it('starts as a message, version 1, with no edits, recorded now', () => {
    expect(aMessage()).toEqual({
      platform: 'slack',
      channelId: 'C1',
      messageId: '1.1',
      rootId: '1.0',
      deliveryId: 'd',
      advisoryId: 'ADV-2026-0001',
      memberId: 'jma',
      author: { platform: 'slack', userId: 'U1' },
      text: '確認します',
      at: at(1),
      recordedAt: T.toISOString(),
      from: 'message',
      edits: [],
      version: 1,
    });
    expect(aMessage({ from: 'deletion' }).from).toBe('deletion');
  });

  it('keeps text up to the limit whole, and cuts a longer one saying so', () => {
    const exact = 'あ'.repeat(THREAD_TEXT_MAX);
    expect(keptText(exact)).toBe(exact);
    const cut = keptText(`${exact}い`);
    expect(cut).toHaveLength(THREAD_TEXT_MAX);
    expect(cut.endsWith(CUT_MARK)).toBe(true);
    expect(aMessage({ text: `${exact}い` }).text).toBe(cut);
  });

  it('keeps edits in time order, then by id, whatever order they come in; the same edit twice is one', () => {
    let m = aMessage();
    for (const [id, minute] of [['c', 5], ['b', 3], ['a', 5]] as const) {
      const t = addEdit(m, { id, at: at(minute), text: `edit ${id}` }, T);
      if (!t.changed) throw new Error('not applied');
      m = t.next;
    }
    expect(m.edits.map((e) => e.id)).toEqual(['b', 'a', 'c']);
    expect(m.version).toBe(4);
    expect(currentText(m)).toBe('edit c');
    expect(addEdit(m, { id: 'a', at: at(9), text: 'again' }, T)).toEqual({ changed: false, reason: 'already', current: m });
    expect(currentText(aMessage())).toBe('確認します');
  });

  it('is deleted once; an edit after the deletion is not applied', () => {
    const m = aMessage();
    const d = markDeleted(m, at(7), new Date(at(8)));
    if (!d.changed) throw new Error('not applied');
    expect(d.next).toEqual({ ...m, deleted: { at: at(7), recordedAt: at(8) }, version: 2 });
    expect(markDeleted(d.next, at(9), new Date(at(9)))).toEqual({ changed: false, reason: 'already', current: d.next });
    expect(addEdit(d.next, { id: 'x', at: at(10), text: 'late' }, T)).toEqual({ changed: false, reason: 'deleted', current: d.next });
  });

  it('orders a thread by the platform’s time, then by message id, in code-unit order', () => {
    const list = [aMessage({ messageId: 'b', at: at(2) }), aMessage({ messageId: 'a', at: at(2) }), aMessage({ messageId: 'Z', at: at(3) }), aMessage({ messageId: 'z', at: at(1) })];
    expect([...list].sort(threadOrder).map((m) => m.messageId)).toEqual(['z', 'a', 'b', 'Z']);
    expect(threadOrder(list[0]!, list[0]!)).toBe(0);
    // Upper case before lower case, as SQLite and MongoDB compare (localeCompare would not).
    expect([aMessage({ messageId: 'a' }), aMessage({ messageId: 'B' })].sort(threadOrder).map((m) => m.messageId)).toEqual(['B', 'a']);
  });

  it('shows the first non-blank line, cut with "…" past the limit', () => {
    expect(firstLine('\n  \n  一行目  \n二行目')).toBe('一行目');
    expect(firstLine('a\r\nb')).toBe('a');
    expect(firstLine('')).toBe('');
    expect(firstLine('   ')).toBe('');
    expect(firstLine('x'.repeat(100))).toBe('x'.repeat(100));
    expect(firstLine('x'.repeat(101))).toBe(`${'x'.repeat(99)}…`);
    expect(firstLine('abcdef', 4)).toBe('abc…');
  });
});
