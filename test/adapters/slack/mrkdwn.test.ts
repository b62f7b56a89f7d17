import { describe, expect, it } from 'vitest';
import {
  escapeMrkdwn,
  SECTION_TEXT_MAX,
  splitForSections,
  truncateMrkdwn,
  truncatePlain,
} from '../../../adapters/slack/mrkdwn.js';

describe('escapeMrkdwn', () => {
  it('turns mentions, channel links and disguised links into inert text', () => {
    const out = escapeMrkdwn('<!channel> <!here> <@U123> <#C123> <!subteam^S1> <https://evil.example|bank>');
    expect(out).not.toMatch(/[<>]/);
    expect(out).toBe(
      '&lt;!channel&gt; &lt;!here&gt; &lt;@U123&gt; &lt;#C123&gt; &lt;!subteam^S1&gt; &lt;https://evil.example|bank&gt;',
    );
  });

  it('escapes the ampersand first so existing entities stay literal', () => {
    expect(escapeMrkdwn('A & B &lt;x&gt;')).toBe('A &amp; B &amp;lt;x&amp;gt;');
  });

  it('defuses bare @channel, @here and @everyone in any case', () => {
    const out = escapeMrkdwn('@channel @HERE @Everyone user@example.jp');
    expect(out).not.toMatch(/@(channel|here|everyone)/i);
    expect(out).toBe('@\u2060channel @\u2060HERE @\u2060Everyone user@example.jp');
  });

  it('leaves Japanese text and mrkdwn emphasis alone', () => {
    expect(escapeMrkdwn('*至急* 電子カルテの脆弱性')).toBe('*至急* 電子カルテの脆弱性');
  });
});

describe('splitForSections', () => {
  it('keeps short text whole', () => {
    expect(splitForSections('一行目\n二行目')).toEqual(['一行目\n二行目']);
  });

  it('breaks between lines, never over the limit', () => {
    const line = 'あ'.repeat(1000);
    const chunks = splitForSections([line, line, line, line].join('\n'));
    expect(chunks).toEqual([`${line}\n${line}`, `${line}\n${line}`]);
    for (const c of chunks) expect(c.length).toBeLessThanOrEqual(SECTION_TEXT_MAX);
  });

  it('hard-splits a single long line and loses nothing', () => {
    const text = '脆'.repeat(7000);
    const chunks = splitForSections(text);
    expect(chunks.map((c) => c.length)).toEqual([2900, 2900, 1200]);
    expect(chunks.join('')).toBe(text);
  });

  it('does not cut an entity or a surrogate pair in half', () => {
    const escaped = escapeMrkdwn('x'.repeat(8) + '&&&&');
    const chunks = splitForSections(escaped, 10);
    for (const c of chunks) expect(c).toMatch(/^(?:[x]|&amp;)+$/);
    expect(chunks.join('')).toBe(escaped);

    const emoji = '🚨'.repeat(10);
    const parts = splitForSections(emoji, 5);
    for (const p of parts) expect(p).toMatch(/^(?:🚨)+$/u);
    expect(parts.join('')).toBe(emoji);
  });

  it('drops blank chunks but keeps blank lines inside a chunk', () => {
    expect(splitForSections('a\n\nb')).toEqual(['a\n\nb']);
    expect(splitForSections('\n\n   \n')).toEqual([]);
  });
});

describe('truncation', () => {
  it('truncatePlain marks the cut and respects the limit', () => {
    expect(truncatePlain('abc', 3)).toBe('abc');
    const t = truncatePlain('あ'.repeat(200), 150);
    expect(t).toHaveLength(150);
    expect(t.endsWith('…')).toBe(true);
  });

  it('truncateMrkdwn never leaves half an entity', () => {
    const t = truncateMrkdwn(escapeMrkdwn('ab<cd'), 5);
    expect(t).toBe('ab…');
  });
});
