import type { Bilingual } from './text.js';

/**
 * The words of acknowledgement rounds (a follow-up that asks members to acknowledge it). Japanese first,
 * English second. The same words on every platform (Slack, Teams, the local workspace). Times come formatted (formatTokyo);
 * numbers may come as placeholders ("{n}") for the local page's templates.
 */
export const RT = {
  askAck: { ja: '受領確認を求める', en: 'Ask members to acknowledge' } satisfies Bilingual,
  askAckHint: {
    ja: 'チェックすると、各構成員にこの続報の受領確認を求めます。未確認の構成員にはリマインド・電話連絡を行います。',
    en: 'When ticked, every member is asked to acknowledge this follow-up; members who do not are reminded and phoned.',
  } satisfies Bilingual,
  ackDeadlineMinutes: { ja: '受領確認の期限（分）', en: 'Acknowledgement deadline (minutes)' } satisfies Bilingual,
  ackDeadlineHint: {
    ja: '空欄のときは注意喚起と同じ長さです（1〜10,080 分）。',
    en: "Empty: as long as the advisory's own deadline (1 to 10,080 minutes).",
  } satisfies Bilingual,
  /** On a follow-up that asks for acknowledgement, above its button. */
  pleaseAckBy: (deadline: string): Bilingual => ({ ja: `受領確認をお願いします（期限 ${deadline}）`, en: `Please acknowledge (by ${deadline})` }),
  /** On a follow-up whose round a later one replaced, or that closed unacknowledged. */
  ackEnded: { ja: 'この受領確認は終了しました', en: 'This acknowledgement has ended' } satisfies Bilingual,
  /** On the advisory's own copy while a follow-up asks for acknowledgement. */
  laterRound: (followup: number | string): Bilingual => ({
    ja: `受領確認は続報 #${followup} で行ってください（スレッド内）`,
    en: `Please acknowledge follow-up #${followup} in the thread`,
  }),
  /** The same where the conversation has no threads (a Teams 1:1 chat): the follow-up is a later message. */
  laterRoundBelow: (followup: number | string): Bilingual => ({
    ja: `受領確認は後に続く続報 #${followup} で行ってください`,
    en: `Please acknowledge follow-up #${followup}, further down`,
  }),
  /** A reminder about a follow-up's round. */
  reminderFollowUp: (followup: number | string, deadline: string): Bilingual => ({
    ja: `続報 #${followup} の受領確認をお願いします（期限 ${deadline}）。`,
    en: `Please acknowledge follow-up #${followup} (by ${deadline}).`,
  }),
  reminderPressFollowUp: (followup: number | string): Bilingual => ({
    ja: `スレッド内の続報 #${followup} の「受領確認」ボタンを押してください。`,
    en: `Press "Acknowledge" on follow-up #${followup} in the thread.`,
  }),
  /** A phone task of a later round. */
  phoneRound: (n: number | string, followup: number | string): Bilingual => ({
    ja: `続報 #${followup}（第${n}回受領確認）についても伝えてください`,
    en: `Also tell them about follow-up #${followup} (acknowledgement round ${n})`,
  }),
  /** The status and the closing summary of a later round. */
  round: (n: number | string, followup: number | string, since: string): Bilingual => ({
    ja: `第${n}回受領確認（続報 #${followup}、${since}から）`,
    en: `Acknowledgement round ${n} (follow-up #${followup}, since ${since})`,
  }),
};
