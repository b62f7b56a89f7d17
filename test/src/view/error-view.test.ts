import { describe, expect, it } from 'vitest';
import { BotError } from '../../../src/errors.js';
import { errorView } from '../../../src/view/error-view.js';
import { jsonLog } from '../../support/json-log.js';

function capture() {
  return jsonLog<{ level: number; msg: string } & Record<string, unknown>>('info');
}

describe('errorView (what every platform tells the person)', () => {
  it('gives a coded refusal its message, logged once at info', () => {
    const { log, lines } = capture();
    const v = errorView(new BotError('PHONE.CLAIMED_BY_OTHER', 'x', { claimedBy: '電話当番 A' }), log, { user: 'U1' });
    expect(v.code).toBe('PHONE.CLAIMED_BY_OTHER');
    expect(v.message.ja).toContain('他の担当者が対応中です。 📞 電話当番 A');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 30, user: 'U1', code: 'PHONE.CLAIMED_BY_OTHER' });
  });

  it('names unknown targets and files them under the targets field', () => {
    const { log } = capture();
    const v = errorView(new BotError('DIRECTORY.UNKNOWN_TARGET', 'x', { unknownGroups: ['g9'], unknownMembers: ['nope'] }), log, {});
    expect(v.message.en).toMatch(/g9, nope$/);
    expect(v.fields).toEqual([{ field: 'targets', message: v.message }]);
  });

  it('gives anything else a reference id that is also in the one error log line', () => {
    const { log, lines } = capture();
    const v = errorView(new Error('boom'), log, { route: 'press' });
    expect(v.code).toBe('INTERNAL');
    const ref = /参照番号 (\w+)/.exec(v.message.ja)![1];
    expect(v.message.en).toContain(`reference ${ref}`);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 50, ref, route: 'press' });
  });
});
