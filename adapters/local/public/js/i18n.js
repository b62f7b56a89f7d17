/**
 * Texts the page shows, and the bilingual helpers. Japanese first, English second, like src/i18n/text.ts. P holds
 * only what is the page's own (the acting user, channel locking, the connection, its panels). Every word Slack and
 * Teams show too comes from the shared tables in src/i18n: GET /local/api/i18n sends them (adapters/local/local-text.ts)
 * and they are kept in state.i18n; lab(), Tx(), C() and tpl() read them.
 */

import { state } from './state.js';
import { count } from './format.js';

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
  mentionsYou: { ja: 'あなた宛て', en: 'mentions you' },
  // On-call panel.
  showMessage: { ja: 'メッセージへ', en: 'Show message' },
  messageNotHere: { ja: 'このチャンネルにはこのタスクのメッセージが見つかりません。', en: 'The message of this task is not in this channel.' },
  refresh: { ja: '更新', en: 'Refresh' },
  // The phone-task board: after a claim, the way to the claimer's direct messages, where the task comes.
  openDirect: { ja: 'ダイレクトメッセージを開く', en: 'Open your direct messages' },
  directNotYet: { ja: 'ダイレクトメッセージはまだ届いていません。', en: 'Nothing has arrived in your direct messages yet.' },
  widePanel: { ja: '表を広げる', en: 'Wider table' },
  // Issue form.
  issueTitle: { ja: '注意喚起を発信', en: 'Issue an advisory' },
  tlpRedNote: {
    ja: 'TLP:RED はチャンネルに投稿せず、各構成員の連絡先へのダイレクトメッセージで届けます。',
    en: "TLP:RED is never posted in a channel: it goes as direct messages to each member's contacts.",
  },
  selectedOnly: { ja: '選択済みのみ', en: 'Selected only' },
  clearSelection: { ja: '選択を解除', en: 'Clear' },
  issuedOk: { ja: '発信しました', en: 'Issued' },
  alreadyIssued: { ja: '同じ発信要求は既に受け付けています（二重発信はしていません）。', en: 'This request was already accepted (nothing was issued twice).' },
  withoutChannel: { ja: 'チャンネルがないため届かない宛先', en: 'Targets with no channel (not delivered in chat)' },
  formInvalid: { ja: '入力内容を確認してください。', en: 'Please check the form.' },
  formLoadFailed: { ja: '発信フォームを読み込めませんでした。', en: 'Could not load the form.' },
  // Status.
  statusTitle: { ja: '状況', en: 'Status' },
  statusShow: { ja: '表示', en: 'Show' },
  statusIdMissing: { ja: '注意喚起 ID を入力してください（例: ADV-2026-0001）。', en: 'Enter an advisory id (e.g. ADV-2026-0001).' },
  state: { ja: '状態', en: 'State' },
  acknowledged: { ja: '受領確認', en: 'Acknowledged' },
  failure: { ja: '失敗', en: 'Failure' },
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

/** A text of CT (src/i18n/chat-text.ts): the words every chat adapter shows. */
export const C = (key) => lab('CT', key);

/**
 * A templated text of src/i18n (TEMPLATE_TEXT in adapters/local/local-text.ts) with its {placeholders} filled in.
 * A value is a string, or a bilingual text whose Japanese goes into the Japanese line and English into the English.
 * One pass, so a value that contains braces is inserted as it is.
 */
export function tpl(key, vars) {
  const t = lab('TEMPLATE_TEXT', key);
  const fill = (s, lang) =>
    s.replace(/\{(\w+)\}/g, (whole, name) => {
      if (!Object.hasOwn(vars, name)) return whole;
      const v = vars[name];
      return isBilingual(v) ? v[lang] : String(v ?? '');
    });
  return { ja: fill(t.ja, 'ja'), en: fill(t.en, 'en') };
}

/** "未着手 / open", or "X が対応中（電話中） / claimed by X (calling now)", as Slack and Teams say it. */
export function phoneStateText(taskState, claimedBy) {
  return taskState === 'claimed' && claimedBy ? tpl('claimedBy', { who: claimedBy }) : lab('PHONE_STATE_TEXT', taskState);
}

/** "架電 1/3 件 / tried 1 of 3": contacts someone has called, never "contact 2 of 2". */
export const triedOfText = (k, n) => tpl('triedOf', { k: count(k), n: count(n) });

/** Words of a phone task's contacts and of overdue tasks (src/i18n/phone-text.ts). */
export const PW = (key) => lab('PHONE_WORDS', key);

/** "未架電 / not tried", "不在 / no answer", "番号違い / wrong number", "応答あり / reached". */
export const contactStateText = (s) => lab('CONTACT_STATE_TEXT', s);

/** The mark before a contact's state (⚪ 📵 ❌ ✅). */
export function contactStateMark(s) {
  const t = I().CONTACT_STATE_MARK;
  return t && Object.hasOwn(t, s) && typeof t[s] === 'string' ? t[s] : '・';
}

export const openTasksText = (n) => (n === 1 ? lab('TEMPLATE_TEXT', 'openTasksOne') : tpl('openTasks', { n: count(n) }));

export function failureExplanation(code) {
  const t = I().FAILURE_TEXT;
  return t && Object.hasOwn(t, code) && isBilingual(t[code]) ? t[code] : C('unknownFailure');
}
