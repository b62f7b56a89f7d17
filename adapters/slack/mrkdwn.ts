/**
 * Making user-typed text safe for Slack, and fitting it into Slack's size limits.
 *
 * Slack parses `<…>` in mrkdwn as mentions (`<!channel>`, `<@U123>`, `<!subteam^S1>`), channel links
 * (`<#C123>`) and links whose visible text can hide the address (`<https://evil|bank>`). Escaping the three
 * characters Slack names (&, <, >) turns all of these into inert text.
 */

/** Slack's section text limit is 3,000; the margin leaves room for a prefix or an ellipsis. */
export const SECTION_TEXT_MAX = 2900;

const WORD_JOINER = '\u2060';

/**
 * Escape text for a mrkdwn field. A bare "@channel" / "@here" / "@everyone" is defused too: Slack turns
 * them into pings when a message is posted with link_names or when someone later copies the text into a
 * message of their own; an invisible word joiner after the "@" keeps the text readable but never a ping.
 */
export function escapeMrkdwn(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/@(?=channel|here|everyone)/gi, `@${WORD_JOINER}`);
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/** Largest cut ≤ max that does not split a surrogate pair (an emoji or a rare kanji would turn into �). */
function plainCut(text: string, max: number): number {
  let cut = Math.min(max, text.length);
  if (cut > 0 && cut < text.length && isHighSurrogate(text.charCodeAt(cut - 1))) cut -= 1;
  return cut;
}

/**
 * Largest cut ≤ max that splits neither a surrogate pair nor one of the entities escapeMrkdwn writes:
 * half an entity ("&am") would show as literal text, and "&" left alone breaks Slack's parsing.
 */
function mrkdwnCut(text: string, max: number): number {
  let cut = plainCut(text, max);
  const amp = text.lastIndexOf('&', cut - 1);
  if (amp >= 0 && cut - amp < 5) {
    const entity = /^&(?:amp|lt|gt);/.exec(text.slice(amp));
    if (entity && amp + entity[0].length > cut) cut = amp;
  }
  return cut;
}

/** Hard-cut text that is longer than max, always making progress even when max is tiny. */
function hardSplit(text: string, max: number): string[] {
  const parts: string[] = [];
  let rest = text;
  while (rest.length > max) {
    const cut = Math.max(1, mrkdwnCut(rest, max));
    parts.push(rest.slice(0, cut));
    rest = rest.slice(cut);
  }
  parts.push(rest);
  return parts;
}

/**
 * Split (already escaped) mrkdwn into chunks of at most `max` characters, one per section block, breaking
 * between lines where it can so paragraphs and list items stay whole; a single line longer than `max`
 * (Japanese prose has no spaces to break at) is cut hard. Whitespace-only chunks are dropped because
 * Slack rejects a section whose text is blank.
 */
export function splitForSections(text: string, max: number = SECTION_TEXT_MAX): string[] {
  const chunks: string[] = [];
  let lines: string[] = [];
  let length = 0;
  const flush = (): void => {
    const chunk = lines.join('\n');
    if (chunk.trim() !== '') chunks.push(chunk);
    lines = [];
    length = 0;
  };
  for (const line of text.split('\n')) {
    const added = lines.length === 0 ? line.length : length + 1 + line.length;
    if (added <= max) {
      lines.push(line);
      length = added;
      continue;
    }
    flush();
    const parts = hardSplit(line, max);
    const last = parts.pop() ?? '';
    for (const part of parts) if (part.trim() !== '') chunks.push(part);
    lines = [last];
    length = last.length;
  }
  flush();
  return chunks;
}

/** Shorten a plain_text field (header, button, option) to Slack's limit, marking the cut with "…". */
export function truncatePlain(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, plainCut(text, max - 1))}…`;
}

/** Shorten escaped mrkdwn without leaving half an entity behind. */
export function truncateMrkdwn(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, mrkdwnCut(text, max - 1))}…`;
}
