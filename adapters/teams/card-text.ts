/**
 * Making user-typed text inert in Adaptive Card TextBlocks (and Fact titles and values).
 *
 * Teams renders the Adaptive Card Markdown subset there, and only that: **bold** and _italic_, bulleted
 * ("- ", "* ") and numbered ("1. ") lists at the start of a line, [text](url) links whose visible text can
 * hide the address, and `<at>name</at>` mentions (live when the card's msteams.entities names them).
 * escapeCardText escapes exactly those, so user text shows as typed: escaping every CommonMark character
 * (ADV\-2026\-0001) made some Teams mobile clients show the backslashes.
 *
 * JSON injection (a title such as `"}],"actions":[…`) is impossible by construction: cards are built as
 * plain objects and serialised by JSON.stringify (botbuilder does it when it sends the activity), never
 * assembled from string templates, so quotes, braces and newlines in user text stay inside their string.
 * Cards are never run through the Adaptive Card templating SDK either, so `${…}` in user text is inert.
 *
 * Plain-text properties (Input values, choice titles, action titles, input labels) are not Markdown and
 * must NOT be escaped: the backslashes would show.
 */

/** Meaningful anywhere in a line: emphasis, a link's brackets, and the escape character itself. */
const INLINE_SPECIAL = /[\\*_[\]]/g;
/** A list marker at the start of a line ("- item", "+ item", "1. item", "2) item"); "* " is caught above. */
const LIST_MARKER = /^([ \t]*)(?:([-+])|(\d+)([.)]))(?=[ \t]|$)/gm;
/** "<" that would start `<at>` or `</at>` (any case, any spacing). */
const AT_TAG = /<(?=\s*\/?\s*at)/gi;
/** Invisible; between "<" and "at" it makes sure no Teams client reads the text as mention markup. */
const WORD_JOINER = '\u2060';
const NBSP = '\u00a0';

/**
 * Escape text for a TextBlock / Fact:
 * - emphasis, link brackets and backslashes get a backslash; a list marker at the start of a line too;
 * - `<at>` / `</at>` get an invisible word joiner after the "<", so they are never mention markup;
 * - each line break becomes a paragraph break (Teams joins lines separated by a single "\n"), so the
 *   body keeps its lines;
 * - indentation at the start of a line becomes non-breaking spaces, so it never starts a nested list.
 */
export function escapeCardText(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(INLINE_SPECIAL, (c) => `\\${c}`)
    .replace(LIST_MARKER, (_m, indent: string, bullet: string | undefined, digits: string | undefined, dot: string | undefined) =>
      bullet !== undefined ? `${indent}\\${bullet}` : `${indent}${digits}\\${dot}`,
    )
    .replace(AT_TAG, `<${WORD_JOINER}`)
    .replace(/^[ \t]+/gm, (ws) => ws.replace(/\t/g, '    ').replace(/ /g, NBSP))
    .replace(/\n/g, '\n\n');
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/**
 * Shorten text to at most `max` UTF-16 units, marking the cut with "…". Never splits a surrogate pair (an
 * emoji or a rare kanji would turn into �), and never leaves half an escape behind when the text is
 * already escaped (a lone trailing backslash would escape the "…").
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 0) return '';
  let cut = max - 1;
  if (cut > 0 && isHighSurrogate(text.charCodeAt(cut - 1))) cut -= 1;
  let head = text.slice(0, cut);
  const backslashes = /\\+$/.exec(head)?.[0].length ?? 0;
  if (backslashes % 2 === 1) head = head.slice(0, -1);
  return `${head}…`;
}

/** Notification summaries stay short: a lock-screen preview shows a line or two. */
export const SUMMARY_MAX = 300;

/**
 * Plain text for an activity's `summary` (notifications, the chat list), where backslash escapes would show.
 * One line, cut to SUMMARY_MAX, and still inert should it ever be rendered as Markdown: an invisible word
 * joiner after every "<" (no `<at>` mention, no `<https://…>` autolink, no HTML) and between "]" and "(" (no
 * `[text](url)` link). Nothing else can start Markdown mid-line after our "[TLP:…]" prefix.
 */
export function summaryText(text: string): string {
  const line = text
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/</g, `<${WORD_JOINER}`)
    .replace(/\](?=\s*\()/g, `]${WORD_JOINER}`);
  return truncate(line, SUMMARY_MAX);
}
