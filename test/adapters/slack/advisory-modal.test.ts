import { describe, expect, it } from 'vitest';
import type { ViewOutput } from '@slack/bolt';
import type { InputBlock, KnownBlock, PlainTextOption } from '@slack/types';
import {
  ACTION,
  ADVISORY_MODAL_CALLBACK,
  BLOCK,
  buildAdvisoryModal,
  DRILL_ANNOUNCE,
  DRILL_UNANNOUNCED,
  NO_ESCALATE_VALUE,
  parseAdvisorySubmission,
  readSubmission,
  targetOptions,
  type ModalOptions,
  type SubmittedValues,
} from '../../../adapters/slack/advisory-modal.js';
import { BODY_MAX, TITLE_MAX } from '../../../src/domain/advisory.js';
import { formValues, VALID_FORM } from '../../support/advisory-form.js';

/** Seconds, as the escalation policies have them. */
const DEADLINES = { level4: 15 * 60, level3: 3600, level2: 4 * 3600, level1: 24 * 3600, level0: 72 * 3600 };
const ESCALATION = { defaultDeadlineSeconds: DEADLINES, escalationOptional: ['level1', 'level0'] as const };

const options: ModalOptions = {
  groups: [
    { id: 'hospitals', name: { ja: '病院団体', en: 'Hospital associations' } },
    { id: 'pharma', name: { ja: '薬剤関係', en: 'Pharmacy' } },
  ],
  organisations: [
    { id: 'jma', name: { ja: '日本医師会', en: 'Japan Medical Association' }, kind: 'member' },
    { id: 'jha', name: { ja: '日本病院会', en: 'Japan Hospital Association' }, kind: 'member' },
    { id: 'mhlw', name: { ja: '厚生労働省', en: 'MHLW' }, kind: 'observer' },
  ],
  ...ESCALATION,
};

function inputs(blocks: KnownBlock[]): Map<string, InputBlock> {
  return new Map(blocks.filter((b): b is InputBlock => b.type === 'input').map((b) => [b.block_id ?? '', b]));
}

const opt = (value: string, text = value) => ({ text: { type: 'plain_text' as const, text, emoji: true }, value });

/** The shape Slack sends in view_submission: every input block, keyed by block id then action id. */
function submitted(over: Partial<Record<keyof typeof BLOCK, ViewOutput['state']['values'][string][string]>> = {}) {
  const values: ViewOutput['state']['values'] = {
    [BLOCK.title]: { [ACTION.title]: { type: 'plain_text_input', value: '  電子カルテの脆弱性について  ' } },
    [BLOCK.body]: { [ACTION.body]: { type: 'plain_text_input', value: 'JVN より公表されました。\n<!channel> 対象製品をご確認ください。' } },
    [BLOCK.tlp]: { [ACTION.tlp]: { type: 'static_select', selected_option: opt('TLP:AMBER+STRICT') } },
    [BLOCK.severity]: { [ACTION.severity]: { type: 'static_select', selected_option: opt('level3') } },
    [BLOCK.category]: { [ACTION.category]: { type: 'static_select', selected_option: opt('vulnerability') } },
    [BLOCK.source]: { [ACTION.source]: { type: 'static_select', selected_option: opt('jpcert') } },
    [BLOCK.targets]: { [ACTION.targets]: { type: 'checkboxes', selected_options: [opt('observers')] } },
    [BLOCK.groups]: { [ACTION.groups]: { type: 'multi_static_select', selected_options: [opt('hospitals')] } },
    [BLOCK.organisations]: {
      [ACTION.organisations]: { type: 'multi_static_select', selected_options: [opt('jma'), opt('jha')] },
    },
    [BLOCK.ackDeadline]: { [ACTION.ackDeadline]: { type: 'static_select', selected_option: opt('120') } },
    [BLOCK.drill]: { [ACTION.drill]: { type: 'checkboxes', selected_options: [opt('drill')] } },
    [BLOCK.escalate]: { [ACTION.escalate]: { type: 'checkboxes', selected_options: [] } },
  };
  for (const [key, value] of Object.entries(over)) {
    const block = BLOCK[key as keyof typeof BLOCK];
    values[block] = { [ACTION[key as keyof typeof ACTION]]: value };
  }
  return values;
}

describe('buildAdvisoryModal', () => {
  const view = buildAdvisoryModal(options);

  it('is a modal with short bilingual title and buttons', () => {
    expect(view.type).toBe('modal');
    expect(view.callback_id).toBe(ADVISORY_MODAL_CALLBACK);
    expect(view.title.text).toBe('注意喚起 / Advisory');
    // The form's submit shows the preview; only the preview sends.
    expect(view.submit?.text).toBe('内容を確認 / Review');
    for (const t of [view.title, view.submit, view.close]) expect(t?.text.length ?? 0).toBeLessThanOrEqual(24);
  });

  it('has every field, with the right limits and defaults', () => {
    const byId = inputs(view.blocks as KnownBlock[]);
    expect([...byId.keys()]).toEqual([
      BLOCK.title,
      BLOCK.body,
      BLOCK.tlp,
      BLOCK.severity,
      BLOCK.category,
      BLOCK.source,
      BLOCK.targets,
      BLOCK.groups,
      BLOCK.organisations,
      BLOCK.ackDeadline,
      BLOCK.drill,
      BLOCK.escalate,
    ]);
    expect(byId.get(BLOCK.title)?.element).toMatchObject({ type: 'plain_text_input', max_length: TITLE_MAX });
    expect(byId.get(BLOCK.body)?.element).toMatchObject({ type: 'plain_text_input', multiline: true, max_length: 3000 });
    expect(byId.get(BLOCK.tlp)?.element).toMatchObject({ initial_option: { value: 'TLP:AMBER' } });
    expect(byId.get(BLOCK.severity)?.element).toMatchObject({ initial_option: { value: 'level2' } });
    expect(byId.get(BLOCK.ackDeadline)?.element).toMatchObject({ initial_option: { value: 'default' } });
    expect(byId.get(BLOCK.targets)?.optional).toBe(true);
    expect(byId.get(BLOCK.drill)?.label.text).toBe('訓練 / Drill');

    const tlp = byId.get(BLOCK.tlp)?.element as { options: PlainTextOption[] };
    expect(tlp.options.map((o) => o.text.text)).toEqual(['TLP:RED', 'TLP:AMBER+STRICT', 'TLP:AMBER', 'TLP:GREEN', 'TLP:CLEAR']);
    expect(tlp.options[0]?.description?.text).toBe('受信者限り / For the named recipients only');

    const deadline = byId.get(BLOCK.ackDeadline)?.element as { options: PlainTextOption[] };
    expect(deadline.options.map((o) => o.value)).toEqual(['default', '15', '30', '60', '120', '240', '480', '1440', '4320']);
    expect(deadline.options.map((o) => o.text.text)).toContain('2時間 / 2 hours');

    const targets = byId.get(BLOCK.targets)?.element as { options: PlainTextOption[] };
    expect(targets.options.map((o) => o.text.text)).toEqual(['全構成員 / All members', 'オブザーバー / Observers']);
  });

  it("describes each severity's default deadline from the options", () => {
    const severity = inputs(view.blocks as KnownBlock[]).get(BLOCK.severity)?.element as { options: PlainTextOption[] };
    expect(severity.options.map((o) => o.description?.text)).toEqual([
      '既定の期限 15分 / default deadline 15 minutes',
      '既定の期限 1時間 / default deadline 1 hour',
      '既定の期限 4時間 / default deadline 4 hours',
      '既定の期限 24時間 / default deadline 24 hours',
      '既定の期限 72時間 / default deadline 72 hours',
    ]);
    const other = buildAdvisoryModal({ ...options, defaultDeadlineSeconds: { ...DEADLINES, level4: 30 * 60, level3: 90 } });
    const [first, second] = (inputs(other.blocks as KnownBlock[]).get(BLOCK.severity)?.element as { options: PlainTextOption[] }).options;
    expect(first?.description?.text).toBe('既定の期限 30分 / default deadline 30 minutes');
    // The demo's 90 seconds, not rounded to "2分".
    expect(second?.description?.text).toBe('既定の期限 90秒 / default deadline 90 seconds');
  });

  it('offers an optional, unticked "do not escalate" checkbox naming the levels it is for', () => {
    const block = inputs(view.blocks as KnownBlock[]).get(BLOCK.escalate);
    expect(block?.optional).toBe(true);
    expect(block?.label.text).toBe('エスカレーション / Escalation');
    expect(block?.element).toMatchObject({
      type: 'checkboxes',
      action_id: ACTION.escalate,
      options: [{ value: NO_ESCALATE_VALUE, text: { text: 'エスカレーションしない（レベル1・0のみ） / Do not escalate (level 1 and 0 only)' } }],
    });
    expect(block?.element).not.toHaveProperty('initial_options');
    expect(block?.hint?.text).toContain('リマインド');
    // No severity may skip escalation: no checkbox at all.
    const none = inputs(buildAdvisoryModal({ ...options, escalationOptional: [] }).blocks as KnownBlock[]);
    expect(none.has(BLOCK.escalate)).toBe(false);
  });

  it('keeps every option text and description within 75 characters', () => {
    for (const b of inputs(view.blocks as KnownBlock[]).values()) {
      const opts = (b.element as { options?: PlainTextOption[] }).options ?? [];
      expect(opts.length).toBeLessThanOrEqual(100);
      for (const o of opts) {
        expect(o.text.text.length).toBeLessThanOrEqual(75);
        expect(o.description?.text.length ?? 0).toBeLessThanOrEqual(75);
      }
    }
    const long = buildAdvisoryModal({
      ...ESCALATION,
      groups: [],
      organisations: [{ id: 'x', name: { ja: '長'.repeat(60), en: 'Long '.repeat(20) }, kind: 'observer' }],
    });
    const org = inputs(long.blocks as KnownBlock[]).get(BLOCK.organisations)?.element as { options: PlainTextOption[] };
    expect(org.options[0]?.text.text).toHaveLength(75);
    expect(org.options[0]?.text.text.endsWith('…')).toBe(true);
  });

  it('switches to an external select past 100 organisations, and leaves out an empty group list', () => {
    const many = Array.from({ length: 1788 }, (_, i) => ({
      id: `city-${i}`,
      name: { ja: `市${i}`, en: `City ${i}` },
      kind: 'member' as const,
    }));
    const big = inputs(buildAdvisoryModal({ ...ESCALATION, groups: [], organisations: many }).blocks as KnownBlock[]);
    expect(big.has(BLOCK.groups)).toBe(false);
    expect(big.get(BLOCK.organisations)?.element).toMatchObject({
      type: 'multi_external_select',
      action_id: ACTION.organisations,
    });
  });
});

describe('targetOptions', () => {
  const orgs = [
    ...options.organisations,
    ...Array.from({ length: 300 }, (_, i) => ({ id: `city-${i}`, name: { ja: `市${i}`, en: `City ${i}` }, kind: 'member' as const })),
    { id: 'yokohama', name: { ja: '横浜市', en: 'Yokohama City' }, kind: 'member' as const },
  ];

  it('matches id, Japanese and English names, prefix first, at most 100', () => {
    expect(targetOptions('横浜', orgs).map((o) => o.value)).toEqual(['yokohama']);
    expect(targetOptions('JAPAN med', orgs).map((o) => o.value)).toEqual(['jma']);
    expect(targetOptions('mhlw', orgs)[0]?.text.text).toBe('厚生労働省 / MHLW (オブザーバー / Observers)');
    expect(targetOptions('', orgs)).toHaveLength(100);
    expect(targetOptions('city', orgs)).toHaveLength(100);
    const hospital = targetOptions('hospital', orgs).map((o) => o.value);
    expect(hospital).toEqual(['jha']);
    // "City" is a prefix of "City 1" but only contained in "Yokohama City".
    expect(targetOptions('city', [orgs.at(-1)!, orgs[3]!]).map((o) => o.value)).toEqual(['city-0', 'yokohama']);
  });

  it('treats full-width input like half-width', () => {
    expect(targetOptions('ＪＭＡ', orgs).map((o) => o.value)).toEqual(['jma']);
  });
});

describe('parseAdvisorySubmission', () => {
  it('round-trips a realistic submission', () => {
    const values = submitted();
    const sv: SubmittedValues = values; // Bolt's type is accepted as it is.
    const result = parseAdvisorySubmission(sv);
    expect(result).toEqual({
      ok: true,
      input: {
        title: '電子カルテの脆弱性について',
        body: 'JVN より公表されました。\n<!channel> 対象製品をご確認ください。',
        tlp: 'TLP:AMBER+STRICT',
        severity: 'level3',
        category: 'vulnerability',
        source: 'jpcert',
        drill: true,
        targets: { allMembers: false, observers: true, groups: ['hospitals'], members: ['jma', 'jha'] },
        ackDeadlineMinutes: 120,
        escalate: true,
      },
    });
  });

  it('reads a ticked "do not escalate" as escalate: false for level 1 and level 0', () => {
    for (const severity of ['level1', 'level0']) {
      const result = parseAdvisorySubmission(
        submitted({
          severity: { type: 'static_select', selected_option: opt(severity) },
          escalate: { type: 'checkboxes', selected_options: [opt(NO_ESCALATE_VALUE)] },
        }),
      );
      expect(result.ok && result.input.escalate).toBe(false);
    }
    // Unticked, or a form without the block: escalate.
    const unticked = parseAdvisorySubmission(submitted({ escalate: { type: 'checkboxes', selected_options: [] } }));
    expect(unticked.ok && unticked.input.escalate).toBe(true);
    const values = submitted();
    delete values[BLOCK.escalate];
    const absent = parseAdvisorySubmission(values);
    expect(absent.ok && absent.input.escalate).toBe(true);
  });

  it('refuses "do not escalate" for level 2 and above, with a bilingual message on the checkbox', () => {
    for (const severity of ['level4', 'level3', 'level2']) {
      const result = parseAdvisorySubmission(
        submitted({
          severity: { type: 'static_select', selected_option: opt(severity) },
          escalate: { type: 'checkboxes', selected_options: [opt(NO_ESCALATE_VALUE)] },
        }),
      );
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.errors).toEqual({
        [BLOCK.escalate]:
          'エスカレーションを止められるのは深刻度がレベル1・0の注意喚起だけです。チェックを外すか、深刻度を見直してください。 / Escalation can be turned off only for level 1 and 0 advisories. Untick the box or check the severity.',
      });
    }
  });

  it('formValues fills the checkbox from `escalate` (default: not ticked)', () => {
    const off = parseAdvisorySubmission(formValues({ ...VALID_FORM, severity: 'level1', escalate: false }) as SubmittedValues);
    expect(off.ok && off.input.escalate).toBe(false);
    const on = parseAdvisorySubmission(formValues(VALID_FORM) as SubmittedValues);
    expect(on.ok && on.input.escalate).toBe(true);
    const refused = parseAdvisorySubmission(formValues({ ...VALID_FORM, escalate: false }) as SubmittedValues);
    expect(refused.ok === false && Object.keys(refused.errors)).toEqual([BLOCK.escalate]);
  });

  it('reads "severity default" as no deadline, and unticked boxes as false', () => {
    const result = parseAdvisorySubmission(
      submitted({
        ackDeadline: { type: 'static_select', selected_option: opt('default') },
        drill: { type: 'checkboxes', selected_options: [] },
        targets: { type: 'checkboxes', selected_options: [opt('all_members')] },
        groups: { type: 'multi_static_select', selected_options: [] },
        organisations: { type: 'multi_static_select', selected_options: [] },
      }),
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.input.ackDeadlineMinutes).toBeUndefined();
    expect(result.input.drill).toBe(false);
    expect(result.input.targets).toEqual({ allMembers: true, observers: false, groups: [], members: [] });
  });

  it('accepts a form whose directory has no groups (no groups block at all)', () => {
    const values = submitted();
    delete values[BLOCK.groups];
    const result = parseAdvisorySubmission(values);
    expect(result.ok && result.input.targets.groups).toEqual([]);
  });

  it('reports every invalid field at once, each on its own block', () => {
    const result = parseAdvisorySubmission(
      submitted({
        title: { type: 'plain_text_input', value: '   ' },
        body: { type: 'plain_text_input', value: null },
        tlp: { type: 'static_select', selected_option: opt('TLP:WHITE') },
        severity: { type: 'static_select', selected_option: null },
        category: { type: 'static_select', selected_option: null },
        source: { type: 'static_select', selected_option: opt('rumour') },
        targets: { type: 'checkboxes', selected_options: [] },
        groups: { type: 'multi_static_select', selected_options: [] },
        organisations: { type: 'multi_static_select', selected_options: [] },
        ackDeadline: { type: 'static_select', selected_option: opt('soon') },
      }),
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.errors).sort()).toEqual(
      [BLOCK.title, BLOCK.body, BLOCK.tlp, BLOCK.severity, BLOCK.category, BLOCK.source, BLOCK.targets, BLOCK.ackDeadline].sort(),
    );
    expect(result.errors[BLOCK.title]).toBe('件名を入力してください。 / Enter the title.');
    expect(result.errors[BLOCK.body]).toBe('本文を入力してください。 / Enter the body.');
    expect(result.errors[BLOCK.category]).toBe('種別を選択してください。 / Choose the category.');
    expect(result.errors[BLOCK.tlp]).toBe('TLPの値が正しくありません。 / The TLP is not valid.');
    expect(result.errors[BLOCK.targets]).toContain('宛先を少なくとも一つ指定してください');
    expect(result.errors[BLOCK.targets]).toContain('Choose at least one target');
    expect(result.errors[BLOCK.ackDeadline]).toContain('受領確認期限');
  });

  it('rejects a title or body over the limit', () => {
    const result = parseAdvisorySubmission(
      submitted({
        title: { type: 'plain_text_input', value: 'あ'.repeat(TITLE_MAX + 1) },
        body: { type: 'plain_text_input', value: 'い'.repeat(BODY_MAX + 1) },
      }),
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual({
      [BLOCK.title]: '件名は150文字以内です（151文字入力されています）。 / The title must be at most 150 characters (151 entered).',
      [BLOCK.body]: '本文は12,000文字以内です（12,001文字入力されています）。 / The body must be at most 12,000 characters (12,001 entered).',
    });
  });
});

/** What Slack submits for a view nobody touched: each input's initial value as its state. */
function untouched(blocks: readonly unknown[]): SubmittedValues {
  const values: SubmittedValues = {};
  for (const b of blocks as { type: string; block_id?: string; element?: Record<string, unknown> }[]) {
    if (b.type !== 'input' || !b.block_id || !b.element) continue;
    const el = b.element;
    values[b.block_id] = {
      [String(el['action_id'])]: {
        type: String(el['type']),
        value: (el['initial_value'] as string | undefined) ?? null,
        selected_option: (el['initial_option'] as { value: string } | undefined) ?? null,
        selected_options: (el['initial_options'] as { value: string }[] | undefined) ?? [],
        selected_date_time: (el['initial_date_time'] as number | undefined) ?? null,
      },
    };
  }
  return values;
}

describe('the form shown again with what was entered', () => {
  const entered = {
    title: '電子カルテの脆弱性について',
    body: 'JVN より公表されました。\n対象製品をご確認ください。',
    tlp: 'TLP:RED' as const,
    severity: 'level1' as const,
    category: 'incident' as const,
    source: 'police' as const,
    drill: true,
    drillPlan: { announce: true, from: '2026-03-02T01:00:00.000Z', to: '2026-03-02T03:00:00.000Z' },
    targets: { allMembers: false, observers: true, groups: ['pharma'], members: ['jha', 'mhlw'] },
    ackDeadlineMinutes: 480,
    escalate: false,
  };

  it('restores every field, so submitting it unchanged reads back what was entered', () => {
    const view = buildAdvisoryModal(options, entered);
    expect(readSubmission(untouched(view.blocks))).toEqual(entered);
    // And the empty form reads back as the defaults it shows.
    const empty = readSubmission(untouched(buildAdvisoryModal(options).blocks));
    expect(empty).toMatchObject({ title: '', body: '', tlp: 'TLP:AMBER', severity: 'level2', category: undefined, drill: false, escalate: true, ackDeadlineMinutes: undefined });
    expect(empty.targets).toEqual({ allMembers: false, observers: false, groups: [], members: [] });
  });

  it('restores the other choices too: all members, the severity default, escalation on', () => {
    const other = { ...entered, tlp: 'TLP:CLEAR' as const, severity: 'level4' as const, targets: { allMembers: true, observers: false, groups: [], members: [] }, ackDeadlineMinutes: undefined, escalate: true, drill: false, drillPlan: undefined };
    expect(readSubmission(untouched(buildAdvisoryModal(options, other).blocks))).toEqual(other);
  });

  it('restores picked organisations in an external select (past 100 organisations)', () => {
    const many = Array.from({ length: 150 }, (_, i) => ({ id: `city-${i}`, name: { ja: `市${i}`, en: `City ${i}` }, kind: 'member' as const }));
    const view = buildAdvisoryModal({ ...options, organisations: many }, { ...entered, targets: { ...entered.targets, members: ['city-7', 'city-120'] } });
    const picker = inputs(view.blocks as KnownBlock[]).get(BLOCK.organisations)!;
    expect(picker.element.type).toBe('multi_external_select');
    expect(readSubmission(untouched(view.blocks)).targets.members).toEqual(['city-7', 'city-120']);
  });

  it('offers a drill’s announcement only on a form opened as a drill, and reads it back as instants', () => {
    const plain = buildAdvisoryModal(options);
    expect(inputs(plain.blocks as KnownBlock[]).has(BLOCK.drillAnnounce)).toBe(false);
    // A plain form's drill (the box ticked) is unannounced: nothing to read.
    expect(readSubmission(untouched(plain.blocks)).drillPlan).toBeUndefined();

    const drill = buildAdvisoryModal(options, { ...entered, drillPlan: { announce: false } });
    expect(drill.title.text).toBe('訓練の発信 / Issue a drill');
    const blocks = inputs(drill.blocks as KnownBlock[]);
    const choice = blocks.get(BLOCK.drillAnnounce)!.element as unknown as { type: string; options: { value: string }[]; initial_option: { value: string } };
    expect(choice.type).toBe('radio_buttons');
    expect(choice.options.map((o) => o.value)).toEqual([DRILL_UNANNOUNCED, DRILL_ANNOUNCE]);
    expect(choice.initial_option.value).toBe(DRILL_UNANNOUNCED);
    expect(blocks.get(BLOCK.drillFrom)!.element.type).toBe('datetimepicker');
    expect(blocks.get(BLOCK.drillFrom)!.optional).toBe(true);
    expect(readSubmission(untouched(drill.blocks)).drillPlan).toEqual({ announce: false, from: undefined, to: undefined });

    // As Slack submits the pickers: seconds since the epoch.
    const values = untouched(buildAdvisoryModal(options, entered).blocks);
    values[BLOCK.drillFrom] = { [ACTION.drillFrom]: { type: 'datetimepicker', selected_date_time: Date.parse('2026-03-02T10:00:00+09:00') / 1000 } };
    expect(readSubmission(values).drillPlan).toEqual({ announce: true, from: '2026-03-02T01:00:00.000Z', to: '2026-03-02T03:00:00.000Z' });
  });

  it('puts the window’s problems on its pickers, every one at once', () => {
    const values = untouched(buildAdvisoryModal(options, { ...entered, title: '', drillPlan: { announce: true } }).blocks);
    values[BLOCK.drillTo] = { [ACTION.drillTo]: { type: 'datetimepicker', selected_date_time: Date.parse('2026-03-01T00:00:00Z') / 1000 } };
    values[BLOCK.drillFrom] = { [ACTION.drillFrom]: { type: 'datetimepicker', selected_date_time: Date.parse('2026-03-02T00:00:00Z') / 1000 } };
    const result = parseAdvisorySubmission(values);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors[BLOCK.drillTo]).toBe('訓練期間の終了は開始より後にしてください。 / The window must end after it starts.');
    expect(result.errors[BLOCK.title]).toBeDefined();
    delete values[BLOCK.drillFrom];
    const missing = parseAdvisorySubmission(values);
    expect(!missing.ok && missing.errors[BLOCK.drillFrom]).toBe('訓練期間の開始を入力してください。 / Enter when the window starts.');
  });

  it('leaves out what cannot be shown: unknown choices fall back to what the form offers', () => {
    const odd = { ...entered, tlp: 'TLP:WHITE', ackDeadlineMinutes: 7, targets: { ...entered.targets, members: ['gone'] } } as unknown as typeof entered;
    const read = readSubmission(untouched(buildAdvisoryModal(options, odd).blocks));
    expect(read.tlp).toBeUndefined();
    expect(read.ackDeadlineMinutes).toBeUndefined();
    expect(read.targets.members).toEqual([]);
  });
});
