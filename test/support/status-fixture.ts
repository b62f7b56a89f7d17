/** Status views as the core answers `statusOf(…, { limit })`: the counts of everyone, one page of rows, failed first. */
import type { StatusRow, StatusView } from '../../src/view/views.js';
import { STATUS_ORDER } from '../../src/view/build.js';

export function statusRow(i: number, state: StatusRow['state']): StatusRow {
  const base: StatusRow = { memberId: `lg-${i}`, memberName: { ja: `自治体${i}`, en: `Municipality ${i}` }, deliveryId: `d-${i}`, platform: 'slack', state };
  if (state === 'acknowledged') return { ...base, acknowledgedBy: `担当者${i}`, acknowledgedAt: '2026-11-25T09:30:00.000Z', via: 'button' };
  if (state === 'failed') return { ...base, failure: 'channel_not_found' };
  return base;
}

/** `counts` of everyone; the rows the core would give for a page of `limit` in its order. */
export function statusPage(counts: { failed: number; posted: number; queued: number; acknowledged: number }, limit: number): StatusView {
  const rows: StatusRow[] = [];
  let i = 1;
  const states: ('failed' | 'posted' | 'queued' | 'acknowledged')[] = ['failed', 'posted', 'queued', 'acknowledged'];
  for (const state of states.sort((a, b) => STATUS_ORDER[a] - STATUS_ORDER[b])) {
    for (let k = 0; k < counts[state]; k += 1) rows.push(statusRow(i++, state));
  }
  const total = counts.failed + counts.posted + counts.queued + counts.acknowledged;
  return {
    advisoryId: 'ADV-2026-0042',
    title: '庁内ネットワークへの攻撃について',
    tlp: 'TLP:GREEN',
    severity: 'level4',
    drill: false,
    issuedAt: '2026-11-25T09:00:00.000Z',
    ackDeadline: '2026-11-25T09:15:00.000Z',
    counts: { ...counts, cancelled: 0, total },
    rows: rows.slice(0, limit),
    page: { query: {}, offset: 0, limit, matching: total },
  };
}

export const EXPORT_LINK = { path: '/export/abc.def', url: 'https://bot.example.jp/export/abc.def', expiresAt: '2026-11-25T09:45:00.000Z' };
