import { describe, expect, it } from 'vitest';
import { isCopy } from '../../../adapters/slack/ack-action.js';

const copy = { platform: 'slack' as const, channelId: 'C0JMA00001', messageId: '1764640000.000100' };

describe('isCopy: only a press on the advisory\'s own copy is redrawn as the advisory while the queue is down', () => {
  it('is the copy pressed', () => {
    expect(isCopy([copy], { ...copy })).toBe(true);
  });

  it('a follow-up in its thread (another ts), the same ts in another channel, or another platform is not', () => {
    expect(isCopy([copy], { ...copy, messageId: '1764640100.000200' })).toBe(false);
    expect(isCopy([copy], { ...copy, channelId: 'C0JDA00001' })).toBe(false);
    expect(isCopy([copy], { ...copy, platform: 'teams' })).toBe(false);
    expect(isCopy([], copy)).toBe(false);
  });
});
