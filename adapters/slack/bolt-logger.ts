import { LogLevel, type Logger as SlackLogger } from '@slack/bolt';
import type { Logger } from '../../src/log.js';

/**
 * Bolt's and the Web API client's own messages (refused signatures, socket reconnects) go to our
 * structured log with its redaction, instead of bare lines on stderr.
 */
export function boltLogger(log: Logger): SlackLogger {
  let level: LogLevel = LogLevel.WARN;
  let child = log.child({ component: 'slack-sdk' });
  const text = (msg: unknown[]) => msg.map((m) => (typeof m === 'string' ? m : m instanceof Error ? m.message : JSON.stringify(m))).join(' ');
  return {
    debug: (...msg) => child.debug(text(msg)),
    info: (...msg) => child.info(text(msg)),
    warn: (...msg) => child.warn(text(msg)),
    error: (...msg) => child.error(text(msg)),
    // Bolt sets its level from its logLevel option; ours (LOG_LEVEL) stays the filter that counts.
    setLevel: (l) => {
      level = l;
    },
    getLevel: () => level,
    setName: (name) => {
      child = log.child({ component: name });
    },
  };
}
