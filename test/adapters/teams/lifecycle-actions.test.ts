import { describe, expect, it } from 'vitest';
import { followUpOf, lifecycleFormCard } from '../../../adapters/teams/lifecycle-actions.js';
import type { LifecycleFormView } from '../../../src/view/lifecycle-view.js';
import { elements, markdownTexts, unescapeCardText } from './card-helpers.js';

const FORM = { advisoryId: 'ADV-2026-0042', title: '電子カルテシステムの脆弱性について', body: '本文', tlp: 'TLP:AMBER', severity: 'level3', category: 'vulnerability' } as LifecycleFormView;

const inputs = (card: unknown) => elements(card).filter((x) => String(x['type']).startsWith('Input.'));
const byId = (card: unknown, id: string) => inputs(card).find((x) => x['id'] === id);

describe('the follow-up card: asking for acknowledgement', () => {
  it('has the body, a toggle off by default, and a whole number of minutes from 1 to a week, empty by default', () => {
    const card = lifecycleFormCard('followup', FORM);
    expect(inputs(card).map((x) => x['id'])).toEqual(['body', 'acknowledge', 'ackDeadlineMinutes']);
    expect(byId(card, 'acknowledge')).toEqual({ type: 'Input.Toggle', id: 'acknowledge', title: '受領確認を求める / Ask members to acknowledge', valueOn: 'true', valueOff: 'false', value: 'false' });
    expect(byId(card, 'ackDeadlineMinutes')).toEqual({ type: 'Input.Number', id: 'ackDeadlineMinutes', label: '受領確認の期限（分） / Acknowledgement deadline (minutes)', min: 1, max: 10080 });
    const texts = markdownTexts(card).map(unescapeCardText).join('\n');
    expect(texts).toContain('空欄のときは注意喚起と同じ長さです');
  });

  it('the other forms do not ask', () => {
    for (const kind of ['withdraw', 'correct', 'close'] as const) {
      expect(byId(lifecycleFormCard(kind, FORM), 'acknowledge')).toBeUndefined();
      expect(byId(lifecycleFormCard(kind, FORM), 'ackDeadlineMinutes')).toBeUndefined();
    }
  });

  it("shown again with the core's errors: each under its field, and what was entered kept", () => {
    const card = lifecycleFormCard(
      'followup',
      FORM,
      { ackDeadlineMinutes: { ja: '期限は 1〜10080 分です', en: 'Between 1 and 10080 minutes' }, acknowledge: { ja: '指定が不正です', en: 'Invalid' } },
      { body: '続報です', acknowledge: 'true', ackDeadlineMinutes: '20000' },
    );
    expect(byId(card, 'acknowledge')?.['value']).toBe('true');
    expect(byId(card, 'ackDeadlineMinutes')?.['value']).toBe(20000);
    expect(byId(card, 'body')?.['value']).toBe('続報です');
    const all = elements(card);
    const after = (id: string, text: string) => {
      const i = all.findIndex((x) => x['id'] === id);
      const j = all.findIndex((x) => typeof x['text'] === 'string' && unescapeCardText(x['text']).includes(text));
      expect(i).toBeGreaterThan(-1);
      expect(j).toBeGreaterThan(i);
      // Under its own field: no other input between.
      expect(all.slice(i + 1, j).some((x) => String(x['type']).startsWith('Input.'))).toBe(false);
    };
    after('ackDeadlineMinutes', '⚠️ 期限は 1〜10080 分です / Between 1 and 10080 minutes');
    after('acknowledge', '⚠️ 指定が不正です / Invalid');
  });

  it('minutes that are not a number are not put back into the number input', () => {
    expect(byId(lifecycleFormCard('followup', FORM, {}, { ackDeadlineMinutes: 'abc' }), 'ackDeadlineMinutes')).not.toHaveProperty('value');
  });
});

describe('followUpOf: the follow-up card as submitted', () => {
  it('reads the toggle and the minutes, as string or number', () => {
    expect(followUpOf({ body: '続報です', acknowledge: 'true', ackDeadlineMinutes: '90' })).toEqual({ body: '続報です', acknowledge: true, ackDeadlineMinutes: 90 });
    expect(followUpOf({ body: '続報です', acknowledge: true, ackDeadlineMinutes: 45 })).toEqual({ body: '続報です', acknowledge: true, ackDeadlineMinutes: 45 });
  });

  it('the toggle off, missing or anything else is no request; empty minutes are none', () => {
    expect(followUpOf({ body: '続報です', acknowledge: 'false', ackDeadlineMinutes: '' })).toEqual({ body: '続報です', acknowledge: false });
    expect(followUpOf({ body: '続報です' })).toEqual({ body: '続報です', acknowledge: false });
    expect(followUpOf({ body: '続報です', acknowledge: 'yes', ackDeadlineMinutes: ' ' })).toEqual({ body: '続報です', acknowledge: false });
  });

  it('passes minutes on as entered for the core to refuse; a missing body is empty', () => {
    expect(followUpOf({ acknowledge: 'true', ackDeadlineMinutes: '0' })).toEqual({ body: '', acknowledge: true, ackDeadlineMinutes: 0 });
    expect(followUpOf({ acknowledge: 'true', ackDeadlineMinutes: 'abc' }).ackDeadlineMinutes).toBeNaN();
  });
});

describe('the lifecycle cards\' text inputs', () => {
  it('have no maxLength: a Teams client would cut a longer paste without a word, the core refuses it with the count', () => {
    const texts = (['withdraw', 'followup', 'correct'] as const).flatMap((kind) => inputs(lifecycleFormCard(kind, FORM)).filter((x) => x['type'] === 'Input.Text'));
    expect(texts.map((x) => x['id'])).toEqual(['reason', 'body', 'title', 'body', 'note']);
    for (const input of texts) expect(input).not.toHaveProperty('maxLength');
  });
});
