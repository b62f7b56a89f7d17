/** The issue form's field errors: where each key of the server's error.fields is shown. */

import { isBilingual } from './i18n.js';
import { el, sentence } from './dom.js';

/** Every field that can carry an error, and where its message goes. */
const FORM_FIELDS = ['title', 'body', 'tlp', 'severity', 'category', 'source', 'targets', 'groups', 'members', 'ackDeadlineMinutes', 'drill', 'drillAnnounce', 'drillFrom', 'drillTo', 'escalate'];

export function clearFieldErrors(f) {
  for (const slot of f.form.querySelectorAll('.error-slot')) slot.replaceChildren();
  for (const c of f.form.querySelectorAll('[aria-invalid]')) {
    c.removeAttribute('aria-invalid');
    c.removeAttribute('aria-describedby');
  }
}

/** Where the server's error.fields key goes: "title", "targets.members", "input.body", "ackDeadline" … */
function fieldForKey(key) {
  const k = String(key).replace(/^input\./, '');
  if (FORM_FIELDS.includes(k)) return k;
  // Exactly "targets.members" is where the schema files "at least one target is required": it belongs to the
  // whole Targets fieldset. An element path ("targets.members.3") is about one organisation.
  if (k === 'targets.groups' || k === 'targets.members') return 'targets';
  if (k.startsWith('targets.groups.')) return 'groups';
  if (k.startsWith('targets.members.')) return 'members';
  if (k === 'organisations' || k === 'target_organisations') return 'members';
  if (k === 'target_groups') return 'groups';
  if (k === 'ack_deadline') return 'ackDeadlineMinutes';
  if (k.startsWith('targets')) return 'targets';
  if (k === 'ackDeadline' || k === 'deadline') return 'ackDeadlineMinutes';
  // The schema's own paths of the drill's announcement.
  if (k === 'drillPlan.from') return 'drillFrom';
  if (k === 'drillPlan.to') return 'drillTo';
  if (k.startsWith('drillPlan')) return 'drillAnnounce';
  return null;
}

export function showFieldErrors(f, fieldsMap) {
  let first = null;
  const general = f.form.querySelector('.error-slot[data-field="_general"]');
  for (const [key, message] of Object.entries(fieldsMap)) {
    const name = fieldForKey(key);
    let slot = name ? f.form.querySelector(`.error-slot[data-field="${name}"]`) : null;
    let shownAs = name;
    // A field with no slot on screen (no groups in the directory, a hidden row): the nearest sensible place.
    if (slot && slot.closest('[hidden]')) slot = null;
    if (!slot && (name === 'groups' || name === 'members')) {
      slot = f.form.querySelector('.error-slot[data-field="targets"]');
      shownAs = name;
    }
    if (!slot) {
      slot = general;
      shownAs = name ?? key;
    }
    if (slot.querySelector(`[data-testid="field-error-${CSS_escape(shownAs)}"]`)) continue;
    const id = `err-${shownAs.replace(/[^A-Za-z0-9_-]/g, '_')}`;
    slot.append(el('p', { class: 'field-error', id, testid: `field-error-${shownAs}` }, '⚠️ ', sentence(isBilingual(message) ? message : { ja: String(message), en: String(message) })));
    const control = name ? f.controls[name] : null;
    const node = control && control.nodeType === 1 ? control : null;
    if (node) {
      node.setAttribute('aria-invalid', 'true');
      node.setAttribute('aria-describedby', id);
    }
    if (!first) first = control;
  }
  if (first) {
    if (typeof first.focus === 'function') first.focus();
  }
}

/** Quotes for an attribute selector value (keys are our own field names, but be safe). */
function CSS_escape(s) {
  return String(s).replace(/["\\]/g, '\\$&');
}
