import { z } from 'zod';

/**
 * Typed text as the forms send it: trimmed, and empty when nothing in it shows. A title or body of
 * zero-width spaces would post an advisory members cannot read, so it gets the same answer as an
 * empty field ("enter the title").
 */

/**
 * Characters that show nothing: whitespace (U+3000 included), control characters, format characters
 * (\p{Cf}: zero-width space U+200B, non-joiner U+200C, joiner U+200D, word joiner U+2060, BOM U+FEFF,
 * bidi controls, soft hyphen …), the other default-ignorable code points (Hangul fillers U+115F,
 * U+1160, U+3164, U+FFA0, variation selectors, U+034F) and the blank Braille pattern U+2800.
 */
const ONLY_INVISIBLE = /^[\p{White_Space}\p{Cc}\p{Cf}\p{Default_Ignorable_Code_Point}\u2800]*$/u;

/** Line breaks (CR, LF, NEL, U+2028/2029, vertical tab, form feed) and tabs. */
const LINE_BREAKS = /[\t\n\v\f\r\u0085\u2028\u2029]+/u;

/** True when `text` has at least one character a reader can see. */
export function hasVisibleText(text: string): boolean {
  return !ONLY_INVISIBLE.test(text);
}

/**
 * A pasted title keeps its words and loses its line breaks: each run of breaks and tabs, with the
 * spaces around it, becomes one space ("VPN\r\n  装置" → "VPN 装置"). Split and join, not one regular
 * expression with spaces on both sides: that backtracks on a long run of spaces.
 */
export function foldLines(text: string): string {
  return text
    .split(LINE_BREAKS)
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .join(' ');
}

const visibleOrEmpty = (text: string): string => (hasVisibleText(text) ? text : '');

/**
 * Text that may span lines (a body, a note, a reason), at most `max` characters after trimming.
 * Nothing visible reads as empty (zod's too_small, like an empty field).
 */
export function multiLineText(max: number) {
  return z
    .string()
    .transform((s) => visibleOrEmpty(s.trim()))
    .pipe(z.string().min(1).max(max));
}

/** One line of text (a title): line breaks and tabs fold to one space, then as multiLineText. */
export function oneLineText(max: number) {
  return z
    .string()
    .transform((s) => visibleOrEmpty(foldLines(s).trim()))
    .pipe(z.string().min(1).max(max));
}
