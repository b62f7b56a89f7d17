import { expect } from 'vitest';

/** What Teams' card Markdown acts on anywhere in a line, and what may follow our backslash. */
const INLINE = new Set('\\*_[]');
const ESCAPED = new Set('\\*_[]-+.)');

/** The text as a reader sees it: the inverse of escapeCardText (line breaks, escapes, word joiners, indentation). */
export function unescapeCardText(text: string): string {
  return text
    .replace(/\n\n/g, '\n')
    .replace(/^\u00a0+/gm, (ws) => ' '.repeat(ws.length))
    .replace(/\\([\\*_[\]\-+.)])/g, '$1')
    .replace(/<\u2060/g, '<');
}

/**
 * Nothing in `text` is Markdown Teams would act on: every emphasis mark, link bracket and backslash is
 * escaped, no line starts with a list marker, and no mention markup is left.
 */
export function assertInert(text: string): void {
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i] as string;
    if (c === '\\') {
      expect(ESCAPED.has(text[i + 1] ?? ''), `dangling backslash at ${i} in ${JSON.stringify(text)}`).toBe(true);
      i += 1;
    } else {
      expect(INLINE.has(c), `unescaped ${c} at ${i} in ${JSON.stringify(text)}`).toBe(false);
    }
  }
  for (const line of text.split('\n')) expect(line, `list marker in ${JSON.stringify(line)}`).not.toMatch(/^[\s\u00a0]*(?:[-+*]|\d+[.)])(?:[ \t]|$)/);
  expect(text.toLowerCase()).not.toMatch(/<\s*\/?\s*at/);
}

/** Every string Teams reads as Markdown: TextBlock texts, Fact titles and values. */
export function markdownTexts(value: unknown): string[] {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v !== null && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (o.type === 'TextBlock' && typeof o.text === 'string') out.push(o.text);
      if (Array.isArray(o.facts)) {
        for (const f of o.facts as { title: string; value: string }[]) out.push(f.title, f.value);
      }
      Object.values(o).forEach(walk);
    }
  };
  walk(value);
  return out;
}

/** Every element of a card (containers opened), in order. */
export function elements(value: unknown): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v !== null && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (typeof o.type === 'string') out.push(o);
      for (const [k, child] of Object.entries(o)) if (k !== 'msteams') walk(child);
    }
  };
  walk(value);
  return out;
}
