import { BT } from '../../src/i18n/board-text.js';
import type { Bilingual } from '../../src/i18n/text.js';
import type { OutboundView } from '../../src/ports/chat.js';
import { phoneBoardLines, type BoardLines } from '../../src/view/phone-board-lines.js';

/**
 * A page of the phone-task board as the page shows it (public/js/render-phone-board.js): the lines Slack and Teams
 * show, worded by the same function (src/view/phone-board-lines.ts: marks, names, each row's parts, the counts, the
 * note), and the claim control's words (src/i18n/board-text.ts). Worded here, as the live status card's lines are
 * (local-live-lines.ts), so the page keeps no copy of the texts or of the rules that pick a row's mark and parts; it
 * only lays them out.
 */
export interface LocalBoardLines extends BoardLines {
  /** The claim button: "担当する / Claim". */
  claim: Bilingual;
  /** The select's first, empty choice: "担当する依頼を選ぶ / Claim a task…". */
  claimPlaceholder: Bilingual;
}

export function boardLines(message: OutboundView): LocalBoardLines | undefined {
  if (message.kind !== 'phone_board') return undefined;
  return { ...phoneBoardLines(message.view), claim: BT.claim, claimPlaceholder: BT.claimPlaceholder };
}
