import { describe, expect, it } from 'vitest';
import { validateAdvisoryForm } from '../../../src/view/advisory-form-errors.js';

const valid = {
  title: 'VPN 装置の脆弱性',
  body: '本文',
  source: 'nisc',
  tlp: 'TLP:AMBER',
  severity: 'level3',
  category: 'vulnerability',
  targets: { allMembers: true },
};

describe('advisory form errors (the same on every platform)', () => {
  it('accepts a valid form', () => {
    expect(validateAdvisoryForm(valid)).toMatchObject({ ok: true, input: { title: 'VPN 装置の脆弱性', escalate: true } });
  });

  it('reports every field at once, each with a bilingual message', () => {
    const r = validateAdvisoryForm({ ...valid, title: '', tlp: undefined, category: 'gossip', targets: {} });
    if (r.ok) throw new Error('expected errors');
    const by = Object.fromEntries(r.errors.map((e) => [e.field, e.message]));
    expect(Object.keys(by).sort()).toEqual(['category', 'targets', 'title', 'tlp']);
    expect(by['title']).toEqual({ ja: '件名を入力してください。', en: 'Enter the title.' });
    expect(by['tlp']!.ja).toContain('選択してください'); // not chosen
    expect(by['category']!.ja).toContain('正しくありません'); // chosen, but not a category
    const e = validateAdvisoryForm({ ...valid, severity: 'level4', escalate: false });
    expect(e.ok ? [] : e.errors.map((x) => [x.field, x.message.en])).toEqual([['escalate', expect.stringContaining('level 1 and 0')]]);
  });

  it('says how long a title may be, and how long the one entered is', () => {
    const r = validateAdvisoryForm({ ...valid, title: 'x'.repeat(151) });
    expect(r.ok ? [] : r.errors).toEqual([{ field: 'title', message: { ja: '件名は150文字以内です（151文字入力されています）。', en: 'The title must be at most 150 characters (151 entered).' } }]);
  });

  it('refuses a pasted body over the limit with its count, as the schema counts it (trimmed)', () => {
    const r = validateAdvisoryForm({ ...valid, body: `\n${'あ'.repeat(20_000)}  \n` });
    expect(r.ok ? [] : r.errors).toEqual([
      { field: 'body', message: { ja: '本文は12,000文字以内です（20,000文字入力されています）。', en: 'The body must be at most 12,000 characters (20,000 entered).' } },
    ]);
  });

  it('gives a title or body of only invisible characters the same answer as an empty one', () => {
    const empty = validateAdvisoryForm({ ...valid, title: '', body: '' });
    const invisible = validateAdvisoryForm({ ...valid, title: '\u200B\u200B', body: '\u2060\n\uFEFF' });
    expect(invisible).toEqual(empty);
    expect(empty.ok ? [] : empty.errors.map((e) => e.message.en)).toEqual(['Enter the title.', 'Enter the body.']);
  });
});
