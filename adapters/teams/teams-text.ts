import { both, stacked, type Bilingual } from '../../src/i18n/text.js';

/**
 * Texts only the Teams adapter shows. Japanese first, English second, as everywhere. The texts every chat
 * adapter shows word for word (form labels, phone task script, status layout, validation messages) are in
 * src/i18n (chat-text.ts, form-text.ts, phone-text.ts, failure-text.ts), so that Slack and Teams cannot
 * drift apart; only what differs on Teams is here.
 */
export const TT = {
  bodyHint: {
    ja: '本文は 12,000 文字までです。書式（太字・リンクなど）は使えず、入力したとおりに表示されます。',
    en: 'Up to 12,000 characters. Formatting (bold, links, …) is not applied: the text is shown as typed.',
  },
  openFormIntro: {
    ja: '注意喚起を作成します。下のボタンから入力フォームを開いてください。',
    en: 'Create an advisory: open the form with the button below.',
  },
  openFormButton: { ja: 'フォームを開く', en: 'Open the form' },
  formErrors: { ja: '入力内容を確認してください', en: 'Please check the following' },
  taskId: { ja: 'タスク ID', en: 'Task id' },
  tlpMostRestrictive: { ja: 'この一覧で最も制限の強い TLP', en: 'Most restrictive TLP in this list' },
} as const satisfies Record<string, Bilingual>;

/** The dialog's title bar (plain text). */
export const FORM_TITLE = both({ ja: '注意喚起', en: 'Advisory' });

/** The answer to a message the bot does not understand (Teams renders message text as Markdown). */
export const HELP_TEXT = [
  '**advisory** — 注意喚起の入力フォームを開きます / opens the advisory form',
  '**advisory drill** — 訓練テンプレートから訓練のフォームを開きます（予告の有無を選べます）/ opens the form for a drill, from the drill template (announce it or not)',
  '**advisory status ADV\\-2026\\-0042** — 受領確認の状況を表示します（訓練は DRL\\-2026\\-0003 など）/ shows who has acknowledged (drills: DRL\\-2026\\-0003 and so on)',
  '**advisory oncall** — 未完了の電話連絡を表示します / lists the open phone tasks',
  "**advisory followup ADV\\-…** — 続報を各構成員のスレッドに投稿します / posts a follow-up in every member's thread",
  "**advisory correct ADV\\-…** — 各構成員の通知を訂正します / corrects every member's copy",
  '**advisory withdraw ADV\\-…** — 注意喚起を取り下げます / withdraws the advisory',
  '**advisory close ADV\\-…** — 注意喚起を終了し集計を投稿します / closes the advisory and posts its summary',
  "**advisory export ADV\\-…** — 記録のダウンロードリンク / a download link to the advisory's record",
].join('\n\n');

/** What the dialog says after a successful submission (plain text). */
export function issuedText(advisoryId: string, deliveries: number): string {
  const n = deliveries.toLocaleString('en-US');
  return stacked({
    ja: `注意喚起 ${advisoryId} を発信しました（配信 ${n} 件）。`,
    en: `Advisory ${advisoryId} issued (${deliveries === 1 ? '1 delivery' : `${n} deliveries`}).`,
  });
}

