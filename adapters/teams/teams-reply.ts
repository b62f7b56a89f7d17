import type { Logger } from '../../src/log.js';
import { errorView } from '../../src/view/error-view.js';

/** The text a Teams user sees for an error (see errorView): Japanese, then English. */
export function teamsErrorText(err: unknown, log: Logger, context: Record<string, unknown>): string {
  const { message } = errorView(err, log, context);
  return `${message.ja}\n\n${message.en}`;
}
