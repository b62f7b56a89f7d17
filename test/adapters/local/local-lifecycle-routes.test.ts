import { describe, expect, it } from 'vitest';
import { followUpOf } from '../../../adapters/local/local-lifecycle-routes.js';

describe('followUpOf: the follow-up form as the page sends it', () => {
  it('reads the checkbox and the minutes, typed or as a number', () => {
    expect(followUpOf({ body: '続報です', acknowledge: true, ackDeadlineMinutes: '90' })).toEqual({ body: '続報です', acknowledge: true, ackDeadlineMinutes: 90 });
    expect(followUpOf({ body: '続報です', acknowledge: true, ackDeadlineMinutes: 45 })).toEqual({ body: '続報です', acknowledge: true, ackDeadlineMinutes: 45 });
  });

  it('only true asks; empty or missing minutes are none; a missing body is empty', () => {
    expect(followUpOf({ body: '続報です', acknowledge: 'true', ackDeadlineMinutes: '' })).toEqual({ body: '続報です', acknowledge: false });
    expect(followUpOf({ body: '続報です', acknowledge: false, ackDeadlineMinutes: null })).toEqual({ body: '続報です', acknowledge: false });
    expect(followUpOf({})).toEqual({ body: '', acknowledge: false });
  });

  it('passes what is not a number on, for the core to refuse on the field', () => {
    expect(followUpOf({ body: 'x', acknowledge: true, ackDeadlineMinutes: 'NaN' }).ackDeadlineMinutes).toBeNaN();
    expect(followUpOf({ body: 'x', acknowledge: true, ackDeadlineMinutes: '0' }).ackDeadlineMinutes).toBe(0);
  });
});
