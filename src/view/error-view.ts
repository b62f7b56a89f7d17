import { randomUUID } from 'node:crypto';
import { isBotError, type ErrorCode } from '../errors.js';
import { ERROR_TEXT, type Bilingual } from '../i18n/text.js';
import type { Logger } from '../log.js';
import type { FieldError } from './advisory-form-errors.js';

/** What the person at the edge is told when their request did not go through, on any platform. */
export interface ErrorView {
  code: ErrorCode | 'INTERNAL';
  message: Bilingual;
  /** Form field problems (ADVISORY.INVALID, an unknown target). */
  fields?: FieldError[] | undefined;
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : []);
const append = (t: Bilingual, extra: string): Bilingual => ({ ja: `${t.ja} ${extra}`, en: `${t.en} ${extra}` });

/**
 * Turns an error into what the person sees and logs it once with its context: a refusal by the
 * core (coded) at info, anything else at error with a reference id the person can quote.
 */
export function errorView(err: unknown, log: Logger, context: Record<string, unknown>): ErrorView {
  if (!isBotError(err)) {
    const ref = randomUUID().slice(0, 8);
    log.error({ ...context, err, ref }, 'request failed');
    return {
      code: 'INTERNAL',
      message: {
        ja: `処理中にエラーが発生しました（参照番号 ${ref}）。事務局にお問い合わせください。`,
        en: `Something went wrong (reference ${ref}). Please contact the secretariat.`,
      },
    };
  }
  log.info({ ...context, code: err.code, detail: err.detail }, 'request refused');
  let message = ERROR_TEXT[err.code];
  let fields: FieldError[] | undefined;
  if (err.code === 'ADVISORY.INVALID' && Array.isArray(err.detail['fields'])) fields = err.detail['fields'] as FieldError[];
  if (err.code === 'DIRECTORY.UNKNOWN_TARGET') {
    message = append(message, [...strings(err.detail['unknownGroups']), ...strings(err.detail['unknownMembers'])].join(', '));
    fields = [{ field: 'targets', message }];
  }
  if (err.code === 'PHONE.CLAIMED_BY_OTHER' && typeof err.detail['claimedBy'] === 'string') {
    message = append(message, `📞 ${err.detail['claimedBy']}`);
  }
  return { code: err.code, message, fields };
}
