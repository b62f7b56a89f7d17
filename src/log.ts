import { pino, type Logger } from 'pino';
import pretty from 'pino-pretty';

export type { Logger };

/**
 * Tokens, secrets and contacts' phone numbers and e-mail addresses never reach the log:
 * logs are shipped to places with wider access than the member directory.
 */
export const REDACT_PATHS = [
  'token',
  '*.token',
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'signingSecret',
  '*.signingSecret',
  'password',
  '*.password',
  'phone',
  '*.phone',
  'email',
  '*.email',
  'body',
  '*.body',
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino({ level, redact: { paths: REDACT_PATHS, censor: '[redacted]' }, base: { app: 'ceptoar-bot' } }, destination);
}

/** Readable lines for a person at a terminal; JSON (the default elsewhere) for log shippers. */
export function prettyDestination(): pino.DestinationStream {
  return pretty({ colorize: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname,app' });
}
