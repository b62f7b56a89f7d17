/** The server: fetch helpers for the JSON API in ../../local-api.ts, and how its errors are shown. */

import { state } from './state.js';
import { I, isBilingual, P } from './i18n.js';
import { el, sentence } from './dom.js';

export class ApiError extends Error {
  constructor(status, code, message, fields) {
    super(`${status} ${code}`);
    this.status = status;
    this.code = code;
    this.bilingual = message;
    this.fields = fields;
  }
}

export async function api(path, { method = 'GET', body, anonymous = false } = {}) {
  const headers = { accept: 'application/json' };
  if (!anonymous && state.user) headers['x-local-user'] = state.user.id;
  if (body !== undefined) headers['content-type'] = 'application/json';
  let res;
  try {
    res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store' });
  } catch {
    throw new ApiError(0, 'NETWORK', P.network, undefined);
  }
  const text = await res.text();
  let data = null;
  if (text !== '') {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (!res.ok) {
    const e = data && typeof data === 'object' ? data.error : undefined;
    const code = e && typeof e.code === 'string' ? e.code : `HTTP_${res.status}`;
    let message = e && isBilingual(e.message) ? e.message : undefined;
    if (!message) {
      const known = I().ERROR_TEXT;
      message =
        known && Object.hasOwn(known, code) && isBilingual(known[code])
          ? known[code]
          : { ja: `${P.serverError.ja}（${res.status}）`, en: `${P.serverError.en} (${res.status})` };
    }
    const fields = e && e.fields && typeof e.fields === 'object' ? e.fields : undefined;
    throw new ApiError(res.status, code, message, fields);
  }
  return data;
}

export function errorText(err) {
  if (err instanceof ApiError) return err.bilingual;
  return { ja: `${P.serverError.ja}: ${String(err && err.message)}`, en: `${P.serverError.en}: ${String(err && err.message)}` };
}

export function errorBox(err, testid) {
  return el('div', { class: 'error-box', role: 'alert', testid: testid ?? null }, '⚠️ ', sentence(errorText(err)));
}
