import type { Platform } from '../domain/platform.js';
import type { LocalisedName } from '../directory/schema.js';
import { secondsText } from './form-text.js';
import { formatCount, type Bilingual } from './text.js';

/**
 * The words of the preview the secretariat sees before an advisory is sent (Slack modal, Teams card, local
 * page alike). src/view/preview-view.ts puts them together from a PreviewView.
 */
export const PREVIEW_TEXT = {
  /** The form's submit: it shows the preview, it does not send. */
  review: { ja: '内容を確認', en: 'Review' },
  send: { ja: '送信', en: 'Send' },
  back: { ja: '戻る', en: 'Back' },
  heading: { ja: '送信内容の確認', en: 'Check before sending' },
  intro: {
    ja: 'まだ送信されていません。内容と配信先を確認して「送信」を押してください。「戻る」で入力内容を残したままフォームに戻ります。',
    en: 'Nothing has been sent yet. Check the advisory and its recipients, then press Send. Back returns to the form with everything you entered.',
  },
  changed: {
    ja: '確認の後で内容または配信先が変わりました（まだ送信されていません）。新しい内容を確認して、もう一度「送信」を押してください。',
    en: 'The advisory or its recipients changed after you reviewed it (nothing has been sent). Check the new preview and press Send again.',
  },
  numberOnSend: { ja: '注意喚起の番号は送信したときに決まります。', en: 'The advisory number is given when it is sent.' },
  tlp: { ja: 'TLP', en: 'TLP' },
  drill: { ja: '訓練', en: 'Drill' },
  drillYes: { ja: '訓練として送信します', en: 'Sent as a drill' },
  drillNo: { ja: 'いいえ（実際の注意喚起）', en: 'No (a real advisory)' },
  escalation: { ja: 'エスカレーション', en: 'Escalation' },
  escalationOn: { ja: '未確認の構成員にはリマインド・電話連絡を行います', en: 'Silent members get reminders, then phone calls' },
  escalationOff: { ja: '行いません', en: 'None' },
  recipients: { ja: '配信先', en: 'Recipients' },
  problems: { ja: '届かない・送信されない宛先', en: 'Not reached in chat' },
  noProblems: { ja: 'すべての宛先に送信できる見込みです。', en: 'Every target can be sent to.' },
  noChannel: { ja: 'チャンネルが登録されていません', en: 'No channel in the directory' },
  thenPhone: { ja: '配信失敗として事務局に通知し、すぐに電話連絡に回します。', en: 'Recorded as failed, the secretariat is told, and it goes to the phone step at once.' },
  thenAlert: { ja: '配信失敗として事務局に通知します（エスカレーションなし）。', en: 'Recorded as failed and the secretariat is told (no escalation).' },
  thenNothing: { ja: 'チャットでは届きません。電話やメールで連絡してください。', en: 'Not sent in chat at all: call or e-mail them.' },
  entries: {
    ja: '入力内容（ここを変更して「送信」を押すと、送信せずにもう一度確認画面を表示します）',
    en: 'Your entries (change any and Send shows the preview again instead of sending)',
  },
  sent: { ja: '発信しました', en: 'Issued' },
  /** Above the Teams form card. */
  formIntro: {
    ja: '注意喚起を作成します。入力して「内容を確認」を押すと、送信する前に確認画面を表示します。',
    en: 'Create an advisory: fill in the form and press Review to see what will be sent before anything is sent.',
  },
  /** A form card that carries no key (not one the bot sent). */
  formStale: {
    ja: 'このフォームは使えません。もう一度「advisory」と送ってフォームを開いてください（発信されていません）。',
    en: 'This form cannot be used. Send "advisory" again to open a new one (nothing was issued).',
  },
  /** A Teams form whose dialog was opened before previews existed. */
  formMoved: {
    ja: '発信フォームは確認画面つきになりました。もう一度「advisory」と送ってフォームを開いてください（発信されていません）。',
    en: 'The advisory form now shows a preview before sending. Send "advisory" again to open it (nothing was issued).',
  },
} as const satisfies Record<string, Bilingual>;

export const PLATFORM_TEXT: Record<Platform, Bilingual> = {
  slack: { ja: 'Slack', en: 'Slack' },
  teams: { ja: 'Microsoft Teams', en: 'Microsoft Teams' },
  local: { ja: 'ローカルワークスペース', en: 'local workspace' },
};

/** "構成員への表示（日本医師会 宛ての例） / As members will see it (the copy for JMA)". */
export function sampleText(member: LocalisedName): Bilingual {
  return { ja: `構成員への表示（${member.ja} 宛ての例）`, en: `As members will see it (the copy for ${member.en})` };
}

/** "2026/12/01 10:00 JST（送信から 1時間） / … (1 hour after sending)"; the length exact ("90秒"). */
export function deadlineText(at: string, seconds: number): Bilingual {
  const d = secondsText(seconds);
  return { ja: `${at}（送信から ${d.ja}）`, en: `${at} (${d.en} after sending)` };
}

const plural = (n: number, one: string, many: string): string => `${formatCount(n)} ${n === 1 ? one : many}`;

/** "配信 17 件（17 団体） / 17 deliveries (17 organisations)". */
export function deliveriesText(deliveries: number, organisations: number): Bilingual {
  return {
    ja: `配信 ${formatCount(deliveries)} 件（${formatCount(organisations)} 団体）`,
    en: `${plural(deliveries, 'delivery', 'deliveries')} (${plural(organisations, 'organisation', 'organisations')})`,
  };
}

/** One platform's share: "Slack: チャンネル 15 件 / Slack: 15 channels", or direct messages for TLP:RED. */
export function platformShareText(platform: Platform, share: { deliveries: number; channelPosts: number; directMessages: number }, red: boolean): Bilingual {
  const name = PLATFORM_TEXT[platform];
  if (red) {
    return {
      ja: `${name.ja}: 個別メッセージ ${formatCount(share.directMessages)} 件（${formatCount(share.deliveries)} 配信）`,
      en: `${name.en}: ${plural(share.directMessages, 'direct message', 'direct messages')} (${plural(share.deliveries, 'delivery', 'deliveries')})`,
    };
  }
  return {
    ja: `${name.ja}: チャンネルへの投稿 ${formatCount(share.channelPosts)} 件（${formatCount(share.deliveries)} 配信）`,
    en: `${name.en}: ${plural(share.channelPosts, 'channel post', 'channel posts')} (${plural(share.deliveries, 'delivery', 'deliveries')})`,
  };
}

/** TLP:RED: how many contacts get a direct message, and in how many organisations. */
export function redDirectText(contacts: number, members: number): Bilingual {
  return {
    ja: `TLP:RED のためチャンネルには投稿せず、連絡先 ${formatCount(contacts)} 人（${formatCount(members)} 団体）へ個別メッセージで送ります。`,
    en: `TLP:RED is never posted in a channel: ${plural(contacts, 'contact gets', 'contacts get')} a direct message (${plural(members, 'organisation', 'organisations')}).`,
  };
}

/** TLP:RED: organisations none of whose contacts has a chat identity. */
export function redPhoneOnlyText(members: number): Bilingual {
  return {
    ja: `${formatCount(members)} 団体はチャットの ID が登録された連絡先がないため、電話連絡だけになります。`,
    en: `${plural(members, 'organisation has', 'organisations have')} no contact with a chat id: phone only.`,
  };
}

/** AMBER+STRICT: the platforms that also check a channel's sharing when posting (beyond the directory's flag). */
export function sharedCheckedText(platforms: Platform[]): Bilingual {
  const ja = platforms.map((p) => PLATFORM_TEXT[p].ja).join('・');
  const en = platforms.map((p) => PLATFORM_TEXT[p].en).join(', ');
  return {
    ja: `${ja} では送信時にもチャンネルが組織外と共有されていないかを確かめ、共有されていれば投稿しません。`,
    en: `${en} also checks at sending whether a channel is shared outside the organisation, and does not post there if it is.`,
  };
}

/** "このフォームから既に ADV-2026-0042 を発信しています / This form already issued ADV-2026-0042". */
export function alreadySentText(advisoryId: string): Bilingual {
  return {
    ja: `このフォームからは既に ${advisoryId} を発信しています（二重発信はしていません）。`,
    en: `This form already issued ${advisoryId} (nothing was issued twice).`,
  };
}

/** The problems a preview does not list one by one. */
export function moreProblemsText(n: number): Bilingual {
  return { ja: `ほか ${formatCount(n)} 件`, en: `and ${formatCount(n)} more` };
}
