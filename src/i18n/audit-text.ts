import { NO_ADVISORY_CHAIN, type ChainProblem, type ChainProblemKind } from '../domain/audit-chain.js';
import type { Bilingual } from './text.js';

/** A chain's name as people read it: the advisory id, or what the chain of no advisory holds. */
export function chainName(chain: string): Bilingual {
  return chain === NO_ADVISORY_CHAIN
    ? { ja: `${chain}（注意喚起に属さないイベント: 拒否など）`, en: `${chain} (events of no advisory: refusals and the like)` }
    : { ja: chain, en: chain };
}

/** Short names of the kinds of problem, for lists. */
export const PROBLEM_KIND_TEXT: Readonly<Record<ChainProblemKind, Bilingual>> = {
  missing: { ja: '欠落（削除）', en: 'missing (deleted)' },
  'out-of-order': { ja: '順序の乱れ', en: 'out of order' },
  edited: { ja: '改変', en: 'edited' },
  'broken-prev': { ja: '連鎖の断絶', en: 'broken link' },
  inserted: { ja: '挿入', en: 'inserted' },
  'wrong-chain': { ja: '別の注意喚起のイベント', en: 'event of another advisory' },
  unchained: { ja: '連鎖外のイベント', en: 'event outside the chain' },
  'tail-missing': { ja: '末尾の欠落（削除）', en: 'end missing (deleted)' },
  'head-mismatch': { ja: '先頭記録と不一致', en: 'head record does not match' },
  'no-head': { ja: '先頭記録なし', en: 'no head record' },
  'anchor-mismatch': { ja: '外部アンカーと不一致', en: 'outside anchor does not match' },
};

const range = (p: ChainProblem): Bilingual =>
  p.toSeq !== undefined && p.toSeq !== p.seq
    ? { ja: `seq ${p.seq}〜${p.toSeq}`, en: `seq ${p.seq} to ${p.toSeq}` }
    : { ja: `seq ${p.seq}`, en: `seq ${p.seq}` };

const event = (id: string | undefined): Bilingual =>
  id === undefined ? { ja: '', en: '' } : { ja: `（イベント ${id}）`, en: ` (event ${id})` };

/** What is wrong at a broken link, in a sentence for whoever runs the check. */
export function describeProblem(p: ChainProblem): Bilingual {
  const r = range(p);
  const e = event(p.eventId);
  switch (p.kind) {
    case 'missing':
      return {
        ja: `${r.ja} のイベントがありません。削除されています${p.eventId ? `（その次はイベント ${p.eventId}）` : ''}。`,
        en: `The events at ${r.en} are not there: deleted${p.eventId ? ` (the next one is event ${p.eventId})` : ''}.`,
      };
    case 'out-of-order':
      return {
        ja: `seq ${p.seq}${e.ja} が順序どおりに並んでいません（seq ${p.expected} 以降のはず）。同じ位置が二重に記録されています。`,
        en: `seq ${p.seq}${e.en} is out of order (expected seq ${p.expected} or later): a place is stored twice.`,
      };
    case 'edited':
      return {
        ja: `seq ${p.seq}${e.ja}は書き込まれた後に変更されています（内容・位置・連鎖のいずれか。ハッシュが一致しません）。`,
        en: `seq ${p.seq}${e.en} was changed after it was written (its content, place or chain: the hash does not match).`,
      };
    case 'broken-prev':
      return {
        ja: `seq ${p.seq}${e.ja}は、次のイベントが連鎖したときのものではありません。差し替えられたか、変更されてハッシュを付け直されています。`,
        en: `seq ${p.seq}${e.en} is not the event the next one was chained to: it was replaced, or changed and given a fresh hash.`,
      };
    case 'inserted':
      return {
        ja: `${r.ja}${e.ja}は後から挿入されています（次のイベントはその前のイベントに連鎖しています）。`,
        en: `${r.en}${e.en} was put in afterwards (the event after it is chained to the one before it).`,
      };
    case 'wrong-chain':
      return {
        ja: `seq ${p.seq}${e.ja}は別の注意喚起（${p.found ?? 'なし'}）のイベントで、この連鎖（${p.chain}）のものではありません。`,
        en: `seq ${p.seq}${e.en} belongs to another advisory (${p.found ?? 'none'}), not to this chain (${p.chain}).`,
      };
    case 'unchained':
      return {
        ja: `イベント ${p.eventId} は連鎖に入っていません。ボットを通さずに書き込まれたか、移行後も動いていた旧版のプロセスが書いたものです。`,
        en: `Event ${p.eventId} is not in the chain: it was written around the bot, or by a process of an earlier release still running after the upgrade.`,
      };
    case 'tail-missing':
      return {
        ja: `末尾の ${r.ja} のイベントがありません。削除されています（最後のものはイベント ${p.eventId}）。`,
        en: `The events at the end, ${r.en}, are not there: deleted (the last one was event ${p.eventId}).`,
      };
    case 'head-mismatch':
      return {
        ja: `seq ${p.seq}${e.ja}は先頭記録が記録したイベントと異なります。そこから先の連鎖が書き換えられています。`,
        en: `seq ${p.seq}${e.en} is not the event the head record recorded: the chain was rewritten from there.`,
      };
    case 'no-head':
      return {
        ja: `イベントはありますが先頭記録がありません（最後は seq ${p.seq}${e.ja}）。先頭記録が削除されています。末尾の削除はこの連鎖では検出できません。`,
        en: `There are events but no head record (the last is seq ${p.seq}${e.en}): it was deleted, and a deletion at the end cannot be seen in this chain.`,
      };
    case 'anchor-mismatch':
      return p.found === undefined
        ? {
            ja: `外部アンカーの seq ${p.seq} のイベントがありません。`,
            en: `The event at the outside anchor's seq ${p.seq} is not there.`,
          }
        : {
            ja: `seq ${p.seq}${e.ja} のハッシュが外部アンカー（${p.expected}）と一致しません。連鎖がそこまで書き換えられています。`,
            en: `seq ${p.seq}${e.en} does not have the outside anchor's hash (${p.expected}): the chain was rewritten up to there.`,
          };
  }
}
