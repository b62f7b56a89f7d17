import type { FailureReason } from '../ports/chat.js';
import type { Bilingual } from './text.js';

/** The core's own reasons a delivery fails, besides what a platform says. */
export const OWN_FAILURES = ['TLP_SHARED_CHANNEL', 'RED_NO_RECIPIENTS', 'PLATFORM_NOT_CONFIGURED', 'RETRIES_EXHAUSTED'] as const;
export type OwnFailure = (typeof OWN_FAILURES)[number];

/**
 * Why a delivery failed, worded for the secretariat: one table for every platform, keyed by the core's
 * closed set of reasons (ports/chat.ts FAILURE_REASONS) and its own. The secretariat's channel may be
 * on one platform while the failed member channel is on another; the platform's own code is shown
 * beside it as detail.
 */
export const FAILURE_TEXT: Readonly<Record<FailureReason | OwnFailure, Bilingual>> = {
  channel_gone: {
    ja: 'チャンネルが見つかりません（削除されたか、ボットから見えません）。名簿のチャンネル ID を確認してください。',
    en: 'Channel not found (deleted, or not visible to the bot). Check the channel id in the directory.',
  },
  not_in_channel: {
    ja: 'ボットがチャンネル（チーム・チャット）に参加していません。ボットを追加してください。',
    en: 'The bot is not in the channel (team or chat). Add the bot.',
  },
  archived: {
    ja: 'チャンネルがアーカイブされています。構成員に現在のチャンネルを確認してください。',
    en: 'The channel is archived. Ask the member for their current channel.',
  },
  auth: {
    ja: 'ボットの認証情報が無効です（失効・取り消し・誤り）。運用担当に連絡してください。',
    en: "The bot's credentials are not valid (expired, revoked or wrong). Contact the operators.",
  },
  forbidden: {
    ja: 'ボットにこの操作の権限がありません（権限設定、または管理者による無効化）。運用担当または構成員の管理者に連絡してください。',
    en: "The bot is not allowed to do this (permissions, or disabled by an administrator). Contact the operators or the member's administrator.",
  },
  not_installed: {
    ja: 'このテナント（ワークスペース）にボットのアプリがインストールされていません。',
    en: 'The bot app is not installed in this tenant (workspace).',
  },
  recipient_unreachable: {
    ja: '受信者に届けられません（退職・無効化・ボットのブロック）。名簿の連絡先を確認してください。',
    en: 'The recipient cannot be reached (left, deactivated, or blocked the bot). Check the contact in the directory.',
  },
  too_large: {
    ja: 'メッセージがチャットサービスの上限を超えました。本文を短くしてください。',
    en: 'The message is larger than the chat service allows. Shorten the body.',
  },
  invalid_message: {
    ja: 'チャットサービスがメッセージを受け付けませんでした。運用担当に連絡してください。',
    en: 'The chat service refused the message. Contact the operators.',
  },
  message_gone: {
    ja: '更新するメッセージが見つかりません（削除済み、または編集できません）。',
    en: 'The message to update is gone (deleted, or can no longer be edited).',
  },
  rate_limited: {
    ja: 'チャットサービスの送信制限に達しています。時間をおいて再送します。',
    en: 'The chat service asked the bot to slow down. It will try again.',
  },
  timeout: {
    ja: 'チャットサービスから時間内に応答がありませんでした。',
    en: 'The chat service did not answer in time.',
  },
  unavailable: {
    ja: 'チャットサービスまたはネットワークの障害です。',
    en: 'The chat service or the network failed.',
  },
  unknown: {
    ja: '想定外のエラーです。ログを確認してください。',
    en: 'Unexpected error. Check the logs.',
  },
  TLP_SHARED_CHANNEL: {
    ja: 'TLP:AMBER+STRICT と TLP:RED の情報は、組織外と共有されたチャンネルには投稿できません。',
    en: 'TLP:AMBER+STRICT and TLP:RED cannot be posted to a channel shared outside the organisation.',
  },
  RED_NO_RECIPIENTS: {
    ja: 'TLP:RED ですが、このチャットのユーザー ID が登録された連絡先がありません。名簿に連絡先のユーザー ID を登録してください。',
    en: "TLP:RED, but no contact has a user id on this chat platform. Add the contacts' user ids to the directory.",
  },
  PLATFORM_NOT_CONFIGURED: {
    ja: 'このチャンネルのチャットサービスがボットに設定されていません。運用担当に連絡してください。',
    en: "The bot is not configured for this channel's chat service. Contact the operators.",
  },
  RETRIES_EXHAUSTED: {
    ja: '何度試しても投稿できませんでした（チャットサービスの障害が続いています）。電話連絡に進みます。',
    en: 'Every attempt to post failed (the chat service kept failing). The member goes to the phone step.',
  },
};

/** Own-property lookup, so a code such as "constructor" is not mistaken for a known one. */
export function failureText(code: string): Bilingual | undefined {
  return Object.hasOwn(FAILURE_TEXT, code) ? FAILURE_TEXT[code as keyof typeof FAILURE_TEXT] : undefined;
}
