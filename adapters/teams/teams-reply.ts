import { randomUUID } from 'node:crypto';
import { isBotError } from '../../src/errors.js';
import { ERROR_TEXT } from '../../src/i18n/text.js';
import type { Logger } from '../../src/log.js';

/** The text a Teams user sees for an error: coded errors get their message, others a reference logged once. */
export function teamsErrorText(err: unknown, log: Logger, context: Record<string, unknown>): string {
  if (isBotError(err)) {
    log.info({ ...context, code: err.code, detail: err.detail }, 'request refused');
    const t = ERROR_TEXT[err.code];
    const who = typeof err.detail['claimedBy'] === 'string' ? ` (${err.detail['claimedBy']})` : '';
    return `${t.ja}${who}\n\n${t.en}${who}`;
  }
  const ref = randomUUID().slice(0, 8);
  log.error({ ...context, err, ref }, 'request failed');
  return `処理中にエラーが発生しました（参照番号 ${ref}）。事務局にお問い合わせください。\n\nSomething went wrong (reference ${ref}). Please contact the secretariat.`;
}
