import { formatCount, type Bilingual } from './text.js';

/**
 * Texts every chat adapter shows word for word (Slack and Teams): form labels, notices, the status layout,
 * reminders and phone tasks. Kept apart from text.ts because the core itself never shows them, and defined
 * once so that the platforms cannot drift apart. Each adapter's own text file (adapters/slack/slack-text.ts,
 * adapters/teams/teams-text.ts) holds only what differs on that platform. Japanese first, English second.
 */
export const CT = {
  modalSubmit: { ja: '発信', en: 'Issue' },
  title: { ja: '件名', en: 'Title' },
  body: { ja: '本文', en: 'Body' },
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
  // While the job queue (Redis) cannot be reached: what is stored is stored, what must wait is said plainly.
  issuedQueuePending: {
    ja: 'ジョブキュー（Redis）に接続できないため、配信は復旧後に自動で始まります。発信内容は記録済みです。',
    en: 'The job queue (Redis) cannot be reached: delivery starts by itself when it is back. The advisory is recorded.',
  },
  notIssued: { ja: '発信されていません。もう一度お試しください。', en: 'Not issued. Please try again.' },
  // A ladder step that could not run at all.
  stepFailed: {
    ja: 'エスカレーションの段階を実行できませんでした',
    en: 'An escalation step could not run',
  },
  step: { ja: '段階', en: 'Step' },
  stepFailedAction: {
    ja: 'この構成員には自動の連絡が届いていない可能性があります。担当者から直接連絡してください。次の段階は予定どおり続きます。',
    en: 'This member may not have been reached automatically. Please contact them directly. The next step follows as planned.',
  },
} as const satisfies Record<string, Bilingual>;

/** The ladder's steps as people call them. */
export const STEP_TEXT = {
  reminder: { ja: 'リマインド', en: 'reminder' },
  phone: { ja: '電話連絡の作成', en: 'phone task' },
  'next-contact': { ja: '次の連絡先へ', en: 'next contact' },
  alert: { ja: '事務局への通知', en: 'secretariat alert' },
} as const satisfies Record<string, Bilingual>;

/** What the issuer hears when the advisory is stored but the queue is down. */
export function issuedPendingText(advisoryId: string): Bilingual {
  return {
    ja: `注意喚起 ${advisoryId} を発信しました。${CT.issuedQueuePending.ja}`,
    en: `Advisory ${advisoryId} issued. ${CT.issuedQueuePending.en}`,
  };
}

export function reminderText(advisoryId: string, title: string, deadline: string): Bilingual {
  return {
    ja: `注意喚起 ${advisoryId}「${title}」の受領確認がまだありません。期限は ${deadline} です。`,
    en: `Advisory ${advisoryId} "${title}" has not been acknowledged yet. It is due by ${deadline}.`,
  };
}

export function moreRows(n: number): Bilingual {
  return {
    ja: `ほか ${formatCount(n)} 件は表示していません。全件はエクスポートまたは状況 Web ページで確認してください。`,
    en: `${formatCount(n)} more not shown. See the export or the status web page for all of them.`,
  };
}

export function moreNames(n: number): Bilingual {
  return { ja: `ほか ${formatCount(n)} 名`, en: `${formatCount(n)} more` };
}
