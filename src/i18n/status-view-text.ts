import { formatCount, type Bilingual } from './text.js';

/**
 * The words of the status at sector scale: the list of advisories, the filters and pages of one advisory's status
 * (the local workspace), and the exceptions view that `/advisory status` gives on Slack and Teams. Japanese first,
 * English second; the same words on every platform.
 */

/** The state filter's choices: 未確認, 配信失敗, 電話対応中, 受領確認済み. */
export const STATUS_FILTER_TEXT: Record<'silent' | 'failed' | 'phone' | 'acknowledged', Bilingual> = {
  silent: { ja: '未確認', en: 'Not acknowledged' },
  failed: { ja: '配信失敗', en: 'Failed' },
  phone: { ja: '電話対応中', en: 'On the phone' },
  acknowledged: { ja: '受領確認済み', en: 'Acknowledged' },
};

export const SV = {
  advisories: { ja: '最近の注意喚起', en: 'Recent advisories' },
  noAdvisories: { ja: '注意喚起はまだありません。', en: 'No advisories yet.' },
  withdrawn: { ja: '取り下げ', en: 'withdrawn' },
  closed: { ja: '終了', en: 'closed' },
  filterState: { ja: '状態', en: 'State' },
  all: { ja: 'すべて', en: 'All' },
  filterGroup: { ja: 'グループ', en: 'Group' },
  allGroups: { ja: 'すべてのグループ', en: 'All groups' },
  filterPlatform: { ja: 'プラットフォーム', en: 'Platform' },
  allPlatforms: { ja: 'すべてのプラットフォーム', en: 'All platforms' },
  previous: { ja: '前へ', en: 'Previous' },
  next: { ja: '次へ', en: 'Next' },
  noMatch: { ja: '条件に合う構成員はいません。', en: 'No member matches.' },
  csv: { ja: 'CSV をダウンロード', en: 'Download CSV' },
  /** Slack and Teams: the heading over the exceptions. */
  exceptions: { ja: '要対応（配信失敗・未確認）', en: 'Needs attention (failed, not acknowledged)' },
  noExceptions: { ja: '配信失敗・未確認の構成員はいません。', en: 'No member has failed or is silent.' },
  /** The button to everyone's rows (the export link). */
  everyone: { ja: '全員の一覧（CSV）', en: 'Everyone (CSV)' },
} satisfies Record<string, Bilingual>;

/** "1–100 / 1,800件 / 1–100 of 1,800": the rows on this page of all that match. */
export function pageRangeText(from: number, to: number, total: number): Bilingual {
  if (total === 0) return { ja: '0件', en: 'none' };
  return { ja: `${formatCount(from)}–${formatCount(to)} / ${formatCount(total)}件`, en: `${formatCount(from)}–${formatCount(to)} of ${formatCount(total)}` };
}

/** "受領確認 12/17 / 12 of 17 acknowledged": an advisory's progress in the list. */
export function progressText(acknowledged: number, total: number): Bilingual {
  return { ja: `受領確認 ${formatCount(acknowledged)}/${formatCount(total)}`, en: `${formatCount(acknowledged)} of ${formatCount(total)} acknowledged` };
}

/** "ほか 1,780名 / 1,780 more": exceptions not listed in the chat. */
export function moreExceptionsText(n: number): Bilingual {
  return { ja: `ほか ${formatCount(n)}名`, en: `${formatCount(n)} more` };
}

/** Where everyone's rows are when the chat cannot link them (no PUBLIC_URL). */
export function everyoneCommandText(command: string): Bilingual {
  return { ja: `全員の一覧: ${command}`, en: `Everyone: ${command}` };
}

/** The export link's button caption's note: how long it works. */
export function linkValidText(until: string): Bilingual {
  return { ja: `リンクは ${until} まで有効です。`, en: `The link works until ${until}.` };
}
