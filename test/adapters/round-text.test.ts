/**
 * The words of acknowledgement rounds are held by each adapter (adapters/<platform>/round-text.ts) until they move
 * to src/i18n: every platform must say the same, word for word.
 */
import { describe, expect, it } from 'vitest';
import { RT as SLACK } from '../../adapters/slack/round-text.js';
import { RT as TEAMS } from '../../adapters/teams/round-text.js';
import { RT as LOCAL } from '../../adapters/local/round-text.js';

/** Every text, the functions called with the same arguments. */
function said(rt: typeof SLACK): Record<string, unknown> {
  return Object.fromEntries(Object.entries(rt).map(([k, v]) => [k, typeof v === 'function' ? (v as (...a: unknown[]) => unknown)(2, 3, '2026/11/25 19:00 JST') : v]));
}

describe('round texts', () => {
  it('are the same on Slack, Teams and the local workspace', () => {
    expect(Object.keys(TEAMS)).toEqual(Object.keys(SLACK));
    expect(Object.keys(LOCAL)).toEqual(Object.keys(SLACK));
    expect(said(TEAMS)).toEqual(said(SLACK));
    expect(said(LOCAL)).toEqual(said(SLACK));
  });

  it('are Japanese first and English second, never empty', () => {
    for (const [key, t] of Object.entries(said(SLACK)) as [string, { ja: string; en: string }][]) {
      expect(t.ja, key).toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/);
      expect(t.en, key).toMatch(/^[\x20-\x7e]+$/);
    }
  });
});
