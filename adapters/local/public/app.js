/* global document, window, localStorage, fetch, EventSource, crypto, location, URLSearchParams, setTimeout, clearTimeout, console */
/**
 * The local workspace page: plays the secretariat channel, the on-call channel, every member channel and the
 * direct messages in one browser tab, against the contract in ../local-api.ts. Plain DOM, no framework, no build.
 *
 * Safety rule: every string that came from the server (titles, bodies, names, replies, reasons) reaches the page
 * through textContent / Text nodes only. No innerHTML anywhere; the only URL built from data is a tel: link, and
 * only from a number that matches E.164.
 */

// ---------------------------------------------------------------------------------------------------------------
// Texts only this page shows. Japanese first, English second, like src/i18n/text.ts. The label tables the core
// owns (TLP_TEXT, SEVERITY_TEXT, …, T, ERROR_TEXT) come from GET /local/api/i18n.

const P = {
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

const PHONE_STATE_TEXT = {
  open: { ja: '未着手', en: 'open' },
  claimed: { ja: '対応中', en: 'claimed' },
  done: { ja: '完了', en: 'done' },
  cancelled: { ja: '取消', en: 'cancelled' },
};

const CALL_OUTCOME_TEXT = {
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

const TLP_LEVELS = ['TLP:RED', 'TLP:AMBER+STRICT', 'TLP:AMBER', 'TLP:GREEN', 'TLP:CLEAR'];
const SEVERITIES = ['level4', 'level3', 'level2', 'level1', 'level0'];
const CATEGORIES = ['vulnerability', 'threat', 'incident', 'outage', 'notice'];
const SOURCES = ['nisc', 'jpcert', 'ipa', 'mhlw', 'police', 'member', 'other'];
const DELIVERY_STATES = ['acknowledged', 'posted', 'queued', 'failed'];
const DEADLINE_CHOICES_MINUTES = [15, 30, 60, 120, 240, 480, 1440, 4320];
const DEFAULT_TLP = 'TLP:AMBER';
const DEFAULT_SEVERITY = 'level2';
const DEFAULT_CATEGORY = 'notice';
const DEFAULT_SOURCE = 'nisc';
const TITLE_MAX = 150;
const BODY_MAX = 12000;
const REPLY_MAX = 4000;
const ALSO_SEEN_MAX = 20;
/** Top-level messages drawn when a channel opens; older ones behind a button, to keep the DOM light. */
const RENDER_LIMIT = 200;

const STATE_MARK = { queued: '🕒', posted: '⏳', acknowledged: '✅', failed: '⚠️' };

const USER_KEY = 'ceptoar.local.user';
const CHANNEL_KEY = (userId) => `ceptoar.local.channel.${userId}`;
const ONLY_MINE_KEY = 'ceptoar.local.onlyMine';

// ---------------------------------------------------------------------------------------------------------------
// Small helpers.

/** "日本語 / English" on one line, for labels and buttons (like both() in src/i18n/text.ts). */
function both(t) {
  if (!t) return '';
  if (typeof t === 'string') return t;
  return t.ja === t.en ? t.ja : `${t.ja} / ${t.en}`;
}

function isBilingual(v) {
  return v !== null && typeof v === 'object' && typeof v.ja === 'string' && typeof v.en === 'string';
}

const count = (n) => Number(n).toLocaleString('en-US');

/** Properties set as DOM properties rather than attributes. */
const PROPS = new Set(['value', 'checked', 'disabled', 'hidden', 'selected', 'open', 'required', 'readOnly', 'maxLength']);

/**
 * document.createElement with attributes and children. Children that are strings become Text nodes, so nothing
 * passed here is ever parsed as HTML.
 */
function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v === undefined || v === null) continue;
      if (k === 'class') node.className = v;
      else if (k === 'testid') node.setAttribute('data-testid', v);
      else if (k === 'text') node.textContent = v;
      else if (k === 'on') for (const [type, fn] of Object.entries(v)) node.addEventListener(type, fn);
      else if (PROPS.has(k)) node[k] = v;
      else if (v === false) continue;
      else node.setAttribute(k, v === true ? '' : String(v));
    }
  }
  appendAll(node, children);
  return node;
}

/** Replace a node's children; null, undefined and false are skipped (replaceChildren would print "null"). */
function fill(node, ...children) {
  node.replaceChildren();
  appendAll(node, children);
  return node;
}

function appendAll(node, children) {
  for (const c of children) {
    if (c === undefined || c === null || c === false) continue;
    if (Array.isArray(c)) appendAll(node, c);
    else if (typeof c === 'string' || typeof c === 'number') node.append(document.createTextNode(String(c)));
    else node.append(c);
  }
}

/** A bilingual sentence: Japanese line, then English line (like stacked()). */
function sentence(t, cls) {
  if (!isBilingual(t)) return el('span', { class: cls ?? null }, String(t ?? ''));
  if (t.ja === t.en) return el('span', { class: `bi ${cls ?? ''}`.trim() }, el('span', { class: 'ja', lang: 'ja' }, t.ja));
  return el(
    'span',
    { class: `bi ${cls ?? ''}`.trim() },
    el('span', { class: 'ja', lang: 'ja' }, t.ja),
    el('span', { class: 'en', lang: 'en' }, t.en),
  );
}

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
function formatTokyo(at) {
  const d = new Date(at);
  if (at === undefined || at === null || Number.isNaN(d.getTime())) return String(at ?? '');
  return `${TOKYO.format(d)} JST`;
}

function timeEl(at, cls) {
  const d = new Date(at);
  return el('time', { class: cls ?? null, datetime: Number.isNaN(d.getTime()) ? null : d.toISOString() }, formatTokyo(at));
}

function ms(iso) {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? 0 : t;
}

const normalise = (s) => String(s ?? '').normalize('NFKC').toLowerCase();

/** A v4 UUID; crypto.randomUUID exists only in secure contexts, so fall back to getRandomValues. */
function newUuid() {
  if (typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = new Uint8Array(16);
  crypto.getRandomValues(b);
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const storage = {
  get(key) {
    try {
      return localStorage.getItem(key);
    } catch {
      return null;
    }
  },
  set(key, value) {
    try {
      localStorage.setItem(key, value);
    } catch {
      // Private mode or storage full: the choice is simply not remembered.
      return;
    }
  },
};

const $ = (id) => document.getElementById(id);

function debounce(fn, wait) {
  let timer = null;
  return (...args) => {
    if (timer !== null) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      fn(...args);
    }, wait);
  };
}

function announce(text) {
  const a = $('announcer');
  a.textContent = '';
  // A fresh text node after a tick is what screen readers pick up reliably.
  setTimeout(() => {
    a.textContent = text;
  }, 30);
}

// ---------------------------------------------------------------------------------------------------------------
// State.

const state = {
  session: null,
  i18n: null,
  users: new Map(),
  channels: new Map(),
  user: null,
  /** Bumped on every user switch: answers to an older user's requests are dropped. */
  gen: 0,
  channelId: null,
  /** Bumped on every channel switch. */
  chanGen: 0,
  loading: false,
  /** The open channel's messages by id, and their elements. */
  messages: new Map(),
  msgEls: new Map(),
  /** The oldest top-level message drawn, when older ones are left undrawn; null when all are drawn. */
  renderedFrom: null,
  unread: new Map(),
  /** Ids already counted as unread, so a replayed event is not counted twice. */
  counted: new Set(),
  /** Channels named by an event but not by the session: the session is reloaded once for each. */
  unknownChannels: new Set(),
  sidebarItems: new Map(),
  es: null,
  esRetry: null,
  /** Side panels (issue form + status; on-call list), kept while the user stays, so typed input survives. */
  panels: new Map(),
  form: null,
  /** The one status view on screen: { advisoryId, container }. */
  status: null,
  /** requestKey of a submission that got no answer, reused if the same input is sent again. */
  pendingIssue: null,
};

function I() {
  return state.i18n ?? {};
}

/** A label from one of the core's tables, or the key itself. */
function lab(table, key) {
  const t = I()[table];
  const v = t && Object.hasOwn(t, key) ? t[key] : undefined;
  return isBilingual(v) ? v : { ja: String(key), en: String(key) };
}

const Tx = (key) => lab('T', key);

function currentChannel() {
  return state.channelId ? state.channels.get(state.channelId) : undefined;
}

function isMember(ch) {
  return !!(ch && state.user && Array.isArray(ch.members) && ch.members.includes(state.user.id));
}

// ---------------------------------------------------------------------------------------------------------------
// The server.

class ApiError extends Error {
  constructor(status, code, message, fields) {
    super(`${status} ${code}`);
    this.status = status;
    this.code = code;
    this.bilingual = message;
    this.fields = fields;
  }
}

async function api(path, { method = 'GET', body, anonymous = false } = {}) {
  const headers = { accept: 'application/json' };
  if (!anonymous && state.user) headers['x-local-user'] = state.user.id;
  if (body !== undefined) headers['content-type'] = 'application/json';
  let res;
  try {
    res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store' });
  } catch {
    throw new ApiError(0, 'NETWORK', P.network, undefined);
  }
  const text = await res.text();
  let data = null;
  if (text !== '') {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (!res.ok) {
    const e = data && typeof data === 'object' ? data.error : undefined;
    const code = e && typeof e.code === 'string' ? e.code : `HTTP_${res.status}`;
    let message = e && isBilingual(e.message) ? e.message : undefined;
    if (!message) {
      const known = I().ERROR_TEXT;
      message =
        known && Object.hasOwn(known, code) && isBilingual(known[code])
          ? known[code]
          : { ja: `${P.serverError.ja}（${res.status}）`, en: `${P.serverError.en} (${res.status})` };
    }
    const fields = e && e.fields && typeof e.fields === 'object' ? e.fields : undefined;
    throw new ApiError(res.status, code, message, fields);
  }
  return data;
}

function errorText(err) {
  if (err instanceof ApiError) return err.bilingual;
  return { ja: `${P.serverError.ja}: ${String(err && err.message)}`, en: `${P.serverError.en}: ${String(err && err.message)}` };
}

function errorBox(err, testid) {
  return el('div', { class: 'error-box', role: 'alert', testid: testid ?? null }, '⚠️ ', sentence(errorText(err)));
}

// ---------------------------------------------------------------------------------------------------------------
// Boot.

async function boot() {
  let session;
  let i18n;
  try {
    [session, i18n] = await Promise.all([
      api('/local/api/session', { anonymous: true }),
      api('/local/api/i18n', { anonymous: true }),
    ]);
  } catch (err) {
    const box = $('boot-error');
    box.replaceChildren(
      '⚠️ ',
      sentence(P.bootFailed),
      ' ',
      sentence(errorText(err)),
      ' ',
      el('button', { type: 'button', class: 'btn', on: { click: () => location.reload() } }, both(P.retry)),
    );
    box.hidden = false;
    setConn('closed');
    return;
  }
  state.i18n = i18n ?? {};
  applySession(session);

  const sector = session.sector && session.sector.name ? both(session.sector.name) : 'ceptoar-bot';
  $('sector-name').textContent = sector;
  document.title = `${sector} — ${both(P.workspace)}`;
  $('demo-note').hidden = !session.demoTimings;

  buildUserSelect();
  const onlyMine = $('only-mine');
  onlyMine.checked = storage.get(ONLY_MINE_KEY) === '1';
  onlyMine.addEventListener('change', () => {
    storage.set(ONLY_MINE_KEY, onlyMine.checked ? '1' : '0');
    applySidebarFilter();
  });
  $('channel-filter').addEventListener('input', debounce(applySidebarFilter, 80));

  const params = new URLSearchParams(location.search);
  const wanted = params.get('user') ?? storage.get(USER_KEY);
  const user = (wanted && state.users.get(wanted)) || defaultUser();
  if (!user) {
    $('channel-title').textContent = both(P.noChannel);
    return;
  }
  setUser(user.id, params.get('channel'));
}

function applySession(session) {
  state.session = session;
  state.users = new Map((session.users ?? []).map((u) => [u.id, u]));
  state.channels = new Map((session.channels ?? []).map((c) => [c.id, c]));
}

function defaultUser() {
  const users = [...state.users.values()];
  return users.find((u) => u.role === 'secretariat') ?? users[0];
}

// ---------------------------------------------------------------------------------------------------------------
// The acting user.

function buildUserSelect() {
  const select = $('user-select');
  const users = [...state.users.values()];
  const groups = [];
  const secretariat = users.filter((u) => u.role === 'secretariat');
  const oncall = users.filter((u) => u.role === 'oncall');
  if (secretariat.length > 0) groups.push([both(P.roleSecretariat), secretariat]);
  if (oncall.length > 0) groups.push([both(P.roleOncall), oncall]);
  const byOrg = new Map();
  for (const u of users.filter((x) => x.role !== 'secretariat' && x.role !== 'oncall')) {
    const key = u.orgId ?? '';
    if (!byOrg.has(key)) byOrg.set(key, { name: u.orgName, users: [] });
    byOrg.get(key).users.push(u);
  }
  for (const [orgId, g] of byOrg) {
    const org = g.name ? both(g.name) : orgId;
    groups.push([org ? `${both(P.roleMembers)} — ${org}` : both(P.roleMembers), g.users]);
  }
  const frag = document.createDocumentFragment();
  for (const [label, list] of groups) {
    frag.append(el('optgroup', { label }, list.map((u) => el('option', { value: u.id }, u.name))));
  }
  select.replaceChildren(frag);
  select.disabled = users.length === 0;
  select.addEventListener('change', () => {
    if (select.value && state.users.has(select.value)) setUser(select.value, null);
  });
}

function setUser(userId, preferredChannel) {
  const user = state.users.get(userId);
  if (!user) return;
  state.user = user;
  state.gen += 1;
  storage.set(USER_KEY, user.id);
  $('user-select').value = user.id;
  state.unread.clear();
  state.counted.clear();
  state.panels.clear();
  state.form = null;
  state.status = null;
  state.pendingIssue = null;
  renderSidebar();
  connectEvents();
  const remembered = storage.get(CHANNEL_KEY(user.id));
  const pick =
    [preferredChannel, remembered].map((id) => (id ? state.channels.get(id) : undefined)).find((c) => c && isMember(c)) ??
    defaultChannel();
  if (pick) openChannel(pick.id);
  else {
    $('channel-title').textContent = both(P.noChannel);
    $('messages').replaceChildren();
  }
}

function defaultChannel() {
  const channels = [...state.channels.values()];
  const mine = channels.filter(isMember);
  const role = state.user.role;
  const prefer = role === 'secretariat' ? 'secretariat' : role === 'oncall' ? 'oncall' : 'member';
  return mine.find((c) => c.kind === prefer) ?? mine[0] ?? channels[0];
}

// ---------------------------------------------------------------------------------------------------------------
// Sidebar.

const CHANNEL_GROUPS = [
  ['secretariat', P.chSecretariat],
  ['oncall', P.chOncall],
  ['member', P.chMembers],
  ['direct', P.chDirect],
];

function renderSidebar() {
  const root = $('channel-groups');
  state.sidebarItems.clear();
  const frag = document.createDocumentFragment();
  const all = [...state.channels.values()];
  for (const [kind, label] of CHANNEL_GROUPS) {
    const list = all.filter((c) => c.kind === kind);
    if (list.length === 0) continue;
    const headingId = `chgroup-${kind}`;
    const ul = el('ul', { class: 'channel-list', 'aria-labelledby': headingId });
    for (const ch of list) ul.append(channelItem(ch));
    frag.append(el('section', { class: 'channel-group' }, el('h2', { id: headingId }, both(label)), ul));
  }
  // Channels of a kind this page does not know still get listed, last.
  const known = new Set(CHANNEL_GROUPS.map(([k]) => k));
  const other = all.filter((c) => !known.has(c.kind));
  if (other.length > 0) {
    const ul = el('ul', { class: 'channel-list' });
    for (const ch of other) ul.append(channelItem(ch));
    frag.append(el('section', { class: 'channel-group' }, ul));
  }
  root.replaceChildren(frag);
  applySidebarFilter();
}

function channelItem(ch) {
  const locked = !isMember(ch);
  const name = ch.name ? both(ch.name) : ch.id;
  const icon = locked ? '🔒' : ch.kind === 'direct' ? '@' : '#';
  const button = el(
    'button',
    {
      type: 'button',
      class: `channel${locked ? ' locked' : ''}`,
      testid: `channel-${ch.id}`,
      'data-channel-id': ch.id,
      'data-locked': locked ? 'true' : 'false',
      title: locked ? `${name} — ${both(P.locked)}` : name,
      'aria-current': ch.id === state.channelId ? 'page' : null,
      on: { click: () => openChannel(ch.id) },
    },
    el('span', { class: 'ch-icon', 'aria-hidden': 'true' }, icon),
    el('span', { class: 'ch-name' }, name),
    locked ? el('span', { class: 'sr-only' }, ` (${both(P.locked)})`) : null,
  );
  const li = el('li', null, button);
  const item = { li, button, badge: null, key: normalise(`${ch.id} ${ch.name?.ja ?? ''} ${ch.name?.en ?? ''}`), locked };
  state.sidebarItems.set(ch.id, item);
  updateBadge(ch.id);
  return li;
}

function updateBadge(channelId) {
  const item = state.sidebarItems.get(channelId);
  if (!item) return;
  const n = state.unread.get(channelId) ?? 0;
  if (n <= 0) {
    if (item.badge) {
      item.badge.remove();
      item.badge = null;
    }
    item.button.classList.remove('has-unread');
    return;
  }
  if (!item.badge) {
    item.badge = el('span', { class: 'badge', testid: `unread-${channelId}` });
    item.button.append(item.badge);
  }
  item.badge.replaceChildren(el('span', { 'aria-hidden': 'true' }, count(n)), el('span', { class: 'sr-only' }, ` ${both(P.unread)} ${count(n)}`));
  item.button.classList.add('has-unread');
}

function applySidebarFilter() {
  const q = normalise($('channel-filter').value.trim());
  const onlyMine = $('only-mine').checked;
  for (const [id, item] of state.sidebarItems) {
    const hide = (onlyMine && item.locked && id !== state.channelId) || (q !== '' && !item.key.includes(q));
    item.li.hidden = hide;
  }
  for (const section of $('channel-groups').querySelectorAll('.channel-group')) {
    section.hidden = section.querySelector('li:not([hidden])') === null;
  }
}

function markCurrentInSidebar() {
  for (const [id, item] of state.sidebarItems) {
    if (id === state.channelId) item.button.setAttribute('aria-current', 'page');
    else item.button.removeAttribute('aria-current');
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Opening a channel.

function channelKindText(kind) {
  return { secretariat: P.kindSecretariat, oncall: P.kindOncall, member: P.kindMember, direct: P.kindDirect }[kind] ?? { ja: kind, en: kind };
}

async function openChannel(id) {
  const ch = state.channels.get(id);
  if (!ch) return;
  state.channelId = id;
  state.chanGen += 1;
  const token = state.chanGen;
  const gen = state.gen;
  const member = isMember(ch);
  if (member) storage.set(CHANNEL_KEY(state.user.id), id);
  state.unread.set(id, 0);
  updateBadge(id);
  markCurrentInSidebar();

  const name = ch.name ? both(ch.name) : ch.id;
  $('channel-title').replaceChildren(el('span', { 'aria-hidden': 'true', class: 'ch-icon' }, member ? (ch.kind === 'direct' ? '@' : '#') : '🔒'), ' ', name);
  const desc = [both(channelKindText(ch.kind))];
  if (Array.isArray(ch.members)) desc.push(`${count(ch.members.length)} 人 / ${count(ch.members.length)} ${ch.members.length === 1 ? 'member' : 'members'}`);
  fill(
    $('channel-desc'),
    desc.join(' · '),
    ch.sharedOutside ? el('span', { class: 'tag shared', testid: 'shared-outside' }, both(P.sharedOutside)) : null,
  );
  document.title = `${name} — ${state.session?.sector?.name ? both(state.session.sector.name) : 'ceptoar-bot'}`;

  state.messages = new Map();
  state.msgEls = new Map();
  state.renderedFrom = null;
  const list = $('messages');
  list.setAttribute('data-channel-id', id);
  renderSidePanel(ch);

  if (!member) {
    state.loading = false;
    list.replaceChildren(
      el(
        'div',
        { class: 'locked-notice', testid: 'locked-notice', role: 'note' },
        el('p', { class: 'lock-big', 'aria-hidden': 'true' }, '🔒'),
        el('p', null, sentence(P.locked)),
        el('p', { class: 'muted' }, sentence(P.lockedHint)),
      ),
    );
    return;
  }

  state.loading = true;
  list.replaceChildren(el('p', { class: 'muted loading' }, both(P.loading)));
  let data;
  try {
    data = await api(`/local/api/channels/${encodeURIComponent(id)}/messages`);
  } catch (err) {
    if (token !== state.chanGen || gen !== state.gen) return;
    state.loading = false;
    list.replaceChildren(errorBox(err, 'channel-error'));
    return;
  }
  if (token !== state.chanGen || gen !== state.gen) return;
  state.loading = false;
  // Events that arrived while loading are already in the map; keep whichever copy is newer.
  for (const m of Array.isArray(data?.messages) ? data.messages : []) mergeMessage(m);
  renderAllMessages();
}

/** Reload the open channel without losing what is typed: upsert what the server has now. */
async function refreshOpenChannel() {
  const ch = currentChannel();
  if (!ch || !isMember(ch) || state.loading) return;
  const token = state.chanGen;
  const gen = state.gen;
  try {
    const data = await api(`/local/api/channels/${encodeURIComponent(ch.id)}/messages`);
    if (token !== state.chanGen || gen !== state.gen) return;
    for (const m of Array.isArray(data?.messages) ? data.messages : []) upsertMessage(m, false);
  } catch (err) {
    console.warn('refresh failed', err);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Messages in the open channel.

function validMessage(m) {
  return m && typeof m === 'object' && typeof m.id === 'string' && typeof m.channelId === 'string' && m.body && typeof m.body === 'object';
}

function compareMessages(a, b) {
  return ms(a.createdAt) - ms(b.createdAt) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Store a message unless the stored copy is newer. Returns true when stored. */
function mergeMessage(m) {
  if (!validMessage(m)) return false;
  const prev = state.messages.get(m.id);
  if (prev && ms(prev.updatedAt) > ms(m.updatedAt)) return false;
  state.messages.set(m.id, m);
  return true;
}

/** The top-level message a reply belongs to (replies to replies join the same thread). */
function rootOf(m) {
  let cur = m;
  const seen = new Set();
  while (cur.threadOf && state.messages.has(cur.threadOf) && !seen.has(cur.id)) {
    seen.add(cur.id);
    cur = state.messages.get(cur.threadOf);
  }
  return cur;
}

function isThreaded(m) {
  return !!m.threadOf && state.messages.has(m.threadOf) && rootOf(m).id !== m.id;
}

function nearBottom(list) {
  return list.scrollHeight - list.scrollTop - list.clientHeight < 120;
}

function scrollToBottom(list) {
  list.scrollTop = list.scrollHeight;
}

function renderAllMessages(showAll = false) {
  const list = $('messages');
  state.msgEls = new Map();
  const all = [...state.messages.values()].sort(compareMessages);
  const tops = all.filter((m) => !isThreaded(m));
  // A secretariat channel can hold thousands of notices: draw the newest ones, the rest on request.
  const hidden = showAll ? 0 : Math.max(0, tops.length - RENDER_LIMIT);
  const shown = tops.slice(hidden);
  state.renderedFrom = hidden > 0 ? shown[0] : null;
  const frag = document.createDocumentFragment();
  if (hidden > 0) {
    frag.append(
      el(
        'div',
        { class: 'older' },
        el(
          'button',
          { type: 'button', class: 'btn small', testid: 'show-older', on: { click: () => renderAllMessages(true) } },
          `⬆ 古いメッセージを表示（${count(hidden)} 件） / Show ${count(hidden)} older ${hidden === 1 ? 'message' : 'messages'}`,
        ),
      ),
    );
  }
  for (const m of shown) frag.append(buildTopLevel(m));
  // Replies attach to elements still in the fragment; replies of undrawn messages stay undrawn.
  for (const m of all) if (isThreaded(m)) attachReply(m, false);
  if (all.length === 0) frag.append(emptyState());
  list.replaceChildren(frag);
  if (!showAll) scrollToBottom(list);
}

function emptyState() {
  return el('p', { class: 'muted empty', testid: 'no-messages' }, sentence(P.noMessages));
}

/** Insert or replace a message in the open channel. */
function upsertMessage(m, fromEvent) {
  if (!mergeMessage(m)) return;
  if (state.loading) return;
  const list = $('messages');
  const stick = nearBottom(list);
  const existing = state.msgEls.get(m.id);
  const stored = state.messages.get(m.id);
  if (existing) {
    replaceMessage(existing, stored);
    return;
  }
  list.querySelector(':scope > .empty')?.remove();
  // Older than what is drawn (the channel is shown from its newest messages): keep it for "show older".
  if (!isThreaded(stored) && state.renderedFrom && compareMessages(stored, state.renderedFrom) < 0) return;
  if (isThreaded(stored)) {
    attachReply(stored, true);
  } else {
    const node = buildTopLevel(stored);
    const tops = [...list.querySelectorAll(':scope > article.msg')];
    const after = tops.findLast((a) => {
      const other = state.messages.get(a.getAttribute('data-message-id'));
      return other && compareMessages(other, stored) <= 0;
    });
    if (after) after.after(node);
    else if (list.querySelector(':scope > .older')) list.querySelector(':scope > .older').after(node);
    else list.prepend(node);
    // A reply that arrived before its parent can now move into the thread.
    for (const r of state.messages.values()) {
      if (r.threadOf === stored.id && state.msgEls.has(r.id) && !state.msgEls.get(r.id).closest('.thread')) {
        state.msgEls.get(r.id).remove();
        state.msgEls.delete(r.id);
        attachReply(r, false);
      }
    }
  }
  if (fromEvent) announce(`${both(P.newMessage)}: ${summary(stored)}`);
  if (stick) scrollToBottom(list);
}

function summary(m) {
  const b = m.body;
  if (b.kind === 'reply') return `${b.author?.name ?? ''}: ${String(b.text ?? '').slice(0, 80)}`;
  const v = b.view ?? {};
  return [v.tlp, v.title].filter(Boolean).join(' ');
}

function kindOf(m) {
  return typeof m.body?.kind === 'string' ? m.body.kind : 'unknown';
}

function buildTopLevel(m) {
  const kind = kindOf(m);
  const headingId = `msg-h-${state.msgEls.size}-${Math.random().toString(36).slice(2, 8)}`;
  const art = el(
    'article',
    {
      class: `msg msg-${kind}`,
      testid: `message-${m.id}`,
      'data-kind': kind,
      'data-message-id': m.id,
      'aria-labelledby': headingId,
    },
    metaLine(m, headingId),
    buildBody(m),
    el('div', { class: 'msg-extra' }),
    threadBlock(m),
  );
  state.msgEls.set(m.id, art);
  return art;
}

function metaLine(m, headingId) {
  const b = m.body;
  const who = b.kind === 'reply' ? b.author?.name ?? '?' : both(P.bot);
  const edited = m.updatedAt && m.createdAt && m.updatedAt !== m.createdAt;
  return el(
    'div',
    { class: 'msg-meta' },
    el('span', { class: 'author', id: headingId }, who, el('span', { class: 'sr-only' }, ` — ${summary(m)}`)),
    ' ',
    timeEl(m.createdAt, 'posted'),
    edited ? el('span', { class: 'edited', title: formatTokyo(m.updatedAt) }, ` (${both(P.updated)} ${formatTokyo(m.updatedAt)})`) : null,
  );
}

function replaceMessage(node, m) {
  const kind = kindOf(m);
  node.setAttribute('data-kind', kind);
  if (node.tagName === 'LI') {
    node.replaceChildren(...replyContent(m));
    return;
  }
  node.className = `msg msg-${kind}`;
  const headingId = node.getAttribute('aria-labelledby');
  node.querySelector(':scope > .msg-meta')?.replaceWith(metaLine(m, headingId));
  node.querySelector(':scope > .msg-body')?.replaceWith(buildBody(m));
  const extra = node.querySelector(':scope > .msg-extra');
  // The result of the press that led to this update stays; a stale "sending…" does not.
  const pending = extra?.querySelector('[data-testid="notice-text"][data-state="pending"]');
  if (pending) pending.remove();
}

// Threads ------------------------------------------------------------------------------------------------------

function threadBlock(m) {
  const input = el('input', {
    type: 'text',
    class: 'reply-input',
    name: 'text',
    testid: 'reply-input',
    maxLength: REPLY_MAX,
    placeholder: both(P.replyPlaceholder),
    autocomplete: 'off',
  });
  const button = el('button', { type: 'submit', class: 'btn small', testid: 'reply-submit' }, both(P.send));
  const out = el('p', { class: 'reply-status', role: 'status', testid: 'reply-status' });
  const form = el(
    'form',
    { class: 'reply-form', testid: 'reply-form', on: { submit: (ev) => sendReply(ev, m.id, m.channelId, input, button, out) } },
    el('label', { class: 'reply-label' }, el('span', { class: 'sr-only' }, both(P.reply)), input),
    button,
  );
  return el('div', { class: 'thread', testid: 'thread' }, el('ol', { class: 'replies' }), form, out);
}

function replyContent(m) {
  const b = m.body;
  return [
    el(
      'div',
      { class: 'msg-meta' },
      el('span', { class: 'author' }, b.author?.name ?? '?'),
      ' ',
      timeEl(m.createdAt, 'posted'),
    ),
    el('div', { class: 'reply-text' }, String(b.text ?? '')),
  ];
}

function attachReply(m, announceIt) {
  const root = rootOf(m);
  const parent = state.msgEls.get(root.id);
  const ol = parent?.querySelector(':scope > .thread > .replies');
  if (!ol) return;
  const li = el('li', { class: 'msg msg-reply', testid: `message-${m.id}`, 'data-kind': 'reply', 'data-message-id': m.id }, ...replyContent(m));
  const after = [...ol.children].findLast((x) => {
    const other = state.messages.get(x.getAttribute('data-message-id'));
    return other && compareMessages(other, m) <= 0;
  });
  if (after) after.after(li);
  else ol.prepend(li);
  state.msgEls.set(m.id, li);
  if (announceIt) li.classList.add('fresh');
}

async function sendReply(ev, threadOf, channelId, input, button, out) {
  ev.preventDefault();
  const text = input.value.trim();
  if (text === '') {
    out.replaceChildren(sentence(P.replyEmpty));
    out.className = 'reply-status error';
    input.focus();
    return;
  }
  const gen = state.gen;
  button.disabled = true;
  out.className = 'reply-status';
  out.textContent = both(P.sending);
  try {
    const m = await api(`/local/api/channels/${encodeURIComponent(channelId)}/replies`, { method: 'POST', body: { threadOf, text } });
    if (gen !== state.gen) return;
    input.value = '';
    out.textContent = '';
    if (validMessage(m) && m.channelId === state.channelId) upsertMessage(m, false);
  } catch (err) {
    if (gen !== state.gen) return;
    out.className = 'reply-status error';
    const detail = err instanceof ApiError && err.fields && isBilingual(err.fields.text) ? err.fields.text : errorText(err);
    out.replaceChildren('⚠️ ', sentence(detail));
  } finally {
    button.disabled = false;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Rendering each kind of message (the same content as adapters/slack/slack-blocks.ts).

function tlpClass(tlp) {
  return TLP_LEVELS.includes(tlp) ? `tlp-${tlp.slice(4).toLowerCase().replace('+', '-')}` : 'tlp-unknown';
}

/** The TLP label, in FIRST's colour on black: always the first thing in a message. */
function tlpLabel(tlp) {
  return el('span', { class: `tlp-label ${tlpClass(tlp)}`, testid: 'tlp-label' }, String(tlp ?? 'TLP:?'));
}

function envelope(tlp, drill) {
  const parts = [
    el(
      'div',
      { class: 'envelope' },
      tlpLabel(tlp),
      el('span', { class: 'tlp-text' }, both(lab('TLP_TEXT', tlp))),
    ),
  ];
  if (drill) parts.push(el('div', { class: 'drill-banner', testid: 'drill-banner' }, `🚧 ${both(Tx('drillBanner'))} 🚧`));
  return parts;
}

function fields(rows) {
  return el(
    'dl',
    { class: 'fields' },
    rows.filter(Boolean).map(([label, value, testid]) => el('div', { class: 'field', testid: testid ?? null }, el('dt', null, both(label)), el('dd', null, value))),
  );
}

function actionButton(testid, label, primary, onClick) {
  return el('button', { type: 'button', class: `btn act${primary ? ' primary' : ''}`, testid, on: { click: onClick } }, both(label));
}

function buildBody(m) {
  const b = m.body;
  const body = el('div', { class: 'msg-body' });
  try {
    switch (b.kind) {
      case 'advisory':
        appendAll(body, advisoryBody(b.view, m));
        break;
      case 'notice':
        appendAll(body, noticeBody(b.view));
        break;
      case 'reminder':
        appendAll(body, reminderBody(b.view));
        break;
      case 'phone_task':
        appendAll(body, phoneTaskBody(b.view, m));
        break;
      case 'reply':
        body.append(el('div', { class: 'reply-text' }, String(b.text ?? '')));
        break;
      default:
        body.append(el('p', { class: 'muted' }, `${both(P.unknownKind)}: ${String(b.kind)}`));
    }
  } catch (err) {
    console.error('render failed', m, err);
    body.replaceChildren(el('p', { class: 'muted' }, `${both(P.unknownKind)}: ${String(b.kind)}`));
  }
  return body;
}

function advisoryBody(v, m) {
  const out = [...envelope(v.tlp, v.drill)];
  const card = el('div', { class: `card ${tlpClass(v.tlp)}` });
  card.append(
    el('h3', { class: 'msg-title', testid: 'advisory-title' }, String(v.title ?? '')),
    fields([
      [Tx('severity'), both(lab('SEVERITY_TEXT', v.severity)), 'severity'],
      [Tx('category'), both(lab('CATEGORY_TEXT', v.category)), 'category'],
      [Tx('source'), both(lab('SOURCE_TEXT', v.source)), 'source'],
      [Tx('recipient'), both(v.memberName), 'recipient'],
      [Tx('ackDeadline'), timeEl(v.ackDeadline), 'deadline'],
    ]),
    el('div', { class: 'advisory-body', testid: 'advisory-body' }, String(v.body ?? '')),
  );
  if (v.audience === 'direct') {
    card.append(el('p', { class: 'dnf', testid: 'do-not-forward' }, el('span', { 'aria-hidden': 'true' }, '🔒 '), sentence(Tx('doNotForward'))));
  }
  if (v.acknowledged) {
    const a = v.acknowledged;
    card.append(
      el(
        'p',
        { class: 'acked', testid: 'acknowledged' },
        '✅ ',
        el('strong', null, both(Tx('acknowledgedBy'))),
        ': ',
        el('span', { class: 'who' }, String(a.by ?? '')),
        ` (${formatTokyo(a.at)}, via ${both(lab('VIA_TEXT', a.via))})`,
      ),
    );
    const seen = Array.isArray(v.alsoSeenBy) ? v.alsoSeenBy : [];
    if (seen.length > 0) {
      const shown = seen.slice(0, ALSO_SEEN_MAX).map((s) => `${s.by} (${formatTokyo(s.at)})`);
      if (seen.length > ALSO_SEEN_MAX) shown.push(both({ ja: `ほか ${count(seen.length - ALSO_SEEN_MAX)} 名`, en: `${count(seen.length - ALSO_SEEN_MAX)} more` }));
      card.append(el('p', { class: 'also-seen', testid: 'also-seen' }, '👀 ', el('strong', null, both(Tx('alsoSeenBy'))), ': ', shown.join(', ')));
    }
  } else {
    card.append(
      el('p', { class: 'hint' }, sentence(Tx('pleaseAck'))),
      el('div', { class: 'actions' }, actionButton('ack-button', Tx('ackButton'), true, () => press(m.id, m.channelId, 'advisory_ack', v.deliveryId))),
    );
  }
  card.append(el('p', { class: 'msg-foot' }, `${v.advisoryId} · ${both(P.issued)}: ${formatTokyo(v.issuedAt)}`));
  out.push(card);
  return out;
}

function failureExplanation(code) {
  return Object.hasOwn(FAILURE_TEXT, code) ? FAILURE_TEXT[code] : P.unknownFailure;
}

function viewStatusButton(advisoryId) {
  return el(
    'div',
    { class: 'actions' },
    el(
      'button',
      {
        type: 'button',
        class: 'btn',
        testid: 'view-status',
        on: { click: (ev) => viewStatusFrom(advisoryId, ev.currentTarget.closest('article')) },
      },
      `📊 ${both(P.viewStatus)}`,
    ),
  );
}

function noticeBody(n) {
  const out = [...envelope(n.tlp, n.drill)];
  const card = el('div', { class: `card notice notice-${n.kind}`, 'data-notice-kind': n.kind });
  if (n.kind === 'delivery_failed') {
    card.append(
      el('p', { class: 'notice-head warn' }, '⚠️ ', el('strong', null, both(P.deliveryFailed))),
      fields([
        [P.advisoryId, String(n.advisoryId ?? '')],
        [P.title, String(n.title ?? '')],
        [P.member, both(n.memberName)],
      ]),
      el(
        'p',
        { class: 'reason', testid: 'failure-reason' },
        el('strong', null, both(P.reason)),
        ': ',
        el('code', null, String(n.reason ?? '')),
        el('br'),
        sentence(failureExplanation(n.reason)),
      ),
    );
  } else if (n.kind === 'escalation_alert') {
    card.append(
      el('p', { class: 'notice-head alert' }, '🚨 ', el('strong', null, both(P.escalationAlert))),
      fields([
        [P.member, both(n.memberName)],
        [P.advisoryId, String(n.advisoryId ?? '')],
        [P.title, String(n.title ?? '')],
        [P.deliveryState, both(lab('STATE_TEXT', n.deliveryState))],
        [P.attempts, count(n.attempts ?? 0)],
        [P.heldBy, n.claimedBy !== undefined && n.claimedBy !== null ? String(n.claimedBy) : both(P.nobody)],
      ]),
    );
    const wrong = Array.isArray(n.wrongNumbers) ? n.wrongNumbers : [];
    if (wrong.length > 0) {
      card.append(
        el('p', { class: 'wrong-numbers', testid: 'wrong-numbers' }, '📵 ', el('strong', null, both(P.wrongNumbers)), ': ', wrong.join(', '), el('br'), sentence(P.fixDirectory)),
      );
    }
  } else if (n.kind === 'advisory_issued') {
    card.append(
      el('p', { class: 'notice-head ok' }, '✅ ', el('strong', null, both(P.advisoryIssued))),
      fields([
        [P.advisoryId, String(n.advisoryId ?? ''), 'notice-advisory-id'],
        [P.title, String(n.title ?? '')],
        [P.deliveries, count(n.deliveries ?? 0)],
        [Tx('ackDeadline'), timeEl(n.ackDeadline)],
        [P.issuedBy, String(n.issuedBy ?? '')],
      ]),
    );
  } else {
    card.append(el('p', { class: 'muted' }, `${both(P.unknownKind)}: ${String(n.kind)}`));
  }
  if (n.advisoryId) card.append(viewStatusButton(n.advisoryId));
  out.push(card);
  return out;
}

function reminderBody(v) {
  const out = [...envelope(v.tlp, v.drill)];
  const mentions = [...new Set(Array.isArray(v.mention) ? v.mention : [])];
  const mine = state.user && mentions.includes(state.user.id);
  const deadline = formatTokyo(v.ackDeadline);
  const text = {
    ja: `注意喚起 ${v.advisoryId}「${v.title}」の受領確認がまだありません。期限は ${deadline} です。`,
    en: `Advisory ${v.advisoryId} "${v.title}" has not been acknowledged yet. It is due by ${deadline}.`,
  };
  const card = el('div', { class: `card reminder${mine ? ' mine' : ''}` });
  card.append(el('p', { class: 'notice-head' }, '⏰ ', el('strong', null, both(P.reminderHeading))));
  if (mentions.length > 0) {
    card.append(
      el(
        'p',
        { class: 'mentions', testid: 'mentions' },
        mentions.map((id) => el('span', { class: `mention${state.user && id === state.user.id ? ' me' : ''}` }, `@${state.users.get(id)?.name ?? id}`)),
        mine ? el('span', { class: 'tag' }, both(P.mentionsYou)) : null,
      ),
    );
  }
  card.append(
    el('p', null, sentence(text)),
    el('p', null, sentence(P.reminderPressAbove)),
    el('p', { class: 'msg-foot' }, `${both(Tx('recipient'))}: ${both(v.memberName)} · ${both(Tx('ackDeadline'))}: ${deadline}`),
  );
  out.push(card);
  return out;
}

const E164 = /^\+[1-9]\d{6,14}$/;

function telLink(c) {
  const display = String(c.phoneDisplay || c.phoneE164 || '');
  if (typeof c.phoneE164 === 'string' && E164.test(c.phoneE164)) {
    return el('a', { class: 'tel', href: `tel:${c.phoneE164}`, testid: 'tel-link' }, display);
  }
  return el('code', null, display);
}

function phoneStateLine(v) {
  switch (v.state) {
    case 'open':
      return el('p', { class: 'phone-state open', testid: 'phone-state' }, '🟡 ', el('strong', null, both(PHONE_STATE_TEXT.open)), ' — ', both(P.phoneOpen));
    case 'claimed':
      return el(
        'p',
        { class: 'phone-state claimed', testid: 'phone-state' },
        '📞 ',
        el('strong', null, v.claimedBy ? both({ ja: `${v.claimedBy} が対応中（電話中）`, en: `claimed by ${v.claimedBy} (calling now)` }) : both(PHONE_STATE_TEXT.claimed)),
      );
    case 'done': {
      const r = v.resolution;
      const who = r?.by ?? v.claimedBy ?? '?';
      const at = r ? formatTokyo(r.at) : '?';
      return el(
        'p',
        { class: 'phone-state done', testid: 'phone-state' },
        '✅ ',
        sentence({ ja: `完了：${who} が ${at} に連絡し、受領確認を記録しました。`, en: `Done: reached by ${who} at ${at}; acknowledgement recorded.` }),
      );
    }
    case 'cancelled':
      return el(
        'p',
        { class: 'phone-state cancelled', testid: 'phone-state' },
        '☑️ ',
        sentence(P.phoneCancelled),
        v.resolution ? ` (${formatTokyo(v.resolution.at)})` : null,
      );
    default:
      return el('p', { class: 'phone-state', testid: 'phone-state' }, String(v.state));
  }
}

const PHONE_BUTTONS = {
  open: [
    ['phone_claim', P.phoneClaim, true],
    ['phone_reached', P.phoneReached, false],
    ['phone_no_answer', P.phoneNoAnswer, false],
    ['phone_wrong_number', P.phoneWrongNumber, false],
  ],
  claimed: [
    ['phone_reached', P.phoneReached, true],
    ['phone_no_answer', P.phoneNoAnswer, false],
    ['phone_wrong_number', P.phoneWrongNumber, false],
    ['phone_release', P.phoneRelease, false],
  ],
};

function phoneTaskBody(v, m) {
  const out = [...envelope(v.tlp, v.drill)];
  out.push(el('h3', { class: 'msg-title phone-head' }, `📞 ${both(P.phoneTask)}: ${both(v.memberName)}`), phoneStateLine(v));
  if (v.exhausted && (v.state === 'open' || v.state === 'claimed')) {
    out.push(el('p', { class: 'exhausted', testid: 'phone-exhausted' }, '⚠️ ', sentence(P.phoneExhausted)));
  }
  const card = el('div', { class: `card ${tlpClass(v.tlp)}` });
  card.append(
    fields([
      [P.advisoryId, String(v.advisoryId ?? '')],
      [P.title, String(v.title ?? '')],
      [Tx('severity'), both(lab('SEVERITY_TEXT', v.severity))],
      [Tx('ackDeadline'), timeEl(v.ackDeadline)],
    ]),
  );
  const sec = v.secretariatName ?? { ja: '事務局', en: 'the secretariat' };
  const script =
    v.script === 'red'
      ? {
          ja: `「${sec.ja}です。「${v.title}」の件で、事務局までお電話をお願いします。」`,
          en: `"This is ${sec.en}. About "${v.title}": please call the secretariat (事務局) back."`,
        }
      : {
          ja: `「${sec.ja}です。注意喚起 ${v.advisoryId}「${v.title}」を貴組織のチャンネルに投稿しました。内容をご確認のうえ、「受領確認」ボタンを押してください。」`,
          en: `"This is ${sec.en}. We have posted advisory ${v.advisoryId} "${v.title}" to your channel. Please read it and press the 受領確認 (Acknowledge) button."`,
        };
  card.append(el('div', { class: 'script', testid: 'phone-script' }, el('p', { class: 'label' }, `🗒️ ${both(P.phoneScript)}`), el('p', null, sentence(script))));
  if (v.script === 'red') {
    card.append(el('p', { class: 'dnf' }, '🔒 ', sentence(P.phoneRedNote)));
  } else if (typeof v.excerpt === 'string' && v.excerpt.trim() !== '') {
    card.append(el('div', { class: 'excerpt' }, el('p', { class: 'label' }, both(P.phoneExcerpt)), el('p', { class: 'advisory-body' }, v.excerpt)));
  }
  card.append(el('p', { class: 'label' }, `☎️ ${both(P.phoneContacts)}`));
  const contacts = Array.isArray(v.contacts) ? v.contacts : [];
  if (contacts.length === 0) {
    card.append(el('p', { class: 'warn' }, '⚠️ ', sentence(P.phoneNoContacts)));
  } else {
    card.append(
      el(
        'ol',
        { class: 'contacts', testid: 'phone-contacts' },
        contacts.map((c) =>
          el(
            'li',
            { class: c.current ? 'current' : null, 'aria-current': c.current ? 'step' : null, testid: c.current ? 'phone-current' : null },
            el('span', { class: 'marker', 'aria-hidden': 'true' }, c.current ? '▶' : '・'),
            el('span', { class: 'cname' }, String(c.name ?? '')),
            c.role ? el('span', { class: 'crole' }, ` (${c.role})`) : null,
            ' ',
            telLink(c),
            c.current ? el('strong', { class: 'now' }, ` ← ${both(P.phoneCurrent)}`) : null,
            Array.isArray(c.tried) && c.tried.length > 0
              ? el('span', { class: 'tried' }, ` — ${c.tried.map((o) => `❌ ${both(CALL_OUTCOME_TEXT[o] ?? { ja: o, en: o })}`).join(', ')}`)
              : null,
          ),
        ),
      ),
    );
  }
  const buttons = PHONE_BUTTONS[v.state];
  if (buttons) {
    card.append(
      el(
        'div',
        { class: 'actions' },
        buttons.map(([action, label, primary]) =>
          actionButton(action.replace('phone_', 'phone-'), label, primary, () => press(m.id, m.channelId, action, v.taskId)),
        ),
      ),
    );
  }
  card.append(el('p', { class: 'msg-foot' }, `${v.taskId} · ${both(Tx('recipient'))}: ${both(v.memberName)}`));
  out.push(card);
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Pressing a button.

function eventsLive() {
  return !!state.es && state.es.readyState === EventSource.OPEN;
}

async function press(messageId, channelId, action, value) {
  const art = state.msgEls.get(messageId);
  if (!art) return;
  const gen = state.gen;
  const extra = art.querySelector(':scope > .msg-extra');
  extra.querySelector('[data-testid="notice-text"]')?.remove();
  const out = el('p', { class: 'press-result', role: 'status', testid: 'notice-text', 'data-state': 'pending' });
  extra.prepend(out);
  const buttons = [...art.querySelectorAll(':scope > .msg-body button.act')];
  for (const b of buttons) b.disabled = true;
  out.textContent = both(P.sending);
  try {
    const res = await api('/local/api/press', { method: 'POST', body: { channelId, messageId, action, value } });
    if (gen !== state.gen) return;
    out.setAttribute('data-state', 'ok');
    out.replaceChildren(isBilingual(res?.notice) ? sentence(res.notice) : sentence(P.done));
    if (!eventsLive()) refreshOpenChannel();
  } catch (err) {
    if (gen !== state.gen) return;
    out.setAttribute('data-state', 'error');
    out.replaceChildren('⚠️ ', sentence(errorText(err)));
  } finally {
    for (const b of buttons) b.disabled = false;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Live updates.

function setConn(s) {
  const node = $('conn-state');
  node.setAttribute('data-state', s);
  node.textContent = s === 'live' ? `● ${both(P.live)}` : s === 'reconnecting' ? `○ ${both(P.reconnecting)}` : s === 'closed' ? `○ ${both(P.network)}` : `○ ${both(P.connecting)}`;
}

function connectEvents() {
  if (state.esRetry !== null) {
    clearTimeout(state.esRetry);
    state.esRetry = null;
  }
  if (state.es) {
    state.es.close();
    state.es = null;
  }
  if (!state.user) return;
  const gen = state.gen;
  const es = new EventSource(`/local/events?user=${encodeURIComponent(state.user.id)}`);
  state.es = es;
  let hadError = false;
  setConn('connecting');
  es.addEventListener('open', () => {
    if (gen !== state.gen) return;
    setConn('live');
    if (hadError) {
      // Events may have been missed while away: catch up.
      hadError = false;
      resync();
    }
  });
  es.addEventListener('message', (ev) => {
    if (gen !== state.gen) return;
    let m;
    try {
      m = JSON.parse(ev.data);
    } catch {
      console.warn('event is not JSON', ev.data);
      return;
    }
    onEvent(m);
  });
  // A channel appeared or its members changed (e.g. a direct message opened for TLP:RED).
  es.addEventListener('channel', (ev) => {
    if (gen !== state.gen) return;
    let c;
    try {
      c = JSON.parse(ev.data);
    } catch {
      console.warn('channel event is not JSON', ev.data);
      return;
    }
    onChannel(c);
  });
  es.addEventListener('error', () => {
    if (gen !== state.gen) return;
    hadError = true;
    if (es.readyState === EventSource.CLOSED) {
      // The browser gave up (e.g. the server answered with an error): try again ourselves.
      setConn('closed');
      state.esRetry = setTimeout(() => {
        state.esRetry = null;
        if (gen === state.gen) connectEvents();
        if (gen === state.gen) resync();
      }, 3000);
    } else {
      setConn('reconnecting');
    }
  });
}

/**
 * After the event stream was down, anything may have changed on the server (even a restart with fresh data):
 * reload the open channel whole, keeping the replies people were typing, and the panels.
 */
async function resync() {
  const drafts = new Map();
  for (const input of $('messages').querySelectorAll('[data-testid="reply-input"]')) {
    const id = input.closest('article')?.getAttribute('data-message-id');
    if (id && input.value !== '') drafts.set(id, input.value);
  }
  if (state.channelId) await openChannel(state.channelId);
  for (const [id, value] of drafts) {
    const input = state.msgEls.get(id)?.querySelector(':scope > .thread [data-testid="reply-input"]');
    if (input) input.value = value;
  }
  scheduleOncallRefresh();
  scheduleStatusRefresh();
}

function advisoryIdOf(m) {
  const v = m.body?.view;
  return v && typeof v.advisoryId === 'string' ? v.advisoryId : undefined;
}

const refreshSession = debounce(async () => {
  const gen = state.gen;
  try {
    const session = await api('/local/api/session');
    if (gen !== state.gen) return;
    applySession(session);
    if (state.user && state.users.has(state.user.id)) state.user = state.users.get(state.user.id);
    renderSidebar();
    markCurrentInSidebar();
  } catch (err) {
    console.warn('session refresh failed', err);
  }
}, 300);

function onChannel(c) {
  if (!c || typeof c !== 'object' || typeof c.id !== 'string') return;
  const before = state.channels.get(c.id);
  const wasMember = isMember(before);
  state.channels.set(c.id, c);
  renderSidebar();
  markCurrentInSidebar();
  // Membership of the open channel changed: show it as the user now may (or may not) see it.
  if (c.id === state.channelId && wasMember !== isMember(c)) openChannel(c.id);
}

function onEvent(m) {
  if (!validMessage(m)) return;
  // A channel this page has not heard of (e.g. a direct message opened for TLP:RED): reload the channel list.
  if (!state.channels.has(m.channelId) && !state.unknownChannels.has(m.channelId)) {
    state.unknownChannels.add(m.channelId);
    refreshSession();
  }
  if (m.channelId === state.channelId && isMember(currentChannel())) {
    const isNewHere = !state.messages.has(m.id);
    upsertMessage(m, isNewHere);
  } else if (m.createdAt === m.updatedAt && !state.counted.has(m.id)) {
    state.counted.add(m.id);
    state.unread.set(m.channelId, (state.unread.get(m.channelId) ?? 0) + 1);
    updateBadge(m.channelId);
  }
  // Any change can close or move a phone task (an acknowledgement by button cancels it): refresh while on screen.
  if (state.panels.get('oncall')?.isConnected) scheduleOncallRefresh();
  const adv = advisoryIdOf(m);
  if (adv && state.status && state.status.advisoryId === adv) scheduleStatusRefresh();
}

// ---------------------------------------------------------------------------------------------------------------
// Side panels: the issue form and status box (secretariat channel), the open phone tasks (on-call channel).

function renderSidePanel(ch) {
  const aside = $('side-panel');
  const kind = ch && isMember(ch) && (ch.kind === 'secretariat' || ch.kind === 'oncall') ? ch.kind : null;
  document.body.classList.toggle('with-panel', kind !== null);
  if (!kind) {
    aside.hidden = true;
    aside.replaceChildren();
    return;
  }
  let panel = state.panels.get(kind);
  if (!panel) {
    panel = kind === 'secretariat' ? secretariatPanel() : oncallPanel();
    state.panels.set(kind, panel);
  }
  aside.setAttribute('aria-label', both(kind === 'secretariat' ? P.issueTitle : P.oncallTitle));
  aside.replaceChildren(panel);
  aside.hidden = false;
  if (kind === 'oncall') refreshOncall();
  if (kind === 'secretariat' && state.status) scheduleStatusRefresh();
}

// Issue form ---------------------------------------------------------------------------------------------------

/** Every field that can carry an error, and where its message goes. */
const FORM_FIELDS = ['title', 'body', 'tlp', 'severity', 'category', 'source', 'targets', 'groups', 'members', 'ackDeadlineMinutes', 'drill', 'escalate'];

function secretariatPanel() {
  const wrap = el('div', { class: 'panel-stack' });
  const formSection = el(
    'section',
    { class: 'panel issue', 'aria-labelledby': 'issue-heading' },
    el('h3', { id: 'issue-heading' }, `📣 ${both(P.issueTitle)}`),
    el('p', { class: 'muted loading' }, both(P.loading)),
  );
  wrap.append(formSection, statusSection());
  const gen = state.gen;
  api('/local/api/form')
    .then((opts) => {
      if (gen !== state.gen) return;
      state.form = buildIssueForm(opts ?? {});
      formSection.querySelector('.loading')?.replaceWith(state.form.form);
    })
    .catch((err) => {
      if (gen !== state.gen) return;
      formSection.querySelector('.loading')?.replaceWith(el('div', null, el('p', null, sentence(P.formLoadFailed)), errorBox(err, 'form-error')));
    });
  return wrap;
}

function field(labelText, control, id, fieldName, hint) {
  return el(
    'div',
    { class: `form-row row-${fieldName}` },
    el('label', { for: id }, both(labelText)),
    control,
    hint ?? null,
    el('div', { class: 'error-slot', 'data-field': fieldName }),
  );
}

function selectEl(id, testid, options, { placeholder, value } = {}) {
  const s = el('select', { id, name: id, testid, required: true });
  if (placeholder) s.append(el('option', { value: '' }, both(placeholder)));
  for (const [v, text] of options) s.append(el('option', { value: v }, text));
  s.value = value ?? (placeholder ? '' : options[0]?.[0] ?? '');
  return s;
}

function durationText(minutes) {
  if (minutes % 60 === 0) {
    const h = minutes / 60;
    return { ja: `${h}時間`, en: h === 1 ? '1 hour' : `${h} hours` };
  }
  return { ja: `${minutes}分`, en: minutes === 1 ? '1 minute' : `${minutes} minutes` };
}

function levelsText(levels) {
  const n = levels.map((l) => String(l).replace(/^level/, ''));
  const en = n.length <= 1 ? n.join('') : `${n.slice(0, -1).join(', ')} and ${n[n.length - 1]}`;
  return { ja: `レベル${n.join('・')}`, en: `level ${en}` };
}

/** A checkbox list with a filter box, for groups and organisations (up to ~1,800 of them). */
function pickList({ legend, items, testidPrefix, field: fieldName, filter }) {
  const list = el('div', { class: 'pick-list', role: 'group', 'aria-label': both(legend) });
  const keys = new Map();
  for (const it of items) {
    const observer = it.kind === 'observer';
    const input = el('input', { type: 'checkbox', value: it.id, testid: `${testidPrefix}${it.id}` });
    const label = el(
      'label',
      { class: 'pick' },
      input,
      ' ',
      el('span', null, both(it.name ?? { ja: it.id, en: it.id })),
      observer ? el('span', { class: 'tag' }, both(P.observers)) : null,
      el('span', { class: 'org-id' }, it.id),
    );
    keys.set(label, { input, key: normalise(`${it.id} ${it.name?.ja ?? ''} ${it.name?.en ?? ''}`) });
    list.append(label);
  }
  const counter = el('span', { class: 'pick-count', 'aria-live': 'polite' });
  const search = filter
    ? el('input', {
        type: 'search',
        class: 'pick-filter',
        testid: `${testidPrefix}filter`,
        placeholder: both(P.search),
        'aria-label': `${both(legend)} — ${both(P.search)}`,
        autocomplete: 'off',
      })
    : null;
  const selectedOnly = filter ? el('input', { type: 'checkbox', testid: `${testidPrefix}selected-only` }) : null;
  const apply = () => {
    const q = search ? normalise(search.value.trim()) : '';
    const only = selectedOnly ? selectedOnly.checked : false;
    for (const [label, k] of keys) label.hidden = (q !== '' && !k.key.includes(q)) || (only && !k.input.checked);
  };
  const updateCount = () => {
    const n = [...keys.values()].filter((k) => k.input.checked).length;
    counter.textContent = n > 0 ? `${count(n)} 件選択 / ${count(n)} selected` : '';
  };
  search?.addEventListener('input', debounce(apply, 60));
  selectedOnly?.addEventListener('change', apply);
  list.addEventListener('change', updateCount);
  const clear = el(
    'button',
    {
      type: 'button',
      class: 'btn small',
      testid: `${testidPrefix}clear`,
      on: {
        click: () => {
          for (const k of keys.values()) k.input.checked = false;
          updateCount();
          apply();
        },
      },
    },
    both(P.clearSelection),
  );
  const fieldset = el(
    'fieldset',
    { class: `picker picker-${fieldName}` },
    el('legend', null, both(legend), ' ', counter),
    filter ? el('div', { class: 'pick-tools' }, search, el('label', { class: 'inline' }, selectedOnly, ` ${both(P.selectedOnly)}`), clear) : null,
    list,
    el('div', { class: 'error-slot', 'data-field': fieldName }),
  );
  return {
    fieldset,
    values: () => [...keys.values()].filter((k) => k.input.checked).map((k) => k.input.value),
    reset: () => {
      for (const k of keys.values()) k.input.checked = false;
      if (search) search.value = '';
      if (selectedOnly) selectedOnly.checked = false;
      updateCount();
      apply();
    },
    focus: () => (search ?? list.querySelector('input'))?.focus(),
  };
}

function buildIssueForm(opts) {
  const defaults = opts.defaultDeadlineMinutes && typeof opts.defaultDeadlineMinutes === 'object' ? opts.defaultDeadlineMinutes : {};
  const optional = Array.isArray(opts.escalationOptional) ? opts.escalationOptional : [];
  const groups = Array.isArray(opts.groups) ? opts.groups : [];
  const orgs = Array.isArray(opts.organisations) ? opts.organisations : [];

  const title = el('input', { id: 'f-title', name: 'title', type: 'text', testid: 'form-title', maxLength: TITLE_MAX, required: true, autocomplete: 'off' });
  const body = el('textarea', { id: 'f-body', name: 'body', testid: 'form-body', rows: '6', maxLength: BODY_MAX, required: true });
  const bodyCount = el('span', { class: 'char-count', id: 'f-body-count' });
  const updateBodyCount = () => {
    bodyCount.textContent = `${count(body.value.length)} / ${count(BODY_MAX)}`;
  };
  body.addEventListener('input', updateBodyCount);
  updateBodyCount();

  const tlp = selectEl('f-tlp', 'form-tlp', TLP_LEVELS.map((l) => [l, `${l} — ${both(lab('TLP_TEXT', l))}`]), { value: DEFAULT_TLP });
  const tlpPreview = el('div', { class: 'tlp-preview', 'aria-hidden': 'true' });
  const tlpNote = el('p', { class: 'hint', id: 'f-tlp-note' });
  const updateTlp = () => {
    tlpPreview.replaceChildren(tlpLabel(tlp.value), ' ', both(lab('TLP_TEXT', tlp.value)));
    tlpNote.replaceChildren(tlp.value === 'TLP:RED' ? sentence(P.tlpRedNote) : '');
  };
  tlp.addEventListener('change', updateTlp);
  updateTlp();

  const severity = selectEl(
    'f-severity',
    'form-severity',
    SEVERITIES.map((s) => {
      const d = defaults[s];
      const suffix = typeof d === 'number' ? `（既定の期限 ${durationText(d).ja} / default deadline ${durationText(d).en}）` : '';
      return [s, `${both(lab('SEVERITY_TEXT', s))}${suffix}`];
    }),
    { value: DEFAULT_SEVERITY },
  );
  // Defaults like the TLP and severity ones: most of what a CEPTOAR secretariat relays is a NISC 注意喚起.
  const category = selectEl('f-category', 'form-category', CATEGORIES.map((c) => [c, both(lab('CATEGORY_TEXT', c))]), { value: DEFAULT_CATEGORY });
  const source = selectEl('f-source', 'form-source', SOURCES.map((s) => [s, both(lab('SOURCE_TEXT', s))]), { value: DEFAULT_SOURCE });

  const allMembers = el('input', { type: 'checkbox', id: 'f-all-members', testid: 'form-all-members' });
  const observers = el('input', { type: 'checkbox', id: 'f-observers', testid: 'form-observers' });
  const groupPick = groups.length > 0 ? pickList({ legend: P.groups, items: groups, testidPrefix: 'form-group-', field: 'groups', filter: true }) : null;
  const orgPick = orgs.length > 0 ? pickList({ legend: P.organisations, items: orgs, testidPrefix: 'form-member-', field: 'members', filter: true }) : null;

  const deadline = el('select', { id: 'f-deadline', name: 'ackDeadlineMinutes', testid: 'form-deadline' });
  const defaultOption = el('option', { value: '' });
  deadline.append(defaultOption, ...DEADLINE_CHOICES_MINUTES.map((m) => el('option', { value: String(m) }, both(durationText(m)))));
  const drill = el('input', { type: 'checkbox', id: 'f-drill', testid: 'form-drill' });
  const noEscalate = el('input', { type: 'checkbox', id: 'f-no-escalate', testid: 'form-no-escalate' });
  const noEscText = levelsText(optional);
  const escalateRow = el(
    'div',
    { class: 'form-row row-escalate' },
    el('span', { class: 'row-label' }, both(P.escalation)),
    el('label', { class: 'inline' }, noEscalate, ` エスカレーションしない（${noEscText.ja}のみ） / Do not escalate (${noEscText.en} only)`),
    el('p', { class: 'hint' }, sentence(P.escalationHint)),
    el('div', { class: 'error-slot', 'data-field': 'escalate' }),
  );
  const updateSeverity = () => {
    const d = defaults[severity.value];
    const dt = typeof d === 'number' ? durationText(d) : null;
    defaultOption.textContent = dt ? `${P.severityDefault.ja}（${dt.ja}） / ${P.severityDefault.en} (${dt.en})` : both(P.severityDefault);
    const canSkip = optional.includes(severity.value);
    escalateRow.hidden = !canSkip;
    if (!canSkip) noEscalate.checked = false;
  };
  severity.addEventListener('change', updateSeverity);
  updateSeverity();

  const submit = el('button', { type: 'submit', class: 'btn primary', testid: 'form-submit' }, `📣 ${both(P.submit)}`);
  const result = el('div', { class: 'form-result', testid: 'form-result', role: 'status', 'aria-live': 'polite' });
  const generalErrors = el('div', { class: 'error-slot', 'data-field': '_general' });

  const form = el(
    'form',
    { class: 'issue-form', testid: 'issue-form', novalidate: true, 'aria-labelledby': 'issue-heading' },
    field(P.title, title, 'f-title', 'title'),
    field(P.body, body, 'f-body', 'body', bodyCount),
    el('div', { class: 'grid2' }, field(P.tlp, tlp, 'f-tlp', 'tlp', [tlpPreview, tlpNote]), field(Tx('severity'), severity, 'f-severity', 'severity')),
    el('div', { class: 'grid2' }, field(Tx('category'), category, 'f-category', 'category'), field(Tx('source'), source, 'f-source', 'source')),
    el(
      'fieldset',
      { class: 'targets' },
      el('legend', null, both(P.targets)),
      el('p', { class: 'hint' }, sentence(P.targetsHint)),
      el(
        'div',
        { class: 'target-flags' },
        el('label', { class: 'inline' }, allMembers, ` ${both(P.allMembers)}`),
        el('label', { class: 'inline' }, observers, ` ${both(P.observers)}`),
      ),
      el('div', { class: 'error-slot', 'data-field': 'targets' }),
      groupPick?.fieldset,
      orgPick?.fieldset,
    ),
    el(
      'div',
      { class: 'grid2' },
      field(Tx('ackDeadline'), deadline, 'f-deadline', 'ackDeadlineMinutes'),
      el(
        'div',
        { class: 'form-row row-drill' },
        el('span', { class: 'row-label' }, both(P.drill)),
        el('label', { class: 'inline' }, drill, ` ${both(P.drillOption)}`),
        el('div', { class: 'error-slot', 'data-field': 'drill' }),
      ),
    ),
    escalateRow,
    generalErrors,
    el('div', { class: 'form-actions' }, submit),
    result,
  );

  const controls = {
    title,
    body,
    tlp,
    severity,
    category,
    source,
    targets: allMembers,
    groups: groupPick,
    members: orgPick,
    ackDeadlineMinutes: deadline,
    drill,
    escalate: noEscalate,
  };

  const read = () => {
    const input = {
      title: title.value,
      body: body.value,
      source: source.value || undefined,
      tlp: tlp.value || undefined,
      severity: severity.value || undefined,
      category: category.value || undefined,
      drill: drill.checked,
      targets: {
        allMembers: allMembers.checked,
        observers: observers.checked,
        groups: groupPick ? groupPick.values() : [],
        members: orgPick ? orgPick.values() : [],
      },
      escalate: !(noEscalate.checked && !escalateRow.hidden),
    };
    if (deadline.value !== '') input.ackDeadlineMinutes = Number(deadline.value);
    return input;
  };

  const reset = () => {
    title.value = '';
    body.value = '';
    updateBodyCount();
    tlp.value = DEFAULT_TLP;
    updateTlp();
    severity.value = DEFAULT_SEVERITY;
    category.value = DEFAULT_CATEGORY;
    source.value = DEFAULT_SOURCE;
    allMembers.checked = false;
    observers.checked = false;
    groupPick?.reset();
    orgPick?.reset();
    deadline.value = '';
    drill.checked = false;
    noEscalate.checked = false;
    updateSeverity();
  };

  const handle = { form, controls, read, reset, result, submit };
  form.addEventListener('submit', (ev) => submitIssue(ev, handle));
  return handle;
}

function clearFieldErrors(f) {
  for (const slot of f.form.querySelectorAll('.error-slot')) slot.replaceChildren();
  for (const c of f.form.querySelectorAll('[aria-invalid]')) {
    c.removeAttribute('aria-invalid');
    c.removeAttribute('aria-describedby');
  }
}

/** Where the server's error.fields key goes: "title", "targets.members", "input.body", "ackDeadline" … */
function fieldForKey(key) {
  const k = String(key).replace(/^input\./, '');
  if (FORM_FIELDS.includes(k)) return k;
  // Exactly "targets.members" is where the schema files "at least one target is required": it belongs to the
  // whole Targets fieldset. An element path ("targets.members.3") is about one organisation.
  if (k === 'targets.groups' || k === 'targets.members') return 'targets';
  if (k.startsWith('targets.groups.')) return 'groups';
  if (k.startsWith('targets.members.')) return 'members';
  if (k === 'organisations' || k === 'target_organisations') return 'members';
  if (k === 'target_groups') return 'groups';
  if (k === 'ack_deadline') return 'ackDeadlineMinutes';
  if (k.startsWith('targets')) return 'targets';
  if (k === 'ackDeadline' || k === 'deadline') return 'ackDeadlineMinutes';
  return null;
}

function showFieldErrors(f, fieldsMap) {
  let first = null;
  const general = f.form.querySelector('.error-slot[data-field="_general"]');
  for (const [key, message] of Object.entries(fieldsMap)) {
    const name = fieldForKey(key);
    let slot = name ? f.form.querySelector(`.error-slot[data-field="${name}"]`) : null;
    let shownAs = name;
    // A field with no slot on screen (no groups in the directory, a hidden row): the nearest sensible place.
    if (slot && slot.closest('[hidden]')) slot = null;
    if (!slot && (name === 'groups' || name === 'members')) {
      slot = f.form.querySelector('.error-slot[data-field="targets"]');
      shownAs = name;
    }
    if (!slot) {
      slot = general;
      shownAs = name ?? key;
    }
    if (slot.querySelector(`[data-testid="field-error-${CSS_escape(shownAs)}"]`)) continue;
    const id = `err-${shownAs.replace(/[^A-Za-z0-9_-]/g, '_')}`;
    slot.append(el('p', { class: 'field-error', id, testid: `field-error-${shownAs}` }, '⚠️ ', sentence(isBilingual(message) ? message : { ja: String(message), en: String(message) })));
    const control = name ? f.controls[name] : null;
    const node = control && control.nodeType === 1 ? control : null;
    if (node) {
      node.setAttribute('aria-invalid', 'true');
      node.setAttribute('aria-describedby', id);
    }
    if (!first) first = control;
  }
  if (first) {
    if (typeof first.focus === 'function') first.focus();
  }
}

/** Quotes for an attribute selector value (keys are our own field names, but be safe). */
function CSS_escape(s) {
  return String(s).replace(/["\\]/g, '\\$&');
}

async function submitIssue(ev, f) {
  ev.preventDefault();
  if (f.submit.disabled) return;
  const input = f.read();
  const json = JSON.stringify(input);
  // A fresh key per submission; the same key again only when the last attempt got no answer and nothing changed,
  // so a retry after a lost response cannot issue the advisory twice.
  const requestKey = state.pendingIssue && state.pendingIssue.json === json ? state.pendingIssue.key : newUuid();
  const gen = state.gen;
  clearFieldErrors(f);
  f.result.className = 'form-result';
  f.result.setAttribute('data-state', 'pending');
  f.result.textContent = both(P.sending);
  f.submit.disabled = true;
  try {
    const res = await api('/local/api/advisories', { method: 'POST', body: { requestKey, input } });
    if (gen !== state.gen) return;
    state.pendingIssue = null;
    f.reset();
    const n = Array.isArray(res?.deliveries) ? res.deliveries.length : typeof res?.deliveries === 'number' ? res.deliveries : null;
    const id = String(res?.advisoryId ?? '');
    f.result.className = 'form-result ok';
    f.result.setAttribute('data-state', 'ok');
    f.result.setAttribute('data-advisory-id', id);
    fill(
      f.result,
      '✅ ',
      el('strong', null, both(P.issuedOk)),
      ': ',
      el('code', { class: 'adv-id', testid: 'form-result-id' }, id),
      n !== null ? ` · ${both(P.deliveries)}: ${count(n)}` : '',
      ' ',
      el('button', { type: 'button', class: 'btn small', testid: 'form-result-status', on: { click: () => viewStatusFrom(id, null) } }, `📊 ${both(P.viewStatus)}`),
      res?.created === false ? el('p', { class: 'small', testid: 'form-result-repeat' }, sentence(P.alreadyIssued)) : null,
      Array.isArray(res?.withoutChannel) && res.withoutChannel.length > 0
        ? el(
            'p',
            { class: 'warn small', testid: 'form-result-without-channel' },
            `⚠️ ${both(P.withoutChannel)}: `,
            res.withoutChannel.map((o) => both(o?.name ?? { ja: String(o?.id ?? ''), en: String(o?.id ?? '') })).join(', '),
          )
        : null,
    );
  } catch (err) {
    if (gen !== state.gen) return;
    const unanswered = err instanceof ApiError && (err.status === 0 || err.status >= 500);
    state.pendingIssue = unanswered ? { key: requestKey, json } : null;
    f.result.className = 'form-result error';
    f.result.setAttribute('data-state', 'error');
    f.result.replaceChildren('⚠️ ', sentence(errorText(err)));
    if (err instanceof ApiError && err.fields && Object.keys(err.fields).length > 0) {
      f.result.append(' ', sentence(P.formInvalid));
      showFieldErrors(f, err.fields);
    }
  } finally {
    f.submit.disabled = false;
  }
}

// Status -------------------------------------------------------------------------------------------------------

function statusSection() {
  const input = el('input', { id: 'status-id', type: 'text', testid: 'status-id', placeholder: 'ADV-2026-0001', autocomplete: 'off', spellcheck: 'false' });
  const out = el('div', { class: 'status-out', id: 'status-out', testid: 'status-out' });
  const form = el(
    'form',
    {
      class: 'status-form',
      testid: 'status-form',
      on: {
        submit: (ev) => {
          ev.preventDefault();
          const id = input.value.trim();
          if (id === '') {
            out.replaceChildren(el('p', { class: 'error-box', role: 'alert' }, sentence(P.statusIdMissing)));
            input.focus();
            return;
          }
          showStatus(id);
        },
      },
    },
    el('label', { for: 'status-id' }, both(P.advisoryId)),
    input,
    el('button', { type: 'submit', class: 'btn', testid: 'status-submit' }, both(P.statusShow)),
  );
  return el('section', { class: 'panel status-box', 'aria-labelledby': 'status-heading' }, el('h3', { id: 'status-heading' }, `📊 ${both(P.statusTitle)}`), form, out);
}

/** "View status" on a notice: into the status box when the secretariat panel is on screen, else under the notice. */
function viewStatusFrom(advisoryId, article) {
  const box = document.getElementById('status-out');
  if (box && box.isConnected) {
    showStatus(advisoryId);
    box.closest('.status-box')?.scrollIntoView({ block: 'start' });
    return;
  }
  const extra = article?.querySelector(':scope > .msg-extra');
  if (extra) showStatus(advisoryId, extra);
}

async function showStatus(advisoryId, container) {
  const input = document.getElementById('status-id');
  const target = container ?? document.getElementById('status-out');
  if (!target) return;
  if (!container && input) input.value = advisoryId;
  // Only one status view on the page at a time, so its test ids stay unique.
  for (const old of document.querySelectorAll('.status-view, .status-loading, .status-error')) old.remove();
  state.status = { advisoryId, container: target };
  const loading = el('p', { class: 'muted status-loading' }, both(P.loading));
  target.append(loading);
  await loadStatusInto(advisoryId, target);
}

async function loadStatusInto(advisoryId, target) {
  const gen = state.gen;
  let view;
  try {
    view = await api(`/local/api/advisories/${encodeURIComponent(advisoryId)}/status`);
  } catch (err) {
    if (gen !== state.gen || state.status?.advisoryId !== advisoryId) return;
    for (const old of target.querySelectorAll('.status-view, .status-loading, .status-error')) old.remove();
    const box = errorBox(err, 'status-error');
    box.classList.add('status-error');
    target.append(box);
    return;
  }
  if (gen !== state.gen || state.status?.advisoryId !== advisoryId) return;
  for (const old of document.querySelectorAll('.status-view, .status-loading, .status-error')) old.remove();
  target.append(renderStatus(view ?? {}));
  // The server answers with the canonical id ("adv-2026-42" → "ADV-2026-0042"): events match on that.
  if (typeof view?.advisoryId === 'string') state.status = { advisoryId: view.advisoryId, container: target };
}

const scheduleStatusRefresh = debounce(() => {
  const s = state.status;
  if (!s || !s.container.isConnected) return;
  loadStatusInto(s.advisoryId, s.container);
}, 400);

function ladderCell(row) {
  if (row.state === 'acknowledged') return [];
  const parts = [];
  const l = row.ladder;
  const t = row.phoneTask;
  if (l?.kind === 'reminder' && !t) parts.push(el('div', null, `⏰ ${both(P.reminderSent)} (${formatTokyo(l.at)})`));
  if (!t && l && (l.kind === 'phone' || l.kind === 'next-contact')) parts.push(el('div', null, `📞 ${both(P.phoneStepReached)} (${formatTokyo(l.at)})`));
  if (l?.kind === 'alert') parts.push(el('div', { class: 'warn' }, `🚨 ${both(P.secretariatAlerted)} (${formatTokyo(l.at)})`));
  return parts;
}

function phoneCell(row) {
  const t = row.phoneTask;
  if (!t) return [];
  const stateText = t.state === 'claimed' && t.claimedBy ? { ja: `${t.claimedBy} が対応中`, en: `claimed by ${t.claimedBy}` } : PHONE_STATE_TEXT[t.state] ?? { ja: t.state, en: t.state };
  return [
    el('div', null, `📞 ${both(stateText)}`),
    el('div', null, `連絡先 ${count(t.contactIndex + 1)}/${count(t.contacts)} / contact ${count(t.contactIndex + 1)} of ${count(t.contacts)}`),
    t.exhausted ? el('div', { class: 'warn' }, `⚠️ ${both(P.allTried)}`) : null,
  ];
}

function renderStatus(view) {
  const c = view.counts ?? {};
  const rows = Array.isArray(view.rows) ? view.rows : [];
  const root = el('div', { class: 'status-view', testid: 'status-view', 'data-advisory-id': String(view.advisoryId ?? '') });
  root.append(
    el(
      'div',
      { class: 'envelope' },
      tlpLabel(view.tlp),
      el('span', { class: 'tlp-text' }, both(lab('TLP_TEXT', view.tlp))),
      view.drill ? el('span', { class: 'drill-tag' }, both(Tx('drillTag'))) : null,
    ),
    el('h4', { class: 'status-title' }, el('code', null, String(view.advisoryId ?? '')), ' ', String(view.title ?? '')),
    el(
      'p',
      { class: 'muted small' },
      `${both(lab('SEVERITY_TEXT', view.severity))} · ${both(P.issued)}: ${formatTokyo(view.issuedAt)} · ${both(Tx('ackDeadline'))}: ${formatTokyo(view.ackDeadline)}`,
    ),
  );
  const countCells = [
    ['total', P.total, c.total],
    ...DELIVERY_STATES.map((s) => [s, lab('STATE_TEXT', s), c[s]]),
  ];
  root.append(
    el(
      'table',
      { class: 'counts', testid: 'status-counts' },
      el('thead', null, el('tr', null, countCells.map(([k, label]) => el('th', { scope: 'col', 'data-col': k }, `${k === 'total' ? '' : STATE_MARK[k] + ' '}${both(label)}`)))),
      el('tbody', null, el('tr', null, countCells.map(([k, , n]) => el('td', { 'data-col': k, testid: `status-count-${k}` }, count(n ?? 0))))),
    ),
    el(
      'div',
      { class: 'status-actions' },
      el('button', { type: 'button', class: 'btn small', testid: 'status-refresh', on: { click: () => scheduleStatusRefresh() } }, `↻ ${both(P.refresh)}`),
      el(
        'button',
        {
          type: 'button',
          class: 'btn small',
          testid: 'panel-wide',
          'aria-pressed': document.body.classList.contains('wide-panel') ? 'true' : 'false',
          on: {
            click: (ev) => {
              const wide = document.body.classList.toggle('wide-panel');
              ev.currentTarget.setAttribute('aria-pressed', wide ? 'true' : 'false');
            },
          },
        },
        `↔ ${both(P.widePanel)}`,
      ),
    ),
  );
  const tbody = el('tbody');
  if (rows.length === 0) {
    tbody.append(el('tr', null, el('td', { colspan: '6', class: 'muted' }, both(P.noRows))));
  }
  for (const row of rows) {
    const ackParts = [];
    if (row.acknowledgedBy !== undefined || row.acknowledgedAt !== undefined) {
      ackParts.push(el('div', { class: 'who' }, String(row.acknowledgedBy ?? '')));
      if (row.acknowledgedAt) ackParts.push(el('div', null, timeEl(row.acknowledgedAt)));
      if (row.via) ackParts.push(el('div', null, `via ${both(lab('VIA_TEXT', row.via))}`));
    }
    tbody.append(
      el(
        'tr',
        { testid: `status-row-${row.memberId}`, 'data-state': row.state, 'data-delivery-id': row.deliveryId, class: `st-${row.state}` },
        el('th', { scope: 'row', 'data-col': 'member' }, both(row.memberName ?? { ja: row.memberId, en: row.memberId })),
        el('td', { 'data-col': 'state' }, `${STATE_MARK[row.state] ?? ''} ${both(lab('STATE_TEXT', row.state))}`),
        el('td', { 'data-col': 'acknowledged' }, ackParts),
        el('td', { 'data-col': 'failure' }, row.failure ? [el('code', null, String(row.failure)), el('div', { class: 'small' }, sentence(failureExplanation(row.failure)))] : null),
        el('td', { 'data-col': 'ladder' }, ladderCell(row)),
        el('td', { 'data-col': 'phone' }, phoneCell(row)),
      ),
    );
  }
  root.append(
    el(
      'div',
      { class: 'table-wrap' },
      el(
        'table',
        { class: 'status-table', testid: 'status-table' },
        el('caption', { class: 'sr-only' }, `${both(P.statusTitle)}: ${String(view.advisoryId ?? '')}`),
        el(
          'thead',
          null,
          el(
            'tr',
            null,
            [P.member, P.state, P.acknowledged, P.failure, P.ladder, P.phoneTask].map((t) => el('th', { scope: 'col' }, both(t))),
          ),
        ),
        tbody,
      ),
    ),
  );
  return root;
}

// On-call ------------------------------------------------------------------------------------------------------

function oncallPanel() {
  const list = el('ol', { class: 'oncall-list', testid: 'oncall-list', 'aria-busy': 'true' });
  const counter = el('span', { class: 'pick-count', testid: 'oncall-count' });
  return el(
    'section',
    { class: 'panel oncall', 'aria-labelledby': 'oncall-heading' },
    el(
      'div',
      { class: 'panel-head' },
      el('h3', { id: 'oncall-heading' }, `📞 ${both(P.oncallTitle)} `, counter),
      el('button', { type: 'button', class: 'btn small', testid: 'oncall-refresh', on: { click: () => refreshOncall() } }, `↻ ${both(P.refresh)}`),
    ),
    el('div', { class: 'oncall-error' }),
    list,
  );
}

let oncallSeq = 0;

async function refreshOncall() {
  const panel = state.panels.get('oncall');
  if (!panel || !panel.isConnected) return;
  const list = panel.querySelector('.oncall-list');
  const errSlot = panel.querySelector('.oncall-error');
  const gen = state.gen;
  const seq = ++oncallSeq;
  let view;
  try {
    view = await api('/local/api/oncall');
  } catch (err) {
    if (gen !== state.gen || seq !== oncallSeq) return;
    errSlot.replaceChildren(errorBox(err, 'oncall-error'));
    list.removeAttribute('aria-busy');
    return;
  }
  if (gen !== state.gen || seq !== oncallSeq) return;
  errSlot.replaceChildren();
  const tasks = (Array.isArray(view?.tasks) ? view.tasks : []).slice().sort((a, b) => ms(a.createdAt) - ms(b.createdAt));
  panel.querySelector('[data-testid="oncall-count"]').textContent = `(${count(tasks.length)} 件 / ${tasks.length === 1 ? '1 task' : `${count(tasks.length)} tasks`})`;
  if (tasks.length === 0) {
    list.replaceChildren(el('li', { class: 'empty muted', testid: 'oncall-empty' }, `✅ ${both(P.oncallEmpty)}`));
  } else {
    list.replaceChildren(
      ...tasks.map((t) => {
        const stateText = t.state === 'claimed' && t.claimedBy ? { ja: `${t.claimedBy} が対応中（電話中）`, en: `claimed by ${t.claimedBy} (calling now)` } : PHONE_STATE_TEXT[t.state] ?? { ja: t.state, en: t.state };
        return el(
          'li',
          { class: `oncall-task st-${t.state}`, testid: `oncall-task-${t.taskId}`, 'data-task-id': t.taskId, 'data-state': t.state },
          el(
            'div',
            { class: 'line1' },
            tlpLabel(t.tlp),
            t.drill ? el('span', { class: 'drill-tag' }, both(Tx('drillTag'))) : null,
            ' ',
            el('strong', null, both(t.memberName)),
          ),
          el('div', { class: 'line2' }, el('code', null, String(t.advisoryId ?? '')), ' ', String(t.title ?? '')),
          el(
            'div',
            { class: 'line3 small' },
            [
              both(lab('SEVERITY_TEXT', t.severity)),
              `📞 ${both(stateText)}`,
              `連絡先 ${count(t.contactIndex + 1)}/${count(t.contacts)} / contact ${count(t.contactIndex + 1)} of ${count(t.contacts)}`,
              t.exhausted ? `⚠️ ${both(P.allTried)}` : null,
              formatTokyo(t.createdAt),
            ]
              .filter(Boolean)
              .join(' · '),
          ),
          el('button', { type: 'button', class: 'btn small', testid: 'oncall-goto', on: { click: () => gotoTask(t.taskId) } }, both(P.showMessage)),
        );
      }),
    );
  }
  list.removeAttribute('aria-busy');
}

const scheduleOncallRefresh = debounce(() => refreshOncall(), 300);

function gotoTask(taskId) {
  const found = [...state.messages.values()]
    .filter((m) => m.body?.kind === 'phone_task' && m.body.view?.taskId === taskId)
    .sort(compareMessages)
    .pop();
  const node = found ? state.msgEls.get(found.id) : null;
  if (!node) {
    announce(both(P.messageNotHere));
    return;
  }
  node.scrollIntoView({ block: 'center' });
  node.classList.remove('flash');
  // Restart the highlight animation.
  void node.offsetWidth;
  node.classList.add('flash');
  const first = node.querySelector('button.act');
  if (first) first.focus({ preventScroll: true });
}

// ---------------------------------------------------------------------------------------------------------------

window.addEventListener('beforeunload', () => state.es?.close());
boot();
