import type { CallOutcome, PhoneTaskState } from '../../src/domain/phone-task.js';
import type { Bilingual } from '../../src/i18n/text.js';

/**
 * Texts only the Slack adapter shows (modal labels, notices, status layout). Kept apart from
 * src/i18n/text.ts because the core and the other adapters never show them; they follow the same rule:
 * Japanese first, English second.
 */
export const ST = {
  modalTitle: { ja: '注意喚起', en: 'Advisory' },
  modalSubmit: { ja: '発信', en: 'Issue' },
  modalClose: { ja: 'キャンセル', en: 'Cancel' },
  title: { ja: '件名', en: 'Title' },
  body: { ja: '本文', en: 'Body' },
  bodyHint: {
    ja: 'Slack の入力欄は 3,000 文字までです。それより長い本文は要約し、詳細の参照先を記載してください。',
    en: 'Slack input fields hold up to 3,000 characters. Summarise longer text and say where the details are.',
  },
  tlp: { ja: 'TLP（共有範囲）', en: 'TLP (who may see it)' },
  targets: { ja: '宛先', en: 'Targets' },
  targetsHint: {
    ja: '全構成員・オブザーバー・グループ・個別の構成員のうち、少なくとも一つを指定してください。',
    en: 'Choose at least one: all members, observers, groups or individual organisations.',
  },
  allMembers: { ja: '全構成員', en: 'All members' },
  observers: { ja: 'オブザーバー', en: 'Observers' },
  groups: { ja: 'グループ', en: 'Groups' },
  organisations: { ja: '構成員（個別指定）', en: 'Individual organisations' },
  organisationsSearch: { ja: '名称または ID で検索', en: 'Search by name or id' },
  choose: { ja: '選択してください', en: 'Choose' },
  severityDefault: { ja: '深刻度の既定', en: 'Severity default' },
  drill: { ja: '訓練', en: 'Drill' },
  drillOption: { ja: '訓練として発信する', en: 'Issue as a drill' },
  issued: { ja: '発信日時', en: 'Issued' },
  issuedBy: { ja: '発信者', en: 'Issued by' },
  advisoryId: { ja: '注意喚起 ID', en: 'Advisory id' },
  member: { ja: '構成員', en: 'Member' },
  reason: { ja: '理由', en: 'Reason' },
  deliveries: { ja: '配信数', en: 'Deliveries' },
  total: { ja: '合計', en: 'Total' },
  deliveryFailed: { ja: '配信失敗', en: 'Delivery failed' },
  advisoryIssued: { ja: '注意喚起を発信しました', en: 'Advisory issued' },
  unknownFailure: { ja: '想定外のエラーです。ログを確認してください。', en: 'Unexpected error. Check the logs.' },
  bodyTruncated: {
    ja: '（本文が長いため、ここで省略しました。全文は事務局にお問い合わせください。）',
    en: '(The body is too long to show in full here. Ask the secretariat for the full text.)',
  },
  noRows: { ja: '配信はありません。', en: 'No deliveries.' },
  // Escalation in the form.
  escalation: { ja: 'エスカレーション', en: 'Escalation' },
  escalationHint: {
    ja: 'チェックすると、未確認の構成員へのリマインド・電話連絡・事務局への通知を行いません。',
    en: 'When ticked, members who do not acknowledge get no reminder, no phone call, and the secretariat is not alerted.',
  },
  // Reminder in the member's channel.
  reminderHeading: { ja: '受領確認のお願い', en: 'Please acknowledge' },
  reminderPressAbove: {
    ja: '上の注意喚起メッセージの「受領確認」ボタンを押してください。',
    en: 'Press the "Acknowledge" button on the advisory message above.',
  },
  // Phone task in the on-call channel.
  phoneTask: { ja: '電話連絡', en: 'Phone task' },
  phoneScript: { ja: '通話例', en: 'Call script' },
  phoneContacts: { ja: '連絡先（上から順に）', en: 'Contacts (in this order)' },
  phoneNoContacts: {
    ja: '名簿に電話の連絡先がありません。事務局に連絡してください。',
    en: 'The directory lists no phone contact. Tell the secretariat.',
  },
  phoneRedNote: {
    ja: 'TLP:RED のため、件名以外は電話で伝えないでください。',
    en: 'TLP:RED: say nothing on the phone but the title.',
  },
  phoneExcerpt: { ja: '要旨', en: 'Summary' },
  phoneExhausted: {
    ja: 'すべての連絡先に電話しましたが、つながっていません。事務局に報告してください。',
    en: 'Every contact has been tried without reaching anyone. Report to the secretariat.',
  },
  phoneCancelled: {
    ja: '取消：チャンネルで受領確認されたため、電話は不要です。',
    en: 'Cancelled: acknowledged in the channel; no call needed.',
  },
  phoneOpen: { ja: '電話をかける前に「対応する」を押してください。', en: 'Press "Claim" before you call.' },
  phoneClaim: { ja: '対応する', en: 'Claim' },
  phoneReached: { ja: '連絡がついた', en: 'Reached' },
  phoneNoAnswer: { ja: '応答なし', en: 'No answer' },
  phoneWrongNumber: { ja: '番号違い', en: 'Wrong number' },
  phoneRelease: { ja: '対応をやめる', en: 'Release' },
  phoneCurrent: { ja: '今かける相手', en: 'call now' },
  // On-call list.
  oncallTitle: { ja: '未完了の電話連絡', en: 'Open phone tasks' },
  oncallEmpty: { ja: '未完了の電話連絡はありません。', en: 'No open phone tasks.' },
  allTried: { ja: '全連絡先に架電済み', en: 'all contacts tried' },
  // Escalation alert and status.
  escalationAlert: {
    ja: 'エスカレーション後も受領確認がありません',
    en: 'Still not acknowledged after escalation',
  },
  deliveryState: { ja: '配信状態', en: 'Delivery state' },
  attempts: { ja: '電話の試行回数', en: 'Call attempts' },
  heldBy: { ja: '電話連絡の担当', en: 'Phone task held by' },
  nobody: { ja: 'なし', en: 'nobody' },
  wrongNumbers: { ja: '番号違い', en: 'Wrong numbers' },
  fixDirectory: { ja: '名簿の電話番号を修正してください。', en: 'Fix these numbers in the directory.' },
  reminderSent: { ja: 'リマインド送信済み', en: 'reminder sent' },
  secretariatAlerted: { ja: '事務局に通知済み', en: 'secretariat alerted' },
  phoneStep: { ja: '電話連絡', en: 'phone task' },
} as const satisfies Record<string, Bilingual>;

export const PHONE_STATE_TEXT: Record<PhoneTaskState, Bilingual> = {
  open: { ja: '未着手', en: 'open' },
  claimed: { ja: '対応中', en: 'claimed' },
  done: { ja: '完了', en: 'done' },
  cancelled: { ja: '取消', en: 'cancelled' },
};

export const CALL_OUTCOME_TEXT: Record<CallOutcome, Bilingual> = {
  no_answer: { ja: '応答なし', en: 'no answer' },
  wrong_number: { ja: '番号違い', en: 'wrong number' },
};

/** "X が対応中（電話中） / claimed by X (calling now)"; `who` is already escaped by the caller. */
export function claimedByText(who: string): Bilingual {
  return { ja: `${who} が対応中（電話中）`, en: `claimed by ${who} (calling now)` };
}

export function reachedText(who: string, at: string): Bilingual {
  return { ja: `完了：${who} が ${at} に連絡し、受領確認を記録しました。`, en: `Done: reached by ${who} at ${at}; acknowledgement recorded.` };
}

export function contactOfText(k: number, n: number): Bilingual {
  return { ja: `連絡先 ${count(k)}/${count(n)}`, en: `contact ${count(k)} of ${count(n)}` };
}

/** The standard call script; every argument is already escaped by the caller. */
export function standardScript(secretariat: Bilingual, advisoryId: string, title: Bilingual): Bilingual {
  return {
    ja: `「${secretariat.ja}です。注意喚起 ${advisoryId}「${title.ja}」を貴組織のチャンネルに投稿しました。内容をご確認のうえ、「受領確認」ボタンを押してください。」`,
    en: `"This is ${secretariat.en}. We have posted advisory ${advisoryId} "${title.en}" to your channel. Please read it and press the 受領確認 (Acknowledge) button."`,
  };
}

/** The TLP:RED call script: the title and a request to call back, nothing else. */
export function redScript(secretariat: Bilingual, title: Bilingual): Bilingual {
  return {
    ja: `「${secretariat.ja}です。「${title.ja}」の件で、事務局までお電話をお願いします。」`,
    en: `"This is ${secretariat.en}. About "${title.en}": please call the secretariat (事務局) back."`,
  };
}

export function reminderText(advisoryId: string, title: string, deadline: string): Bilingual {
  return {
    ja: `注意喚起 ${advisoryId}「${title}」の受領確認がまだありません。期限は ${deadline} です。`,
    en: `Advisory ${advisoryId} "${title}" has not been acknowledged yet. It is due by ${deadline}.`,
  };
}

export function openTasksText(n: number): Bilingual {
  return { ja: `${count(n)} 件`, en: n === 1 ? '1 task' : `${count(n)} tasks` };
}

/** "レベル1・0" / "level 1 and 0", from severity ids such as 'level1'. */
export function levelsText(levels: readonly string[]): Bilingual {
  const n = levels.map((l) => l.replace(/^level/, ''));
  const en = n.length <= 1 ? n.join('') : `${n.slice(0, -1).join(', ')} and ${n[n.length - 1]}`;
  return { ja: `レベル${n.join('・')}`, en: `level ${en}` };
}

export function noEscalateOption(levels: readonly string[]): Bilingual {
  const l = levelsText(levels);
  return { ja: `エスカレーションしない（${l.ja}のみ）`, en: `Do not escalate (${l.en} only)` };
}

export function escalateNotAllowed(levels: readonly string[]): Bilingual {
  const l = levelsText(levels);
  return {
    ja: `エスカレーションを止められるのは深刻度が${l.ja}の注意喚起だけです。チェックを外すか、深刻度を見直してください。`,
    en: `Escalation can be turned off only for ${l.en} advisories. Untick the box or check the severity.`,
  };
}

/** Why a delivery failed, for the codes the secretariat can act on. */
export const FAILURE_TEXT: Readonly<Record<string, Bilingual>> = {
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
  invalid_auth: {
    ja: 'Slack の認証情報が無効です。運用担当に連絡してください。',
    en: 'The Slack credentials are not valid. Contact the operators.',
  },
  account_inactive: {
    ja: 'ボットのアカウントまたはトークンが無効化されています。運用担当に連絡してください。',
    en: 'The bot account or token has been deactivated. Contact the operators.',
  },
  TLP_SHARED_CHANNEL: {
    ja: 'TLP:AMBER+STRICT と TLP:RED の情報は、組織外と共有されたチャンネルには投稿できません。',
    en: 'TLP:AMBER+STRICT and TLP:RED cannot be posted to a channel shared outside the organisation.',
  },
  RED_NO_RECIPIENTS: {
    ja: 'TLP:RED ですが、Slack ユーザー ID が登録された連絡先がありません。名簿に連絡先の Slack ユーザー ID を登録してください。',
    en: "TLP:RED, but no contact has a Slack user id. Add the contacts' Slack user ids to the directory.",
  },
};

/** Own-property lookup, so a reason such as "constructor" is not mistaken for a known code. */
export function failureText(code: string): Bilingual | undefined {
  return Object.hasOwn(FAILURE_TEXT, code) ? FAILURE_TEXT[code] : undefined;
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}

export function moreRows(n: number): Bilingual {
  return {
    ja: `ほか ${count(n)} 件は表示していません。全件はエクスポートまたは状況 Web ページで確認してください。`,
    en: `${count(n)} more not shown. See the export or the status web page for all of them.`,
  };
}

export function moreNames(n: number): Bilingual {
  return { ja: `ほか ${count(n)} 名`, en: `${count(n)} more` };
}

/** "15分 / 15 minutes", "72時間 / 72 hours": hours, not days, because the modal's choices are listed in hours. */
export function durationText(minutes: number): Bilingual {
  if (minutes % 60 === 0) {
    const h = minutes / 60;
    return { ja: `${h}時間`, en: h === 1 ? '1 hour' : `${h} hours` };
  }
  return { ja: `${minutes}分`, en: minutes === 1 ? '1 minute' : `${minutes} minutes` };
}

export function severityDefaultText(minutes: number): Bilingual {
  const d = durationText(minutes);
  return { ja: `既定の期限 ${d.ja}`, en: `default deadline ${d.en}` };
}

/** How the validation messages name each field: the labels are headings, these fit inside a sentence. */
export const FIELD_NOUN = {
  title: { ja: '件名', en: 'title' },
  body: { ja: '本文', en: 'body' },
  tlp: { ja: 'TLP', en: 'TLP' },
  severity: { ja: '深刻度', en: 'severity' },
  category: { ja: '種別', en: 'category' },
  source: { ja: '情報源', en: 'source' },
  drill: { ja: '訓練の指定', en: 'drill flag' },
  ackDeadline: { ja: '受領確認期限', en: 'acknowledgement deadline' },
  targets: { ja: '宛先', en: 'targets' },
  groups: { ja: 'グループ', en: 'groups' },
  organisations: { ja: '構成員', en: 'organisations' },
  escalate: { ja: 'エスカレーションの指定', en: 'escalation setting' },
} as const satisfies Record<string, Bilingual>;

/** Validation messages shown under a modal field; `field` is a FIELD_NOUN. */
export const FIELD_ERROR = {
  required: (field: Bilingual): Bilingual => ({ ja: `${field.ja}を入力してください。`, en: `Enter the ${field.en}.` }),
  choose: (field: Bilingual): Bilingual => ({ ja: `${field.ja}を選択してください。`, en: `Choose the ${field.en}.` }),
  tooLong: (field: Bilingual, max: number): Bilingual => ({
    ja: `${field.ja}は ${count(max)} 文字以内にしてください。`,
    en: `The ${field.en} must be at most ${count(max)} characters.`,
  }),
  noTarget: {
    ja: '宛先を少なくとも一つ指定してください（全構成員・オブザーバー・グループ・個別の構成員）。',
    en: 'Choose at least one target (all members, observers, a group or an organisation).',
  } satisfies Bilingual,
  invalid: (field: Bilingual): Bilingual => ({ ja: `${field.ja}の値が正しくありません。`, en: `The ${field.en} is not valid.` }),
};
