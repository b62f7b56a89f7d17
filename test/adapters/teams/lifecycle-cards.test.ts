import { describe, expect, it } from 'vitest';
import { followUpCard, lifecycleNoticeCard } from '../../../adapters/teams/lifecycle-cards.js';
import { ADVISORY_ACK_VERB, advisoryCard } from '../../../adapters/teams/advisory-card.js';
import { ACK_VERB } from '../../../adapters/teams/teams-card-actions.js';
import { renderTeamsMessage } from '../../../adapters/teams/teams-cards.js';
import { aClosedNotice, aClosingSummary, aRoundFollowUp, ROUND_2 } from '../../support/round-fixtures.js';
import { anAdvisoryView } from '../../support/view-fixtures.js';
import { assertInert, markdownTexts, unescapeCardText } from './card-helpers.js';

const HOSTILE = '[銀行](https://evil.example) **緊急** <at>Secretariat</at>\n# 見出し';

const read = (card: unknown) => markdownTexts(card).map(unescapeCardText);

describe('followUpCard: a follow-up asking for acknowledgement', () => {
  it('asks with its deadline in Japan time and carries the advisory\'s own button (same verb, the delivery id)', () => {
    const card = followUpCard(aRoundFollowUp());
    expect(read(card)).toContain('🙏 受領確認をお願いします（期限 2026/11/25 19:30 JST）\nPlease acknowledge (by 2026/11/25 19:30 JST)');
    expect(card.actions).toEqual([{ type: 'Action.Execute', title: '受領確認 / Acknowledge', verb: ADVISORY_ACK_VERB, data: { deliveryId: 'dlv-0001' }, style: 'positive' }]);
    // One handler for both: the verb the press handler listens to, and the advisory's own button.
    expect(ACK_VERB).toBe(ADVISORY_ACK_VERB);
    expect(advisoryCard(anAdvisoryView({ deliveryId: 'dlv-0001' })).actions).toEqual(card.actions);
    // The body first, then the request, then the follow-up's time.
    const texts = read(card);
    expect(texts.findIndex((t) => t.includes('修正版 2.0.1'))).toBeLessThan(texts.findIndex((t) => t.includes('受領確認をお願いします')));
    expect(texts.at(-1)).toBe('2026/11/25 19:00 JST');
  });

  it('once acknowledged shows who, when and how instead of the button, the name inert', () => {
    const card = followUpCard(aRoundFollowUp({ ack: { round: 2, deadline: '2026-11-25T10:30:00.000Z', acknowledged: { by: HOSTILE, at: '2026-11-25T10:05:00.000Z', via: 'button' } } }));
    expect(card.actions).toBeUndefined();
    const line = markdownTexts(card).find((t) => t.startsWith('✅'))!;
    expect(unescapeCardText(line)).toContain('(2026/11/25 19:05 JST, via ボタン / button)');
    assertInert(line.replace('**受領確認 / Acknowledged by**', ''));
    expect(read(card).join('\n')).not.toContain('受領確認をお願いします');
  });

  it('once ended: no button, and says the acknowledgement has ended', () => {
    const card = followUpCard(aRoundFollowUp({ ack: { round: 2, deadline: '2026-11-25T10:30:00.000Z', ended: true } }));
    expect(card.actions).toBeUndefined();
    expect(read(card)).toContain('⏹️ この受領確認は終了しました\nThis acknowledgement has ended');
  });

  it('a follow-up asking nothing has neither button nor request, as before', () => {
    const card = followUpCard(aRoundFollowUp({ ack: undefined }));
    expect(card.actions).toBeUndefined();
    expect(read(card).join('\n')).not.toContain('受領確認');
  });

  it('is what renderTeamsMessage posts for a follow-up', () => {
    expect(renderTeamsMessage({ kind: 'followup', view: aRoundFollowUp() }).card.actions).toEqual(followUpCard(aRoundFollowUp()).actions);
  });
});

describe('advisoryCard while a follow-up asks for acknowledgement', () => {
  it('has no button and points to the follow-up in the thread', () => {
    const card = advisoryCard(anAdvisoryView({ laterRound: { round: 2, followup: 3 } }));
    expect(card.actions).toBeUndefined();
    expect(read(card)).toContain('👉 受領確認は続報 #3 で行ってください（スレッド内）\nPlease acknowledge follow-up #3 in the thread');
  });

  it('in a 1:1 chat (TLP:RED), which has no threads, points further down instead', () => {
    const card = advisoryCard(anAdvisoryView({ audience: 'direct', laterRound: { round: 2, followup: 3 } }));
    expect(card.actions).toBeUndefined();
    expect(read(card)).toContain('👉 受領確認は後に続く続報 #3 で行ってください\nPlease acknowledge follow-up #3, further down');
    expect(read(card).join('\n')).not.toContain('スレッド内');
  });

  it("keeps the first round's acknowledgement above the pointer", () => {
    const card = advisoryCard(anAdvisoryView({ laterRound: { round: 2, followup: 1 }, acknowledged: { by: '佐藤', at: '2026-11-25T09:10:00.000Z', via: 'button' } }));
    const texts = read(card);
    const ack = texts.findIndex((t) => t.startsWith('✅') && t.includes('佐藤'));
    expect(ack).toBeGreaterThan(-1);
    expect(texts.findIndex((t) => t.includes('続報 #1 で行ってください'))).toBeGreaterThan(ack);
    expect(card.actions).toBeUndefined();
  });

  it('without a later round: the button, and no pointer', () => {
    const card = advisoryCard(anAdvisoryView());
    expect(card.actions).toHaveLength(1);
    expect(read(card).join('\n')).not.toContain('続報 #');
  });
});

describe('lifecycleNoticeCard: the closing summary of a later round', () => {
  it('says which round, its follow-up and since when, right under the heading', () => {
    const texts = read(lifecycleNoticeCard(aClosedNotice(aClosingSummary({ round: ROUND_2 }))));
    const heading = texts.findIndex((t) => t.includes('注意喚起を終了しました（全構成員が受領確認）'));
    expect(heading).toBeGreaterThan(-1);
    expect(texts[heading + 1]).toBe('📣 第2回受領確認（続報 #2、2026/11/25 19:00 JSTから）\nAcknowledgement round 2 (follow-up #2, since 2026/11/25 19:00 JST)');
  });

  it('round 1 has no round line', () => {
    expect(read(lifecycleNoticeCard(aClosedNotice(aClosingSummary()))).join('\n')).not.toContain('受領確認（続報');
  });
});
