/** The words the page shows around a picture, worded on the server: the label's explanation, the drill banner, the heading, the alt text. */
import { describe, expect, it } from 'vitest';
import { imageLines } from '../../../adapters/local/local-image-lines.js';
import type { ImageView } from '../../../src/view/views.js';

const view: ImageView = {
  kind: 'reach_chart',
  advisoryId: 'ADV-2026-0042',
  title: 'VPN',
  tlp: 'TLP:AMBER+STRICT',
  severity: 'level4',
  drill: false,
  heading: { ja: '受領確認の推移', en: 'Share acknowledged over time' },
  altText: { ja: '代替', en: 'alt' },
};

describe('imageLines', () => {
  it("words a real advisory's picture: no drill banner", () => {
    expect(imageLines(view)).toEqual({ tlpText: { ja: '組織内限り', en: "Recipient's organisation only" }, heading: view.heading, altText: view.altText });
  });

  it("words a drill's with the banner", () => {
    expect(imageLines({ ...view, drill: true }).drill).toEqual({ ja: '【訓練】これは訓練です', en: '[DRILL] This is a drill' });
  });
});
