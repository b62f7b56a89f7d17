import { describe, expect, it } from 'vitest';
import type { InputBlock } from '@slack/types';
import { ACKNOWLEDGE_OPTION, buildLifecycleModal, LIFECYCLE_BLOCK, lifecycleBlockErrors, readFollowUp } from '../../../adapters/slack/lifecycle-modals.js';
import type { LifecycleFormView } from '../../../src/view/lifecycle-view.js';

const FORM = { advisoryId: 'ADV-2026-0042', title: '電子カルテシステムの脆弱性について' } as LifecycleFormView;

const input = (blocks: unknown[], id: string) => blocks.find((b) => (b as InputBlock).block_id === id) as InputBlock | undefined;

/** The state Slack sends for the follow-up form. */
function values(body: string, ack: boolean | undefined, minutes?: string | null) {
  return {
    [LIFECYCLE_BLOCK.body]: { value: { value: body } },
    ...(ack === undefined ? {} : { [LIFECYCLE_BLOCK.acknowledge]: { value: { selected_options: ack ? [{ value: ACKNOWLEDGE_OPTION }] : [] } } }),
    ...(minutes === undefined ? {} : { [LIFECYCLE_BLOCK.ackDeadlineMinutes]: { value: { value: minutes } } }),
  };
}

describe('the follow-up modal: asking for acknowledgement', () => {
  it('has the body, an optional checkbox to ask members to acknowledge, and an optional whole number of minutes up to a week', () => {
    const view = buildLifecycleModal('followup', FORM);
    expect(view.blocks.map((b) => (b as InputBlock).block_id).filter(Boolean)).toEqual([LIFECYCLE_BLOCK.body, LIFECYCLE_BLOCK.acknowledge, LIFECYCLE_BLOCK.ackDeadlineMinutes]);
    const ack = input(view.blocks, LIFECYCLE_BLOCK.acknowledge)!;
    expect(ack.optional).toBe(true);
    expect(ack.label.text).toBe('受領確認を求める / Ask members to acknowledge');
    expect(ack.element).toMatchObject({ type: 'checkboxes', options: [{ text: { type: 'plain_text', text: '受領確認を求める / Ask members to acknowledge' }, value: ACKNOWLEDGE_OPTION }] });
    expect(ack.element).not.toHaveProperty('initial_options');
    const minutes = input(view.blocks, LIFECYCLE_BLOCK.ackDeadlineMinutes)!;
    expect(minutes.optional).toBe(true);
    expect(minutes.label.text).toBe('受領確認の期限（分） / Acknowledgement deadline (minutes)');
    expect(minutes.hint?.text).toContain('空欄のときは注意喚起と同じ長さです');
    expect(minutes.element).toEqual({ type: 'number_input', action_id: 'value', is_decimal_allowed: false, min_value: '1', max_value: '10080' });
  });

  it('the other forms do not ask', () => {
    for (const kind of ['withdraw', 'correct', 'close'] as const) {
      const blocks = buildLifecycleModal(kind, { ...FORM, body: '本文', tlp: 'TLP:AMBER', severity: 'level3', category: 'vulnerability' } as LifecycleFormView).blocks;
      expect(input(blocks, LIFECYCLE_BLOCK.acknowledge)).toBeUndefined();
      expect(input(blocks, LIFECYCLE_BLOCK.ackDeadlineMinutes)).toBeUndefined();
    }
  });

  it('reads the box ticked and the minutes as a number', () => {
    expect(readFollowUp(values('続報です', true, '90'))).toEqual({ body: '続報です', acknowledge: true, ackDeadlineMinutes: 90 });
  });

  it('reads an unticked box (or none sent) as no request, and empty minutes as none', () => {
    expect(readFollowUp(values('続報です', false, null))).toEqual({ body: '続報です', acknowledge: false });
    expect(readFollowUp(values('続報です', undefined))).toEqual({ body: '続報です', acknowledge: false });
    expect(readFollowUp(values('続報です', true, '  '))).toEqual({ body: '続報です', acknowledge: true });
  });

  it('passes minutes as entered, even without the box ticked or out of range: the core decides', () => {
    expect(readFollowUp(values('続報です', false, '30'))).toEqual({ body: '続報です', acknowledge: false, ackDeadlineMinutes: 30 });
    expect(readFollowUp(values('続報です', true, '20000'))).toMatchObject({ ackDeadlineMinutes: 20000 });
    expect(readFollowUp(values('続報です', true, '1.5'))).toMatchObject({ ackDeadlineMinutes: 1.5 });
    expect(readFollowUp(values('続報です', true, 'abc')).ackDeadlineMinutes).toBeNaN();
  });

  it("puts the core's field errors on the checkbox and the minutes", () => {
    const errors = lifecycleBlockErrors([
      { field: 'ackDeadlineMinutes', message: { ja: '期限は 1〜10080 分です', en: 'Between 1 and 10080 minutes' } },
      { field: 'acknowledge', message: { ja: '受領確認の指定が不正です', en: 'Invalid' } },
    ]);
    expect(errors).toEqual({
      [LIFECYCLE_BLOCK.ackDeadlineMinutes]: '期限は 1〜10080 分です / Between 1 and 10080 minutes',
      [LIFECYCLE_BLOCK.acknowledge]: '受領確認の指定が不正です / Invalid',
    });
  });
});
