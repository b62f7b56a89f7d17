import type { Bilingual } from './text.js';

/**
 * Why a delivery failed, for the codes the secretariat can act on: Slack's error codes and the
 * platform-neutral ones. Every chat adapter shows them, because the secretariat's channel may be on one
 * platform while the failed member channel is on another; the Teams adapter adds its own codes on top
 * (adapters/teams/teams-text.ts).
 */
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
  RETRIES_EXHAUSTED: {
    ja: '何度試しても投稿できませんでした（チャットサービスの障害が続いています）。電話連絡に進みます。',
    en: 'Every attempt to post failed (the chat service kept failing). The member goes to the phone step.',
  },
  RED_NO_RECIPIENTS: {
    ja: 'TLP:RED ですが、このチャットのユーザー ID が登録された連絡先がありません。名簿に連絡先のユーザー ID（slackUserId / teamsUserId）を登録してください。',
    en: "TLP:RED, but no contact has a user id on this chat platform. Add the contacts' user ids (slackUserId / teamsUserId) to the directory.",
  },
};

/** Own-property lookup, so a reason such as "constructor" is not mistaken for a known code. */
export function failureText(code: string): Bilingual | undefined {
  return Object.hasOwn(FAILURE_TEXT, code) ? FAILURE_TEXT[code] : undefined;
}
