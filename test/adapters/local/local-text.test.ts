import { describe, expect, it } from 'vitest';
import { LOCAL_I18N, TEMPLATE_TEXT } from '../../../adapters/local/local-text.js';

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
