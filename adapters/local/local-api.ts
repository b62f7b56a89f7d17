import type { LocalDrillNoticeLines } from './local-drill-lines.js';
import type { LocalImageLines } from './local-image-lines.js';
import type { LocalBoardLines } from './local-board-lines.js';
import type { LifecycleLines } from './local-lifecycle-lines.js';
import type { LocalLiveLines } from './local-live-lines.js';
/**
 * The local workspace's HTTP contract, shared by the server (local-routes.ts) and documented for
 * the page (public/js/main.js and its modules). All JSON. The acting user is named by the `x-local-user` header (the
 * page's "acting as" selector); the server checks the same rules the core applies on Slack and
 * Teams, plus channel membership as a private channel would.
 *
 * GET  /                                   the page (public/index.html); /local/static/* its files
 * GET  /local/api/session                  LocalSession; `channels` only those the acting user is in (none without the header)
 * GET  /local/api/i18n                     the shared bilingual tables of src/i18n, and templates of its
 *                                          functions' texts (local-text.ts: LOCAL_I18N)
 * GET  /local/api/channels/:id/messages    { messages: LocalMessage[] }   (403 unless a member)
 * POST /local/api/channels/:id/replies     { threadOf, text } → 201 LocalMessage
 * GET  /local/api/form                     LocalFormOptions (local-text.ts): TargetOptions and the form's
 *                                          words that depend on them (secretariat only)
 * POST /local/api/advisories               { requestKey, input: AdvisoryInput } → 201 { advisoryId, deliveries }
 *                                          | 400 LocalError with `fields` (field → bilingual message)
 * GET  /local/api/advisories/:id/status    StatusView
 * GET  /local/api/oncall                   OncallListView
 * POST /local/api/press                    { channelId, messageId, action: LocalAction, value } → 200 { notice?: Bilingual }
 *                                          (phone_board_claim: messageId is the board page pressed, value the
 *                                          chosen task's id, required; the task then comes to the claimer's
 *                                          direct conversation)
 * GET  /local/events?user=<id>             server-sent events: `message` with a LocalMessage, for the
 *                                          channels that user can see (posts and updates alike)
 * Errors: { error: { code, message: Bilingual, fields?: Record<string, Bilingual> } } with 400/403/404/409.
 */
import type { Bilingual } from '../../src/i18n/text.js';
import type { LocalisedName } from '../../src/directory/schema.js';
import type { OutboundView } from '../../src/ports/chat.js';
import type { ImageView } from '../../src/view/views.js';
import { BOARD_CLAIM_ACTION } from '../../src/view/buttons.js';

export type LocalRole = 'secretariat' | 'oncall' | 'member';

export interface LocalUser {
  id: string;
  name: string;
  role: LocalRole;
  /** For member staff: their organisation. */
  orgId?: string | undefined;
  orgName?: LocalisedName | undefined;
}

export type LocalChannelKind = 'secretariat' | 'oncall' | 'member' | 'direct';

export interface LocalChannel {
  id: string;
  kind: LocalChannelKind;
  name: LocalisedName;
  orgId?: string | undefined;
  /** Users who can read and act in it, as members of a private channel. */
  members: string[];
  sharedOutside?: boolean | undefined;
}

export interface LocalSession {
  sector: { id: string; name: LocalisedName };
  users: LocalUser[];
  channels: LocalChannel[];
  /** Demo escalation is on (short ladders): the page says so. */
  demoTimings: boolean;
}

/**
 * What the page shows: the view, with the lines of its life after issue worded on the server (local-lifecycle-lines.ts),
 * for the secretariat's live status card its lines and bar (local-live-lines.ts), and for a page of the phone-task
 * board its lines and claim control (local-board-lines.ts).
 */
export type LocalMessageBody =
  | (OutboundView & {
      lifecycle?: LifecycleLines | undefined;
      live?: LocalLiveLines | undefined;
      board?: LocalBoardLines | undefined;
      /** A drill's announcement, worded (local-drill-lines.ts). */
      drillNotice?: LocalDrillNoticeLines | undefined;
    })
  | { kind: 'reply'; text: string; author: { id: string; name: string } }
  /**
   * A picture the core posted (ChatPort.postImage: the reach chart after the closing summary): the view, the words
   * shown around it (local-image-lines.ts), and the picture as base64 PNG.
   */
  | { kind: 'image'; view: ImageView; lines: LocalImageLines; filename: string; png: string };

export interface LocalMessage {
  id: string;
  channelId: string;
  /** Replies point at the message they answer. */
  threadOf?: string | undefined;
  /** The key the core posted it with (to find it again after a lost response); absent for replies. */
  key?: string | undefined;
  body: LocalMessageBody;
  createdAt: string;
  updatedAt: string;
}

/** The buttons' actions; `phone_board_claim` is BOARD_CLAIM_ACTION (src/view/buttons.ts), the board's claim control. */
export const LOCAL_ACTIONS = ['advisory_ack', 'phone_claim', 'phone_reached', 'phone_no_answer', 'phone_wrong_number', 'phone_release', BOARD_CLAIM_ACTION] as const;
export type LocalAction = (typeof LOCAL_ACTIONS)[number];

export interface LocalError {
  error: { code: string; message: Bilingual; fields?: Record<string, Bilingual> | undefined };
}

export const LOCAL_PLATFORM_WORKSPACE = 'local';
