/** A picture's card on Teams: the label first, the heading and title escaped, the picture as a data URI with its alt text. */
import { describe, expect, it } from 'vitest';
import { chartCard } from '../../../adapters/teams/chart-card.js';
import { CARD_MAX_CHARS, jsonLength } from '../../../adapters/teams/card-elements.js';
import { TITLE_MAX } from '../../../src/domain/advisory.js';
import type { ImageView } from '../../../src/view/views.js';

const view = (patch: Partial<ImageView> = {}): ImageView => ({
  kind: 'reach_chart',
  advisoryId: 'ADV-2026-0042',
  title: 'VPN',
  tlp: 'TLP:CLEAR',
  severity: 'level2',
  drill: false,
  heading: { ja: '受領確認の推移', en: 'Share acknowledged over time' },
  altText: { ja: '代替', en: 'alt' },
  ...patch,
});

describe('chartCard', () => {
  it('is the label, the heading, the title, then the picture: the PNG as a data URI, stretched, with its alt text', () => {
    const { text, card } = chartCard(view(), Uint8Array.from([1, 2, 3, 250]));
    expect(text).toBe('[TLP:CLEAR] 📈 受領確認の推移 / Share acknowledged over time: ADV-2026-0042 VPN');
    expect(card.fallbackText).toBe(text);
    expect(card.body.at(-1)).toEqual({ type: 'Image', url: `data:image/png;base64,${Buffer.from([1, 2, 3, 250]).toString('base64')}`, altText: '代替 / alt', size: 'Stretch' });
    expect(card.body[0]).toMatchObject({ type: 'Container', items: [{ text: expect.stringContaining('TLP:CLEAR') }] });
    expect(card.actions).toBeUndefined();
  });

  it('reads a part of a larger buffer as just that part', () => {
    const whole = Uint8Array.from([9, 9, 1, 2, 3, 9]);
    const image = chartCard(view(), whole.subarray(2, 5)).card.body.at(-1) as { url?: unknown };
    expect(image.url).toBe(`data:image/png;base64,${Buffer.from([1, 2, 3]).toString('base64')}`);
  });

  it('keeps the alt text to a paragraph, and the card around the picture within the card limit at the longest title', () => {
    const { card } = chartCard(view({ title: '＊'.repeat(TITLE_MAX), altText: { ja: 'あ'.repeat(1_500), en: 'x' } }), new Uint8Array(0));
    const image = card.body.at(-1) as { altText?: unknown };
    expect(String(image.altText)).toHaveLength(1_000);
    expect(String(image.altText).endsWith('…')).toBe(true);
    expect(jsonLength(card)).toBeLessThan(CARD_MAX_CHARS);
  });
});
