import { describe, expect, it } from 'vitest';
import { LOCAL_I18N, localFormOptions, TEMPLATE_TEXT } from '../../../adapters/local/local-text.js';

describe('the words the page gets for rounds', () => {
  it('templates with placeholders the page fills in, and the form and ended words as a table', () => {
    expect(TEMPLATE_TEXT.roundPleaseAckBy).toEqual({ ja: '受領確認をお願いします（期限 {deadline}）', en: 'Please acknowledge (by {deadline})' });
    expect(TEMPLATE_TEXT.roundLaterRound).toEqual({ ja: '受領確認は続報 #{followup} で行ってください（スレッド内）', en: 'Please acknowledge follow-up #{followup} in the thread' });
    expect(TEMPLATE_TEXT.roundReminder.ja).toBe('続報 #{followup} の受領確認をお願いします（期限 {deadline}）。');
    expect(TEMPLATE_TEXT.roundReminderPress.en).toBe('Press "Acknowledge" on follow-up #{followup} in the thread.');
    expect(TEMPLATE_TEXT.roundPhone).toEqual({ ja: '続報 #{followup}（第{n}回受領確認）についても伝えてください', en: 'Also tell them about follow-up #{followup} (acknowledgement round {n})' });
    expect(TEMPLATE_TEXT.round).toEqual({ ja: '第{n}回受領確認（続報 #{followup}、{since}から）', en: 'Acknowledgement round {n} (follow-up #{followup}, since {since})' });
    expect(Object.keys(LOCAL_I18N.ROUND_TEXT)).toEqual(['askAck', 'askAckHint', 'ackDeadlineMinutes', 'ackDeadlineHint', 'ackEnded']);
    expect(LOCAL_I18N.ROUND_TEXT.ackEnded).toEqual({ ja: 'この受領確認は終了しました', en: 'This acknowledgement has ended' });
  });
});

describe('the form words that depend on the policies', () => {
  it('names each severity default with its exact length (the demo level 4: 90 seconds, not "2分")', () => {
    const defaults = { level4: 90, level3: 120, level2: 180, level1: 90 * 60, level0: 72 * 3600 };
    const form = localFormOptions({ groups: [], organisations: [], defaultDeadlineSeconds: defaults, escalationOptional: ['level1', 'level0'] });
    expect(form.text.defaultDeadline).toEqual({
      level4: { ja: '90秒', en: '90 seconds' },
      level3: { ja: '2分', en: '2 minutes' },
      level2: { ja: '3分', en: '3 minutes' },
      level1: { ja: '1時間30分', en: '1 hour 30 minutes' },
      level0: { ja: '72時間', en: '72 hours' },
    });
    expect(form.text.severityDefault.level4).toEqual({ ja: '既定の期限 90秒', en: 'default deadline 90 seconds' });
    expect(form.text.deadlineChoices.map((c) => c.text.ja)).toEqual(['15分', '30分', '1時間', '2時間', '4時間', '8時間', '24時間', '72時間']);
  });
});
