import { describe, expect, it } from 'vitest';
import { RT } from '../../../src/i18n/round-text.js';

/** Every text, the functions called with the same arguments. */
function said(): Record<string, unknown> {
  return Object.fromEntries(Object.entries(RT).map(([k, v]) => [k, typeof v === 'function' ? (v as (...a: unknown[]) => unknown)(2, 3, '2026/11/25 19:00 JST') : v]));
}

describe('round texts', () => {
  it('are Japanese first and English second, never empty', () => {
    const texts = Object.entries(said()) as [string, { ja: string; en: string }][];
    expect(texts.length).toBeGreaterThan(5);
    for (const [key, t] of texts) {
      expect(t.ja, key).toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/);
      expect(t.en, key).toMatch(/^[\x20-\x7e]+$/);
    }
  });
});
