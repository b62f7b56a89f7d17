/**
 * Element helpers. Safety rule for the whole page: every string that came from the server (titles, bodies,
 * names, replies, reasons) reaches the page through textContent / Text nodes only. No innerHTML anywhere; the
 * only URL built from data is a tel: link (render-phone-task.js), and only from a number that matches E.164.
 */

import { isBilingual } from './i18n.js';
import { formatTokyo } from './format.js';

/** Properties set as DOM properties rather than attributes. */
const PROPS = new Set(['value', 'checked', 'disabled', 'hidden', 'selected', 'open', 'required', 'readOnly', 'maxLength']);

/**
 * document.createElement with attributes and children. Children that are strings become Text nodes, so nothing
 * passed here is ever parsed as HTML.
 */
export function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v === undefined || v === null) continue;
      if (k === 'class') node.className = v;
      else if (k === 'testid') node.setAttribute('data-testid', v);
      else if (k === 'text') node.textContent = v;
      else if (k === 'on') for (const [type, fn] of Object.entries(v)) node.addEventListener(type, fn);
      else if (PROPS.has(k)) node[k] = v;
      else if (v === false) continue;
      else node.setAttribute(k, v === true ? '' : String(v));
    }
  }
  appendAll(node, children);
  return node;
}

/** Replace a node's children; null, undefined and false are skipped (replaceChildren would print "null"). */
export function fill(node, ...children) {
  node.replaceChildren();
  appendAll(node, children);
  return node;
}

export function appendAll(node, children) {
  for (const c of children) {
    if (c === undefined || c === null || c === false) continue;
    if (Array.isArray(c)) appendAll(node, c);
    else if (typeof c === 'string' || typeof c === 'number') node.append(document.createTextNode(String(c)));
    else node.append(c);
  }
}

/** A bilingual sentence: Japanese line, then English line (like stacked()). */
export function sentence(t, cls) {
  if (!isBilingual(t)) return el('span', { class: cls ?? null }, String(t ?? ''));
  if (t.ja === t.en) return el('span', { class: `bi ${cls ?? ''}`.trim() }, el('span', { class: 'ja', lang: 'ja' }, t.ja));
  return el(
    'span',
    { class: `bi ${cls ?? ''}`.trim() },
    el('span', { class: 'ja', lang: 'ja' }, t.ja),
    el('span', { class: 'en', lang: 'en' }, t.en),
  );
}

export function timeEl(at, cls) {
  const d = new Date(at);
  return el('time', { class: cls ?? null, datetime: Number.isNaN(d.getTime()) ? null : d.toISOString() }, formatTokyo(at));
}

export const $ = (id) => document.getElementById(id);

export function debounce(fn, wait) {
  let timer = null;
  return (...args) => {
    if (timer !== null) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      fn(...args);
    }, wait);
  };
}

export function announce(text) {
  const a = $('announcer');
  a.textContent = '';
  // A fresh text node after a tick is what screen readers pick up reliably.
  setTimeout(() => {
    a.textContent = text;
  }, 30);
}
