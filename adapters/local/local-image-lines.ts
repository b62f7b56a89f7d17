import { T, TLP_TEXT, type Bilingual } from '../../src/i18n/text.js';
import type { ImageView } from '../../src/view/views.js';

/**
 * A picture the core posted (the reach chart after the closing summary) as the page shows it
 * (public/js/render-image.js): the words Slack and Teams show around it, worded here from src/i18n, so the page keeps
 * no copy of them and only lays them out: the label's explanation, the drill banner for a drill, the heading, and the
 * alt text the picture carries.
 */
export interface LocalImageLines {
  tlpText: Bilingual;
  /** Present for a drill: 【訓練】これは訓練です / [DRILL] This is a drill. */
  drill?: Bilingual | undefined;
  heading: Bilingual;
  altText: Bilingual;
}

export function imageLines(view: ImageView): LocalImageLines {
  return {
    tlpText: TLP_TEXT[view.tlp],
    ...(view.drill ? { drill: T.drillBanner } : {}),
    heading: view.heading,
    altText: view.altText,
  };
}
