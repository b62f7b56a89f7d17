/** The page's messages as data: what is valid, their order, merging newer copies, threads. No DOM. */

import { state } from './state.js';
import { ms } from './format.js';

export function validMessage(m) {
  return m && typeof m === 'object' && typeof m.id === 'string' && typeof m.channelId === 'string' && m.body && typeof m.body === 'object';
}

export function compareMessages(a, b) {
  return ms(a.createdAt) - ms(b.createdAt) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Store a message unless the stored copy is newer. Returns true when stored. */
export function mergeMessage(m) {
  if (!validMessage(m)) return false;
  const prev = state.messages.get(m.id);
  if (prev && ms(prev.updatedAt) > ms(m.updatedAt)) return false;
  state.messages.set(m.id, m);
  return true;
}

/** The top-level message a reply belongs to (replies to replies join the same thread). */
export function rootOf(m) {
  let cur = m;
  const seen = new Set();
  while (cur.threadOf && state.messages.has(cur.threadOf) && !seen.has(cur.id)) {
    seen.add(cur.id);
    cur = state.messages.get(cur.threadOf);
  }
  return cur;
}
