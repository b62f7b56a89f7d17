import { describe, expect, it } from 'vitest';
import type { KnownBlock } from '@slack/types';
import { renderFollowUp, renderLifecycleNotice } from '../../../adapters/slack/lifecycle-blocks.js';
import { ACK_ACTION_ID, ACK_BLOCK_ID, renderAdvisoryMessage } from '../../../adapters/slack/advisory-blocks.js';
import { renderMessage } from '../../../adapters/slack/slack-blocks.js';
import { aClosedNotice, aClosingSummary, aRoundFollowUp, ROUND_2 } from '../../support/round-fixtures.js';
import { anAdvisoryView } from '../../support/view-fixtures.js';

const HOSTILE = '<!channel> @here <@U0ATTACK> <https://evil.example|銀行> & co';

/** Every mrkdwn text, wherever it sits. */
function mrkdwnTexts(value: unknown): string[] {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v !== null && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (o.type === 'mrkdwn' && typeof o.text === 'string') out.push(o.text);
      Object.values(o).forEach(walk);
    }
  };
  walk(value);
  return out;
}

const actions = (blocks: KnownBlock[]) => blocks.filter((b) => b.type === 'actions');

describe('renderFollowUp: a follow-up asking for acknowledgement', () => {
  it('asks with its deadline in Japan time and carries the advisory\'s own button, its value the delivery id', () => {
    const out = renderFollowUp(aRoundFollowUp());
    const texts = mrkdwnTexts(out.blocks).join('\n');
    expect(texts).toContain('🙏 *受領確認をお願いします（期限 2026/11/25 19:30 JST）*\n*Please acknowledge (by 2026/11/25 19:30 JST)*');
    expect(actions(out.blocks)).toEqual([
      {
        type: 'actions',
        block_id: ACK_BLOCK_ID,
        elements: [{ type: 'button', action_id: ACK_ACTION_ID, text: { type: 'plain_text', text: '受領確認 / Acknowledge', emoji: true }, value: 'dlv-0001', style: 'primary' }],
      },
    ]);
    // The same button as on the advisory: one handler, one action id.
    const copy = [...renderAdvisoryMessage(anAdvisoryView({ deliveryId: 'dlv-0001' })).attachments.flatMap((a) => a.blocks ?? [])].filter((b) => b.type === 'actions');
    expect(actions(out.blocks)).toEqual(copy);
    // The body stays before the request, the time of the follow-up after it.
    const i = out.blocks.findIndex((b) => mrkdwnTexts(b).some((t) => t.includes('修正版 2.0.1')));
    const j = out.blocks.findIndex((b) => b.type === 'actions');
    expect(i).toBeGreaterThan(0);
    expect(j).toBeGreaterThan(i);
    expect(mrkdwnTexts(out.blocks.at(-1)).join()).toBe('2026/11/25 19:00 JST');
  });

  it('once acknowledged shows who, when and how instead of the button', () => {
    const out = renderFollowUp(aRoundFollowUp({ ack: { round: 2, deadline: '2026-11-25T10:30:00.000Z', acknowledged: { by: `山田 ${HOSTILE}`, at: '2026-11-25T10:05:00.000Z', via: 'button' } } }));
    expect(actions(out.blocks)).toEqual([]);
    const texts = mrkdwnTexts(out.blocks).join('\n');
    expect(texts).toContain('✅ *受領確認 / Acknowledged by*: 山田 ');
    expect(texts).toContain('(2026/11/25 19:05 JST, via ボタン / button)');
    expect(texts).not.toContain('受領確認をお願いします');
    expect(texts).not.toMatch(/<[!@]/);
  });

  it('once ended shows no button and says the acknowledgement has ended', () => {
    const out = renderFollowUp(aRoundFollowUp({ ack: { round: 2, deadline: '2026-11-25T10:30:00.000Z', ended: true } }));
    expect(actions(out.blocks)).toEqual([]);
    const texts = mrkdwnTexts(out.blocks).join('\n');
    expect(texts).toContain('この受領確認は終了しました\nThis acknowledgement has ended');
    expect(texts).not.toContain('受領確認をお願いします');
  });

  it('acknowledged and ended: who acknowledged wins (the round did end, with its answer)', () => {
    const out = renderFollowUp(aRoundFollowUp({ ack: { round: 2, deadline: '2026-11-25T10:30:00.000Z', ended: true, acknowledged: { by: '山田', at: '2026-11-25T10:05:00.000Z', via: 'phone' } } }));
    const texts = mrkdwnTexts(out.blocks).join('\n');
    expect(texts).toContain('✅ *受領確認 / Acknowledged by*: 山田');
    expect(texts).toContain('via 電話 / phone');
    expect(actions(out.blocks)).toEqual([]);
  });

  it('a follow-up asking nothing has no button and no request, as before', () => {
    const out = renderFollowUp(aRoundFollowUp({ ack: undefined }));
    expect(actions(out.blocks)).toEqual([]);
    expect(mrkdwnTexts(out.blocks).join('\n')).not.toContain('受領確認');
  });

  it('is what renderMessage gives for a follow-up', () => {
    expect(renderMessage({ kind: 'followup', view: aRoundFollowUp() })).toEqual(renderFollowUp(aRoundFollowUp()));
  });
});

describe('renderAdvisoryMessage while a follow-up asks for acknowledgement', () => {
  const blocksOf = (m: ReturnType<typeof renderAdvisoryMessage>) => [...m.blocks, ...m.attachments.flatMap((a) => (a.blocks ?? []) as KnownBlock[])];

  it('has no button of its own and points to the follow-up in the thread', () => {
    const out = blocksOf(renderAdvisoryMessage(anAdvisoryView({ laterRound: { round: 2, followup: 3 } })));
    expect(actions(out)).toEqual([]);
    const texts = mrkdwnTexts(out).join('\n');
    expect(texts).toContain('👉 *受領確認は続報 #3 で行ってください（スレッド内）*\n*Please acknowledge follow-up #3 in the thread*');
    expect(texts).not.toContain('受領確認をお願いします');
  });

  it('keeps the first round\'s acknowledgement, with the pointer under it', () => {
    const out = blocksOf(
      renderAdvisoryMessage(anAdvisoryView({ laterRound: { round: 2, followup: 1 }, acknowledged: { by: '佐藤', at: '2026-11-25T09:10:00.000Z', via: 'button' } })),
    );
    const texts = mrkdwnTexts(out).join('\n');
    expect(texts.indexOf('✅ *受領確認 / Acknowledged by*: 佐藤')).toBeGreaterThan(-1);
    expect(texts.indexOf('続報 #1 で行ってください')).toBeGreaterThan(texts.indexOf('佐藤'));
    expect(actions(out)).toEqual([]);
  });

  it('without a later round: the button, as before', () => {
    const out = blocksOf(renderAdvisoryMessage(anAdvisoryView()));
    expect(actions(out)).toHaveLength(1);
    expect(mrkdwnTexts(out).join('\n')).not.toContain('続報 #');
  });
});

describe('renderLifecycleNotice: the closing summary of a later round', () => {
  it('says which round the counts are about, its follow-up and since when, under the heading', () => {
    const out = renderLifecycleNotice(aClosedNotice(aClosingSummary({ round: ROUND_2 })))!;
    const texts = mrkdwnTexts(out.blocks);
    const heading = texts.findIndex((t) => t.includes('注意喚起を終了しました（全構成員が受領確認）'));
    const round = texts.findIndex((t) => t === '📣 *第2回受領確認（続報 #2、2026/11/25 19:00 JSTから）*\n*Acknowledgement round 2 (follow-up #2, since 2026/11/25 19:00 JST)*');
    expect(heading).toBeGreaterThan(-1);
    expect(round).toBe(heading + 1);
  });

  it('round 1 (as issued) has no round line', () => {
    const out = renderLifecycleNotice(aClosedNotice(aClosingSummary()))!;
    expect(mrkdwnTexts(out.blocks).join('\n')).not.toContain('受領確認（続報');
  });
});
