import { formatTokyo, type Bilingual } from './text.js';
import type { DrillPlan } from '../domain/drill-plan.js';

/**
 * The words of drills beyond the 【訓練】/[DRILL] label (text.ts T.drillTag, T.drillBanner): the drill form's
 * schedule, its validation, the announcement members get in advance, and how a plan reads in the preview, the
 * form's result and the report. Japanese first, English second; times in Japan time (formatTokyo).
 */
export const DT = {
  /** `/advisory drill`: the form opened from the drill template. */
  formTitle: { ja: '訓練の発信', en: 'Issue a drill' },
  formIntro: {
    ja: '訓練テンプレートから作成しました。内容を確認・修正し、予告するかどうかを選んで「内容を確認」を押してください。',
    en: 'Filled in from the drill template: check or change it, choose whether to announce it, then press Review.',
  },
  plan: { ja: '訓練の予告', en: 'Drill announcement' },
  planNoun: { ja: '訓練の予告', en: 'drill announcement' },
  unannounced: { ja: '予告しない（抜き打ち・すぐに送信）', en: 'Unannounced (sent at once)' },
  announce: { ja: '今すぐ予告し、期間の開始時に送信する', en: 'Announce now, send when the window starts' },
  planHint: {
    ja: '予告すると、宛先の各構成員のチャンネルに「期間中に訓練を行います」と今すぐ通知し、訓練は期間の開始時に送信します。予告の有無は記録され、訓練の報告に載ります。',
    en: "Announcing tells every targeted member in their channel now that a drill will come within the window; the drill is sent when the window starts. Whether it was announced is recorded and shown in the drill's report.",
  },
  windowFrom: { ja: '訓練期間の開始（日本時間）', en: 'Window starts (Japan time)' },
  windowTo: { ja: '訓練期間の終了（日本時間）', en: 'Window ends (Japan time)' },
  windowDate: { ja: '日付', en: 'Date' },
  windowTime: { ja: '時刻', en: 'Time' },

  fromRequired: { ja: '訓練期間の開始を入力してください。', en: 'Enter when the window starts.' },
  toRequired: { ja: '訓練期間の終了を入力してください。', en: 'Enter when the window ends.' },
  notATime: { ja: '日付と時刻を正しく入力してください。', en: 'Enter a valid date and time.' },
  order: { ja: '訓練期間の終了は開始より後にしてください。', en: 'The window must end after it starts.' },
  tooLong: (days: number): Bilingual => ({ ja: `訓練期間は${days}日以内にしてください。`, en: `The window can be at most ${days} days long.` }),
  ended: { ja: '訓練期間の終了が既に過ぎています。', en: 'The window has already ended.' },
  tooFarAhead: (days: number): Bilingual => ({ ja: `予告できるのは${days}日先までです。`, en: `A drill can be announced at most ${days} days ahead.` }),

  /** The announcement in a member's channel. */
  noticeHeading: { ja: '訓練の予告', en: 'Drill announcement' },
  noticeWindow: { ja: '訓練期間', en: 'Drill window' },
  noticeAsk: {
    ja: '届いたら内容を確認し「受領確認」を押してください。期限までに確認がない場合は、訓練として電話でご連絡することがあります。',
    en: 'When it arrives, read it and press "Acknowledge". If it is not acknowledged in time, we may phone you as part of the drill.',
  },
  notReal: { ja: 'これは訓練の予告です。実際の事案ではありません。', en: 'This announces a drill. It is not about a real incident.' },
} as const;

/** "2026/03/10 10:00 JST 〜 2026/03/10 12:00 JST". */
export function windowText(window: { from: string; to: string }): Bilingual {
  const from = formatTokyo(window.from);
  const to = formatTokyo(window.to);
  return { ja: `${from} 〜 ${to}`, en: `${from} – ${to}` };
}

/** What the announcement says will happen: into this channel, or as direct messages (a TLP:RED drill). */
export function noticeBodyText(advisoryId: string, window: { from: string; to: string }, direct: boolean): Bilingual {
  const w = windowText(window);
  return direct
    ? {
        ja: `${w.ja} の間に、訓練の注意喚起（${advisoryId}）を貴組織の連絡担当者へダイレクトメッセージで送信します。`,
        en: `Between ${w.en} a drill advisory (${advisoryId}) will be sent to your organisation's contacts as direct messages.`,
      }
    : {
        ja: `${w.ja} の間に、訓練の注意喚起（${advisoryId}）をこのチャンネルに送信します。`,
        en: `Between ${w.en} a drill advisory (${advisoryId}) will be posted in this channel.`,
      };
}

/** How a drill's plan reads in one line (the preview, status, the report): announced when and for when, or not. */
export function drillPlanText(plan: DrillPlan | undefined): Bilingual {
  if (plan === undefined) return { ja: '予告の記録なし', en: 'No announcement recorded' };
  if ('unannounced' in plan) return { ja: '予告なし（抜き打ち）', en: 'Unannounced' };
  const w = windowText(plan.announced.window);
  const at = formatTokyo(plan.announced.at);
  return { ja: `予告あり（${at} に予告、訓練期間 ${w.ja}）`, en: `Announced at ${at} for ${w.en}` };
}

/** The preview's line for a drill: what Send will do. */
export function drillPreviewText(plan: DrillPlan | undefined): Bilingual {
  if (plan === undefined || 'unannounced' in plan) {
    return { ja: '訓練として送信します（予告なし・抜き打ち）', en: 'Sent as a drill, unannounced' };
  }
  const w = windowText(plan.announced.window);
  const from = formatTokyo(plan.announced.window.from);
  return {
    ja: `訓練として送信します。「送信」を押すと、宛先の各構成員に今すぐ予告し（訓練期間 ${w.ja}）、訓練は ${from} に送信します`,
    en: `Sent as a drill. Send announces it now to every targeted member (window ${w.en}); the drill itself is sent at ${from}`,
  };
}

/** The form's result for an announced drill: announced now, sent later. */
export function drillScheduledText(advisoryId: string, sendAt: string): Bilingual {
  const at = formatTokyo(sendAt);
  return {
    ja: `${advisoryId} を予告しました。各構成員への予告を送信中です。訓練は ${at} に送信します。`,
    en: `${advisoryId} is announced: members are being told now, and the drill is sent at ${at}.`,
  };
}

/** One line for a notification or a fallback text: "📅 訓練の予告 / Drill announcement: DRL-2026-0003 (… 〜 …)". */
export function drillNoticeSummary(advisoryId: string, window: { from: string; to: string }): string {
  const w = windowText(window);
  return `📅 ${DT.noticeHeading.ja} / ${DT.noticeHeading.en}: ${advisoryId} (${w.ja})`;
}
