import { both } from '../../src/i18n/text.js';
import type { ImageView } from '../../src/view/views.js';
import { card, envelope, fallback, textBlock, type AdaptiveCard, type CardElement } from './card-elements.js';
import { escapeCardText, truncate } from './card-text.js';

/**
 * A picture in Teams (TeamsChat.postImage): an Adaptive Card with the label first (the TLP, the drill banner), the
 * heading with the advisory's id and (escaped) title, and the picture as an Image element whose url is a
 * `data:image/png;base64,…` URI (Adaptive Cards 1.2+ take data URIs; Teams shows them inline, with nothing stored in
 * SharePoint). The picture is kept small enough by the caller (TEAMS_IMAGE_MAX_BYTES).
 */

/** An Image's altText is plain text read aloud; a paragraph is plenty. */
const ALT_TEXT_MAX = 1_000;

const e = escapeCardText;

export function chartCard(view: ImageView, png: Uint8Array): { text: string; card: AdaptiveCard } {
  const text = fallback(view.tlp, view.drill, `📈 ${both(view.heading)}: ${view.advisoryId} ${view.title}`);
  const image: CardElement = {
    type: 'Image',
    url: `data:image/png;base64,${Buffer.from(png.buffer, png.byteOffset, png.byteLength).toString('base64')}`,
    altText: truncate(both(view.altText), ALT_TEXT_MAX),
    size: 'Stretch',
  };
  const body: CardElement[] = [
    ...envelope(view.tlp, view.drill),
    textBlock(`📈 **${e(both(view.heading))}**`, { weight: 'bolder' }),
    textBlock(`${e(view.advisoryId)} ${e(view.title)}`),
    image,
  ];
  return { text, card: { ...card(body), fallbackText: text } };
}
