import type { Category, Severity, Source, Tlp } from '../domain/classification.js';
import type { AckVia, DeliveryState } from '../domain/delivery.js';
import type { ErrorCode } from '../errors.js';

/** Every user-facing text exists in Japanese and English; Japanese is shown first. */
export interface Bilingual {
  ja: string;
  en: string;
}

/** "日本語 / English" on one line, for labels and buttons. */
export function both(t: Bilingual): string {
  return t.ja === t.en ? t.ja : `${t.ja} / ${t.en}`;
}

/** Japanese line, then English line, for sentences. */
export function stacked(t: Bilingual): string {
  return `${t.ja}\n${t.en}`;
}

/** "1,800": counts grouped the same way in both languages. */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

export const TLP_TEXT: Record<Tlp, Bilingual> = {
  'TLP:RED': { ja: '受信者限り', en: 'For the named recipients only' },
  'TLP:AMBER+STRICT': { ja: '組織内限り', en: "Recipient's organisation only" },
  'TLP:AMBER': { ja: '限定公開', en: 'Organisation and its clients, need to know' },
  'TLP:GREEN': { ja: 'コミュニティ内', en: 'Within the community' },
  'TLP:CLEAR': { ja: '制限なし', en: 'No restriction' },
};

export const SEVERITY_TEXT: Record<Severity, Bilingual> = {
  level4: { ja: 'レベル4 危機', en: 'Level 4 Critical' },
  level3: { ja: 'レベル3 高', en: 'Level 3 High' },
  level2: { ja: 'レベル2 中', en: 'Level 2 Medium' },
  level1: { ja: 'レベル1 低', en: 'Level 1 Low' },
  level0: { ja: 'レベル0 なし', en: 'Level 0 None' },
};

export const CATEGORY_TEXT: Record<Category, Bilingual> = {
  vulnerability: { ja: '脆弱性情報', en: 'Vulnerability' },
  threat: { ja: '攻撃情報', en: 'Threat / attack' },
  incident: { ja: 'インシデント', en: 'Incident' },
  outage: { ja: '障害情報', en: 'Outage' },
  notice: { ja: '注意喚起', en: 'Notice' },
};

export const SOURCE_TEXT: Record<Source, Bilingual> = {
  nisc: { ja: 'NISC', en: 'NISC' },
  jpcert: { ja: 'JPCERT/CC', en: 'JPCERT/CC' },
  ipa: { ja: 'IPA', en: 'IPA' },
  mhlw: { ja: '厚生労働省', en: 'MHLW' },
  police: { ja: '警察', en: 'Police' },
  member: { ja: '構成員', en: 'A member' },
  other: { ja: 'その他', en: 'Other' },
};

export const STATE_TEXT: Record<DeliveryState, Bilingual> = {
  queued: { ja: '配信待ち', en: 'Queued' },
  posted: { ja: '未確認', en: 'Not acknowledged' },
  acknowledged: { ja: '受領確認済み', en: 'Acknowledged' },
  failed: { ja: '配信失敗', en: 'Delivery failed' },
  cancelled: { ja: '取り下げのため未配信', en: 'Not sent: withdrawn' },
};

export const VIA_TEXT: Record<AckVia, Bilingual> = {
  button: { ja: 'ボタン', en: 'button' },
  phone: { ja: '電話', en: 'phone' },
};

export const T = {
  drillBanner: { ja: '【訓練】これは訓練です', en: '[DRILL] This is a drill' },
  drillTag: { ja: '【訓練】', en: '[DRILL]' },
  ackButton: { ja: '受領確認', en: 'Acknowledge' },
  ackDeadline: { ja: '受領確認期限', en: 'Acknowledge by' },
  source: { ja: '情報源', en: 'Source' },
  severity: { ja: '深刻度', en: 'Severity' },
  category: { ja: '種別', en: 'Category' },
  recipient: { ja: '宛先', en: 'To' },
  acknowledgedBy: { ja: '受領確認', en: 'Acknowledged by' },
  alsoSeenBy: { ja: '他の確認者', en: 'Also seen by' },
  doNotForward: {
    ja: 'TLP:RED — あなた宛ての情報です。転送・共有しないでください。',
    en: 'TLP:RED — for you only. Do not forward or share.',
  },
  pleaseAck: {
    ja: '内容を確認したら「受領確認」を押してください。',
    en: 'Press "Acknowledge" once you have read this.',
  },
  alreadyAcknowledged: { ja: '既に受領確認済みです', en: 'Already acknowledged' },
  thanksAck: { ja: '受領確認を記録しました。', en: 'Your acknowledgement is recorded.' },
} as const satisfies Record<string, Bilingual>;

/** What the person at the edge sees for each coded error. */
export const ERROR_TEXT: Record<ErrorCode, Bilingual> = {
  'ADVISORY.NOT_FOUND': { ja: '指定の注意喚起が見つかりません。ID を確認してください。', en: 'No advisory with that id. Check the id.' },
  'ADVISORY.INVALID': { ja: '入力内容に誤りがあります。', en: 'Some fields are not valid.' },
  'ADVISORY.CLOSED': { ja: 'この注意喚起は終了しています。', en: 'This advisory is closed.' },
  'EXPORT.LINK_INVALID': { ja: 'このリンクは無効です。事務局チャンネルで /advisory export をもう一度実行してください。', en: 'This link is not valid. Run /advisory export again in the secretariat channel.' },
  'EXPORT.LINK_EXPIRED': { ja: 'このリンクは有効期限が切れています。/advisory export をもう一度実行してください。', en: 'This link has expired. Run /advisory export again.' },
  'ADVISORY.WITHDRAWN': { ja: 'この注意喚起は取り下げ済みです。訂正・続報はできません。', en: 'This advisory has been withdrawn: it can no longer be corrected or followed up.' },
  'AUTH.NOT_SECRETARIAT': {
    ja: 'この操作は事務局のみが行えます。記録されました。',
    en: 'Only the secretariat can do this. The attempt has been recorded.',
  },
  'DELIVERY.NOT_FOUND': {
    ja: 'このメッセージに対応する配信が見つかりません。少し待ってから再度お試しください。',
    en: 'No delivery matches this message. Please try again in a moment.',
  },
  'DELIVERY.ROUND_ENDED': {
    ja: 'この受領確認は、受領確認を求める続報に引き継がれました。スレッド内の最新の続報のボタンで確認してください。',
    en: 'A follow-up now asks for acknowledgement instead: please use the button on the latest follow-up in the thread.',
  },
  'DELIVERY.NOT_YOURS': {
    ja: 'このボタンはこのチャンネルの配信に対応していません。記録されました。',
    en: 'This button does not belong to a delivery in this channel. The attempt has been recorded.',
  },
  'AUTH.NOT_ONCALL': {
    ja: 'この操作は電話当番または事務局のみが行えます。記録されました。',
    en: 'Only on-call staff or the secretariat can do this. The attempt has been recorded.',
  },
  'PHONE.NOT_FOUND': { ja: 'この電話タスクが見つかりません。', en: 'This phone task cannot be found.' },
  'PHONE.NOT_YOURS': {
    ja: 'このボタンはこのメッセージの電話タスクに対応していません。記録されました。',
    en: 'This button does not belong to the phone task of this message. The attempt has been recorded.',
  },
  'PHONE.CLAIMED_BY_OTHER': { ja: '他の担当者が対応中です。', en: 'Someone else is already calling.' },
  'PHONE.CLOSED': { ja: 'この電話タスクは終了しています。', en: 'This phone task is closed.' },
  'PHONE.NOT_CLAIMED': { ja: 'この電話タスクは担当されていません。', en: 'Nobody has claimed this phone task.' },
  'PHONE.UNKNOWN_CONTACT': {
    ja: '選ばれた連絡先は、この構成員の現在の連絡先にありません。メッセージを最新の連絡先で表示し直しました。応答した方をもう一度選んでください。記録されました。',
    en: "The chosen contact is not one of this member's contacts now. The message now shows the current contacts: choose who answered again. The attempt has been recorded.",
  },
  'DIRECTORY.INVALID': { ja: '構成員名簿に誤りがあります。', en: 'The member directory is not valid.' },
  'DIRECTORY.UNKNOWN_TARGET': { ja: '宛先に名簿にない構成員・グループがあります。', en: 'A target is not in the member directory.' },
  'CONFIG.INVALID': { ja: '設定に誤りがあります。', en: 'The configuration is not valid.' },
  'CHAT.UNAVAILABLE': { ja: 'チャットサービスに接続できません。', en: 'The chat service cannot be reached.' },
  'STORE.CONFLICT': { ja: '同時に更新されました。もう一度お試しください。', en: 'Updated concurrently. Please try again.' },
  'QUEUE.UNAVAILABLE': {
    ja: 'ジョブキュー（Redis）に接続できません。記録済みの内容は失われず、復旧後に処理を再開します。',
    en: 'The job queue (Redis) cannot be reached. Nothing recorded is lost; work resumes when it is back.',
  },
  'STEP.BUSY': { ja: '別の処理が実行中です。', en: 'Another worker is running this step.' },
  'DRILL.NOT_STARTED': { ja: '予告した訓練期間はまだ始まっていません。', en: 'The announced drill window has not started yet.' },
};

const TOKYO = new Intl.DateTimeFormat('ja-JP', {
  timeZone: 'Asia/Tokyo',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** "2026/11/25 18:30 JST": every time people read is Japan time. */
export function formatTokyo(at: string | Date): string {
  return `${TOKYO.format(new Date(at))} JST`;
}
