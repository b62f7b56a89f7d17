/**
 * Texts the page shows, and the bilingual helpers. Japanese first, English second, like src/i18n/text.ts. The
 * label tables the core owns (TLP_TEXT, SEVERITY_TEXT, …, T, ERROR_TEXT) come from GET /local/api/i18n and are
 * kept in state.i18n; lab() and Tx() read them.
 */

import { state } from './state.js';

export const P = {
  workspace: { ja: 'ローカルワークスペース', en: 'Local workspace' },
  demo: { ja: 'デモ用の短いエスカレーション', en: 'short demo escalation timings' },
  actingAs: { ja: '操作ユーザー', en: 'Acting as' },
  roleSecretariat: { ja: '事務局', en: 'Secretariat' },
  roleOncall: { ja: '電話当番', en: 'On-call' },
  roleMembers: { ja: '構成員', en: 'Members' },
  chSecretariat: { ja: '事務局', en: 'Secretariat' },
  chOncall: { ja: '電話当番', en: 'On-call' },
  chMembers: { ja: '構成員チャンネル', en: 'Member channels' },
  chDirect: { ja: 'ダイレクトメッセージ', en: 'Direct messages' },
  kindSecretariat: { ja: '事務局チャンネル', en: 'Secretariat channel' },
  kindOncall: { ja: '電話当番チャンネル', en: 'On-call channel' },
  kindMember: { ja: '構成員チャンネル', en: 'Member channel' },
  kindDirect: { ja: 'ダイレクトメッセージ', en: 'Direct message' },
  sharedOutside: { ja: '組織外と共有', en: 'Shared outside the organisation' },
  locked: { ja: 'このチャンネルのメンバーではありません', en: 'You are not a member of this channel' },
  lockedHint: {
    ja: '操作ユーザーを切り替えると、そのユーザーが参加しているチャンネルを見られます。',
    en: 'Switch the acting user to see the channels that user belongs to.',
  },
  unread: { ja: '未読', en: 'unread' },
  loading: { ja: '読み込み中…', en: 'Loading…' },
  noMessages: { ja: 'メッセージはまだありません。', en: 'No messages yet.' },
  noChannel: { ja: 'チャンネルがありません。', en: 'No channels.' },
  live: { ja: '接続中', en: 'Live' },
  connecting: { ja: '接続しています…', en: 'Connecting…' },
  reconnecting: { ja: '再接続中…', en: 'Reconnecting…' },
  bootFailed: { ja: 'サーバーから初期データを読み込めませんでした。', en: 'Could not load the workspace from the server.' },
  retry: { ja: '再試行', en: 'Retry' },
  network: { ja: 'サーバーに接続できません。', en: 'Cannot reach the server.' },
  serverError: { ja: 'サーバーでエラーが発生しました', en: 'The server answered with an error' },
  bot: { ja: 'ceptoar-bot', en: 'ceptoar-bot' },
  updated: { ja: '更新', en: 'updated' },
  newMessage: { ja: '新しいメッセージ', en: 'New message' },
  unknownKind: { ja: 'このページが表示できない種類のメッセージです', en: 'This page cannot show this kind of message' },
  // Buttons and inline results.
  sending: { ja: '送信中…', en: 'Sending…' },
  done: { ja: '記録しました。', en: 'Recorded.' },
  viewStatus: { ja: '状況を見る', en: 'View status' },
  reply: { ja: '返信', en: 'Reply' },
  replyPlaceholder: { ja: 'スレッドに返信', en: 'Reply in thread' },
  send: { ja: '送信', en: 'Send' },
  replyEmpty: { ja: '返信を入力してください。', en: 'Type a reply first.' },
  // Advisory and notices.
  issued: { ja: '発信日時', en: 'Issued' },
  issuedBy: { ja: '発信者', en: 'Issued by' },
  advisoryId: { ja: '注意喚起 ID', en: 'Advisory id' },
  title: { ja: '件名', en: 'Title' },
  body: { ja: '本文', en: 'Body' },
  member: { ja: '構成員', en: 'Member' },
  reason: { ja: '理由', en: 'Reason' },
  deliveries: { ja: '配信数', en: 'Deliveries' },
  deliveryFailed: { ja: '配信失敗', en: 'Delivery failed' },
  advisoryIssued: { ja: '注意喚起を発信しました', en: 'Advisory issued' },
  unknownFailure: { ja: '想定外のエラーです。ログを確認してください。', en: 'Unexpected error. Check the logs.' },
  escalationAlert: { ja: 'エスカレーション後も受領確認がありません', en: 'Still not acknowledged after escalation' },
  deliveryState: { ja: '配信状態', en: 'Delivery state' },
  attempts: { ja: '電話の試行回数', en: 'Call attempts' },
  heldBy: { ja: '電話連絡の担当', en: 'Phone task held by' },
  nobody: { ja: 'なし', en: 'nobody' },
  wrongNumbers: { ja: '番号違い', en: 'Wrong numbers' },
  fixDirectory: { ja: '名簿の電話番号を修正してください。', en: 'Fix these numbers in the directory.' },
  mentionsYou: { ja: 'あなた宛て', en: 'mentions you' },
  // Reminder.
  reminderHeading: { ja: '受領確認のお願い', en: 'Please acknowledge' },
  reminderPressAbove: {
    ja: '上の注意喚起メッセージの「受領確認」ボタンを押してください。',
    en: 'Press the "Acknowledge" button on the advisory message above.',
  },
  // Phone task.
  phoneTask: { ja: '電話連絡', en: 'Phone task' },
  phoneScript: { ja: '通話例', en: 'Call script' },
  phoneContacts: { ja: '連絡先（上から順に）', en: 'Contacts (in this order)' },
  phoneNoContacts: { ja: '名簿に電話の連絡先がありません。事務局に連絡してください。', en: 'The directory lists no phone contact. Tell the secretariat.' },
  phoneRedNote: { ja: 'TLP:RED のため、件名以外は電話で伝えないでください。', en: 'TLP:RED: say nothing on the phone but the title.' },
  phoneExcerpt: { ja: '要旨', en: 'Summary' },
  phoneExhausted: {
    ja: 'すべての連絡先に電話しましたが、つながっていません。事務局に報告してください。',
    en: 'Every contact has been tried without reaching anyone. Report to the secretariat.',
  },
  phoneCancelled: { ja: '取消：チャンネルで受領確認されたため、電話は不要です。', en: 'Cancelled: acknowledged in the channel; no call needed.' },
  phoneOpen: { ja: '電話をかける前に「対応する」を押してください。', en: 'Press "Claim" before you call.' },
  phoneClaim: { ja: '対応する', en: 'Claim' },
  phoneReached: { ja: '連絡がついた', en: 'Reached' },
  phoneNoAnswer: { ja: '応答なし', en: 'No answer' },
  phoneWrongNumber: { ja: '番号違い', en: 'Wrong number' },
  phoneRelease: { ja: '対応をやめる', en: 'Release' },
  phoneCurrent: { ja: '今かける相手', en: 'call now' },
  phoneStep: { ja: '電話連絡', en: 'phone task' },
  allTried: { ja: '全連絡先に架電済み', en: 'all contacts tried' },
  // On-call panel.
  oncallTitle: { ja: '未対応の電話タスク', en: 'Open phone tasks' },
  oncallEmpty: { ja: '未完了の電話連絡はありません。', en: 'No open phone tasks.' },
  showMessage: { ja: 'メッセージへ', en: 'Show message' },
  messageNotHere: { ja: 'このチャンネルにはこのタスクのメッセージが見つかりません。', en: 'The message of this task is not in this channel.' },
  refresh: { ja: '更新', en: 'Refresh' },
  widePanel: { ja: '表を広げる', en: 'Wider table' },
  // Issue form.
  issueTitle: { ja: '注意喚起を発信', en: 'Issue an advisory' },
  tlp: { ja: 'TLP（共有範囲）', en: 'TLP (who may see it)' },
  tlpRedNote: {
    ja: 'TLP:RED はチャンネルに投稿せず、各構成員の連絡先へのダイレクトメッセージで届けます。',
    en: "TLP:RED is never posted in a channel: it goes as direct messages to each member's contacts.",
  },
  choose: { ja: '選択してください', en: 'Choose' },
  targets: { ja: '宛先', en: 'Targets' },
  targetsHint: {
    ja: '全構成員・オブザーバー・グループ・個別の構成員のうち、少なくとも一つを指定してください。',
    en: 'Choose at least one: all members, observers, groups or individual organisations.',
  },
  allMembers: { ja: '全構成員', en: 'All members' },
  observers: { ja: 'オブザーバー', en: 'Observers' },
  groups: { ja: 'グループ', en: 'Groups' },
  organisations: { ja: '構成員（個別指定）', en: 'Individual organisations' },
  search: { ja: '名称または ID で絞り込み', en: 'Filter by name or id' },
  selectedOnly: { ja: '選択済みのみ', en: 'Selected only' },
  clearSelection: { ja: '選択を解除', en: 'Clear' },
  severityDefault: { ja: '深刻度の既定', en: 'Severity default' },
  drill: { ja: '訓練', en: 'Drill' },
  drillOption: { ja: '訓練として発信する', en: 'Issue as a drill' },
  escalation: { ja: 'エスカレーション', en: 'Escalation' },
  escalationHint: {
    ja: 'チェックすると、未確認の構成員へのリマインド・電話連絡・事務局への通知を行いません。',
    en: 'When ticked, members who do not acknowledge get no reminder, no phone call, and the secretariat is not alerted.',
  },
  submit: { ja: '発信', en: 'Issue' },
  issuedOk: { ja: '発信しました', en: 'Issued' },
  alreadyIssued: { ja: '同じ発信要求は既に受け付けています（二重発信はしていません）。', en: 'This request was already accepted (nothing was issued twice).' },
  withoutChannel: { ja: 'チャンネルがないため届かない宛先', en: 'Targets with no channel (not delivered in chat)' },
  formInvalid: { ja: '入力内容を確認してください。', en: 'Please check the form.' },
  formLoadFailed: { ja: '発信フォームを読み込めませんでした。', en: 'Could not load the form.' },
  // Status.
  statusTitle: { ja: '状況', en: 'Status' },
  statusShow: { ja: '表示', en: 'Show' },
  statusIdMissing: { ja: '注意喚起 ID を入力してください（例: ADV-2026-0001）。', en: 'Enter an advisory id (e.g. ADV-2026-0001).' },
  total: { ja: '合計', en: 'Total' },
  state: { ja: '状態', en: 'State' },
  acknowledged: { ja: '受領確認', en: 'Acknowledged' },
  failure: { ja: '失敗', en: 'Failure' },
  ladder: { ja: 'エスカレーション', en: 'Escalation' },
  noRows: { ja: '配信はありません。', en: 'No deliveries.' },
  reminderSent: { ja: 'リマインド送信済み', en: 'reminder sent' },
  phoneStepReached: { ja: '電話連絡の段階', en: 'phone step reached' },
  secretariatAlerted: { ja: '事務局に通知済み', en: 'secretariat alerted' },
  deadline: { ja: '受領確認期限', en: 'Acknowledge by' },
};

export const PHONE_STATE_TEXT = {
  open: { ja: '未着手', en: 'open' },
  claimed: { ja: '対応中', en: 'claimed' },
  done: { ja: '完了', en: 'done' },
  cancelled: { ja: '取消', en: 'cancelled' },
};

export const CALL_OUTCOME_TEXT = {
  no_answer: { ja: '応答なし', en: 'no answer' },
  wrong_number: { ja: '番号違い', en: 'wrong number' },
};

/** Why a delivery failed, for the reasons the secretariat can act on (platform-neutral wording). */
const FAILURE_TEXT = {
  channel_not_found: {
    ja: 'チャンネルが見つかりません（削除されたか、ボットから見えません）。名簿のチャンネル ID を確認してください。',
    en: 'Channel not found (deleted, or not visible to the bot). Check the channel id in the directory.',
  },
  not_in_channel: {
    ja: 'ボットがチャンネルに参加していません。チャンネルにボットを追加してください。',
    en: 'The bot is not in the channel. Add the bot to the channel.',
  },
  is_archived: {
    ja: 'チャンネルがアーカイブされています。構成員に現在のチャンネルを確認してください。',
    en: 'The channel is archived. Ask the member for their current channel.',
  },
  user_not_found: {
    ja: '連絡先のユーザーがワークスペースに見つかりません（TLP:RED のダイレクトメッセージを送れません）。名簿の連絡先を確認してください。',
    en: "A contact's user is not in the workspace (no TLP:RED direct message possible). Check the contacts in the directory.",
  },
  TLP_SHARED_CHANNEL: {
    ja: 'TLP:AMBER+STRICT と TLP:RED の情報は、組織外と共有されたチャンネルには投稿できません。',
    en: 'TLP:AMBER+STRICT and TLP:RED cannot be posted to a channel shared outside the organisation.',
  },
  RED_NO_RECIPIENTS: {
    ja: 'TLP:RED ですが、チャットのユーザー ID が登録された連絡先がありません。名簿に連絡先のユーザー ID を登録してください。',
    en: "TLP:RED, but no contact has a chat user id. Add the contacts' user ids to the directory.",
  },
};

/** "日本語 / English" on one line, for labels and buttons (like both() in src/i18n/text.ts). */
export function both(t) {
  if (!t) return '';
  if (typeof t === 'string') return t;
  return t.ja === t.en ? t.ja : `${t.ja} / ${t.en}`;
}

export function isBilingual(v) {
  return v !== null && typeof v === 'object' && typeof v.ja === 'string' && typeof v.en === 'string';
}

export function I() {
  return state.i18n ?? {};
}

/** A label from one of the core's tables, or the key itself. */
export function lab(table, key) {
  const t = I()[table];
  const v = t && Object.hasOwn(t, key) ? t[key] : undefined;
  return isBilingual(v) ? v : { ja: String(key), en: String(key) };
}

export const Tx = (key) => lab('T', key);

export function failureExplanation(code) {
  return Object.hasOwn(FAILURE_TEXT, code) ? FAILURE_TEXT[code] : P.unknownFailure;
}
