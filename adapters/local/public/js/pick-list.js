import { both, C, P } from './i18n.js';
import { count, normalise } from './format.js';
import { debounce, el } from './dom.js';

/** A checkbox list with a filter box, for groups and organisations (up to ~1,800 of them). */
export function pickList({ legend, items, testidPrefix, field: fieldName, filter }) {
  const list = el('div', { class: 'pick-list', role: 'group', 'aria-label': both(legend) });
  const keys = new Map();
  for (const it of items) {
    const observer = it.kind === 'observer';
    const input = el('input', { type: 'checkbox', value: it.id, testid: `${testidPrefix}${it.id}` });
    const label = el(
      'label',
      { class: 'pick' },
      input,
      ' ',
      el('span', null, both(it.name ?? { ja: it.id, en: it.id })),
      observer ? el('span', { class: 'tag' }, both(C('observers'))) : null,
      el('span', { class: 'org-id' }, it.id),
    );
    keys.set(label, { input, key: normalise(`${it.id} ${it.name?.ja ?? ''} ${it.name?.en ?? ''}`) });
    list.append(label);
  }
  const counter = el('span', { class: 'pick-count', 'aria-live': 'polite' });
  const search = filter
    ? el('input', {
        type: 'search',
        class: 'pick-filter',
        testid: `${testidPrefix}filter`,
        placeholder: both(C('organisationsSearch')),
        'aria-label': `${both(legend)} — ${both(C('organisationsSearch'))}`,
        autocomplete: 'off',
      })
    : null;
  const selectedOnly = filter ? el('input', { type: 'checkbox', testid: `${testidPrefix}selected-only` }) : null;
  const apply = () => {
    const q = search ? normalise(search.value.trim()) : '';
    const only = selectedOnly ? selectedOnly.checked : false;
    for (const [label, k] of keys) label.hidden = (q !== '' && !k.key.includes(q)) || (only && !k.input.checked);
  };
  const updateCount = () => {
    const n = [...keys.values()].filter((k) => k.input.checked).length;
    counter.textContent = n > 0 ? `${count(n)} 件選択 / ${count(n)} selected` : '';
  };
  search?.addEventListener('input', debounce(apply, 60));
  selectedOnly?.addEventListener('change', apply);
  list.addEventListener('change', updateCount);
  const clear = el(
    'button',
    {
      type: 'button',
      class: 'btn small',
      testid: `${testidPrefix}clear`,
      on: {
        click: () => {
          for (const k of keys.values()) k.input.checked = false;
          updateCount();
          apply();
        },
      },
    },
    both(P.clearSelection),
  );
  const fieldset = el(
    'fieldset',
    { class: `picker picker-${fieldName}` },
    el('legend', null, both(legend), ' ', counter),
    filter ? el('div', { class: 'pick-tools' }, search, el('label', { class: 'inline' }, selectedOnly, ` ${both(P.selectedOnly)}`), clear) : null,
    list,
    el('div', { class: 'error-slot', 'data-field': fieldName }),
  );
  return {
    fieldset,
    values: () => [...keys.values()].filter((k) => k.input.checked).map((k) => k.input.value),
    reset: () => {
      for (const k of keys.values()) k.input.checked = false;
      if (search) search.value = '';
      if (selectedOnly) selectedOnly.checked = false;
      updateCount();
      apply();
    },
    focus: () => (search ?? list.querySelector('input'))?.focus(),
    /** Pick exactly these ids (a template's targets); ids the list does not have are left out. */
    set: (ids) => {
      const wanted = new Set(ids);
      for (const k of keys.values()) k.input.checked = wanted.has(k.input.value);
      updateCount();
      apply();
    },
  };
}
