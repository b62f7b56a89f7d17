import { describe, expect, it } from 'vitest';
import { ackNotice, PHONE_ACTIONS, phoneActionOfButton, phoneButtonId } from '../../../src/view/buttons.js';

describe('buttons shared by every platform', () => {
  it('gives each phone action one button id, and reads it back', () => {
    expect(PHONE_ACTIONS.map(phoneButtonId)).toEqual(['phone_claim', 'phone_release', 'phone_reached', 'phone_no_answer', 'phone_wrong_number']);
    for (const a of PHONE_ACTIONS) expect(phoneActionOfButton(phoneButtonId(a))).toBe(a);
    expect(phoneActionOfButton('advisory_ack')).toBeUndefined();
  });

  it('thanks the first person and tells later ones who was first and when', () => {
    const first = { actor: { platform: 'slack' as const, userId: 'U1', name: '佐藤' }, at: '2026-11-25T09:00:00.000Z', via: 'button' as const };
    expect(ackNotice({ outcome: 'acknowledged', first }).ja).toBe('受領確認を記録しました。');
    expect(ackNotice({ outcome: 'repeat', first })).toEqual({ ja: '既に受領確認済みです: 佐藤 (2026/11/25 18:00 JST)', en: 'Already acknowledged: 佐藤 (2026/11/25 18:00 JST)' });
  });
});
