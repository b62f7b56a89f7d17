import { describe, expect, it } from 'vitest';
import { failureOf } from '../../bench/scenarios/presses.js';

describe('failureOf (why a press got no 200, as the bench reports it)', () => {
  it('names the status of an answer that came', () => {
    expect(failureOf({ status: 503 })).toBe('HTTP 503');
  });

  it("names fetch's cause, not its generic TypeError", () => {
    const error = new TypeError('fetch failed', { cause: Object.assign(new Error('Connect Timeout Error'), { code: 'UND_ERR_CONNECT_TIMEOUT' }) });
    expect(failureOf({ error })).toBe('UND_ERR_CONNECT_TIMEOUT');
  });

  it("names the error's own code, then its name", () => {
    expect(failureOf({ error: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }) })).toBe('ECONNRESET');
    expect(failureOf({ error: new DOMException('The operation was aborted', 'AbortError') })).toBe('AbortError');
  });

  it('says so when nothing names it', () => {
    expect(failureOf({ error: 'a string' })).toBe('unknown error');
    expect(failureOf({ error: Object.assign(new Error('x'), { name: '' }) })).toBe('unknown error');
  });
});
