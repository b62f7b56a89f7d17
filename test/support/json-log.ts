import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../src/log.js';

/**
 * The bot's own logger (pino, its redaction and error serialisation included) at `level`, each JSON line it writes
 * parsed and kept, for tests that assert what reaches the log as it would be shipped. (recordingLog in core-fixture.ts
 * keeps the objects given to the logger instead, before pino has serialised them.)
 */
export function jsonLog<Line extends { level: number; msg: string }>(level: string): { log: Logger; lines: Line[] } {
  const lines: Line[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(l) as Line);
      done();
    },
  });
  return { log: createLogger(level, sink), lines };
}
