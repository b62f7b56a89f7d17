/**
 * The Teams advisory form opened as a drill (`advisory drill`, advisory-form-card.ts drillFormCard): the template's
 * entries, the announcement's choice and its window in Japan time (date and time inputs), read back by
 * advisory-form-parse.ts as the core takes them, with the window's problems on its inputs.
 */
import { describe, expect, it } from 'vitest';
import {
  advisoryFormCard,
  DRILL_ANNOUNCE,
  DRILL_UNANNOUNCED,
  drillFormCard,
  formErrorCard,
  formValues,
  FORM_INPUT,
  inputValues,
} from '../../../adapters/teams/advisory-form-card.js';
import { formErrorsOf, parseAdvisoryForm } from '../../../adapters/teams/advisory-form-parse.js';
import { DEFAULT_DRILL_TEMPLATE, drillFormEntries } from '../../../src/domain/drill-template.js';
import type { TargetOptions } from '../../../src/view/views.js';
import { DT } from '../../../src/i18n/drill-text.js';
import { both } from '../../../src/i18n/text.js';
import { elements, markdownTexts } from './card-helpers.js';

const OPTIONS: TargetOptions = {
  groups: [{ id: 'hospitals', name: { ja: '病院団体', en: 'Hospital associations' } }],
  organisations: [{ id: 'jma', name: { ja: '日本医師会', en: 'JMA' }, kind: 'member' }],
  defaultDeadlineSeconds: { level4: 900, level3: 3600, level2: 14_400, level1: 86_400, level0: 259_200 },
  escalationOptional: ['level1', 'level0'],
};

const inputsOf = (card: unknown) => new Map(elements(card).filter((x) => String(x.type).startsWith('Input.')).map((x) => [String(x.id), x]));

describe('the drill form on Teams', () => {
  const entries = drillFormEntries(DEFAULT_DRILL_TEMPLATE, new Date('2026-03-01T00:00:00.000Z'));

  it('is the advisory form filled in from the template, with the announcement and its window in Japan time', () => {
    const card = drillFormCard(OPTIONS, entries, '00000000-0000-4000-8000-000000000000');
    const inputs = inputsOf(card);
    expect(inputs.get(FORM_INPUT.title)?.['value']).toBe(DEFAULT_DRILL_TEMPLATE.title);
    expect(inputs.get(FORM_INPUT.drill)?.['value']).toBe('true');
    expect(inputs.get(FORM_INPUT.drillAnnounce)).toMatchObject({ type: 'Input.ChoiceSet', style: 'expanded', value: DRILL_UNANNOUNCED });
    expect((inputs.get(FORM_INPUT.drillAnnounce)?.['choices'] as { value: string }[]).map((c) => c.value)).toEqual([DRILL_UNANNOUNCED, DRILL_ANNOUNCE]);
    // The window the template offers: a day from now, two hours, as Japan's date and time.
    expect(inputs.get(FORM_INPUT.drillFromDate)).toMatchObject({ type: 'Input.Date', value: '2026-03-02' });
    expect(inputs.get(FORM_INPUT.drillFromTime)).toMatchObject({ type: 'Input.Time', value: '09:00' });
    expect(inputs.get(FORM_INPUT.drillToDate)?.['value']).toBe('2026-03-02');
    expect(inputs.get(FORM_INPUT.drillToTime)?.['value']).toBe('11:00');
    expect(markdownTexts(card)).toContain(both(DT.formIntro));
    // A plain form has none of it.
    const plain = inputsOf(advisoryFormCard(OPTIONS));
    expect(plain.has(FORM_INPUT.drillAnnounce)).toBe(false);
    expect(plain.has(FORM_INPUT.drillFromDate)).toBe(false);
  });

  it('reads back, unchanged, as what the core made; announcing reads the window as instants', () => {
    const values = formValues({ ...inputValues(entries), formKey: 'x' });
    const parsed = parseAdvisoryForm(values);
    expect(parsed.ok && parsed.input).toMatchObject({ drill: true, drillPlan: { announce: false, from: entries.drillPlan!.from, to: entries.drillPlan!.to }, title: DEFAULT_DRILL_TEMPLATE.title });
    const announced = parseAdvisoryForm({ ...values, [FORM_INPUT.drillAnnounce]: DRILL_ANNOUNCE, [FORM_INPUT.drillFromTime]: '10:30' });
    expect(announced.ok && announced.input.drillPlan).toEqual({ announce: true, from: '2026-03-02T01:30:00.000Z', to: '2026-03-02T02:00:00.000Z' });
    // Back from the preview keeps every entry of the window.
    const again = inputsOf(formErrorCard(OPTIONS, [], { ...values, [FORM_INPUT.drillAnnounce]: DRILL_ANNOUNCE }));
    expect(again.get(FORM_INPUT.drillAnnounce)?.['value']).toBe(DRILL_ANNOUNCE);
    expect(again.get(FORM_INPUT.drillToTime)?.['value']).toBe('11:00');
  });

  it('puts the window’s problems on its inputs, with the form’s others, every one at once', () => {
    const values = formValues(inputValues(entries));
    const result = parseAdvisoryForm({ ...values, [FORM_INPUT.title]: '', [FORM_INPUT.drillAnnounce]: DRILL_ANNOUNCE, [FORM_INPUT.drillFromDate]: '', [FORM_INPUT.drillFromTime]: '', [FORM_INPUT.drillToDate]: '2026-02-30' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual([
      { field: FORM_INPUT.title, message: '件名を入力してください。 / Enter the title.' },
      { field: FORM_INPUT.drillFromDate, message: both(DT.fromRequired) },
      { field: FORM_INPUT.drillToDate, message: both(DT.notATime) },
    ]);
    // The core's own (a window already over) land on the same input.
    expect(formErrorsOf([{ field: 'drillTo', message: DT.ended }])).toEqual([{ field: FORM_INPUT.drillToDate, message: both(DT.ended) }]);
  });
});
