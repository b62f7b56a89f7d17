import { describe, expect, it } from 'vitest';
import { durationText } from '../../../src/i18n/lifecycle-text.js';

describe('durationText (time since issue, time to the last acknowledgement)', () => {
  it('counts seconds under two minutes: 29 s is not "0分", 90 s is not "2分"', () => {
    expect(durationText(29_000)).toEqual({ ja: '29秒', en: '29 s' });
    expect(durationText(90_000)).toEqual({ ja: '90秒', en: '90 s' });
    expect(durationText(119_400)).toEqual({ ja: '119秒', en: '119 s' });
    expect(durationText(0)).toEqual({ ja: '0秒', en: '0 s' });
    expect(durationText(-5_000)).toEqual({ ja: '0秒', en: '0 s' });
  });
  it('counts minutes from two minutes on, and hours with minutes past an hour', () => {
    expect(durationText(120_000)).toEqual({ ja: '2分', en: '2 min' });
    expect(durationText(12 * 60_000 + 29_000)).toEqual({ ja: '12分', en: '12 min' });
    expect(durationText(12 * 60_000 + 31_000)).toEqual({ ja: '13分', en: '13 min' });
    expect(durationText(60 * 60_000)).toEqual({ ja: '1時間0分', en: '1 h 0 min' });
    expect(durationText(65 * 60_000)).toEqual({ ja: '1時間5分', en: '1 h 5 min' });
    expect(durationText(25 * 60 * 60_000)).toEqual({ ja: '25時間0分', en: '25 h 0 min' });
  });
});
