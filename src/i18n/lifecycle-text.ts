import type { ClosureCause } from '../domain/advisory.js';
import type { Tlp } from '../domain/classification.js';
import { formatCount, formatTokyo, type Bilingual } from './text.js';

/** What every platform shows of an advisory's life after issue: corrections, follow-ups, withdrawal, closing. */
export const LT = {
  followUp: (n: number): Bilingual => ({ ja: `続報 ${n}`, en: `Follow-up ${n}` }),
  corrected: (revision: number, at: string, note: string): Bilingual => ({
    ja: `訂正（第${revision}版、${formatTokyo(at)}）：${note}`,
    en: `Corrected (revision ${revision}, ${formatTokyo(at)}): ${note}`,
  }),
  withdrawnHeading: { ja: 'この注意喚起は取り下げられました', en: 'This advisory has been withdrawn' } satisfies Bilingual,
  withdrawnBody: (at: string, reason: string): Bilingual => ({
    ja: `${formatTokyo(at)} に事務局が取り下げました。理由：${reason}\n以前の内容は破棄してください。受領確認は不要です。`,
    en: `Withdrawn by the secretariat at ${formatTokyo(at)}. Reason: ${reason}\nPlease disregard the earlier content. No acknowledgement is needed.`,
  }),
  removedHeading: { ja: 'この通知は削除されました', en: 'This message has been removed' } satisfies Bilingual,
  removedBody: (tlp: Tlp): Bilingual => ({
    ja: `共有範囲が ${tlp} に変更され、この場所には掲示できなくなりました。事務局から個別にご連絡します。`,
    en: `Its sharing level changed to ${tlp}, which this place may not hold. The secretariat will contact you directly.`,
  }),
  closedHeading: (cause: ClosureCause): Bilingual => CLOSED_HEADING[cause],
  closedBy: { ja: '終了操作', en: 'Closed by' } satisfies Bilingual,
  withdrawalReason: { ja: '取り下げ理由', en: 'Reason for withdrawal' } satisfies Bilingual,
  targeted: { ja: '配信対象', en: 'Targeted' } satisfies Bilingual,
  byButton: { ja: 'ボタンで受領確認', en: 'Acknowledged by button' } satisfies Bilingual,
  byPhone: { ja: '電話で受領確認', en: 'Acknowledged by phone' } satisfies Bilingual,
  never: { ja: '未確認のまま', en: 'Never acknowledged' } satisfies Bilingual,
  failed: { ja: '配信失敗', en: 'Delivery failed' } satisfies Bilingual,
  cancelled: { ja: '取り下げにより未配信', en: 'Not sent (withdrawn)' } satisfies Bilingual,
  lastAck: { ja: '最後の受領確認まで', en: 'Time to the last acknowledgement' } satisfies Bilingual,
  noAck: { ja: '受領確認なし', en: 'No acknowledgement' } satisfies Bilingual,
  failures: { ja: '配信失敗の構成員', en: 'Members whose delivery failed' } satisfies Bilingual,
  moreFailures: (n: number): Bilingual => ({ ja: `ほか ${formatCount(n)} 件（状況表示・エクスポートに全件）`, en: `and ${formatCount(n)} more (all in the status and the export)` }),
  auditAnchor: (id: string, seq: number, hash: string): Bilingual => ({
    ja: `監査ログ: ${id} の第 ${seq} 項まで SHA-256 ${hash}（検証: npm run cli -- verify-audit ${id} --anchor ${seq}:${hash}）`,
    en: `Audit log: ${id} up to link ${seq}, SHA-256 ${hash} (verify: npm run cli -- verify-audit ${id} --anchor ${seq}:${hash})`,
  }),
  syncFailed: { ja: '構成員の通知を更新できませんでした', en: "A member's message could not be updated" } satisfies Bilingual,
  syncFailedAction: {
    ja: '訂正・取り下げ・続報がこの構成員に届いていない可能性があります。直接連絡してください。',
    en: 'The correction, withdrawal or follow-up may not have reached this member. Please contact them directly.',
  } satisfies Bilingual,
  phoneEndedClosed: { ja: '注意喚起の終了により、この電話連絡は不要になりました。', en: 'The advisory was closed: this call is no longer needed.' } satisfies Bilingual,
  phoneEndedWithdrawn: { ja: '注意喚起の取り下げにより、この電話連絡は中止されました。', en: 'The advisory was withdrawn: this call is cancelled.' } satisfies Bilingual,
};

/** The forms and answers of the lifecycle commands, on every platform. */
export const LF = {
  withdrawTitle: { ja: '注意喚起の取り下げ', en: 'Withdraw the advisory' } satisfies Bilingual,
  withdrawSubmit: { ja: '取り下げる', en: 'Withdraw' } satisfies Bilingual,
  withdrawWarning: {
    ja: 'すべての構成員の通知が取り下げの案内に置き換わり、エスカレーションと電話連絡は止まります。元に戻せません。',
    en: "Every member's copy is replaced by the withdrawal notice and every escalation and phone call stops. This cannot be undone.",
  } satisfies Bilingual,
  reason: { ja: '取り下げの理由（各構成員に表示されます）', en: 'Reason (shown to every member)' } satisfies Bilingual,
  correctTitle: { ja: '注意喚起の訂正', en: 'Correct the advisory' } satisfies Bilingual,
  correctSubmit: { ja: '訂正する', en: 'Correct' } satisfies Bilingual,
  correctHint: {
    ja: '変更した項目だけが訂正されます。各構成員の通知はその場で書き換わり、訂正内容が表示されます。',
    en: "Only what you change is corrected. Every member's copy is edited in place and shows what changed.",
  } satisfies Bilingual,
  note: { ja: '訂正内容（各構成員に表示されます）', en: 'What changed (shown to every member)' } satisfies Bilingual,
  followUpTitle: { ja: '続報の送信', en: 'Post a follow-up' } satisfies Bilingual,
  followUpSubmit: { ja: '送信', en: 'Send' } satisfies Bilingual,
  followUpBody: { ja: '続報の本文（各構成員のスレッドに投稿されます）', en: "Follow-up (posted in each member's thread)" } satisfies Bilingual,
  closeTitle: { ja: '注意喚起の終了', en: 'Close the advisory' } satisfies Bilingual,
  closeSubmit: { ja: '終了する', en: 'Close' } satisfies Bilingual,
  closeWarning: {
    ja: '残りのエスカレーションと電話連絡を止め、事務局に集計を投稿します。受領確認はその後も記録されます。',
    en: 'Remaining escalations and phone calls stop and the secretariat gets the summary. Later acknowledgements are still recorded.',
  } satisfies Bilingual,
  cancel: { ja: 'キャンセル', en: 'Cancel' } satisfies Bilingual,
  done: (what: 'withdrawn' | 'corrected' | 'followed_up' | 'closed', id: string): Bilingual => DONE[what](id),
  unchanged: (id: string): Bilingual => ({ ja: `${id} はすでに終了または取り下げ済みです。`, en: `${id} was already closed or withdrawn.` }),
  exportReady: (id: string, url: string, until: string): Bilingual => ({
    ja: `${id} の記録（配信・受領確認・電話・返信）: ${url}\n（${until} まで有効。あなた以外に共有しないでください）`,
    en: `The record of ${id} (deliveries, acknowledgements, calls, replies): ${url}\n(valid until ${until}; do not share it)`,
  }),
  exportTitle: { ja: '記録の書き出し', en: 'Export the record' } satisfies Bilingual,
  exportNoUrl: {
    ja: 'PUBLIC_URL が設定されていないため、チャットからはダウンロードリンクを出せません。サーバーで npm run cli -- export を使ってください。',
    en: 'PUBLIC_URL is not set, so no download link can be given in chat. Use npm run cli -- export on the server.',
  } satisfies Bilingual,
  queuedLater: {
    ja: 'ジョブキュー（Redis）に接続できないため、構成員への反映は復旧後に自動で行われます。',
    en: 'The job queue (Redis) cannot be reached: members see the change as soon as it is back.',
  } satisfies Bilingual,
};

const DONE = {
  withdrawn: (id: string): Bilingual => ({ ja: `${id} を取り下げました。各構成員の通知を置き換えています。`, en: `${id} withdrawn. Every member's copy is being replaced.` }),
  corrected: (id: string): Bilingual => ({ ja: `${id} を訂正しました。各構成員の通知を書き換えています。`, en: `${id} corrected. Every member's copy is being edited.` }),
  followed_up: (id: string): Bilingual => ({ ja: `${id} の続報を各構成員のスレッドに投稿しています。`, en: `Posting the follow-up to ${id} in every member's thread.` }),
  closed: (id: string): Bilingual => ({ ja: `${id} を終了しました。集計を事務局チャンネルに投稿します。`, en: `${id} closed. The summary goes to the secretariat channel.` }),
};

const CLOSED_HEADING: Record<ClosureCause, Bilingual> = {
  all_acknowledged: { ja: '注意喚起を終了しました（全構成員が受領確認）', en: 'Advisory closed: every member acknowledged' },
  command: { ja: '注意喚起を終了しました（事務局の操作）', en: 'Advisory closed by the secretariat' },
  expired: { ja: '注意喚起を終了しました（期間満了）', en: 'Advisory closed: its time ran out' },
  withdrawn: { ja: '注意喚起を取り下げました', en: 'Advisory withdrawn' },
};

/**
 * "1時間5分" / "1 h 5 min": the time from issue to the last acknowledgement, or since issue. Under two minutes it
 * counts seconds: a status card reading "0分" 29 s after issue, or "2分" for 90 s, says something untrue.
 */
export function durationText(ms: number): Bilingual {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 120) return { ja: `${seconds}秒`, en: `${seconds} s` };
  const minutes = Math.round(seconds / 60);
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (h === 0) return { ja: `${m}分`, en: `${m} min` };
  return { ja: `${h}時間${m}分`, en: `${h} h ${m} min` };
}
