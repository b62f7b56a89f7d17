import { describe, expect, it } from 'vitest';
import { durationText, FIELD_ERROR, FIELD_NOUN, secondsText, severityDefaultText } from '../../../src/i18n/form-text.js';
import { deadlineText } from '../../../src/i18n/preview-text.js';

describe('deadline lengths', () => {
  it('says a length under two minutes that is not whole minutes in seconds', () => {
    expect(secondsText(90)).toEqual({ ja: '90秒', en: '90 seconds' });
    expect(secondsText(45)).toEqual({ ja: '45秒', en: '45 seconds' });
    expect(secondsText(1)).toEqual({ ja: '1秒', en: '1 second' });
    expect(secondsText(119)).toEqual({ ja: '119秒', en: '119 seconds' });
    expect(secondsText(60)).toEqual({ ja: '1分', en: '1 minute' });
  });

  it('says whole minutes and hours, exact, never rounded', () => {
    expect(secondsText(15 * 60)).toEqual({ ja: '15分', en: '15 minutes' });
    expect(secondsText(2 * 60)).toEqual({ ja: '2分', en: '2 minutes' });
    expect(secondsText(90 * 60)).toEqual({ ja: '1時間30分', en: '1 hour 30 minutes' });
    expect(secondsText(3600)).toEqual({ ja: '1時間', en: '1 hour' });
    expect(secondsText(72 * 3600)).toEqual({ ja: '72時間', en: '72 hours' });
    expect(secondsText(150)).toEqual({ ja: '2分30秒', en: '2 minutes 30 seconds' });
    expect(secondsText(3600 + 1)).toEqual({ ja: '1時間1秒', en: '1 hour 1 second' });
    expect(secondsText(0)).toEqual({ ja: '0秒', en: '0 seconds' });
  });

  it('reads the form choices in minutes as before', () => {
    expect([15, 30, 60, 120, 1440, 4320].map((m) => durationText(m).ja)).toEqual(['15分', '30分', '1時間', '2時間', '24時間', '72時間']);
    expect(durationText(90)).toEqual({ ja: '1時間30分', en: '1 hour 30 minutes' });
    expect(durationText(1).en).toBe('1 minute');
  });

  it('names the severity default and the preview deadline with the exact length', () => {
    // The demo's level-4 default: 90 seconds, which read "2分" when rounded to minutes.
    expect(severityDefaultText(90)).toEqual({ ja: '既定の期限 90秒', en: 'default deadline 90 seconds' });
    expect(severityDefaultText(15 * 60)).toEqual({ ja: '既定の期限 15分', en: 'default deadline 15 minutes' });
    expect(deadlineText('2026/12/01 10:01 JST', 90)).toEqual({ ja: '2026/12/01 10:01 JST（送信から 90秒）', en: '2026/12/01 10:01 JST (90 seconds after sending)' });
  });
});

describe('field errors', () => {
  it('refuses a text over its limit with what was entered', () => {
    expect(FIELD_ERROR.tooLong(FIELD_NOUN.body, 12_000, 20_000)).toEqual({
      ja: '本文は12,000文字以内です（20,000文字入力されています）。',
      en: 'The body must be at most 12,000 characters (20,000 entered).',
    });
    expect(FIELD_ERROR.tooLong(FIELD_NOUN.title, 150)).toEqual({ ja: '件名は150文字以内です。', en: 'The title must be at most 150 characters.' });
  });
});
