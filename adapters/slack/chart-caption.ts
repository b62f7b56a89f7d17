import { both, T } from '../../src/i18n/text.js';
import type { ImageView } from '../../src/view/views.js';
import { fallback, tlpLine } from './block-elements.js';
import { escapeMrkdwn, truncateMrkdwn, truncatePlain } from './mrkdwn.js';

/**
 * What a picture posted with files.uploadV2 says around it (SlackChat.postImage): the file's title, the message that
 * shares it (`initial_comment`, mrkdwn: the label first, as in every message), and its alt text for screen readers.
 */
export interface SlackImageCaption {
  /** Plain text shown above the picture: the label first, then what it is. */
  title: string;
  /** mrkdwn: the TLP line, the drill banner for a drill, then the heading with the advisory's id and (escaped) title. */
  comment: string;
  /** Plain text, within Slack's limit for alt_text. */
  altText: string;
}

/** Slack answers alt_txt_too_large past this (files.getUploadURLExternal). */
export const ALT_TEXT_MAX = 1_000;
/** A file title is a line above the picture, not a message. */
const FILE_TITLE_MAX = 250;
/** chat.postMessage's text limit; initial_comment becomes such a message's text. */
const COMMENT_MAX = 3_000;

const e = escapeMrkdwn;

export function chartCaption(view: ImageView): SlackImageCaption {
  const banner = view.drill ? [`🚧 *${e(both(T.drillBanner))}* 🚧`] : [];
  const heading = `📈 *${e(both(view.heading))}*: ${e(view.advisoryId)} ${e(view.title)}`;
  return {
    title: truncatePlain(fallback(view.tlp, view.drill, `${view.advisoryId} ${both(view.heading)}`), FILE_TITLE_MAX),
    comment: truncateMrkdwn([tlpLine(view.tlp), ...banner, heading].join('\n'), COMMENT_MAX),
    altText: truncatePlain(both(view.altText), ALT_TEXT_MAX),
  };
}
