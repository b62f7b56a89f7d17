import { formatCount, type Bilingual } from './text.js';

/** What the status and the thread view say about members' replies, on every platform. */
export const THREAD_TEXT = {
  thread: { ja: 'スレッド', en: 'Thread' },
  readThread: { ja: 'スレッドを読む', en: 'Read a thread' },
  latest: { ja: '最新', en: 'latest' },
  edited: { ja: '編集済み', en: 'edited' },
  deleted: { ja: '削除済み', en: 'deleted' },
  before: { ja: '編集前', en: 'before the edit' },
  missedOriginal: { ja: '元の投稿は受信できませんでした', en: 'the original post was not received' },
  noReplies: { ja: 'このスレッドにはまだ返信がありません。', en: 'Nobody has replied in this thread yet.' },
  usage: {
    ja: '使い方: advisory thread ADV-2026-0001 構成員ID（または配信ID）',
    en: 'Usage: advisory thread ADV-2026-0001 <member id> (or a delivery id)',
  },
} satisfies Record<string, Bilingual>;

/** "返信 3 件（削除 1 件）" / "3 replies (1 deleted)". */
export function repliesText(count: number, deleted = 0): Bilingual {
  const n = formatCount(count);
  const d = formatCount(deleted);
  return {
    ja: `返信 ${n} 件${deleted > 0 ? `（削除 ${d} 件）` : ''}`,
    en: `${n} ${count === 1 ? 'reply' : 'replies'}${deleted > 0 ? ` (${d} deleted)` : ''}`,
  };
}

/** The thread view shows the newest; this says how many older ones it left out. */
export function earlierNotShownText(n: number): Bilingual {
  return { ja: `古い ${formatCount(n)} 件は表示していません（エクスポートに全件があります）`, en: `${formatCount(n)} earlier not shown (the export has them all)` };
}
