import { describe, expect, it } from 'vitest';
import {
  ackNotice,
  PHONE_ACTIONS,
  phoneActionOfButton,
  phoneButtonId,
  phoneButtonValue,
  reachedChoiceButtonId,
  readPhoneButtonValue,
} from '../../../src/view/buttons.js';

describe('buttons shared by every platform', () => {
  it('gives each phone action one button id, and reads it back', () => {
    expect(PHONE_ACTIONS.map(phoneButtonId)).toEqual(['phone_claim', 'phone_release', 'phone_reached', 'phone_no_answer', 'phone_wrong_number']);
    for (const a of PHONE_ACTIONS) expect(phoneActionOfButton(phoneButtonId(a))).toBe(a);
    expect(phoneActionOfButton('advisory_ack')).toBeUndefined();
  });

  it('gives each "reached" choice its own id (Slack wants them distinct in a block), all read back as reached', () => {
    expect([1, 2, 5].map(reachedChoiceButtonId)).toEqual(['phone_reached.1', 'phone_reached.2', 'phone_reached.5']);
    for (const n of [1, 5, 20, 999]) expect(phoneActionOfButton(reachedChoiceButtonId(n))).toBe('reached');
    for (const id of ['phone_reached.', 'phone_reached.0', 'phone_reached.1000', 'phone_reached.1x', 'phone_claim.1', 'xphone_reached.1', 'phone_reached.01']) {
      expect(phoneActionOfButton(id), id).toBeUndefined();
    }
  });

  it('carries the task id and, for a choice, the contact in one value, and reads them back', () => {
    expect(phoneButtonValue('ADV-2026-0001.jma.slack-C1.phone')).toBe('ADV-2026-0001.jma.slack-C1.phone');
    expect(phoneButtonValue('ADV-2026-0001.jma.slack-C1.phone', '1:abc')).toBe('ADV-2026-0001.jma.slack-C1.phone#1:abc');
    expect(readPhoneButtonValue('ADV-2026-0001.jma.slack-C1.phone#1:abc')).toEqual({ taskId: 'ADV-2026-0001.jma.slack-C1.phone', choice: '1:abc' });
    expect(readPhoneButtonValue('T.phone')).toEqual({ taskId: 'T.phone', choice: undefined });
    expect(readPhoneButtonValue(undefined)).toEqual({ taskId: undefined, choice: undefined });
    // A forged value with more than one "#": the rest is the choice, for the core to refuse.
    expect(readPhoneButtonValue('T#1:a#2:b')).toEqual({ taskId: 'T', choice: '1:a#2:b' });
    expect(readPhoneButtonValue('#')).toEqual({ taskId: '', choice: '' });
  });

  it('thanks the first person and tells later ones who was first and when', () => {
    const first = { actor: { platform: 'slack' as const, userId: 'U1', name: '佐藤' }, at: '2026-11-25T09:00:00.000Z', via: 'button' as const };
    expect(ackNotice({ outcome: 'acknowledged', first }).ja).toBe('受領確認を記録しました。');
    expect(ackNotice({ outcome: 'repeat', first })).toEqual({ ja: '既に受領確認済みです: 佐藤 (2026/11/25 18:00 JST)', en: 'Already acknowledged: 佐藤 (2026/11/25 18:00 JST)' });
  });
});
