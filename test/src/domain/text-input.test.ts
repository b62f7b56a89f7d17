import { describe, expect, it } from 'vitest';
import { foldLines, hasVisibleText, multiLineText, oneLineText } from '../../../src/domain/text-input.js';

const issues = (schema: ReturnType<typeof multiLineText>, text: unknown) => schema.safeParse(text).error?.issues.map((i) => i.code) ?? [];

describe('visible text', () => {
  it('finds nothing visible in whitespace, format characters and other invisible characters', () => {
    for (const blank of [
      '',
      ' \t\r\n',
      '\u3000', // ideographic space
      '\u200B\u200C\u200D\u2060\uFEFF', // zero-width space, non-joiner, joiner, word joiner, BOM
      '\u00AD\u061C\u202E\u2066', // soft hyphen, Arabic letter mark, bidi controls (\p{Cf})
      '\u115F\u1160\u3164\uFFA0', // Hangul fillers
      '\uFE0F\u034F', // variation selector, combining grapheme joiner
      '\u2800', // blank Braille pattern
      '\u0000\u0007', // controls
    ]) {
      expect({ blank, visible: hasVisibleText(blank) }).toEqual({ blank, visible: false });
    }
  });

  it('finds any character that shows, even next to invisible ones', () => {
    for (const text of ['a', '\u200B件名\u200B', '。', '⚠\uFE0F', '👩\u200D💻', '\u2801', '0']) expect({ text, visible: hasVisibleText(text) }).toEqual({ text, visible: true });
  });
});

describe('one line of text', () => {
  it('folds each run of line breaks and tabs, with the spaces around it, to one space', () => {
    expect(foldLines('VPN\r\n装置の脆弱性')).toBe('VPN 装置の脆弱性');
    expect(foldLines('a \n\n  \t b')).toBe('a b');
    expect(foldLines('a\u2028b\u2029c\u0085d\ve\ff')).toBe('a b c d e f');
    expect(foldLines('\n先頭と末尾\n')).toBe('先頭と末尾');
    // Spaces without a break stay as typed.
    expect(foldLines('a  b\u3000c')).toBe('a  b\u3000c');
  });

  it('folds a long run of spaces in linear time', () => {
    const spaces = ' '.repeat(200_000);
    const start = performance.now();
    expect(foldLines(`a${spaces}b${spaces}`)).toBe(`a${spaces}b`);
    expect(performance.now() - start).toBeLessThan(1_000);
  });

  it('folds before it counts and trims, and keeps a title of one line as typed', () => {
    const title = oneLineText(10);
    expect(title.parse('  件名\n続き  ')).toBe('件名 続き');
    expect(title.parse('件名\t続き')).toBe('件名 続き');
    expect(title.parse('x'.repeat(10))).toBe('x'.repeat(10));
    // Ten characters once the break and its spaces fold to one space.
    expect(title.parse('xxxx \r\n xxxxx')).toBe('xxxx xxxxx');
    expect(issues(title, 'x'.repeat(11))).toEqual(['too_big']);
  });

  it('is empty when nothing in it shows', () => {
    const title = oneLineText(10);
    expect(issues(title, '\u200B\u200B\u200B')).toEqual(['too_small']);
    expect(issues(title, '\n\u2060\t\uFEFF\n')).toEqual(['too_small']);
    expect(issues(title, 42)).toEqual(['invalid_type']);
  });
});

describe('text of several lines', () => {
  it('keeps its line breaks, trims its ends, and is empty when nothing in it shows', () => {
    const body = multiLineText(20);
    expect(body.parse('\n 一行目\n\n二行目\t \n')).toBe('一行目\n\n二行目');
    expect(issues(body, '\u200B\n\u200C\n\u200D')).toEqual(['too_small']);
    expect(issues(body, '   ')).toEqual(['too_small']);
    // Invisible characters around visible ones are kept: they may belong to what was typed.
    expect(body.parse('\u200B本文')).toBe('\u200B本文');
  });

  it('counts after trimming', () => {
    const body = multiLineText(3);
    expect(body.parse('  abc  ')).toBe('abc');
    expect(issues(body, 'abcd')).toEqual(['too_big']);
  });
});
