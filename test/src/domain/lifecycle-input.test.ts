import { describe, expect, it } from 'vitest';
import { BODY_MAX, TITLE_MAX } from '../../../src/domain/advisory.js';
import { CorrectionInput, FollowUpInput, NOTE_MAX, WithdrawalInput } from '../../../src/domain/lifecycle-input.js';

const ZERO_WIDTH = '\u200B\u200C\u200D\u2060\uFEFF';
const issuesOf = (r: { error?: { issues: { path: PropertyKey[]; code: string }[] } | undefined }) => r.error?.issues.map((i) => [i.path.join('.'), i.code]) ?? [];

describe('lifecycle input', () => {
  it('refuses a correction whose title, body or note has nothing visible, as if it were empty', () => {
    const empty = issuesOf(CorrectionInput.safeParse({ title: '', body: '', note: '' }));
    expect(empty).toEqual([
      ['title', 'too_small'],
      ['body', 'too_small'],
      ['note', 'too_small'],
    ]);
    expect(issuesOf(CorrectionInput.safeParse({ title: ZERO_WIDTH, body: `${ZERO_WIDTH}\n\u3000`, note: '\u2060' }))).toEqual(empty);
    // Leaving title and body out changes only the classification.
    expect(issuesOf(CorrectionInput.safeParse({ severity: 'level4', note: '深刻度を上げる' }))).toEqual([]);
  });

  it('folds line breaks in a corrected title, keeps them in the body and the note', () => {
    expect(CorrectionInput.parse({ title: '件名\r\n訂正版', body: 'a\nb', note: '件名を\n訂正' })).toMatchObject({ title: '件名 訂正版', body: 'a\nb', note: '件名を\n訂正' });
  });

  it('bounds the corrected title and body as the issue form does', () => {
    expect(issuesOf(CorrectionInput.safeParse({ title: 'x'.repeat(TITLE_MAX), body: 'x'.repeat(BODY_MAX), note: 'x'.repeat(NOTE_MAX) }))).toEqual([]);
    expect(issuesOf(CorrectionInput.safeParse({ title: 'x'.repeat(TITLE_MAX + 1), body: 'x'.repeat(BODY_MAX + 1), note: 'x'.repeat(NOTE_MAX + 1) }))).toEqual([
      ['title', 'too_big'],
      ['body', 'too_big'],
      ['note', 'too_big'],
    ]);
  });

  it('refuses a follow-up or a withdrawal reason with nothing visible, as if it were empty', () => {
    expect(issuesOf(FollowUpInput.safeParse({ body: ZERO_WIDTH }))).toEqual([['body', 'too_small']]);
    expect(issuesOf(FollowUpInput.safeParse({ body: 'x'.repeat(BODY_MAX + 1) }))).toEqual([['body', 'too_big']]);
    expect(FollowUpInput.parse({ body: ' 続報\n二行目 ' })).toEqual({ body: '続報\n二行目', acknowledge: false });
    expect(issuesOf(WithdrawalInput.safeParse({ reason: `\n${ZERO_WIDTH}\n` }))).toEqual([['reason', 'too_small']]);
    expect(WithdrawalInput.parse({ reason: ' 誤報のため ' })).toEqual({ reason: '誤報のため' });
  });
});
