import { describe, expect, it } from 'vitest';
import { escapeCardText, SUMMARY_MAX, summaryText, truncate } from '../../../adapters/teams/card-text.js';
import { assertInert, unescapeCardText } from './card-helpers.js';

describe('escapeCardText', () => {
  it('turns a Markdown link into literal text (its brackets are escaped)', () => {
    const out = escapeCardText('[銀行](https://evil.example/login)');
    expect(out).toBe('\\[銀行\\](https://evil.example/login)');
    assertInert(out);
  });

  it('escapes emphasis, and leaves what Teams cards do not interpret alone', () => {
    const out = escapeCardText('**bold** _italic_ ~~gone~~ `code` # no heading > no quote | no table');
    expect(out).toBe('\\*\\*bold\\*\\* \\_italic\\_ ~~gone~~ `code` # no heading > no quote | no table');
    assertInert(out);
  });

  it('shows ids, versions and scores without backslashes (some Teams mobile clients show them)', () => {
    const text = 'ADV-2026-0001 CVE-2026-12345 (CVSS 9.8) v1.2.3 R&D 3-5 営業日 https://example.jp/a-b.html';
    expect(escapeCardText(text)).toBe(text);
  });

  it('escapes list markers at the start of a line, and only there', () => {
    const out = escapeCardText('- item\n+ item\n* item\n1. one\n2) two\n  - nested\na - b 1. c');
    expect(out.split('\n\n')).toEqual(['\\- item', '\\+ item', '\\* item', '1\\. one', '2\\) two', '\u00a0\u00a0\\- nested', 'a - b 1. c']);
    assertInert(out);
  });

  it('neutralises <at> mention markup, whatever its case or spacing', () => {
    for (const input of ['<at>Secretariat</at>', '<AT>boss</AT>', '< at >x</ at>', 'hi <at>everyone</at>!']) {
      const out = escapeCardText(input);
      expect(out.toLowerCase()).not.toMatch(/<\s*\/?\s*at/);
      expect(out).toContain('<\u2060');
      assertInert(out);
      expect(unescapeCardText(out)).toBe(input);
    }
  });

  it('keeps every line: a line break becomes a paragraph break, CRLF included', () => {
    expect(escapeCardText('一行目\n二行目')).toBe('一行目\n\n二行目');
    expect(escapeCardText('a\r\nb\rc')).toBe('a\n\nb\n\nc');
  });

  it('keeps indentation as non-breaking spaces, so it never starts a nested list', () => {
    const out = escapeCardText('手順:\n    1. 更新する\n\tb');
    expect(out).toBe('手順:\n\n\u00a0\u00a0\u00a0\u00a01\\. 更新する\n\n\u00a0\u00a0\u00a0\u00a0b');
  });

  it('is reversible: the reader sees exactly what was typed', () => {
    const input = 'CVE-2026-0001 (CVSS 9.8) — R&D <script>alert(1)</script> \\path\\ `x` {"a": 1} ${env} @channel';
    const out = escapeCardText(input);
    assertInert(out);
    expect(unescapeCardText(out)).toBe(input);
  });

  it('leaves Japanese and ordinary words alone', () => {
    expect(escapeCardText('厚生労働省より注意喚起がありました')).toBe('厚生労働省より注意喚起がありました');
  });
});

describe('truncate', () => {
  it('returns short text unchanged', () => {
    expect(truncate('短い', 10)).toBe('短い');
  });

  it('cuts long text to the limit with an ellipsis', () => {
    const out = truncate('あいうえおかきくけこ', 5);
    expect(out).toBe('あいうえ…');
    expect(out.length).toBe(5);
  });

  it('never splits a surrogate pair', () => {
    const out = truncate('ab😀cd', 4);
    expect(out).toBe('ab…');
    expect(out).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
  });

  it('never leaves half an escape behind', () => {
    const escaped = escapeCardText('ab*cd');
    expect(escaped).toBe('ab\\*cd');
    expect(truncate(escaped, 4)).toBe('ab…');
    expect(truncate(escaped, 5)).toBe('ab\\*…');
  });

  it('copes with tiny limits', () => {
    expect(truncate('abc', 0)).toBe('');
    expect(truncate('abc', 1)).toBe('…');
  });
});

describe('summaryText', () => {
  it('is one plain line with no escapes to show', () => {
    expect(summaryText('[TLP:AMBER] CVE-2026-0001 (CVSS 9.8)\n対応をお願いします')).toBe('[TLP:AMBER] CVE-2026-0001 (CVSS 9.8) 対応をお願いします');
  });

  it('breaks links, autolinks and mention markup invisibly', () => {
    const out = summaryText('[銀行](https://evil.example) <https://evil.example> <at>Boss</at> [x] (y)');
    expect(out).toBe('[銀行]\u2060(https://evil.example) <\u2060https://evil.example> <\u2060at>Boss<\u2060/at> [x]\u2060 (y)');
    expect(out.replace(/\u2060/g, '')).toBe('[銀行](https://evil.example) <https://evil.example> <at>Boss</at> [x] (y)');
  });

  it('is cut to a notification-sized length', () => {
    const out = summaryText('あ'.repeat(1000));
    expect(out.length).toBe(SUMMARY_MAX);
    expect(out.endsWith('…')).toBe(true);
  });
});
