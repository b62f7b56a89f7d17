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
} as const satisfies Record<string, Bilingual>;

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
