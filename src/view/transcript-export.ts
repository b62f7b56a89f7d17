import { stringify } from 'csv-stringify/sync';
import type { Transcript } from '../domain/transcript.js';
import type { Delivery } from '../domain/delivery.js';
import type { PhoneTask } from '../domain/phone-task.js';
import type { Actor } from '../domain/platform.js';

/**
 * An advisory's record for people: one row per member delivery (what was sent to whom, who saw it,
 * how, whom the phone reached, what happened), as CSV that Excel opens correctly with Japanese
 * (UTF-8 with a byte-order mark, CRLF), or the whole transcript as JSON.
 */

/** Japan time as spreadsheets read it: "2026-12-01 18:05:09". */
const JST = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Tokyo', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
export const jst = (at: string | undefined): string => (at ? JST.format(new Date(at)) : '');

const who = (a: Actor | undefined): string => (a ? `${a.name ?? a.userId} (${a.platform}:${a.userId})` : '');

/** The columns, Japanese first; times are Japan time. */
export const EXPORT_COLUMNS = [
  ['advisory_id', '注意喚起ID / advisory id'],
  ['revision', '版 / revision'],
  ['title', '件名 / title'],
  ['tlp', 'TLP'],
  ['severity', '深刻度 / severity'],
  ['category', '分類 / category'],
  ['drill', '訓練 / drill'],
  ['issued_at', '発信日時 (JST) / issued at'],
  ['member_id', '構成員ID / member id'],
  ['member_name', '構成員名 / member'],
  ['platform', '配信先 / platform'],
  ['channel', 'チャンネル / channel'],
  ['state', '状態 / state'],
  ['posted_at', '配信日時 (JST) / posted at'],
  ['failure', '配信失敗 / failure'],
  ['round', '受領確認の回 / acknowledgement round'],
  ['acknowledged_at', '受領確認日時 (JST) / acknowledged at'],
  ['acknowledged_by', '受領確認者 / acknowledged by'],
  ['via', '方法 / via'],
  ['reached_contact', '電話で応答した連絡先 / contact reached'],
  ['also_seen_by', 'ほかに確認した人 / also seen by'],
  ['last_step', '最後のエスカレーション / last ladder step'],
  ['phone_task', '電話タスク / phone task'],
  ['phone_claimed_by', '電話担当 / on-call person'],
  ['phone_attempts', '架電記録 / call attempts'],
  ['earlier_rounds', '以前の回の受領確認 / earlier rounds'],
  ['followups_posted', '続報の投稿 / follow-ups posted'],
  ['replies', 'スレッドの返信 / thread replies'],
] as const;

type Column = (typeof EXPORT_COLUMNS)[number][0];
export type ExportRow = Record<Column, string>;

function postedAt(t: Transcript, d: Delivery): string | undefined {
  return t.audit.events.find((e) => e.action === 'delivery.posted' && e.deliveryId === d.id)?.at;
}

function phoneColumns(task: PhoneTask | undefined): Pick<ExportRow, 'phone_task' | 'phone_claimed_by' | 'phone_attempts'> {
  if (!task) return { phone_task: '', phone_claimed_by: '', phone_attempts: '' };
  const line = (a: PhoneTask['attempts'][number]) => `${jst(a.at)} #${a.contactIndex + 1} ${a.outcome} ${who(a.by)}`;
  // Calls of earlier acknowledgement rounds first, marked with their round.
  const earlier = (task.earlierRounds ?? []).flatMap((r) => r.attempts.map((a) => `[r${r.round}] ${line(a)}`));
  const attempts = [...earlier, ...task.attempts.map(line)].join('; ');
  const resolution = task.resolution ? `${task.resolution.kind}${task.resolution.at ? ` ${jst(task.resolution.at)}` : ''}` : '';
  return { phone_task: [task.state, resolution].filter(Boolean).join(' '), phone_claimed_by: who(task.claimedBy), phone_attempts: attempts };
}

/** One row per delivery, in member order. */
export function exportRows(t: Transcript): ExportRow[] {
  const latest = t.versions.at(-1);
  const taskOf = new Map(t.phoneTasks.map((task) => [task.deliveryId, task]));
  const replies = (d: Delivery) => t.threads.filter((m) => m.deliveryId === d.id).length;
  return [...t.deliveries]
    .sort((a, b) => a.memberId.localeCompare(b.memberId) || a.id.localeCompare(b.id))
    .map((d) => {
      const ack = d.acknowledged;
      const first = ack ? `${ack.actor.platform}/${ack.actor.userId}` : undefined;
      const round = d.round ?? 1;
      const others = t.acknowledgements.filter((a) => a.deliveryId === d.id && (a.round ?? 1) === round && `${a.actor.platform}/${a.actor.userId}` !== first);
      return {
        advisory_id: t.advisoryId,
        revision: String(latest?.revision ?? 1),
        title: latest?.title ?? '',
        tlp: t.tlp,
        severity: t.severity,
        category: t.category,
        drill: t.drill ? 'yes' : 'no',
        issued_at: jst(t.issuedAt),
        member_id: d.memberId,
        member_name: t.memberNames[d.memberId]?.ja ?? d.memberId,
        platform: d.channel.platform,
        channel: d.channel.channelId,
        state: d.state,
        posted_at: jst(postedAt(t, d)),
        failure: d.failure ? `${d.failure.code}${d.failure.detail ? ` (${d.failure.detail})` : ''} ${jst(d.failure.at)}` : '',
        round: String(round),
        acknowledged_at: jst(ack?.at),
        acknowledged_by: who(ack?.actor),
        via: ack?.via ?? '',
        reached_contact: ack?.contact ? `${ack.contact.name}${ack.contact.role ? ` (${ack.contact.role})` : ''}` : '',
        also_seen_by: others.map((a) => `${who(a.actor)} ${jst(a.at)}`).join('; '),
        last_step: d.ladder ? `${d.ladder.kind}${d.ladder.kind === 'next-contact' ? ` ${d.ladder.index + 1}` : ''} ${jst(d.ladder.at)}${d.ladder.gaveUp ? ' gave up' : ''}` : '',
        ...phoneColumns(taskOf.get(d.id)),
        earlier_rounds: (d.earlierRounds ?? [])
          .map((r) => `${r.round}: ${r.acknowledged ? `${jst(r.acknowledged.at)} ${who(r.acknowledged.actor)} ${r.acknowledged.via}` : r.state}`)
          .join('; '),
        followups_posted: (d.followups ?? []).map((f) => String(f.n)).join(', '),
        replies: String(replies(d)),
      };
    });
}

/** UTF-8 with a byte-order mark, so Excel on Windows reads the Japanese as such; CRLF line ends. */
export function exportCsv(t: Transcript): string {
  const header = EXPORT_COLUMNS.map(([, label]) => label);
  const rows = exportRows(t).map((r) => EXPORT_COLUMNS.map(([key]) => r[key]));
  return `\uFEFF${stringify([header, ...rows], { record_delimiter: 'windows' })}`;
}

export function exportJson(t: Transcript): string {
  return `${JSON.stringify(t, null, 2)}\n`;
}
